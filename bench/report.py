"""The benchmark's report: the machine, a table of medians with min–max, and the targets met or missed."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "pydantic", "PyYAML", "Jinja2", "Markdown", "zensical", "properdocs")


@dataclass
class Target:
    """One target from the issue, with the figure measured in this run."""

    name: str
    wanted: str
    measured: str
    met: bool
    note: str = ""
    result: str = ""  # shown instead of met/missed, for a target that asks for a report


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """Return `median (min–max)` of the values."""
    if not values:
        return "–"
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def kib(value: float) -> str:
    """Return bytes as KiB or MiB text."""
    return f"{value / 1048576:.1f} MiB" if value >= 1048576 else f"{value / 1024:.1f} KiB"


def machine() -> list[str]:
    """Describe the machine and the software the numbers come from."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kb / 1048576:.1f} GiB"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        sha = ""
    return [
        f"- CPU: {os.cpu_count()} cores, {cpu}",
        f"- Memory: {memory}",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        f"- Commit: {sha or 'unknown'}",
    ]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def targets_table(targets: list[Target]) -> str:
    """Return the targets as a Markdown table marked met or missed."""
    return markdown_table(
        ["Target", "Wanted", "Measured", "Result"],
        [[t.name, t.wanted, t.measured, t.result or ("**met**" if t.met else f"**missed** by {t.note}" if t.note else "**missed**")] for t in targets],
    )
