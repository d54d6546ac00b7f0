"""`make publish`: what is committed, and only that, as a reproducible archive; Pages only when asked; site/ never left broken."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from support import ROOT
from devtools import publish as publishing
from makekit import make, make_project, tree_digest

pytestmark = pytest.mark.slow
BROKEN = ROOT / "tests" / "fixtures" / "broken"


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return its output (failing the test on error)."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the project (its own git repository) with a bare `origin` beside it."""
    base = tmp_path_factory.mktemp("publish")
    project = make_project(base / "project")
    shutil.copy2(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "-q", "-b", "main")
    (project / ".git" / "info" / "exclude").write_text(".venv\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "handbook")
    git(base, "init", "-q", "--bare", "origin.git")
    git(project, "remote", "add", "origin", str(base / "origin.git"))
    return project


@pytest.fixture
def dirty_repo(repo: Path, tmp_path: Path) -> Path:
    """The committed project plus an untracked story and an untracked docs/private-notes.txt."""
    project = tmp_path / "project"
    shutil.copytree(repo, project, symlinks=True)
    shutil.copy(BROKEN / "ok-control.yml", project / "data" / "stories" / "secret-story.yml")
    (project / "docs" / "private-notes.txt").write_text("salary expectations\n", encoding="utf-8")
    return project


def archive_names(project: Path) -> tuple[Path, list[str]]:
    """Return the one archive in dist/ and the names it holds."""
    [archive] = sorted((project / "dist").glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        return archive, tar.getnames()


def remote_branches(project: Path) -> str:
    """Return the branches of the project's bare origin."""
    return git(Path(git(project, "remote", "get-url", "origin")), "branch", "--list", "--format=%(refname:short)")


def test_untracked_files_never_reach_the_archive_and_nothing_is_pushed(dirty_repo: Path) -> None:
    """An untracked story and docs/private-notes.txt stay out (and are named); the archive is named for HEAD; no push."""
    result = make(dirty_repo, "publish")
    assert result.returncode == 0, result.stdout + result.stderr
    sha = git(dirty_repo, "rev-parse", "--short", "HEAD")
    archive, names = archive_names(dirty_repo)
    stem = f"prep-handbook-{publishing.version(dirty_repo)}-{sha}"
    assert archive.name == f"{stem}.tar.gz"
    assert f"{stem}/bank/stories/flaky-ci.html" in names  # the committed stories are there
    assert not [n for n in names if "secret-story" in n or "private-notes" in n]
    lines = result.stderr.splitlines()
    assert f"Publishing commit {sha}; 2 file(s) not in it are left out:" in lines
    assert "  data/stories/secret-story.yml" in lines and "  docs/private-notes.txt" in lines
    assert "Not deployed: `make publish DEPLOY=1` pushes this site to the gh-pages branch." in result.stdout
    assert remote_branches(dirty_repo) == ""


def test_deploy_pushes_the_built_commit_to_gh_pages(dirty_repo: Path) -> None:
    """`make publish DEPLOY=1` pushes HEAD's built site (not the untracked files) to origin's gh-pages."""
    result = make(dirty_repo, "publish", "DEPLOY=1")
    assert result.returncode == 0, result.stdout + result.stderr
    origin = Path(git(dirty_repo, "remote", "get-url", "origin"))
    assert remote_branches(dirty_repo) == "gh-pages"
    files = git(origin, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and ".nojekyll" in files and "bank/stories/flaky-ci.html" in files
    assert not [f for f in files if "secret-story" in f or "private-notes" in f]
    sha = git(dirty_repo, "rev-parse", "--short", "HEAD")
    assert git(origin, "log", "-1", "--format=%s", "gh-pages") == f"Deploy prep-handbook {sha}"


def test_a_publish_killed_midway_leaves_site_complete(dirty_repo: Path) -> None:
    """Killed at any moment (export, build, archive, deploy), `make publish DEPLOY=1` leaves site/ exactly as it was."""
    assert make(dirty_repo, "build").returncode == 0
    before = tree_digest(dirty_repo / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    for delay in (0.5, 2.0, 4.0):
        process = subprocess.Popen(
            ["make", "-s", "-o", ".venv/.installed", "publish", "DEPLOY=1"], cwd=dirty_repo, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert tree_digest(dirty_repo / "site") == before, f"killed after {delay} s"
        assert (dirty_repo / "site" / "index.html").is_file()
        assert not list((dirty_repo / "dist").glob("*.part")) if (dirty_repo / "dist").exists() else True


def test_refuses_a_folder_that_is_no_git_repository(tmp_path: Path) -> None:
    """Outside git there is no commit to publish: exit 1, a message, and no archive."""
    project = make_project(tmp_path / "project")
    result = make(project, "publish")
    assert result.returncode != 0
    assert "not a git repository with a commit; `make publish` publishes a commit" in result.stderr
    assert not (project / "dist").exists()


# --------------------------------------------------------------------------- the archive itself


def small_site(path: Path) -> Path:
    """Write a two-page static site."""
    (path / "examples").mkdir(parents=True)
    (path / "index.html").write_text("<h1>Prep Handbook</h1>", encoding="utf-8")
    (path / "examples" / "p99-latency.html").write_text("<p>620 ms → 290 ms</p>", encoding="utf-8")
    return path


def test_archive_holds_one_folder_with_every_page_world_readable(tmp_path: Path) -> None:
    archive = publishing.write_archive(small_site(tmp_path / "site"), tmp_path / "dist", "prep-handbook-0.1.0-abc1234", 0)
    assert archive.name == "prep-handbook-0.1.0-abc1234.tar.gz"
    stem = "prep-handbook-0.1.0-abc1234"
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == [stem, f"{stem}/examples", f"{stem}/examples/p99-latency.html", f"{stem}/index.html"]
        assert {m.name: oct(m.mode) for m in tar.getmembers()}[f"{stem}/index.html"] == "0o644"
        assert {oct(m.mode) for m in tar.getmembers() if m.isdir()} == {"0o755"}
        assert tar.extractfile(f"{stem}/examples/p99-latency.html").read().decode() == "<p>620 ms → 290 ms</p>"


def test_checksum_matches_and_sha256sum_accepts_it(tmp_path: Path) -> None:
    archive = publishing.write_archive(small_site(tmp_path / "site"), tmp_path / "dist", "prep-handbook-0.1.0-abc1234", 0)
    line = (tmp_path / "dist" / f"{archive.name}.sha256").read_text(encoding="utf-8")
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    check = subprocess.run(["sha256sum", "-c", f"{archive.name}.sha256"], cwd=tmp_path / "dist", capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.strip() == f"{archive.name}: OK"


def test_same_site_gives_the_same_bytes_and_a_changed_site_does_not(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    sums = []
    for run in range(3):
        if run == 2:
            (site / "index.html").write_text("<h1>Prep Handbook, edited</h1>", encoding="utf-8")
        archive = publishing.write_archive(site, tmp_path / f"dist{run}", "prep-handbook-0.1.0-abc1234", 1700000000)
        sums.append(hashlib.sha256(archive.read_bytes()).hexdigest())
    assert sums[0] == sums[1]
    assert sums[2] != sums[0]
