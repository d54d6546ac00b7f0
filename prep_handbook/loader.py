"""The one loader: reads `data/`, checks every file against `template.yml`, and runs the rules.

`define_env`, the `handbook` command and the tests all call `load_handbook`. Shape
problems (missing sections, unknown keys, wrong types, empty values, duplicate keys,
unreadable files) are collected across every file and raised together as one
`DataError`; the checker's findings are attached to each entry.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from . import kits, yamlsource
from .paths import DATA_DIR, FOLDER_KINDS
from .problems import DataError, Problem, display_path, format_field
from .rules import Rules, RulesError, check_story
from .schema import Template
from .stampcache import StampCache

if TYPE_CHECKING:
    from . import diskcache

# A file name becomes a page address: anchored at both ends (`$` would let a trailing newline in) and bounded.
SLUG_MAX = 64
SLUG = re.compile(rf"\A[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}\Z")
SLUG_RULE = f"must be lower-case letters, digits and hyphens, at most {SLUG_MAX} characters"


@dataclass
class Entry:
    """One validated data file: a project, story, hypothetical or playbook."""

    slug: str
    folder: str
    kind: str
    path: Path
    data: dict
    doc: yamlsource.Document = field(repr=False)
    findings: list[Problem] = field(default_factory=list)

    @cached_property
    def shown(self) -> str:
        """The path as it appears in messages (worked out once: it resolves the folder)."""
        return display_path(self.path)

    @property
    def draft(self) -> bool:
        """A bank story marked `draft: true`: shown by `make serve` only, left out of everything built."""
        return self.folder == "stories" and self.data.get("draft") is True

    @property
    def errors(self) -> list[Problem]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]


@dataclass
class Handbook:
    """Everything in `data/`, validated."""

    template: Template
    rules: Rules
    entries: dict[str, list[Entry]]
    questions: list[dict] = field(default_factory=list)  # data/questions.yml, checked by questions.py

    def folder(self, name: str) -> list[Entry]:
        """Return the entries of one data folder, in display order."""
        return self.entries.get(name, [])

    def get(self, folder: str, slug: str) -> Entry:
        """Return one entry by folder and slug, or raise KeyError naming what exists."""
        for entry in self.folder(folder):
            if entry.slug == slug:
                return entry
        known = ", ".join(e.slug for e in self.folder(folder)) or "none"
        raise KeyError(f"no {folder} entry '{slug}' (known: {known})")

    @property
    def findings(self) -> list[Problem]:
        """Every finding of every entry but drafts (whose findings show on their own page only)."""
        return [f for entries in self.entries.values() for e in entries if not e.draft for f in e.findings]


_MESSAGES = {
    "missing": "field required",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: dict, model: type[BaseModel]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '').replace(chr(39), '')}; got {_describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        word = "at least" if kind == "greater_than_equal" else "at most"
        return f"must be {word} {ctx.get('ge', ctx.get('le'))}; got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}; got {_describe(value)}"
    if value is None and kind != "missing":
        return "must not be empty"
    base = _MESSAGES.get(kind, err["msg"][:1].lower() + err["msg"][1:])
    if kind.endswith("_type") or kind == "int_from_float":
        return f"{base}, got {_describe(value)}"
    return base


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Return the keys the model allows at the mapping holding `loc`."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    # Annotated[list[Model], ...] and Optional[Model]: look inside the type arguments.
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def validation_problems(doc: yamlsource.Document, exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into problems that name file, line, column and field."""
    problems = []
    seen = set()
    for err in exc.errors(include_url=False):
        # Pydantic may add type names (e.g. of a union branch) to a loc; keep the data keys only.
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not (p[:1].isupper() or p.startswith("literal[")))
        key = err["type"] == "extra_forbidden"
        line, col = doc.position(loc, key=key)
        message = _message(err, model)
        if key:
            allowed = _known_keys(model, loc)
            if allowed:
                message += f" (expected one of: {', '.join(allowed)})"
        marker = (loc, message)
        if marker in seen:
            continue
        seen.add(marker)
        problems.append(Problem(doc.shown, line, col, format_field(loc), message))
    return problems


