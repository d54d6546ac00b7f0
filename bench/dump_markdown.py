"""A benchmark-only MkDocs hook: save each page's Markdown after the macros ran, for the baseline build."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority


@event_priority(-100)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Write the page's rendered Markdown (with its front matter, minus render_macros) under BENCH_DUMP_DIR."""
    out = Path(os.environ["BENCH_DUMP_DIR"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in page.meta.items() if k != "render_macros"}
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n" if meta else ""
    out.write_text(front + markdown, encoding="utf-8")
    return markdown
