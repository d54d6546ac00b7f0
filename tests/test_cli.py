"""The `handbook` command: check (lines, summary, exit codes, JSON, strict), new, render, schema."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from support import BIN, ROOT
from prep_handbook import pages
from prep_handbook.cli import main
from prep_handbook.jsonschema import story_schema_text
from prep_handbook.loader import load_handbook, load_template

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
SCHEMA = ROOT / "schema" / "story.schema.json"


def run(*args: str) -> Result:
    """Run the command in-process, as a user would type it."""
    return CliRunner().invoke(main, list(args))


def lines(result: Result) -> list[str]:
    """Return the lines the command printed on stdout."""
    return result.stdout.splitlines()


# --- check -------------------------------------------------------------------------


def test_check_of_all_data_lists_every_warning_and_passes() -> None:
    handbook = load_handbook(ROOT / "data")
    files = sum(len(entries) for entries in handbook.entries.values()) + 1  # and data/questions.yml
    warnings = sorted(handbook.findings, key=lambda f: (f.path, f.line, f.col, f.rule))
    result = run("check")
    assert result.exit_code == 0, result.output
    assert lines(result) == [str(f) for f in warnings] + [f"{files} files checked: 0 errors, {len(warnings)} warnings"]
    assert all(f.severity == "warning" for f in warnings)


def test_check_of_a_failing_file_prints_the_finding_and_exits_1() -> None:
    result = run("check", str(FIXTURES / "honest-arithmetic-fail.yml"))
    assert result.exit_code == 1
    assert lines(result) == [
        "tests/fixtures/rules/honest-arithmetic-fail.yml:58:13: error: outcomes[1].change: "
        "'Orders cancelled for stale stock': 1.9% → 0.4% is −1.5 pp, not −1.2 pp [honest-arithmetic]",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_check_of_a_clean_file_exits_0() -> None:
    result = run("check", str(FIXTURES / "length-target-pass.yml"))
    assert result.exit_code == 0
    assert lines(result) == ["1 file checked: 0 errors, 0 warnings"]


def test_a_relative_path_is_shown_as_typed_from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("check", "tests/fixtures/rules/team-fail.yml")
    assert lines(result)[0].startswith("tests/fixtures/rules/team-fail.yml:18:1: warning: role: ")


def test_a_folder_is_checked_file_by_file_as_its_kind() -> None:
    result = run("check", str(FIXTURES / "hypotheticals"))
    assert result.exit_code == 1
    assert lines(result) == [
        "tests/fixtures/rules/hypotheticals/ev-arithmetic-fail.yml:25:27: error: decision.options[0].stated_ev_per_week: "
        "option A: stated EV per week 0.35 but the inputs give 0.30 [ev-arithmetic]",
        "2 files checked: 1 error, 0 warnings",
    ]


def test_warnings_alone_pass_and_fail_under_strict() -> None:
    path = str(FIXTURES / "vague-words-fail.yml")
    plain, strict = run("check", path), run("check", "--strict", path)
    assert plain.exit_code == 0
    assert lines(plain)[0].endswith(": warning: outcomes[2].note: 'significantly' with no number beside it [vague-words]")
    assert lines(plain)[-1] == "1 file checked: 0 errors, 1 warning"
    assert strict.exit_code == 1
    assert lines(strict)[0].endswith(": error: outcomes[2].note: 'significantly' with no number beside it [vague-words]")
    assert lines(strict)[-1] == "1 file checked: 1 error, 0 warnings"


def test_hints_name_the_page_that_explains_the_rule() -> None:
    result = run("check", "--hints", str(FIXTURES / "team-fail.yml"))
    assert lines(result)[1] == '    hint: Credit the team and the partners you worked with ("my team of five", "with the SRE on call"). (see docs/playbooks/pitfalls.md#no-team)'


def test_json_output_carries_counts_and_every_field() -> None:
    result = run("check", "--format", "json", str(FIXTURES / "honest-arithmetic-fail.yml"), str(FIXTURES / "i-vs-we-fail.yml"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["files"], report["errors"], report["warnings"]) == (2, 1, 1)
    first = report["findings"][0]
    assert first == {
        "path": "tests/fixtures/rules/honest-arithmetic-fail.yml",
        "line": 58,
        "col": 13,
        "field": "outcomes[1].change",
        "message": "'Orders cancelled for stale stock': 1.9% → 0.4% is −1.5 pp, not −1.2 pp",
        "severity": "error",
        "rule": "honest-arithmetic",
        "hint": "Recompute the change from the numbers, to the precision you state it (−53%, +0.9 pp, +13.8% relative).",
        "see": "playbooks/metrics.md#report",
        "kind": "rule",
    }
    assert report["findings"][1]["rule"] == "i-vs-we"
    assert report["findings"][1]["severity"] == "warning"


def test_json_under_strict_reports_warnings_as_errors() -> None:
    report = json.loads(run("check", "--format", "json", "--strict", str(FIXTURES / "i-vs-we-fail.yml")).stdout)
    assert (report["errors"], report["warnings"]) == (1, 0)
    assert report["findings"][0]["severity"] == "error"


def test_shape_problems_are_printed_in_the_loaders_format(tmp_path: Path) -> None:
    story = tmp_path / "broken.yml"
    text = (FIXTURES / "length-target-pass.yml").read_text(encoding="utf-8")
    story.write_text(text.replace("owner: sam\n", ""), encoding="utf-8")
    result = run("check", "--format", "text", str(story))
    assert result.exit_code == 1
    assert lines(result) == [f"{story.as_posix()}:3:1: owner: field required", "1 file checked: 1 error, 0 warnings"]
    report = json.loads(run("check", "--format", "json", str(story)).stdout)
    assert report["findings"][0]["kind"] == "shape"


def test_a_file_in_a_hypotheticals_folder_anywhere_is_checked_as_a_hypothetical(tmp_path: Path) -> None:
    folder = tmp_path / "hypotheticals"
    folder.mkdir()
    (folder / "x.yml").write_text((ROOT / "data" / "hypotheticals" / "incomplete-data.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "x.yml").write_text((ROOT / "data" / "hypotheticals" / "incomplete-data.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("check", str(folder / "x.yml")).exit_code == 0
    as_story = run("check", str(tmp_path / "x.yml"))
    assert as_story.exit_code == 1
    shown = (tmp_path / "x.yml").as_posix()
    assert f"{shown}:1:1: headline: field required" in lines(as_story)
    assert f"{shown}:2:1: order: unknown key (expected one of: title, owner, tags, pitch, draft, follow_ups, headline, objective, role, constraints, decisions, execution, outcomes, lessons)" in lines(as_story)


def test_wrong_stated_percentage_in_the_bank_fails_check_naming_both_figures(project: Path) -> None:
    story = project / "data" / "stories" / "wrong.yml"
    story.write_text((FIXTURES / "honest-arithmetic-fail.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("--data", str(project / "data"), "check")
    assert result.exit_code == 1
    errors = [line for line in lines(result) if ": error: " in line]
    assert errors == [
        f"{story.as_posix()}:58:13: error: outcomes[1].change: 'Orders cancelled for stale stock': "
        "1.9% → 0.4% is −1.5 pp, not −1.2 pp [honest-arithmetic]"
    ]


def test_missing_path_is_a_usage_error() -> None:
    result = run("check", "no-such-story.yml")
    assert result.exit_code == 2
    assert "handbook check: no-such-story.yml: no such file or folder" in result.stderr


def test_unreadable_file_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    story = tmp_path / "binary.yml"
    story.write_bytes(b"title: x\x00\x01")
    result = run("check", str(story))
    assert result.exit_code == 2
    assert lines(result)[0] == f"{story.as_posix()}:1:1: (file): is a binary file, not YAML text"


def test_unknown_option_is_a_usage_error() -> None:
    assert run("check", "--no-such-option").exit_code == 2


def test_broken_template_exits_2_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "template.yml").write_text("version: [\n", encoding="utf-8")
    result = run("--data", str(data), "check")
    assert result.exit_code == 2
    assert f"{(data / 'template.yml').as_posix()}:2:1: (file): invalid YAML" in result.stderr


def test_console_script_is_installed_and_exits_with_the_right_code() -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [str(BIN / "handbook"), "check", str(FIXTURES / "honest-arithmetic-fail.yml")], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert done.returncode == 1
    assert "[honest-arithmetic]" in done.stdout


# --- new ---------------------------------------------------------------------------


def test_new_writes_a_scaffold_with_the_schema_line_and_every_key(project: Path) -> None:
    result = run("--data", str(project / "data"), "new", "my-first-story")
    target = project / "data" / "stories" / "my-first-story.yml"
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/story.schema.json"
    template = load_template(ROOT / "data" / "template.yml")
    assert list(yaml.safe_load(text)) == [spec.key for spec in template.story.fields]
    assert "# Project: One-line headline that carries both the impact and the scope." in text
    # The blank scaffold is not a story yet: check says what to fill in.
    check = run("--data", str(project / "data"), "check", str(target))
    assert check.exit_code == 1
    assert f"{target.as_posix()}:24:11: headline: must not be empty" in lines(check)


def test_new_refuses_to_overwrite(project: Path) -> None:
    target = project / "data" / "stories" / "taken.yml"
    target.write_text("title: mine\n", encoding="utf-8")
    result = run("--data", str(project / "data"), "new", "taken")
    assert result.exit_code == 1
    assert "taken.yml already exists; not overwritten" in result.stderr
    assert target.read_text(encoding="utf-8") == "title: mine\n"


def test_new_refuses_a_name_that_is_not_a_slug(project: Path) -> None:
    result = run("--data", str(project / "data"), "new", "My Story")
    assert result.exit_code == 2
    assert "lower-case letters, digits and hyphens" in result.stderr
    assert not list((project / "data" / "stories").glob("*My*"))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("x\n", "got 'x\\n'"),  # `$` would have let the trailing newline through
        ("a" * 300, "got '" + "a" * 60 + "... (300 characters)'"),
        ("a" * 65, "got '" + "a" * 65 + "'"),
        ("\x1b[2Jx", "got '\\x1b[2Jx'"),
    ],
    ids=["trailing-newline", "300-characters", "65-characters", "escape-sequence"],
)
def test_new_refuses_a_name_the_build_would_refuse_in_one_line(project: Path, name: str, shown: str) -> None:
    stories = project / "data" / "stories"
    before = sorted(stories.iterdir())
    result = run("--data", str(project / "data"), "new", name)
    assert result.exit_code == 2
    [message] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert message == f"Error: NAME must be lower-case letters, digits and hyphens, at most 64 characters (it becomes the page address), {shown}"
    assert "\x1b" not in result.stderr
    assert sorted(stories.iterdir()) == before


def test_new_takes_a_name_of_64_characters_and_check_and_the_loader_agree(project: Path) -> None:
    name = "a" * 64
    assert run("--data", str(project / "data"), "new", name).exit_code == 0
    result = run("--data", str(project / "data"), "check", str(project / "data" / "stories" / f"{name}.yml"))
    assert "file name" not in result.stdout  # only the scaffold's empty fields are reported
    longer = project / "data" / "stories" / f"{'a' * 65}.yml"
    longer.write_text((project / "data" / "stories" / f"{name}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("--data", str(project / "data"), "check", str(longer))
    assert f"file name '{'a' * 65}' must be lower-case letters, digits and hyphens, at most 64 characters" in result.stdout


# --- render ------------------------------------------------------------------------


def test_render_prints_the_story_as_markdown() -> None:
    path = ROOT / "data" / "projects" / "p99-latency.yml"
    result = run("render", str(path))
    handbook = load_handbook(ROOT / "data")
    assert result.exit_code == 0
    assert result.stdout == pages.story_markdown(handbook.get("projects", "p99-latency").data, handbook)
    assert lines(result)[:3] == [
        "# Cutting p99 latency of a critical API",
        "",
        "**Cut p99 latency of a critical API from 620 ms to 290 ms at ~1.5k RPS peak, while lowering error rate, CPU and infra cost**",
    ]
    assert "- **Team size:** 3" in lines(result)


def test_render_refuses_a_hypothetical_and_a_broken_story(tmp_path: Path) -> None:
    assert run("render", str(ROOT / "data" / "hypotheticals" / "incomplete-data.yml")).exit_code == 2
    broken = tmp_path / "broken.yml"
    broken.write_text("title: only a title\n", encoding="utf-8")
    result = run("render", str(broken))
    assert result.exit_code == 1
    assert ": headline: field required" in result.stderr


# --- schema ------------------------------------------------------------------------


def test_committed_schema_is_what_the_template_generates() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == story_schema_text(load_template(ROOT / "data" / "template.yml"))
    result = run("schema", "--check")
    assert result.exit_code == 0
    assert "schema/story.schema.json is up to date" in result.stdout


def test_schema_check_fails_when_the_template_moved_on(project: Path) -> None:
    (project / "schema").mkdir()
    (project / "schema" / "story.schema.json").write_text(SCHEMA.read_text(encoding="utf-8"), encoding="utf-8")
    template = project / "data" / "template.yml"
    template.write_text(template.read_text(encoding="utf-8").replace("title: Owner\n", "title: Teller\n"), encoding="utf-8")
    assert run("--data", str(project / "data"), "schema", "--check").exit_code == 1
    assert run("--data", str(project / "data"), "schema").exit_code == 0
    assert '"title": "Teller"' in (project / "schema" / "story.schema.json").read_text(encoding="utf-8")


def test_schema_says_where_it_comes_from_and_prints_to_stdout() -> None:
    result = run("schema", "-o", "-")
    schema = json.loads(result.stdout)
    assert schema["$comment"].startswith("Generated from data/template.yml")
    assert schema["required"] == ["title", "owner", "tags", "headline", "objective", "role", "constraints", "decisions", "execution", "outcomes", "lessons"]


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "stories").glob("*.yml")) + sorted(FIXTURES.glob("*.yml")), ids=lambda p: p.name)
def test_every_bank_story_and_fixture_is_valid_under_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda s: {**s, "colour": "blue"}, "Additional properties are not allowed ('colour' was unexpected)"),
        (lambda s: {k: v for k, v in s.items() if k != "owner"}, "'owner' is a required property"),
        (lambda s: {**s, "tags": ["bravery"]}, "'bravery' is not one of"),
        (lambda s: {**s, "role": {**s["role"], "team_size": 0}}, "0 is less than the minimum of 1"),
        (lambda s: {**s, "headline": ""}, "should be non-empty"),
    ],
    ids=["unknown key", "missing owner", "unknown tag", "team of 0", "empty headline"],
)
def test_schema_flags_what_the_loader_refuses(change, error: str) -> None:
    story = yaml.safe_load((FIXTURES / "length-target-pass.yml").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError, match=error.replace("(", r"\(").replace(")", r"\)")):
        jsonschema.validate(change(story), json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_the_command_imports_neither_mkdocs_nor_material() -> None:
    """`handbook check` in a fresh interpreter loads no MkDocs, Material or mkdocs-macros module."""
    probe = (
        "import sys; from prep_handbook.cli import main\n"
        "try:\n    main(['check'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_macros', 'properdocs', 'zensical'))\n"
        "print('LOADED', loaded)"
    )
    result = subprocess.run([str(BIN / "python"), "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
