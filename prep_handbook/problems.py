"""Problems found in data files, and how they are reported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .paths import ROOT

# C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what a terminal shows.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_UNSAFE.update({ord(c): f"\\u{ord(c):04x}" for c in _BIDI})
_UNSAFE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})


def printable(text: str, keep: str = "") -> str:
    """Return `text` with control characters shown escaped (`\\x1b`), so a terminal prints them as text.

    Characters in `keep` (say newline and tab, for a whole Markdown page) are left as they are.
    """
    table = {k: v for k, v in _UNSAFE.items() if chr(k) not in keep} if keep else _UNSAFE
    return text.translate(table)


def display_path(path: Path | str) -> str:
    """Return `path` relative to the project root when it lies inside it."""
    p = path if isinstance(path, Path) else Path(path)
    if not p.is_absolute():
        return p.as_posix()
    # Resolve the folder, not the file: a symlink is named as the link, not as its target.
    folder, under = _shown_folder(os.path.dirname(p))  # the folder as text: str(p.parent)
    name = p.name
    if under is None:  # the folder is outside the root: only the root itself is inside it
        return "." if folder / name == ROOT else p.as_posix()
    if not name:
        return under
    return name if under == "." else f"{under}/{name}"


@lru_cache(maxsize=4096)
def _shown_folder(folder: str) -> tuple[Path, str | None]:
    """A folder resolved, and where it stands under the root (None outside it): worked out once per process.

    A folder re-linked while a process runs (say `make serve`) keeps its first name until the process restarts.
    """
    resolved = Path(folder).resolve()
    try:
        return resolved, resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return resolved, None


def format_field(loc: tuple) -> str:
    """Render a location tuple as `outcomes[0].baseline`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one data file, at a line and column (1-based)."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: str = "error"
    rule: str | None = None
    hint: str | None = None
    see: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        """One line, with any control character from a file name, key or value shown escaped."""
        where = f"{self.path}:{self.line}:{self.col}"
        if self.rule:
            subject = f"{self.field}: " if self.field else ""
            return printable(f"{where}: {self.severity}: {subject}{self.message} [{self.rule}]")
        return printable(f"{where}: {self.field or '(file)'}: {self.message}")

    def as_dict(self) -> dict:
        """Return the problem as plain data, for JSON output and pages."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
            "rule": self.rule,
            "hint": self.hint,
            "see": self.see,
        }


class DataError(Exception):
    """Raised when data files cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__(self.report())

    def report(self) -> str:
        """Return one line per problem."""
        return "\n".join(str(p) for p in self.problems)
