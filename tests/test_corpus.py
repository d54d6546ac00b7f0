"""The checker against a coach, on real published answers (tests/corpus/real/).

Each answer was transcribed into the story format with its source address, and a coach's
verdict per rule was written before any rule ran on it (tests/corpus/real/verdicts.yml).
This test holds the targets; `python -m tests.corpus.report` (or `pytest -s` here) prints
the per-rule table.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.corpus.report import REAL, Answer, answers, judged_rules, scores, table_text
from support import rules


@pytest.fixture(scope="module")
def corpus() -> list[Answer]:
    """Every real answer, checked."""
    return answers(rules())


def test_the_corpus_holds_at_least_twenty_real_answers_each_with_its_source_and_verdict(corpus: list[Answer]) -> None:
    assert len(corpus) >= 20
    verdicts = yaml.safe_load((REAL / "verdicts.yml").read_text(encoding="utf-8"))
    assert sorted(verdicts) == sorted(a.slug for a in corpus)
    for answer in corpus:
        head = (REAL / f"{answer.slug}.yml").read_text(encoding="utf-8").split("\ntitle:")[0]
        assert re.search(r"^# Source: https?://\S+$", head, re.M), answer.slug
        assert "# Transcription notes:" in head, answer.slug
        assert answer.rating in ("strong", "average", "weak"), answer.slug
        assert answer.flags <= set(judged_rules(rules())), answer.slug
    assert {a.rating for a in corpus} == {"strong", "average", "weak"}


def test_precision_and_recall_against_the_coach(corpus: list[Answer]) -> None:
    print("\n" + table_text(corpus, judged_rules(rules())))
    overall = scores(corpus, judged_rules(rules()))["overall"]
    assert overall.precision >= 0.85
    assert overall.recall >= 0.85


def test_strong_answers_pass_with_no_errors(corpus: list[Answer]) -> None:
    strong = [a for a in corpus if a.rating == "strong"]
    assert strong
    assert {a.slug: [f.rule for f in a.errors] for a in strong if a.errors} == {}


def test_every_weak_answer_gets_at_least_one_finding(corpus: list[Answer]) -> None:
    weak = [a for a in corpus if a.rating == "weak"]
    assert weak
    assert [a.slug for a in weak if not a.findings] == []


def test_the_scores_count_agreements_and_disagreements() -> None:
    coach_only = Answer("a", {}, "weak", {"team"})
    both = Answer("b", {}, "weak", {"team"})
    checker_only = Answer("c", {}, "weak", set())
    from prep_handbook.rules import Finding

    both.findings = [Finding("team", "warning", ("role",), "m", "h", "s")]
    checker_only.findings = [Finding("team", "warning", ("role",), "m", "h", "s")]
    s = scores([coach_only, both, checker_only], ["team"])["team"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert (s.precision, s.recall) == (0.5, 0.5)


def test_the_quality_gates_page_shows_the_current_table(corpus: list[Answer]) -> None:
    """The table on docs/quality-gates.md is the one the corpus gives today."""
    page = (REAL.parent.parent.parent / "docs" / "quality-gates.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- corpus-table:[^\n]*-->\n(.*?)\n<!-- /corpus-table -->", page, re.S)
    assert shown, "docs/quality-gates.md has no corpus table"
    assert shown[1] == table_text(corpus, judged_rules(rules())), "regenerate it: python -m tests.corpus.report"
