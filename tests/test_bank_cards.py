"""Bank stories are as complete as the worked examples: each gets a page with its rehearsal timer and a
generated one-page print card, with no hand-written page and no nav edit; `make pdf OWNER=` prints one owner's cards."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import ROOT, entry_ids, handbook, mkdocs_build
from htmltext import page_text
from makekit import make
from prep_handbook import bank, printing

BROKEN = ROOT / "tests" / "fixtures" / "broken"


@pytest.mark.parametrize("entry", entry_ids("stories"), indirect=True)
def test_each_story_page_has_its_timer_and_links_its_card(built_site: Path, entry) -> None:
    html = (built_site / "bank" / "stories" / f"{entry.slug}.html").read_text(encoding="utf-8")
    low, high = handbook().rules.speaking.story_minutes
    assert f'data-low="{int(low * 60)}" data-high="{int(high * 60)}"' in html
    assert html.count("data-timer") == 1
    assert '<script src="../../assets/handbook/timer.js"></script>' in html
    assert f'href="../../print/bank/{entry.slug}.html"' in html


@pytest.mark.parametrize("entry", entry_ids("stories"), indirect=True)
def test_each_story_has_a_generated_card_with_its_title_headline_and_owner(built_site: Path, entry) -> None:
    card = built_site / "print" / "bank" / f"{entry.slug}.html"
    text = page_text(card)
    assert entry.data["title"] in text and entry.data["headline"] in text and entry.data["owner"] in text
    assert 'class="hb-print hb-card"' in card.read_text(encoding="utf-8")


def test_card_stubs_are_generated_not_written_by_hand(tmp_path: Path) -> None:
    """Cards come from the data: written beside the story stubs, gitignored, removed with their story."""
    docs = tmp_path / "docs"
    bank.write_story_stubs(handbook(), docs)
    card = docs / "print" / "bank" / "flaky-ci.md"
    front, markdown = card.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    assert "render_macros: false" in front.splitlines()
    assert markdown.rstrip("\n") == printing.story_card(handbook().get("stories", "flaky-ci"), handbook()).rstrip("\n")
    (docs / "print" / "bank" / "gone.md").write_text("old", encoding="utf-8")
    bank.write_story_stubs(handbook(), docs)
    assert sorted(p.stem for p in (docs / "print" / "bank").iterdir()) == sorted(e.slug for e in handbook().folder("stories"))
    assert "/docs/print/bank/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not list((ROOT / "docs" / "print" / "bank").glob("*.md")) or all(
        "Generated from data/stories/" in p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "print" / "bank").glob("*.md")
    )


def test_a_new_story_gets_its_page_timer_and_card_with_no_other_edit(project: Path, tmp_path: Path) -> None:
    shutil.copy(BROKEN / "ok-control.yml", project / "data" / "stories" / "nightly-reports.yml")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site" / "bank" / "stories" / "nightly-reports.html").read_text(encoding="utf-8")
    assert "data-timer" in page and 'href="../../print/bank/nightly-reports.html"' in page
    assert "Faster nightly reports" in page_text(tmp_path / "site" / "print" / "bank" / "nightly-reports.html")
    assert "nightly-reports" not in re.sub(r"<article.*</article>", "", (tmp_path / "site" / "index.html").read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.slow
@pytest.mark.browser
def test_make_pdf_owner_prints_only_that_owners_cards_and_sheet(tmp_path: Path) -> None:
    from makekit import make_project

    project = make_project(tmp_path / "project")
    result = make(project, "pdf", "OWNER=ana")
    assert result.returncode == 0, result.stdout + result.stderr
    ana = sorted(e.slug for e in handbook().folder("stories") if e.data["owner"] == "ana")
    assert ana == ["flaky-ci", "search-indexing"]
    expected = [f"bank-{slug}.pdf" for slug in ana] + ["sheets-ana.pdf"]
    assert sorted(p.name for p in (project / "pdf").iterdir()) == expected
    assert [line for line in result.stdout.splitlines() if line.startswith("pdf/")] == [f"pdf/{name}: 1 page" for name in expected]
    refused = make(project, "pdf", "OWNER=zed")
    assert refused.returncode != 0
    assert "error: no story in data/stories/ has the owner 'zed' (owners: ana, ben, chen)" in refused.stderr
