"""The story builder coaches and takes hostile input calmly.

Coaching (issue 12): a fresh form shows no error; a field's notes appear once the writer leaves it;
"Check everything" shows the rest. Hostile input (issue 14): an alias bomb, a 5 MB file and deep
nesting are refused on import with a message, and the saved draft stays byte for byte what it was;
a draft too large or malformed to load is set aside and the page still opens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from prep_handbook.paths import DATA_DIR
from prep_handbook.tools import STORAGE_KEY

from .kit import BIN, ROOT

pytestmark = pytest.mark.browser

CORPUS = ROOT / "tests" / "fixtures" / "hostile-input"
OK_STORY = ROOT / "tests" / "fixtures" / "broken" / "ok-control.yml"
ASIDE_KEY = STORAGE_KEY + ".set-aside"
HEADLINE = "Cut p99 latency of the checkout API from 620 ms to 290 ms for 1.5k RPS"


def open_builder(open_page, site: Path, **options):
    page, guard = open_page(**options)
    page.goto((site / "tools" / "builder.html").as_uri())
    page.wait_for_function("() => window.HandbookBuilder !== undefined")
    return page, guard


def settle(page) -> None:
    """Let the builder catch up with the last keystroke."""
    page.evaluate("() => window.HandbookBuilder.update(false)")


def draft(page) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY)


def findings_beside(page) -> list[str]:
    """Notes shown in the form, each with the field (data-field path) it sits in."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#hb-form .hb-finding')].map(li =>
            li.closest('[data-field]').dataset.field + ': ' + li.textContent)"""
    )


# --------------------------------------------------------------------------- coaching


def test_a_fresh_builder_shows_no_error_and_no_duration(open_page, site: Path) -> None:
    page, guard = open_builder(open_page, site)
    assert findings_beside(page) == []
    assert page.locator("#hb-summary-list > li").count() == 0
    assert page.locator("#hb-summary-count").inner_text().startswith("Start writing:")
    assert page.locator("#hb-duration").is_hidden()
    assert page.locator("#hb-form [aria-invalid]").count() == 0
    assert page.locator("#hb-builder").get_attribute("data-errors") == "0"
    assert guard.problems() == []


def test_typing_shows_nothing_until_the_field_is_left_then_only_its_notes(open_page, site: Path) -> None:
    page, guard = open_builder(open_page, site)
    headline = page.locator("#hb-f-headline")
    headline.fill(HEADLINE)
    settle(page)
    assert findings_beside(page) == [], "no note while the writer is still in the field"
    assert page.locator("#hb-duration").inner_text().startswith("About 0.1 min to say at 150 words a minute")

    headline.press("Tab")
    page.wait_for_function("() => document.querySelectorAll('#hb-summary-list > li').length > 0")
    beside = findings_beside(page)
    assert beside and all(note.startswith("headline: ") for note in beside), beside
    summary = page.locator("#hb-summary-list > li").all_inner_texts()
    assert summary and all(line.startswith("headline: ") for line in summary), summary
    assert page.locator("#hb-summary-count").inner_text().endswith(" in the fields you have filled")
    assert "Check everything" in page.locator("#hb-check-all-note").inner_text()

    page.locator("#hb-check-all").click()
    summary = page.locator("#hb-summary-list > li").all_inner_texts()
    assert "title: field required" in summary and "owner: field required" in summary
    assert int(page.locator("#hb-builder").get_attribute("data-errors")) > 0
    assert page.locator("#hb-builder").get_attribute("data-waiting") == "0"
    assert page.locator("#hb-check-all-note").inner_text() == ""
    assert guard.problems() == []


# --------------------------------------------------------------------------- hostile imports


@pytest.fixture
def with_draft(open_page, site: Path):
    """A builder whose saved draft holds a title and a headline; returns (page, guard, the draft's bytes)."""
    page, guard = open_builder(open_page, site)
    page.locator("#hb-f-title").fill("A draft worth keeping")
    page.locator("#hb-f-headline").fill(HEADLINE)
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('1.5k RPS')", arg=STORAGE_KEY)
    saved = draft(page)
    assert json.loads(saved)["data"] == {"title": "A draft worth keeping", "headline": HEADLINE}
    return page, guard, saved


def refused(page, saved: str, expected: str) -> None:
    """The import was refused with `expected` in its message; the form and the draft are as they were."""
    status = page.locator("#hb-load-status")
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent !== ''")
    assert expected in status.inner_text(), status.inner_text()
    assert status.inner_text().endswith("The form and your saved draft are unchanged.")
    assert status.get_attribute("data-state") == "error"
    # The next keystroke saves the form, which is still the old one: never half old, half new.
    page.locator("#hb-f-title").fill("A draft worth keeping, still")
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('keeping, still')", arg=STORAGE_KEY)
    assert json.loads(draft(page))["data"] == {"title": "A draft worth keeping, still", "headline": HEADLINE}


def test_an_alias_bomb_file_is_refused_and_the_draft_is_untouched(with_draft) -> None:
    page, guard, saved = with_draft
    page.locator("#hb-load-file").set_input_files(str(CORPUS / "billion-laughs.yml"))
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent !== ''")
    assert draft(page) == saved
    assert page.locator("#hb-f-title").input_value() == "A draft worth keeping"
    refused(page, saved, "billion-laughs.yml uses an alias (*name) to repeat a value; stories do not use anchors or aliases: write the value out (line 2, column 9).")
    assert guard.problems() == []


def test_a_pasted_alias_bomb_is_refused_too(with_draft) -> None:
    page, guard, saved = with_draft
    page.locator("#hb-load-text").fill((CORPUS / "billion-laughs.yml").read_text(encoding="utf-8"))
    page.locator("#hb-load-button").click()
    assert draft(page) == saved
    refused(page, saved, "the pasted text uses an alias (*name)")
    assert guard.problems() == []


def test_a_five_megabyte_file_is_refused_before_it_is_read(with_draft) -> None:
    page, guard, saved = with_draft
    big = b"title: " + b"x" * (5_000_000 - 8) + b"\n"
    page.locator("#hb-load-file").set_input_files({"name": "huge.yml", "mimeType": "text/yaml", "buffer": big})
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent !== ''")
    assert draft(page) == saved
    refused(page, saved, "huge.yml is 5,000,000 bytes; a story may be at most 1,000,000.")
    assert guard.problems() == []


def test_a_five_megabyte_paste_is_refused(with_draft) -> None:
    page, guard, saved = with_draft
    page.evaluate("() => { document.getElementById('hb-load-text').value = 'title: ' + 'x'.repeat(4999993); }")
    page.locator("#hb-load-button").click()
    assert draft(page) == saved
    refused(page, saved, "the pasted text is 5,000,000 characters; a story may be at most 1,000,000.")
    assert guard.problems() == []


def test_deep_nesting_is_refused(with_draft) -> None:
    page, guard, saved = with_draft
    page.locator("#hb-load-file").set_input_files(str(CORPUS / "nesting-10000.yml"))
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent !== ''")
    assert draft(page) == saved
    refused(page, saved, "nesting-10000.yml nests deeper than 32 levels; a story needs far fewer (line 1, column 39).")
    assert guard.problems() == []


def test_a_list_too_long_for_the_form_is_refused(with_draft) -> None:
    page, guard, saved = with_draft
    page.evaluate("() => { document.getElementById('hb-load-text').value = 'title: x\\nconstraints:\\n' + '  - a\\n'.repeat(10000); }")
    page.locator("#hb-load-button").click()
    assert draft(page) == saved
    refused(page, saved, "the pasted text is too large for the builder: it holds a list of 10,000 items, more than the 200 a list may hold.")
    assert guard.problems() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\nunit: %\n", 'the pasted text has a value that cannot start with \'%\'; put it in quotes: unit: "%"'),
        ("title: x\nwhy: Retries hide bugs: they cost time\n", "the pasted text has a text holding ': ', which YAML reads as a new key; put the text in quotes (why: \"Retries hide bugs: they cost time\")"),
    ],
    ids=["percent", "second-colon"],
)
def test_the_yaml_mistakes_writers_make_say_what_to_do(with_draft, text: str, expected: str) -> None:
    page, guard, saved = with_draft
    page.locator("#hb-load-text").fill(text)
    page.locator("#hb-load-button").click()
    refused(page, saved, expected)
    assert guard.problems() == []


