"""The same mkdocs.yml builds on MkDocs, ProperDocs and Zensical: same pages, same figures, same failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import copy_project
from htmltext import numbers_in, page_text

BIN = Path(sys.executable).parent
ENGINES = ("mkdocs", "properdocs", "zensical")
pytestmark = pytest.mark.slow


def engine_build(engine: str, project: Path, site_name: str) -> subprocess.CompletedProcess:
    """Build `project` with one engine into `project/site_name`, as `make build` / `build-properdocs` / `build-zensical` do."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(project)}
    config = str(project / "mkdocs.yml")
    if engine == "zensical":
        # Zensical has no -d: the output folder comes from HANDBOOK_SITE_DIR (must lie inside the project).
        env["HANDBOOK_SITE_DIR"] = site_name
        cmd = [str(BIN / "zensical"), "build", "--strict", "--clean", "-f", config]
    else:
        cmd = [str(BIN / engine), "build", "--strict", "-f", config, "-d", str(project / site_name)]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)


def prepare(project: Path) -> subprocess.CompletedProcess:
    """Write the generated story pages before Zensical collects pages (what `make build-zensical` runs first)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(project)}
    return subprocess.run([sys.executable, "-m", "devtools.engine", str(project)], cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One project copy (generated story stubs removed, as in a fresh clone) built by each engine."""
    project = copy_project(tmp_path_factory.mktemp("engines") / "project")
    for stub in (project / "docs" / "bank" / "stories").glob("*.md"):
        stub.unlink()
    assert prepare(project).returncode == 0
    out = {}
    for engine in ENGINES:
        result = engine_build(engine, project, f"site-{engine}")
        assert result.returncode == 0, f"{engine}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        out[engine] = project / f"site-{engine}"
    return out


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
def test_a_data_error_stops_every_engine_naming_the_file(tmp_path: Path, engine: str) -> None:
    """An example without `outcomes` stops the build with a non-zero exit that names the file, line and field."""
    project = copy_project(tmp_path / "project")
    example = project / "data" / "projects" / "p99-latency.yml"
    text = example.read_text(encoding="utf-8")
    example.write_text(text[: text.index("outcomes:")] + text[text.index("lessons:") :], encoding="utf-8")
    result = engine_build(engine, project, "site-broken")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "data/projects/p99-latency.yml:2:1: outcomes: field required" in output
    if engine != "zensical":  # MkDocs and ProperDocs stop before writing; `make build-zensical` builds aside and swaps
        assert not (project / "site-broken").exists()


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
