"""Prep kits: the kit kind, its checks, `handbook new --kit`, readiness from content, the sheet, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from support import ROOT, copy_project, handbook
from htmltext import page_text
from prep_handbook import readiness, sheets
from prep_handbook.cli import main
from prep_handbook.jsonschema import kit_schema_text
from prep_handbook.loader import load_handbook, load_template
from prep_handbook.problems import DataError

KIT_SCHEMA = ROOT / "schema" / "kit.schema.json"
ANA = (ROOT / "data" / "kits" / "ana.yml").read_text(encoding="utf-8")


def run(*args: str) -> Result:
    """Run the command in-process, as a user would type it."""
    return CliRunner().invoke(main, list(args))


def write_kit(project: Path, name: str, text: str) -> Path:
    """Write a kit into the project copy and return its path."""
    path = project / "data" / "kits" / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the checks ----------------------------------------------------------------------

LONG_STEP = " ".join(["we"] * 45)  # 45 words: five steps of it are 225 words, 90 s at 150 a minute


def test_a_90_second_ambiguity_playbook_gets_a_note_naming_file_and_line(project: Path) -> None:
    steps = "\n".join(f"      - {LONG_STEP}" for _ in range(5))
    text = ANA.replace(
        ANA[ANA.index("      - First I ask") : ANA.index("  - hypothetical: scope-negotiation")], steps + "\n"
    )
    path = write_kit(project, "ana", text)
    result = run("--data", str(project / "data"), "check", str(path))
    steps_line = line_of(text, "hypothetical: ambiguous-requirements") + 1
    assert result.exit_code == 0, result.output  # a note (warning), not an error
    assert (
        f"data/kits/ana.yml:{steps_line}:5: warning: playbooks[0].steps: the ambiguous-requirements playbook "
        "takes about 90 s to say at 150 words a minute; aim for 30–60 s [kit-playbook-length]"
    ) in result.stdout.replace(str(project) + "/", "")


def test_playbooks_inside_30_to_60_seconds_get_no_note() -> None:
    (ana,) = [k for k in handbook().folder("kits") if k.slug == "ana"]
    assert ana.findings == []


def test_a_playbook_missing_a_step_of_the_guide_is_named(project: Path) -> None:
    text = ANA.replace("      - A short kickoff confirms the scope and who owns the call.\n", "")
    write_kit(project, "ana", text)
    (kit,) = [k for k in load_handbook(project / "data").folder("kits") if k.slug == "ana"]
    assert [(f.rule, f.message) for f in kit.findings] == [
        (
            "kit-playbook-steps",
            "the Executing under ambiguous requirements playbook says 4 steps; the handbook's has 5: Clarify the intent, "
            "Time-box discovery, Propose a strawman, Align the stakeholders, Iterate in slices",
        )
    ]


def test_incomplete_data_is_answered_in_the_parts_the_guide_gives_it() -> None:
    hypothetical = handbook().get("hypotheticals", "incomplete-data")
    from prep_handbook.kits import guide_steps

    assert guide_steps(hypothetical, handbook().template) == ["Framing", "Method", "Guardrails", "Stakeholder management"]


def test_a_story_that_is_not_in_the_bank_is_an_error(project: Path) -> None:
    path = write_kit(project, "ana", ANA.replace("stories: [search-indexing, flaky-ci]", "stories: [search-indexing, flaky-cl]"))
    result = run("--data", str(project / "data"), "check", str(path))
    assert result.exit_code == 1
    assert "data/kits/ana.yml:8:28: error: stories[1]: 'flaky-cl' is not a story in data/stories/ or data/projects/ [kit-story-missing]" in result.stdout.replace(
        str(project) + "/", ""
    )


def test_a_chosen_story_that_fails_the_checker_is_an_error(project: Path) -> None:
    fixture = (ROOT / "tests" / "fixtures" / "rules" / "honest-arithmetic-fail.yml").read_text(encoding="utf-8")
    (project / "data" / "stories" / "weak.yml").write_text(fixture.replace("owner: sam", "owner: ana"), encoding="utf-8")
    path = write_kit(project, "ana", ANA.replace("stories: [search-indexing, flaky-ci]", "stories: [search-indexing, weak]"))
    result = run("--data", str(project / "data"), "check", str(path))
    assert result.exit_code == 1
    assert (
        "data/kits/ana.yml:8:28: error: stories[1]: 'weak' does not pass the checker (1 error): "
        "run handbook check data/stories/weak.yml [kit-story-fails]"
    ) in result.stdout.replace(str(project) + "/", "")


def test_a_worked_example_may_be_chosen() -> None:
    (ben,) = [k for k in handbook().folder("kits") if k.slug == "ben"]
    assert ben.data["stories"] == ["partner-api", "p99-latency"]
    assert not [f for f in ben.findings if f.rule and f.rule.startswith("kit-story")]


def test_two_playbooks_for_one_hypothetical_is_an_error(project: Path) -> None:
    text = ANA.replace("  - hypothetical: scope-negotiation", "  - hypothetical: ambiguous-requirements")
    write_kit(project, "ana", text)
    (kit,) = [k for k in load_handbook(project / "data").folder("kits") if k.slug == "ana"]
    assert [(f.rule, f.severity, f.message) for f in kit.findings if f.rule == "kit-playbook-twice"] == [
        ("kit-playbook-twice", "error", "a second playbook for ambiguous-requirements; keep one")
    ]


def test_two_guardrails_get_a_note_and_three_do_not(project: Path) -> None:
    (ben,) = [k for k in handbook().folder("kits") if k.slug == "ben"]
    assert [str(f) for f in ben.findings if f.rule == "kit-guardrails"] == [
        "data/kits/ben.yml:15:1: warning: guardrails: 2 guardrails; the practice blueprint asks for at least 3 [kit-guardrails]"
    ]
    (chen,) = [k for k in handbook().folder("kits") if k.slug == "chen"]
    assert len(chen.data["guardrails"]) == 3 and chen.findings == []


def test_vague_words_in_a_guardrail_are_flagged(project: Path) -> None:
    write_kit(project, "ana", ANA.replace("  - Canary at 5% for a day before 50% and 100%", "  - Canary until error rates are significantly lower"))
    (kit,) = [k for k in load_handbook(project / "data").folder("kits") if k.slug == "ana"]
    assert [(f.field, f.message) for f in kit.findings] == [("guardrails[1]", "'significantly' with no number beside it")]


def test_a_rehearsal_of_something_not_in_the_kit_is_an_error(project: Path) -> None:
    write_kit(project, "ana", ANA.replace("  - item: playbook/scope-negotiation", "  - item: playbook/negotiation"))
    (kit,) = [k for k in load_handbook(project / "data").folder("kits") if k.slug == "ana"]
    assert [(f.rule, f.field) for f in kit.findings] == [("kit-rehearsal-item", "rehearsals[1].item")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("lessons: 4, timing: 4}", "lessons: 5, timing: 4}", 1), "rehearsals[0].scores.lessons: must be at least 1"),
        (lambda t: t.replace('date: "2026-11-20"', 'date: "20 Nov"'), "rehearsals[0].date: must match"),
        (lambda t: t.replace("target: 99.9, unit", "target: high, unit"), "metrics.slo[0].target: expected a number"),
        (lambda t: t.replace("    by: partner\n", "    by: coach\n"), "rehearsals[0].by: must be one of: self or partner"),
    ],
    ids=["score-5", "date", "target-text", "by"],
)
def test_shape_problems_name_file_line_and_field(project: Path, change, message: str) -> None:
    write_kit(project, "ana", change(ANA))
    with pytest.raises(DataError) as caught:
        load_handbook(project / "data")
    text = caught.value.report()
    assert text.startswith("data/kits/ana.yml:") or "/data/kits/ana.yml:" in text
    field, _, what = message.partition(": ")
    if what.startswith("must be at least"):
        what = "must be at most 4"
    assert f"{field}: {what}" in text, text


def test_a_second_kit_for_the_same_owner_is_refused(project: Path) -> None:
    write_kit(project, "ana-two", "owner: ana\nguardrails: [a, b, c]\n")
    with pytest.raises(DataError) as caught:
        load_handbook(project / "data")
    assert "data/kits/ana-two.yml:1:8: owner: 'ana' already has a kit: data/kits/ana.yml" in caught.value.report().replace(str(project) + "/", "")


# --- the retired `playbooks:` key on stories -----------------------------------------------


def test_a_story_that_still_lists_playbooks_gets_one_message_saying_how_to_move_them(project: Path) -> None:
    path = project / "data" / "stories" / "partner-api.yml"
    text = path.read_text(encoding="utf-8").replace("tags: [ambiguity, conflict]\n", "tags: [ambiguity, conflict]\nplaybooks: [incomplete-data]\n")
    path.write_text(text, encoding="utf-8")
    result = run("--data", str(project / "data"), "check", str(path))
    assert result.exit_code == 1
    out = [line.replace(str(project) + "/", "") for line in result.stdout.splitlines()]
    assert out == [
        "data/stories/partner-api.yml:6:1: playbooks: no longer a story key: write your own 30–60 second playbook "
        "for each hypothetical in your prep kit instead (handbook new --kit ben writes data/kits/ben.yml), then delete this key",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_no_sample_story_carries_playbooks_any_more() -> None:
    assert [e.slug for e in handbook().folder("stories") if "playbooks" in e.data] == []
    assert all("playbooks" not in (p.read_text(encoding="utf-8")) for p in (ROOT / "data" / "stories").glob("*.yml"))


# --- handbook new --kit ----------------------------------------------------------------


def test_new_kit_writes_a_kit_that_checks_and_is_not_ready_yet(project: Path) -> None:
    result = run("--data", str(project / "data"), "new", "--kit", "dana")
    assert result.exit_code == 0, result.output
    path = project / "data" / "kits" / "dana.yml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/kit.schema.json"
    assert 'owner: "dana"' in text and "#   - hypothetical: scope-negotiation" in text
    assert run("--data", str(project / "data"), "check", str(path)).exit_code == 0
    people = {p.owner: p for p in readiness.people(load_handbook(project / "data"))}
    assert [i.ready for i in people["dana"].items] == [False, False, False, False]
    again = run("--data", str(project / "data"), "new", "--kit", "dana")
    assert again.exit_code == 1 and "already exists; not overwritten" in again.output


def test_new_kit_refuses_a_name_that_is_not_a_slug(project: Path) -> None:
    result = run("--data", str(project / "data"), "new", "--kit", "Dana Smith")
    assert result.exit_code == 2
    assert not (project / "data" / "kits" / "Dana Smith.yml").exists()


# --- readiness ---------------------------------------------------------------------


def test_readiness_of_the_sample_people() -> None:
    people = {p.owner: p for p in readiness.people(handbook())}
    assert list(people) == ["ana", "ben", "chen"]
    assert people["ana"].ready
    assert [(i.key, i.ready, i.summary) for i in people["ben"].items] == [
        ("stories", False, "1 of 2"),
        ("playbooks", False, "0 of 3"),
        ("guardrails", False, "2 of 3"),
        ("metrics", False, "1 of 3 groups"),
    ]
    assert [i.ready for i in people["chen"].items] == [False, False, True, False]
    assert people["ana"].last_run["item"] == "playbook/scope-negotiation" and people["ana"].last_run["total"] == 17


def test_two_guardrails_are_not_ready_and_the_page_says_why(built_site: Path) -> None:
    text = page_text(built_site / "bank" / "readiness.html")
    assert "ben ✗ 1 of 2 ✗ 0 of 3 ✗ 2 of 3 ✗ 1 of 3 groups none Not yet" in text
    assert "Guardrails: Only 2 guardrails: add 1 more of the risk and rollout guardrails you always apply." in text
    assert "ana ✓ 2 of 2 ✓ 3 of 3 ✓ 3 of 3 ✓ 3 of 3 groups 17/24 on 2026-11-22 Ready" in text


def test_readiness_says_exactly_what_is_missing(built_site: Path) -> None:
    text = page_text(built_site / "bank" / "readiness.html")
    assert "Two stories: 'partner-api' takes about 1.2 min to say; the blueprint asks for 2–3 min." in text
    assert "Playbooks: The Deciding with incomplete data playbook (data/kits/ben.yml:9) takes about 23 s to say; aim for 30–60 s." in text
    assert "Two stories: Choose 1 more story under stories in the kit (1 of 2 chosen)." in text
    assert "Metrics: No Delivery (DORA) metric yet, with its target and unit." in text
    assert "Last rehearsal: Negotiating scope when timelines slip (playbook), 2026-11-22, scored 17 of 24 (self-scored) in 0:48." in text


def test_readiness_links_to_the_pages_that_fix_each_item(built_site: Path) -> None:
    html = (built_site / "bank" / "readiness.html").read_text(encoding="utf-8")
    for href in ("../practice.html#playbooks", "../playbooks/risk.html", "../playbooks/metrics.html", "../practice/matrix.html#owner-ben", "../print/sheets/ben.html"):
        assert f'href="{href}"' in html, href


def test_owners_differing_only_by_case_or_punctuation_get_their_own_anchors(project: Path) -> None:
    assert readiness.owner_anchors(["Chen", "chen!", "ana"]) == {"ana": "owner-ana", "Chen": "owner-chen", "chen!": "owner-chen-2"}
    write_kit(project, "chen-upper", "owner: Chen\n")
    write_kit(project, "chen-bang", "owner: chen!\n")
    page = readiness.readiness_page(load_handbook(project / "data"))
    assert "## Chen { #owner-chen-2 }" in page or "## Chen { #owner-chen }" in page
    anchors = [line.rsplit("#", 1)[1].rstrip(" }") for line in page.splitlines() if line.startswith("## ")]
    assert len(anchors) == len(set(anchors)) == 5


# --- the interview sheet ---------------------------------------------------------------


def test_the_sheet_shows_every_part_of_the_kit() -> None:
    text = sheets.interview_sheet(handbook(), "ana")
    kit = handbook().get("kits", "ana").data
    for step in (s for p in kit["playbooks"] for s in p["steps"]):
        assert step.split()[1] in text
    for guardrail in kit["guardrails"]:
        assert guardrail.split()[0] in text
    assert "Search latency p95 200 ms" in text.replace("\\", "")
    assert "26 h → 0.07 h (−99.7%)" in text.replace("\\", "") or "26 h → 0.07 h" in text.replace("\\", "")


def test_one_sheet_page_per_kit_is_built(built_site: Path) -> None:
    assert sorted(p.stem for p in (built_site / "print" / "sheets").glob("*.html")) == ["ana", "ben", "chen"]
    text = page_text(built_site / "print" / "sheets" / "chen.html")
    assert "chen: interview sheet" in text
    assert "Executing under ambiguous requirements Not written yet." in text


# --- the JSON Schema of kits --------------------------------------------------------------


def test_committed_kit_schema_is_what_the_template_generates() -> None:
    assert KIT_SCHEMA.read_text(encoding="utf-8") == kit_schema_text(load_template(ROOT / "data" / "template.yml"))


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "kits").glob("*.yml")), ids=lambda p: p.name)
def test_every_sample_kit_is_valid_under_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), json.loads(KIT_SCHEMA.read_text(encoding="utf-8")))


def test_the_schema_refuses_a_score_of_five() -> None:
    kit = yaml.safe_load(ANA)
    kit["rehearsals"][0]["scores"]["timing"] = 5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(kit, json.loads(KIT_SCHEMA.read_text(encoding="utf-8")))


def test_sample_kits_are_of_varied_completeness() -> None:
    ready = [sum(i.ready for i in p.items) for p in readiness.people(handbook())]
    assert ready == [4, 0, 1]


def test_copy_project_keeps_the_kits(tmp_path: Path) -> None:
    copy = copy_project(tmp_path / "p")
    assert sorted(p.name for p in (copy / "data" / "kits").glob("*.yml")) == ["ana.yml", "ben.yml", "chen.yml"]


def test_the_readiness_page_offers_a_blank_kit_that_checks(built_site: Path, project: Path) -> None:
    import re
    from urllib.parse import unquote

    html = (built_site / "bank" / "readiness.html").read_text(encoding="utf-8")
    (href,) = re.findall(r'download="kit.yml" href="data:application/yaml;charset=utf-8,([^"]+)"', html)
    text = unquote(href)
    assert 'owner: "your-name"' in text and "# guardrails:" in text
    path = write_kit(project, "your-name", text)
    assert run("--data", str(project / "data"), "check", str(path)).exit_code == 0


# --- a kit naming a draft story ---------------------------------------------------------


def test_a_kit_naming_a_draft_story_is_told_so_by_check_and_by_readiness(project: Path) -> None:
    story = project / "data" / "stories" / "flaky-ci.yml"
    story.write_text("draft: true\n" + story.read_text(encoding="utf-8"), encoding="utf-8")
    kit = project / "data" / "kits" / "ana.yml"
    line = line_of(ANA, "stories: [search-indexing, flaky-ci]")
    col = ANA.splitlines()[line - 1].index("flaky-ci") + 1
    said = (
        "stories[1]: 'flaky-ci' is a draft (data/stories/flaky-ci.yml): builds leave drafts out, "
        "so the bank and the readiness page do not have it"
    )
    result = run("--data", str(project / "data"), "check", str(kit))
    assert result.exit_code == 0, result.output  # a warning: a committed draft never stops the build
    assert result.stdout.replace(str(project) + "/", "").splitlines()[0] == f"data/kits/ana.yml:{line}:{col}: warning: {said} [kit-story-draft]"
    assert run("--data", str(project / "data"), "check", "--strict", str(kit)).exit_code == 1
    (ana,) = [p for p in readiness.people(load_handbook(project / "data")) if p.owner == "ana"]
    stories = ana.items[0]
    assert (stories.ready, stories.summary) == (False, "1 of 2")
    assert stories.missing == [
        said.partition(": ")[2] + ". Finish the story and set draft to false (or untick Draft in the story builder), or choose another story."
    ]
    # The local preview, which shows drafts, says the same.
    (ana,) = [p for p in readiness.people(load_handbook(project / "data", drafts=True)) if p.owner == "ana"]
    assert ana.items[0].missing == stories.missing


def test_check_with_no_arguments_refuses_a_second_kit_for_one_owner_as_the_build_does(project: Path) -> None:
    write_kit(project, "ana-two", "owner: ana\nguardrails: [a, b, c]\n")
    with pytest.raises(DataError) as caught:
        load_handbook(project / "data")
    result = run("--data", str(project / "data"), "check")
    assert result.exit_code == 1, result.output
    assert [line for line in result.stdout.splitlines() if "already has a kit" in line] == caught.value.report().splitlines()
    # Named alone, a kit is checked as a file: the second kit is only a problem beside the first.
    assert run("--data", str(project / "data"), "check", str(project / "data" / "kits" / "ana-two.yml")).exit_code == 0
