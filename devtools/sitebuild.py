"""Atomic strict site builds on every engine: build beside the target folder, swap it in only on success.

`make build`, `make pdf`, `make publish`, `make build-properdocs` and `make build-zensical`
all go through `build_site`. Each runs its engine exactly as `<engine> build --strict` does
(never with `--quiet`: MkDocs 1.6 does not count warnings under `-q`), so a broken link, a
missing anchor or a page left out of the nav fails the build. The report keeps what a
writer needs (every warning and error, the checker's notes, the abort line) and drops the
engine's chatter. A failed build leaves the previous site exactly as it was and removes
the half-written folder; a passing one is made readable by everyone (folders 0755, files
0644) before it is swapped in.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from prep_handbook.paths import ROOT

TEMP_PREFIX = ".site-build-"
OLD_PREFIX = ".site-old-"
ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_DIRS = {"mkdocs": "site", "properdocs": "site-properdocs", "zensical": "site-zensical"}

_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+-\s+(.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ZENSICAL_PROBLEM = re.compile(r"^(Warning|Error):\s*(.*)$")
_ZENSICAL_WHERE = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")


@dataclass(frozen=True)
class BuildResult:
    """What one build did: whether `site_dir` was replaced, and what the engine reported."""

    ok: bool
    site_dir: Path
    report: str


def engine_command(engine: str, config_file: Path, out_dir: Path) -> list[str]:
    """Return the strict build command of an engine (no --quiet: it would hide warnings from --strict)."""
    bin_dir = Path(sys.executable).parent
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(out_dir)]
    if engine == "properdocs":
        return [str(bin_dir / "properdocs"), "build", "--strict", "-f", str(config_file), "-d", str(out_dir)]
    if engine == "zensical":  # no -d: the output folder comes from HANDBOOK_SITE_DIR (see mkdocs.yml)
        return [str(bin_dir / "zensical"), "build", "--strict", "--clean", "-f", str(config_file)]
    raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")


def mkdocs_report(output: str) -> list[str]:
    """Keep what a writer needs from MkDocs/ProperDocs output: warnings, errors, checker notes, the abort line."""
    kept: list[str] = []
    keep = True
    for line in output.splitlines():
        match = _LEVEL.match(line)
        if match:
            level, message = match.groups()
            keep = level in ("WARNING", "ERROR", "CRITICAL") or message.startswith("handbook:")
            if keep:
                kept.append(f"{level} - {message}" if level != "INFO" else message)
        elif line.strip() and (keep or not line.startswith(" ")):
            kept.append(line)
            keep = True
    return kept


def zensical_report(output: str) -> list[str]:
    """Condense Zensical's output: one `WARNING - file:line:col: what` line per problem, the count, no traceback."""
    kept: list[str] = []
    pending: tuple[str, str] | None = None
    for raw in output.splitlines():
        line = _ANSI.sub("", raw).rstrip()
        problem = _ZENSICAL_PROBLEM.match(line)
        where = _ZENSICAL_WHERE.search(line)
        if problem:
            pending = (problem.group(1).upper(), problem.group(2))
        elif pending and where:
            kept.append(f"{pending[0]} - {where.group(1)}: {pending[1]}")
            pending = None
        elif line.startswith("ERROR - ") or line.startswith("handbook:"):
            kept.append(line)
        elif re.match(r"^\d+ issues? found$", line):
            kept.append(line)
        elif line.startswith("RuntimeError: ") or line.startswith("Error: "):
            kept.append(line.split(": ", 1)[1])
    return kept


def make_readable(folder: Path) -> None:
    """Give a built tree the modes a web server running as another user needs: folders 0755, files 0644."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(0o755 if path.is_dir() else 0o644)


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Put `new_dir` in the place of `site_dir` (two renames on one file system), then drop the old tree."""
    old_dir = None
    if site_dir.exists():
        old_dir = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=site_dir.parent))
        os.rename(site_dir, old_dir / "site")
    try:
        os.rename(new_dir, site_dir)
    except OSError:
        if old_dir is not None:
            os.rename(old_dir / "site", site_dir)
        raise
    finally:
        if old_dir is not None:
            shutil.rmtree(old_dir, ignore_errors=True)


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def build_site(config_file: Path = ROOT / "mkdocs.yml", site_dir: Path | None = None, engine: str = "mkdocs") -> BuildResult:
    """Build strictly with `engine` into a temporary folder beside `site_dir`; replace `site_dir` only if the build passed."""
    config_file = config_file.resolve()
    project = config_file.parent
    site_dir = (site_dir or project / DEFAULT_DIRS[engine]).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    lines: list[str] = []
    try:
        if engine == "zensical":
            # Zensical collects pages before define_env runs: check the data and write the bank's pages first.
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH", "")]))
            prepared = _run([sys.executable, "-m", "devtools.engine", str(project)], project, env)
            lines += [line for line in (prepared.stderr + prepared.stdout).splitlines() if line.strip()]
            if prepared.returncode != 0:
                return BuildResult(False, site_dir, "\n".join(lines) or f"preparation exited with {prepared.returncode}")
            env["HANDBOOK_SITE_DIR"] = os.path.relpath(temp_dir, project)
        result = _run(engine_command(engine, config_file, temp_dir), project, env)
        output = result.stderr + result.stdout
        lines += zensical_report(output) if engine == "zensical" else mkdocs_report(output)
        if result.returncode != 0 or not (temp_dir / "index.html").is_file():
            return BuildResult(False, site_dir, "\n".join(lines) or f"{engine} exited with {result.returncode}")
        make_readable(temp_dir)
        swap_in(temp_dir, site_dir)
        return BuildResult(True, site_dir, "\n".join(lines))
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return path.as_posix() + "/"


def main(argv: list[str] | None = None) -> int:
    """Build the site atomically; print the problems and keep the old site on failure."""
    parser = argparse.ArgumentParser(prog="python -m devtools.sitebuild", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="the mkdocs.yml to build")
    parser.add_argument("-d", "--site-dir", type=Path, default=None, help="where the site goes (default: site/, site-properdocs/ or site-zensical/ beside mkdocs.yml)")
    parser.add_argument("-e", "--engine", choices=ENGINES, default="mkdocs", help="the engine to build with (default: mkdocs)")
    args = parser.parse_args(argv)
    result = build_site(args.config_file, args.site_dir, args.engine)
    if result.report:
        print(result.report, file=sys.stderr)
    if result.ok:
        print(f"Built {_shown(result.site_dir)}", file=sys.stderr)
        return 0
    kept = "kept as it was" if result.site_dir.exists() else "not written"
    print(f"Build failed: {_shown(result.site_dir)} {kept}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
