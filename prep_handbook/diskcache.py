"""Checked entries kept on disk between processes, so a repeat build skips the files that did not change.

An entry is found by a digest of everything its checking read: the file's text, its path and
folder, `template.yml`, `rules.yml`, and the package's own source (so a new checker never
reuses an old answer). Entries live in `.cache/handbook/` beside `data/` (git ignores `.cache/`).
The cache is only ever an aid: an entry that cannot be read, is truncated or holds something
else is ignored (and checked afresh), a cache folder that cannot be written is skipped, and
`HANDBOOK_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

FOLDER = Path(".cache") / "handbook"
ENV = "HANDBOOK_CACHE"
_FORMAT = b"handbook-entry-1"
_CODE: bytes | None = None


def enabled() -> bool:
    """Say whether the cache is on (it is unless HANDBOOK_CACHE is off, 0 or no)."""
    return os.environ.get(ENV, "").strip().lower() not in ("off", "0", "no", "false")


def code_version() -> bytes:
    """A digest of the package's Python source and the interpreter: any change to the checker misses the cache."""
    global _CODE
    if _CODE is None:
        h = hashlib.blake2b(_FORMAT, digest_size=16)
        h.update(sys.version.encode())
        for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
            h.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        try:
            from importlib.metadata import version

            h.update(version("pydantic").encode())
        except Exception:  # noqa: BLE001 - a missing distribution only makes the key less specific
            pass
        _CODE = h.digest()
    return _CODE


def settings_key(data_dir: Path) -> bytes:
    """A digest of template.yml and rules.yml as they are on disk, and of the code."""
    h = hashlib.blake2b(code_version(), digest_size=16)
    for name in ("template.yml", "rules.yml"):
        try:
            h.update((data_dir / name).read_bytes())
        except OSError:
            h.update(b"\0missing\0")
        h.update(b"\0")
    return h.digest()


class DiskCache:
    """Values stored as files named by the digest of their inputs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.writable = True

    @staticmethod
    def key(*parts: bytes | str) -> str:
        """Return the hex digest naming an entry made from `parts`."""
        h = hashlib.blake2b(digest_size=20)
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "little") + data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str, valid: Any = None) -> Any:
        """Return the stored value, or None when there is none or it cannot be used (`valid` checks its shape)."""
        try:
            raw = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            if not raw.startswith(_FORMAT):
                raise ValueError("not a cache entry")
            value = pickle.loads(raw[len(_FORMAT) :])  # noqa: S301 - our own files, in the project's .cache/
            if valid is not None and not valid(value):
                raise ValueError("unexpected value")
        except Exception:  # noqa: BLE001 - a corrupt entry is ignored, never fatal
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store `value` atomically (a temporary file renamed into place); failures are ignored."""
        if not self.writable:
            return
        target = self._path(key)
        try:
            data = _FORMAT + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            self.writable = False  # a read-only checkout or a full disk: build without the cache


_CACHES: dict[Path, DiskCache] = {}


def for_project(root: Path) -> DiskCache | None:
    """Return the cache of the project at `root`, or None when the cache is off."""
    if not enabled():
        return None
    folder = root / FOLDER
    cache = _CACHES.get(folder)
    if cache is None:
        cache = _CACHES[folder] = DiskCache(folder)
    return cache
