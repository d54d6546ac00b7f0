"""Shared fixtures: a private project copy, one session-wide build of the real site, and the data.

Helpers live in `support.py`; tests import them from there, not from this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, copy_project, handbook as load_data, mkdocs_build


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


@pytest.fixture(scope="session")
def handbook():
    """The real data/, loaded and checked once (a broken file fails the tests that use it)."""
    return load_data()


@pytest.fixture
def entry(request: pytest.FixtureRequest, handbook):
    """The entry named by an indirect parameter ("projects/p99-latency"), from the loaded data."""
    folder, slug = request.param.split("/")
    return handbook.get(folder, slug)
