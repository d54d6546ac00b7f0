"""Printable pages: the cheat sheet, a card per story, and the whole handbook on one page.

Each function renders Markdown partials of the `site` context from the handbook's data
(the same data, and for the whole handbook the same page functions, as the site uses);
`overrides/assets/handbook/print.css` lays them out on A4 and `devtools/pdf.py` prints them.
"""

from __future__ import annotations

import re

from . import pages
from .loader import Entry, Handbook
from .render import Trusted, render

PLAYBOOKS_AT_A_GLANCE = ("stakeholders", "risk", "metrics")


def cheatsheet(handbook: Handbook) -> Trusted:
    """Render the cheat sheet for the day: timing, story outline, my two stories, hypotheticals, pitfalls."""
    hypotheticals = []
    for entry in handbook.folder("hypotheticals"):
        h = dict(entry.data)
        if "decision" in h:
            h["ranked"] = pages.options_with_ev(h["decision"])[1]
        hypotheticals.append(h)
    return render(
        "site/print-cheatsheet.md.j2",
        approach=handbook.get("playbooks", "approach").data,
        pitfalls=handbook.get("playbooks", "pitfalls").data,
        hypotheticals=hypotheticals,
        spec=handbook.template.story,
        speaking=handbook.rules.speaking,
    )


def story_card(entry: Entry, handbook: Handbook) -> Trusted:
    """Render one story as a one-page card."""
    return render("site/print-card.md.j2", **pages.story_values(entry, handbook))


_ATTR_ID = re.compile(r"\{ #([A-Za-z0-9_-]+) \}")
_LOCAL_LINK = re.compile(r"\]\(#([A-Za-z0-9_-]+)\)")
_SPAN_ID = re.compile(r'<span id="([A-Za-z0-9_-]+)"></span>')


def prefix_anchors(markdown: str, prefix: str) -> Trusted:
    """Prefix the ids a page declares, and its links to them, so pages can share one document."""
    out = _ATTR_ID.sub(lambda m: f"{{ #{prefix}-{m[1]} }}", markdown)
    out = _LOCAL_LINK.sub(lambda m: f"](#{prefix}-{m[1]})", out)
    return Trusted(_SPAN_ID.sub(lambda m: f'<span id="{prefix}-{m[1]}"></span>', out))


def handbook_parts(handbook: Handbook, page_path: str) -> list[dict]:
    """Return the handbook's pages in reading order, each as (slug, title, Markdown)."""
    parts = [
        ("approach", handbook.get("playbooks", "approach").data["title"],
         pages.playbook_page(handbook.get("playbooks", "approach"), handbook) + "\n" + pages.timing_section(handbook)),
        ("template", f"{handbook.template.story.title} template", pages.template_page(handbook, page_path)),
    ]
    for entry in handbook.folder("projects"):
        parts.append((f"example-{entry.slug}", entry.data["title"], pages.story_page(entry, handbook, page_path, "candidate")))
    for entry in handbook.folder("stories"):
        parts.append((f"story-{entry.slug}", entry.data["title"], pages.story_page(entry, handbook, page_path, "candidate")))
    for entry in handbook.folder("hypotheticals"):
        parts.append((f"hypothetical-{entry.slug}", entry.data["title"], pages.hypothetical_page(entry, handbook, page_path)))
    for slug in (*PLAYBOOKS_AT_A_GLANCE, "pitfalls", "practice"):
        entry = handbook.get("playbooks", slug)
        parts.append((f"playbook-{slug}", entry.data["title"], pages.playbook_page(entry, handbook)))
    return [{"slug": slug, "title": title, "markdown": prefix_anchors(md, slug)} for slug, title, md in parts]


def whole_handbook(handbook: Handbook, page_path: str, site_name: str) -> Trusted:
    """Render every page of the handbook, in reading order, as one printable page."""
    return render("site/print-handbook.md.j2", parts=handbook_parts(handbook, page_path), site_name=site_name)
