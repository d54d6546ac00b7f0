"""Figures as people state them, and the one way the handbook writes a number.

The shared cases (tests/cases/figures.yml, tests/cases/quantities.yml) are run here against
prep_handbook/figures.py; tests/browser/test_figures_parity.py runs the same files against
figures.js. Then: what the checker says about a claim it cannot read, numbers that are not
numbers, and one walk over every outcome in data/ that finds the same formatted figures on its
built page, its print card, its Markdown export and in the checker's message.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from support import DATA_DIR, ROOT, entry_ids, handbook
from htmltext import page_text
from prep_handbook import figures, pages, printing
from prep_handbook.cli import main
from prep_handbook.loader import load_entry

CASES = yaml.safe_load((ROOT / "tests" / "cases" / "figures.yml").read_text(encoding="utf-8"))
QUANTITIES = yaml.safe_load((ROOT / "tests" / "cases" / "quantities.yml").read_text(encoding="utf-8"))["quantity"]


def case_id(case: dict) -> str:
    """Name a change case by its numbers and claim."""
    return f"{case['baseline']}->{case['outcome']} {case['unit']} {case['change']}"


# --- the shared cases ---------------------------------------------------------------------


def test_there_are_at_least_150_change_cases_right_and_wrong() -> None:
    oks = [c["ok"] for c in CASES["change"]]
    assert len(oks) >= 150
    assert oks.count(True) >= 75 and oks.count(False) >= 50
    assert {c.get("status", "ok" if c["ok"] else "wrong") for c in CASES["change"]} == {"ok", "wrong", "unreadable", "undefined"}


@pytest.mark.parametrize("case", CASES["change"], ids=case_id)
def test_change_case(case: dict) -> None:
    verdict = figures.assess_change(case["baseline"], case["outcome"], case["change"], case["unit"])
    expected_status = case.get("status", "ok" if case["ok"] else "wrong")
    assert (verdict.status, verdict.correct) == (expected_status, case.get("correct"))
    assert figures.check_change(case["baseline"], case["outcome"], case["change"], case["unit"]) == (case["ok"], case.get("correct"))


@pytest.mark.parametrize("case", QUANTITIES, ids=lambda c: f"{c['value']} {c['unit']}")
def test_quantity_case(case: dict) -> None:
    assert figures.quantity(case["value"], case["unit"]) == case["text"]
    assert "e+" not in case["text"] and "e-" not in case["text"]


# --- issue 10's wrong verdicts, spelled out -----------------------------------------------

ISSUE_10 = [
    (620, 310, "ms", "cut by half"),
    (620, 310, "ms", "2x faster"),
    (620, 310, "ms", "fifty percent lower"),
    (100, 75, "ms", "about −25%"),
    (100, 75, "ms", "~−25%"),
    (100, 75, "ms", "20–30%"),
    (100, 75, "ms", "over 20% lower"),
    (184, 114, "$k/month", "−$70k/month"),
    (3000000, 1800000, "$/year", "−$1.2 million"),
    (5, 4.5, "%", "−50 bps"),
    (100, 80, "", "−20,0 %"),
]


@pytest.mark.parametrize("numbers", ISSUE_10, ids=lambda n: n[3])
def test_each_claim_the_checker_used_to_call_wrong_is_right(numbers: tuple) -> None:
    baseline, outcome, unit, change = numbers
    assert figures.assess_change(baseline, outcome, change, unit).status == "ok"


def test_money_is_never_scaled_twice_nor_printed_in_exponent_form() -> None:
    assert figures.check_change(184, 114, "−$60k/month", "$k/month") == (False, "−$70k/month")
    assert figures.check_change(3000000, 1800000, "−$1.5 million", "$/year") == (False, "−$1.2 million")
    assert figures.check_change(5, 4.5, "−1 bps", "%") == (False, "−50 bps")
    assert figures.quantity(2500000, "$/year") == "$2.5M/year"
    assert figures.quantity(184, "$k/month") == "$184k/month"


# --- what the checker says ---------------------------------------------------------------


def story_with_change(change: str, baseline: float = 184, outcome: float = 114, unit: str = "$k/month") -> str:
    """The cost-cut story's YAML with its first outcome's numbers and change replaced."""
    text = (DATA_DIR / "stories" / "cost-cut.yml").read_text(encoding="utf-8")
    text = text.replace("    baseline: 184\n    outcome: 114\n    unit: $k/month\n    change: −38%\n",
                        f"    baseline: {baseline}\n    outcome: {outcome}\n    unit: {json.dumps(unit)}\n    change: {json.dumps(change, ensure_ascii=False)}\n")
    assert f"change: {json.dumps(change, ensure_ascii=False)}" in text
    return text


def check_text(tmp_path: Path, text: str, *options: str) -> tuple[int, str]:
    """Run `handbook check` on a story written to a file; return (exit code, stdout)."""
    path = tmp_path / "story.yml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", *options, str(path)])
    return result.exit_code, result.stdout


def test_a_wrong_figure_is_an_error_in_the_writers_form(tmp_path: Path) -> None:
    code, out = check_text(tmp_path, story_with_change("−$60k/month"))
    assert code == 1
    assert ("error: outcomes[0].change: 'Monthly storage cost': $184k/month → $114k/month is −$70k/month, "
            "not −$60k/month [honest-arithmetic]") in out


def test_a_claim_that_cannot_be_read_is_a_note_with_the_accepted_forms_never_is_x_not_y(tmp_path: Path) -> None:
    code, out = check_text(tmp_path, story_with_change("a big saving"))
    assert code == 0
    [line] = [line for line in out.splitlines() if "[readable-change]" in line]
    assert ": warning: outcomes[0].change: 'Monthly storage cost': cannot read 'a big saving' as a change " in line
    assert "($184k/month → $114k/month is −38%); write it like −53%, +0.9 pp" in line
    assert ", not " not in line
    assert "honest-arithmetic" not in out


def test_a_relative_change_from_zero_is_named_undefined(tmp_path: Path) -> None:
    code, out = check_text(tmp_path, story_with_change("+100%", baseline=0, outcome=2500000, unit="$/year"))
    assert code == 1
    assert ("'Monthly storage cost': $0/year → $2.5M/year starts at 0, where a change in % or × is undefined: "
            "say +$2.5M/year, not +100% [honest-arithmetic]") in out


# --- numbers that are not numbers --------------------------------------------------------

BROKEN_NUMBERS = [
    (".inf", "must be a finite number; got .inf"),
    ("-.inf", "must be a finite number; got -.inf"),
    (".nan", "must be a number; got .nan (not a number)"),
    ("1.0e+400", "must be a finite number; got .inf"),
    ("1" + "0" * 30, "must be between −10^15 and 10^15; got 100000000000000000000..."),
    ("-2000000000000000.5", "must be between −10^15 and 10^15; got -2000000000000000.5"),
]


@pytest.mark.parametrize(("value", "message"), BROKEN_NUMBERS, ids=[v for v, _ in BROKEN_NUMBERS])
def test_a_number_that_is_not_a_number_is_one_shape_error_and_valid_json(tmp_path: Path, value: str, message: str) -> None:
    text = story_with_change("−38%").replace("    baseline: 184\n", f"    baseline: {value}\n")
    code, out = check_text(tmp_path, text)
    assert code == 1
    assert out.splitlines() == [f"{tmp_path / 'story.yml'}:51:15: outcomes[0].baseline: {message}",
                                "1 file checked: 1 error, 0 warnings"]
    code, out = check_text(tmp_path, text, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert [(f["line"], f["col"], f["field"], f["message"]) for f in report["findings"]] == [(51, 15, "outcomes[0].baseline", message)]


def test_a_team_size_past_the_range_is_refused_too(tmp_path: Path) -> None:
    text = story_with_change("−38%").replace("  team_size: 5\n", "  team_size: 100000000000000000000\n")
    code, out = check_text(tmp_path, text)
    assert code == 1
    assert "role.team_size: must be between −10^15 and 10^15; got 100000000000000000000" in out


# --- one formatter, every rendering --------------------------------------------------------


def outcome_records(entries: list | None = None) -> list[tuple[str, object, int, dict]]:
    """Every outcome with numbers of some entries (all projects and stories in data/): (id, entry, index, record)."""
    if entries is None:
        entries = [*handbook().folder("projects"), *handbook().folder("stories")]
    found = []
    for entry in entries:
        for i, record in enumerate(entry.data.get("outcomes", [])):
            if "baseline" in record or "outcome" in record:
                found.append((f"{entry.folder}/{entry.slug}[{i}]", entry, i, record))
    return found
PAGES = {"projects": "examples/{slug}.html", "stories": "bank/stories/{slug}.html"}


def markdown_text(markdown: str) -> str:
    """What a reader sees of the site's escaped Markdown: backslash escapes and entities undone."""
    return " ".join(html.unescape(re.sub(r"\\(.)", r"\1", markdown)).split())


