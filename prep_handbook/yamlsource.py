"""Read one YAML file into plain data plus the line and column of every value.

PyYAML's C composer gives nodes with marks; walking the nodes ourselves lets us
refuse duplicate keys (PyYAML would silently keep the last one) and remember
where each key and value stands, so problems can name `path:line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import DataError, Problem, display_path, format_field

MAX_BYTES = 1_000_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"


@dataclass
class Document:
    """A parsed YAML file: its data and where each part of it stands."""

    path: Path
    data: object
    values: dict = field(default_factory=dict)  # loc tuple -> (line, col) of the value
    keys: dict = field(default_factory=dict)  # loc tuple -> (line, col) of the key

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


def read_text(path: Path, root: Path | None = None) -> str:
    """Return the file's text, refusing links out of `root`, huge, binary or non-UTF-8 files."""
    if root is not None:
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            raise _problem(path, 1, 1, "is a link to a file outside the repository; data files must live in it") from None
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _problem(path, 1, 1, f"cannot be read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise _problem(path, 1, 1, f"is {size:,} bytes; a data file may be at most {MAX_BYTES:,} bytes")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise _problem(path, 1, 1, "is a binary file, not YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(path, line, col, "is not valid UTF-8 text") from None


def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a Document, or raise DataError naming the line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (exc.problem or "invalid YAML").strip()
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            what = "a tab stands where YAML needs spaces for indentation"
        raise _problem(path, line, col, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise _problem(path, 1, 1, f"invalid YAML: {exc}") from None
    if node is None:
        raise _problem(path, 1, 1, "is empty; expected a mapping of keys")
    doc = Document(path=path, data=None)
    problems: list[Problem] = []
    doc.data = _build(node, (), doc, problems)
    if problems:
        raise DataError(problems)
    return doc


def load(path: Path, root: Path | None = None) -> Document:
    """Read and parse one YAML file."""
    return parse(read_text(path, root), path)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, loc: tuple, doc: Document, problems: list[Problem]):
    doc.values[loc] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(doc.shown, *_pos(key_node), _fmt(loc), "keys must be plain text"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Problem(doc.shown, *_pos(key_node), _fmt(loc), "merge keys (<<) are not supported"))
                continue
            if key in out:
                first = doc.keys[loc + (key,)]
                problems.append(Problem(doc.shown, *_pos(key_node), _fmt(loc + (key,)), f"duplicate key (first defined at line {first[0]})"))
                continue
            doc.keys[loc + (key,)] = _pos(key_node)
            out[key] = _build(value_node, loc + (key,), doc, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), doc, problems) for i, item in enumerate(node.value)]
    if node.tag == _STR:  # most values: no need for the constructor's machinery
        return node.value
    return _constructor.construct_object(node, deep=True)


_fmt = format_field
