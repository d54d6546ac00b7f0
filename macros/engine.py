"""What differs between the engines that run `define_env`: MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

from typing import Any


def page_source(page: Any) -> str:
    """Return the page's source path relative to docs/ (`examples/index.md`), or "" outside a page."""
    if page is None:
        return ""
    file = getattr(page, "file", None)  # MkDocs and ProperDocs: page.file.src_uri
    if file is not None:
        return str(file.src_uri)
    return str(getattr(page, "path", "") or "")  # Zensical: page.path
