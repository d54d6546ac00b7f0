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


def _stray_item(lines: list[str], start: yaml.Mark, end: yaml.Mark) -> int | None:
    """Return the line (0-based) where a plain text swallowed a list item indented too deep, if it did.

    `lines` is the file's text split with `str.splitlines`.
    """
    if end.line == start.line:
        return None
    for number in range(start.line + 1, min(end.line, len(lines) - 1) + 1):
        stripped = lines[number].lstrip()
        if stripped.startswith("- "):
            return number
    return None


# --- events to data ----------------------------------------------------------------------

_NO_KEY = object()  # a mapping waiting for its next key
_DROP = object()  # the key was refused: build its value, keep nothing

# Plain values that may be typed as something else than text start with one of these (or are empty).
_TYPED_START = frozenset("~nNtTfF+-.0123456789")


def _scalar(text: str) -> tuple[object, bool]:
    """Return (value, typed) for the text of a plain value, typed by YAML 1.2's core schema."""
    first = text[:1]
    if first and first not in _TYPED_START:
        return text, False
    # Each pattern below can match only a text starting as its branch says; the numbers in their order.
    if not first or first in "~nN":
        return (None, True) if _NULL.match(text) else (text, False)
    if first in "tT":
        return (True, True) if _TRUE.match(text) else (text, False)
    if first in "fF":
        return (False, True) if _FALSE.match(text) else (text, False)
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


