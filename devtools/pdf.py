"""Print the handbook's print pages (site/print/*.html) to A4 PDFs through headless Chromium.

Usage: python -m devtools.pdf SITE_DIR [OUT_DIR] [--owner NAME]  (what `make pdf` runs after a build).
The pages are opened from disk with every non-file request refused, as a reader would
open them offline; each PDF is named after its page (cheatsheet.pdf, card-p99-latency.pdf,
bank-flaky-ci.pdf for a bank story's card, sheets-ana.pdf for a kit's interview sheet).
`--owner ana` (`make pdf OWNER=ana`) prints only the cards of ana's stories in the bank and
the interview sheet of ana's prep kit.
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


def owner_cards(site: Path, owner: str, data_dir: Path) -> list[Path]:
    """Return one owner's print pages (any case): the cards of their bank stories (print/bank/<slug>.html),
    then the interview sheet of their prep kit (print/sheets/<kit>.html) when they have one."""
    from prep_handbook.loader import load_handbook

    handbook = load_handbook(data_dir)
    stories = handbook.folder("stories")
    wanted = " ".join(owner.split()).casefold()

    def owned(entry) -> bool:
        return " ".join(str(entry.data["owner"]).split()).casefold() == wanted

    slugs = [e.slug for e in stories if owned(e)]
    if not slugs:
        owners = ", ".join(sorted({str(e.data["owner"]) for e in stories}, key=str.lower)) or "none"
        raise SystemExit(f"error: no story in {data_dir.name}/stories/ has the owner {owner!r} (owners: {owners})")
    cards = [site / "print" / "bank" / f"{slug}.html" for slug in sorted(slugs)]
    sheets = [site / "print" / "sheets" / f"{kit.slug}.html" for kit in handbook.folder("kits") if owned(kit)]
    return cards + [sheet for sheet in sheets if sheet.is_file()]


def page_count(pdf: bytes) -> int:
    """Count the pages of a PDF that Chromium wrote (one page object each)."""
    return len(_PAGE.findall(pdf))


def write_pdfs(site: Path, out: Path, executable: str = CHROMIUM, pages: list[Path] | None = None) -> dict[str, int]:
    """Print the print pages of `site` (all, or `pages`) into `out` as A4 PDF; return the page count of each file."""
    from playwright.sync_api import sync_playwright

    pages = print_pages(site) if pages is None else pages
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
    """Print the print pages of a built site (or one owner's cards) to PDF and report each file's page count."""
    import argparse

    from prep_handbook.paths import DATA_DIR

    parser = argparse.ArgumentParser(prog="python -m devtools.pdf", description="Print the handbook's print pages to A4 PDFs.")
    parser.add_argument("site", type=Path, help="the built site")
    parser.add_argument("out", type=Path, nargs="?", default=Path("pdf"), help="where the PDFs go (default: pdf/)")
    parser.add_argument("--owner", default="", help="print only the cards of this owner's bank stories")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the data folder the owners come from (default: data/)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    pages = owner_cards(args.site, args.owner, args.data) if args.owner.strip() else None
    for name, count in write_pdfs(args.site, args.out, pages=pages).items():
        print(f"{args.out / name}: {count} page{'s' if count != 1 else ''}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
