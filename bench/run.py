"""`make bench`: build, check and refresh the handbook with 10, 100 and 1,000 generated stories.

Every figure is measured in this one run on this machine, in temporary project copies
(the real data/ is never touched): cold `mkdocs build` of the handbook and of its plain
baseline, `handbook check`, edit-to-refresh under `make serve`, and the built sizes.
The table is printed and written to bench/RESULTS.md with the targets marked met or missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import measure
from .project import make_baseline, make_project, dump_markdown
from .report import Target, kib, machine, markdown_table, spread, targets_table

HERE = Path(__file__).resolve().parent
WHY = HERE / "why.md"


@dataclass
class Row:
    """Everything measured at one number of stories."""

    n: int
    mode: str = ""
    handbook: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    check: list[float] = field(default_factory=list)
    check_line: str = ""
    load: list[float] = field(default_factory=list)
    refresh: list[float] = field(default_factory=list)
    serve_start: float = 0.0
    refresh_line: str = ""  # the server's log line for the last edit: what it rendered
    refresh_full: list[float] = field(default_factory=list)  # the same server, a full build per change
    sizes: dict = field(default_factory=dict)
    baseline_site: int = 0
    zensical: float = 0.0
    zensical_error: str = ""
    warm: float = 0.0  # one repeat build with the checked entries of the last one on disk
    build_peak: list[float] = field(default_factory=list)  # MiB, ru_maxrss of each handbook build
    check_peak: list[float] = field(default_factory=list)  # MiB, ru_maxrss of each `handbook check`

    @property
    def overhead(self) -> float:
        """Median handbook build over median baseline build."""
        return statistics.median(self.handbook) / statistics.median(self.baseline)


def measure_n(n: int, work: Path, runs: int, edits: int) -> Row:
    """Measure builds, check, refresh and sizes at `n` generated stories."""
    row = Row(n)
    project = make_project(work / f"handbook-{n}", n)
    row.mode = project.mode
    dumped = work / f"dump-{n}"
    dump_markdown(project, dumped)  # untimed: the baseline's pages are the handbook's pages as plain Markdown
    baseline = make_baseline(project, dumped, work / f"baseline-{n}")
    for _ in range(runs):  # alternate, so drift on the machine hits both alike
        row.handbook.append(measure.cold_build(project.root, project.root / "site"))
        row.build_peak.append(measure.LAST_PEAK_MIB)
        row.baseline.append(measure.cold_build(baseline, baseline / "site", strict=False))
    row.warm = measure.cold_build(project.root, project.root / "site", warm=True)
    row.baseline_site = measure.tree_bytes(baseline / "site")
    try:
        row.zensical = measure.zensical_build(project)
    except RuntimeError as exc:  # reported in the table, not the end of the run
        row.zensical_error = next((line for line in reversed(str(exc).splitlines()) if line.strip()), "failed")[:300]
    if n:
        row.sizes = measure.sizes(project, project.root / "site")
        for _ in range(runs):
            seconds, row.check_line = measure.check_cli(project)
            row.check.append(seconds)
            row.check_peak.append(measure.LAST_PEAK_MIB)
            row.load.append(measure.check_in_process(project)["load"])
        row.refresh, row.serve_start, row.refresh_line = measure.edit_to_refresh(project, edits, "pages")
        row.refresh_full, _, _ = measure.edit_to_refresh(project, 1, "full")  # for comparison: one edit
    shutil.rmtree(dumped, ignore_errors=True)
    shutil.rmtree(baseline, ignore_errors=True)
    shutil.rmtree(project.root, ignore_errors=True)
    print(f"  N={n}: handbook {spread(row.handbook)} s, baseline {spread(row.baseline)} s"
          + (f", check {spread(row.check)} s, refresh {spread(row.refresh)} s, full-build refresh {spread(row.refresh_full)} s" if n else ""), flush=True)
    return row


def per_story(row: Row, zero: Row) -> float:
    """Return the build time each story adds, in ms: (median at N − median at 0) / N."""
    return (statistics.median(row.handbook) - statistics.median(zero.handbook)) / row.n * 1000


def tables(rows: list[Row]) -> str:
    """Return the builds, check/refresh and sizes tables."""
    zero = rows[0]
    builds = markdown_table(
        ["Stories", "Handbook build, s", "Baseline build, s", "Overhead", "Build time per story, ms", "Repeat build (1 run), s", "Build peak memory, MiB", "Zensical build (1 run), s"],
        [[f"{r.n:,}", spread(r.handbook), spread(r.baseline), f"{r.overhead:.2f}×", f"{per_story(r, zero):.1f}" if r.n else "–", f"{r.warm:.2f}",
          spread(r.build_peak, "{:.0f}"), _zensical(r)] for r in rows],
    )
    rest = [r for r in rows if r.n]
    checks = markdown_table(
        ["Stories", "`handbook check`, s", "Stories/s (whole command)", "Check peak memory, MiB", "`load_handbook` in-process, s", "Stories/s (in-process)", "Refresh, `make serve`, s", "Refresh, full build per change (1 edit), s", "Serve start, s"],
        [[f"{r.n:,}", spread(r.check), f"{r.n / statistics.median(r.check):,.0f}", spread(r.check_peak, "{:.0f}"), spread(r.load, "{:.3f}"),
          f"{r.n / statistics.median(r.load):,.0f}", spread(r.refresh), spread(r.refresh_full) if r.refresh_full else "not run", f"{r.serve_start:.1f}"] for r in rest],
    )
    sizes = markdown_table(
        ["Stories", "Site", "Baseline site", "One story page", "Mean story page", "Search index"],
        [[f"{r.n:,}", kib(r.sizes["site"]), kib(r.baseline_site), kib(r.sizes["story_page"]), kib(r.sizes["story_page_mean"]), kib(r.sizes["search_index"])] for r in rest],
    )
    served = "\n".join(f"- N = {r.n:,}: {r.refresh_line}" for r in rest if r.refresh_line)
    return (f"### Builds (cold, fresh process each run)\n\n{builds}\n\n### Check and refresh\n\n{checks}\n\n"
            f"What `make serve` logged for the last edit:\n\n{served}\n\n### Sizes\n\n{sizes}\n")


def _zensical(r: Row) -> str:
    if r.zensical_error:
        return f"failed: {r.zensical_error.replace('|', '/')}"
    return f"{r.zensical:.2f} ({r.zensical / statistics.median(r.handbook):.1f}× the handbook build)"


def targets(rows: list[Row]) -> list[Target]:
    """Judge the issue's targets from this run's figures."""
    by_n = {r.n: r for r in rows}
    big, mid, zero = by_n.get(1000), by_n.get(100), by_n[0]
    out: list[Target] = []
    if big is None or mid is None:
        return out
    out.append(Target("Build at N = 1,000, handbook over plain Material of the same pages", "≤ 1.10×", f"{big.overhead:.2f}×", big.overhead <= 1.10,
                      _by(big.overhead, 1.10, "×")))
    t_big, t_mid = per_story(big, zero), per_story(mid, zero)
    ratio = t_big / t_mid if t_mid else float("inf")
    out.append(Target("Linear build time (per story, N = 1,000 vs 100)", "within 10 %", f"{t_big:.1f} vs {t_mid:.1f} ms ({ratio - 1:+.0%})",
                      abs(ratio - 1) <= 0.10))
    b_big, b_mid = big.sizes["story_page_mean"], mid.sizes["story_page_mean"]
    out.append(Target("Linear page size (mean story page, N = 1,000 vs 100)", "within 10 %", f"{kib(b_big)} vs {kib(b_mid)} ({b_big / b_mid - 1:+.1%})",
                      abs(b_big / b_mid - 1) <= 0.10))
    rate = big.n / statistics.median(big.check)
    out.append(Target("`handbook check` at N = 1,000, whole command", "≥ 2,500 stories/s", f"{rate:,.0f} stories/s", rate >= 2500,
                      f"{rate - 2500:+,.0f} stories/s ({rate / 2500 - 1:+.0%})"))
    refresh = statistics.median(big.refresh)
    out.append(Target("Edit one story → its page, the bank index and the search index current at N = 1,000, `make serve`", "< 1.0 s",
                      f"{refresh:.2f} s", refresh < 1.0, _by(refresh, 1.0, " s")))
    out.append(Target("Zensical build at N = 1,000", "report, and find out why (bench/why.md)", _zensical(big), not big.zensical_error,
                      result="reported" if not big.zensical_error else "**failed**"))
    out.append(Target("Peak memory at N = 1,000 beside the times", "reported", f"check {statistics.median(big.check_peak):.0f} MiB, build {statistics.median(big.build_peak):.0f} MiB",
                      True, result="reported"))
    return out


def _by(value: float, limit: float, unit: str) -> str:
    return f"{value - limit:+.2f}{unit} ({value / limit - 1:+.0%})"


def document(rows: list[Row], runs: dict[int, int], edits: int, seconds: float, load: tuple[str, str]) -> str:
    """Return bench/RESULTS.md."""
    judged = targets(rows)
    missed = [t for t in judged if not t.met]
    lines = [
        "# Benchmark results",
        "",
        "Generated by `make bench` (bench/run.py); do not edit by hand: the analysis lives in bench/why.md",
        "and is copied in below. Every figure comes from one run on the machine described here.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Method",
        "",
        "- Stories are generated (seeded, 1–4 clauses per field: 1.1–2.6 spoken minutes) into `data/stories/` of a",
        "  temporary project copy; they pass the checker with no errors (loaded through `load_handbook`).",
        f"- Story pages are rendered by the {'story bank (`docs/bank/stories/`, not in the nav)' if rows[-1].mode == 'bank' else 'bench fallback pages'}.",
        "- **Handbook build**: `mkdocs build --strict` of the copy, a fresh process each run, cold as on a fresh clone (no",
        "  `.cache/handbook/`, none of the story pages, cards and sheets a build writes under `docs/`).",
        "  **Repeat build**: one more build with what the previous build left (`.cache/handbook/` and the written pages).",
        "- **Baseline**: the same pages (each page's Markdown as the macros produced it, saved once outside the timed",
        "  region) built by plain Material with the same theme, plugins and extensions but no macros plugin, no",
        "  `validation:` and no strict mode. Overhead = median handbook build / median baseline build.",
        "- **Build time per story** = (median build at N − median build at 0 stories) / N.",
        "- The copy's Python code is compiled to bytecode once, untimed, as any first run leaves it.",
        "- **`handbook check`**: the whole command in a fresh process over the N stories (interpreter start and imports",
        "  included; from 200 files it forks one worker per core); the in-process figure is `load_handbook` over all of",
        "  `data/` after imports, in one process.",
        "- **Peak memory**: ru_maxrss of the command's process (and of the children it waited for), from `os.wait4`.",
        "- **Edit-to-refresh**: `make serve` (`python -m devtools.serve`: page by page) on a free loopback port. One story's",
        "  YAML gets a new headline; the time runs from the write until the served story page, the bank index and",
        "  `search/search_index.json` all contain it (each polled every 20 ms). For comparison, the same server with",
        "  `--full` (a full build per change, as `mkdocs serve` and the old `make serve` do), one edit.",
        f"- Runs: {', '.join(f'N = {n:,}: {r}' for n, r in runs.items())}; {edits} edits per N. Median (min–max).",
        "- **Zensical build**: `make build-zensical`'s commands on the same copy (`zensical build --strict --clean`), one run.",
        f"- The whole benchmark took {seconds / 60:.1f} min. Load average (1/5/15 min) at the start: {load[0]}; at the end: {load[1]}",
        "  (other work on the machine during the run inflates every figure alike, not the ratios' meaning).",
        "",
        "## Results",
        "",
        tables(rows),
        "## Targets",
        "",
        targets_table(judged),
        "",
    ]
    if missed:
        lines += ["Missed by: " + "; ".join(f"{t.name}: {t.measured} against {t.wanted}" + (f" ({t.note})" if t.note else "") for t in missed) + ".", ""]
    elif judged:
        lines += ["Every target is met or reported.", ""]
    else:
        lines += ["Targets are judged at 100 and 1,000 stories; this run measured neither.", ""]
    if WHY.is_file():
        lines += [WHY.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def loadavg() -> str:
    """Return the machine's load averages as text."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of stories, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per N below 100")
    parser.add_argument("--runs-large", type=int, default=3, help="runs at N ≥ 100")
    parser.add_argument("--edits", type=int, default=3, help="edit-to-refresh samples per N")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the report ('-' for none)")
    args = parser.parse_args(argv)
    sizes = [0, *sorted(int(s) for s in args.sizes.split(","))]
    runs = {n: args.runs_large if n >= 100 else args.runs for n in sizes}
    start = time.perf_counter()
    load_start = loadavg()
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        rows = []
        for n in sizes:
            print(f"measuring {n:,} stories ({runs[n]} runs)...", flush=True)
            rows.append(measure_n(n, work, runs[n], args.edits))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = document(rows, runs, args.edits, time.perf_counter() - start, (load_start, loadavg()))
    print()
    print(text)
    if str(args.out) != "-":
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
