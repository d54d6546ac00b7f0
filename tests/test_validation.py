"""Each shape rule: a broken copy of real data fails with the file, line and field named."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from prep_handbook.loader import load_handbook
from prep_handbook.problems import DataError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of data/ (template, rules, projects, hypotheticals, playbooks)."""
    dest = tmp_path / "repo" / "data"
    shutil.copytree(ROOT / "data", dest, ignore=shutil.ignore_patterns("stories"))
    (dest / "stories").mkdir()
    return dest


def problems_for(data: Path) -> list[str]:
    """Load the data and return the reported problem lines (none if it loads)."""
    try:
        load_handbook(data)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact, unique piece of a file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_real_data_has_no_problems(data: Path) -> None:
    assert problems_for(data) == []


def test_missing_required_section_names_file_and_field(data: Path) -> None:
    path = data / "projects" / "p99-latency.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("outcomes:")] + text[text.index("lessons:"):], encoding="utf-8")
    [line] = problems_for(data)
    assert line.endswith("data/projects/p99-latency.yml:2:1: outcomes: field required")


# One edit of a real file, and the one problem line it must give: (what, file, old, new, line).
# A line given with `...` at its end is a prefix of the reported line (the key list goes on).
ONE_EDIT = [
    ("missing_field_points_at_its_record", "projects/p99-latency.yml",
     "  - metric: p99 latency\n    kind: technical\n",
     "  - kind: technical\n",
     "data/projects/p99-latency.yml:56:5: outcomes[0].metric: field required"),
    ("unknown_key_is_refused_with_the_allowed_keys", "projects/recommendations.yml",
     "  team_size: 4\n",
     "  team_size: 4\n  teamsize: 5\n",
     "recommendations.yml:15:3: role.teamsize: unknown key (expected one of: title, team_size, partners, responsibilities)"),
    ("unknown_top_level_key_is_refused", "projects/recommendations.yml",
     "headline:",
     "summary: x\nheadline:",
     "recommendations.yml:4:1: summary: unknown key (expected one of: title, owner, tags, pitch, draft, follow_ups, headline..."),
    ("wrong_type_names_the_value", "projects/recommendations.yml",
     "team_size: 4",
     "team_size: four",
     "data/projects/recommendations.yml:14:14: role.team_size: expected a whole number, got 'four'"),
    ("number_field_refuses_text", "projects/p99-latency.yml",
     "baseline: 620",
     "baseline: 620ms",
     "p99-latency.yml:58:15: outcomes[0].baseline: expected a number, got '620ms'"),
    ("empty_value_is_refused", "projects/p99-latency.yml",
     "  goal: Bring p99 latency to 350 ms or less.",
     "  goal: '  '",
     "p99-latency.yml:7:9: objective.goal: must not be empty"),
    ("key_with_no_value_is_refused", "projects/p99-latency.yml",
     "  problem: p99 latency breached the 400 ms SLO, sitting at 620 ms.",
     "  problem:",
     "p99-latency.yml:6:11: objective.problem: must not be empty"),
    ("empty_list_is_refused", "projects/recommendations.yml",
     "partners: [PM, DS, Privacy Counsel]",
     "partners: []",
     "recommendations.yml:15:13: role.partners: must not be empty"),
    ("choice_lists_the_allowed_values", "projects/recommendations.yml",
     "    kind: user\n",
     "    kind: product\n",
     "recommendations.yml:47:11: outcomes[0].kind: must be one of: technical, business, user, guardrail or follow-up; got 'product'"),
    ("duplicate_key_is_refused", "projects/recommendations.yml",
     "  team_size: 4\n",
     "  team_size: 4\n  team_size: 5\n",
     "recommendations.yml:15:3: role.team_size: duplicate key (first defined at line 14)"),
]


@pytest.mark.parametrize(("what", "file", "old", "new", "expected"), ONE_EDIT, ids=[case[0] for case in ONE_EDIT])
def test_one_edit_gives_its_one_problem_line(data: Path, what: str, file: str, old: str, new: str, expected: str) -> None:
    edit(data / file, old, new)
    [line] = problems_for(data)
    if expected.endswith("..."):
        assert expected[:-3] in line
    else:
        assert line.endswith(expected)


