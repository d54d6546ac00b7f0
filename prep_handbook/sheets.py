"""My interview sheet: one A4 side per prep kit, and the generated print pages that hold them.

Each kit gets `docs/print/sheets/<kit>.md` (gitignored), a stub whose only content is a macro
call, written when the site loads its data (as the bank's story pages are); `make pdf` prints
every page under `print/`, so each kit gets its own PDF.
"""

from __future__ import annotations

from pathlib import Path

from . import figures, readiness
from .loader import Entry, Handbook
from .render import Trusted, render
from .stampcache import digest_of

STUB_DIR = Path("print") / "sheets"  # under docs/
HEADLINE_KINDS = ("business", "user", "technical")


def sheet_values(kit: Entry, handbook: Handbook) -> dict:
    """Return what the sheet shows: target, two story pitches with figures, playbooks, guardrails, metrics."""
    stories = []
    for name in kit.data.get("stories", []):
        entry = readiness.find_story(handbook, name)
        if entry is None:
            continue
        chosen = [o for kind in HEADLINE_KINDS for o in entry.data["outcomes"] if o["kind"] == kind][:3]
        stories.append({"data": entry.data, "figures": [{"metric": o["metric"], "text": figure_text(o)} for o in chosen]})
    written = {p["hypothetical"]: p["steps"] for p in kit.data.get("playbooks", [])}
    playbooks = [{"title": h.data["title"], "steps": written.get(h.slug)} for h in handbook.folder("hypotheticals")]
    groups = [spec for spec in handbook.template.kit.fields if spec.key == "metrics"][0].fields
    metrics = [
        {"label": g.label, "items": [f"{m['metric']} {figures.quantity(m['target'], m['unit'])}" for m in kit.data.get("metrics", {}).get(g.key, [])]}
        for g in groups
    ]
    return {"kit": kit.data, "stories": stories, "playbooks": playbooks, "metrics": metrics, "speaking": handbook.rules.speaking}


def figure_text(outcome: dict) -> str:
    """Write an outcome as the sheet shows it: its figures as every page writes them, then the change."""
    numbers, change = figures.outcome_figures(outcome), outcome.get("change", "")
    return f"{numbers} ({change})" if numbers and change else numbers or change


def interview_sheet(handbook: Handbook, slug: str) -> Trusted:
    """Render one kit's interview sheet."""
    return render("site/sheet.md.j2", **sheet_values(handbook.get("kits", slug), handbook))


def stub_text(slug: str, source: str) -> str:
    """Return the stub page of one kit's sheet."""
    return render("plain/sheet-stub.md.j2", slug=slug, source=source)


def write_sheet_stubs(handbook: Handbook, docs_dir: Path) -> dict[str, list[str]]:
    """Bring docs/print/sheets/ in line with the kits; return the names written and removed."""
    folder = docs_dir / STUB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {e.slug: stub_text(e.slug, digest_of(e.data)) for e in handbook.folder("kits")}
    written, removed = [], []
    for slug, text in wanted.items():
        path = folder / f"{slug}.md"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(slug)
    for path in sorted(folder.glob("*.md")):
        if path.stem not in wanted:
            path.unlink()
            removed.append(path.stem)
    return {"written": written, "removed": removed}
