"""Run the Makefile's targets the way users and CI do, in a copy of the project, and compare trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from support import ROOT, copy_project

MAKE_PARTS = ("Makefile", "devtools", "pyproject.toml", "requirements.lock")


def tree_digest(folder: Path) -> str:
    """Hash a whole tree: every path, file content, link target, mode and modification time."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest.update(f"{path.relative_to(folder).as_posix()}|{stat.st_mode}|{stat.st_mtime_ns}\n".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def make_project(dest: Path) -> Path:
    """A copy of the project that `make` runs in: sources, Makefile, devtools, and this checkout's .venv."""
    project = copy_project(dest)
    for part in MAKE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, project / part)
    (project / ".venv").symlink_to(ROOT / ".venv")
    return project


def make(project: Path, *target: str) -> subprocess.CompletedProcess:
    """Run `make <target>` in `project` (-o: the shared .venv counts as set up, so nothing is reinstalled)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *target], cwd=project, env=env, capture_output=True, text=True, timeout=900)
