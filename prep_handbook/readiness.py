"""Readiness per person, from what they wrote: the four items of the practice blueprint.

Each person's prep kit (`data/kits/`) and the checker decide, item by item, whether the
blueprint is met: two chosen stories that pass and take two to three minutes, a playbook
of the right steps and length for each hypothetical, at least three guardrails, and
metrics in each of the three groups. What is missing is said exactly, with the kit line
to edit and the page that helps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from . import bank, kits
from .loader import Entry, Handbook
from .render import Trusted, render

STORIES_NEEDED = 2
GUARDRAILS_NEEDED = 3
METRIC_GROUPS = ("slo", "delivery", "product")
DRAFT_RULE = "kit-story-draft"  # the kit's finding for a chosen story that is a draft


@dataclass
class Item:
    """One blueprint item for one person: ready or not, and why."""

    key: str
    title: str
    ready: bool
    summary: str  # what is there, in a few words
    missing: list[str] = field(default_factory=list)
    see: str = ""  # docs page that helps, relative to docs/
    where: str = ""  # the kit to edit (data/kits/x.yml); empty when there is no kit yet
    line: int = 0  # the line of the kit to edit, when the item has one


@dataclass
class Person:
    """One person's readiness: their kit, their bank stories, the four items, their last run."""

    owner: str
    anchor: str
    kit: Optional[Entry]
    stories: list[bank.Row]
    items: list[Item]
    last_run: Optional[dict] = None

    @property
    def kit_file(self) -> str:
        """Where their kit lives (data/kits/<name>.yml), or "" without one."""
        return kit_file(self.kit) if self.kit else ""

    @property
    def kit_name(self) -> str:
        """The file name `handbook new --kit` would give this person's kit."""
        return owner_slug(self.owner)

    @property
    def ready(self) -> bool:
        """Every item of the blueprint is met."""
        return all(item.ready for item in self.items)


def owner_anchors(owners: list[str]) -> dict[str, str]:
    """Give each owner an anchor of their own: `owner-chen`, then `owner-chen-2` for "chen!"."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for owner in sorted(owners, key=lambda o: (o.lower(), o)):
        base = "owner-" + (re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-") or "item")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[owner] = anchor
    return anchors


def owner_slug(owner: str) -> str:
    """Return the file name a new kit for `owner` would take."""
    return re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-") or "my-kit"


def kits_by_owner(handbook: Handbook) -> dict[str, Entry]:
    """Return each owner's kit (the loader refuses a second kit for one owner)."""
    return {e.data["owner"]: e for e in handbook.folder("kits")}


def owners(handbook: Handbook) -> list[str]:
    """Return everyone with a bank story or a kit, alphabetically."""
    names = {e.data["owner"] for e in handbook.folder("stories")} | set(kits_by_owner(handbook))
    return sorted(names, key=lambda o: (o.lower(), o))


def kit_file(kit: Entry) -> str:
    """Return where the kit lives in the project, as the site names it (data/kits/<name>.yml)."""
    return f"data/{kit.folder}/{kit.slug}.yml"


def _line(kit: Entry, loc: tuple) -> int:
    return kit.doc.position(loc, key=True)[0]


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def find_story(handbook: Handbook, name: str) -> Optional[Entry]:
    """Return the bank story or worked example a kit names, or None."""
    for folder in kits.STORY_FOLDERS:
        for entry in handbook.folder(folder):
            if entry.slug == name:
                return entry
    return None


def story_item(handbook: Handbook, owner: str, kit: Optional[Entry]) -> Item:
    """Two chosen stories that pass the checker and take two to three minutes."""
    low, high = handbook.rules.speaking.story_minutes
    item = Item("stories", "Two stories", False, "", see="bank/index.md")
    if kit is None:
        item.summary = "no kit"
        item.missing.append(f"Start a prep kit with handbook new --kit {owner_slug(owner)} and choose the two stories you will walk through.")
        return item
    chosen = kit.data.get("stories", [])
    item.where, item.line = kit_file(kit), (_line(kit, ("stories",)) if chosen else 0)
    good = 0
    drafts = {f.field for f in kit.findings if f.rule == DRAFT_RULE}
    for i, name in enumerate(chosen):
        entry = find_story(handbook, name)
        if f"stories[{i}]" in drafts:  # in the words of `handbook check`, with the path as the site names it
            rule = next(r for r in handbook.rules.rules if r.id == DRAFT_RULE)
            item.missing.append(f"{rule.message.format(name=name, path=f'data/stories/{name}.yml')}. {rule.hint}")
            continue
        if entry is None:
            item.missing.append(f"'{name}' is not a bank story or a worked example.")
            continue
        minutes = bank.minutes_of(entry, handbook)
        if entry.errors:
            item.missing.append(f"'{name}' does not pass the checker ({_plural(len(entry.errors), 'error')}).")
        elif not low <= minutes <= high:
            item.missing.append(f"'{name}' takes about {minutes:.1f} min to say; the blueprint asks for {low:g}–{high:g} min.")
        else:
            good += 1
    if len(chosen) < STORIES_NEEDED:
        short = STORIES_NEEDED - len(chosen)
        item.missing.insert(0, f"Choose {_plural(short, 'more story', 'more stories')} under stories in the kit ({len(chosen)} of {STORIES_NEEDED} chosen).")
    item.ready = good >= STORIES_NEEDED
    item.summary = f"{min(good, STORIES_NEEDED)} of {STORIES_NEEDED}"
    return item


