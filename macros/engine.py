"""What differs between the engines that run `define_env`: MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def page_source(page: Any) -> str:
    """Return the page's source path relative to docs/ (`examples/index.md`), or "" outside a page."""
    if page is None:
        return ""
    file = getattr(page, "file", None)  # MkDocs and ProperDocs: page.file.src_uri
    if file is not None:
        return str(file.src_uri)
    return str(getattr(page, "path", "") or "")  # Zensical: page.path


def prepare(project_dir: Path) -> int:
    """Check data/ and write the generated story pages, as define_env does; return an exit status."""
    from . import bank
    from .build import HandbookDataError, load_or_fail

    try:
        handbook = load_or_fail(project_dir / "data")
    except HandbookDataError as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    bank.write_story_stubs(handbook, project_dir / "docs")
    return 0


if __name__ == "__main__":  # Zensical collects pages before define_env runs: write them first.
    sys.exit(prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
