"""The team story bank: the index table, one page per story, and readiness per owner.

Story pages are generated: `write_story_stubs` writes each story's page into
`docs/bank/stories/<slug>.md` and its print card into `docs/print/bank/<slug>.md` (both
gitignored) as finished Markdown, rendered from the data by the same partials as every other
page, with `render_macros: false`: no page holds a template for mkdocs-macros to compile,
and story text is never read as one. Each file's front matter carries a digest of everything
it shows (the story, its findings, the template, the rules, the renderer's code); a file whose
digest is current is neither rendered nor written again, so a repeat build renders only the
stories that changed, and a server can tell from the files which pages an edit touched.
Files of removed stories are deleted. They are not listed in the nav: a story page stays
the same size whatever the number of stories.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import diskcache, pages, printing, tools
from .loader import Entry, Handbook
from .paths import PARTIALS_DIR
from .render import Trusted, render
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
    return round(pages.views(handbook).minutes(entry), 1)


def rows(handbook: Handbook) -> list[Row]:
    """Return one row per bank story, in the bank's order (title); worked out once per handbook."""
    views = pages.views(handbook)
    if views.rows is None:
        views.rows = [
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
    return list(views.rows)


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
    return entry_page(handbook.get("stories", slug), handbook, page_path)


def entry_page(entry: Entry, handbook: Handbook, page_path: str) -> Trusted:
    """Render the page of one bank story's entry (see `story_page`)."""
    body = pages.story_page(entry, handbook, page_path)
    timer = tools.rehearsal_timer(handbook, "story", page_path)
    return render("site/bank-story.md.j2", body=body, owner=entry.data["owner"], slug=entry.slug, timer=timer, draft=entry.draft)


# --- readiness ---------------------------------------------------------------------


def readiness_page(handbook: Handbook) -> Trusted:
    """Render the readiness view; it is computed from each person's prep kit in readiness.py."""
    from . import readiness  # readiness builds on this module's rows

    return readiness.readiness_page(handbook)


# --- the generated story pages -----------------------------------------------------


def page_path_of(slug: str) -> str:
    """Return the source path, under docs/, of one story's generated page."""
    return (STUB_DIR / f"{slug}.md").as_posix()


def stub_text(entry: Entry, handbook: Handbook, source: str = "") -> str:
    """Return the generated page of one story: front matter (with the digest of what it shows) and its Markdown."""
    markdown = entry_page(entry, handbook, page_path_of(entry.slug))
    views = pages.views(handbook)
    body = views.body(entry)
    start = markdown.find(body)
    return render(
        "plain/bank-page.md.j2", slug=entry.slug, source=source, markdown=markdown,
        minutes=repr(views.minutes(entry)), body_at=f"{start} {len(body)}" if start >= 0 else "",
    )


def card_stub_text(entry: Entry, handbook: Handbook, source: str = "") -> str:
    """Return the generated print card of one story (docs/print/bank/<slug>.md): printed by `make pdf`."""
    markdown = printing.story_card(entry, handbook)
    return render("plain/bank-card-page.md.j2", slug=entry.slug, source=source, markdown=markdown)


def renderer_version() -> str:
    """Return a digest of the code and partials that render a page: a change to either renders every page again."""
    h = hashlib.blake2b(diskcache.code_version(), digest_size=16)
    for partial in sorted(PARTIALS_DIR.rglob("*.j2")):
        h.update(partial.relative_to(PARTIALS_DIR).as_posix().encode() + b"\0" + partial.read_bytes() + b"\0")
    return h.hexdigest()


_NOTE = re.compile(r"^# ([A-Za-z ]+): (.+)$", re.M)


def notes_on_disk(path: Path) -> dict[str, str]:
    """Return the `# Name: value` notes of a generated file's front matter (its source digest, ...); none when there is no such file."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(800)
    except OSError:
        return {}
    return dict(_NOTE.findall(head.split("\n---", 1)[0]))


def digest_on_disk(path: Path) -> str | None:
    """Return the source digest in a generated file's front matter, or None when there is no such file."""
    return notes_on_disk(path).get("Source digest")


def body_on_disk(path: Path, at: str) -> str | None:
    """Return the story body a current generated page holds at `at` ("start length" in its Markdown), or None."""
    try:
        start, length = (int(n) for n in at.split())
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    body = text.removeprefix("---\n").split("\n---\n", 1)[-1][start : start + length]
    return body if len(body) == length and body.startswith("# ") else None


def _reuse(views: pages.StoryViews, entry: Entry, path: Path, notes: dict[str, str]) -> None:
    """Let the pages of this build take the story's minutes and body from its current generated page."""
    try:
        minutes = float(notes["Spoken minutes"])
    except (KeyError, ValueError):
        return
    at = notes.get("Body", "")
    views.known(entry, minutes, lambda: body_on_disk(path, at))


# The template, rules and story entries each folder was last brought in line with.
_WRITTEN: dict[Path, tuple] = {}
# A development server loads the data again on each save and gets the very same (cached) entry
# for each file that did not change: its digest, and the notes of a page found current at that
# digest, are not worked out or read again (a page missing from its folder is always written).
_DIGESTS: dict[str, tuple[Entry, str, str]] = {}
_SEEN: dict[Path, tuple[str, dict[str, str]]] = {}


def _digest(base: str, entry: Entry) -> str:
    """Return the digest of what the story's page shows (worked out once per entry and base)."""
    known = _DIGESTS.get(entry.slug)
    if known is not None and known[0] is entry and known[1] == base:
        return known[2]
    digest = digest_of(base, entry.data, entry.draft, [str(f) for f in entry.findings])
    _DIGESTS[entry.slug] = (entry, base, digest)
    return digest


def write_story_stubs(handbook: Handbook, docs_dir: Path) -> dict[str, list[str]]:
    """Bring docs/bank/stories/ (a page per story) and docs/print/bank/ (a card per story) in line with the bank; return the slugs written and removed."""
    folder, cards = docs_dir / STUB_DIR, docs_dir / CARD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cards.mkdir(parents=True, exist_ok=True)
    slugs = {e.slug for e in handbook.folder("stories")}
    # Zensical runs define_env once per page: when the loader handed back the very same
    # (cached) entries as last time and the folders hold exactly their pages, nothing is due.
    same = (handbook.template, handbook.rules, *handbook.folder("stories"))
    last = _WRITTEN.get(folder)
    if last is not None and len(last) == len(same) and all(a is b for a, b in zip(last, same)):
        if {p.stem for p in folder.glob("*.md")} == slugs == {p.stem for p in cards.glob("*.md")}:
            return {"written": [], "removed": []}
    # The digest changes with what a page shows, so a changed story rewrites its page (and
    # `mkdocs serve --dirty`, make serve-fast, re-renders that page and no other); a page
    # whose digest is current is not rendered at all.
    base = digest_of(handbook.template.model_dump(), handbook.rules.model_dump(), renderer_version())
    stories = handbook.folder("stories")
    digests = {e.slug: _digest(base, e) for e in stories}
    written, removed = [], []
    views = pages.views(handbook)
    for where, text_of in ((folder, stub_text), (cards, card_stub_text)):
        present = {item.name for item in os.scandir(where)}
        for entry in stories:
            path, digest = where / f"{entry.slug}.md", digests[entry.slug]
            seen = _SEEN.get(path)
            if path.name not in present:
                notes = {}
            elif seen is not None and seen[0] == digest:  # read (or checked) at this digest before
                notes = seen[1]
            else:
                notes = notes_on_disk(path)
            if notes.get("Source digest") == digest:
                _SEEN[path] = (digest, notes)
                if where == folder:  # what the current page shows, the bank's lists and print pages reuse
                    _reuse(views, entry, path, notes)
                continue
            path.write_text(text_of(entry, handbook, digest), encoding="utf-8")
            _SEEN.pop(path, None)  # what was seen of the old page no longer holds
            if where == folder:
                written.append(entry.slug)
        for path in sorted(where.glob("*.md")):
            if path.stem not in digests:
                path.unlink()
                if where == folder:
                    removed.append(path.stem)
    _WRITTEN[folder] = same
    return {"written": written, "removed": removed}
