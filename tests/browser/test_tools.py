"""The interactive tools in chromium, from a file:// site with every other request refused.

The story builder is filled the way a reader fills it and its YAML must pass `handbook
check` unchanged; its checker, arithmetic and Markdown must say exactly what the Python
side says; the calculator must reproduce the guide's figures; the timers change band at
the declared thresholds on a controlled clock; the print pages print to the expected
number of A4 pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prep_handbook import figures, pages, printing
from prep_handbook.loader import load_entry, load_handbook
from prep_handbook.paths import DATA_DIR, FOLDER_KINDS
from prep_handbook.rules import check_story, spoken_minutes
from prep_handbook.tools import STORAGE_KEY
from support import entry_ids, handbook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

ASSETS = ROOT / "overrides" / "assets"
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "figures.yml").read_text(encoding="utf-8"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rules").rglob("*.yml"))
AS_STORY = {"owner": "Ada Lovelace", "tags": ["leadership", "technical-depth"]}  # in the template's order of choices


# --------------------------------------------------------------------------- helpers


def builder(open_page, site: Path, **options):
    """Open the story builder from disk; return (page, guard)."""
    page, guard = open_page(**options)
    page.goto((site / "tools" / "builder.html").as_uri())
    page.wait_for_function("() => window.HandbookBuilder !== undefined")
    return page, guard


def number_text(value: float) -> str:
    """Write a number the way a reader types it."""
    return f"{value:g}"


def fill_field(el, spec, value) -> None:
    """Fill one generated field (located by its data-field element) with a value, as a reader would."""
    if spec.type == "object":
        for sub in spec.fields:
            if sub.key in value:
                fill_field(el.locator(f":scope > .hb-fields > [data-field='{sub.key}']"), sub, value[sub.key])
    elif spec.type == "records":
        for i, record in enumerate(value):
            rows = el.locator(":scope > [data-rows] > li")
            if rows.count() <= i:
                el.locator(":scope > [data-add]").click()
            row = rows.nth(i)
            for sub in spec.fields:
                if sub.key in record:
                    fill_field(row.locator(f":scope > fieldset > .hb-fields > [data-field='{sub.key}']"), sub, record[sub.key])
    elif spec.type == "list" and spec.choices:
        for choice in value:
            el.locator(f"input[data-choice][value='{choice}']").check()
    elif spec.type == "list":
        for i, item in enumerate(value):
            inputs = el.locator(":scope > [data-items] > li [data-input]")
            if inputs.count() <= i:
                el.locator(":scope > [data-add]").click()
            inputs.nth(i).fill(item)
    elif spec.type == "choice":
        el.locator("select").select_option(value)
    elif spec.type in ("integer", "number"):
        el.locator("[data-input]").fill(number_text(value))
    else:
        el.locator("[data-input]").fill(value)


def fill_story(page, data: dict) -> None:
    """Fill the builder with a story, field by field."""
    for spec in handbook().template.story.fields:
        if spec.key in data:
            fill_field(page.locator(f"#hb-form > section > [data-field='{spec.key}']"), spec, data[spec.key])


def settled_yaml(page) -> str:
    """Wait for the builder to catch up with the last keystroke; return its YAML."""
    page.wait_for_function("() => { const b = window.HandbookBuilder; b.update(false); return true; }")
    return page.locator("#hb-out-yaml").inner_text()


def check_with_cli(story_yaml: str, tmp_path: Path, name: str) -> subprocess.CompletedProcess:
    """Save a story into a copy of data/stories/ and run `handbook check` on it."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("stories"))
    (data / "stories").mkdir()
    path = data / "stories" / name
    path.write_text(story_yaml, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(BIN / "handbook"), "--data", str(data), "check", str(path)], capture_output=True, text=True, env=env, timeout=120)


def python_findings(data: dict, kind: str) -> list[tuple[str, str, str]]:
    """Run the Python checker's vocabulary over data: (rule, field, message) for each finding."""
    from prep_handbook.problems import format_field

    return sorted((f.rule, format_field(f.loc), f.message) for f in check_story(data, kind, handbook().template, handbook().rules))