def validate(doc: yamlsource.Document, model: type[BaseModel]) -> tuple[dict | None, list[Problem]]:
    """Check a document against a model; return its clean data or the problems."""
    if not isinstance(doc.data, dict):
        line, col = doc.position(())
        return None, [Problem(doc.shown, line, col, "", f"expected a mapping of keys at the top, got {_describe(doc.data)}")]
    data = doc.data
    while True:
        try:
            instance = model.model_validate(data)
        except ValidationError as exc:
            # Once: where the template wants text, put back what was typed, and check again.
            retyped = _as_written(data, doc, exc) if data is doc.data else None
            if retyped is None:
                return None, validation_problems(doc, exc, model)
            data = retyped
        else:
            return instance.model_dump(exclude_none=True), []


def _as_written(data: dict, doc: yamlsource.Document, exc: ValidationError) -> dict | None:
    """Where the template wants text and YAML typed a plain value (`1.10`, `true`), put back the text as written.

    Return the changed copy of `data`, or None when no error is of that kind.
    """
    fixes: dict[tuple, object] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == "string_type" and loc in doc.raw and not yamlsource.is_null(doc.raw[loc]):
            fixes[loc] = doc.raw[loc]
        elif err["type"] == "bool_type" and isinstance(err.get("input"), str) and err["input"].strip().lower() in _YES_NO:
            fixes[loc] = _YES_NO[err["input"].strip().lower()]  # a yes/no field: `draft: yes` as YAML 1.1 read it
    if not fixes:
        return None
    data = copy.deepcopy(data)
    for loc, value in fixes.items():
        holder = data
        for part in loc[:-1]:
            holder = holder[part]
        holder[loc[-1]] = value
    return data


_YES_NO = {"yes": True, "on": True, "y": True, "no": False, "off": False, "n": False}


def _load_settings(path: Path, model: type[BaseModel]) -> Any:
    """Read a settings file and check it against its model, raising DataError with positions."""
    doc = yamlsource.load(path)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise DataError(validation_problems(doc, exc, model)) from None
    except RulesError as exc:  # rules.yml: an unknown check, or params its check's model refuses
        raise DataError([Problem(doc.shown, *doc.position(loc, key=key), format_field(loc), message) for loc, key, message in exc.problems]) from None


def load_template(path: Path) -> Template:
    """Read and check `template.yml` itself."""
    return _load_settings(path, Template)


def load_rules(path: Path) -> Rules:
    """Read and check `rules.yml`."""
    return _load_settings(path, Rules)


# Parsed files, checked entries and the template and rules, reused while each file's
# stamp holds (and, for entries, while template.yml and rules.yml are the same objects).
_PARSED: StampCache[yamlsource.Document] = StampCache()
_CHECKED: StampCache[tuple["Entry | None", list[Problem]]] = StampCache()
_SETTINGS: StampCache[Any] = StampCache()


def _read(path: Path, root: Path | None) -> yamlsource.Document:
    return _PARSED.get(path, lambda: yamlsource.load(path, root), key=root)



