"""Tools the browser tests share: a request guard, a `mkdocs serve` runner, site pages and colours."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from devtools.pdf import CHROMIUM_ARGS
from support import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Debian's chromium; HANDBOOK_CHROMIUM points elsewhere (the suite's own test of a missing browser uses it).
CHROMIUM = Path(os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = list(CHROMIUM_ARGS)  # the flags `make pdf` uses too: no background traffic, no sandbox as root
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCHEMES = {"light": "default", "dark": "slate"}
WIDTHS = (1280, 390)


def is_local(url: str) -> bool:
    """Return whether a request stays on this machine: file://, data:, blob: or a loopback host."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOOPBACK


@dataclass
class Guard:
    """Routes every request of a browser context, refusing any that would leave the machine."""

    routed: int = 0
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        """Route the context's requests through the guard and watch its pages for errors."""
        context.route("**/*", self._route)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page) -> None:
        """Record console errors, uncaught exceptions and dialogs of one page."""
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("dialog", self.dialog)

    def _route(self, route) -> None:
        self.routed += 1
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def dialog(self, dialog) -> None:
        """Dismiss a dialog the test did not expect, and remember it (a test that expects one removes this listener)."""
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def problems(self) -> list[str]:
        """Everything the guard saw that a clean page must not do."""
        return [f"external request: {u}" for u in self.blocked] + self.errors + [f"dialog: {d}" for d in self.dialogs]


@dataclass
class Server:
    """A `make serve` process of one project, on a loopback port."""

    process: subprocess.Popen
    url: str
    log: Path

    def output(self) -> str:
        """Return what the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        """Return whether the process still runs."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the server and every process it started."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    """Fetch `url`; return the status and the body (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


def start_server(project: Path, log: Path, *, livereload: bool, timeout: float = 90) -> Server:
    """Start `make serve`'s server (devtools.serve) for `project` on a free loopback port and wait until it answers."""
    port = free_port()
    command = [
        str(BIN / "python"), "-m", "devtools.serve", "-f", str(project / "mkdocs.yml"),
        "--dev-addr", f"127.0.0.1:{port}", *(() if livereload else ("--no-livereload",)),
    ]
    # devtools/ is the checkout's (a project copy has none); the project's own code comes first.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}/", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"make serve exited with {process.returncode}:\n{server.output()}")
        try:
            if get(server.url, timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"make serve did not answer within {timeout:.0f} s:\n{server.output()}")


def site_pages(site: Path) -> list[str]:
    """Return the site's HTML pages as paths relative to the site root (404.html aside)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast(foreground: str, background: str) -> float:
    """Return the WCAG contrast ratio of two CSS rgb()/rgba() colours (foreground blended on background)."""
    fg = [float(x) if x else 1.0 for x in _RGB.match(foreground).groups()]
    bg = [float(x) for x in _RGB.match(background).groups()[:3]]
    alpha = fg[3]
    mixed = [fg[i] * alpha + bg[i] * (1 - alpha) for i in range(3)]

    def luminance(rgb: list[float]) -> float:
        r, g, b = (_channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(mixed), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --------------------------------------------------------------------------- each engine's search box

# Where each engine's pages find their search index, and how it lists documents.
SEARCH_INDEX = {"mkdocs": ("search/search_index.json", "docs"), "properdocs": ("search/search_index.json", "docs"), "zensical": ("search.json", "items")}


def search_hrefs(page, engine: str, word: str) -> list[str]:
    """Type `word` into the page's search box, as a reader does, and return the results' links.

    MkDocs and ProperDocs pages carry Material's search form; Zensical's pages a search button
    that opens its own dialog (overrides/partials/search.html gives each engine its own).
    """
    if engine == "zensical":
        page.locator(".md-search__button").click()
        box = page.locator('dialog[aria-label="Search"] input[role="combobox"]')
        box.fill(word)
        results = 'dialog[aria-label="Search"] ol[role="listbox"] a[role="option"]'
        page.wait_for_function(f"() => [...document.querySelectorAll('*')].some(e => e.shadowRoot && e.shadowRoot.querySelector('{results}'))")
        return page.locator(results).evaluate_all("links => links.map(a => a.href)")
    page.locator(".md-search__input").focus()
    page.wait_for_function("() => !/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.locator(".md-search__input").fill(word)
    page.locator(".md-search__input").press("End")  # Material reads the query on keyup
    page.wait_for_function("() => document.querySelectorAll('a.md-search-result__link').length > 0")
    return page.eval_on_selector_all("a.md-search-result__link", "links => links.map(a => a.href)")


def search_results(page, engine: str):
    """Return a locator of the search results' links (after `search_hrefs`)."""
    if engine == "zensical":
        return page.locator('dialog[aria-label="Search"] ol[role="listbox"] a[role="option"]')
    return page.locator("a.md-search-result__link")