def js_findings(page, data: dict, kind: str) -> list[tuple[str, str, str]]:
    """Run checker.js over the same data in the page: (rule, field, message) for each finding."""
    found = page.evaluate(
        """([data, kind]) => {
            const template = JSON.parse(document.getElementById('hb-template').textContent);
            const rules = JSON.parse(document.getElementById('hb-rules').textContent);
            return HandbookChecker.check(data, kind, template, rules).map(f => [f.rule, f.field, f.message]);
        }""",
        [data, kind],
    )
    return sorted(tuple(f) for f in found)


# --------------------------------------------------------------------------- the builder


def test_builder_filled_with_the_p99_example_gives_yaml_that_handbook_check_passes(open_page, site: Path, engine: str, tmp_path: Path) -> None:
    story = {**handbook().get("projects", "p99-latency").data, **AS_STORY}
    page, guard = builder(open_page, site)
    fill_story(page, story)
    text = settled_yaml(page)
    assert text.startswith("# Project story, written with the handbook's story builder.\n")
    assert "data/stories/cutting-p99-latency-of-a-critical-api.yml" in page.locator("#hb-filename").inner_text()
    assert yaml.safe_load(text) == story

    result = check_with_cli(text, tmp_path, "cutting-p99-latency-of-a-critical-api.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    entry = load_handbook(tmp_path / "data").get("stories", "cutting-p99-latency-of-a-critical-api")
    assert entry.data == story and entry.errors == []

    # What the panel shows is what `handbook check` finds: the three baseline-outcome warnings.
    shown = page.locator("#hb-summary-list > li").all_inner_texts()
    assert shown == [f"{f.field}: {f.message} [{f.rule}]" for f in entry.findings]
    assert [f.rule for f in entry.findings] == ["baseline-outcome"] * 3
    assert page.locator("#hb-summary-count").inner_text() == "0 errors, 3 warnings"
    minutes = f"{spoken_minutes(story, handbook().template, handbook().rules.speaking):.1f}"
    assert page.locator("#hb-duration").inner_text() == f"About {minutes} min to say at 150 words a minute: on target of 2–3 min."
    assert guard.problems() == []


def test_every_field_of_the_template_is_in_the_form_with_its_prompt(open_page, site: Path) -> None:
    page, guard = builder(open_page, site)
    for spec in handbook().template.story.fields:
        el = page.locator(f"#hb-form > section > [data-field='{spec.key}']")
        assert el.count() == 1, spec.key
        assert " ".join(spec.prompt.split()) in el.locator(".hb-help").first.inner_text()
        if spec.type == "object":
            keys = el.locator(":scope > .hb-fields > [data-field]").evaluate_all("els => els.map(e => e.dataset.field)")
            assert keys == [f.key for f in spec.fields]
        if spec.type == "records":
            el.locator(":scope > [data-add]").click()
            keys = el.locator(":scope > [data-rows] > li").last.locator("[data-field]").evaluate_all("els => els.map(e => e.dataset.field)")
            assert keys == [f.key for f in spec.fields]
    # Every control has a name a screen reader can say.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('#hb-form input, #hb-form select, #hb-form textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.outerHTML)"""
    )
    assert unnamed == []
    assert page.locator("#hb-summary").get_attribute("aria-live") == "polite"
    assert guard.problems() == []


def test_reload_keeps_the_draft(open_page, site: Path) -> None:
    story = {**handbook().get("projects", "p99-latency").data, **AS_STORY}
    page, guard = builder(open_page, site)
    fill_story(page, story)
    before = settled_yaml(page)
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('Documented rollback')", arg=STORAGE_KEY)
    page.reload()
    page.wait_for_function("() => window.HandbookBuilder !== undefined")
    assert page.locator("#hb-f-title").input_value() == story["title"]
    assert page.locator("#hb-out-yaml").inner_text() == before
    assert "restored" in page.locator("#hb-saved").inner_text()
    assert guard.problems() == []


