"""Browser fixtures: Debian's chromium through playwright, the site built once, and a `mkdocs serve` of it.

Without chromium the browser tests skip with the command that installs it; with CI=true
they fail instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_project

from .kit import BIN, CHROMIUM, LAUNCH_ARGS, ROOT, Guard, Server, site_pages, start_server

INSTALL_HINT = "install Debian's chromium (`sudo apt-get install chromium`, or `make chromium` as root)"
STATS = {"contexts": 0, "routed": 0, "blocked": 0}
_BUILD: dict = {}


def _session_build() -> tuple[Path | None, str]:
    """Build the real project once per session into a temporary folder; return it and the build log."""
    if not _BUILD:
        site = Path(tempfile.mkdtemp(prefix="hb-browser-site-"))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [str(BIN / "mkdocs"), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
            capture_output=True, text=True, env=env, timeout=600,
        )
        _BUILD["site"] = site if result.returncode == 0 else None
        _BUILD["tmp"] = site
        _BUILD["log"] = result.stdout + result.stderr
    return _BUILD["site"], _BUILD["log"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `page_path` with every HTML page of the built site."""
    if "page_path" in metafunc.fixturenames:
        site, _ = _session_build()
        metafunc.parametrize("page_path", site_pages(site) if site else [])


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's build."""
    if _BUILD.get("tmp"):
        shutil.rmtree(_BUILD["tmp"], ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Report how many requests the browser tests routed and blocked."""
    if STATS["contexts"]:
        terminalreporter.write_line(
            f"browser: {STATS['contexts']} contexts, {STATS['routed']} requests routed, "
            f"{STATS['blocked']} external requests blocked"
        )


def chromium_problem() -> str | None:
    """Return why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: run `make setup`"
    return None


def require_chromium() -> None:
    """Skip without chromium; under CI=true, fail instead."""
    problem = chromium_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(autouse=True)
def _require_chromium() -> None:
    """Every browser test needs chromium (see `require_chromium`)."""
    require_chromium()


@pytest.fixture(scope="session")
def site() -> Path:
    """The real project, built once per session (the pages the tests are parametrized with)."""
    built, log = _session_build()
    assert built is not None, f"the strict build failed:\n{log}"
    return built


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, launched once per session."""
    require_chromium()  # session fixtures come before the autouse check
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`mkdocs serve` of a copy of the project on a free loopback port, stopped at the end."""
    tmp = tmp_path_factory.mktemp("serve")
    project = copy_project(tmp / "project")
    running = start_server(project, tmp / "serve.log", livereload=False)
    yield running
    running.stop()


@pytest.fixture
def open_page(browser):
    """Open a page in a fresh guarded context: `open_page(width=1280, scheme="light", **context_options)`."""
    opened: list[tuple[object, Guard]] = []

    def _open(width: int = 1280, scheme: str = "light", height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, **options)
        guard = Guard()
        guard.attach(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened.append((context, guard))
        return page, guard

    yield _open
    for context, guard in opened:
        STATS["contexts"] += 1
        STATS["routed"] += guard.routed
        STATS["blocked"] += len(guard.blocked)
        context.close()


@pytest.fixture
def url_of(site: Path, request: pytest.FixtureRequest):
    """Return the URL of a site page for an origin: `file` (from disk) or `http` (mkdocs serve)."""

    def _url(origin: str, page_path: str) -> str:
        if origin == "file":
            return (site / page_path).as_uri()
        return request.getfixturevalue("server").url + page_path

    return _url