class _Shown:
    """The path as messages show it, worked out the first time a message needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text: str | None = None

    def __str__(self) -> str:
        if self.text is None:
            self.text = display_path(self.path)
        return self.text


def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a Document, or raise DataError naming the line.

    One pass over libyaml's events, with the collection being built and its parents' state held in
    local variables (this loop is most of the time `handbook check` spends reading a file).
    """
    values: dict = {}
    keys: dict = {}
    raw: dict = {}
    doc = Document(path=path, data=None, values=values, keys=keys, raw=raw)
    problems: list[Problem] = []
    shown = _Shown(path)
    lines: list[str] = []  # text.splitlines(), split the first time a multi-line plain text needs it

    def refuse(mark: yaml.Mark, message: str) -> DataError:
        return DataError([Problem(str(shown), *_pos(mark), "", message)])

    loader = _Loader(text)
    get_event = loader.get_event
    # The collection being built: its value, location, whether it is kept, whether it is a mapping,
    # and (a mapping) the key waiting for its value with that value's location. `outer` holds the
    # same for each collection around it; `depth` counts them all.
    value: object = None
    container: dict | list | None = None
    loc: tuple = ()
    keep = True
    is_map = False
    key: object = _NO_KEY
    key_loc: tuple = ()
    outer: list[tuple] = []
    depth = 0
    documents = 0
    count = 0
    try:
        event = get_event()
        while event is not None:
            kind = event.__class__
            if kind is _SCALAR or kind is _MAP_START or kind is _SEQ_START:  # a new value
                if event.anchor is not None:
                    raise refuse(event.start_mark, f"an anchor (&{event.anchor}) names a value for reuse; data files do not use anchors or aliases: write the value out")
                count += 1
                if count > MAX_VALUES:
                    raise refuse(event.start_mark, f"holds more than {MAX_VALUES:,} values; a data file needs far fewer")
                if kind is _SCALAR and is_map and key is _NO_KEY and depth:  # a key of the mapping being built
                    if not keep:
                        key = _DROP
                    else:
                        key = event.value
                        key_loc = loc + (key,)
                        if (key == "<<" and not event.style) or key in container or key_loc in keys:
                            key = _refused_key(event, key, loc, keys, problems, shown)
                        else:
                            start = event.start_mark
                            keys[key_loc] = (start.line + 1, start.column + 1)
                    event = get_event()
                    continue
                # Where this value goes: a value under a key, an item, the top, or (a collection) a key.
                as_key = False
                if not depth:
                    here: tuple = ()
                    kept = True
                elif not is_map:
                    here = loc + (len(container),)
                    kept = keep
                elif key is _NO_KEY:
                    as_key = True
                    here = loc
                    kept = keep
                elif key is _DROP:
                    here = loc
                    kept = False
                else:
                    here = key_loc
                    kept = keep
                if kind is _SCALAR:
                    tag = event.tag
                    if tag is not None and tag not in _TEXT_TAGS:
                        raise refuse(event.start_mark, f"the tag {tag} is not used in data files; write the value plain")
                    value = event.value
                    plain = not event.style
                    typed = False
                    if plain and tag is None and event.implicit[0] and (not value or value[0] in _TYPED_START):
                        value, typed = _scalar(value)
                    if kept:
                        start = event.start_mark
                        values[here] = (start.line + 1, start.column + 1)
                        if typed:
                            raw[here] = event.value
                        elif plain and event.end_mark.line != start.line and value.__class__ is str:
                            if not lines:
                                lines = text.splitlines()
                            swallowed = _stray_item(lines, start, event.end_mark)
                            if swallowed is not None:
                                line = lines[swallowed]
                                problems.append(Problem(str(shown), swallowed + 1, len(line) - len(line.lstrip()) + 1, "",
                                    "invalid YAML: this list item is indented deeper than the item above, so YAML joins it to that "
                                    "item's text; put its '-' under the '-' of the item above"))
                else:
                    mapping = kind is _MAP_START
                    if as_key:
                        if keep:
                            problems.append(Problem(str(shown), *_pos(event.start_mark), format_field(loc), "keys must be plain text"))
                        kept = False
                    if event.tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                        raise refuse(event.start_mark, f"the tag {event.tag} is not used in data files; remove it")
                    if depth >= MAX_DEPTH:
                        raise refuse(event.start_mark, f"nests deeper than {MAX_DEPTH} levels; a data file needs far fewer")
                    if kept:
                        values[here] = _pos(event.start_mark)
                    if depth:
                        outer.append((container, loc, keep, is_map, key, key_loc))
                    depth += 1
                    container, loc, keep, is_map, key = ({} if mapping else []), here, kept, mapping, _NO_KEY
                    event = get_event()
                    continue
            elif kind is _MAP_END or kind is _SEQ_END:  # the collection being built is complete
                value, kept = container, keep
                depth -= 1
                if depth:
                    container, loc, keep, is_map, key, key_loc = outer.pop()
            elif kind is _DOC_START:
                documents += 1
                if documents > 1:
                    raise refuse(event.start_mark, "holds a second YAML document (a '---' line); a data file holds one")
                event = get_event()
                continue
            elif kind is _ALIAS:
                raise refuse(event.start_mark, f"an alias (*{event.anchor}) repeats another value; data files do not use anchors or aliases: write the value out")
            elif kind is _STREAM_END:
                break
            else:  # the start of the stream, the end of the document
                event = get_event()
                continue
            # A value is complete: attach it to the collection being built, or make it the document's.
            if not depth:
                doc.data = value
            elif not is_map:
                if kept:
                    container.append(value)
            elif key is _NO_KEY:  # a refused key that is not text just ended; its value comes next
                key = _DROP
            else:
                if key is not _DROP and kept:
                    container[key] = value
                key = _NO_KEY
            event = get_event()
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
    if doc.data is None and not values:
        raise _problem(path, 1, 1, "is empty; expected a mapping of keys")
    if problems:
        raise DataError(problems)
    return doc


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END, _ALIAS = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
_DOC_START, _STREAM_END = yaml.DocumentStartEvent, yaml.StreamEndEvent


def _refused_key(event: yaml.ScalarEvent, key: str, loc: tuple, keys: dict, problems: list[Problem], shown: _Shown) -> object:
    """Report a merge key or a duplicate key; return _DROP."""
    where = _pos(event.start_mark)
    if key == "<<" and not event.style:
        problems.append(Problem(str(shown), *where, format_field(loc), "merge keys (<<) are not supported"))
    else:
        first = keys[loc + (key,)]
        problems.append(Problem(str(shown), *where, format_field(loc + (key,)), f"duplicate key (first defined at line {first[0]})"))
    return _DROP


def load(path: Path, root: Path | None = None) -> Document:
    """Read and parse one YAML file."""
    return parse(read_text(path, root), path)