def test_a_wrong_percentage_shows_the_honest_arithmetic_finding_with_the_correct_figure(open_page, site: Path) -> None:
    page, guard = builder(open_page, site)
    fill_story(page, {**handbook().get("projects", "p99-latency").data, **AS_STORY})
    change = page.locator("#hb-form > section > [data-field='outcomes'] > [data-rows] > li").first.locator("[data-field='change'] [data-input]")
    change.fill("−60%")
    settled_yaml(page)
    wrong = {**handbook().get("projects", "p99-latency").data, "outcomes": [{**handbook().get("projects", "p99-latency").data["outcomes"][0], "change": "−60%"}, *handbook().get("projects", "p99-latency").data["outcomes"][1:]]}
    expected = [f for f in python_findings(wrong, "story") if f[0] == "honest-arithmetic"]
    assert expected == [("honest-arithmetic", "outcomes[0].change", "'p99 latency': 620 ms → 290 ms is −53%, not −60%")]
    beside = change.locator("xpath=ancestor::*[@data-field='change'][1]").locator(".hb-finding")
    assert beside.count() == 1
    assert beside.inner_text().startswith("Error: 'p99 latency': 620 ms → 290 ms is −53%, not −60%.")
    assert change.get_attribute("aria-invalid") == "true"
    assert "outcomes[0].change: 'p99 latency': 620 ms → 290 ms is −53%, not −60% [honest-arithmetic]" in page.locator("#hb-summary-list").inner_text()
    assert page.locator("#hb-summary-count").inner_text() == "1 error, 3 warnings"
    # Put it right and the finding goes.
    change.fill("−53%")
    settled_yaml(page)
    assert beside.count() == 0
    assert guard.problems() == []


def test_clear_asks_first(open_page, site: Path) -> None:
    page, guard = builder(open_page, site)
    page.remove_listener("dialog", guard.dialog)
    page.locator("#hb-f-title").fill("A story worth keeping")
    settled_yaml(page)
    answers = iter(["dismiss", "accept"])
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        getattr(dialog, next(answers))()

    page.on("dialog", answer)
    page.locator("#hb-clear").click()
    assert page.locator("#hb-f-title").input_value() == "A story worth keeping"
    page.locator("#hb-clear").click()
    assert page.locator("#hb-f-title").input_value() == ""
    assert len(asked) == 2 and asked[0].startswith("Clear every field of this story?")
    assert page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY) is None
    assert guard.problems() == []


def test_loading_a_yaml_file_fills_the_form_and_round_trips(open_page, site: Path) -> None:
    entry = handbook().get("projects", "recommendations")
    page, guard = builder(open_page, site)
    page.locator("#hb-load-file").set_input_files(str(entry.path))
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent.startsWith('Loaded')")
    assert page.locator("#hb-load-status").inner_text() == f"Loaded {entry.data['title']} from recommendations.yml."
    assert yaml.safe_load(settled_yaml(page)) == entry.data
    page.locator("#hb-load-text").fill("title: [unclosed")
    page.locator("#hb-load-button").click()
    assert "is not valid YAML" in page.locator("#hb-load-status").inner_text()
    assert page.locator("#hb-f-title").input_value() == entry.data["title"], "a bad paste must leave the form alone"
    assert guard.problems() == []


@pytest.mark.parametrize("entry", entry_ids("projects"), indirect=True)
def test_markdown_output_is_what_handbook_render_writes(open_page, site: Path, entry) -> None:
    page, guard = builder(open_page, site)
    page.evaluate("data => HandbookBuilder.fill(data)", entry.data)
    assert page.locator("#hb-out-markdown").evaluate("el => el.textContent") == pages.story_markdown(entry.data, handbook())
    assert page.evaluate("() => HandbookBuilder.outputs.markdown") == pages.story_markdown(entry.data, handbook())
    assert guard.problems() == []


