"""`make publish`: pack the built site/ as a versioned, reproducible archive with its SHA-256.

The archive is `dist/prep-handbook-<version>-<gitsha>.tar.gz` (`-dirty` when the work tree
has uncommitted changes), holding one folder of static files: unpack it on any static host,
or open its index.html from disk. Same site and commit, same bytes and checksum.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "prep-handbook"


def version(root: Path = ROOT) -> str:
    """Return the project's version from pyproject.toml."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def git(*args: str, root: Path = ROOT) -> str:
    """Return git's output in `root`, or "" when git or the repository is missing."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def revision(root: Path = ROOT) -> tuple[str, int]:
    """Return the short commit (with -dirty for uncommitted changes, "nogit" outside git) and its commit time."""
    sha = git("rev-parse", "--short", "HEAD", root=root)
    if not sha:
        return "nogit", 0
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no", root=root) else ""
    return sha + dirty, int(git("log", "-1", "--format=%ct", root=root) or 0)


def archive_bytes(site: Path, prefix: str, mtime: int) -> bytes:
    """Return a gzipped tar of `site` under `prefix/`: sorted, owner-less, fixed times, so the bytes are reproducible."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [site, *sorted(site.rglob("*"))]:
            rel = path.relative_to(site).as_posix()
            info = tarfile.TarInfo(prefix if rel == "." else f"{prefix}/{rel}")
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif path.is_file():
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=mtime, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def publish(site: Path, dist: Path, root: Path = ROOT) -> Path:
    """Write the archive and its .sha256 (in `sha256sum -c` format) into `dist`; return the archive's path."""
    sha, mtime = revision(root)
    stem = f"{NAME}-{version(root)}-{sha}"
    dist.mkdir(parents=True, exist_ok=True)
    data = archive_bytes(site, stem, mtime)
    archive = dist / f"{stem}.tar.gz"
    archive.write_bytes(data)
    (dist / f"{stem}.tar.gz.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  {archive.name}\n", encoding="utf-8")
    return archive


def main(argv: list[str] | None = None) -> int:
    """Check that site/ is a built handbook, then archive it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the archive goes (default: dist/)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site} holds no built site (no index.html); run `make build` first", file=sys.stderr)
        return 2
    archive = publish(args.site, args.dist)
    digest = (archive.parent / f"{archive.name}.sha256").read_text(encoding="utf-8").split()[0]
    print(f"wrote {archive} ({archive.stat().st_size / 1024:.0f} KiB)")
    print(f"sha256 {digest}  (check: cd {archive.parent} && sha256sum -c {archive.name}.sha256)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
