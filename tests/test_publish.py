"""`make publish`: a versioned archive of the built site, reproducible, with a checksum `sha256sum -c` accepts."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def publish(site: Path, dist: Path) -> subprocess.CompletedProcess:
    """Run the publish script as `make publish` does, on a given site and dist folder."""
    return subprocess.run(
        [sys.executable, "-m", "devtools.publish", "--site", str(site), "--dist", str(dist)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def small_site(path: Path) -> Path:
    """Write a two-page static site."""
    (path / "examples").mkdir(parents=True)
    (path / "index.html").write_text("<h1>Prep Handbook</h1>", encoding="utf-8")
    (path / "examples" / "p99-latency.html").write_text("<p>620 ms → 290 ms</p>", encoding="utf-8")
    return path


def test_archive_is_named_by_version_and_commit_and_holds_the_site(tmp_path: Path) -> None:
    """The archive is dist/prep-handbook-<version>-<sha>.tar.gz, one folder holding every page of the site."""
    result = publish(small_site(tmp_path / "site"), tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    archives = sorted((tmp_path / "dist").glob("*.tar.gz"))
    assert len(archives) == 1
    stem = archives[0].name.removesuffix(".tar.gz")
    assert stem in (f"prep-handbook-{version}-{sha}", f"prep-handbook-{version}-{sha}-dirty")
    with tarfile.open(archives[0]) as tar:
        assert sorted(tar.getnames()) == [stem, f"{stem}/examples", f"{stem}/examples/p99-latency.html", f"{stem}/index.html"]
        assert tar.extractfile(f"{stem}/examples/p99-latency.html").read().decode() == "<p>620 ms → 290 ms</p>"


def test_checksum_matches_and_sha256sum_accepts_it(tmp_path: Path) -> None:
    """The .sha256 file holds the archive's SHA-256 in the format `sha256sum -c` checks."""
    assert publish(small_site(tmp_path / "site"), tmp_path / "dist").returncode == 0
    archive = next((tmp_path / "dist").glob("*.tar.gz"))
    line = (tmp_path / "dist" / f"{archive.name}.sha256").read_text(encoding="utf-8")
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    check = subprocess.run(["sha256sum", "-c", f"{archive.name}.sha256"], cwd=tmp_path / "dist", capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.strip() == f"{archive.name}: OK"


def test_same_site_gives_the_same_bytes_and_a_changed_site_does_not(tmp_path: Path) -> None:
    """Publishing the same site twice gives identical archives; changing one page changes the checksum."""
    site = small_site(tmp_path / "site")
    sums = []
    for run in range(3):
        if run == 2:
            (site / "index.html").write_text("<h1>Prep Handbook, edited</h1>", encoding="utf-8")
        dist = tmp_path / f"dist{run}"
        assert publish(site, dist).returncode == 0
        sums.append(next(dist.glob("*.sha256")).read_text(encoding="utf-8"))
    assert sums[0] == sums[1]
    assert sums[2] != sums[0]


def test_refuses_a_missing_site(tmp_path: Path) -> None:
    """Without a built site there is nothing to publish: exit 2, a message, and no archive."""
    result = publish(tmp_path / "site", tmp_path / "dist")
    assert result.returncode == 2
    assert "no built site" in result.stderr and "make build" in result.stderr
    assert not (tmp_path / "dist").exists()
