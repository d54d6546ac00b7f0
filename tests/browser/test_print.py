"""Printed, every page is its content alone, dark on white, and fits the width of A4."""

from __future__ import annotations

from pathlib import Path

import pytest

from .kit import contrast

pytestmark = pytest.mark.browser

A4_WIDTH_PX = 794  # 210 mm at 96 px per inch
CHROME = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top")

MEASURE = """() => {
  const body = getComputedStyle(document.body);
  const typeset = getComputedStyle(document.querySelector('.md-content .md-typeset'));
  const wide = [...document.querySelectorAll('.md-content pre, .md-content table, .md-content img')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(el => el.tagName.toLowerCase());
  return {
    color: typeset.color, background: body.backgroundColor, fontSize: parseFloat(typeset.fontSize),
    scrollWidth: document.documentElement.scrollWidth, wide,
    visibleChrome: CHROME.filter(sel => [...document.querySelectorAll(sel)]
      .some(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')),
  };
}"""


def measure_print(page) -> dict:
    """Return the printed page's colours, font size, width and which navigation parts still show."""
    return page.evaluate(MEASURE.replace("CHROME", repr(list(CHROME))))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printed_page_is_content_only_and_readable_on_a4(open_page, site: Path, page_path: str, scheme: str) -> None:
    page, guard = open_page(width=A4_WIDTH_PX, height=1123, scheme=scheme)
    page.goto((site / page_path).as_uri())
    page.emulate_media(media="print")
    m = measure_print(page)
    assert m["visibleChrome"] == [], "navigation prints"
    assert page.locator(".md-content h1").first.is_visible()
    assert contrast(m["color"], m["background"]) >= 7, (m["color"], m["background"])
    assert m["fontSize"] >= 13, "text smaller than 10 pt"
    assert m["scrollWidth"] <= A4_WIDTH_PX and m["wide"] == [], "content wider than the paper"
    assert guard.problems() == []


def test_on_screen_the_same_page_shows_its_navigation(open_page, site: Path) -> None:
    page, _ = open_page(width=1280, scheme="dark")
    page.goto((site / "examples/p99-latency.html").as_uri())
    m = measure_print(page)
    assert {".md-header", ".md-sidebar--primary", ".md-footer"} <= set(m["visibleChrome"])
    assert m["background"] != "rgb(255, 255, 255)"  # slate on screen: the print rules are what make it white


def test_a4_pdf_of_the_template_page_is_written(open_page, site: Path, tmp_path: Path) -> None:
    page, _ = open_page(width=A4_WIDTH_PX)
    page.goto((site / "template.html").as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1
