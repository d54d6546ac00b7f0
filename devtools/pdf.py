"""Print the handbook's print pages (site/print/*.html) to A4 PDFs through headless Chromium.

Usage: python -m devtools.pdf SITE_DIR [OUT_DIR]  (what `make pdf` runs after a build).
The pages are opened from disk with every non-file request refused, as a reader would
open them offline; each PDF is named after its page (cheatsheet.pdf, card-p99-latency.pdf).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def print_pages(site: Path) -> list[Path]:
    """Return the built print pages of a site, in name order."""
    folder = site / "print"
    return sorted(folder.rglob("*.html")) if folder.is_dir() else []


def page_count(pdf: bytes) -> int:
    """Count the pages of a PDF that Chromium wrote (one page object each)."""
    return len(_PAGE.findall(pdf))


def write_pdfs(site: Path, out: Path, executable: str = CHROMIUM) -> dict[str, int]:
    """Print every print page of `site` into `out` as A4 PDF; return the page count of each file."""
    from playwright.sync_api import sync_playwright

    pages = print_pages(site)
    if not pages:
        raise SystemExit(f"{site}: no print/ pages; build the site first (make build)")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
            page = context.new_page()
            for html in pages:
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                name = html.relative_to(site / "print").with_suffix(".pdf").as_posix().replace("/", "-")
                target = out / name
                tmp = target.with_suffix(".pdf.part")
                tmp.write_bytes(data)
                tmp.replace(target)
                counts[name] = page_count(data)
        finally:
            browser.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    """Print the print pages of a built site to PDF and report each file's page count."""
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -m devtools.pdf SITE_DIR [OUT_DIR]", file=sys.stderr)
        return 2
    site = Path(args[0])
    out = Path(args[1]) if len(args) > 1 else Path("pdf")
    for name, count in write_pdfs(site, out).items():
        print(f"{out / name}: {count} page{'s' if count != 1 else ''}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
