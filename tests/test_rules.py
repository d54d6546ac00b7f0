"""Each checker rule: a failing fixture beside a passing one, and the shared arithmetic cases.

A fixture under tests/fixtures/rules/ is a real data file. Its header says what the
checker must find: `# expect: <severity> <rule> at <line>:<col>` plus `# message:` for a
failing fixture, `# expect: no <rule>` for a passing one. Files under hypotheticals/
are checked as hypotheticals, the others as bank stories.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from prep_handbook import figures
from prep_handbook import rules as rules_module
from prep_handbook.loader import Entry, load_entry, load_handbook, load_rules
from prep_handbook.paths import DATA_DIR, FOLDER_KINDS, ROOT
from prep_handbook.problems import DataError
from prep_handbook.rules import check_story, spoken_minutes
from support import rules, template

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "rules"
CASES = yaml.safe_load((HERE / "cases" / "figures.yml").read_text(encoding="utf-8"))
FAILING = sorted(FIXTURES.rglob("*-fail.yml"))
PASSING = sorted(FIXTURES.rglob("*-pass.yml"))


def fixture_id(path: Path) -> str:
    """Name a fixture by its path under tests/fixtures/rules."""
    return path.relative_to(FIXTURES).as_posix()


def check_fixture(path: Path) -> Entry:
    """Load and check one fixture the way `handbook check PATH` does."""
    folder = path.parent.name if path.parent.name in FOLDER_KINDS else "stories"
    entry, problems = load_entry(path, folder, template(), rules(), None)
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
    assert sorted(p.name[: -len("-fail.yml")] for p in FAILING) == sorted([rule.id for rule in rules().rules])
    assert sorted(p.name[: -len("-pass.yml")] for p in PASSING) == sorted([rule.id for rule in rules().rules])


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
    assert round(spoken_minutes(too_long.data, template(), rules().speaking), 1) == 4.8
    assert [f.rule for f in too_long.findings] == ["length-limit"]
    assert round(spoken_minutes(long.data, template(), rules().speaking), 1) == 3.6
    assert [f.rule for f in long.findings] == ["length-target"]


def test_worked_examples_pass_with_no_errors() -> None:
    handbook = load_handbook(DATA_DIR)
    for folder in ("projects", "stories", "hypotheticals"):
        for entry in handbook.folder(folder):
            assert not entry.errors, "\n".join(map(str, entry.errors))
    assert len(handbook.folder("projects")) == 2


def test_every_rule_explains_itself_on_a_page_that_exists() -> None:
    for rule in rules().rules:
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


# --- typed params: rules.yml is checked when it loads ---------------------------------


def rules_copy(tmp_path: Path, old: str, new: str) -> Path:
    """Write a copy of data/ whose rules.yml has `old` replaced by `new` (once)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "template.yml").write_text((DATA_DIR / "template.yml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (DATA_DIR / "rules.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (data / "rules.yml").write_text(text.replace(old, new), encoding="utf-8")
    return data


def line_of(path: Path, needle: str) -> tuple[int, int]:
    """Return the 1-based (line, column) of the first occurrence of `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_a_misspelt_param_is_one_line_naming_its_place(tmp_path: Path) -> None:
    data = rules_copy(tmp_path, "params: {kinds: [technical, business, user, guardrail]}", "params: {kind: [technical, business, user, guardrail]}")
    with pytest.raises(DataError) as caught:
        load_rules(data / "rules.yml")
    line, col = line_of(data / "rules.yml", "kind: [technical, business, user, guardrail]")
    assert caught.value.report() == (
        f"{data / 'rules.yml'}:{line}:{col}: rules[1].params.kind: unknown param (expected one of: kinds)"
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("params: {path: decisions, fields: [alternative], any_of: [why, tradeoff], min: 1}",
         "params: {path: decisions, fields: [alternative], any_of: [why, tradeoff], min: one}", "one}",
         "rules[6].params.min: input should be a valid integer"),
        ("params: {path: decisions, fields: [alternative], any_of: [why, tradeoff], min: 1}",
         "params: {path: decisions, fields: [alternative], any_of: [why, tradeoff]}", "params: {path: decisions",
         "rules[6].params: param 'min' is required"),
        ("check: outcome_unit", "check: outcome_units", "outcome_units", "rules[1].check: unknown check 'outcome_units'"),
        ("check: lessons", "check: min_items", "min_items", "rules[11].check: unknown check 'min_items'; it became 'lessons'"),
        ("params: {kinds: [technical, business, user, guardrail]}", "params: {kinds: [technical, bussiness]}", "bussiness",
         "rules[1].params.kinds[1]: input should be 'technical', 'business', 'user', 'guardrail' or 'follow-up'"),
        ("when: {unless_only: [failure]}", "when: {unles_only: [failure]}", "unles_only", "rules[6].when.unles_only: unknown key"),
    ],
    ids=["wrong-type", "missing", "unknown-check", "replaced-check", "wrong-choice", "when-typo"],
)
def test_wrong_params_are_named_by_line(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    data = rules_copy(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        load_rules(data / "rules.yml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == line_of(data / "rules.yml", needle)
    assert str(problem).partition(": ")[2].startswith(message), str(problem)


def test_handbook_check_with_a_misspelt_param_exits_2_with_one_line(tmp_path: Path) -> None:
    data = rules_copy(tmp_path, "params: {kinds: [technical, business, user, guardrail]}", "params: {kind: [technical, business, user, guardrail]}")
    shutil.copytree(DATA_DIR / "stories", data / "stories")
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "handbook"), "--data", str(data), "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    place = ":%d:%d: " % line_of(data / "rules.yml", "kind: [technical, business, user, guardrail]")
    assert line.endswith(f"rules.yml{place}rules[1].params.kind: unknown param (expected one of: kinds)")
    assert "Traceback" not in result.stderr


# --- the checker is a pure function of (story, kind, template, rules) -----------------


def test_the_checker_keeps_no_state_between_calls() -> None:
    story = yaml.safe_load((FIXTURES / "team-fail.yml").read_text(encoding="utf-8"))
    first = check_story(story, "story", template(), rules())
    other = check_story(yaml.safe_load((FIXTURES / "reflection-fail.yml").read_text(encoding="utf-8")), "story", template(), rules())
    again = check_story(story, "story", template(), rules())
    assert first == again and first != other
    assert [f.rule for f in first] == ["team"] and first[0].loc == ("role",)
    module_state = [name for name, value in vars(rules_module).items() if isinstance(value, (dict, list, set)) and not name.isupper() and not name.startswith("__")]
    assert module_state == []


def tagged(path: Path, tags: str) -> dict:
    """Load a fixture with its tags replaced."""
    return yaml.safe_load(path.read_text(encoding="utf-8").replace("tags: [delivery, technical-depth]", f"tags: {tags}"))


@pytest.mark.parametrize(
    ("rule", "tags", "applies"),
    [
        ("risk", "[conflict]", False),
        ("risk", "[conflict, leadership, influence]", False),
        ("risk", "[conflict, delivery]", True),
        ("i-vs-we", "[failure]", False),
        ("i-vs-we", "[failure, delivery]", False),
        ("i-vs-we", "[leadership]", True),
        ("business-effect", "[conflict, failure]", False),
        ("business-effect", "[influence]", True),
        ("tradeoffs", "[failure]", False),
        ("tradeoffs", "[failure, conflict]", True),
    ],
)
def test_which_rule_reads_which_kind_of_story_is_declared(rule: str, tags: str, applies: bool) -> None:
    story = tagged(FIXTURES / f"{rule}-fail.yml", tags)
    assert ([f.rule for f in check_story(story, "story", template(), rules())] == [rule]) is applies


def test_a_second_tradeoff_is_asked_of_project_walkthroughs_only() -> None:
    story = yaml.safe_load((FIXTURES / "projects" / "tradeoffs-second-fail.yml").read_text(encoding="utf-8"))
    assert [f.rule for f in check_story(story, "story", template(), rules(), "projects")] == ["tradeoffs-second"]
    assert check_story(story, "story", template(), rules(), "stories") == []


@pytest.mark.parametrize(
    "outcome",
    [
        {"metric": "App store rating", "kind": "user", "outcome": 4.7, "unit": "stars"},
        {"metric": "Recovery time", "kind": "technical", "note": "15 min against a 1-hour target"},
        {"metric": "Money saved", "kind": "business", "change": "$50,000 saved"},
        {"metric": "Data loss", "kind": "technical", "note": "zero data loss during the cutover"},
        {"metric": "Manual steps", "kind": "user", "note": "halved the manual steps"},
    ],
    ids=["rating", "duration", "money", "zero", "half"],
)
def test_an_absolute_figure_is_quantified(outcome: dict) -> None:
    story = yaml.safe_load((FIXTURES / "quantified-impact-fail.yml").read_text(encoding="utf-8"))
    story["outcomes"][2] = outcome
    assert "quantified-impact" not in [f.rule for f in check_story(story, "story", template(), rules())]


@pytest.mark.parametrize(
    ("lesson", "concrete"),
    [
        ("Be more diligent", False),
        ("Communication is important", False),
        ("I learned a lot about streaming", False),
        ("Run a dry run on a copy of production before any migration", True),
        ("I now write the rollback plan first", True),
    ],
)
def test_a_lesson_names_a_change_of_practice_not_a_platitude(lesson: str, concrete: bool) -> None:
    story = yaml.safe_load((FIXTURES / "reflection-fail.yml").read_text(encoding="utf-8"))
    story["lessons"] = {"learned": [lesson]}
    found = [f for f in check_story(story, "story", template(), rules()) if f.rule == "reflection"]
    assert (not found) is concrete


def test_team_is_read_from_the_prose_too() -> None:
    story = yaml.safe_load((FIXTURES / "team-fail.yml").read_text(encoding="utf-8"))
    for prose in ("With my team of five engineers, I rebuilt the pipeline", "Paired with the SRE on call for the cutover"):
        story["execution"][0] = prose
        assert "team" not in [f.rule for f in check_story(story, "story", template(), rules())], prose


def test_only_errors_are_provable_every_judgement_is_a_warning() -> None:
    errors = sorted(rule.id for rule in rules().rules if rule.severity == "error" and rule.applies_to != "kit")
    assert errors == ["ev-arithmetic", "honest-arithmetic", "length-limit"]


# --- a story's texts searched at once find what each text searched alone finds --------------

# Letters that case-blind patterns treat specially (ſ is s, the Kelvin sign is k, İ and ı sit near i),
# the separator StoryView puts between texts, and what sits at word edges.
TRICKY = st.sampled_from(["I", "i", "me", "MY", "Mine", "myself", "we", "Our", "ours", "US", "ourselves", "team", "teams", "a lot", "a\nlot",
                          "ſ", "K", "İ", "ı", "é", "→", "’", "'", "-", "_", "\x00", " ", "\n", "x", "s", "es", "lot", "significantly", "improved",
                          "a", "b", "o", "it", "eam"])
TEXT = st.lists(TRICKY, max_size=8).map("".join)
WORDS = st.lists(st.sampled_from(["team", "a lot", "significantly", "so", "kit", "ſo", "x y", "a\x00b", "lot", "é", "İs"]), min_size=1, max_size=4, unique=True)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(TEXT, min_size=1, max_size=6), words=WORDS, prefix=st.booleans())
@example(texts=["it was ſo good"], words=["so"], prefix=False)  # ſ is s to a case-blind pattern, not to str.lower
@example(texts=["the \u212ait"], words=["kit"], prefix=True)  # the Kelvin sign is k
@example(texts=["plan a", "b test"], words=["a\x00b"], prefix=False)  # a word that holds the separator
def test_a_word_list_finds_in_the_whole_story_what_it_finds_text_by_text(texts: list[str], words: list[str], prefix: bool) -> None:
    view = rules_module.story_view({"headline": texts}, template(), kind="hypothetical")
    screen = rules_module._screen(tuple(words), prefix)
    alone = [i for i, text in enumerate(texts) if screen.pattern.search(text)]
    assert list(view.matching(screen)) == alone
    assert view.count(screen) == sum(len(screen.pattern.findall(text)) for text in texts)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(TEXT, min_size=1, max_size=6))
def test_i_and_we_are_found_as_their_plain_patterns_find_them(texts: list[str]) -> None:
    plain_i = re.compile(r"\b(?:I|(?i:me|my|mine|myself))\b")
    plain_we = re.compile(r"\b(?:we|our|ours|us|ourselves)\b", re.IGNORECASE)
    for text in texts:
        assert [m.span() for m in rules_module._I.finditer(text)] == [m.span() for m in plain_i.finditer(text)]
        assert [m.span() for m in rules_module._WE.finditer(text)] == [m.span() for m in plain_we.finditer(text)]
    view = rules_module.story_view({"headline": texts}, template(), kind="hypothetical")
    first = next((i for i, text in enumerate(texts) if plain_i.search(text)), None)
    assert (view.index_at(view.first_i.start()) if view.first_i else None) == first
    assert view.words == sum(len(rules_module._WORD.findall(text)) for text in texts)
