"""Wiring between mkdocs-macros and the handbook: load data, stop on errors, register macros."""

from __future__ import annotations

import logging
from pathlib import Path

from .loader import Handbook, load_handbook
from .problems import DataError

log = logging.getLogger("mkdocs.plugins.handbook")

try:  # MkDocs and ProperDocs report a PluginError as a clean one-line failure.
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover - engines without mkdocs
    _Base = Exception


class HandbookDataError(_Base):
    """The data in `data/` cannot be built; the message lists every problem, one per line."""


def load_or_fail(data_dir: Path) -> Handbook:
    """Load the handbook, turning data problems into a build failure that lists each one."""
    try:
        handbook = load_handbook(data_dir)
    except DataError as exc:
        raise HandbookDataError(f"{len(exc.problems)} problem(s) in data files:\n{exc.report()}") from None
    errors = [f for f in handbook.findings if f.severity == "error"]
    for finding in handbook.findings:
        if finding.severity == "warning":
            log.info("handbook: %s", finding)
    if errors:
        report = "\n".join(str(f) for f in errors)
        raise HandbookDataError(f"{len(errors)} checker error(s) in data files:\n{report}")
    return handbook
