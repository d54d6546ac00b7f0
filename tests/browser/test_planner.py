"""The practice pages in a browser, from disk: the loop planner, the rehearsal log, the question
filter, and kit text shown as typed. Screenshots go to /work/notes/shots/ when that folder exists."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from support import copy_project, mkdocs_build
from prep_handbook import readiness
from prep_handbook.loader import load_handbook

from .kit import BIN
from .test_hostile import INJECTED, squash

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes/shots")
TODAY = "2026-11-27"
HOSTILE_OWNER = '<img src=x onerror="window.__pwned=1">Zoë'
HOSTILE_KIT = {
    "owner": HOSTILE_OWNER,
    "target": {"role": "[staff](javascript:alert(1))", "company": "{{ config }} {% include 'x' %}"},
    "guardrails": ["<script>window.__pwned = 'guardrail'</script>Flags", "**not bold** _not em_ `not code`", "--8<-- \"/etc/passwd\""],
}


def shot(page, name: str) -> None:
    """Save a screenshot of the page for the notes, when the notes folder is there."""
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"kits-{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the project where ana has four stories and a kit of hostile text exists; built strictly."""
    tmp = tmp_path_factory.mktemp("practice")
    project = copy_project(tmp / "project")
    stories = project / "data" / "stories"
    mentor = (stories / "flaky-ci.yml").read_text(encoding="utf-8").replace("tags: [influence, collaboration]", "tags: [leadership, conflict, delivery]")
    (stories / "ana-mentor.yml").write_text(mentor.replace("title: Taming flaky tests in the monorepo CI", "title: Coaching two new leads"), encoding="utf-8")
    outage = (stories / "cost-cut.yml").read_text(encoding="utf-8").replace("owner: chen", "owner: ana").replace("tags: [failure, leadership]", "tags: [failure, ambiguity]")
    (stories / "ana-outage.yml").write_text(outage.replace("title: A cost cut that broke reporting, and how we recovered", "title: The outage I caused"), encoding="utf-8")
    (project / "data" / "kits" / "zoe.yml").write_text(yaml.safe_dump(HOSTILE_KIT, allow_unicode=True), encoding="utf-8")
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, tmp / "site"


def open_planner(open_page, site: Path, width: int = 1280, scheme: str = "light"):
    page, guard = open_page(width=width, scheme=scheme, height=1000)
    page.goto((site / "practice" / "planner.html").as_uri())
    return page, guard


def plan(page) -> list[str]:
    return page.eval_on_selector_all("[data-plan] li", "items => items.map(li => li.dataset.story)")


def set_rounds(page, focuses: list[str]) -> None:
    page.fill("[data-planner-rounds]", str(len(focuses)))
    for i, focus in enumerate(focuses, 1):
        page.select_option(f'[data-planner-round="{i}"]', focus)


# --- the loop planner -----------------------------------------------------------------------


def test_four_rounds_get_four_different_stories(open_page, practice) -> None:
    _, site = practice
    page, guard = open_planner(open_page, site)
    page.select_option("[data-planner-person]", label="ana")
    set_rounds(page, ["delivery", "influence", "leadership", "failure"])
    assert plan(page) == ["search-indexing", "flaky-ci", "ana-mentor", "ana-outage"]
    assert page.locator("[data-plan-status]").inner_text() == "4 rounds, 4 different stories for ana: none is told twice."
    shot(page, "planner")
    assert guard.problems() == []


def test_rounds_that_compete_for_one_story_are_matched_so_none_repeats(open_page, practice) -> None:
    _, site = practice
    page, _ = open_planner(open_page, site)
    page.select_option("[data-planner-person]", label="ana")
    # Round 1 alone would take search-indexing (the more specific of two delivery stories);
    # round 2 has no other technical-depth story, so the matching gives round 1 the other one.
    set_rounds(page, ["delivery", "technical-depth"])
    assert plan(page) == ["ana-mentor", "search-indexing"]


def test_the_planner_says_which_round_has_no_fitting_story_and_why(open_page, practice) -> None:
    _, site = practice
    page, guard = open_planner(open_page, site)
    page.select_option("[data-planner-person]", label="ana")
    set_rounds(page, ["delivery", "technical-depth", "influence", "collaboration"])
    assert plan(page) == ["ana-mentor", "search-indexing", "flaky-ci", ""]
    items = page.locator("[data-plan] li").all_inner_texts()
    assert items[3] == "Round 4 · collaboration: no fitting story: every story that shows collaboration is already told (round 3)"
    assert page.locator("[data-plan-status]").inner_text() == "1 of 4 rounds have no fitting story; 3 different stories planned for ana."
    page.select_option("[data-planner-person]", label="ben")
    set_rounds(page, ["conflict", "failure"])
    assert page.locator("[data-plan] li").all_inner_texts()[1] == (
        "Round 2 · failure: no fitting story: no story of ben's shows failure; write one, or change the focus"
    )
    assert guard.problems() == []


