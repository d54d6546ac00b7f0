"""Without chromium the browser tests skip and say how to install it; under CI=true they fail instead."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .kit import ROOT

pytestmark = pytest.mark.browser


def run_without_chromium(ci: str | None) -> subprocess.CompletedProcess:
    """Run one browser test in a child pytest that sees no chromium."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(HANDBOOK_CHROMIUM="/nonexistent/chromium", PYTHONDONTWRITEBYTECODE="1")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rsf",
         "tests/browser/test_pages.py::test_the_request_guard_blocks_a_request_to_another_host"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


def test_without_chromium_the_browser_tests_skip_with_the_install_command() -> None:
    result = run_without_chromium(None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "/nonexistent/chromium is missing: install Debian's chromium (`sudo apt-get install chromium`" in result.stdout


def test_under_ci_a_missing_chromium_fails_the_browser_tests() -> None:
    result = run_without_chromium("true")
    assert result.returncode == 1, result.stdout
    assert "1 error in" in result.stdout and "skipped" not in result.stdout  # the fixture fails: an error, never a skip
    assert "CI=true and the browser tests cannot run: /nonexistent/chromium is missing" in result.stdout
