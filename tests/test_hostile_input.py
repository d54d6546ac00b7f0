"""Hostile input never hurts: each probe of issue 14 gives one clear line and a non-zero exit in
`handbook check`, the atomic build (`make build`) and `make serve`, which keeps serving.

Every probe runs in a child process under a memory cap (RLIMIT_AS) and a time cap (the subprocess
timeout), so a regression fails the test instead of eating the machine or hanging the suite.
As root, the child drops the capabilities that let root read any file, so "unreadable" is real.
"""

from __future__ import annotations

import ctypes
import html
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import BIN, ROOT, copy_project, free_port
from prep_handbook.loader import load_template

CORPUS = ROOT / "tests" / "fixtures" / "hostile-input"
OK_STORY = ROOT / "tests" / "fixtures" / "broken" / "ok-control.yml"
MEMORY_CAP = 512 * 2**20  # address space of each child; the billion-laughs file used to take 2.5 GB and more
SERVE_MEMORY_CAP = 1024 * 2**20  # the server's threads each reserve stack and malloc arenas
TIME_CAP = 120  # seconds; a FIFO used to hang `handbook check` forever
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "MALLOC_ARENA_MAX": "2"}
_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def capped(memory: int = MEMORY_CAP) -> None:
    """In the child, before exec: cap its memory, and as root give up reading files that deny it."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@dataclass
class Run:
    """What a capped child did: exit code, output, and its peak memory (KiB) and time (s)."""

    returncode: int
    stdout: str
    stderr: str
    peak_kib: int
    seconds: float


def run_capped(command: list[str], cwd: Path) -> Run:
    """Run `command` under the caps; kill it (and fail) when it outlives TIME_CAP."""
    start = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=capped, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=TIME_CAP)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{' '.join(command)} still ran after {TIME_CAP} s")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the largest child so far: an upper bound
    return Run(process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), usage.ru_maxrss, time.monotonic() - start)


# --- the probes ------------------------------------------------------------------------------


def _copy(name: str) -> Callable[[Path], Path]:
    def make(stories: Path) -> Path:
        return Path(shutil.copy(CORPUS / f"{name}.yml", stories / f"{name}.yml"))

    return make


def _dev_zero(stories: Path) -> Path:
    (stories / "dev-zero.yml").symlink_to("/dev/zero")
    return stories / "dev-zero.yml"


def _fifo(stories: Path) -> Path:
    os.mkfifo(stories / "fifo.yml")
    return stories / "fifo.yml"


def _unreadable(stories: Path) -> Path:
    path = Path(shutil.copy(OK_STORY, stories / "locked.yml"))
    path.chmod(0)
    return path


def _newline_name(stories: Path) -> Path:
    return Path(shutil.copy(OK_STORY, stories / "x\n.yml"))


@dataclass(frozen=True)
class Probe:
    make: Callable[[Path], Path]
    line: str  # the one line every entry point prints
    check_exit: int  # `handbook check`: 1 for bad data, 2 for input that cannot be read at all


ANCHORS = "data files do not use anchors or aliases: write the value out"
NOT_PLAIN = "not a regular file; data files must be plain files"
PROBES = {
    "billion-laughs": Probe(_copy("billion-laughs"), f"data/stories/billion-laughs.yml:1:4: (file): an anchor (&a) names a value for reuse; {ANCHORS}", 1),
    "nesting-495": Probe(_copy("nesting-495"), "data/stories/nesting-495.yml:1:39: (file): nests deeper than 32 levels; a data file needs far fewer", 1),
    "nesting-10000": Probe(_copy("nesting-10000"), "data/stories/nesting-10000.yml:1:1007: (file): nests deeper than 32 levels; a data file needs far fewer", 1),
    "dev-zero": Probe(_dev_zero, f"data/stories/dev-zero.yml:1:1: (file): is a device, {NOT_PLAIN}", 2),
    "fifo": Probe(_fifo, f"data/stories/fifo.yml:1:1: (file): is a named pipe (FIFO), {NOT_PLAIN}", 2),
    "unreadable": Probe(_unreadable, "data/stories/locked.yml:1:1: (file): cannot be read: Permission denied", 2),
    "newline-name": Probe(
        _newline_name,
        "data/stories/x\\n.yml:1:1: (file): file name 'x\\n' must be lower-case letters, digits and hyphens, at most 64 characters",
        1,
    ),
    "terminal-escapes": Probe(
        _copy("terminal-escapes"),
        "data/stories/terminal-escapes.yml:3:1: \\x1b]0;pwned\\x07\\x1b[2J: unknown key "
        f"(expected one of: {', '.join(f.key for f in load_template(ROOT / 'data' / 'template.yml').story.fields)})",
        1,
    ),
}


def test_the_corpus_holds_what_the_issue_probed() -> None:
    laughs = (CORPUS / "billion-laughs.yml").read_bytes()
    assert len(laughs) < 400 and laughs.count(b"&") == 9  # nine levels: 9**9 "lol"s if expanded
    assert (CORPUS / "nesting-495.yml").read_text().count("[") == 495
    assert (CORPUS / "nesting-10000.yml").read_text().count("[") == 10_000
    assert "\\e[2J" in (CORPUS / "terminal-escapes.yml").read_text(encoding="utf-8")  # YAML for ESC [ 2 J: clear the screen
    committed = {p.stem for p in CORPUS.glob("*.yml")} - {"terminal-escapes-story"}
    assert committed <= set(PROBES)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the project a probe may spoil."""
    return copy_project(tmp_path / "project")


