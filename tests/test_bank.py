"""The story bank: index table, one page per story, readiness per owner, and its size at scale."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support import ROOT, copy_project, entry_ids, handbook, mkdocs_build
from htmltext import page_text
from prep_handbook import bank
from prep_handbook.rules import spoken_minutes


class _Table(HTMLParser):
    """Collect the bank table's rows (attributes and cell texts), headers and select options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[dict, list[str]]] = []
        self.headers: list[dict] = []
        self.options: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.controls: dict | None = None
        self._cell: list[str] | None = None
        self._select: str | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-bank-controls" in a:
            self.controls = a
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append((a, []))
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "th":
            self.headers.append(a)
        elif tag == "select":
            self._select = a["data-bank-filter"]
            self.options[self._select] = []
        elif tag == "option":
            self.options[self._select].append(a["value"])
        elif tag == "a" and self._in_body:
            self.links.append(a["href"])
        elif tag == "span" and self._cell is not None and self._cell:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def bank_table(site: Path) -> _Table:
    """Parse the bank's index page of a built site."""
    parser = _Table()
    parser.feed((site / "bank" / "index.html").read_text(encoding="utf-8"))
    return parser


def findings_text(errors: int, warnings: int) -> str:
    """Say a story's findings the way the table does."""
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    parts += [f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []
    return ", ".join(parts) or "none"


# --- the index ---------------------------------------------------------------------


def test_index_has_one_row_per_story_with_its_figures_from_the_data(built_site: Path) -> None:
    table = bank_table(built_site)
    expected = []
    for e in sorted(handbook().folder("stories"), key=lambda e: e.data["title"].lower()):
        minutes = round(spoken_minutes(e.data, handbook().template, handbook().rules.speaking), 1)
        off = "" if 2 <= minutes <= 3 else " (off target)"
        expected.append(
            [
                f"{e.data['title']} {e.data['headline']}",
                e.data["owner"],
                " ".join(e.data["tags"]),
                f"{minutes:.1f} min{off}",
                findings_text(len(e.errors), len(e.warnings)),
            ]
        )
    assert [cells for _, cells in table.rows] == expected
    assert table.links == [f"stories/{e.slug}.html" for e in sorted(handbook().folder("stories"), key=lambda e: e.data["title"].lower())]


def test_index_shows_the_sample_stories_figures(built_site: Path) -> None:
    rows = {attrs["data-slug"]: cells for attrs, cells in bank_table(built_site).rows}
    assert rows["partner-api"][1:] == ["ben", "ambiguity conflict", "1.2 min (off target)", "5 warnings"]
    assert rows["search-indexing"][1:] == ["ana", "delivery technical-depth", "2.8 min", "none"]
    assert rows["cost-cut"][3:] == ["3.4 min (off target)", "2 warnings"]
    text = page_text(built_site / "bank" / "index.html")
    assert "4 stories by 3 owners, with 9 checker notes between them." in text


def test_rows_carry_what_filter_and_sort_read(built_site: Path) -> None:
    table = bank_table(built_site)
    by_slug = {e.slug: e for e in handbook().folder("stories")}
    for attrs, _ in table.rows:
        entry = by_slug[attrs["data-slug"]]
        assert attrs["data-owner"] == entry.data["owner"]
        assert attrs["data-tags"].split(" ") == entry.data["tags"]
        assert attrs["data-title"] == entry.data["title"].lower()
        assert float(attrs["data-minutes"]) == round(spoken_minutes(entry.data, handbook().template, handbook().rules.speaking), 1)
        assert int(attrs["data-findings"]) == len(entry.findings)
    sortable = [h["data-bank-sort"] for h in table.headers if "data-bank-sort" in h]
    assert sortable == ["title", "owner", "minutes", "findings"]
    assert [h.get("data-bank-type") for h in table.headers if "data-bank-sort" in h] == [None, None, "number", "number"]
    assert table.options["owner"] == ["", "ana", "ben", "chen"]
    tags_used = {t for e in handbook().folder("stories") for t in e.data["tags"]}
    assert set(table.options["tag"][1:]) == tags_used
    # The controls need bank.js: they are hidden until it runs, so the table alone reads without it.
    assert table.controls is not None and "hidden" in table.controls


def test_bank_script_and_style_are_on_the_page_and_ship_in_the_site(built_site: Path) -> None:
    html = (built_site / "bank" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/handbook/bank.js"></script>' in html
    assert 'href="../assets/handbook/bank.css"' in html
    script = (built_site / "assets" / "handbook" / "bank.js").read_text(encoding="utf-8")
    assert "fetch(" not in script and "import " not in script  # works from file://


def test_data_in_the_table_is_text_not_markup(project: Path, tmp_path: Path) -> None:
    story = project / "data" / "stories" / "flaky-ci.yml"
    text = story.read_text(encoding="utf-8").replace("title: Taming flaky tests in the monorepo CI", 'title: "<b>Bold</b> & co"')
    story.write_text(text, encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "bank" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<b>Bold</b>" not in html


# --- the story pages ---------------------------------------------------------------


@pytest.mark.parametrize("entry", entry_ids("stories"), indirect=True)
def test_story_page_shows_30_seconds_duration_sections_and_findings(built_site: Path, entry) -> None:
    text = page_text(built_site / "bank" / "stories" / f"{entry.slug}.html")
    minutes = spoken_minutes(entry.data, handbook().template, handbook().rules.speaking)
    assert f"In 30 seconds {entry.data['headline']} {entry.data['pitch']}" in text
    assert f"About {minutes:.1f} min to tell at 150 words a minute (target 2–3 min)." in text
    assert f"Owner: {entry.data['owner']}" in text
    for heading in ("Objective", "Role", "Constraints", "Decisions and trade-offs", "Execution", "Outcomes", "Lessons", "Checker notes"):
        assert heading in text
    for finding in entry.findings:
        assert f"{finding.message}. {finding.hint}" in text
        assert f"line {finding.line}" in text
    if not entry.findings:
        assert "The story checker finds nothing to improve." in text
    assert "All stories in the bank" in text


def test_partner_api_page_lists_its_five_warnings(built_site: Path) -> None:
    text = page_text(built_site / "bank" / "stories" / "partner-api.html")
    assert "0 errors, 5 warnings" in text
    assert "no follow-up question is prepared with its reply" in text
    assert "'My manager asked me to' hides your ownership" in text
    assert "'a lot' with no number beside it" in text


def test_story_pages_are_not_in_the_nav(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="bank/index.html"' in home and 'href="bank/readiness.html"' in home
    assert "bank/stories/" not in home
    index = (built_site / "bank" / "index.html").read_text(encoding="utf-8")
    for entry in handbook().folder("stories"):  # the table's link, and no nav entry beside it
        assert index.count(f'href="stories/{entry.slug}.html"') == 1
    page = (built_site / "bank" / "stories" / "flaky-ci.html").read_text(encoding="utf-8")
    assert "partner-api.html" not in page and "cost-cut.html" not in page


def test_stubs_are_rewritten_only_when_they_change_and_removed_with_their_story(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert bank.write_story_stubs(handbook(), docs) == {"written": [e.slug for e in handbook().folder("stories")], "removed": []}
    stub = docs / "bank" / "stories" / "flaky-ci.md"
    front, markdown = stub.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    assert "render_macros: false" in front.splitlines()  # rendered already: no page is compiled as a template
    assert markdown.rstrip("\n") == bank.story_page(handbook(), "flaky-ci", "bank/stories/flaky-ci.md").rstrip("\n")
    stamp = stub.stat().st_mtime_ns
    (docs / "bank" / "stories" / "gone.md").write_text("old", encoding="utf-8")
    assert bank.write_story_stubs(handbook(), docs) == {"written": [], "removed": ["gone"]}
    assert stub.stat().st_mtime_ns == stamp
    assert sorted(p.stem for p in (docs / "bank" / "stories").iterdir()) == sorted(e.slug for e in handbook().folder("stories"))


def test_a_story_removed_from_the_data_loses_its_page(project: Path, tmp_path: Path) -> None:
    (project / "data" / "stories" / "cost-cut.yml").unlink()
    (project / "data" / "kits" / "chen.yml").unlink()  # its kit names the story; a kit's stories must exist
    assert mkdocs_build(project, tmp_path / "one").returncode == 0
    assert not (project / "docs" / "bank" / "stories" / "cost-cut.md").exists()
    assert not (tmp_path / "one" / "bank" / "stories" / "cost-cut.html").exists()
    assert (tmp_path / "one" / "bank" / "stories" / "flaky-ci.html").is_file()


def test_wrong_stated_percentage_in_a_bank_story_fails_the_build(project: Path, tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "rules" / "honest-arithmetic-fail.yml"
    (project / "data" / "stories" / "wrong.yml").write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "data/stories/wrong.yml:58:13: error: outcomes[1].change: 'Orders cancelled for stale stock': "
        "1.9% → 0.4% is −1.5 pp, not −1.2 pp [honest-arithmetic]"
    ) in result.stderr
    assert not (tmp_path / "site" / "bank" / "index.html").exists()


# --- readiness ---------------------------------------------------------------------


# Readiness is computed from each person's prep kit: tests/test_kits.py.


# --- scale -------------------------------------------------------------------------


def generate_stories(project: Path, count: int) -> None:
    """Fill the project's bank with `count` copies of a sample story under other owners and names."""
    source = (ROOT / "data" / "stories" / "flaky-ci.yml").read_text(encoding="utf-8")
    for i in range(count):
        text = source.replace("owner: ana", f"owner: person-{i % 37:02d}").replace(
            "title: Taming flaky tests in the monorepo CI", f"title: Taming flaky tests, take {i:04d}"
        )
        (project / "data" / "stories" / f"gen-{i:04d}.yml").write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_story_page_size_does_not_grow_with_the_bank(tmp_path: Path) -> None:
    sizes, seconds = {}, {}
    for count in (30, 300):
        project = copy_project(tmp_path / f"p{count}")
        generate_stories(project, count)
        start = time.perf_counter()
        result = mkdocs_build(project, tmp_path / f"site{count}")
        seconds[count] = time.perf_counter() - start
        assert result.returncode == 0, result.stderr[-2000:]
        site = tmp_path / f"site{count}"
        assert len(list((site / "bank" / "stories").glob("gen-*.html"))) == count
        sizes[count] = (site / "bank" / "stories" / "gen-0007.html").stat().st_size
    print(f"story page: {sizes[30]} B at 30 stories, {sizes[300]} B at 300; build {seconds[30]:.1f} s and {seconds[300]:.1f} s")
    assert sizes[300] / sizes[30] < 1.01
    assert abs(sizes[300] - sizes[30]) < 200  # only the digits of counts may differ, never a list of stories


# The bank's filters and sorting in chromium: tests/browser/test_bank_table.py.
