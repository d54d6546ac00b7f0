"""Each checker rule: a failing fixture beside a passing one, and the shared arithmetic cases.

A fixture under tests/fixtures/rules/ is a real data file. Its header says what the
checker must find: `# expect: <severity> <rule> at <line>:<col>` plus `# message:` for a
failing fixture, `# expect: no <rule>` for a passing one. Files under hypotheticals/
are checked as hypotheticals, the others as bank stories.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from prep_handbook import figures
from prep_handbook.loader import Entry, load_entry, load_handbook, load_rules, load_template
from prep_handbook.paths import DATA_DIR, FOLDER_KINDS
from prep_handbook.rules import spoken_minutes

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "rules"
CASES = yaml.safe_load((HERE / "cases" / "figures.yml").read_text(encoding="utf-8"))
TEMPLATE = load_template(DATA_DIR / "template.yml")
RULES = load_rules(DATA_DIR / "rules.yml")
RULE_IDS = [rule.id for rule in RULES.rules]
FAILING = sorted(FIXTURES.rglob("*-fail.yml"))
PASSING = sorted(FIXTURES.rglob("*-pass.yml"))


def fixture_id(path: Path) -> str:
    """Name a fixture by its path under tests/fixtures/rules."""
    return path.relative_to(FIXTURES).as_posix()


def check_fixture(path: Path) -> Entry:
    """Load and check one fixture the way `handbook check PATH` does."""
    folder = path.parent.name if path.parent.name in FOLDER_KINDS else "stories"
    entry, problems = load_entry(path, folder, TEMPLATE, RULES, None)
    assert not problems, "\n".join(map(str, problems))
    assert entry is not None
    return entry


def header(path: Path) -> dict[str, str]:
    """Read the `# key: value` lines at the top of a fixture."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^# (expect|message): (.*)$", line)
        if not line.startswith("#"):
            break
        if match:
            out[match[1]] = match[2]
    return out


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    assert sorted(p.name[: -len("-fail.yml")] for p in FAILING) == sorted(RULE_IDS)
    assert sorted(p.name[: -len("-pass.yml")] for p in PASSING) == sorted(RULE_IDS)


@pytest.mark.parametrize("path", FAILING, ids=fixture_id)
def test_failing_fixture_is_flagged_by_its_rule_at_its_line(path: Path) -> None:
    expect = re.fullmatch(r"(error|warning) ([a-z-]+) at (\d+):(\d+)", header(path)["expect"])
    assert expect, f"{path.name}: bad '# expect:' line"
    severity, rule, line, col = expect[1], expect[2], int(expect[3]), int(expect[4])
    assert rule == path.name[: -len("-fail.yml")]
    entry = check_fixture(path)
    found = [(f.severity, f.rule, f.line, f.col, f"{f.field}: {f.message}") for f in entry.findings]
    assert found == [(severity, rule, line, col, header(path)["message"])]


@pytest.mark.parametrize("path", PASSING, ids=fixture_id)
def test_passing_fixture_is_not_flagged_by_its_rule(path: Path) -> None:
    rule = path.name[: -len("-pass.yml")]
    assert header(path)["expect"] == f"no {rule}"
    entry = check_fixture(path)
    assert rule not in [f.rule for f in entry.findings]
    assert not entry.errors, "\n".join(map(str, entry.errors))


def test_failing_rule_points_at_the_line_it_names() -> None:
    path = FIXTURES / "honest-arithmetic-fail.yml"
    line = path.read_text(encoding="utf-8").splitlines()[58 - 1]
    assert line == "    change: −1.2 pp"
    assert line.index("−1.2") + 1 == 13


def test_length_rules_do_not_both_speak_for_one_story() -> None:
    too_long = check_fixture(FIXTURES / "length-limit-fail.yml")
    long = check_fixture(FIXTURES / "length-limit-pass.yml")
    assert round(spoken_minutes(too_long.data, TEMPLATE, RULES.speaking), 1) == 4.8
    assert [f.rule for f in too_long.findings] == ["length-limit"]
    assert round(spoken_minutes(long.data, TEMPLATE, RULES.speaking), 1) == 3.6
    assert [f.rule for f in long.findings] == ["length-target"]


def test_worked_examples_pass_with_no_errors() -> None:
    handbook = load_handbook(DATA_DIR)
    for folder in ("projects", "stories", "hypotheticals"):
        for entry in handbook.folder(folder):
            assert not entry.errors, "\n".join(map(str, entry.errors))
    assert len(handbook.folder("projects")) == 2


def test_every_rule_explains_itself_on_a_page_that_exists() -> None:
    for rule in RULES.rules:
        page = rule.see.partition("#")[0]
        assert (HERE.parent / "docs" / page).is_file(), f"{rule.id}: {rule.see}"
        assert rule.hint and rule.message


# --- the shared arithmetic cases ----------------------------------------------------


@pytest.mark.parametrize("case", CASES["change"], ids=lambda c: f"{c['baseline']}->{c['outcome']} {c['change']}")
def test_stated_change(case: dict) -> None:
    ok, correct = figures.check_change(case["baseline"], case["outcome"], case["change"], case["unit"])
    assert ok is case["ok"]
    assert correct == case.get("correct")


@pytest.mark.parametrize("case", CASES["ev"], ids=lambda c: f"p={c['probability']} b={c['benefit']} c={c['cost']} w={c['weeks']}")
def test_expected_value(case: dict) -> None:
    args = (case["probability"], case["benefit"], case["cost"])
    assert figures.expected_value(*args) == pytest.approx(case["ev"], abs=1e-9)
    assert figures.ev_per_week(*args, case["weeks"]) == pytest.approx(case["ev_per_week"], abs=1e-9)


@pytest.mark.parametrize("case", CASES["stated"], ids=lambda c: f"{c['stated']} vs {c['actual']}")
def test_stated_figure(case: dict) -> None:
    assert figures.check_stated(case["stated"], case["actual"]) == (case["ok"], case["correct"])


def test_cases_cover_every_kind_of_change() -> None:
    kinds = {figures.parse_change(c["change"]).kind for c in CASES["change"] if figures.parse_change(c["change"])}
    assert kinds == {"relative", "points", "bps", "ratio", "absolute"}
    assert {c["ok"] for c in CASES["change"]} == {True, False}
