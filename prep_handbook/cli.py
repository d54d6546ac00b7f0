"""The `handbook` command: check stories, scaffold a new one, render one, write the JSON Schema.

Exit codes of `handbook check`: 0 no errors, 1 errors (shape problems or checker errors),
2 usage problems or input that cannot be read at all.

`handbook check` over many files (`PARALLEL_FROM` or more) checks them in one process per core,
forked, and prints exactly what one process would. `HANDBOOK_JOBS=1` keeps it to one process;
`HANDBOOK_JOBS=n` asks for n at any number of files.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import yamlsource
from .loader import SLUG, SLUG_RULE, Entry, Handbook, data_files, load_entry, load_rules, load_template
from .paths import DATA_DIR, FOLDER_KINDS, ROOT
from .problems import DataError, Problem, display_path, printable

SCHEMA_FILE = Path("schema") / "story.schema.json"  # beside data/, in the project root
KIT_SCHEMA = "kit.schema.json"  # beside the story schema


def schema_path(data_dir: Path) -> Path:
    """Return where the story schema of the project holding `data_dir` lives."""
    return data_dir.absolute().parent / SCHEMA_FILE


@dataclass
class Report:
    """What `handbook check` found: shape problems, checker findings, unreadable inputs."""

    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    usage: list[str] = field(default_factory=list)

    def all(self, strict: bool = False) -> list[Problem]:
        """Every line to print, in file order; `strict` turns warnings into errors."""
        findings = [_as_error(f) if strict else f for f in self.findings]
        return sorted(self.unreadable + self.problems + findings, key=lambda p: (p.path, p.line, p.col, p.rule or ""))

    def counts(self, strict: bool = False) -> tuple[int, int]:
        """Return (errors, warnings); shape problems and unreadable files count as errors."""
        lines = self.all(strict)
        errors = sum(1 for p in lines if p.severity == "error")
        return errors, len(lines) - errors

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when any error, 2 for usage problems or unreadable input."""
        if self.usage or self.unreadable:
            return 2
        return 1 if self.counts(strict)[0] else 0


def _as_error(finding: Problem) -> Problem:
    if finding.severity == "error":
        return finding
    return Problem(finding.path, finding.line, finding.col, finding.field, finding.message, "error", finding.rule, finding.hint, finding.see)


def folder_of(path: Path, resolve=Path.resolve) -> str:
    """Return the data folder a file belongs to: its parent's name when that is a data folder, else stories."""
    parent = os.path.basename(os.path.dirname(resolve(path)))  # resolve(path).parent.name, without making two Paths
    return parent if parent in FOLDER_KINDS else "stories"


def files_to_check(paths: list[Path], data_dir: Path, report: Report, resolve=Path.resolve) -> list[tuple[str, Path]]:
    """Expand the command line into (folder, file) pairs: all of data/ when empty, a folder's .yml files."""
    if not paths:
        files, stray = data_files(data_dir)
        _sort_stray(stray, report)
        return files
    out: list[tuple[str, Path]] = []
    for path in paths:
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # a name too long for the file system, a loop of links
            report.unreadable.append(Problem(display_path(path), 1, 1, "", f"cannot be read: {exc.strerror or exc}"))
            continue
        if is_dir and (path / "template.yml").is_file():
            files, stray = data_files(path)
            _sort_stray(stray, report)
            out.extend(files)
        elif is_dir:
            try:
                found = _yml_files(path)
            except OSError as exc:
                report.unreadable.append(Problem(display_path(path), 1, 1, "", f"cannot be read: {exc.strerror or exc}"))
                continue
            if not found:
                report.usage.append(f"{display_path(path)}: no .yml files to check")
            if isinstance(resolve, _Resolver):  # it need not ask which of them are links
                resolve.know(path, found)
            out.extend((folder_of(p, resolve), p) for p, _ in found)
        elif exists:
            out.append((folder_of(path, resolve), path))
        else:
            report.usage.append(f"{display_path(path)}: no such file or folder")
    return out


def _beside_files(data_dir: Path, template, rules, kit_files: list[Path], report: Report) -> int:
    """Check what the build checks beside the data files (the question bank, one kit per owner); return the files read."""
    from . import kits, questions

    root = data_dir.resolve().parent
    report.problems.extend(kits.owner_problems(kit_files, template, rules, root))
    path = data_dir / "questions.yml"
    if not path.is_file():
        return 0
    unreadable, problems = questions.check_file(path, template, root)
    report.unreadable.extend(unreadable)
    report.problems.extend(problems)
    return 1


