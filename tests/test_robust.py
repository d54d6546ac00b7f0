"""Nothing crashes: broken files give JSON and one line each, random story-shaped data no traceback.

Hypothesis writes random story-shaped YAML (right keys with wrong values, wrong keys, inf,
nan, huge and negative numbers, long and hostile text) and the loader and checker must
answer with problems or findings, never an exception. The pure checker is fuzzed the same
way on data that passed the shape check.
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep_handbook.cli import main
from prep_handbook.loader import load_entry
from prep_handbook.paths import ROOT
from prep_handbook.rules import check_story
from support import rules, template

BROKEN = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.yml"))
RULE_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules").rglob("*.yml"))
KINDS = ["technical", "business", "user", "guardrail", "follow-up"]
# `make test` runs the full 10,000; FUZZ_EXAMPLES=200 makes a quick local run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10000"))
TAGS = ["leadership", "conflict", "ambiguity", "failure", "influence", "delivery", "technical-depth", "collaboration"]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_json_output_is_valid_for_every_broken_fixture(path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report = json.loads(result.stdout)
    assert report["files"] == 1
    if path.name == "ok-control.yml":
        assert result.exit_code == 0 and report["errors"] == 0
    else:
        assert result.exit_code in (1, 2)
        assert report["errors"] >= 1
        assert all({"path", "line", "col", "field", "message", "severity"} <= set(f) for f in report["findings"])


# --- strategies ------------------------------------------------------------------------

finite = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
)
wild_numbers = st.one_of(finite, st.integers(), st.floats(), st.sampled_from([math.inf, -math.inf, math.nan, 1e400, -0.0, 10**40]))
text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["−53%", "cut by half", "2x faster", "~−25%", "20–30%", "$70k", "<script>alert(1)</script>", "{{ x }}", "I", "we", ""]),
    st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(["I", "we", "significantly", "word"]), st.integers(0, 40)),
    st.just(" ".join(["word"] * 10_000)),
)
scalar = st.one_of(text, wild_numbers, st.booleans(), st.none())
anything = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def outcome(numbers: st.SearchStrategy) -> st.SearchStrategy:
    """An outcome record, its keys present or not, its values mostly of the right type."""
    return st.fixed_dictionaries(
        {"metric": text, "kind": st.one_of(st.sampled_from(KINDS), text)},
        optional={"baseline": numbers, "outcome": numbers, "unit": text, "change": text, "note": text, "confidence": text, "junk": anything},
    )


def story(numbers: st.SearchStrategy, values: st.SearchStrategy) -> st.SearchStrategy:
    """A story-shaped mapping: the template's keys with plausible or wrong values, and sometimes stray keys."""
    return st.fixed_dictionaries(
        {},
        optional={
            "title": values,
            "owner": values,
            "tags": st.one_of(st.lists(st.sampled_from(TAGS), max_size=3), values),
            "headline": values,
            "objective": st.one_of(st.fixed_dictionaries({"goal": text, "success_criteria": st.lists(text, max_size=3)}, optional={"problem": text}), values),
            "role": st.one_of(st.fixed_dictionaries({"title": text}, optional={"team_size": numbers, "partners": st.lists(text, max_size=3), "responsibilities": st.lists(text, max_size=3)}), values),
            "constraints": st.one_of(st.lists(text, max_size=3), values),
            "decisions": st.one_of(st.lists(st.fixed_dictionaries({"choice": text}, optional={"alternative": text, "why": text, "tradeoff": text, "mitigation": text}), max_size=3), values),
            "execution": st.one_of(st.lists(text, max_size=4), values),
            "outcomes": st.one_of(st.lists(outcome(numbers), max_size=4), values),
            "lessons": st.one_of(st.fixed_dictionaries({"learned": st.lists(text, max_size=3)}, optional={"next_time": st.lists(text, max_size=3)}), values),
            "stray": anything,
        },
    )


@pytest.mark.slow
@pytest.mark.timeout(3600)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=story(wild_numbers, anything), folder=st.sampled_from(["stories", "projects"]))
def test_random_story_shaped_files_never_raise(tmp_path_factory: pytest.TempPathFactory, data: dict, folder: str) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz.yml"
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    entry, problems = load_entry(path, folder, template(), rules(), None)
    assert (entry is None) == bool(problems)
    for problem in problems + (entry.findings if entry else []):
        assert problem.line >= 1 and problem.col >= 1
        json.dumps(problem.as_dict(), ensure_ascii=False, allow_nan=False)


@pytest.mark.slow
@settings(max_examples=max(EXAMPLES // 5, 1), deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=story(finite, anything), folder=st.sampled_from(["stories", "projects", None]))
def test_the_checker_never_raises_on_any_story_shaped_data(data: dict, folder: str | None) -> None:
    findings = check_story(data, "story", template(), rules(), folder)
    assert findings == check_story(data, "story", template(), rules(), folder)
    assert all(f.message and f.severity in ("error", "warning") for f in findings)


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: p.relative_to(ROOT / "tests" / "fixtures" / "rules").as_posix())
def test_json_output_is_valid_for_every_rule_fixture(path: Path) -> None:
    report = json.loads(CliRunner().invoke(main, ["check", "--format", "json", str(path)]).stdout)
    assert report["files"] == 1


# --- stories that pass the shape check, then go wrong in one to four places (inf and nan too) -

BASES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in RULE_FIXTURES if p.parent.name != "hypotheticals"]
replacement = st.one_of(text, wild_numbers, st.booleans(), st.none(), st.lists(text, max_size=3), st.dictionaries(st.sampled_from(["metric", "kind", "x"]), text, max_size=2))


def places(value: object, loc: tuple = ()) -> list[tuple]:
    """Every location inside a value (its keys and list items), depth first."""
    out = [loc]
    if isinstance(value, dict):
        for key, item in value.items():
            out += places(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += places(item, loc + (i,))
    return out


@pytest.mark.slow
@pytest.mark.timeout(3600)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data(), folder=st.sampled_from(["stories", "projects"]))
def test_stories_broken_in_a_few_places_never_raise(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, folder: str) -> None:
    story = copy.deepcopy(data.draw(st.sampled_from(BASES)))
    for _ in range(data.draw(st.integers(1, 4))):
        loc = data.draw(st.sampled_from(places(story)[1:] or [("title",)]))
        parent = story
        for part in loc[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()):
            parent[loc[-1]] = data.draw(replacement)
        elif isinstance(parent, dict):
            parent.pop(loc[-1], None)
        else:
            parent.pop(loc[-1])
    path = tmp_path_factory.getbasetemp() / "mutated.yml"
    path.write_text(yaml.dump(story, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    entry, problems = load_entry(path, folder, template(), rules(), None)
    assert (entry is None) == bool(problems)
    for problem in problems + (entry.findings if entry else []):
        assert problem.line >= 1 and problem.col >= 1
        json.dumps(problem.as_dict(), ensure_ascii=False, allow_nan=False)