def test_plain_values_are_kept_as_typed_and_the_yaml_passes_handbook_check(open_page, site: Path, tmp_path: Path) -> None:
    text = OK_STORY.read_text(encoding="utf-8").replace("  success_criteria:", "  timeline: 2:30\n  success_criteria:")
    text = text.replace("    unit: h\n", "    unit: on\n")
    page, guard = open_builder(open_page, site)
    page.locator("#hb-load-text").fill(text)
    page.locator("#hb-load-button").click()
    assert page.locator("#hb-load-status").inner_text() == "Loaded Faster nightly reports from the pasted text."
    timeline = page.locator("[data-field='objective'] [data-field='timeline'] [data-input]")
    assert timeline.input_value() == "2:30"
    settle(page)
    out = page.locator("#hb-out-yaml").inner_text()
    story = yaml.safe_load(out)
    assert story["objective"]["timeline"] == "2:30" and story["outcomes"][0]["unit"] == "on"
    assert story["outcomes"][0]["baseline"] == 6  # numbers still numbers

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("stories"))
    (data / "stories").mkdir()
    saved = data / "stories" / "faster-nightly-reports.yml"
    saved.write_text(out, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run([str(BIN / "handbook"), "--data", str(data), "check", str(saved)], capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    # A loaded story was written already: its filled fields show their notes at once.
    assert page.locator("#hb-summary-count").inner_text() != "" and not page.locator("#hb-summary-count").inner_text().startswith("Start writing")
    assert guard.problems() == []


# --------------------------------------------------------------------------- drafts that cannot be loaded


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (json.dumps({"version": 1, "data": {"title": "x", "constraints": ["a"] * 10_000}}), "it holds a list of 10,000 items, more than the 200 a list may hold"),
        ('{"version": 1, "data": {"title": "cut off', "it is not valid JSON"),
        (json.dumps({"version": 1, "data": {"title": "x" * 1_100_000}}), "it is 1,100,037 characters, more than the 1,000,000 a draft may hold"),
    ],
    ids=["ten-thousand-items", "malformed", "too-large"],
)
def test_a_draft_that_cannot_be_loaded_is_set_aside_and_the_page_opens(open_page, site: Path, raw: str, why: str) -> None:
    page, guard = open_builder(open_page, site)
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [STORAGE_KEY, raw])
    page.reload()
    page.wait_for_function("() => window.HandbookBuilder !== undefined")
    note = page.locator("#hb-saved").inner_text()
    assert note == f"Your saved draft was not loaded: {why}. It is kept aside in this browser (localStorage key {ASIDE_KEY}); the form starts empty."
    assert page.evaluate("key => localStorage.getItem(key)", ASIDE_KEY) == raw
    assert draft(page) is None
    assert page.locator("#hb-f-title").input_value() == ""
    page.locator("#hb-f-title").fill("A new story")
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('A new story')", arg=STORAGE_KEY)
    assert page.evaluate("key => localStorage.getItem(key)", ASIDE_KEY) == raw, "the set-aside draft is never overwritten"
    assert guard.problems() == []