def _yml_files(folder: Path) -> list[tuple[Path, bool]]:
    """The regular files named *.yml in a folder (links followed), by name, each with whether it is a link.

    One listing of the folder: the kind of each entry comes with it, so only links cost a system call.
    """
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if len(name) > 4 and name.endswith(".yml") and _is_file(entry):  # Path.suffix == ".yml"
                found.append((name, entry.is_symlink()))
    found.sort()
    return [(folder / name, link) for name, link in found]


def _is_file(entry: os.DirEntry) -> bool:
    """Path.is_file() of a folder entry."""
    try:
        return entry.is_file()
    except OSError:  # a loop of links, say: Path.is_file says False for some errors and raises the others
        return Path(entry.path).is_file()


def _sort_stray(stray: list[Problem], report: Report) -> None:
    """Files that cannot be read at all (exit 2) apart from files that do not belong (exit 1)."""
    for problem in stray:
        (report.unreadable if problem.extra.get("unreadable") else report.problems).append(problem)


# From this many files on, `handbook check` spreads them over one process per core: itself and
# forked children, each checking every n-th file.
PARALLEL_FROM = 200
JOBS_ENV = "HANDBOOK_JOBS"

# One file checked: (unreadable, shape problems, findings, entry).
Checked = tuple[list[Problem], list[Problem], list[Problem], "Entry | None"]
Job = tuple[str, Path, "Path | None", bool]  # (folder, absolute path, root it may not link out of, links out of it)


