"""Wiring between mkdocs-macros and the handbook: load data, stop on errors, register macros.

A build stops on the first bad data. A development server (`mkdocs serve`) instead keeps
the last good data of the same folder and lists the problems on every page, so an edit
with a typo shows what is wrong rather than hanging the reload.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from .loader import Handbook, load_handbook
from .problems import DataError

log = logging.getLogger("mkdocs.plugins.handbook")
# Not under "mkdocs": a strict `mkdocs serve` would count it as a warning and abort the rebuild.
serve_log = logging.getLogger("handbook.serve")

# The last data of each folder that built cleanly in this process (a server rebuilds many times).
_LAST_GOOD: dict[Path, Handbook] = {}

try:  # MkDocs and ProperDocs report a PluginError as a clean one-line failure.
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover - engines without mkdocs
    _Base = Exception


class HandbookDataError(_Base):
    """The data in `data/` cannot be built; the message lists every problem, one per line."""


def load_or_fail(data_dir: Path, drafts: bool = False) -> Handbook:
    """Load the handbook (with drafts when asked), turning data problems into a build failure that lists each one."""
    try:
        handbook = load_handbook(data_dir, drafts=drafts)
    except DataError as exc:
        raise HandbookDataError(f"{len(exc.problems)} problem(s) in data files:\n{exc.report()}") from None
    errors = [f for f in handbook.findings if f.severity == "error"]
    for finding in handbook.findings:
        if finding.severity == "warning":
            log.info("handbook: %s", finding)
    if errors:
        report = "\n".join(str(f) for f in errors)
        raise HandbookDataError(f"{len(errors)} checker error(s) in data files:\n{report}")
    _LAST_GOOD[data_dir.resolve()] = handbook
    return handbook


def serving(argv: list[str] | None = None) -> bool:
    """Return whether this process is a development server (`mkdocs serve`, `zensical serve`)."""
    args = sys.argv if argv is None else argv
    return len(args) > 1 and args[1] == "serve"


def load_for_site(env: Any) -> Handbook:
    """Load the data for a build; while serving, fall back to the last good data and show the problems."""
    data_dir = Path(env.project_dir) / "data"
    try:
        # Drafts are shown by a development server only; every build leaves them out.
        return load_or_fail(data_dir, drafts=serving())
    except HandbookDataError as exc:
        last_good = _LAST_GOOD.get(data_dir.resolve())
        if last_good is None or not serving():
            raise
        problems = str(exc).splitlines()[1:]
        if env.conf.get("extra") is None:
            env.conf["extra"] = {}
        env.conf["extra"]["handbook_problems"] = problems
        serve_log.error("handbook: %s\nServing the last good data until this is fixed.", exc)
        return last_good
