"""Browser fixtures: Debian's chromium through playwright, the site built by each engine, and a `mkdocs serve` of it.

Without chromium the browser tests skip with the command that installs it; with CI=true
they fail instead, so CI can never pass by skipping them.

Engines: a test that takes `page_path` runs on every page of the MkDocs build and on
`REPRESENTATIVE` pages of the ProperDocs and Zensical builds (ids `mkdocs:approach.html`,
`zensical:approach.html`); a test that takes `engine` without `page_path` runs once per engine.
`site` is the build of the test's engine (MkDocs when the test names none), each built once per
session as `make build` / `make build-properdocs` / `make build-zensical` build it.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import copy_project
from enginekit import ENGINES, built

from .kit import CHROMIUM, LAUNCH_ARGS, Guard, Server, site_pages, start_server

INSTALL_HINT = "install Debian's chromium (`sudo apt-get install chromium`, or `make chromium` as root)"
STATS = {"contexts": 0, "routed": 0, "blocked": 0}
# The pages the other engines are held to: one of each kind (home, a page with a table of contents,
# an example with its timer, the calculator, the builder, the bank and a bank story outside the nav,
# a print card without navigation).
REPRESENTATIVE = (
    "index.html", "approach.html", "examples/recommendations.html", "hypotheticals/incomplete-data.html",
    "tools/builder.html", "bank/index.html", "bank/stories/flaky-ci.html", "print/card-p99-latency.html",
)


def page_matrix() -> list[tuple[str, str]]:
    """Return the (engine, page) pairs the per-page tests run on."""
    try:
        pages = site_pages(built("mkdocs"))
    except AssertionError:
        pages = []  # the build failed: `site` reports why in every test
    return [("mkdocs", p) for p in pages] + [(e, p) for e in ENGINES if e != "mkdocs" for p in REPRESENTATIVE]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `page_path` with the engine's pages, and a test that names `engine` alone with every engine."""
    names = metafunc.fixturenames
    # Only the test's own arguments: `site` (and what uses it) asks for `engine` too, and takes MkDocs.
    own = inspect.signature(metafunc.function).parameters
    if "page_path" in names:
        combos = page_matrix()
        if "origin" in names:  # from disk on every engine; through `mkdocs serve` on MkDocs only
            combos = [(o, e, p) for e, p in combos for o in (("file", "http") if e == "mkdocs" else ("file",))]
            metafunc.parametrize(("origin", "engine", "page_path"), combos, ids=[f"{o}-{e}:{p}" for o, e, p in combos])
        else:
            metafunc.parametrize(("engine", "page_path"), combos, ids=[f"{e}:{p}" for e, p in combos])
    elif "engine" in own:
        metafunc.parametrize("engine", ENGINES)


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


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine whose build the test reads: its parameter, or MkDocs."""
    return getattr(request, "param", "mkdocs")


@pytest.fixture
def site(engine: str) -> Path:
    """The real project as `engine` built it, once per session (the pages the tests are parametrized with)."""
    return built(engine)


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