class _Resolver:
    """`Path.resolve` for many files of few folders: each folder is resolved once, each file is one lstat (once)."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._files: dict[Path, Path] = {}
        self._absolute: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        resolved = self._files.get(path)
        if resolved is None:
            resolved = self._files[path] = self._resolve(path)
        return resolved

    def know(self, folder: Path, files: list[tuple[Path, bool]]) -> None:
        """Resolve the files of one folder, told which of them are links."""
        absolute = folder.absolute()
        resolved = None
        for path, link in files:
            self._absolute[path] = absolute / path.name
            if link or path.name in ("", ".", ".."):
                self(path)
                continue
            if resolved is None:
                resolved = self._folders.get(absolute)
                if resolved is None:
                    resolved = self._folders[absolute] = absolute.resolve()
            self._files[path] = resolved / path.name

    def absolute(self, path: Path) -> Path:
        """`path.absolute()`, made once per folder for the files `know` was told of."""
        return self._absolute.get(path) or path.absolute()

    def _resolve(self, path: Path) -> Path:
        path = path.absolute()
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name


class _Roots:
    """Which root a file may not link out of, and whether it does, worked out once per folder.

    A file lies under a folder exactly when its own folder does (a file is never the root itself).
    Folders are named by the text of the absolute path, cheaper to find than a Path.
    """

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = roots
        self._root: dict[str, Path | None] = {}
        self._inside: dict[tuple[str, Path], bool] = {}

    def __call__(self, absolute: Path, resolved: Path) -> tuple[Path | None, bool]:
        """Return (the root `absolute` lies in or None, whether `resolved` lies outside that root)."""
        folder = os.path.dirname(str(absolute))  # str(absolute.parent)
        root = self._root.get(folder, self)
        if root is self:
            root = self._root[folder] = next((r for r in self.roots if absolute.parent.is_relative_to(r)), None)
        if root is None:
            return None, False
        target = (os.path.dirname(str(resolved)), root)
        inside = self._inside.get(target)
        if inside is None:
            inside = self._inside[target] = resolved.parent.is_relative_to(root)
        return root, not inside


def check_files(
    paths: list[Path], data_dir: Path = DATA_DIR, handbook: Handbook | None = None, keep_entries: bool = True
) -> tuple[Report, list[Entry]]:
    """Shape-check and rule-check the files named (all of `data_dir` when none); never raises on bad data.

    `handbook` brings template.yml and rules.yml already read. Without `keep_entries` the entries are
    not returned, and many files are checked in parallel (see `PARALLEL_FROM`).
    """
    report = Report()
    template = handbook.template if handbook else load_template(data_dir / "template.yml")
    rules = handbook.rules if handbook else load_rules(data_dir / "rules.yml")
    # Files inside the project may not link out of it (as in the build); a file from elsewhere is read as it is.
    place = _Roots((data_dir.resolve().parent, ROOT))
    jobs: list[Job] = []
    seen: set[str] = set()  # resolved paths, as text: a file named twice (or through a link) is checked once
    resolve = _Resolver()
    for folder, path in files_to_check(paths, data_dir, report, resolve):
        resolved = resolve(path)
        if str(resolved) in seen:
            continue
        seen.add(str(resolved))
        absolute = path if path.is_absolute() else resolve.absolute(path)
        jobs.append((folder, absolute, *place(absolute, resolved)))
    report.files = len(jobs)
    if not paths:  # all of data/: also what the build checks beside each file
        report.files += _beside_files(data_dir, template, rules, [job[1] for job in jobs if job[0] == "kits"], report)
    workers = 1 if keep_entries else _workers(len(jobs))
    if workers > 1:
        results = _check_parallel(jobs, template, rules, workers)
    else:  # entries not asked for are dropped at once: 1,000 parsed files weigh 30 MB
        results = [_check_one(job, template, rules) if keep_entries else _findings_only(job, template, rules) for job in jobs]
    entries: list[Entry] = []
    for unreadable, problems, findings, entry in results:
        report.unreadable.extend(unreadable)
        report.problems.extend(problems)
        report.findings.extend(findings)
        if entry is not None and keep_entries:
            entries.append(entry)
    return report, entries


def _check_one(job: Job, template, rules) -> Checked:
    """Read one file once, then shape-check and rule-check it; never raises on bad data."""
    folder, path, root, outside = job
    try:
        text = yamlsource.read_text(path)
    except DataError as exc:  # cannot be read at all: exit 2
        return exc.problems, [], [], None
    if outside:
        try:
            yamlsource.refuse_outside(path, root)
        except DataError as exc:  # a link out of the project: exit 1, as the build refuses it
            return [], exc.problems, [], None
    entry, problems = load_entry(path, folder, template, rules, root, text)
    return [], problems, (entry.findings if entry is not None else []), entry


def _findings_only(job: Job, template, rules) -> Checked:
    """`_check_one` without the entry."""
    return (*_check_one(job, template, rules)[:3], None)


def _workers(files: int) -> int:
    """How many processes check `files` files: one per usable core from PARALLEL_FROM files, or HANDBOOK_JOBS."""
    if not hasattr(os, "fork"):
        return 1  # the other processes inherit template and rules by forking; elsewhere one process does it all
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), max(files, 1))
    if files < PARALLEL_FROM:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_parallel(jobs: list[Job], template, rules, workers: int) -> list[Checked]:
    """Check `jobs` in `workers` processes, results in the order of `jobs`.

    This process checks every `workers`-th file from the first; each forked child the same from the
    next one, and sends back what it found (pickled, through a pipe; entries stay behind). Forking
    costs a few milliseconds, where a pool of workers would cost tens. The files of a child that
    cannot start or does not finish (killed, out of memory) are checked here instead.
    """
    import pickle

    children: dict[int, tuple[int, int]] = {}  # share -> (process id, read end of its pipe)
    try:
        for share in range(1, workers):
            reader, writer = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(reader)
                os.close(writer)
                break
            if pid == 0:  # the child: check its share, send it, and leave without running any of the parent's exit code
                status = 1
                try:
                    os.close(reader)
                    found = pickle.dumps([_findings_only(job, template, rules) for job in jobs[share::workers]], pickle.HIGHEST_PROTOCOL)
                    with os.fdopen(writer, "wb") as out:
                        out.write(found)
                    status = 0
                finally:
                    os._exit(status)
            os.close(writer)
            children[share] = (pid, reader)
        results: list = [None] * len(jobs)
        results[0::workers] = [_findings_only(job, template, rules) for job in jobs[0::workers]]
        for share in range(1, workers):
            part = _collect(*children.pop(share)) if share in children else None
            if part is None or len(part) != len(results[share::workers]):
                part = [_findings_only(job, template, rules) for job in jobs[share::workers]]
            results[share::workers] = part
        return results
    finally:
        for pid, reader in children.values():  # this process failed: let the children go
            os.close(reader)
            os.waitpid(pid, 0)


def _collect(pid: int, reader: int) -> list[Checked] | None:
    """Read what a child found and wait for it to end; None when it did not finish."""
    import pickle

    with os.fdopen(reader, "rb") as source:
        found = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return pickle.loads(found)
    except Exception:  # cut short: a child killed while it wrote
        return None


def settings(data_dir: Path) -> Handbook:
    """Read template.yml and rules.yml, or end the command with exit 2 naming what is wrong."""
    try:
        return Handbook(template=load_template(data_dir / "template.yml"), rules=load_rules(data_dir / "rules.yml"), entries={})
    except DataError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(2)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report, strict: bool) -> str:
    """Return the closing line: files checked, errors, warnings."""
    errors, warnings = report.counts(strict)
    return f"{_plural(report.files, 'file')} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DATA_DIR,
    show_default="data/",
    envvar="HANDBOOK_DATA",
    help="The data folder (template.yml, rules.yml, stories/ ...).",
)
@click.pass_context
def main(ctx: click.Context, data_dir: Path) -> None:
    """Check, scaffold and render interview stories against the handbook's bar."""
    ctx.obj = data_dir


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Lines for people, or JSON for machines.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--hints", is_flag=True, help="Print each finding's hint and the page that explains it.")
@click.pass_obj
def check(data_dir: Path, paths: tuple[Path, ...], fmt: str, strict: bool, hints: bool) -> None:
    """Check stories (default: everything in data/); exit 0 clean, 1 errors, 2 usage or unreadable input."""
    handbook = settings(data_dir)  # a broken template.yml or rules.yml ends here, with exit 2
    report, _ = check_files(list(paths), data_dir, handbook, keep_entries=False)
    lines = report.all(strict)
    if fmt == "json":
        errors, warnings = report.counts(strict)
        payload = {
            "files": report.files,
            "errors": errors,
            "warnings": warnings,
            "usage": report.usage,
            "findings": [{**p.as_dict(), "kind": "rule" if p.rule else "shape"} for p in lines],
        }
        import json  # here, not at the top: most checks print lines

        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for message in report.usage:
            click.echo(printable(f"handbook check: {message}"), err=True)
        out = []
        for problem in lines:
            out.append(str(problem))
            if hints and problem.hint:
                out.append(f"    hint: {problem.hint} (see docs/{problem.see})")
        out.append(summary_line(report, strict))
        click.echo("\n".join(out))  # one write: what one echo per line would print
    sys.exit(report.exit_code(strict))


