"""The story bank's table in chromium, from disk: the filters narrow it and say how many show, the
column buttons sort both ways and say so, and without JavaScript the whole table reads."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

STORIES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "data" / "stories").glob("*.yml"))
SHOWN = "rows => rows.filter(r => !r.hidden).map(r => r.dataset.slug)"


def shown(page) -> list[str]:
    """Return the slugs of the rows a reader sees, in order."""
    return page.eval_on_selector_all("[data-bank] tbody tr", SHOWN)


def count(page) -> str:
    """Return what the table says about how many stories it shows."""
    return page.locator("[data-bank-count]").inner_text()


def test_filters_narrow_the_table_and_say_how_many_are_shown(open_page, site: Path) -> None:
    page, guard = open_page()
    page.goto((site / "bank" / "index.html").as_uri())
    assert page.locator("[data-bank-controls]").is_visible()
    assert [count(page), shown(page)] == ["All 4 stories", ["cost-cut", "search-indexing", "partner-api", "flaky-ci"]]
    page.select_option('[data-bank-filter="owner"]', "ana")
    assert [count(page), shown(page)] == ["2 of 4 stories", ["search-indexing", "flaky-ci"]]
    page.select_option('[data-bank-filter="tag"]', "influence")
    assert [count(page), shown(page)] == ["1 of 4 stories", ["flaky-ci"]]
    page.select_option('[data-bank-filter="owner"]', "")
    page.select_option('[data-bank-filter="tag"]', "failure")
    assert [count(page), shown(page)] == ["1 of 4 stories", ["cost-cut"]]
    assert guard.problems() == []


def test_column_buttons_sort_both_ways_and_say_so(open_page, site: Path) -> None:
    page, guard = open_page()
    page.goto((site / "bank" / "index.html").as_uri())
    spoken = page.locator('th[data-bank-sort="minutes"] button')
    spoken.click()
    assert page.get_attribute('th[data-bank-sort="minutes"]', "aria-sort") == "ascending"
    assert page.get_attribute('th[data-bank-sort="title"]', "aria-sort") is None
    assert shown(page) == ["partner-api", "search-indexing", "flaky-ci", "cost-cut"]  # 1.2, 2.8, 2.8, 3.4 min
    spoken.click()
    assert page.get_attribute('th[data-bank-sort="minutes"]', "aria-sort") == "descending"
    assert shown(page) == ["cost-cut", "search-indexing", "flaky-ci", "partner-api"]
    page.locator('th[data-bank-sort="findings"] button').click()
    rows = shown(page)
    assert rows[0] == "search-indexing" and rows[-1] == "partner-api"
    assert guard.problems() == []


def test_without_javascript_the_whole_table_reads_and_no_dead_controls_show(open_page, site: Path) -> None:
    page, guard = open_page(width=390, java_script_enabled=False)
    page.goto((site / "bank" / "index.html").as_uri())
    assert not page.locator("[data-bank-controls]").is_visible()
    assert page.locator("[data-bank] tbody tr:visible").count() == len(STORIES)
    assert guard.problems() == []
