"""The same mkdocs.yml builds on MkDocs, ProperDocs and Zensical: same pages, same figures, same failures."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT, copy_project
from enginekit import ENGINES, built, engine_build, sitebuild
from htmltext import numbers_in, page_text
from makekit import make_project
from prep_handbook.loader import load_handbook

pytestmark = pytest.mark.slow


def prepare(project: Path) -> subprocess.CompletedProcess:
    """Write the generated story pages before Zensical collects pages (what `make build-zensical` runs first)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(project)}
    return subprocess.run([sys.executable, "-m", "devtools.engine", str(project)], cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def sites() -> dict[str, Path]:
    """The project (generated story stubs removed, as in a fresh clone) built by each engine as its make target builds it."""
    return {engine: built(engine) for engine in ENGINES}


def html_pages(site: Path) -> set[str]:
    """Return the site's HTML pages as paths relative to the site."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def load(path: Path) -> dict:
    """Read one data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_engine_builds_the_same_pages(sites: dict[str, Path]) -> None:
    """MkDocs, ProperDocs and Zensical write the same set of HTML pages, the stories' and examples' among them."""
    expected = html_pages(sites["mkdocs"])
    assert {"index.html", "examples/p99-latency.html", "examples/recommendations.html", "bank/index.html"} <= expected
    for engine in ("properdocs", "zensical"):
        assert html_pages(sites[engine]) == expected, engine


@pytest.mark.parametrize("engine", ENGINES)
def test_every_example_figure_is_on_its_page(sites: dict[str, Path], engine: str) -> None:
    """Each example's outcomes (baseline, outcome, stated change) show on its page with every engine."""
    for path in sorted((Path(__file__).parent.parent / "data" / "projects").glob("*.yml")):
        data = load(path)
        text = page_text(sites[engine] / "examples" / f"{path.stem}.html")
        assert data["title"] in text, (engine, path.stem)
        for outcome in data["outcomes"]:
            assert outcome["metric"] in text, (engine, path.stem, outcome["metric"])
            for number in numbers_in({k: outcome[k] for k in ("baseline", "outcome", "change") if k in outcome}):
                assert number in text, (engine, path.stem, outcome["metric"], number)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_story_has_its_page(sites: dict[str, Path], engine: str) -> None:
    """Each file in data/stories/ has a page with its title and headline, and is listed in the bank, with every engine."""
    stories = sorted((Path(__file__).parent.parent / "data" / "stories").glob("*.yml"))
    assert stories, "the bank has sample stories"
    index = page_text(sites[engine] / "bank" / "index.html")
    for path in stories:
        data = load(path)
        text = page_text(sites[engine] / "bank" / "stories" / f"{path.stem}.html")
        assert data["title"] in text and data["headline"] in text, (engine, path.stem)
        assert data["title"] in index, (engine, path.stem)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_prints_the_checkers_notes(engine: str) -> None:
    """Each engine's build prints every warning the checker gives, one `handbook:` line each (Zensical too)."""
    lines = engine_build(engine).output.splitlines()
    notes = [f"handbook: {f}" for f in load_handbook(ROOT / "data").findings if f.severity == "warning"]
    assert notes, "the sample data has notes"
    assert [line for line in lines if line.startswith("handbook: ")] == notes
    assert lines[-1] == f"Built site-{engine}/"


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_marks_the_current_page_in_the_sidebar(sites: dict[str, Path], engine: str) -> None:
    """The approach page's own sidebar entry is the one marked active, with its table of contents beside it."""
    html = (sites[engine] / "approach.html").read_text(encoding="utf-8")
    active = re.findall(r'<a href="([^"#]*)" class="md-nav__link md-nav__link--active">', html)
    assert active == ["approach.html"], engine
    assert 'for="__toc"' in html, engine


@pytest.mark.parametrize("engine", ENGINES)
def test_a_data_error_stops_every_engine_naming_the_file(tmp_path: Path, engine: str) -> None:
    """An example without `outcomes` stops the build with a non-zero exit that names the file, line and field."""
    project = make_project(tmp_path / "project")
    example = project / "data" / "projects" / "p99-latency.yml"
    text = example.read_text(encoding="utf-8")
    example.write_text(text[: text.index("outcomes:")] + text[text.index("lessons:") :], encoding="utf-8")
    result = sitebuild(project, engine, project / "site-broken")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "data/projects/p99-latency.yml:2:1: outcomes: field required" in output
    assert not (project / "site-broken").exists()
    assert "Traceback" not in output


def test_zensical_preparation_stops_on_the_same_error(tmp_path: Path) -> None:
    """`python -m devtools.engine` (run first by make build-zensical) exits 1 naming the broken file, writing no stubs."""
    project = copy_project(tmp_path / "project")
    for stub in (project / "docs" / "bank" / "stories").glob("*.md"):
        stub.unlink()
    example = project / "data" / "projects" / "p99-latency.yml"
    example.write_text(example.read_text(encoding="utf-8").replace("team_size: 3", "team_size: three"), encoding="utf-8")
    result = prepare(project)
    assert result.returncode == 1
    assert "data/projects/p99-latency.yml" in result.stderr and "role.team_size" in result.stderr
    assert not list((project / "docs" / "bank" / "stories").glob("*.md"))


def test_a_passing_copy_prepares_one_stub_per_story(tmp_path: Path) -> None:
    """The preparation step writes exactly one stub per story in data/stories/ (the negative control of the test above)."""
    project = copy_project(tmp_path / "project")
    for stub in (project / "docs" / "bank" / "stories").glob("*.md"):
        stub.unlink()
    assert prepare(project).returncode == 0
    stubs = sorted(p.stem for p in (project / "docs" / "bank" / "stories").glob("*.md"))
    assert stubs == sorted(p.stem for p in (project / "data" / "stories").glob("*.yml"))


def test_each_engine_gets_the_search_box_its_scripts_drive(sites: dict[str, Path]) -> None:
    """Material's search form under MkDocs and ProperDocs; Zensical's own search button (Material's form breaks its header)."""
    for engine in ("mkdocs", "properdocs"):
        html = (sites[engine] / "index.html").read_text(encoding="utf-8")
        assert 'class="md-search__input"' in html and 'class="md-search__button"' not in html, engine
    html = (sites["zensical"] / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search__button"' in html and 'class="md-search__input"' not in html


SEARCH_INDEX = {"mkdocs": "search/search_index.json", "properdocs": "search/search_index.json", "zensical": "search.json"}


def search_entries(site: Path, engine: str, page: str) -> list[dict]:
    """Return the engine's search index entries (the page and its sections) of one page."""
    index = json.loads((site / SEARCH_INDEX[engine]).read_text(encoding="utf-8"))
    return [d for d in index["items" if engine == "zensical" else "docs"] if d["location"].split("#")[0] == page]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_bank_index_is_found_by_its_prose_not_its_table(sites: dict[str, Path], engine: str) -> None:
    """Search holds the bank index's prose and summary, not its table: the table lists every story (each has its
    own page in search), and at 1,000 stories it is 186 KB, past the 32 KiB Zensical's index takes in one field."""
    entries = search_entries(sites[engine], engine, "bank/index.html")
    text = " ".join(e["text"] for e in entries)
    bank = load_handbook(ROOT / "data").folder("stories")
    assert "Filter by owner or competency" in text and f"{len(bank)} stories by" in text, engine
    for entry in bank:
        assert entry.data["headline"] not in text, (engine, entry.slug)
        assert search_entries(sites[engine], engine, f"bank/stories/{entry.slug}.html"), (engine, entry.slug)