def playbook_item(handbook: Handbook, kit: Optional[Entry]) -> Item:
    """A playbook for each hypothetical, in its steps, of 30–60 seconds."""
    speaking = handbook.rules.speaking
    low, high = speaking.playbook_seconds
    hypotheticals = handbook.folder("hypotheticals")
    item = Item("playbooks", "Playbooks", False, "", see="practice.md#playbooks")
    written = {p["hypothetical"]: (i, p) for i, p in enumerate(kit.data.get("playbooks", []))} if kit else {}
    if kit:
        item.where, item.line = kit_file(kit), (_line(kit, ("playbooks",)) if written else 0)
    good = 0
    for h in hypotheticals:
        title = h.data["title"]
        if h.slug not in written:
            item.missing.append(f"No playbook for {title} yet.")
            continue
        i, playbook = written[h.slug]
        steps = kits.guide_steps(h, handbook.template)
        seconds = kits.playbook_seconds(playbook["steps"], speaking.words_per_minute)
        problems = []
        if len(playbook["steps"]) != len(steps):
            problems.append(f"says {len(playbook['steps'])} of the {len(steps)} steps ({', '.join(steps)})")
        if not low <= seconds <= high:
            problems.append(f"takes about {seconds} s to say; aim for {low:g}–{high:g} s")
        if problems:
            item.missing.append(f"The {title} playbook ({kit_file(kit)}:{_line(kit, ('playbooks', i))}) " + " and ".join(problems) + ".")
        else:
            good += 1
    item.ready = good == len(hypotheticals)
    item.summary = f"{good} of {len(hypotheticals)}"
    return item


def guardrail_item(kit: Optional[Entry]) -> Item:
    """At least three standard guardrails."""
    guardrails = kit.data.get("guardrails", []) if kit else []
    item = Item("guardrails", "Guardrails", len(guardrails) >= GUARDRAILS_NEEDED, f"{min(len(guardrails), GUARDRAILS_NEEDED)} of {GUARDRAILS_NEEDED}", see="playbooks/risk.md")
    if kit:
        item.where, item.line = kit_file(kit), (_line(kit, ("guardrails",)) if guardrails else 0)
    if not item.ready:
        short = GUARDRAILS_NEEDED - len(guardrails)
        item.missing.append(
            f"Only {_plural(len(guardrails), 'guardrail')}: add {short} more of the risk and rollout guardrails you always apply."
            if guardrails else f"No guardrails yet: list at least {GUARDRAILS_NEEDED} risk and rollout guardrails you always apply."
        )
    return item


def metric_item(handbook: Handbook, kit: Optional[Entry]) -> Item:
    """Success metrics in each group (SLO, delivery, product), each with a target and a unit."""
    metrics = kit.data.get("metrics", {}) if kit else {}
    labels = {f.key: f.label for spec in handbook.template.kit.fields if spec.key == "metrics" for f in spec.fields}
    have = [g for g in METRIC_GROUPS if metrics.get(g)]
    item = Item("metrics", "Metrics", len(have) == len(METRIC_GROUPS), f"{len(have)} of {len(METRIC_GROUPS)} groups", see="playbooks/metrics.md")
    if kit:
        item.where, item.line = kit_file(kit), (_line(kit, ("metrics",)) if metrics else 0)
    for group in METRIC_GROUPS:
        if group not in have:
            item.missing.append(f"No {labels[group]} metric yet, with its target and unit.")
    return item


def last_run(kit: Optional[Entry]) -> Optional[dict]:
    """Return the kit's most recent rehearsal (the later one in the file on the same day), with its total."""
    runs = kit.data.get("rehearsals", []) if kit else []
    if not runs:
        return None
    latest = max(enumerate(runs), key=lambda pair: (pair[1]["date"], pair[0]))[1]
    scores = latest["scores"]
    return {**latest, "total": sum(scores.values()), "out_of": 4 * len(scores)}


def people(handbook: Handbook) -> list[Person]:
    """Return everyone's readiness, alphabetically."""
    names = owners(handbook)
    anchors = owner_anchors(names)
    by_kit = kits_by_owner(handbook)
    rows = bank.rows(handbook)
    out = []
    for owner in names:
        kit = by_kit.get(owner)
        out.append(
            Person(
                owner=owner,
                anchor=anchors[owner],
                kit=kit,
                stories=[r for r in rows if r.owner == owner],
                items=[story_item(handbook, owner, kit), playbook_item(handbook, kit), guardrail_item(kit), metric_item(handbook, kit)],
                last_run=last_run(kit),
            )
        )
    return out


def item_title(handbook: Handbook, item: str) -> str:
    """Return what a rehearsal names, for people: a story's title or a hypothetical's."""
    if item.startswith(kits.PLAYBOOK_PREFIX):
        slug = item[len(kits.PLAYBOOK_PREFIX):]
        for h in handbook.folder("hypotheticals"):
            if h.slug == slug:
                return f"{h.data['title']} (playbook)"
        return item
    entry = find_story(handbook, item)
    return entry.data["title"] if entry else item


def readiness_page(handbook: Handbook) -> Trusted:
    """Render the readiness page: a summary table, then per person the four items and the last run."""
    persons = people(handbook)
    titles = {p.owner: {p.last_run["item"]: item_title(handbook, p.last_run["item"])} if p.last_run else {} for p in persons}
    from . import kits, pages

    blank = pages.data_uri_link(kits.blank_kit(handbook, "your-name"), "kit.yml", "application/yaml", "Download a blank prep kit (.yml)")
    return render("site/readiness.md.j2", people=persons, titles=titles, speaking=handbook.rules.speaking, download=Trusted(blank))
