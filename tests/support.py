"""Shared test helpers: paths, project copies, a strict build, and the data read on demand.

Tests import these from here (`from support import ROOT`), never from conftest; nothing here
reads data/ at import, so a broken data file fails the tests that read it, not collection.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

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




@lru_cache(maxsize=1)
def handbook():
    """Load and check data/ once per test session (on first use, never at import)."""
    from prep_handbook.loader import load_handbook

    return load_handbook(DATA_DIR)


def slugs(folder: str) -> list[str]:
    """List the data files of one folder by name, without reading them (for parametrize)."""
    return sorted(path.stem for path in (DATA_DIR / folder).glob("*.yml"))


def entry_ids(*folders: str) -> list[str]:
    """Name the data files of some folders as "projects/p99-latency", without reading them: the
    values of an indirect `entry` parameter (see conftest.py), loaded when the test runs."""
    return [f"{folder}/{slug}" for folder in folders for slug in slugs(folder)]


@lru_cache(maxsize=1)
def template():
    """Read and check data/template.yml (on first use)."""
    from prep_handbook.loader import load_template

    return load_template(DATA_DIR / "template.yml")


@lru_cache(maxsize=1)
def rules():
    """Read and check data/rules.yml (on first use)."""
    from prep_handbook.loader import load_rules

    return load_rules(DATA_DIR / "rules.yml")


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
