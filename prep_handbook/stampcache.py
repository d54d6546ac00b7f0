"""Values computed from one file, reused while the file's stamp (mtime, size, inode) holds.

`mkdocs serve` keeps the `prep_handbook` package imported across rebuilds, and Zensical calls
`define_env` once per page, so the loader asks this cache before it parses, validates
or checks a file again. A file rewritten within the file system's clock tick can keep
its stamp; such "racy" entries are confirmed by a digest of the file's bytes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

# A stamp this close to the moment it was cached is not trusted without the digest.
RACY_NS = 2_000_000_000


def stamp(path: Path) -> tuple[int, int, int]:
    """Return the file's (mtime in ns, size, inode)."""
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def digest(path: Path, limit: int = 2_000_000) -> bytes:
    """Return a short digest of the file's first `limit` bytes (empty when it cannot be read).

    Bounded and non-blocking: data files past 1 MB are refused anyway, and a FIFO must not hang the loader.
    """
    import hashlib  # here, not at the top: most commands never ask for a digest

    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
            return hashlib.blake2b(handle.read(limit), digest_size=16).digest()
    except OSError:
        return b""


@dataclass
class _Item(Generic[T]):
    stamp: tuple[int, int, int]
    digest: bytes
    trusted: bool
    depends: tuple
    value: T


class StampCache(Generic[T]):
    """A map from (file, key) to a value computed from that file and some inputs."""

    def __init__(self) -> None:
        self._items: dict[Hashable, _Item[T]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, path: Path, compute: Callable[[], T], key: Hashable = None, depends: tuple = ()) -> T:
        """Return the cached value for `path` if the file and `depends` (by identity) are unchanged, else compute it."""
        now = stamp(path)
        item = self._items.get((path, key))
        if item is not None and item.stamp == now and _same(item.depends, depends):
            if item.trusted or item.digest == digest(path):
                item.trusted = item.trusted or _settled(now)
                self.hits += 1
                return item.value
        self.misses += 1
        value = compute()
        self._items[(path, key)] = _Item(now, digest(path), _settled(now), depends, value)
        return value

    def clear(self) -> None:
        """Forget every cached value."""
        self._items.clear()


def _settled(file_stamp: tuple[int, int, int]) -> bool:
    return time.time_ns() - file_stamp[0] > RACY_NS


def _same(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new))


def digest_of(*parts: object) -> str:
    """Return a short hex digest of the parts' repr: a cheap "has what this page shows changed?" test."""
    import hashlib

    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).hexdigest()
