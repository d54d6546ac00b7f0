"""`make publish`: build what is committed, pack it as a reproducible archive, and deploy only when asked.

1. Export `HEAD` with `git archive` into a temporary folder: an untracked story, an
   uncommitted edit or a private file beside the docs can never reach the archive. The
   files left out are named, so nobody believes they were published.
2. Build that export strictly and atomically (`devtools.sitebuild`: every MkDocs warning is
   an error; folders 0755, files 0644).
3. Write `dist/prep-handbook-<version>-<commit>.tar.gz` and its `.sha256`: named for the
   commit whose files it holds; the same commit gives the same bytes.
4. Only with `--deploy` (`make publish DEPLOY=1`): push the already-built folder to the
   `gh-pages` branch with ghp-import. Nothing rebuilds in place, and `site/` is never touched.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "prep-handbook"


class PublishError(Exception):
    """Publishing cannot go on; the message says why and what to do."""


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
    """Return HEAD's short commit and commit time; refuse to go on outside a git repository."""
    sha = git("rev-parse", "--short", "HEAD", root=root)
    if not sha:
        raise PublishError(f"{root}: not a git repository with a commit; `make publish` publishes a commit")
    return sha, int(git("log", "-1", "--format=%ct", root=root) or 0)


def left_out(root: Path = ROOT) -> list[str]:
    """Return the files that differ from HEAD (changed, staged or untracked, not ignored): they are not published."""
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "-z"], cwd=root, capture_output=True, check=False)
    return sorted({entry[3:].decode("utf-8", "replace") for entry in out.stdout.split(b"\0") if len(entry) > 3})


def export_head(root: Path, dest: Path) -> None:
    """Write the files of HEAD (and nothing else) into `dest` with `git archive`."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=root, capture_output=True, check=False)
    if archive.returncode != 0:
        raise PublishError(f"git archive HEAD failed: {archive.stderr.decode('utf-8', 'replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


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


def write_archive(site: Path, dist: Path, stem: str, mtime: int) -> Path:
    """Write `<stem>.tar.gz` and its .sha256 (in `sha256sum -c` format) into `dist`, each whole or not at all."""
    dist.mkdir(parents=True, exist_ok=True)
    data = archive_bytes(site, stem, mtime)
    archive = dist / f"{stem}.tar.gz"
    for target, content in ((archive, data), (dist / f"{stem}.tar.gz.sha256", f"{hashlib.sha256(data).hexdigest()}  {archive.name}\n".encode())):
        part = target.with_name(target.name + ".part")
        part.write_bytes(content)
        part.replace(target)
    return archive


def build_export(export: Path) -> None:
    """Build the exported project strictly into export/site (the same build as `make build`)."""
    result = subprocess.run(
        [sys.executable, "-m", "devtools.sitebuild", "-f", str(export / "mkdocs.yml"), "-d", str(export / "site")],
        cwd=export, capture_output=True, text=True, check=False,
    )
    if result.stderr.strip():
        print(result.stderr.strip(), file=sys.stderr)
    if result.returncode != 0:
        raise PublishError("the strict build of HEAD failed (above); nothing was published")


def deploy(site: Path, root: Path, commit: str) -> None:
    """Push the built folder to the gh-pages branch of `origin` with ghp-import (never rebuilding it)."""
    if not git("remote", root=root):
        raise PublishError("DEPLOY=1 but this repository has no git remote; nothing was pushed")
    ghp = Path(sys.executable).parent / "ghp-import"
    message = f"Deploy {NAME} {commit}"
    result = subprocess.run([str(ghp), "--no-jekyll", "--push", "--message", message, str(site)], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PublishError(f"ghp-import failed: {(result.stderr or result.stdout).strip()}")


def publish(root: Path, dist: Path, *, deploy_site: bool = False) -> Path:
    """Export HEAD, build it, write the archive into `dist`, and deploy when asked; return the archive's path."""
    commit, mtime = revision(root)
    skipped = left_out(root)
    if skipped:
        print(f"Publishing commit {commit}; {len(skipped)} file(s) not in it are left out:", file=sys.stderr)
        for name in skipped:
            print(f"  {name}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="prep-handbook-publish-") as tmp:
        export = Path(tmp) / "export"
        export_head(root, export)
        build_export(export)
        archive = write_archive(export / "site", dist, f"{NAME}-{version(export)}-{commit}", mtime)
        if deploy_site:
            deploy(export / "site", root, commit)
            print(f"pushed commit {commit}'s site to the gh-pages branch of {git('remote', root=root).splitlines()[0]}", file=sys.stderr)
    return archive


def main(argv: list[str] | None = None) -> int:
    """Publish HEAD as an archive (and to Pages with --deploy); print what was done."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to publish (default: this one)")
    parser.add_argument("--dist", type=Path, default=None, help="where the archive goes (default: dist/ of the repository)")
    parser.add_argument("--deploy", action="store_true", help="also push the built site to the gh-pages branch (make publish DEPLOY=1)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        archive = publish(root, args.dist or root / "dist", deploy_site=args.deploy)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    digest = (archive.parent / f"{archive.name}.sha256").read_text(encoding="utf-8").split()[0]
    print(f"wrote {archive} ({archive.stat().st_size / 1024:.0f} KiB)")
    print(f"sha256 {digest}  (check: cd {archive.parent} && sha256sum -c {archive.name}.sha256)")
    if not args.deploy:
        print("Not deployed: `make publish DEPLOY=1` pushes this site to the gh-pages branch.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