def test_every_outcome_in_data_has_numbers_to_walk() -> None:
    outcomes = outcome_records()
    assert len(outcomes) >= 15
    assert any(r.get("unit") == "$k/month" for _, _, _, r in outcomes)


def test_the_cost_cut_story_reads_the_same_everywhere(built_site: Path) -> None:
    entry = handbook().get("stories", "cost-cut")
    shown = "$184k/month → $114k/month"
    assert figures.outcome_figures(entry.data["outcomes"][0]) == shown
    assert shown in page_text(built_site / "bank" / "stories" / "cost-cut.html")
    assert shown in markdown_text(printing.story_card(entry, handbook()))
    assert f"   - Baseline → outcome: {shown}\n" in pages.story_markdown(entry.data, handbook())
    assert "184 $k/month" not in page_text(built_site / "bank" / "stories" / "cost-cut.html")


@pytest.mark.parametrize("entry", entry_ids("projects", "stories"), indirect=True)
def test_an_outcomes_figures_read_the_same_on_its_page_card_export_and_message(built_site: Path, tmp_path: Path, entry) -> None:
    for _, _, index, record in outcome_records([entry]):
        assert_same_figures_everywhere(built_site, tmp_path, entry, index, record)


def assert_same_figures_everywhere(built_site: Path, tmp_path: Path, entry, index: int, record: dict) -> None:
    """Assert that one outcome's figures read the same on its page, card, export and checker message."""
    shown = figures.outcome_figures(record)
    unit = record.get("unit", "")
    expected = " → ".join(figures.quantity(record[k], unit) for k in ("baseline", "outcome") if k in record)
    assert shown == expected and "e+" not in shown
    page = built_site / PAGES[entry.folder].format(slug=entry.slug)
    assert shown in page_text(page), page
    assert shown in markdown_text(printing.story_card(entry, handbook()))
    assert f": {shown}\n" in pages.story_markdown(entry.data, handbook())
    if "baseline" in record and "outcome" in record:
        # A wrong change on this outcome: the checker's message shows the same figures.
        data = json.loads(json.dumps(entry.data))
        data["outcomes"][index]["change"] = "+999%"
        path = tmp_path / entry.path.name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        checked, problems = load_entry(path, entry.folder, handbook().template, handbook().rules, None)
        assert not problems and checked is not None
        [message] = [f.message for f in checked.findings if f.rule == "honest-arithmetic"]
        assert message.startswith(f"'{record['metric']}': {shown} ")  # is …, or starts at 0 …
