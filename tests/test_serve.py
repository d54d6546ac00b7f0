"""`make serve` renders only what an edit touches, and the result is the site a full build makes.

The server (`devtools/serve.py`) is driven in-process here, with the change a save reports, so
each test sees exactly which pages were rendered again; tests/browser/test_serve.py runs the
real `make serve` command with its watcher and a browser.
"""

from __future__ import annotations

import filecmp
import os
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from devtools import serve
from devtools.serve import Site, Update, _ignored
from support import copy_project, free_port

STORY = "partner-api"  # ben's prep kit chooses it, so the readiness page shows how long it is
HEADLINE = "Built a self-serve onboarding API that cut partner onboarding from 21 days to 6"
NEW_HEADLINE = "Built a self-serve onboarding API that took partner onboarding from 21 days to 6"
LONGER = "  - I wrote the design and I got security sign-off\n"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Site]:
    """A project copy, served: its first full build done."""
    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    project = copy_project(tmp_path / "project")
    site = Site(str(project / "mkdocs.yml"), str(tmp_path / "served"))
    assert site.full_build().full
    return project, site


def edit_story(project: Path) -> Path:
    """Give the story a new headline and a longer execution (its spoken length changes)."""
    path = project / "data" / "stories" / f"{STORY}.yml"
    text = path.read_text(encoding="utf-8")
    assert HEADLINE in text and LONGER in text
    more = LONGER + "  - I paired with sales engineering on the two partners' custom data and we mapped every field to the extension block\n" * 6
    path.write_text(text.replace(HEADLINE, NEW_HEADLINE).replace(LONGER, more), encoding="utf-8")
    return path


def page(site: Site, path: str) -> str:
    return (Path(site.site_dir) / path).read_text(encoding="utf-8")


