"""Shared fixtures: paths, project copies and one session-wide build of the real site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BIN = Path(sys.executable).parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "macros", "prep_handbook", "overrides")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (config, docs, data, macros, prep_handbook, overrides) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "stories"))
        else:
            shutil.copy2(src, dest / part)
    stories = ROOT / "data" / "stories"
    if stories.is_dir():
        shutil.copytree(stories, dest / "data" / "stories", dirs_exist_ok=True)
    return dest


def mkdocs_build(project: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run a strict MkDocs build of `project` into `site`; return the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once per session into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site
