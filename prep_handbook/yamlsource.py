"""Read one YAML file into plain data plus the line and column of every value.

The reader is built for files that people write by hand and that a stranger may have
written to hurt: it never opens anything but a regular file, reads at most `MAX_BYTES`,
refuses anchors and aliases (a few hundred bytes of them expand to gigabytes), stops
at `MAX_DEPTH` levels of nesting and `MAX_VALUES` values, and builds the data from
libyaml's events with a loop, not recursion. Every refusal is one `path:line:col` problem.

Plain (unquoted) values are typed as YAML 1.2's core schema does: `2:30`, `no`, `on` and
`2026-01-05` stay text, and `Document.raw` keeps the text as written of every plain value
that became a number, yes/no or nothing, so a field the template declares as text can
hold what was typed (`1.10`, `true`). Duplicate keys, merge keys and keys that are not
text are refused, and the parser's errors that writers hit are said in words of what to do.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import DataError, Problem, display_path, format_field

MAX_BYTES = 1_000_000
MAX_DEPTH = 32  # a story nests four levels deep; the interpreter's limit is 1,000
MAX_VALUES = 20_000  # the largest story has a few hundred
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema for plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = re.compile(r"\A(?:~|null|Null|NULL|)\Z")
_TRUE = re.compile(r"\A(?:true|True|TRUE)\Z")
_FALSE = re.compile(r"\A(?:false|False|FALSE)\Z")
_INT = re.compile(r"\A[-+]?[0-9]+\Z")
_OCT = re.compile(r"\A0o[0-7]+\Z")
_HEX = re.compile(r"\A0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"\A[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"\A[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\A\.(?:nan|NaN|NAN)\Z")
_TEXT_TAGS = ("!", "tag:yaml.org,2002:str")
_MAP_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")


@dataclass
class Document:
    """A parsed YAML file: its data and where each part of it stands."""

    path: Path
    data: object
    values: dict = field(default_factory=dict)  # loc tuple -> (line, col) of the value
    keys: dict = field(default_factory=dict)  # loc tuple -> (line, col) of the key
    raw: dict = field(default_factory=dict)  # loc tuple -> text as written, for plain values that are not text

    @property
    def shown(self) -> str:
        """The path as it appears in messages."""
        return display_path(self.path)

    def position(self, loc: tuple, *, key: bool = False) -> tuple[int, int]:
        """Return the best known (line, col) for `loc`, walking up to a parent if needed."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]
            key = False


def _problem(path: Path, line: int, col: int, message: str) -> DataError:
    return DataError([Problem(display_path(path), line, col, "", message)])


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _unreadable(path: Path, exc: OSError) -> DataError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENAMETOOLONG:
        reason = "its name is too long"
    return _problem(path, 1, 1, f"cannot be read: {reason}")


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Return at most `limit` bytes of a regular file, or raise DataError: never blocks, never reads more."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise _problem(path, 1, 1, f"is {_kind_of(info.st_mode)}, not a regular file; data files must be plain files")
    if info.st_size > limit:
        raise _problem(path, 1, 1, f"is {info.st_size:,} bytes; a data file may be at most {limit:,} bytes")
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the stat above opens at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _problem(path, 1, 1, f"is {_kind_of(mode)}, not a regular file; data files must be plain files")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _unreadable(path, exc) from None
    if len(raw) > limit:  # the file grew since the stat
        raise _problem(path, 1, 1, f"is more than {limit:,} bytes; a data file may be at most {limit:,} bytes")
    return raw