def differing(left: Path, right: Path) -> list[str]:
    """Return the files that differ between two site folders (or are only in one), relative paths."""
    names = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    others = {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    return sorted((names ^ others) | {n for n in names & others if not filecmp.cmp(left / n, right / n, shallow=False)})


def test_an_edited_story_renders_its_page_the_bank_pages_and_search_and_nothing_else(served) -> None:
    project, site = served
    untouched = Path(site.site_dir) / "opener.html"
    stamp = untouched.stat().st_mtime_ns
    readiness_before = page(site, "bank/readiness.html")

    update = site.update({str(edit_story(project))})

    assert not update.full, update.describe()
    assert {"bank/stories/partner-api.md", "bank/index.md", "bank/readiness.md"} <= set(update.pages)
    assert NEW_HEADLINE in page(site, "bank/stories/partner-api.html")
    assert NEW_HEADLINE in page(site, "bank/index.html")
    assert NEW_HEADLINE in page(site, "search/search_index.json")
    assert NEW_HEADLINE in page(site, "search/search_index.js")  # the offline plugin's copy, for file://
    assert HEADLINE not in page(site, "search/search_index.json")
    assert page(site, "bank/readiness.html") != readiness_before  # it shows how long the chosen story takes
    assert untouched.stat().st_mtime_ns == stamp  # a page the edit does not touch is not written again
    assert len(update.pages) + len(update.later) < 12, update.describe()


def test_after_page_by_page_updates_the_site_is_the_one_a_full_build_makes(served, tmp_path: Path) -> None:
    project, site = served
    edit_story(project)
    practice = project / "docs" / "practice.md"
    practice.write_text(practice.read_text(encoding="utf-8") + "\nOne more line to practise with.\n", encoding="utf-8")
    update = site.update({str(project / "data" / "stories" / f"{STORY}.yml"), str(practice)})
    assert not update.full, update.describe()
    assert "practice.md" in update.pages

    site.render_pending()  # what a browser asking for every page would get rendered
    fresh = Site(str(project / "mkdocs.yml"), str(tmp_path / "fresh"))
    fresh.full_build()
    assert differing(Path(site.site_dir), Path(fresh.site_dir)) == []


def test_the_bank_pages_come_before_browsers_reload_and_the_print_pages_after(served) -> None:
    project, site = served
    seen: dict[str, str] = {}

    def publish() -> None:  # browsers reload now: what do they get?
        seen["story"] = page(site, "bank/stories/partner-api.html")
        seen["index"] = page(site, "bank/index.html")
        seen["print"] = page(site, "print/handbook.html")

    update = site.update({str(edit_story(project))}, publish=publish)
    assert NEW_HEADLINE in seen["story"] and NEW_HEADLINE in seen["index"]
    assert NEW_HEADLINE not in seen["print"]  # the whole-handbook print page follows ...
    assert "print/handbook.md" in update.later
    assert NEW_HEADLINE in page(site, "print/handbook.html")  # ... in the same update


def test_a_waiting_save_defers_the_rest_to_the_next_update(served) -> None:
    project, site = served
    story = edit_story(project)
    update = site.update({str(story)}, interrupted=lambda: True)
    assert update.later == [] and "print/handbook.md" in site.pending
    assert NEW_HEADLINE not in page(site, "print/handbook.html")
    update = site.update(set())
    assert "print/handbook.md" in update.later and not site.pending
    assert NEW_HEADLINE in page(site, "print/handbook.html")


def get_when_listening(url: str, timeout: float = 30) -> str:
    """GET `url` once the server listens (it binds in its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback only
                return response.read().decode("utf-8")
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def running(site: Site):
    """Serve `site` as make serve does (without watching) on a free port; yield the server and its URL once it answers."""
    port = free_port()
    server = serve.make_server(site, "127.0.0.1", port, livereload=False)
    threading.Thread(target=server.serve, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        get_when_listening(url + "opener.html")
        yield server, url
    finally:
        server.shutdown()


def test_a_slow_page_is_rendered_when_a_browser_asks_for_it_not_after_each_save(served, monkeypatch) -> None:
    project, site = served
    monkeypatch.setattr(serve, "LAZY_PAGE", 0.0)  # every page after the reload counts as slow here
    update = site.update({str(edit_story(project))})
    assert "print/handbook.md" in update.waiting and "print/handbook.md" not in update.later
    assert NEW_HEADLINE not in page(site, "print/handbook.html")  # no save waits behind it ...

    with running(site) as (_, url):
        served_page = get_when_listening(url + "print/handbook.html")
    assert NEW_HEADLINE in served_page  # ... and the browser that asks for it gets it current
    assert "print/handbook.md" not in site.pending
    assert NEW_HEADLINE in page(site, "search/search_index.json")


def test_a_current_page_is_served_while_an_update_holds_the_site(served) -> None:
    """Pages rendered after the reload must not hold up the pages already current (the story, the bank)."""
    _, site = served
    with running(site) as (_, url), site.lock:  # as an update holds it while it writes the pages that follow the reload
        with urllib.request.urlopen(url + "bank/index.html", timeout=5) as response:  # noqa: S310 - loopback only
            assert response.status == 200


def test_while_files_are_rewritten_requests_wait_and_browsers_are_not_told_to_reload(served) -> None:
    """After the reload, pages and the search index are rewritten in place: no request may read half a file."""
    _, site = served
    with running(site) as (server, url):
        epoch, got = server._visible_epoch, {}
        reader = threading.Thread(target=lambda: got.update(text=get_when_listening(url + "search/search_index.json")))
        with site.writing():
            reader.start()
            reader.join(1.0)
            assert reader.is_alive()  # held while files are written
        reader.join(30)
        assert not reader.is_alive() and got["text"].startswith("{")
        assert server._visible_epoch == epoch  # nothing new for browsers to reload


@pytest.mark.parametrize(
    ("path", "text", "reason"),
    [
        ("overrides/main.html", lambda old: old + "\n", "overrides/main.html changed"),
        ("data/stories/new-one.yml", None, "a file under docs/ was added or removed"),
        ("docs/orphan.md", lambda old: "# Orphan\n", "a file under docs/ was added or removed"),
        ("docs/opener.md", lambda old: old.replace("\n# The opener: your resume in a minute or so\n", "\n# A new opener title\n"), "the title of opener.md changed"),
    ],
    ids=["theme", "new-story", "new-page", "nav-title"],
)
def test_what_a_page_by_page_update_cannot_get_right_gets_a_full_build(served, monkeypatch, path, text, reason) -> None:
    project, site = served
    monkeypatch.chdir(project)
    target = project / path
    if text is None:  # a copy of a story: a new page
        target.write_text((project / "data" / "stories" / f"{STORY}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    else:
        target.write_text(text(target.read_text(encoding="utf-8") if target.exists() else ""), encoding="utf-8")
    update = site.update({str(target)})
    assert update.full and update.reason == reason, update.describe()


def test_bad_data_shows_its_banner_on_every_page_and_fixing_it_clears_every_page(served) -> None:
    project, site = served
    story = project / "data" / "stories" / "flaky-ci.yml"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("team_size: 3", "team_size: three"), encoding="utf-8")
    update = site.update({str(story)})
    assert update.full and update.reason == "the data has problems"
    for path in ("opener.html", "bank/index.html", "bank/stories/flaky-ci.html"):
        assert "hb-data-problems" in page(site, path), path
    story.write_text(good, encoding="utf-8")
    update = site.update({str(story)})
    assert update.full and update.reason == "the last build showed problems"
    assert all("hb-data-problems" not in page(site, p) for p in ("opener.html", "bank/index.html"))
    assert not site.update({str(story)}).full  # clean again: page by page


def test_what_the_watcher_reports_ignores_the_build_s_own_files(tmp_path: Path) -> None:
    generated = (str(tmp_path / "docs" / "bank" / "stories") + os.sep,)
    assert _ignored(str(tmp_path / "docs" / "bank" / "stories" / "x.md"), generated)
    assert _ignored(str(tmp_path / "prep_handbook" / "__pycache__" / "bank.cpython-311.pyc"), generated)
    assert _ignored(str(tmp_path / "data" / "stories" / ".x.yml.swp"), generated)
    assert not _ignored(str(tmp_path / "data" / "stories" / "x.yml"), generated)
    assert not _ignored(str(tmp_path / "docs" / "bank" / "index.md"), generated)


def test_the_log_line_says_what_was_rendered() -> None:
    assert Update(True, seconds=1.234, reason="mkdocs.yml changed").describe() == "Full build in 1.23 s (mkdocs.yml changed)"
    line = Update(False, ["bank/index.md", "bank/stories/x.md"], 0.31, later=["practice/matrix.md"], later_seconds=0.5, waiting=["print/handbook.md"]).describe()
    assert line == ("Rendered 2 page(s) again in 0.31 s: bank/index.md, bank/stories/x.md; then 1 more page(s) by 0.50 s: practice/matrix.md;"
                    " when asked for: print/handbook.md")
