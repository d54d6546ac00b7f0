"""Drafts stay local: `make serve` shows a `draft: true` story under a banner; nothing built or published holds it."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest

from browser.kit import get, start_server
from support import copy_project, mkdocs_build
from devtools.publish import write_archive
from prep_handbook.loader import load_handbook
from prep_handbook.problems import DataError

BIN = Path(sys.executable).parent
MARKER = "Zq" + uuid.uuid4().hex[:12]  # in no file of the project, and different on every run
SLUG = f"draft-{MARKER.lower()}"
BANNER = "Draft — not published"


def add_draft(project: Path, draft_line: str = "draft: true\n") -> Path:
    """Write a bank story carrying MARKER in its title, headline and a lesson; return its path."""
    text = (project / "data" / "stories" / "flaky-ci.yml").read_text(encoding="utf-8")
    text = text.replace("title: Taming flaky tests", f"title: {MARKER} taming flaky tests", 1)
    assert MARKER in text
    path = project / "data" / "stories" / f"{SLUG}.yml"
    path.write_text(draft_line + text.replace("headline: ", f"headline: {MARKER} ", 1), encoding="utf-8")
    return path


def every_byte(site: Path) -> dict[str, bytes]:
    """Return each file of a site by its path, gzip files unpacked."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        out[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return out


def holding(files: dict[str, bytes], needle: str) -> list[str]:
    """Return the files whose bytes contain `needle`, in any letter case."""
    return [name for name, data in files.items() if needle.lower().encode() in data.lower()]


# --- the loader and the checker --------------------------------------------------------


def test_the_loader_leaves_drafts_out_unless_asked(project: Path) -> None:
    add_draft(project)
    published = [e.slug for e in load_handbook(project / "data").folder("stories")]
    everything = [e.slug for e in load_handbook(project / "data", drafts=True).folder("stories")]
    assert SLUG not in published and len(published) == 4
    assert SLUG in everything and sorted(set(everything) - set(published)) == [SLUG]
    served = load_handbook(project / "data", drafts=True)
    assert served.get("stories", SLUG).draft is True
    assert all(f.path != f"data/stories/{SLUG}.yml" for f in served.findings)  # a draft never fails a build


def test_draft_false_is_published(project: Path) -> None:
    add_draft(project, "draft: false\n")
    assert SLUG in [e.slug for e in load_handbook(project / "data").folder("stories")]


def test_a_draft_that_is_not_true_or_false_is_named(project: Path) -> None:
    path = add_draft(project, 'draft: "maybe"\n')
    with pytest.raises(DataError) as failed:
        load_handbook(project / "data")
    assert [str(p) for p in failed.value.problems] == [f"{path}:1:8: draft: expected true or false, got 'maybe'"]


def handbook_check(project: Path, *paths: str) -> subprocess.CompletedProcess:
    """Run `handbook check` in the project, as a story author does."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run([str(BIN / "handbook"), "--data", "data", "check", *paths], cwd=project, capture_output=True, text=True, env=env, timeout=120)


def test_handbook_check_still_checks_drafts(project: Path) -> None:
    path = add_draft(project)
    rel = path.relative_to(project).as_posix()
    assert handbook_check(project, rel).returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("team_size: 3", "team_size: three"), encoding="utf-8")
    result = handbook_check(project, rel)
    assert result.returncode == 1
    assert f"{rel}:19:14: role.team_size: expected a whole number, got 'three'" in result.stdout.splitlines()
    assert handbook_check(project).returncode == 1  # the whole folder too


# --- the built site and the published archive ---------------------------------------------


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A strict build of a project holding a draft (with a site_url, so the sitemap lists pages): (project, site)."""
    tmp = tmp_path_factory.mktemp("drafts")
    project = copy_project(tmp / "project")
    add_draft(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('site_url: ""', 'site_url: "https://handbook.example.invalid/"'), encoding="utf-8")
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, tmp / "site"


def test_no_byte_of_the_built_site_holds_the_draft(draft_build: tuple[Path, Path]) -> None:
    _, site = draft_build
    files = every_byte(site)
    # The places a story would show up, each proven to list the published stories.
    for name in ["search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "bank/index.html", "bank/readiness.html"]:
        assert name in files
    assert "search/search_index.json" in holding(files, "Taming flaky tests in the monorepo CI")
    assert "sitemap.xml" in holding(files, "bank/stories/flaky-ci.html")
    assert "bank/index.html" in holding(files, 'data-slug="flaky-ci"')
    assert holding(files, MARKER) == []
    assert holding(files, SLUG) == []
    assert not (site / "bank" / "stories" / f"{SLUG}.html").exists()


def test_the_published_archive_holds_no_byte_of_the_draft(draft_build: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = draft_build
    archive = write_archive(site, tmp_path / "dist", "prep-handbook-0.1.0-test", 0)
    with tarfile.open(fileobj=io.BytesIO(archive.read_bytes()), mode="r:gz") as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
        files = {n: gzip.decompress(d) if n.endswith(".gz") else d for n, d in files.items()}
    assert any(n.endswith("search/search_index.json") for n in holding(files, "Taming flaky tests in the monorepo CI"))
    assert holding(files, MARKER) == [] and holding(files, SLUG) == []


def test_the_bank_counts_only_published_stories(draft_build: tuple[Path, Path]) -> None:
    _, site = draft_build
    index = (site / "bank" / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr data-slug=") == 4


# --- the development server ---------------------------------------------------------------


def test_make_serve_shows_the_draft_under_a_banner(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    add_draft(project)
    server = start_server(project, tmp_path / "serve.log", livereload=False)
    try:
        status, page = get(server.url + f"bank/stories/{SLUG}.html", timeout=30)
        assert status == 200
        assert f"{MARKER} taming flaky tests" in page
        banner = page.index('class="admonition warning hb-draft"')
        assert page.index(BANNER, banner) < page.index(f"{MARKER} taming flaky tests")  # the banner comes first
        status, index = get(server.url + "bank/index.html", timeout=30)
        assert status == 200 and f'data-slug="{SLUG}"' in index  # the local bank lists it too
        status, published = get(server.url + "bank/stories/flaky-ci.html", timeout=30)
        assert status == 200 and BANNER not in published
    finally:
        server.stop()
