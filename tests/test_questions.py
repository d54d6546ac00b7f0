"""The question bank (data/questions.yml), its page, and the story matrix built on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, handbook
from htmltext import page_text
from prep_handbook import matrix
from prep_handbook.loader import load_handbook
from prep_handbook.problems import DataError
from prep_handbook.questions import competencies

TOPICS = ("walk-through", "conflict-peer", "failure", "ambiguity", "influence-without-authority", "disagree-manager",
          "prioritisation", "mentoring", "missed-deadline", "hard-technical-decision")


def test_the_bank_holds_at_least_40_questions_tagged_with_the_bank_competencies() -> None:
    assert len(handbook().questions) >= 40
    tags = set(competencies(handbook().template))
    assert all(q["tags"] and set(q["tags"]) <= tags for q in handbook().questions)
    assert {t for q in handbook().questions for t in q["tags"]} == tags  # every competency has questions


def test_the_topics_the_issue_names_are_all_there() -> None:
    assert set(TOPICS) <= {q["id"] for q in handbook().questions}


def test_every_question_links_a_page_that_exists() -> None:
    for q in handbook().questions:
        assert (ROOT / "docs" / q["see"].partition("#")[0]).is_file(), q["id"]


def test_the_walk_through_question_is_the_guides_prompt_in_our_own_words() -> None:
    seed = Path("/work/shared/seed/000_2bb572ff4cf9cb8a.txt")
    (walk,) = [q for q in handbook().questions if q["id"] == "walk-through"]
    assert "two" in walk["question"] and "learned" in walk["question"]
    if seed.is_file():
        assert walk["question"] not in seed.read_text(encoding="utf-8")


def build_lines_after(project: Path, old: str, new: str) -> list[str]:
    """Replace `old` with `new` in the project's questions.yml; return the lines the build fails with."""
    path = project / "data" / "questions.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(project / "data")
    return caught.value.report().splitlines()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    tags: [failure]\n", "    tags: [bravery]\n", "questions[5].tags[0]: must be one of: leadership, conflict, ambiguity, failure, influence, delivery, technical-depth or collaboration; got 'bravery'"),
        ("    see: playbooks/pitfalls.md#no-reflection\n  - id: mistake-production", "    see: playbooks/nowhere.md\n  - id: mistake-production", "questions[5].see: no page docs/playbooks/nowhere.md"),
        ("  - id: mistake-production", "  - id: failure", "questions[6].id: 'failure' is used already at line"),
    ],
    ids=["unknown-tag", "missing-page", "duplicate-id"],
)
def test_a_broken_question_is_named_by_line_and_field(project: Path, old: str, new: str, message: str) -> None:
    (line,) = build_lines_after(project, old, new)
    assert line.startswith("data/questions.yml:") or "/data/questions.yml:" in line
    assert message in line


def test_the_questions_page_lists_every_question_with_a_filter_per_competency(built_site: Path) -> None:
    html = (built_site / "practice" / "questions.html").read_text(encoding="utf-8")
    text = page_text(built_site / "practice" / "questions.html")
    for q in handbook().questions:
        assert f'id="q-{q["id"]}"' in html
    for tag in competencies(handbook().template):
        count = sum(1 for q in handbook().questions if tag in q["tags"])
        assert f'<option value="{tag}">{tag} ({count})</option>' in html
    assert f"All {len(handbook().questions)} questions" in text


# --- the story matrix -------------------------------------------------------------------


def test_the_matrix_names_each_persons_uncovered_competencies() -> None:
    gaps = {m.owner: m.gaps for m in matrix.matrices(handbook())}
    assert gaps == {
        "ana": ["leadership", "conflict", "ambiguity", "failure"],
        "ben": ["leadership", "failure", "influence", "delivery", "technical-depth", "collaboration"],
        "chen": ["conflict", "ambiguity", "influence", "delivery", "technical-depth", "collaboration"],
    }


def test_the_matrix_page_says_no_story_shows_conflict(built_site: Path) -> None:
    text = page_text(built_site / "practice" / "matrix.html")
    ana = text[text.index("ana¶") : text.index("ben¶")]
    assert "No story shows leadership. No story shows conflict. No story shows ambiguity. No story shows failure." in ana
    assert "influence · ✓ 1" in ana


def test_best_stories_share_the_most_competencies_and_passing_ones_come_first() -> None:
    by_owner = {m.owner: m for m in matrix.matrices(handbook())}
    fits = {f.question["id"]: f for f in by_owner["ana"].fits}
    assert [s.slug for s in fits["conflict-peer"].stories] == ["flaky-ci"]
    assert [s.slug for s in fits["walk-through"].stories] == ["search-indexing"]
    assert fits["failure"].stories == [] and fits["failure"].missing == ["failure"]
    assert [s.slug for s in fits["performance"].stories] == ["search-indexing"]


def test_a_failing_story_comes_after_a_passing_one_of_the_same_fit() -> None:
    rows = [r for r in matrix.bank.rows(handbook()) if r.owner == "ana"]
    failing = matrix.bank.Row("weak", "A weak story", "ana", ("delivery", "technical-depth"), "h", 2.5, 1, 0)
    question = {"id": "x", "tags": ["delivery", "technical-depth"]}
    assert [s.slug for s in matrix.best_stories(question, [failing, *rows])] == ["search-indexing", "weak"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    tags: [failure]\n", "    tags: [bravery]\n"),
        ("  - id: mistake-production", "  - id: failure"),
        ("questions:\n", "questions:\n  - oops\n"),
    ],
    ids=["unknown-tag", "duplicate-id", "not-a-record"],
)
def test_check_with_no_arguments_reports_a_broken_question_bank_as_the_build_does(project: Path, old: str, new: str) -> None:
    from click.testing import CliRunner

    from prep_handbook.cli import main

    build_says = build_lines_after(project, old, new)
    result = CliRunner().invoke(main, ["--data", str(project / "data"), "check"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if "questions.yml" in line] == build_says
    files = len(list((project / "data").rglob("*.yml"))) - 2  # every .yml but template.yml and rules.yml
    assert lines[-1] == f"{files} files checked: {len(build_says)} error{'s' if len(build_says) > 1 else ''}, 17 warnings"
