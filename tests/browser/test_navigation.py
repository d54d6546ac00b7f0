"""Navigation state on every engine: the sidebar marks the page you are on, and the phone menu holds its contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# The page links the primary sidebar marks as the current page (Material and Zensical classic share the
# classes); links to a section of the page ("#timing") are the table of contents, marked as you scroll.
ACTIVE_LINKS = """() => [...document.querySelectorAll('.md-sidebar--primary .md-nav--primary a.md-nav__link--active')]
    .filter(a => !a.getAttribute('href').startsWith('#')).map(a => a.href.split('#')[0].split('?')[0])"""


def in_nav(site: Path, page_path: str) -> bool:
    """Return whether the page is listed in the navigation (bank story pages are not: see mkdocs.yml)."""
    index = (site / "index.html").read_text(encoding="utf-8")
    nav = index[index.index('class="md-nav md-nav--primary"') :]
    relative = page_path if page_path != "index.html" else "."
    return bool(re.search(rf'href="(\./)?{re.escape(relative)}"', nav)) or page_path == "index.html"


def toc_entries(page) -> list[str]:
    """Return the entries of the page's own table of contents (the right-hand column on a desktop)."""
    return [t.strip() for t in page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link").all_text_contents()]


def test_the_sidebar_marks_the_current_page_and_only_it(open_page, site: Path, engine: str, page_path: str) -> None:
    page, guard = open_page()
    page.goto((site / page_path).as_uri())
    active = page.evaluate(ACTIVE_LINKS)
    if in_nav(site, page_path):
        assert active == [(site / page_path).as_uri()], f"{engine}: {page_path} is not the one page marked"
    else:
        assert active == [], f"{engine}: {page_path} is outside the nav, yet {active} are marked"
    assert guard.problems() == []


def test_the_phone_menu_opens_on_the_current_page_with_its_contents(open_page, site: Path, engine: str, page_path: str) -> None:
    """At 390 px the menu button opens the navigation; the current page's entry opens its table of contents."""
    page, guard = open_page(width=390)
    page.goto((site / page_path).as_uri())
    page.locator('label.md-header__button[for="__drawer"]').click()
    drawer = page.locator(".md-sidebar--primary")
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().right > 200")
    assert drawer.locator(".md-nav__title").first.is_visible()
    sections = toc_entries(page)
    current_toc = page.locator(".md-nav--primary .md-nav__item--active > nav.md-nav--secondary")
    if not in_nav(site, page_path) or not sections:
        assert current_toc.locator("a.md-nav__link").count() == 0
        assert guard.problems() == []
        return
    links = current_toc.locator("a.md-nav__link")
    assert links.count() >= len(sections) > 0, f"{engine}: the phone menu of {page_path} has no table of contents"
    page.locator('.md-nav--primary label.md-nav__link--active[for="__toc"]').click()
    page.wait_for_timeout(300)  # the menu slides
    first = links.first
    assert first.is_visible(), f"{engine}: the contents of {page_path} do not open in the phone menu"
    assert first.inner_text().strip() == sections[0]
    assert links.all_text_contents() and [t.strip() for t in links.all_text_contents()] == sections
    assert guard.problems() == []
