"""One checker, two runtimes: rules.py and checker.js give identical findings, and refuse the same params.

Both run in one Chromium page (figures.js and checker.js loaded into a blank page, with the
template and rules as the builder embeds them) over 200 generated stories, every real answer
of the calibration corpus, every rule fixture and every data file; the findings must match
exactly: rule, field, severity and message, in the same order.

Prep kits too: every kit fixture, the sample kits and 150 generated kits. Python checks each
with the context the loader gives it (the stories and hypotheticals on disk); the browser with
what a page embeds of them (`kits.page_context` of the real data for the generated kits; for a
fixture, the same facts of the stories it names, some of which live beside the fixtures).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from prep_handbook import kits
from prep_handbook.loader import _kit_context, load_handbook, load_rules
from prep_handbook.paths import DATA_DIR, ROOT
from prep_handbook.problems import format_field
from prep_handbook.rules import CHECKS, check_story
from support import rules, template


pytestmark = pytest.mark.browser

ASSETS = ROOT / "overrides" / "assets" / "handbook"
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus" / "real").glob("*.yml") if p.name != "verdicts.yml")
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "rules").rglob("*.yml") if p.parent.name != "kits")
KIT_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules" / "kits").glob("*.yml"))


# --- 200 generated stories ----------------------------------------------------------------

SUBJECTS = ["I", "We", "The team", "My team of five", "Our SRE", "", "Sam and I", "The PM"]
VERBS = ["built", "shipped", "profiled", "added", "ran", "wrote", "migrated", "reviewed", "Designed", "led"]
OBJECTS = [
    "a canary release behind a feature flag", "the cache layer", "a dry run on a copy of production", "the design doc",
    "a pilot with two teams", "an index on the orders table", "the rollback plan", "dashboards for p99 latency",
    "things that improved a lot", "a significantly better pipeline", "a checklist for every migration", "the on-call runbook",
]
LESSONS = [
    "Communication is key", "Be more careful", "I now write the rollback plan first", "Run a spike before committing to a date",
    "Invest in offline evaluation", "I learned a lot", "Always profile before optimizing", "Talk to the teams downstream in week one",
]
METRICS = ["p99 latency", "Checkout conversion", "Monthly storage cost", "Support tickets", "Build time", "Team morale", "Index lag"]
UNITS = ["ms", "%", "$k/month", "tickets", "min", "", "h"]
CHANGES = ["−53%", "+0.9 pp", "cut by half", "2x faster", "about −25%", "significantly better", "", "+13.8% relative", "−40%"]
NOTES = ["from 4-5 seconds", "zero data loss", "much faster", "no regressions", "within budget", "15 min against a 1-hour target", ""]
KINDS = ["technical", "business", "user", "guardrail", "follow-up"]
TAGS = ["leadership", "conflict", "ambiguity", "failure", "influence", "delivery", "technical-depth", "collaboration"]


# A quiet story names no one else and no safeguard, so the team and risk rules have work too.
QUIET_SUBJECTS = ["I", "We", "", "Sam and I"]
QUIET_OBJECTS = ["the cache layer", "an index on the orders table", "the design doc", "dashboards for p99 latency", "things that improved a lot"]
QUIET_LESSONS = ["Communication is key", "Be more careful", "I learned a lot", "Invest in offline evaluation"]


def sentence(rng: random.Random, quiet: bool = False) -> str:
    """One sentence of a story, with or without a subject."""
    subjects, objects = (QUIET_SUBJECTS, QUIET_OBJECTS) if quiet else (SUBJECTS, OBJECTS)
    return " ".join(w for w in (rng.choice(subjects), rng.choice(VERBS), rng.choice(objects)) if w).strip()


def generated_story(rng: random.Random) -> dict:
    """A valid story with every optional part present or not, and the words the rules look for."""
    quiet = rng.random() < 0.25
    objects, lessons = (QUIET_OBJECTS, QUIET_LESSONS) if quiet else (OBJECTS, LESSONS)
    story: dict = {
        "title": f"Story {rng.randrange(1000)}",
        "owner": rng.choice(["ana", "ben", "chen"]),
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "headline": rng.choice([sentence(rng, quiet), "Cut p99 latency from 620 ms to 290 ms", "Improved search significantly"]),
        "objective": {
            "goal": rng.choice(["Cut p99 latency under 300 ms", "Make search fresher for buyers", "Ship the onboarding API", "I was asked to fix the build"]),
            "success_criteria": rng.sample(["p99 latency under 300 ms", "No rise in cost", "Tickets go down", "Build time under 10 min"], rng.randint(1, 3)),
        },
        "role": {"title": rng.choice(["Tech lead", "Backend engineer", "Feature lead"])},
        "constraints": [sentence(rng, quiet) for _ in range(rng.randint(1, 3))],
        "decisions": [],
        "execution": [sentence(rng, quiet) for _ in range(rng.randint(1, 6))],
        "outcomes": [],
        "lessons": {"learned": rng.sample(lessons, rng.randint(1, 2))},
    }
    if rng.random() < 0.5:
        story["objective"]["problem"] = sentence(rng, quiet)
    if not quiet and rng.random() < 0.4:
        story["role"]["team_size"] = rng.randint(1, 12)
    if not quiet and rng.random() < 0.3:
        story["role"]["partners"] = rng.sample(["PM", "SRE", "Data science", "Security"], 2)
    if rng.random() < 0.4:
        story["role"]["responsibilities"] = [sentence(rng, quiet)]
    for _ in range(rng.randint(1, 3)):
        decision = {"choice": rng.choice(objects)}
        for key, value in (("alternative", rng.choice(objects)), ("why", sentence(rng, quiet)), ("tradeoff", "speed vs cost"), ("mitigation", "a rollback path")):
            if rng.random() < 0.5 and not (quiet and key == "mitigation"):
                decision[key] = value
        story["decisions"].append(decision)
    for _ in range(rng.randint(1, 5)):
        outcome: dict = {"metric": rng.choice(METRICS), "kind": rng.choice(KINDS[:2] if quiet else KINDS)}
        if rng.random() < 0.6:
            outcome["baseline"] = rng.choice([620, 14, 184, 0, 3.5, 1200])
        if rng.random() < 0.6:
            outcome["outcome"] = rng.choice([290, 3, 114, 0, 7.4, 40])
        for key, pool in (("unit", UNITS), ("change", CHANGES), ("note", NOTES)):
            value = rng.choice(pool)
            if value and rng.random() < 0.6:
                outcome[key] = value
        story["outcomes"].append(outcome)
    if rng.random() < 0.5:
        story["lessons"]["next_time"] = rng.sample(lessons, 1)
    if rng.random() < 0.15:
        story["execution"] = story["execution"] * 12  # long enough to pass the time limit
    return story


def generated(count: int = 200) -> list[tuple[str, dict, str]]:
    """The generated stories, each with the folder it is checked as."""
    rng = random.Random(20261127)
    return [(f"generated-{i}", generated_story(rng), rng.choice(["stories", "projects"])) for i in range(count)]


def cases() -> list[tuple[str, dict, str, str]]:
    """Every story compared: (name, data, kind, folder)."""
    out = [(name, data, "story", folder) for name, data, folder in generated()]
    out += [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8")), "story", "stories") for p in CORPUS]
    for p in FIXTURES:
        folder = p.parent.name if p.parent.name in ("projects", "hypotheticals") else "stories"
        out.append((p.name, yaml.safe_load(p.read_text(encoding="utf-8")), "hypothetical" if folder == "hypotheticals" else "story", folder))
    handbook = load_handbook(DATA_DIR)
    for folder in ("projects", "stories", "hypotheticals"):
        out += [(e.shown, e.data, e.kind, folder) for e in handbook.folder(folder)]
    return out


@pytest.fixture(scope="module")
def page(browser):
    """A blank Chromium page with figures.js and checker.js, and the template and rules as the builder embeds them."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content("<!doctype html><html><head><title>checker</title></head><body></body></html>")
    tab.add_script_tag(path=str(ASSETS / "figures.js"))
    tab.add_script_tag(path=str(ASSETS / "checker.js"))
    tab.evaluate(
        "([template, rules]) => { window.T = template; window.R = rules; }",
        [{"story": template().story.model_dump(mode="json"), "kit": template().kit.model_dump(mode="json")}, rules().model_dump(mode="json")],
    )
    yield tab
    context.close()