def data_files(data_dir: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """List the data files by folder, and the problems with files that do not belong."""
    files, problems = [], []
    for child in _listing(data_dir, problems):
        if child.name.startswith(".") or child.name in ("template.yml", "rules.yml", "questions.yml", "README.md"):
            continue
        if child.is_dir() and child.name in FOLDER_KINDS:
            for path in _listing(child, problems):
                if path.name.startswith(".") or path.name == "README.md":
                    continue
                if path.suffix != ".yml":
                    problems.append(Problem(display_path(path), 1, 1, "", "is not a .yml data file; data folders hold only .yml files"))
                    continue
                if not path.is_file():  # a folder, FIFO, device or socket named .yml: never opened
                    try:
                        yamlsource.read_bytes(path, 0)
                    except DataError as exc:
                        problems.extend(_unreadable(p) for p in exc.problems)
                    continue
                files.append((child.name, path))
        else:
            known = ", ".join(f"{name}/" for name in FOLDER_KINDS)
            problems.append(Problem(display_path(child), 1, 1, "", f"is not a known data file or folder (expected template.yml, rules.yml, {known})"))
    return files, problems


def _listing(folder: Path, problems: list[Problem]) -> list[Path]:
    """The sorted contents of a folder; an unreadable folder is a problem, not a traceback."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        problems.append(_unreadable(Problem(display_path(folder), 1, 1, "", f"cannot be read: {exc.strerror or exc}")))
        return []


def _unreadable(problem: Problem) -> Problem:
    """Mark a problem as input that cannot be read at all (`handbook check` exits 2 for it)."""
    problem.extra["unreadable"] = True
    return problem


def load_entry(
    path: Path, folder: str, template: Template, rules: Rules, root: Path | None, text: str | None = None
) -> tuple[Entry | None, list[Problem]]:
    """Load, shape-check and rule-check one data file.

    `text`, when given, is the file's text, read by a caller that has refused links out of `root` itself.
    """
    kind = FOLDER_KINDS[folder]
    try:
        doc = _read(path, root) if text is None else yamlsource.parse(text, path)
    except DataError as exc:
        return None, exc.problems
    retired = kits.retired_keys(doc.data) if kind == "story" else []
    shape = dataclasses.replace(doc, data={k: v for k, v in doc.data.items() if k not in retired}) if retired else doc
    data, problems = validate(shape, template.model_for(kind, folder))
    for key in retired:  # one message saying how to move it, instead of "unknown key"
        problems.append(Problem(doc.shown, *doc.position((key,), key=True), key, kits.retired_message(key, doc.data)))
    if not SLUG.match(path.stem):
        problems.append(Problem(doc.shown, 1, 1, "", f"file name {path.stem!r} {SLUG_RULE}"))
    if data is None or problems:
        return None, problems
    entry = Entry(slug=path.stem, folder=folder, kind=kind, path=path, data=data, doc=doc)
    if kind == "kit":
        with kits.checking(_kit_context(path, template, rules, root)):
            entry.findings = findings_of(entry, template, rules)
    else:
        entry.findings = findings_of(entry, template, rules)
    return entry, []


def _kit_context(path: Path, template: Template, rules: Rules, root: Path | None) -> kits.Context:
    """Return what a kit's cross-file checks see: the folders beside its own, then (outside a data folder) the project's."""
    local = path.parent.parent
    data_dirs = [local] if (local / "template.yml").is_file() else [local, DATA_DIR]

    def checked(folder: str, file: Path) -> tuple[Entry | None, list[Problem]]:
        return _CHECKED.get(file, lambda: load_entry(file, folder, template, rules, root), key=(folder, root), depends=(template, rules))

    def story(name: str) -> kits.Found | None:
        if not SLUG.match(name):
            return None
        for data_dir in data_dirs:
            for folder in kits.STORY_FOLDERS:
                file = data_dir / folder / f"{name}.yml"
                if file.is_file():
                    entry, problems = checked(folder, file)
                    return kits.Found(folder, display_path(file), entry, tuple(problems))
        return None

    def hypothetical(slug: str) -> Entry | None:
        for data_dir in data_dirs:
            file = data_dir / "hypotheticals" / f"{slug}.yml"
            if file.is_file():
                return checked("hypotheticals", file)[0]
        return None

    return kits.Context(story=story, hypothetical=hypothetical, template=template)


def findings_of(entry: Entry, template: Template, rules: Rules) -> list[Problem]:
    """Run the checker on an entry and turn each finding's location into its line and column."""
    problems = []
    for f in check_story(entry.data, entry.kind, template, rules, entry.folder):
        line, col = entry.doc.position(f.loc, key=_is_block(entry.data, f.loc))
        problems.append(Problem(entry.shown, line, col, format_field(f.loc), f.message, f.severity, f.rule, f.hint, f.see))
    return sorted(problems, key=lambda p: (p.line, p.col, p.rule or ""))


def _is_block(data: Any, loc: tuple) -> bool:
    """Say whether `loc` holds a mapping or a list: a finding about it points at its key."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(data, (dict, list))


def load_handbook(data_dir: Path, paths: list[Path] | None = None, drafts: bool = False) -> Handbook:
    """Load and check every data file under `data_dir` (or only `paths`); raise DataError on shape problems.

    Drafts are checked like every file but left out of the handbook unless `drafts` asks for them.
    """
    root = data_dir.resolve().parent
    template = _SETTINGS.get(data_dir / "template.yml", lambda: load_template(data_dir / "template.yml"))
    rules = _SETTINGS.get(data_dir / "rules.yml", lambda: load_rules(data_dir / "rules.yml"))
    files, problems = data_files(data_dir)
    if paths is not None:
        wanted = {p.resolve() for p in paths}
        files = [(folder, p) for folder, p in files if p.resolve() in wanted]
    entries: dict[str, list[Entry]] = {name: [] for name in FOLDER_KINDS}
    from . import diskcache  # here, not at the top: `handbook check` keeps nothing on disk

    disk = diskcache.for_project(root)
    settings_key = diskcache.settings_key(data_dir) if disk is not None else b""
    for folder, path in files:
        if FOLDER_KINDS[folder] == "kit":  # checked afresh: what a kit refers to may have changed
            entry, found = load_entry(path, folder, template, rules, root)
        else:
            entry, found = _CHECKED.get(
                path, lambda: _load_stored(disk, settings_key, path, folder, template, rules, root), key=(folder, root), depends=(template, rules)
            )
        problems.extend(found)
        if entry is not None and (drafts or not entry.draft):
            entries[folder].append(entry)
    problems.extend(_kit_owner_problems(entries.get("kits", [])))
    questions: list[dict] = []
    if paths is None and (data_dir / "questions.yml").is_file():
        from .questions import load_questions  # the question bank knows the story template's competencies

        try:
            questions = _SETTINGS.get(
                data_dir / "questions.yml", lambda: load_questions(data_dir / "questions.yml", template, root), key="questions", depends=(template,)
            )
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    for folder, items in entries.items():
        items.sort(key=lambda e: (e.data.get("order", 0), e.data.get("title", e.slug).lower(), e.slug))
    return Handbook(template=template, rules=rules, entries=entries, questions=questions)


def _load_stored(
    disk: diskcache.DiskCache | None, settings_key: bytes, path: Path, folder: str, template: Template, rules: Rules, root: Path
) -> tuple[Entry | None, list[Problem]]:
    """`load_entry`, answered from the on-disk cache when this text was checked before under the same settings and code."""
    if disk is None:
        return load_entry(path, folder, template, rules, root)
    try:
        text = yamlsource.read_text(path, root)
    except DataError as exc:
        return None, exc.problems
    key = disk.key(settings_key, folder, str(path), str(root), text)
    stored = disk.get(key, valid=_stored_shape)
    if stored is not None:
        return stored
    result = load_entry(path, folder, template, rules, root, text)
    disk.put(key, result)
    return result


def _stored_shape(value: Any) -> bool:
    """A stored check is (an Entry or None, a list of Problems)."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and (value[0] is None or isinstance(value[0], Entry))
        and isinstance(value[1], list)
        and all(isinstance(p, Problem) for p in value[1])
    )


def _kit_owner_problems(kit_entries: list[Entry]) -> list[Problem]:
    """One kit per owner: a second kit for the same owner is named with the first one's file."""
    first: dict[str, Entry] = {}
    problems = []
    for entry in sorted(kit_entries, key=lambda e: e.slug):
        owner = entry.data["owner"]
        if owner in first:
            line, col = entry.doc.position(("owner",))
            problems.append(Problem(entry.shown, line, col, "owner", f"'{owner}' already has a kit: {first[owner].shown}"))
        else:
            first[owner] = entry
    return problems
