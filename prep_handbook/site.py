"""Wiring between mkdocs-macros and the handbook: load data, stop on errors, register macros.

A build stops on the first bad data. A development server (`make serve`, `mkdocs serve`) instead keeps
the last good data of the same folder and lists the problems on every page, so an edit
with a typo shows what is wrong rather than hanging the reload.
"""

from __future__ import annotations

import logging
import os
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
    """Return whether this process is a development server (`make serve`, `mkdocs serve`, `zensical serve`)."""
    if argv is None and os.environ.get("HANDBOOK_SERVE") == "1":  # set by devtools.serve (make serve)
        return True
    args = sys.argv if argv is None else argv
    return len(args) > 1 and args[1] == "serve"


def anchor_warnings(files: Any) -> list[str]:
    """Return the warnings MkDocs gives for links to missing anchors, worded as it does (it logs them only after every page is written)."""
    found = []
    for page in (f.page for f in files.documentation_pages() if f.page is not None):
        for to_file, links in (getattr(page, "links_to_anchors", None) or {}).items():
            target = to_file.page
            if target is None or target.present_anchor_ids is None:
                continue
            for anchor, original in links.items():
                if anchor in target.present_anchor_ids:
                    continue
                problem = (
                    "there is no such anchor on this page" if to_file == page.file
                    else f"the doc '{to_file.src_uri}' does not contain an anchor '#{anchor}'"
                )
                found.append(f"Doc file '{page.file.src_uri}' contains a link '{original}', but {problem}.")
    return found


class BannerWarnings(list):
    """The MkDocs warnings of the build in progress, as the page banner lists them.

    Link and nav warnings arrive while pages are read; anchor warnings only after every page
    is written, so the first template that looks at the list adds them from the pages' links.
    """

    def __init__(self, variables: dict | None = None) -> None:
        super().__init__()
        self._variables = variables if variables is not None else {}
        self._anchors_added = False

    def add(self, line: str) -> None:
        """Add one warning, once."""
        if line not in self:
            self.append(line)

    def _complete(self) -> None:
        if not self._anchors_added and self._variables.get("files") is not None:
            self._anchors_added = True
            for line in anchor_warnings(self._variables["files"]):
                self.add(line)

    def __len__(self) -> int:
        self._complete()
        return super().__len__()

    def __iter__(self):
        self._complete()
        return super().__iter__()

    def __bool__(self) -> bool:
        return len(self) > 0


class _BannerHandler(logging.Handler):
    """While serving, send each MkDocs warning of the current build to its banner list."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.current = BannerWarnings()

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the warning as one line (MkDocs lists omitted pages on lines of their own)."""
        self.current.add(" ".join(record.getMessage().split()))


_BANNER = _BannerHandler()


def collect_warnings(env: Any) -> BannerWarnings:
    """Start collecting this build's MkDocs warnings into `config.extra.handbook_warnings` (shown by main.html)."""
    logger = logging.getLogger("mkdocs")
    if _BANNER not in logger.handlers:
        logger.addHandler(_BANNER)
    _BANNER.current = BannerWarnings(getattr(env, "variables", None))
    if env.conf.get("extra") is None:
        env.conf["extra"] = {}
    env.conf["extra"]["handbook_warnings"] = _BANNER.current
    return _BANNER.current


def load_for_site(env: Any) -> Handbook:
    """Load the data for a build; while serving, fall back to the last good data and show the problems."""
    data_dir = Path(env.project_dir) / "data"
    if serving():  # a warning shows on the pages instead of stopping the server (make serve is not --strict)
        collect_warnings(env)
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