def python_side(data: dict, kind: str, folder: str) -> list[list[str]]:
    """Findings of rules.py as [rule, field, severity, message]."""
    return [[f.rule, format_field(f.loc), f.severity, f.message] for f in check_story(data, kind, template(), rules(), folder)]


def test_both_checkers_give_identical_findings_on_every_story(page) -> None:
    compared = cases()
    js = page.evaluate(
        """(stories) => stories.map(([name, data, kind, folder]) =>
            HandbookChecker.check(data, kind, T, R, folder).map(f => [f.rule, f.field, f.severity, f.message]))""",
        [[name, data, kind, folder] for name, data, kind, folder in compared],
    )
    differ = {}
    for (name, data, kind, folder), theirs in zip(compared, js):
        ours = python_side(data, kind, folder)
        if ours != theirs:
            differ[name] = {"python": ours, "js": theirs}
    assert differ == {}
    assert len(compared) >= 200 + len(CORPUS)
    # The comparison is not empty: the generated stories between them set off every story rule.
    fired = {f[0] for name, data, kind, folder in compared if name.startswith("generated-") for f in python_side(data, kind, folder)}
    assert fired >= {r.id for r in rules().for_kind("story")} - {"length-target"}


# --- prep kits -----------------------------------------------------------------------------

KIT_STORIES = ["search-indexing", "flaky-ci", "cost-cut", "partner-api", "p99-latency", "recommendations", "flaky-cl", "weak", "no-such-story"]
STEPS = [
    "I ask what problem the user has and what done looks like.",
    "I time-box discovery to a week.",
    "We improved it a lot",
    "I write a one-pager with two options and the risks, and circulate it to the PM, the EM and the two partner teams before the kickoff.",
    "Latency improved significantly, by 40 ms at p95.",
    "I decide with the owner.",
    "A huge rollout, much faster than before",
    "Ship in slices behind flags.",
]
GUARDRAILS = ["Canary at 5% for a day", "A feature flag on-call can turn off", "Rollback criteria written first", "Greatly reduced risk", "Lots of dashboards"]
HYPOTHETICALS = ["ambiguous-requirements", "scope-negotiation", "incomplete-data"]


