"""What each page shows: plain typed functions from the handbook's data to Markdown.

Each function is what a macro calls; tests call them directly, without MkDocs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote

from . import figures
from .loader import Entry, Handbook
from .render import Trusted, render
from .rules import spoken_minutes


def relative_root(page_path: str) -> str:
    """Return the prefix that leads from a page's source file to the docs root."""
    depth = posixpath.dirname(page_path).count("/") + (1 if posixpath.dirname(page_path) else 0)
    return "../" * depth


class StoryViews:
    """What the pages of one loaded handbook compute once per story: its spoken minutes and its body.

    A story shows on its page, its print card, the bank's table, readiness, the matrix, the
    planner and the whole-handbook page; each asks here, so a build works each out once.
    Kept for one handbook at a time (a server's next rebuild brings a new one).
    """

    def __init__(self, handbook: Handbook) -> None:
        self.handbook = handbook
        self._minutes: dict[int, float] = {}
        self._bodies: dict[int, Trusted] = {}
        self.rows: list | None = None  # the bank's table rows (bank.rows), worked out once
        self._stored: dict[int, Callable[[], str | None]] = {}

    def known(self, entry: Entry, minutes: float, body: Callable[[], str | None]) -> None:
        """Take a story's minutes, and its body when asked, from a page written for this very story, template and renderer."""
        self._minutes.setdefault(id(entry), minutes)
        self._stored[id(entry)] = body

    def minutes(self, entry: Entry) -> float:
        """Return the story's spoken duration in minutes."""
        found = self._minutes.get(id(entry))
        if found is None:
            found = self._minutes[id(entry)] = spoken_minutes(entry.data, self.handbook.template, self.handbook.rules.speaking)
        return found

    def body(self, entry: Entry) -> Trusted:
        """Return the story's body as every page of it shows it (site/story-body.md.j2)."""
        found = self._bodies.get(id(entry))
        if found is None:
            stored = self._stored.pop(id(entry), None)
            text = stored() if stored is not None else None
            found = Trusted(text) if text is not None else render("site/story-body.md.j2", **story_values(entry, self.handbook))
            self._bodies[id(entry)] = found
        return found


_VIEWS: list[StoryViews] = []


def views(handbook: Handbook) -> StoryViews:
    """Return the story views of `handbook` (a new set when it is another handbook than last time)."""
    if not _VIEWS or _VIEWS[0].handbook is not handbook:
        _VIEWS[:] = [StoryViews(handbook)]
    return _VIEWS[0]


def story_values(entry: Entry, handbook: Handbook) -> dict:
    """Return what every story partial is given: the story, the template, its duration, the targets."""
    return {
        "story": entry.data,
        "spec": handbook.template.story,
        "minutes": views(handbook).minutes(entry),
        "speaking": handbook.rules.speaking,
    }


def story_page(entry: Entry, handbook: Handbook, page_path: str, audience: str | None = None) -> Trusted:
    """Render a project or bank story as a page: its sections, follow-ups, duration and findings.

    `audience` picks how the checker's findings read: "candidate" as plain coaching (the
    worked examples, print pages), "author" with line, field and rule (bank story pages).
    By default the worked examples speak to candidates and bank stories to their authors.
    The body is rendered once per story (`StoryViews.body`), whichever page asks first.
    """
    if audience is None:
        audience = "candidate" if entry.folder == "projects" else "author"
    return render(
        "site/story.md.j2",
        body=views(handbook).body(entry),
        speaking=handbook.rules.speaking,
        findings=entry.findings,
        see_base=relative_root(page_path),
        audience=audience,
        example=entry.folder == "projects",
    )


def options_with_ev(decision: dict) -> tuple[list[dict], list[dict]]:
    """Return the decision's options with EV figures as text, in data order and ranked."""
    def text(option: dict) -> dict:
        return {
            **option,
            "ev_text": f"{option['ev']:g}",
            "per_week_text": f"{option['ev_per_week']:.2f}",
        }

    ranked = [text(o) for o in figures.rank_options(decision["options"])]
    by_name = {o["name"]: o for o in ranked}
    return [by_name[o["name"]] for o in decision["options"]], ranked


def hypothetical_page(entry: Entry, handbook: Handbook, page_path: str) -> Trusted:
    """Render a hypothetical playbook, with its EV table computed from the inputs."""
    options, ranked = options_with_ev(entry.data["decision"]) if "decision" in entry.data else ([], [])
    return render(
        "site/hypothetical.md.j2",
        h=entry.data,
        spec=handbook.template.hypothetical,
        speaking=handbook.rules.speaking,
        count=len(handbook.folder("hypotheticals")),
        options=options,
        ranked=ranked,
        findings=entry.findings,
        see_base=relative_root(page_path),
    )


def playbook_page(entry: Entry, handbook: Handbook) -> Trusted:
    """Render a playbook list; pitfalls show the checker rules that look for them."""
    anchors = rules_by_anchor(handbook, f"playbooks/{entry.slug}.md")
    return render("site/playbook.md.j2", p=entry.data, rules_by_anchor=anchors)


def rules_by_anchor(handbook: Handbook, page: str) -> dict[str, list[str]]:
    """Map each anchor of a docs page to the ids of the rules whose `see` points at it."""
    found: dict[str, list[str]] = {}
    for rule in handbook.rules.rules:
        target, _, anchor = rule.see.partition("#")
        if target == page and anchor:
            found.setdefault(anchor, []).append(rule.id)
    return found


def blank_markdown(handbook: Handbook) -> str:
    """Return the blank story template as Markdown."""
    return render("plain/blank.md.j2", spec=handbook.template.story).strip() + "\n"


def blank_yaml(handbook: Handbook, folder: str = "stories", schema_url: str | None = None) -> str:
    """Return a blank story as YAML, prompts as comments."""
    return render("plain/blank.yml.j2", spec=handbook.template.story, folder=folder, schema_url=schema_url).lstrip()


def story_markdown(data: dict, handbook: Handbook) -> str:
    """Return a story as plain Markdown for notes."""
    return render("plain/story.md.j2", story=data, spec=handbook.template.story).strip() + "\n"


def data_uri_link(text: str, filename: str, mime: str, label: str) -> str:
    """Return a download link that carries the file in a data: URI (works offline and from disk)."""
    href = f"data:{mime};charset=utf-8," + quote(text, safe="")
    return f'<a class="md-button" download="{filename}" href="{href}">{label}</a>'


def template_page(handbook: Handbook, page_path: str = "template.md") -> Trusted:
    """Render the fill-in template page: readable, copyable, downloadable, with where to write it."""
    downloads = " ".join(
        [
            data_uri_link(blank_markdown(handbook), "story-template.md", "text/markdown", "Download blank template (.md)"),
            data_uri_link(blank_yaml(handbook), "story-template.yml", "application/yaml", "Download blank story (.yml)"),
        ]
    )
    return render(
        "site/template.md.j2",
        spec=handbook.template.story,
        downloads=Trusted(downloads),
        blank_markdown=Trusted(blank_markdown(handbook).rstrip("\n")),
        root=relative_root(page_path),
    )


def folder_index(handbook: Handbook, folder: str, page_path: str) -> Trusted:
    """Render the list of a folder's entries (examples, hypotheticals), each linking its page."""
    return render("site/index.md.j2", entries=handbook.folder(folder))


def timing_section(handbook: Handbook) -> Trusted:
    """Render the timing advice from the speaking targets the checker and timer use."""
    return render("site/timing.md.j2", speaking=handbook.rules.speaking)
