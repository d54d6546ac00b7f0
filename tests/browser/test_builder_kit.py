"""The prep-kit form of the builder page: generated from template.yml `kit`, checked in the page as
`handbook check` checks a kit, and written out as the YAML `handbook new --kit` scaffolds, filled.

A blank kit form scolds no one; a field's notes appear once the writer leaves it; the findings the
page shows are the ones `handbook check` gives the YAML the page writes; a kit filled in the form
checks clean and loads back as the data that was typed. The page has no axe violation with the kit
form open and findings showing, in both schemes, on a desktop and a phone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from prep_handbook import kits
from prep_handbook.cli import main
from prep_handbook.problems import format_field
from prep_handbook.tools import KIT_SCHEMA_URL
from support import copy_project, handbook

from .kit import ROOT, SCHEMES, WIDTHS
from .test_accessibility import violations

pytestmark = pytest.mark.browser

ANA = handbook().get("kits", "ana").data


def open_kit(open_page, site: Path, query: str = "?kind=kit", **options):
    """Open the builder page with the prep-kit form chosen."""
    page, guard = open_page(**options)
    page.goto((site / "tools" / "builder.html").as_uri() + query)
    page.wait_for_function("() => window.HandbookKitBuilder !== undefined")
    return page, guard


def settle(page) -> None:
    """Let the kit builder catch up with the last keystroke."""
    page.evaluate("() => window.HandbookKitBuilder.update(false)")


def shown(page) -> list[str]:
    """The kit findings listed in the checker panel, as `field: message [rule]`."""
    return page.locator("#hb-kit-summary-list li").all_inner_texts()


def type_into_list(page, group: str, values: list[str]) -> None:
    """Type items into a list field of the kit form, adding an item for each after the first."""
    for i, value in enumerate(values):
        if i:
            page.locator(f"{group} > [data-add]").click()
        page.locator(f"{group} > ol > li [data-input]").nth(i).fill(value)


def test_the_page_offers_a_story_or_a_prep_kit_and_remembers_the_choice(open_page, site: Path) -> None:
    page, guard = open_kit(open_page, site, query="")
    assert page.locator("#hb-builder").is_visible() and page.locator("#hb-kit-builder").is_hidden()
    page.get_by_label("My prep kit").check()
    assert page.locator("#hb-kit-builder").is_visible() and page.locator("#hb-builder").is_hidden()
    page.reload()
    page.wait_for_function("() => window.HandbookKitBuilder !== undefined")
    assert page.locator("#hb-kit-builder").is_visible() and page.get_by_label("My prep kit").is_checked()
    assert guard.problems() == []


def test_a_blank_kit_form_scolds_no_one(open_page, site: Path) -> None:
    page, guard = open_kit(open_page, site)
    page.locator("#hb-kit-f-owner").focus()
    page.locator("#hb-kit-f-target-role").focus()  # leaving an empty field is not writing in it
    settle(page)
    assert page.locator("#hb-kit-form .hb-finding").count() == 0
    assert shown(page) == []
    assert page.locator("#hb-kit-summary-count").inner_text().startswith("Start writing")
    assert page.locator("#hb-kit-duration").is_hidden()
    assert guard.problems() == []


def test_the_owner_alone_gives_exactly_the_file_handbook_new_kit_writes(open_page, site: Path) -> None:
    page, _ = open_kit(open_page, site)
    page.locator("#hb-kit-f-owner").fill("jane")
    settle(page)
    assert page.locator("#hb-kit-out-yaml").inner_text() == kits.blank_kit(handbook(), "jane", KIT_SCHEMA_URL)
    assert page.locator("#hb-kit-filename").inner_text() == "data/kits/jane.yml"
    with page.expect_download() as download:
        page.locator("#hb-kit-builder [data-download=yaml]").click()
    assert download.value.suggested_filename == "jane.yml"


def test_choosing_a_hypothetical_lays_out_the_handbooks_steps(open_page, site: Path) -> None:
    page, _ = open_kit(open_page, site)
    row = page.locator("#hb-kit-f-playbooks-group li.hb-row").first
    row.locator('[data-field="hypothetical"] select').select_option("ambiguous-requirements")
    settle(page)
    steps = kits.guide_steps(handbook().get("hypotheticals", "ambiguous-requirements"), handbook().template)
    inputs = row.locator('[data-field="steps"] > ol > li [data-input]')
    assert [inputs.nth(i).get_attribute("placeholder") for i in range(inputs.count())] == steps
    assert row.locator("[data-guide]").inner_text() == "The handbook's steps: " + "; ".join(f"{i}. {s}" for i, s in enumerate(steps, 1)) + "."


def test_the_findings_shown_are_the_ones_handbook_check_gives_the_yaml_written(open_page, site: Path, tmp_path: Path) -> None:
    page, guard = open_kit(open_page, site)
    page.locator("#hb-kit-f-owner").fill("jane")
    type_into_list(page, "#hb-kit-f-stories-group", ["flaky-ci", "flaky-cl"])
    row = page.locator("#hb-kit-f-playbooks-group li.hb-row").first
    row.locator('[data-field="hypothetical"] select').select_option("ambiguous-requirements")
    settle(page)
    for i, step in enumerate(["I ask what the user needs.", "I time-box discovery.", "We improved it a lot.", "I ship in slices."]):
        row.locator('[data-field="steps"] > ol > li [data-input]').nth(i).fill(step)
    type_into_list(page, "#hb-kit-f-guardrails-group", ["Canary at 5% for a day", "A flag on-call can turn off"])
    page.locator("#hb-kit-f-target-role").focus()
    page.locator("#hb-kit-clear").focus()  # the last field is left too
    settle(page)
    in_page = shown(page)
    assert guard.problems() == []

    project = copy_project(tmp_path / "project")
    kit = project / "data" / "kits" / "jane.yml"
    kit.write_text(page.locator("#hb-kit-out-yaml").inner_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["--data", str(project / "data"), "check", "--format", "json", str(kit)])
    findings = json.loads(result.stdout)["findings"]
    expected = sorted(f"{f['field']}: {f['message']} [{f['rule']}]" for f in findings)
    assert sorted(in_page) == expected
    assert {f["rule"] for f in findings} == {"kit-story-missing", "kit-playbook-steps", "kit-playbook-length", "kit-guardrails", "kit-vague-words"}
    assert page.locator('#hb-kit-f-stories-group [data-findings] li').inner_text().startswith(
        "Error: 'flaky-cl' is not a story in data/stories/ or data/projects/"
    )
    shutil.rmtree(project)


def test_a_kit_filled_in_the_form_checks_clean_and_loads_back_as_typed(open_page, site: Path, tmp_path: Path) -> None:
    page, guard = open_kit(open_page, site)
    page.evaluate("data => HandbookKitBuilder.fill(data)", ANA)
    assert page.evaluate("() => HandbookKitBuilder.collect()") == ANA
    text = page.locator("#hb-kit-out-yaml").inner_text()
    assert text.startswith(kits.kit_scaffold(handbook().template, KIT_SCHEMA_URL)["header"] + "\n\n")
    assert yaml.safe_load(text) == ANA
    assert shown(page) == [] and page.locator("#hb-kit-builder").get_attribute("data-errors") == "0"
    project = copy_project(tmp_path / "project")
    kit = project / "data" / "kits" / "ana.yml"
    kit.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--data", str(project / "data"), "check", str(kit)])
    assert result.exit_code == 0 and result.stdout.splitlines() == ["1 file checked: 0 errors, 0 warnings"], result.output
    assert guard.problems() == []


def test_a_kit_loaded_from_yaml_fills_the_form(open_page, site: Path) -> None:
    page, _ = open_kit(open_page, site)
    page.locator("#hb-kit-load-text").fill((ROOT / "data" / "kits" / "ben.yml").read_text(encoding="utf-8"))
    page.locator("#hb-kit-load-button").click()
    assert page.locator("#hb-kit-load-status").inner_text() == "Loaded ben's prep kit from the pasted text."
    settle(page)
    assert [line.rsplit(" [", 1)[1] for line in shown(page)] == ["kit-playbook-length]", "kit-guardrails]"]
    fields = [format_field(("playbooks", 0, "steps")), "guardrails"]
    assert [line.split(": ", 1)[0] for line in shown(page)] == fields


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violation_with_the_kit_form_and_its_findings(open_page, site: Path, scheme: str, width: int) -> None:
    page, guard = open_kit(open_page, site, width=width, scheme=scheme)
    page.locator("#hb-kit-f-owner").fill("jane")
    type_into_list(page, "#hb-kit-f-stories-group", ["flaky-ci", "flaky-cl"])
    page.locator("#hb-kit-f-playbooks-group li.hb-row").first.locator("select").select_option("scope-negotiation")
    type_into_list(page, "#hb-kit-f-guardrails-group", ["Canary at 5% for a day"])
    page.evaluate("() => HandbookKitBuilder.checkEverything()")
    assert page.locator("#hb-kit-form .hb-finding").count() == 3  # the missing story, the empty steps, one guardrail
    page.mouse.move(0, 0)  # off the last button clicked, whose hover colours fade for a moment
    page.wait_for_timeout(500)
    assert guard.problems() == []
    assert violations(page) == []


def test_the_kit_draft_is_kept_apart_from_the_story_draft(open_page, site: Path) -> None:
    page, guard = open_kit(open_page, site)
    page.locator("#hb-kit-f-owner").fill("jane")
    type_into_list(page, "#hb-kit-f-guardrails-group", ["Canary at 5% for a day"])
    page.evaluate("() => HandbookKitBuilder.update(true)")
    page.get_by_label("A project story").check()
    page.locator("#hb-f-title").fill("Search freshness")
    page.evaluate("() => HandbookBuilder.update(true)")
    page.reload()
    page.wait_for_function("() => window.HandbookKitBuilder !== undefined")
    assert page.evaluate("() => HandbookBuilder.collect().title") == "Search freshness"
    assert page.evaluate("() => HandbookKitBuilder.collect()") == {"owner": "jane", "guardrails": ["Canary at 5% for a day"]}
    assert guard.problems() == []