def generated_kit(rng: random.Random) -> dict:
    """A valid kit with each part present or not, the right or wrong number of steps, and the words the rules look for."""
    kit: dict = {"owner": rng.choice(["ana", "ben", "sam"])}
    if rng.random() < 0.9:
        kit["stories"] = [rng.choice(KIT_STORIES) for _ in range(rng.randint(0, 3))] or ["flaky-ci"]
    if rng.random() < 0.85:
        kit["playbooks"] = [
            {"hypothetical": rng.choice(HYPOTHETICALS), "steps": [rng.choice(STEPS) for _ in range(rng.randint(1, 6))]}
            for _ in range(rng.randint(1, 4))
        ]
    if rng.random() < 0.85:
        kit["guardrails"] = rng.sample(GUARDRAILS, rng.randint(1, 5))
    if rng.random() < 0.5:
        items = kit.get("stories", []) + [f"playbook/{h}" for h in HYPOTHETICALS] + ["playbook/elsewhere", "nope"]
        scores = dict.fromkeys(("structure", "numbers", "tradeoffs", "stakeholders", "lessons", "timing"), 3)
        kit["rehearsals"] = [{"item": rng.choice(items), "date": "2026-11-20", "scores": scores} for _ in range(rng.randint(1, 3))]
    return kit


