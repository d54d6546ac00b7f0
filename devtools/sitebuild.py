"""Atomic site builds: build into a temporary folder beside `site/` and swap it in only on success.

A failed build (bad data, a broken link, a warning under strict) leaves the previous
`site/` exactly as it was and removes the half-written temporary folder. Run it with
`python -m devtools.sitebuild` (what `make build` does) or call `build_site`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from prep_handbook.paths import ROOT

TEMP_PREFIX = ".site-build-"
OLD_PREFIX = ".site-old-"


@dataclass(frozen=True)
class BuildResult:
    """What one build did: whether `site_dir` was replaced, and what MkDocs reported."""

    ok: bool
    site_dir: Path
    report: str


def _mkdocs_command(config_file: Path, out_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_file), "-d", str(out_dir)]


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


def build_site(config_file: Path = ROOT / "mkdocs.yml", site_dir: Path | None = None) -> BuildResult:
    """Build strictly into a temporary folder beside `site_dir`; replace `site_dir` only if the build passed."""
    config_file = config_file.resolve()
    site_dir = (site_dir or config_file.parent / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        result = subprocess.run(
            _mkdocs_command(config_file, temp_dir), cwd=config_file.parent, env=env, capture_output=True, text=True
        )
        report = (result.stderr + result.stdout).strip()
        if result.returncode != 0 or not (temp_dir / "index.html").is_file():
            return BuildResult(False, site_dir, report or f"mkdocs exited with {result.returncode}")
        swap_in(temp_dir, site_dir)
        return BuildResult(True, site_dir, report)
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
    parser.add_argument("-d", "--site-dir", type=Path, default=None, help="where the site goes (default: site/ beside mkdocs.yml)")
    args = parser.parse_args(argv)
    result = build_site(args.config_file, args.site_dir)
    if result.ok:
        if result.report:
            print(result.report, file=sys.stderr)
        print(f"Built {_shown(result.site_dir)}", file=sys.stderr)
        return 0
    print(result.report, file=sys.stderr)
    kept = "kept as it was" if result.site_dir.exists() else "not written"
    print(f"Build failed: {_shown(result.site_dir)} {kept}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
