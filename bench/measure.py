"""The benchmark's measurements: cold builds, the checker, edit-to-refresh under `make serve`, sizes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .project import BIN, Project, env

CHECK_IN_PROCESS = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from prep_handbook.loader import load_handbook
imported = time.perf_counter()
handbook = load_handbook(Path(sys.argv[1]))
done = time.perf_counter()
errors = [f for f in handbook.findings if f.severity == "error"]
print(json.dumps({"import": imported - start, "load": done - imported, "stories": len(handbook.folder("stories")) + len(handbook.folder("projects")), "errors": len(errors)}))
"""


# Peak memory (ru_maxrss, in MiB) of the last command `timed` ran: that child's own, with the
# children it waited for (the forked workers of `handbook check`), from os.wait4 on its pid.
LAST_PEAK_MIB = 0.0


def timed(cmd: list[str], cwd: Path, extra_env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to completion; return its wall time in seconds and the finished process (peak memory in LAST_PEAK_MIB)."""
    global LAST_PEAK_MIB
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, env={**env(), **(extra_env or {})})
        try:
            _, status, usage = _wait4(child, 900)
        except TimeoutError:
            child.kill()
            child.wait()
            raise
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(cmd, child.returncode, out.read(), err.read())
    LAST_PEAK_MIB = usage.ru_maxrss / 1024  # KiB on Linux
    return seconds, result


def _wait4(child: subprocess.Popen, timeout: float) -> tuple[int, int, object]:
    """Wait for `child` and return os.wait4's (pid, status, rusage) of that child alone."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            return pid, status, usage
        if time.monotonic() > deadline:
            raise TimeoutError(f"{child.args[0]} ran longer than {timeout:.0f} s")
        time.sleep(0.005)


# What a handbook build writes under docs/ for itself: each story's page and card, each kit's sheet.
GENERATED_PAGES = ("bank/stories", "print/bank", "print/sheets")


def cold_build(root: Path, site: Path, strict: bool = True, warm: bool = False) -> float:
    """Build `root`'s mkdocs.yml into `site` in a fresh process; return seconds (peak memory in LAST_PEAK_MIB), raising if it fails.

    Cold, as on a fresh clone: without the checked entries a previous build left in .cache/handbook/
    and (for the handbook, `strict`) without the pages it generates under docs/; `warm` keeps both
    (a repeat build). Built as `make build` builds: strict, never -q (it would hide warnings).
    """
    shutil.rmtree(site, ignore_errors=True)
    if not warm:
        shutil.rmtree(root / ".cache" / "handbook", ignore_errors=True)
        for folder in GENERATED_PAGES if strict else ():
            shutil.rmtree(root / "docs" / folder, ignore_errors=True)
    cmd = [str(BIN / "mkdocs"), "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    seconds, result = timed(cmd + (["--strict"] if strict else []), root)
    if result.returncode != 0:
        raise RuntimeError(f"build of {root} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def zensical_build(project: Project) -> float:
    """Build the copy with Zensical (cache cleared) as `make build-zensical` does; return seconds (stubs exist already)."""
    cmd = [str(BIN / "python"), "-m", "devtools.engine", str(project.root)]
    _, result = timed(cmd, project.root)
    if result.returncode != 0:
        raise RuntimeError(f"stub preparation failed:\n{result.stderr[-3000:]}")
    seconds, result = timed(
        [str(BIN / "zensical"), "build", "--strict", "--clean", "-f", str(project.config)], project.root,
        {"HANDBOOK_SITE_DIR": ".site-zensical", "PYTHONPATH": str(project.root)},
    )
    if result.returncode != 0:
        raise RuntimeError(f"zensical build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def check_cli(project: Project) -> tuple[float, str]:
    """Run `handbook check` over the generated stories in a fresh process; return seconds and its summary line."""
    data = project.root / "data"
    folder = data / ("stories" if project.mode == "bank" else "projects")
    if (project.root / "prep_handbook" / "cli.py").is_file():
        cmd = [str(BIN / "python"), "-c", "import sys; from prep_handbook.cli import main; sys.exit(main())", "--data", str(data), "check", str(folder)]
        seconds, result = timed(cmd, project.root)
        if result.returncode != 0:
            raise RuntimeError(f"handbook check found errors:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
        return seconds, result.stdout.strip().splitlines()[-1]
    seconds, result = timed([str(BIN / "python"), "-c", CHECK_IN_PROCESS, str(data)], project.root, {"HANDBOOK_CACHE": "off"})
    return seconds, "load_handbook (prep_handbook/cli.py not present)"


def check_in_process(project: Project) -> dict:
    """Time `load_handbook` cold inside one process (imports counted apart); return the figures."""
    _, result = timed([str(BIN / "python"), "-c", CHECK_IN_PROCESS, str(project.root / "data")], project.root, {"HANDBOOK_CACHE": "off"})
    if result.returncode != 0:
        raise RuntimeError(f"load_handbook failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["errors"]:
        raise RuntimeError(f"{figures['errors']} checker errors in generated stories")
    return figures


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """Return the page's text, or None while the server cannot serve it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, token: str, timeout: float, interval: float = 0.02) -> float:
    """Poll `url` until its text contains `token`; return the seconds it took (raise on timeout)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and token in text:
            return time.perf_counter() - start
        time.sleep(interval)
    raise TimeoutError(f"{url} did not show {token!r} within {timeout:.0f} s")


# `make serve` (page by page) and the same server with a full build on every change (what
# `make serve` did before, as `mkdocs serve` does).
SERVE_FLAGS = {"pages": (), "full": ("--full",)}


def edit_to_refresh(project: Project, edits: int, mode: str = "pages") -> tuple[list[float], float, str]:
    """Serve the project as `make serve` does, edit one story's YAML `edits` times; return refresh seconds, startup seconds, the server's last update line.

    A refresh is over when the story's page, the bank index and the search index all hold the
    edit (each polled every 20 ms): the moment a reader's reloaded page is current everywhere.
    """
    port = free_port()
    slug = project.slugs[len(project.slugs) // 2]
    base = f"http://127.0.0.1:{port}/"
    urls = [base + project.story_page(slug), base + "bank/index.html", base + "search/search_index.json"]
    yml = project.story_yaml(slug)
    original = yml.read_text(encoding="utf-8")
    cmd = [str(BIN / "python"), "-m", "devtools.serve", "-f", str(project.config), "--dev-addr", f"127.0.0.1:{port}", *SERVE_FLAGS[mode]]
    log = project.root / f"serve-{port}.log"
    start = time.perf_counter()
    with log.open("w") as out:
        server = subprocess.Popen(cmd, cwd=project.root, stdout=out, stderr=subprocess.STDOUT, env=env())
    try:
        wait_for(urls[0], "reworking the", timeout=900, interval=0.2)
        startup = time.perf_counter() - start
        times = []
        for n in range(edits):
            token = f"Refreshed headline number {n} {port}"
            time.sleep(1.0)  # let the watcher settle after the previous update
            yml.write_text(original.replace("headline: ", f"headline: {token}. ", 1), encoding="utf-8")
            began = time.perf_counter()
            for url in urls:
                wait_for(url, token, timeout=900)
            times.append(time.perf_counter() - began)
            time.sleep(0.5)
        lines = [line for line in log.read_text(errors="replace").splitlines() if "Rendered" in line or "Full build" in line]
        return times, startup, (lines[-1].split("-  ", 1)[-1] if lines else "")
    except TimeoutError as exc:
        raise RuntimeError(f"{exc}\n--- serve log ---\n{log.read_text()[-4000:]}") from None
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        yml.write_text(original, encoding="utf-8")


def tree_bytes(path: Path) -> int:
    """Return the total size of the files under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def sizes(project: Project, site: Path) -> dict:
    """Return the built site's total bytes, one story page's bytes, the mean story page's, and the search index's."""
    pages = [site / project.story_page(slug) for slug in project.slugs]
    missing = [p for p in pages if not p.is_file()]
    if missing:
        raise RuntimeError(f"{len(missing)} story pages missing from the build, e.g. {missing[0]}")
    index = [p for p in (site / "search").glob("search_index.*")] if (site / "search").is_dir() else []
    return {
        "site": tree_bytes(site),
        "story_page": pages[0].stat().st_size,
        "story_page_mean": sum(p.stat().st_size for p in pages) / len(pages) if pages else 0,
        "search_index": sum(p.stat().st_size for p in index),
    }