def refuse_outside(path: Path, root: Path) -> None:
    """Raise DataError when `path` is a link to a file outside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise _problem(path, 1, 1, "is a link to a file outside the repository; data files must live in it") from None
    except OSError as exc:
        raise _unreadable(path, exc) from None


def read_text(path: Path, root: Path | None = None) -> str:
    """Return the file's text, refusing links out of `root`, special, huge, binary or non-UTF-8 files."""
    if root is not None:
        refuse_outside(path, root)
    raw = read_bytes(path)
    if b"\x00" in raw:
        raise _problem(path, 1, 1, "is a binary file, not YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(path, line, col, "is not valid UTF-8 text") from None


# --- parser errors in words of what to do --------------------------------------------------

_KEY_LINE = re.compile(r"\A(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>\S.*?)\s*\Z")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Return (line, col, message) for a parser error, with advice for the mistakes writers make."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = (exc.problem or "invalid YAML").strip()
    if what == "exceeded maximum nesting depth":  # libyaml's own limit (1,000), met before ours in flow style
        return line, col, f"nests deeper than {MAX_DEPTH} levels; a data file needs far fewer"
    lines = text.splitlines()
    source = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in source[: len(source) - len(source.lstrip())] or "tab" in what:
        tab = source.find("\t")
        return line, (tab + 1 if tab >= 0 else col), (
            "invalid YAML: a tab stands where YAML needs spaces for indentation; indent with spaces only"
        )
    match = _KEY_LINE.match(source)
    if what == "found character that cannot start any token" and mark and source[mark.column:].strip():
        value = source[mark.column :].rstrip()
        before = source[: mark.column].strip()
        return line, col, (
            f"invalid YAML: a value cannot start with {value[0]!r}; put it in quotes: "
            f"{(before + ' ' + _quoted(value)).strip()}"
        )
    if what == "mapping values are not allowed in this context" and match and mark.column > match.start("value"):
        return line, match.start("value") + 1, (
            "invalid YAML: this text holds ': ', which YAML reads as a new key; put the text in quotes "
            f"({match['key']}: {_quoted(match['value'])}) or write '>' after the key and the text on the next line, indented"
        )
    stripped = source.lstrip()
    if stripped.startswith("- ") or stripped == "-":
        return line, len(source) - len(stripped) + 1, (
            "invalid YAML: this list item is not lined up with the list it belongs to; "
            "put its '-' under the '-' of the item above, or indent the list under its key"
        )
    if what == "mapping values are not allowed in this context":
        return line, col, "invalid YAML: a key here is indented differently from the keys around it; line it up with them"
    return line, col, f"invalid YAML: {what}"


def _stray_item(text: str, start: yaml.Mark, end: yaml.Mark) -> int | None:
    """Return the line (0-based) where a plain text swallowed a list item indented too deep, if it did."""
    if end.line == start.line:
        return None
    lines = text.splitlines()
    for number in range(start.line + 1, min(end.line, len(lines) - 1) + 1):
        stripped = lines[number].lstrip()
        if stripped.startswith("- "):
            return number
    return None


# --- events to data ----------------------------------------------------------------------

_NO_KEY = object()  # a mapping waiting for its next key
_DROP = object()  # the key was refused: build its value, keep nothing


@dataclass
class _Frame:
    value: dict | list
    loc: tuple
    key: object = _NO_KEY
    keep: bool = True


def _scalar(event: yaml.ScalarEvent) -> tuple[object, bool]:
    """Return (value, plain-and-not-text) for a scalar event, typed by YAML 1.2's core schema."""
    text = event.value
    if event.tag in _TEXT_TAGS or event.style or not event.implicit[0]:
        return text, False
    if _NULL.match(text):
        return None, True
    if _TRUE.match(text):
        return True, True
    if _FALSE.match(text):
        return False, True
    if _INT.match(text):
        return int(text), True
    if _OCT.match(text):
        return int(text[2:], 8), True
    if _HEX.match(text):
        return int(text[2:], 16), True
    if _FLOAT.match(text):
        return float(text), True
    if _INF.match(text):
        return float(text.replace(".", "")), True
    if _NAN.match(text):
        return float("nan"), True
    return text, False


def is_null(text: str) -> bool:
    """Say whether a plain value written as `text` means nothing (`~`, `null` or empty)."""
    return bool(_NULL.match(text))


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a Document, or raise DataError naming the line."""
    doc = Document(path=path, data=None)
    problems: list[Problem] = []
    shown = doc.shown

    def refuse(mark: yaml.Mark, message: str) -> DataError:
        return DataError([Problem(shown, *_pos(mark), "", message)])

    loader = _Loader(text)
    stack: list[_Frame] = []
    documents = 0
    count = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise refuse(event.start_mark, "holds a second YAML document (a '---' line); a data file holds one")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise refuse(event.start_mark, f"an alias (*{event.anchor}) repeats another value; data files do not use anchors or aliases: write the value out")
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                value, keep = done.value, done.keep
            else:  # a scalar or the start of a mapping or sequence: a new value
                if event.anchor is not None:
                    raise refuse(event.start_mark, f"an anchor (&{event.anchor}) names a value for reuse; data files do not use anchors or aliases: write the value out")
                count += 1
                if count > MAX_VALUES:
                    raise refuse(event.start_mark, f"holds more than {MAX_VALUES:,} values; a data file needs far fewer")
                parent = stack[-1] if stack else None
                # Where this value goes: a key of the parent mapping, a value under a key, an item, or the top.
                as_key = parent is not None and isinstance(parent.value, dict) and parent.key is _NO_KEY
                keep = parent is None or (parent.keep and parent.key is not _DROP)
                if parent is None:
                    loc = ()
                elif isinstance(parent.value, dict):
                    loc = parent.loc if as_key else parent.loc + (parent.key,)
                else:
                    loc = parent.loc + (len(parent.value),)
                if as_key and not isinstance(event, yaml.ScalarEvent):
                    if parent.keep:
                        problems.append(Problem(shown, *_pos(event.start_mark), format_field(parent.loc), "keys must be plain text"))
                    keep = False
                if isinstance(event, yaml.ScalarEvent):
                    if as_key:
                        parent.key = _key(event, parent, doc, problems) if parent.keep else _DROP
                        continue
                    if event.tag not in (None, *_TEXT_TAGS):
                        raise refuse(event.start_mark, f"the tag {event.tag} is not used in data files; write the value plain")
                    value, plain = _scalar(event)
                    if keep:
                        doc.values[loc] = _pos(event.start_mark)
                        if plain:
                            doc.raw[loc] = event.value
                        elif isinstance(value, str) and not event.style:
                            swallowed = _stray_item(text, event.start_mark, event.end_mark)
                            if swallowed is not None:
                                line = text.splitlines()[swallowed]
                                problems.append(Problem(shown, swallowed + 1, len(line) - len(line.lstrip()) + 1, "",
                                    "invalid YAML: this list item is indented deeper than the item above, so YAML joins it to that "
                                    "item's text; put its '-' under the '-' of the item above"))
                else:
                    is_map = isinstance(event, yaml.MappingStartEvent)
                    if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                        raise refuse(event.start_mark, f"the tag {event.tag} is not used in data files; remove it")
                    if len(stack) >= MAX_DEPTH:
                        raise refuse(event.start_mark, f"nests deeper than {MAX_DEPTH} levels; a data file needs far fewer")
                    if keep:
                        doc.values[loc] = _pos(event.start_mark)
                    stack.append(_Frame({} if is_map else [], loc, keep=keep))
                    continue
            # A value is complete: attach it to its parent.
            if not stack:
                doc.data = value
                continue
            parent = stack[-1]
            if isinstance(parent.value, dict):
                if parent.key is _NO_KEY:  # a refused non-text key just ended; its value comes next
                    parent.key = _DROP
                    continue
                if parent.key is not _DROP and keep:
                    parent.value[parent.key] = value
                parent.key = _NO_KEY
            elif keep:
                parent.value.append(value)
    except yaml.MarkedYAMLError as exc:
        line, col, message = _explain(text, exc)
        raise _problem(path, line, col, message) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise _problem(path, line, col, f"holds the control character {char!r}, which YAML does not allow; remove it") from None
    except yaml.YAMLError as exc:
        raise _problem(path, 1, 1, f"invalid YAML: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()
    if doc.data is None and not doc.values:
        raise _problem(path, 1, 1, "is empty; expected a mapping of keys")
    if problems:
        raise DataError(problems)
    return doc


def _key(event: yaml.ScalarEvent, parent: _Frame, doc: Document, problems: list[Problem]) -> object:
    """Check one mapping key; return it, or _DROP when it is refused."""
    where = _pos(event.start_mark)
    key = event.value
    if key == "<<" and not event.style:  # doc.shown resolves the path: asked only when there is a problem
        problems.append(Problem(doc.shown, *where, format_field(parent.loc), "merge keys (<<) are not supported"))
        return _DROP
    if key in parent.value or parent.loc + (key,) in doc.keys:
        first = doc.keys[parent.loc + (key,)]
        problems.append(Problem(doc.shown, *where, format_field(parent.loc + (key,)), f"duplicate key (first defined at line {first[0]})"))
        return _DROP
    doc.keys[parent.loc + (key,)] = where
    return key


def load(path: Path, root: Path | None = None) -> Document:
    """Read and parse one YAML file."""
    return parse(read_text(path, root), path)