def test_the_printed_plan_shows_the_plan_and_not_the_form(open_page, practice) -> None:
    _, site = practice
    page, _ = open_planner(open_page, site)
    page.emulate_media(media="print")
    assert page.locator("[data-plan]").is_visible()
    assert not page.locator("[data-planner-form]").is_visible()
    assert not page.locator("[data-rehearsal]").is_visible()


# --- the rehearsal log ---------------------------------------------------------------------


def next_order(page) -> list[str]:
    return page.eval_on_selector_all("[data-rehearsal-next] li", "items => items.map(li => li.dataset.item)")


def score(page, item: str, values: dict[str, int], seconds: int, by: str = "self") -> None:
    page.select_option("[data-rehearsal-item]", item)
    page.fill("[data-rehearsal-seconds]", str(seconds))
    page.check(f'input[data-rehearsal-by][value="{by}"]')
    for key, value in values.items():
        page.check(f'input[name="hb-rubric-{key}"][value="{value}"]')


FULL = {"structure": 4, "numbers": 4, "tradeoffs": 4, "stakeholders": 4, "lessons": 4, "timing": 4}


def test_a_scored_run_survives_a_reload_moves_the_story_and_exports_yaml_the_checker_accepts(open_page, practice, tmp_path: Path) -> None:
    project, site = practice
    page, guard = open_planner(open_page, site)
    page.evaluate(f"window.HandbookRehearsal.today = () => '{TODAY}'")
    page.select_option("[data-rehearsal-person]", label="ana")
    before = next_order(page)
    assert before == ["flaky-ci", "playbook/ambiguous-requirements", "playbook/incomplete-data", "playbook/scope-negotiation", "search-indexing"]
    score(page, "flaky-ci", FULL, 150, by="partner")
    page.locator("[data-rehearsal-form]").scroll_into_view_if_needed()
    shot(page, "rehearsal-scoring")
    page.click("[data-rehearsal-save]")
    assert page.locator("[data-rehearsal-status]").inner_text() == "Saved: Taming flaky tests in the monorepo CI, 24 of 24 points."
    after = next_order(page)
    assert after == ["playbook/ambiguous-requirements", "playbook/incomplete-data", "playbook/scope-negotiation", "search-indexing", "flaky-ci"]

    page.reload()
    page.select_option("[data-rehearsal-person]", label="ana")
    assert next_order(page) == after
    rows = page.eval_on_selector_all("[data-rehearsal-log] tbody tr", "rows => rows.map(r => [r.dataset.run, r.innerText])")
    assert rows[0][0] == "browser" and rows[0][1].split("\t") == [TODAY, "Taming flaky tests in the monorepo CI", "partner", "2:30", "24 / 24", "this browser"]
    page.locator("#rehearse").scroll_into_view_if_needed()
    shot(page, "rehearsal-log")

    exported = page.locator("[data-rehearsal-export]").input_value()
    assert "item: flaky-ci" in exported and f"date: '{TODAY}'" in exported
    kit_path = project / "data" / "kits" / "ana.yml"
    original = kit_path.read_text(encoding="utf-8")
    try:
        kit_path.write_text(original[: original.index("rehearsals:")] + exported, encoding="utf-8")
        check = subprocess.run([str(BIN / "handbook"), "--data", str(project / "data"), "check", str(kit_path)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
        assert check.stdout.strip().endswith("1 file checked: 0 errors, 0 warnings")
        ana = {p.owner: p for p in readiness.people(load_handbook(project / "data"))}["ana"]
        assert (ana.last_run["item"], ana.last_run["total"], ana.last_run["by"]) == ("flaky-ci", 24, "partner")
    finally:
        kit_path.write_text(original, encoding="utf-8")
    assert guard.problems() == []


def test_import_adds_runs_and_refuses_bad_ones_without_touching_the_log(open_page, practice) -> None:
    _, site = practice
    page, guard = open_planner(open_page, site)
    page.select_option("[data-rehearsal-person]", label="ana")
    good = "rehearsals:\n  - item: playbook/incomplete-data\n    date: 2026-11-25\n    seconds: 44\n    scores: {structure: 2, numbers: 2, tradeoffs: 2, stakeholders: 2, lessons: 2, timing: 2}\n"
    page.fill("[data-rehearsal-import]", good.replace("scores: {structure: 2", "scores: {structure: 9"))
    page.click("[data-rehearsal-import-button]")
    assert page.locator("[data-rehearsal-import-status]").inner_text() == (
        "Not imported: rehearsals[0].scores.structure: expected a whole number from 1 to 4. Nothing was changed."
    )
    page.fill("[data-rehearsal-import]", "a: &a [1]\nb: *a\n")
    page.click("[data-rehearsal-import-button]")
    assert "anchors and aliases" in page.locator("[data-rehearsal-import-status]").inner_text()
    assert page.evaluate("localStorage.getItem('prep-handbook.rehearsals.v1')") is None
    page.fill("[data-rehearsal-import]", good)
    page.click("[data-rehearsal-import-button]")
    assert page.locator("[data-rehearsal-import-status]").inner_text() == "Imported 1 new run for ana."
    assert next_order(page)[0] == "flaky-ci" and next_order(page)[1] == "playbook/ambiguous-requirements"
    assert guard.problems() == []


def test_the_timer_takes_a_playbooks_band_when_a_playbook_is_chosen(open_page, practice) -> None:
    _, site = practice
    page, _ = open_planner(open_page, site)
    page.select_option("[data-rehearsal-person]", label="ana")
    page.select_option("[data-rehearsal-item]", "playbook/scope-negotiation")
    timer = page.locator(".hb-rehearsal [data-timer]")
    assert (timer.get_attribute("data-low"), timer.get_attribute("data-high")) == ("30", "60")
    assert timer.locator(".hb-timer-title").inner_text() == "Rehearsal timer · one playbook: aim for 30–60 s"
    page.select_option("[data-rehearsal-item]", "search-indexing")
    assert (timer.get_attribute("data-low"), timer.get_attribute("data-high")) == ("120", "180")


# --- the question filter --------------------------------------------------------------------


def test_the_question_filter_narrows_by_competency_and_says_how_many(open_page, practice) -> None:
    _, site = practice
    page, guard = open_page(width=390)
    page.goto((site / "practice" / "questions.html").as_uri())
    page.select_option("[data-questions-filter]", "conflict")
    shown = page.eval_on_selector_all("li[data-tags]", "items => items.filter(li => !li.hidden).map(li => li.id)")
    assert len(shown) == 7 and "q-conflict-peer" in shown and "q-failure" not in shown
    assert page.locator("[data-questions-count]").inner_text() == "7 of 44 questions"
    assert guard.problems() == []


# --- kit text is text -----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["bank/readiness.html", "practice/matrix.html", "practice/planner.html", "print/sheets/zoe.html"])
def test_hostile_kit_text_shows_as_typed_and_runs_nothing(open_page, practice, where: str) -> None:
    _, site = practice
    page, guard = open_page(width=390)
    page.goto((site / where).as_uri())
    if where.endswith("planner.html"):
        page.select_option("[data-rehearsal-person]", label=HOSTILE_OWNER)
        page.select_option("[data-planner-person]", label=HOSTILE_OWNER)
    shown = squash(page.locator(".md-content").inner_text())
    assert HOSTILE_OWNER in shown or where.endswith("planner.html")
    if where in ("bank/readiness.html", "print/sheets/zoe.html"):
        for text in HOSTILE_KIT["guardrails"] if where.startswith("print") else [HOSTILE_KIT["target"]["role"]]:
            assert squash(text) in shown, text
    seen = page.evaluate(INJECTED)
    assert seen["pwned"] is None and seen["hrefs"] == [] and seen["onAttrs"] == [] and seen["overflow"] == 0
    assert "root:x:0:0" not in shown
    assert guard.problems() == []


# --- screenshots of the pages for the notes --------------------------------------------------


@pytest.mark.parametrize(("name", "where", "width", "scheme"), [
    ("readiness", "bank/readiness.html", 1280, "light"),
    ("readiness-dark-390", "bank/readiness.html", 390, "dark"),
    ("matrix", "practice/matrix.html", 1280, "light"),
    ("matrix-dark", "practice/matrix.html", 1280, "dark"),
    ("questions-390", "practice/questions.html", 390, "light"),
    ("sheet", "print/sheets/ana.html", 1280, "light"),
])
def test_pages_render_without_errors(open_page, practice, name: str, where: str, width: int, scheme: str) -> None:
    _, site = practice
    page, guard = open_page(width=width, scheme=scheme, height=1000)
    page.goto((site / where).as_uri())
    shot(page, name)
    assert guard.problems() == []


# --- the interview sheet on paper ------------------------------------------------------------


@pytest.mark.parametrize("kit", ["ana", "ben", "chen"])
def test_each_interview_sheet_prints_on_one_a4_side(open_page, site: Path, kit: str) -> None:
    from devtools.pdf import page_count

    page, guard = open_page(width=794, height=1123)
    page.goto((site / "print" / "sheets" / f"{kit}.html").as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert page_count(pdf) == 1
    assert guard.problems() == []
