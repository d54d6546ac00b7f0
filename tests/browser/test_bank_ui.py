"""The story bank in chromium: filter and sort from disk, and the table without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.loader import load_handbook

from .kit import ROOT

pytestmark = pytest.mark.browser
STORIES = load_handbook(ROOT / "data").folder("stories")


def visible_slugs(page) -> list[str]:
    """Return the slugs of the rows a reader sees, top to bottom."""
    return page.eval_on_selector_all("[data-bank] tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.slug)")


def test_filters_and_sorting_work_from_disk(open_page, site: Path) -> None:
    page, guard = open_page()
    page.goto((site / "bank" / "index.html").as_uri())
    assert page.locator("[data-bank-controls]").is_visible()
    assert page.locator("[data-bank-count]").inner_text() == "All 4 stories"
    page.select_option('[data-bank-filter="owner"]', "ana")
    assert visible_slugs(page) == ["search-indexing", "flaky-ci"]
    assert page.locator("[data-bank-count]").inner_text() == "2 of 4 stories"
    page.select_option('[data-bank-filter="tag"]', "influence")
    assert visible_slugs(page) == ["flaky-ci"]
    page.select_option('[data-bank-filter="owner"]', "")
    page.select_option('[data-bank-filter="tag"]', "failure")
    assert visible_slugs(page) == ["cost-cut"]
    page.select_option('[data-bank-filter="tag"]', "")
    spoken = page.locator('th[data-bank-sort="minutes"] button')
    spoken.click()
    assert visible_slugs(page) == ["partner-api", "search-indexing", "flaky-ci", "cost-cut"]  # 1.2, 2.8, 2.8, 3.4
    assert page.get_attribute('th[data-bank-sort="minutes"]', "aria-sort") == "ascending"
    assert page.get_attribute('th[data-bank-sort="title"]', "aria-sort") is None
    spoken.click()
    assert visible_slugs(page)[0] == "cost-cut"
    assert page.get_attribute('th[data-bank-sort="minutes"]', "aria-sort") == "descending"
    page.locator('th[data-bank-sort="findings"] button').click()
    assert visible_slugs(page)[0] == "search-indexing" and visible_slugs(page)[-1] == "partner-api"
    assert guard.problems() == []


def test_without_javascript_the_whole_table_reads_and_no_dead_controls_show(open_page, site: Path) -> None:
    page, _ = open_page(width=390, java_script_enabled=False)
    page.goto((site / "bank" / "index.html").as_uri())
    assert not page.locator("[data-bank-controls]").is_visible()
    assert page.locator("[data-bank] tbody tr").count() == len(STORIES)
    assert page.locator("[data-bank] tbody tr").first.is_visible()
