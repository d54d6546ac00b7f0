"""The real project built once per test session by each engine, the way `make build`, `make build-properdocs`
and `make build-zensical` build it (`python -m devtools.sitebuild --engine ...`), shared by every test module."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from makekit import make_project

ENGINES = ("mkdocs", "properdocs", "zensical")
_PROJECT: list[Path] = []
_BUILDS: dict[str, EngineBuild] = {}


@dataclass(frozen=True)
class EngineBuild:
    """One engine's build of the project: the site (None when it failed) and what the build printed."""

    engine: str
    site: Path | None
    output: str


def session_project() -> Path:
    """A copy of the project for this session, its generated story pages removed (as in a fresh clone)."""
    if not _PROJECT:
        base = Path(tempfile.mkdtemp(prefix="hb-engines-"))
        atexit.register(shutil.rmtree, base, ignore_errors=True)
        project = make_project(base / "project")
        for stub in (project / "docs" / "bank" / "stories").glob("*.md"):
            stub.unlink()
        _PROJECT.append(project)
    return _PROJECT[0]


def sitebuild(project: Path, engine: str, site_dir: Path) -> subprocess.CompletedProcess:
    """Run `python -m devtools.sitebuild --engine ENGINE` in `project`, as the make targets do."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "devtools.sitebuild", "--engine", engine, "-d", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )


def engine_build(engine: str) -> EngineBuild:
    """Build the session's project with `engine` once; later calls return the same build."""
    if engine not in _BUILDS:
        project = session_project()
        site = project / f"site-{engine}"
        result = sitebuild(project, engine, site)
        _BUILDS[engine] = EngineBuild(engine, site if result.returncode == 0 else None, result.stdout + result.stderr)
    return _BUILDS[engine]


def built(engine: str) -> Path:
    """Return the site `engine` built, failing with the build's output when it did not build."""
    build = engine_build(engine)
    assert build.site is not None, f"{engine} did not build:\n{build.output[-4000:]}"
    return build.site