def kit_cases() -> list[tuple[str, dict, Path, dict]]:
    """Every kit compared: (name, data, where it is checked from, what the page would embed for it)."""
    embedded = kits.page_context(load_handbook(DATA_DIR))
    rng = random.Random(20261128)
    out = [(f"kit-{i}", generated_kit(rng), DATA_DIR / "kits" / "generated.yml", embedded) for i in range(150)]
    for path in KIT_FIXTURES + sorted((DATA_DIR / "kits").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        context = _kit_context(path, template(), rules(), None)
        found = {name: context.story(name) for name in data.get("stories", [])}
        local = {"stories": {n: f.summary() for n, f in found.items() if f is not None}, "hypotheticals": embedded["hypotheticals"]}
        out.append((path.name, data, path, local))
    return out


def python_kit_side(data: dict, path: Path) -> list[list[str]]:
    """Findings of rules.py and kits.py for a kit, with the context the loader gives a kit at `path`."""
    with kits.checking(_kit_context(path, template(), rules(), None)):
        return python_side(data, "kit", "kits")


def test_both_checkers_give_identical_findings_on_every_kit(page) -> None:
    compared = kit_cases()
    js = page.evaluate(
        """(kits) => kits.map(([name, data, context]) =>
            HandbookChecker.check(data, "kit", T, R, "kits", context).map(f => [f.rule, f.field, f.severity, f.message]))""",
        [[name, data, context] for name, data, _, context in compared],
    )
    differ = {}
    fired = set()
    for (name, data, path, _), theirs in zip(compared, js):
        ours = python_kit_side(data, path)
        fired |= {f[0] for f in ours}
        if ours != theirs:
            differ[name] = {"python": ours, "js": theirs}
    assert differ == {}
    assert fired == {r.id for r in rules().for_kind("kit")}  # every kit rule speaks at least once


def test_without_a_context_the_cross_file_kit_checks_find_nothing_in_both(page) -> None:
    data = {"owner": "sam", "stories": ["no-such-story"], "playbooks": [{"hypothetical": "incomplete-data", "steps": ["One step."]}]}
    js = page.evaluate("(data) => HandbookChecker.check(data, 'kit', T, R, 'kits').map(f => f.rule)", data)
    assert js == [f[0] for f in python_side(data, "kit", "kits")] == ["kit-playbook-length"]


def test_checker_js_knows_every_check_python_does(page) -> None:
    known = page.evaluate("() => Object.keys(HandbookChecker.PARAMS).concat(Object.keys(HandbookChecker.UNTYPED)).sort()")
    assert known == sorted(CHECKS)


def test_checker_js_declares_the_params_each_python_model_does(page) -> None:
    declared = page.evaluate(
        "() => Object.fromEntries(Object.entries(HandbookChecker.PARAMS).map(([k, v]) => "
        "[k, Object.fromEntries(Object.entries(v).map(([p, s]) => [p, Boolean(s.required)]))]))"
    )
    # The prep-kit checks (kits.py) declare no model: checker.js keeps them in UNTYPED.
    expected = {name: {field: info.is_required() for field, info in check.params.model_fields.items()} for name, check in CHECKS.items() if check.params}
    assert declared == expected


BAD_PARAMS = [
    ("tradeoffs", {"path": "decisions", "fields": ["alternative"], "any_of": ["why"], "minimum": 1}),
    ("tradeoffs", {"path": "decisions", "fields": ["alternative"], "any_of": ["why"], "min": "1"}),
    ("tradeoffs", {"path": "decisions", "fields": ["alternative"], "any_of": ["why"], "min": 0}),
    ("quantified-impact", {"kind": ["technical"]}),
    ("quantified-impact", {"kinds": []}),
    ("quantified-impact", {"kinds": ["technical", "bussiness"]}),
    ("i-vs-we", {"min_i": 4, "max_share": 1.5}),
    ("team", {"path": "role", "fields": ["role"], "words": ["team"], "match": "exact"}),
    ("length-target", {"outside": "story_minute"}),
    ("reflection", {"path": "lessons", "fields": ["lessons.learned"]}),
]


@pytest.mark.parametrize(("rule_id", "params"), BAD_PARAMS, ids=[f"{r}-{i}" for i, (r, _) in enumerate(BAD_PARAMS)])
def test_both_checkers_refuse_the_same_params(page, rule_id: str, params: dict) -> None:
    raw = yaml.safe_load((DATA_DIR / "rules.yml").read_text(encoding="utf-8"))
    [rule] = [r for r in raw["rules"] if r["id"] == rule_id]
    rule["params"] = params
    from prep_handbook.rules import Rules, RulesError

    with pytest.raises(RulesError) as caught:
        Rules.model_validate(raw)
    python_says = sorted(format_field(loc) for loc, _, _ in caught.value.problems)
    js_says = page.evaluate("(rules) => HandbookChecker.ruleProblems(rules)", raw)
    assert [line.partition(": ")[0] for line in js_says] == [f"rule {rule_id}"] * len(js_says)
    assert js_says and len(js_says) == len(python_says), (js_says, python_says)
    refused = page.evaluate(
        "([rules, t]) => { try { HandbookChecker.check({}, 'story', t, rules); return ''; } catch (e) { return e.message; } }",
        [raw, {"story": template().story.model_dump(mode="json")}],
    )
    assert refused.startswith("rules.yml: rule " + rule_id)


def test_the_shipped_rules_are_accepted_by_both(page) -> None:
    assert load_rules(DATA_DIR / "rules.yml").rules  # Python: loads without a problem
    assert page.evaluate("() => HandbookChecker.ruleProblems(R)") == []
