"""The team story bank: the index table, one page per story, and readiness per owner.

Story pages are generated: `write_story_stubs` keeps one small stub per story in
`docs/bank/stories/` (gitignored) whose only content is a macro call, so each page is
rendered from the data like every other page. Stubs are rewritten only when their text
changes, and stubs of removed stories are deleted. They are not listed in the nav: a
story page stays the same size whatever the number of stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import pages, tools
from .loader import Entry, Handbook
from .render import Trusted, render
from .rules import spoken_minutes
from .stampcache import digest_of

STUB_DIR = Path("bank") / "stories"  # under docs/
CARD_DIR = Path("print") / "bank"  # under docs/: one print card per bank story


@dataclass(frozen=True)
class Row:
    """One story in the bank's table."""

    slug: str
    title: str
    owner: str
    tags: tuple[str, ...]
    headline: str
    minutes: float
    errors: int
    warnings: int

    @property
    def findings(self) -> int:
        """Errors and warnings together."""
        return self.errors + self.warnings


def minutes_of(entry: Entry, handbook: Handbook) -> float:
    """Return the story's spoken duration, in minutes to one decimal, as pages show it."""
    return round(spoken_minutes(entry.data, handbook.template, handbook.rules.speaking), 1)


def rows(handbook: Handbook) -> list[Row]:
    """Return one row per bank story, in the bank's order (title)."""
    return [
        Row(
            slug=e.slug,
            title=e.data["title"],
            owner=e.data["owner"],
            tags=tuple(e.data["tags"]),
            headline=e.data["headline"],
            minutes=minutes_of(e, handbook),
            errors=len(e.errors),
            warnings=len(e.warnings),
        )
        for e in handbook.folder("stories")
    ]


def index_page(handbook: Handbook) -> Trusted:
    """Render the bank's index: a summary, the filter controls (shown by bank.js) and the table."""
    table_rows = rows(handbook)
    owners = sorted({r.owner for r in table_rows}, key=str.lower)
    tags = [c for c in _tag_choices(handbook) if any(c in r.tags for r in table_rows)]
    table = render("html/bank-table.html.j2", rows=table_rows, owners=owners, tags=tags, speaking=handbook.rules.speaking)
    return render("site/bank-index.md.j2", rows=table_rows, owners=owners, table=table)


def _tag_choices(handbook: Handbook) -> list[str]:
    for spec in handbook.template.story.meta:
        if spec.key == "tags":
            return list(spec.choices or ())
    return []


def story_page(handbook: Handbook, slug: str, page_path: str) -> Trusted:
    """Render one bank story: its 30-second version, sections, duration and findings, its rehearsal timer, its card, and the way back."""
    entry = handbook.get("stories", slug)
    body = pages.story_page(entry, handbook, page_path)
    timer = tools.rehearsal_timer(handbook, "story", page_path)
    return render("site/bank-story.md.j2", body=body, owner=entry.data["owner"], slug=slug, timer=timer, draft=entry.draft)


# --- readiness ---------------------------------------------------------------------


def readiness_page(handbook: Handbook) -> Trusted:
    """Render the readiness view; it is computed from each person's prep kit in readiness.py."""
    from . import readiness  # readiness builds on this module's rows

    return readiness.readiness_page(handbook)


# --- the generated story pages -----------------------------------------------------


def stub_text(slug: str, source: str = "") -> str:
    """Return the stub page of one story: front matter (with a digest of what it shows) and the macro call."""
    return render("plain/bank-stub.md.j2", slug=slug, source=source)


def card_stub_text(slug: str, source: str = "") -> str:
    """Return the stub of one story's print card (docs/print/bank/<slug>.md): printed by `make pdf`."""
    return render("plain/bank-card-stub.md.j2", slug=slug, source=source)


# The template, rules and story entries each stub folder was last brought in line with.
_WRITTEN: dict[Path, tuple] = {}


def write_story_stubs(handbook: Handbook, docs_dir: Path) -> dict[str, list[str]]:
    """Bring docs/bank/stories/ (a page per story) and docs/print/bank/ (a card per story) in line with the bank; return the slugs written and removed."""
    folder, cards = docs_dir / STUB_DIR, docs_dir / CARD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cards.mkdir(parents=True, exist_ok=True)
    slugs = {e.slug for e in handbook.folder("stories")}
    # Zensical runs define_env once per page: when the loader handed back the very same
    # (cached) entries as last time and the folders hold exactly their stubs, nothing is due.
    same = (handbook.template, handbook.rules, *handbook.folder("stories"))
    last = _WRITTEN.get(folder)
    if last is not None and len(last) == len(same) and all(a is b for a, b in zip(last, same)):
        if {p.stem for p in folder.glob("*.md")} == slugs == {p.stem for p in cards.glob("*.md")}:
            return {"written": [], "removed": []}
    # The digest changes with what a page shows, so a changed story rewrites its stub and
    # `mkdocs serve --dirty` (make serve-fast) re-renders that page and no other.
    base = digest_of(handbook.template.model_dump(), handbook.rules.model_dump())
    digests = {e.slug: digest_of(base, e.data, [str(f) for f in e.findings]) for e in handbook.folder("stories")}
    written, removed = [], []
    for where, text_of in ((folder, stub_text), (cards, card_stub_text)):
        for slug, digest in digests.items():
            path, text = where / f"{slug}.md", text_of(slug, digest)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                if where == folder:
                    written.append(slug)
        for path in sorted(where.glob("*.md")):
            if path.stem not in digests:
                path.unlink()
                if where == folder:
                    removed.append(path.stem)
    _WRITTEN[folder] = same
    return {"written": written, "removed": removed}