def test_copy_and_download_give_the_yaml_shown(open_page, site: Path) -> None:
    page, guard = builder(open_page, site, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    page.evaluate("data => HandbookBuilder.fill(data)", {**handbook().get("projects", "p99-latency").data, **AS_STORY})
    shown = page.evaluate("() => HandbookBuilder.outputs.yaml")
    page.locator("#hb-builder [data-copy='yaml']").click()
    page.wait_for_function("() => document.querySelector('#hb-builder [data-copied=yaml]').textContent === 'Copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == shown
    with page.expect_download() as info:
        page.locator("[data-download='markdown']").click()
    download = info.value
    assert download.suggested_filename == "cutting-p99-latency-of-a-critical-api.md"
    assert Path(download.path()).read_text(encoding="utf-8") == pages.story_markdown({**handbook().get("projects", "p99-latency").data, **AS_STORY}, handbook())
    assert guard.problems() == []


def test_keyboard_only_a_list_grows_with_enter_and_shrinks_with_its_remove_button(open_page, site: Path) -> None:
    page, guard = builder(open_page, site)
    first = page.locator("#hb-form > section > [data-field='constraints'] > [data-items] > li [data-input]").first
    first.focus()
    page.keyboard.type("8-week target")
    page.keyboard.press("Enter")
    page.keyboard.type("Strict SLOs")
    items = page.locator("#hb-form > section > [data-field='constraints'] > [data-items] > li")
    assert items.count() == 2
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Constraints 2"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Remove Constraints 2"
    page.keyboard.press("Enter")
    assert items.count() == 1
    assert yaml.safe_load(settled_yaml(page))["constraints"] == ["8-week target"]
    assert guard.problems() == []


# --------------------------------------------------------------------------- one checker, two languages


def fixture_entry(path: Path):
    """Load a rule fixture as `handbook check` does (hypotheticals/ as hypotheticals, others as stories)."""
    folder = path.parent.name if path.parent.name in FOLDER_KINDS else "stories"
    entry, problems = load_entry(path, folder, handbook().template, handbook().rules, None)
    assert entry is not None, problems
    return entry


def test_checker_js_gives_the_same_findings_as_the_python_checker(open_page, site: Path) -> None:
    page, guard = builder(open_page, site)
    fixtures = [p for p in FIXTURES if p.parent.name != "kits"]  # kit checks run in Python only
    entries = [*handbook().folder("projects"), *handbook().folder("hypotheticals"), *(fixture_entry(p) for p in fixtures)]
    compared = 0
    for entry in entries:
        expected = python_findings(entry.data, entry.kind)
        assert js_findings(page, entry.data, entry.kind) == expected, entry.shown
        compared += 1
    assert compared == len(fixtures) + 5
    assert any(f for p in fixtures if p.name.endswith("-fail.yml") for f in [fixture_entry(p).findings])
    assert guard.problems() == []


def test_figures_js_passes_every_shared_case(open_page, site: Path) -> None:
    page, guard = open_page()
    page.goto((site / "index.html").as_uri())
    page.add_script_tag(path=str(ASSETS / "handbook" / "figures.js"))
    got = page.evaluate(
        """cases => ({
            change: cases.change.map(c => HandbookFigures.checkChange(c.baseline, c.outcome, c.change, c.unit)),
            ev: cases.ev.map(c => [HandbookFigures.expectedValue(c.probability, c.benefit, c.cost),
                                   HandbookFigures.evPerWeek(c.probability, c.benefit, c.cost, c.weeks)]),
            stated: cases.stated.map(c => HandbookFigures.checkStated(c.stated, c.actual)),
        })""",
        CASES,
    )
    for case, (ok, correct) in zip(CASES["change"], got["change"]):
        assert (ok, correct) == (case["ok"], case.get("correct")), case
        assert (ok, correct) == figures.check_change(case["baseline"], case["outcome"], case["change"], case["unit"])
    for case, (ev, per_week) in zip(CASES["ev"], got["ev"]):
        assert ev == pytest.approx(case["ev"], abs=1e-9) and per_week == pytest.approx(case["ev_per_week"], abs=1e-9)
        assert ev == figures.expected_value(case["probability"], case["benefit"], case["cost"])
    for case, (ok, correct) in zip(CASES["stated"], got["stated"]):
        assert [ok, correct] == [case["ok"], case["correct"]], case
    assert len(got["change"]) + len(got["ev"]) + len(got["stated"]) == sum(len(v) for v in CASES.values())
    assert guard.problems() == []


# --------------------------------------------------------------------------- the calculator


def calculator(open_page, site: Path):
    """Open the incomplete-data page from disk; return (page, guard)."""
    page, guard = open_page()
    page.goto((site / "hypotheticals" / "incomplete-data.html").as_uri())
    return page, guard


def test_calculator_reproduces_the_guides_figures(open_page, site: Path, engine: str) -> None:
    page, guard = calculator(open_page, site)
    rows = page.locator(".hb-calc tbody > tr")
    assert rows.count() == 2
    cells = [[rows.nth(i).locator(sel).inner_text() for sel in ("[data-ev]", "[data-per-week]")] for i in range(2)]
    assert cells == [["0.6 pp", "0.30 pp/week"], ["0.54 pp", "0.54 pp/week"]]
    assert page.locator(".hb-calc [data-order]").inner_text() == "B (0.54 pp/week) → A (0.30 pp/week). Start with B, then reassess."
    # The same order and figures as the page's own table, computed at build time by figures.py.
    ranked = figures.rank_options(handbook().get("hypotheticals", "incomplete-data").data["decision"]["options"])
    assert [o["name"] for o in ranked] == ["B", "A"]
    framing = handbook().get("hypotheticals", "incomplete-data").data["framing"]
    assert page.locator(".hb-calc-doors li").all_inner_texts() == framing
    assert guard.problems() == []


def test_calculator_reranks_as_the_reader_changes_the_options(open_page, site: Path) -> None:
    page, guard = calculator(open_page, site)
    rows = page.locator(".hb-calc tbody > tr")
    rows.nth(1).locator("[data-key='probability']").fill("0.3")
    assert page.locator(".hb-calc [data-order]").inner_text() == "A (0.30 pp/week) → B (0.18 pp/week). Start with A, then reassess."
    page.locator(".hb-calc [data-add]").click()
    new = rows.nth(2)
    for key, value in {"probability": "0.5", "benefit": "4", "cost": "2", "weeks": "4"}.items():
        new.locator(f"[data-key='{key}']").fill(value)
    options = [
        {"name": "A", "probability": 0.6, "benefit": 1.0, "cost": 0, "weeks": 2},
        {"name": "B", "probability": 0.3, "benefit": 0.6, "cost": 0, "weeks": 1},
        {"name": "C", "probability": 0.5, "benefit": 4, "cost": 2, "weeks": 4},
    ]
    python_order = " → ".join(f"{o['name']} ({o['ev_per_week']:.2f} pp/week)" for o in figures.rank_options(options))
    assert python_order == "A (0.30 pp/week) → C (0.25 pp/week) → B (0.18 pp/week)"
    assert page.locator(".hb-calc [data-order]").inner_text() == python_order + ". Start with A, then reassess."
    new.locator("[data-key='weeks']").fill("")
    assert page.locator(".hb-calc [data-problem]").inner_text() == "Not ranked yet: C needs weeks."
    new.locator("[data-remove]").click()
    page.locator(".hb-calc [data-reset]").click()
    assert page.locator(".hb-calc [data-order]").inner_text().startswith("B (0.54 pp/week) → A (0.30 pp/week)")
    assert guard.problems() == []


# --------------------------------------------------------------------------- the timer


def band_seconds(kind: str) -> tuple[int, int]:
    """Return a timer's on-target band in seconds, from the speaking targets in rules.yml."""
    speaking = handbook().rules.speaking
    if kind in ("story", "hypothetical"):
        low, high = getattr(speaking, f"{kind}_minutes")
        return int(low * 60), int(high * 60)
    low, high = getattr(speaking, f"{kind}_seconds")
    return int(low), int(high)


@pytest.mark.parametrize(
    ("timer_page", "kind"),
    [
        ("tools/builder.html", "story"),
        ("examples/p99-latency.html", "story"),
        ("hypotheticals/scope-negotiation.html", "hypothetical"),
        ("hypotheticals/scope-negotiation.html", "playbook"),
        ("opener.html", "opener"),
        ("bank/stories/flaky-ci.html", "story"),
    ],
)
def test_timer_changes_band_at_the_thresholds(open_page, site: Path, engine: str, timer_page: str, kind: str) -> None:
    low_s, high_s = band_seconds(kind)
    page, guard = open_page()
    page.clock.install(time=0)
    page.goto((site / timer_page).as_uri())
    # Paused, the page's clock moves only with run_for: the start click and the readings
    # below happen at exact times however slowly the machine runs.
    page.clock.pause_at(1000)
    timer = page.locator(f"[data-timer][aria-labelledby='hb-timer-{kind}-title']")
    band = timer.locator("[data-band-text]")

    def at(seconds: int) -> tuple[str, str]:
        page.clock.run_for(seconds * 1000 - page.evaluate("() => Date.now()") + started)
        return timer.locator("[data-clock]").inner_text(), band.inner_text()

    assert band.inner_text() == "Under target"
    timer.locator("[data-start]").click()
    started = page.evaluate("() => Date.now()")
    def clock(seconds: int) -> str:
        return f"{seconds // 60}:{seconds % 60:02d}"

    assert at(low_s - 1) == (clock(low_s - 1), "Under target")
    assert at(low_s) == (clock(low_s), "On target")
    assert timer.get_attribute("data-band") == "on"
    assert at(high_s) == (clock(high_s), "On target")
    assert at(high_s + 1) == (clock(high_s + 1), "Over target")
    colours = band.evaluate("el => getComputedStyle(el).backgroundColor")
    # Keyboard: K stops (the clock holds), R resets to zero and to "under".
    timer.focus()
    page.keyboard.press("k")
    held = timer.locator("[data-clock]").inner_text()
    page.clock.run_for(5000)
    assert timer.locator("[data-clock]").inner_text() == held
    assert timer.locator("[data-start]").inner_text() == "Resume"
    page.keyboard.press("r")
    assert (timer.locator("[data-clock]").inner_text(), band.inner_text()) == ("0:00", "Under target")
    assert band.evaluate("el => getComputedStyle(el).backgroundColor") != colours
    assert guard.problems() == []


# --------------------------------------------------------------------------- print


def test_print_pages_print_to_the_expected_number_of_a4_pages(site: Path, tmp_path: Path) -> None:
    # `make pdf` runs this module; a subprocess, since the session's playwright already owns this thread.
    result = subprocess.run([str(BIN / "python"), "-m", "devtools.pdf", str(site), str(tmp_path / "pdf")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    counts = {}
    for line in result.stdout.splitlines():
        path, _, pages_text = line.rpartition(": ")
        counts[Path(path).name] = int(pages_text.split()[0])
        assert Path(path).is_file()
    cards = [f"bank-{e.slug}.pdf" for e in handbook().folder("stories")]  # one generated card per bank story
    sheets = sorted(f"sheets-{p.stem}.pdf" for p in (site / "print" / "sheets").glob("*.html"))  # one per prep kit
    assert sheets == ["sheets-ana.pdf", "sheets-ben.pdf", "sheets-chen.pdf"]
    assert sorted(counts) == sorted(["card-p99-latency.pdf", "card-recommendations.pdf", "cheatsheet.pdf", "handbook.pdf", *cards, *sheets])
    assert all(counts[name] == 1 for name in cards)
    assert counts["cheatsheet.pdf"] == 1, "the cheat sheet prints on one side of A4"
    assert counts["card-p99-latency.pdf"] == 1 and counts["card-recommendations.pdf"] == 1
    parts = printing.handbook_parts(handbook(), "print/handbook.md")
    assert counts["handbook.pdf"] > len(parts), "each part of the whole handbook starts a page"
    head = (tmp_path / "pdf" / "cheatsheet.pdf").read_bytes()[:8]
    assert head.startswith(b"%PDF-")
    # A4 is 210 × 297 mm: 595.3 × 841.9 points.
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", (tmp_path / "pdf" / "cheatsheet.pdf").read_bytes())
    assert (round(float(box[1])), round(float(box[2]))) == (595, 842)
