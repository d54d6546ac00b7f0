"""`make serve` survives bad data: it keeps the last good pages, shows the problem, and recovers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support import copy_project

from .kit import search_hrefs, start_server
from .test_accessibility import violations

pytestmark = pytest.mark.browser

PROBLEM = "data/stories/flaky-ci.yml:18:14: role.team_size: expected a whole number, got 'three'"


def reload_until(page, condition: str, timeout: float = 60) -> None:
    """Reload the page until the JavaScript `condition` holds (the server rebuilds after each save)."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:  # livereload may reload the page itself at the same moment
            page.reload()
            if page.evaluate(condition):
                return
        except Error:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:.0f} s the page still fails: {condition}")
        page.wait_for_timeout(500)


def test_serve_shows_the_data_problem_on_the_last_good_page_and_recovers(open_page, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    story = project / "data" / "stories" / "flaky-ci.yml"
    good = story.read_text(encoding="utf-8")
    server = start_server(project, tmp_path / "serve.log", livereload=True)
    try:
        page, guard = open_page()
        page.goto(server.url + "bank/stories/flaky-ci.html")
        title = page.locator(".md-content h1").inner_text()
        assert title.startswith("Taming flaky tests in the monorepo CI")
        assert page.locator(".hb-data-problems").count() == 0

        story.write_text(good.replace("team_size: 3", "team_size: three"), encoding="utf-8")
        reload_until(page, "document.querySelector('.hb-data-problems') !== null")
        assert server.alive()
        assert page.locator(".hb-data-problems li").all_inner_texts() == [PROBLEM]
        assert page.locator(".md-content h1").inner_text() == title  # the last good page, still readable
        assert page.locator(".hb-data-problems").get_attribute("role") == "alert"
        assert violations(page) == []
        assert f"{PROBLEM}\nServing the last good data until this is fixed." in server.output()

        story.write_text(good, encoding="utf-8")
        reload_until(page, "document.querySelector('.hb-data-problems') === null")
        assert server.alive()
        assert page.locator(".md-content h1").inner_text() == title
        assert guard.problems() == []
    finally:
        server.stop()


def test_serve_without_last_good_data_stops_with_the_problem(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    story = project / "data" / "stories" / "flaky-ci.yml"
    story.write_text(story.read_text(encoding="utf-8").replace("team_size: 3", "team_size: three"), encoding="utf-8")
    with pytest.raises(RuntimeError) as failed:
        start_server(project, tmp_path / "serve.log", livereload=True).stop()
    assert "make serve exited with 1" in str(failed.value)
    assert PROBLEM in str(failed.value)


BROKEN_LINK = "Doc file 'practice.md' contains a link 'nowhere.md', but the target is not found among documentation files."
MISSING_ANCHOR = (
    "Doc file 'practice.md' contains a link 'approach.md#no-such-anchor', but the doc 'approach.md' "
    "does not contain an anchor '#no-such-anchor'."
)


def test_serve_shows_mkdocs_warnings_in_the_banner_and_recovers(open_page, tmp_path: Path) -> None:
    """A broken link, a missing anchor and a page left out of the nav show on every page, then go when fixed."""
    project = copy_project(tmp_path / "project")
    practice = project / "docs" / "practice.md"
    good = practice.read_text(encoding="utf-8")
    server = start_server(project, tmp_path / "serve.log", livereload=True)
    try:
        page, guard = open_page()
        page.goto(server.url + "approach.html")
        assert page.locator(".hb-build-warnings").count() == 0

        practice.write_text(good + "\n[A broken link](nowhere.md) and [an anchor](approach.md#no-such-anchor)\n", encoding="utf-8")
        (project / "docs" / "orphan.md").write_text("# A page nobody listed\n", encoding="utf-8")
        reload_until(page, "document.querySelectorAll('.hb-build-warnings li').length === 3")
        assert server.alive()
        assert page.locator(".hb-build-warnings li").all_inner_texts() == [
            'The following pages exist in the docs directory, but are not included in the "nav" configuration: - orphan.md',
            BROKEN_LINK,
            MISSING_ANCHOR,
        ]
        assert "make build would fail" in page.locator(".hb-build-warnings").inner_text()
        assert violations(page) == []

        practice.write_text(good, encoding="utf-8")
        (project / "docs" / "orphan.md").unlink()
        reload_until(page, "document.querySelector('.hb-build-warnings') === null")
        assert server.alive()
        assert guard.problems() == []
    finally:
        server.stop()


def test_an_edit_reloads_the_open_story_page_by_itself_and_search_finds_the_new_words(open_page, tmp_path: Path) -> None:
    """What a writer sees: save the YAML, the open page reloads with the change; the bank and search have it too."""
    project = copy_project(tmp_path / "project")
    story = project / "data" / "stories" / "partner-api.yml"
    good = story.read_text(encoding="utf-8")
    server = start_server(project, tmp_path / "serve.log", livereload=True)
    try:
        page, guard = open_page()
        page.goto(server.url + "bank/stories/partner-api.html")
        assert "quokka" not in page.locator(".md-content").inner_text()
        story.write_text(good.replace("headline: Built a", "headline: Built a quokka-friendly", 1), encoding="utf-8")
        page.wait_for_function("document.querySelector('.md-content')?.innerText.includes('quokka-friendly')", timeout=60_000)
        found = search_hrefs(page, "mkdocs", "quokka")
        assert server.url + "bank/stories/partner-api.html?h=quokka" in found, found
        page.goto(server.url + "bank/index.html")
        assert "quokka-friendly" in page.locator(".md-content").inner_text()
        log = server.output()
        assert "Rendered" in log and log.count("Full build") == 1, log[-2000:]  # page by page after the first build
        assert guard.problems() == []
    finally:
        server.stop()
