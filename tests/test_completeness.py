"""Every rendering of a story shows all of it: page, print card, Markdown export, whole handbook.

The test walks each story and worked example in `data/` and looks for every value it holds
(each outcome's metric, kind, numbers, change, confidence and note; each decision field;
each lesson; each follow-up question and reply) in the reader's text of each rendering, so
no renderer can drop a field unnoticed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import markdown
import pytest

from prep_handbook import figures, pages, printing
from prep_handbook.loader import Entry
from support import entry_ids, handbook

# Keys that are bookkeeping rather than story: `playbooks` lists the hypotheticals an owner has
# rehearsed, and the readiness page (not the story) shows it.
NOT_STORY = {"playbooks"}
EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.escapeall", "pymdownx.superfences"]
CONFIG = {"pymdownx.escapeall": {"hardbreak": False, "nbsp": False}}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")


def reader_text(md: str) -> str:
    """Return what a reader sees of rendered Markdown: its text, whitespace folded."""
    parser = _Text()
    parser.feed(markdown.markdown(md, extensions=EXTENSIONS, extension_configs=CONFIG))
    return " ".join(html.unescape("".join(parser.parts)).split())


def values(value, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every scalar in a story value, numbers as the pages print them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from values(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from values(item, f"{where}[{i}]")
    elif isinstance(value, bool):
        yield where, str(value)
    elif isinstance(value, float):
        yield where, f"{value:g}"
    else:
        yield where, " ".join(str(value).split())


def story_values(entry: Entry) -> list[tuple[str, str]]:
    """Return every value of a story that a reader must find, with its field path.

    An outcome's baseline, outcome and unit are found as the formatter writes them together.
    """
    found = [f for key, value in entry.data.items() if key not in NOT_STORY for f in values(value, key)]
    # An outcome's numbers and unit are written together by the one formatter ($184k/month →
    # $114k/month), so that string is what a reader must find; a unit with no numbers is said
    # in the stated change (+$3.2k/month).
    figures_of = {}
    for i, o in enumerate(entry.data.get("outcomes", [])):
        for key in ("baseline", "outcome", "unit"):
            figures_of[f"outcomes[{i}].{key}"] = figures.outcome_figures(o) or None
    kept = [(where, figures_of.get(where, value)) for where, value in found]
    return list(dict.fromkeys((where.rsplit(".", 1)[0] + ".figures" if where in figures_of else where, value) for where, value in kept if value))


def renderings(entry: Entry) -> dict[str, str]:
    """Return the reader's text of each rendering of a story."""
    part = f"{'example' if entry.folder == 'projects' else 'story'}-{entry.slug}"
    whole = {p["slug"]: p["markdown"] for p in printing.handbook_parts(handbook(), "print/handbook.md")}
    return {
        "page": reader_text(pages.story_page(entry, handbook(), "examples/x.md")),
        "card": reader_text(printing.story_card(entry, handbook())),
        "markdown export": " ".join(pages.story_markdown(entry.data, handbook()).split()),
        "whole handbook": reader_text(whole[part]),
    }


CASES = [(entry, name) for entry in entry_ids("projects", "stories") for name in ("page", "card", "markdown export", "whole handbook")]


@pytest.mark.parametrize(("entry", "rendering"), CASES, ids=[f"{e}:{n}" for e, n in CASES], indirect=["entry"])
def test_every_value_of_the_story_is_in_the_rendering(entry: Entry, rendering: str) -> None:
    text = renderings(entry)[rendering]
    missing = [f"{where}: {value!r}" for where, value in story_values(entry) if value not in text]
    assert missing == [], f"{rendering} of {entry.shown} drops:\n" + "\n".join(missing)


def test_the_recommendations_card_keeps_the_notes_of_outcomes_without_numbers() -> None:
    text = reader_text(printing.story_card(handbook().get("projects", "recommendations"), handbook()))
    assert "Session length, complaint rate, latency: No regressions · guardrail" in text
    assert "Infra cost: +$3.2k/month · Within the +$5k/month budget · business" in text
    assert "Online features for recency boosts: Enabled as a follow-up · follow-up" in text


def test_a_dropped_field_is_caught() -> None:
    """The walk finds a value a renderer leaves out (the card before outcome notes were printed)."""
    entry = handbook().get("projects", "recommendations")
    card = reader_text(printing.story_card(entry, handbook()))
    without_notes = re.sub(r"No regressions|Within the \+\$5k/month budget|Enabled as a follow-up", "", card)
    missing = [where for where, value in story_values(entry) if value not in without_notes]
    assert missing == ["outcomes[1].note", "outcomes[2].note", "outcomes[3].note"]


@pytest.mark.parametrize("entry", entry_ids("projects"), indirect=True)
def test_each_worked_example_carries_at_least_five_follow_ups(entry: Entry) -> None:
    follow_ups = entry.data.get("follow_ups", [])
    assert len(follow_ups) >= 5
    text = reader_text(pages.story_page(entry, handbook(), "examples/x.md"))
    assert "Follow-up questions" in text
    for q in follow_ups:
        assert f"{q['question']} {' '.join(q['reply'].split())}" in text
