"""figures.js and figures.py give the same answers, text for text, in Chromium from a file:// site.

tests/browser/test_tools.py already runs the shared change cases through `checkChange`; here the
full verdict (status, figure, explanation) of every shared case and of a few hundred generated
claims, the formatter's cases, every outcome of data/ as the builder writes it, and the checker's
messages on the cost-cut story with a wrong and an unreadable change.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from prep_handbook import figures, pages
from prep_handbook.loader import load_entry
from prep_handbook.paths import DATA_DIR
from support import handbook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "figures.yml").read_text(encoding="utf-8"))["change"]
QUANTITIES = yaml.safe_load((ROOT / "tests" / "cases" / "quantities.yml").read_text(encoding="utf-8"))["quantity"]

FORMS = [
    "{s}{r}%", "{r}% lower", "{r}% higher", "about {s}{r}%", "~{s}{r}%", "over {r}%", "up to {r}%", "nearly {r}%",
    "{lo}–{hi}%", "{lo}-{hi}% lower", "{lo} to {hi}%", "{s}{p} pp", "{s}{b} bps", "{x}× faster", "{x}x fewer",
    "{x} times more", "halved", "doubled", "cut by a third", "{s}${k}k/month", "{s}{k} $k/month", "{s}€{m}M",
    "{s}{r},{d} %", "{s}{k}k", "a big change", "{s}{r}% ({s}{k}k)", "twice as fast", "{w} percent lower",
]
WORDS = ["ten", "twenty", "fifty", "seventy-five"]
UNITS = ["", "ms", "%", "$k/month", "$/month", "€", "users", "h", "builds/day"]


def generated_claims(count: int = 400, seed: int = 10) -> list[dict]:
    """Claims in every form, some right and most a little off, from a fixed seed."""
    rng = random.Random(seed)
    claims = []
    for _ in range(count):
        baseline = rng.choice([0, rng.randint(1, 1000), round(rng.uniform(0.1, 99), 1), rng.randint(10**5, 10**8)])
        outcome = rng.choice([rng.randint(0, 1000), round(rng.uniform(0.1, 99), 1), round(baseline * rng.uniform(0.2, 3), 2)])
        r = rng.randint(0, 120)
        values = {"s": rng.choice(["", "+", "−", "-"]), "r": r, "lo": max(r - rng.randint(1, 10), 0), "hi": r + rng.randint(1, 10),
                  "p": round(rng.uniform(0, 5), 1), "b": rng.randint(0, 400), "x": round(rng.uniform(1, 5), rng.randint(0, 1)),
                  "k": rng.randint(1, 900), "m": round(rng.uniform(0.1, 9), 1), "d": rng.randint(0, 9), "w": rng.choice(WORDS)}
        claims.append({"baseline": baseline, "outcome": outcome, "unit": rng.choice(UNITS), "change": rng.choice(FORMS).format(**values)})
    return claims


def python_verdict(case: dict) -> list:
    """The Python side's full verdict: status, figure, explanation."""
    verdict = figures.assess_change(case["baseline"], case["outcome"], case["change"], case["unit"])
    return [verdict.status, verdict.correct, verdict.explain()]


@pytest.fixture
def builder_page(open_page, site: Path):
    """The story builder opened from disk: figures.js, checker.js and builder.js loaded."""
    page, guard = open_page()
    page.goto((site / "tools" / "builder.html").as_uri())
    page.wait_for_function("() => window.HandbookBuilder !== undefined")
    yield page
    assert guard.problems() == []


def test_every_shared_case_and_generated_claim_gets_the_same_verdict(builder_page) -> None:
    claims = CASES + generated_claims()
    got = builder_page.evaluate(
        """cases => cases.map(c => { const v = HandbookFigures.assessChange(c.baseline, c.outcome, c.change, c.unit);
                                   return [v.status, v.correct, v.explain()]; })""",
        claims,
    )
    assert len(got) == len(CASES) + 400
    differ = [(case, js, python_verdict(case)) for case, js in zip(claims, got) if js != python_verdict(case)]
    assert differ == []
    for case, (status, correct, _) in zip(CASES, got):
        assert (status, correct) == (case.get("status", "ok" if case["ok"] else "wrong"), case.get("correct")), case
    statuses = {python_verdict(c)[0] for c in claims}
    assert statuses == {"ok", "wrong", "unreadable", "undefined"}


def test_the_formatter_writes_every_quantity_the_same(builder_page) -> None:
    got = builder_page.evaluate("cases => cases.map(c => HandbookFigures.quantity(c.value, c.unit))", QUANTITIES)
    assert got == [c["text"] for c in QUANTITIES]
    records = [r for e in [*handbook().folder("projects"), *handbook().folder("stories")] for r in e.data.get("outcomes", [])]
    shown = builder_page.evaluate("records => records.map(r => HandbookFigures.outcomeFigures(r))", records)
    assert shown == [figures.outcome_figures(r) for r in records]
    assert "$184k/month → $114k/month" in shown


def test_the_builders_markdown_of_the_cost_cut_story_is_the_exports(builder_page) -> None:
    entry = handbook().get("stories", "cost-cut")
    markdown = builder_page.evaluate("data => HandbookBuilder.toMarkdown(data)", entry.data)
    assert markdown == pages.story_markdown(entry.data, handbook())
    assert "   - Baseline → outcome: $184k/month → $114k/month\n" in markdown


@pytest.mark.parametrize("change", ["−$60k/month", "a big saving", "+10% relative"])
def test_the_checkers_message_on_the_cost_cut_story_is_the_same_in_both(builder_page, tmp_path: Path, change: str) -> None:
    text = (DATA_DIR / "stories" / "cost-cut.yml").read_text(encoding="utf-8").replace("    change: −38%\n", f"    change: {json.dumps(change, ensure_ascii=False)}\n", 1)
    path = tmp_path / "cost-cut.yml"
    path.write_text(text, encoding="utf-8")
    entry, problems = load_entry(path, "stories", handbook().template, handbook().rules, None)
    assert not problems and entry is not None
    python = sorted((f.rule, f.field, f.message) for f in entry.findings if f.field == "outcomes[0].change")
    js = builder_page.evaluate(
        """data => {
            const template = JSON.parse(document.getElementById('hb-template').textContent);
            const rules = JSON.parse(document.getElementById('hb-rules').textContent);
            return HandbookChecker.check(data, 'story', template, rules).filter(f => f.field === 'outcomes[0].change')
                .map(f => [f.rule, f.field, f.message]);
        }""",
        entry.data,
    )
    assert sorted(tuple(f) for f in js) == python
    assert len(python) == 1 and "$184k/month → $114k/month" in python[0][2]