@main.command()
@click.argument("name")
@click.option("--kit", is_flag=True, help="Write a prep kit, data/kits/NAME.yml, instead of a story.")
@click.pass_obj
def new(data_dir: Path, name: str, kit: bool) -> None:
    """Write data/stories/NAME.yml (or data/kits/NAME.yml) from the template, prompts as comments; never overwrites."""
    from . import kits, pages  # here, not at the top: `check` starts without the renderer

    if not SLUG.match(name):
        shown = name if len(name) <= 70 else f"{name[:60]}... ({len(name)} characters)"
        raise click.UsageError(printable(f"NAME {SLUG_RULE} (it becomes the page address), got {shown!r}"))
    target = data_dir / ("kits" if kit else "stories") / f"{name}.yml"
    if target.exists():
        click.echo(f"handbook new: {display_path(target)} already exists; not overwritten", err=True)
        sys.exit(1)
    handbook = settings(data_dir)
    schema_file = schema_path(data_dir).with_name(KIT_SCHEMA) if kit else schema_path(data_dir)
    schema_url = Path(os.path.relpath(schema_file, target.parent.absolute())).as_posix()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # "x": a file that appeared meanwhile is not overwritten
        out.write(kits.blank_kit(handbook, name, schema_url) if kit else pages.blank_yaml(handbook, "stories", schema_url))
    click.echo(f"wrote {display_path(target)}: fill it in, then run: handbook check {display_path(target)}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False, readable=False))
@click.pass_obj
def render(data_dir: Path, path: Path) -> None:
    """Print a story as Markdown, ready to paste into notes."""
    from . import pages

    handbook = settings(data_dir)
    report, entries = check_files([path], data_dir, handbook)
    if report.unreadable or report.problems:
        for problem in report.unreadable + report.problems:
            click.echo(str(problem), err=True)
        sys.exit(2 if report.unreadable else 1)
    (entry,) = entries
    if entry.kind != "story":
        raise click.UsageError(printable(f"{display_path(path)} is a {entry.kind}; render prints project and bank stories"))
    # Story text is shown, never obeyed: a terminal escape sequence in a file prints as `\x1b[...`.
    click.echo(printable(pages.story_markdown(entry.data, handbook), keep="\n\t"), nl=False)


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    show_default="schema/story.schema.json",
    help="Where to write the schema; '-' prints it.",
)
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when the file differs from the template.")
@click.pass_obj
def schema(data_dir: Path, output: Path | None, check_only: bool) -> None:
    """Write the JSON Schemas of the story and kit formats, generated from template.yml."""
    from .jsonschema import kit_schema_text, story_schema_text

    template = settings(data_dir).template
    if output is None:  # both, side by side; -o names the story schema only
        targets = [(schema_path(data_dir), story_schema_text(template)), (schema_path(data_dir).with_name(KIT_SCHEMA), kit_schema_text(template))]
    else:
        targets = [(output, story_schema_text(template))]
    for output, text in targets:
        if str(output) == "-":
            click.echo(text, nl=False)
            return
        if check_only:
            current = output.read_text(encoding="utf-8") if output.is_file() else ""
            if current != text:
                click.echo(f"{display_path(output)} is out of date: run handbook schema", err=True)
                sys.exit(1)
            click.echo(f"{display_path(output)} is up to date")
            continue
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {display_path(output)}")