def test_problems_in_several_files_are_all_reported(data: Path) -> None:
    edit(data / "projects" / "recommendations.yml", "team_size: 4", "team_size: four")
    edit(data / "playbooks" / "risk.yml", "title: Risk mitigation\n", "")
    lines = problems_for(data)
    assert len(lines) == 2
    assert lines[0].endswith("data/playbooks/risk.yml:1:1: title: field required")
    assert lines[1].endswith("data/projects/recommendations.yml:14:14: role.team_size: expected a whole number, got 'four'")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "broken.yml:1:1: (file): is empty; expected a mapping of keys"),
        (b"title: [unclosed\n", "broken.yml:2:1: (file): invalid YAML:"),
        (b"title: x\n\tsummary: y\n", "broken.yml:2:1: (file): invalid YAML: a tab stands where YAML needs spaces for indentation"),
        (b"- a\n- b\n", "broken.yml:1:1: (file): expected a mapping of keys at the top, got a list"),
        (b"title: caf\xe9\n", "broken.yml:1:11: (file): is not valid UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "broken.yml:1:1: (file): is a binary file, not YAML text"),
        (b"title: " + b"x" * 1_100_000 + b"\n", "broken.yml:1:1: (file): is 1,100,008 bytes; a data file may be at most 1,000,000 bytes"),
    ],
    ids=["empty", "invalid-yaml", "tab", "not-a-mapping", "not-utf8", "binary", "too-large"],
)
def test_unreadable_files_get_one_clear_message(data: Path, content: bytes, expected: str) -> None:
    (data / "playbooks" / "broken.yml").write_bytes(content)
    [line] = problems_for(data)
    assert "data/playbooks/" in line and expected in line, line


def test_symlink_out_of_the_repository_is_refused(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("title: x\nsummary: y\nitems: [{id: a, text: b}]\n", encoding="utf-8")
    os.symlink(outside, data / "playbooks" / "linked.yml")
    [line] = problems_for(data)
    assert line.endswith("data/playbooks/linked.yml:1:1: (file): is a link to a file outside the repository; data files must live in it")


def test_stray_file_in_a_data_folder_is_refused(data: Path) -> None:
    (data / "projects" / "notes.yaml").write_text("title: x\n", encoding="utf-8")
    [line] = problems_for(data)
    assert line.endswith("projects/notes.yaml:1:1: (file): is not a .yml data file; data folders hold only .yml files")


def test_bad_file_name_is_refused(data: Path) -> None:
    shutil.copy(data / "playbooks" / "risk.yml", data / "playbooks" / "Risk Copy.yml")
    [line] = problems_for(data)
    assert "file name 'Risk Copy' must be lower-case letters, digits and hyphens" in line


# --- YAML that forgives: a text field holds what was typed ----------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("2:30", "2:30"), ("no", "no"), ("on", "on"), ("1.10", "1.10"), ("2026-01-05", "2026-01-05"), ("true", "true"), ("0x1F", "0x1F")],
)
def test_a_text_field_keeps_the_plain_value_as_typed(data: Path, typed: str, shown: str) -> None:
    story = data / "stories" / "typed.yml"
    text = (ROOT / "tests" / "fixtures" / "broken" / "ok-control.yml").read_text(encoding="utf-8")
    story.write_text(text.replace("  success_criteria:", f"  timeline: {typed}\n  success_criteria:").replace("unit: h", f"unit: {typed}"), encoding="utf-8")
    handbook = load_handbook(data)
    entry = handbook.get("stories", "typed")
    assert entry.data["objective"]["timeline"] == shown
    assert entry.data["outcomes"][0]["unit"] == shown


def test_a_number_field_still_wants_a_number(data: Path) -> None:
    edit(data / "projects" / "p99-latency.yml", "baseline: 620", "baseline: 6:20")
    [line] = problems_for(data)
    assert line.endswith("p99-latency.yml:58:15: outcomes[0].baseline: expected a number, got '6:20'")


def test_an_empty_text_field_is_still_empty(data: Path) -> None:
    edit(data / "projects" / "p99-latency.yml", "  goal: Bring p99 latency to 350 ms or less.", "  goal: ~")
    [line] = problems_for(data)
    assert line.endswith("p99-latency.yml:7:9: objective.goal: must not be empty")


def test_a_yes_no_value_in_a_choice_field_is_not_turned_into_text(data: Path) -> None:
    edit(data / "projects" / "recommendations.yml", "    kind: user\n", "    kind: true\n")
    [line] = problems_for(data)
    assert "recommendations.yml:47:11: outcomes[0].kind: must be one of:" in line and line.endswith("got true (a yes/no value)")


@pytest.mark.parametrize(("typed", "draft"), [("true", True), ("yes", True), ("on", True), ("false", False), ("no", False)])
def test_a_yes_no_field_reads_yes_and_no_as_yaml_1_1_did(data: Path, typed: str, draft: bool) -> None:
    text = (ROOT / "tests" / "fixtures" / "broken" / "ok-control.yml").read_text(encoding="utf-8")
    (data / "stories" / "typed.yml").write_text(text.replace("owner: sam\n", f"owner: sam\ndraft: {typed}\n"), encoding="utf-8")
    entry = load_handbook(data, drafts=True).get("stories", "typed")
    assert entry.data["draft"] is draft


def test_a_yes_no_field_refuses_other_text(data: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "broken" / "ok-control.yml").read_text(encoding="utf-8")
    (data / "stories" / "typed.yml").write_text(text.replace("owner: sam\n", "owner: sam\ndraft: maybe\n"), encoding="utf-8")
    [line] = problems_for(data)
    assert line.endswith("typed.yml:4:8: draft: expected true or false, got 'maybe'")
