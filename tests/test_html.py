"""Built pages show what the data says: every section, prompt, figure and list entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from htmltext import headings, numbers_in, page_text
from support import entry_ids, handbook


@pytest.mark.parametrize("entry", entry_ids("projects"), indirect=True)
def test_example_page_has_every_section_and_number(built_site: Path, entry) -> None:
    page = built_site / "examples" / f"{entry.slug}.html"
    text = page_text(page)
    titles = [t for tag, t in headings(page) if tag == "h2"]
    expected = [s.label for s in handbook().template.story.sections if s.key != "headline" and s.key in entry.data]
    assert titles[: len(expected)] == expected
    assert entry.data["headline"] in text
    for number in numbers_in(entry.data):
        assert number in text, f"{number} from {entry.shown} is not on the page"


@pytest.mark.parametrize("entry", entry_ids("projects"), indirect=True)
def test_example_page_turns_each_checker_note_into_coaching(built_site: Path, entry) -> None:
    text = page_text(built_site / "examples" / f"{entry.slug}.html")
    assert f"{len(entry.findings)} notes to carry into your own story" in text
    for finding in entry.findings:
        assert finding.message[1:] in text and finding.hint in text
        assert finding.rule not in text and f"line {finding.line}" not in text
    assert "Why the example keeps it: The answer guide gives these figures as changes only, without the numbers before and after" in text


def test_a_bank_story_page_keeps_line_field_and_rule_for_its_author(built_site: Path) -> None:
    entry = handbook().get("stories", "flaky-ci")
    text = page_text(built_site / "bank" / "stories" / "flaky-ci.html")
    finding = next(f for f in entry.findings if f.rule == "baseline-outcome")
    assert f"line {finding.line}, {finding.field} · {finding.rule}" in text


def test_template_page_has_every_section_field_and_prompt(built_site: Path) -> None:
    text = page_text(built_site / "template.html")
    titles = [t for tag, t in headings(built_site / "template.html") if tag == "h2"]
    assert titles[: len(handbook().template.story.sections)] == [s.label for s in handbook().template.story.sections]
    for section in handbook().template.story.sections:
        assert " ".join(section.prompt.split()) in text
        for field in section.fields:
            assert field.label in text and " ".join(field.prompt.split()) in text
    for field in handbook().template.story.meta:
        assert " ".join(field.prompt.split()) in text


def test_template_page_offers_copy_and_downloads(built_site: Path) -> None:
    html = (built_site / "template.html").read_text(encoding="utf-8")
    assert 'download="story-template.md"' in html and 'download="story-template.yml"' in html
    assert '<div class="hb-template-markdown highlight">' in html
    assert "## Decisions and trade-offs" in html


@pytest.mark.parametrize("entry", entry_ids("hypotheticals"), indirect=True)
def test_hypothetical_page_has_every_step_and_list(built_site: Path, entry) -> None:
    text = page_text(built_site / "hypotheticals" / f"{entry.slug}.html")
    for step in entry.data.get("steps", []):
        assert step["step"] in text
        for detail in step.get("details", []):
            assert detail in text
    for key in ("framing", "method", "guardrails", "stakeholder_management", "risk_mitigation", "measuring_success"):
        for item in entry.data.get(key, []):
            assert item in text


def test_expected_value_table_computes_the_guides_figures(built_site: Path) -> None:
    text = page_text(built_site / "hypotheticals" / "incomplete-data.html")
    assert "EV = 0.6 × 1.0 − 0.4 × 0 = 0.6 pp over 2 weeks" in text
    assert "EV = 0.9 × 0.6 − 0.1 × 0 = 0.54 pp over 1 week" in text
    assert "| A |" not in text
    assert "A 1.0 pp 0.6 0 2 0.6 pp 0.30 pp/week" in text
    assert "B 0.6 pp 0.9 0 1 0.54 pp 0.54 pp/week" in text
    assert "Order by EV per week: B (0.54 pp/week) → A (0.30 pp/week). Pick B first, then reassess." in text


@pytest.mark.parametrize("entry", entry_ids("playbooks"), indirect=True)
def test_playbook_page_lists_every_item(built_site: Path, entry) -> None:
    page = built_site / ("approach.html" if entry.slug == "approach" else "practice.html" if entry.slug == "practice" else f"playbooks/{entry.slug}.html")
    text = page_text(page)
    assert entry.data["title"] in text
    for item in entry.data["items"]:
        assert item["text"] in text
        assert f'id="{item["id"]}"' in page.read_text(encoding="utf-8")


def test_pitfalls_say_the_checker_looks_for_them_in_plain_words(built_site: Path) -> None:
    text = page_text(built_site / "playbooks" / "pitfalls.html")
    assert "No numbers, or vague impact. The story checker looks for this." in text
    assert "quantified-impact" not in text


def test_timing_comes_from_the_speaking_targets(built_site: Path) -> None:
    text = page_text(built_site / "approach.html")
    assert "Spend about 2–3 minutes on each project, and keep about 5–7 minutes for the hypotheticals." in text
    assert "300–450 words" in text


def test_template_page_shows_each_field_table_as_a_table(built_site: Path) -> None:
    html = (built_site / "template.html").read_text(encoding="utf-8")
    with_fields = [s for s in handbook().template.story.sections if s.fields]
    # the overview, one table per section with fields, and the story-bank keys
    assert html.count("<table") == 1 + len(with_fields) + 1
    assert "| Field | Key |" not in html