def handbook(project: Path, *args: str) -> Run:
    """Run the project's `handbook` command (its own copy of the package) in the project folder."""
    return run_capped([sys.executable, "-c", "from prep_handbook.cli import main; main()", *args], project)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_check_prints_one_line_and_exits_non_zero(checkout: Path, name: str) -> None:
    probe = PROBES[name]
    probe.make(checkout / "data" / "stories")
    result = handbook(checkout, "check")
    assert result.returncode == probe.check_exit, result.stdout + result.stderr
    assert result.stdout.splitlines().count(probe.line) == 1, result.stdout
    assert result.stdout.splitlines()[-1].endswith(": 1 error, 0 warnings") or ": 1 error," in result.stdout.splitlines()[-1]
    assert "Traceback" not in result.stderr and "\x1b" not in result.stdout


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_build_fails_with_the_one_line_and_writes_no_site(checkout: Path, name: str) -> None:
    PROBES[name].make(checkout / "data" / "stories")
    result = run_capped([sys.executable, "-m", "devtools.sitebuild"], checkout)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count(PROBES[name].line) == 1, result.stderr
    assert "1 problem(s) in data files:" in result.stderr
    assert lines[-1] == "Build failed: site/ not written."
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: Path("/dev/zero"), f"/dev/zero:1:1: (file): is a device, {NOT_PLAIN}"),
        (lambda tmp: _fifo(tmp), "fifo.yml:1:1: (file): is a named pipe (FIFO), " + NOT_PLAIN),
        (lambda tmp: Path(shutil.copy(OK_STORY, tmp / "locked.yml")).chmod(0) or tmp / "locked.yml", "locked.yml:1:1: (file): cannot be read: Permission denied"),
        (lambda tmp: tmp / ("a" * 300 + ".yml"), "aaaa.yml:1:1: (file): cannot be read: File name too long"),
    ],
    ids=["dev-zero", "fifo", "unreadable", "name-too-long"],
)
def test_check_of_a_special_path_on_the_command_line_exits_2(checkout: Path, tmp_path: Path, make, expected: str) -> None:
    path = make(tmp_path)
    result = handbook(checkout, "check", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.endswith(expected.replace("aaaa", "a" * 300)) or first.endswith(expected), first
    assert "Traceback" not in result.stderr


def test_render_shows_terminal_escapes_as_text(checkout: Path) -> None:
    story = Path(shutil.copy(CORPUS / "terminal-escapes-story.yml", checkout / "data" / "stories" / "escapes.yml"))
    result = handbook(checkout, "render", str(story))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert result.stdout.splitlines()[0] == "# Faster nightly reports\\x1b[2J\\x1b]0;pwned\\x07"
    check = handbook(checkout, "check", str(story))
    assert check.returncode == 0, check.stdout
    assert "\x1b" not in check.stdout


# --- make serve: one server, every probe in turn --------------------------------------------


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return None


def banner(page: str) -> list[str]:
    """The lines of the data-problem banner of a served page."""
    block = re.search(r'<div class="hb-data-problems".*?</div>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", block.group(0), re.S)] if block else []


@dataclass
class Serving:
    project: Path
    process: subprocess.Popen
    url: str
    log: Path

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = TIME_CAP) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"make serve exited while {what}:\n{self.log.read_text(errors='replace')}"
            page = _page(self.url)
            if page is not None and condition(page):
                return page
            time.sleep(0.3)
        pytest.fail(f"after {timeout} s, make serve still not {what}:\n{self.log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """`make serve` (devtools.serve) of a good project copy, under the caps."""
    tmp = tmp_path_factory.mktemp("serve")
    project = copy_project(tmp / "project")
    port = free_port()
    log = tmp / "serve.log"
    command = [str(BIN / "python"), "-m", "devtools.serve", "-f", str(project / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as out:  # devtools/ is the checkout's; the project copy's own code comes first
        process = subprocess.Popen(command, cwd=project, env={**ENV, "PYTHONPATH": str(ROOT)}, stdout=out, stderr=subprocess.STDOUT, preexec_fn=lambda: capped(SERVE_MEMORY_CAP), start_new_session=True)
    server = Serving(project, process, f"http://127.0.0.1:{port}/bank/stories/flaky-ci.html", log)
    try:
        server.wait_for(lambda page: "<h1" in page and not banner(page), "serving the good data")
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_serve_shows_the_one_line_in_its_banner_and_keeps_serving(serving: Serving, name: str) -> None:
    stories = serving.project / "data" / "stories"
    path = PROBES[name].make(stories)
    try:
        page = serving.wait_for(lambda page: banner(page) == [PROBES[name].line], f"showing the {name} problem")
        assert "Taming flaky tests in the monorepo CI" in page  # the last good page, still served
        assert f"{PROBES[name].line}\nServing the last good data until this is fixed." in serving.log.read_text(errors="replace")
    finally:
        path.unlink()
    serving.wait_for(lambda page: not banner(page), "back to clean data after the probe was removed")


# --- YAML that forgives: `timeline: 2:30` checks clean and the page shows 2:30 ----------------


def test_an_unquoted_time_checks_clean_and_the_page_shows_it_as_typed(checkout: Path, tmp_path: Path) -> None:
    text = OK_STORY.read_text(encoding="utf-8").replace("  success_criteria:", "  timeline: 2:30\n  success_criteria:")
    story = checkout / "data" / "stories" / "unquoted-time.yml"
    story.write_text(text, encoding="utf-8")
    check = handbook(checkout, "check", str(story))
    assert check.returncode == 0, check.stdout
    assert check.stdout.splitlines()[-1].startswith("1 file checked: 0 errors")
    site = tmp_path / "site"
    build = run_capped([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(checkout / "mkdocs.yml"), "-d", str(site)], checkout)
    assert build.returncode == 0, build.stderr
    page = (site / "bank" / "stories" / "unquoted-time.html").read_text(encoding="utf-8")
    assert re.search(r">\s*2:30\s*<", page), "the timeline is not shown as 2:30"
    assert ">150<" not in page
