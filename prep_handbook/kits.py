"""Prep kits (`data/kits/<owner>.yml`): the checks of the kit kind, and what kits refer to.

A kit holds the rest of the practice blueprint beside a person's stories: the two stories
chosen for the walk-through, their own playbook for each hypothetical, their guardrails and
metrics, and their scored rehearsals. The checks here join the rule vocabulary of
`rules.py` (declared in `data/rules.yml` with `applies_to: kit`). Some look at other files
(the stories a kit names, the steps of each hypothetical); the loader gives them a
`Context` for the data folder the kit belongs to while they run, and without one they
find nothing.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from .problems import Problem
from .rules import _phrase_pattern, check, texts, values_at

if TYPE_CHECKING:
    from .loader import Entry, Handbook
    from .rules import Rules
    from .schema import Template

# Where a chosen story may live, in the order a bare name is looked up.
STORY_FOLDERS = ("stories", "projects")
PLAYBOOK_PREFIX = "playbook/"

# Keys a story no longer takes, and how to move what they held.
RETIRED_STORY_KEYS = {
    "playbooks": (
        "no longer a story key: write your own 30–60 second playbook for each hypothetical "
        "in your prep kit instead (handbook new --kit {owner} writes data/kits/{owner}.yml), "
        "then delete this key"
    ),
}

# A hypothetical without numbered steps (incomplete data) is answered in the parts the
# guide gives it, in this order: these template keys, shown by their template titles.
PARTS_WITHOUT_STEPS = ("framing", "method", "guardrails", "stakeholder_management")


@dataclass(frozen=True)
class Found:
    """A story a kit names, as found in the data folder."""

    folder: str
    path: str  # as shown in messages
    entry: Optional["Entry"]
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> int:
        """Shape problems and checker errors together."""
        return len(self.problems) + (len(self.entry.errors) if self.entry else 0)

    @property
    def draft(self) -> bool:
        """A bank story marked `draft: true`, which builds leave out."""
        return self.entry is not None and self.entry.draft

    def summary(self) -> dict:
        """What the browser's checker needs to know of it (the story index the builder page embeds)."""
        return {"folder": self.folder, "path": self.path, "errors": self.errors, "draft": self.draft}


@dataclass(frozen=True)
class Context:
    """What the cross-file checks of one kit may look at."""

    story: Callable[[str], Optional[Found]]  # a chosen name -> where it is, or None
    hypothetical: Callable[[str], Optional["Entry"]]
    template: "Template"


_CONTEXT: ContextVar[Optional[Context]] = ContextVar("kit_context", default=None)


@contextmanager
def checking(context: Context) -> Iterator[None]:
    """Let the cross-file kit checks see `context` while a kit is checked."""
    token = _CONTEXT.set(context)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def guide_steps(hypothetical: "Entry", template: "Template") -> list[str]:
    """Return the steps of a hypothetical's playbook, as the handbook's page gives them."""
    steps = hypothetical.data.get("steps")
    if steps:
        return [s["step"] for s in steps]
    labels = {spec.key: spec.label for spec in template.hypothetical.fields}
    return [labels[key] for key in PARTS_WITHOUT_STEPS if key in hypothetical.data]


_WORD = re.compile(r"[\w’'-]+")


def playbook_seconds(steps: list[str], words_per_minute: int) -> int:
    """Return how many seconds a playbook's steps take to say, to the second."""
    words = sum(len(_WORD.findall(step)) for step in steps)
    return round(words * 60 / words_per_minute)


def rehearsal_items(data: dict, template: "Template") -> list[str]:
    """Return what a kit's rehearsals may name: its stories, then playbook/<hypothetical>."""
    choices = next(f.choices for p in template.kit.fields if p.key == "playbooks" for f in p.fields if f.key == "hypothetical")
    return list(data.get("stories", [])) + [PLAYBOOK_PREFIX + slug for slug in choices or ()]


def retired_keys(data: object) -> list[str]:
    """Return the retired story keys a story still carries."""
    return [key for key in RETIRED_STORY_KEYS if isinstance(data, dict) and key in data]


def retired_message(key: str, data: dict) -> str:
    """Return how to move a retired key's content, addressed to the story's owner."""
    owner = data.get("owner") if isinstance(data.get("owner"), str) else ""
    slug = re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-") or "your-name"
    return RETIRED_STORY_KEYS[key].format(owner=slug)


# --- the checks -------------------------------------------------------------------


def cross_file(name: str) -> Callable[[Callable], Callable]:
    """Register a check that looks at other files: it is called as fn(data, context), and finds nothing without a context."""

    def register(fn: Callable) -> Callable:
        @check(name)
        def run(data, params, template, speaking):
            context = _CONTEXT.get()
            return () if context is None else fn(data, context)

        run.__doc__ = fn.__doc__
        return fn

    return register


@cross_file("kit_story_missing")
def _kit_story_missing(data: dict, context: Context):
    """Flag each chosen story that is in none of the story folders."""
    for i, name in enumerate(data.get("stories", [])):
        if context.story(name) is None:
            yield ("stories", i), {"name": name}


@cross_file("kit_story_fails")
def _kit_story_fails(data: dict, context: Context):
    """Flag each chosen story that does not pass the checker."""
    for i, name in enumerate(data.get("stories", [])):
        found = context.story(name)
        if found is not None and found.errors:
            what = f"{found.errors} error{'s' if found.errors != 1 else ''}"
            yield ("stories", i), {"name": name, "problems": what, "path": found.path}


@cross_file("kit_story_draft")
def _kit_story_draft(data: dict, context: Context):
    """Flag each chosen story that is a draft: builds leave it out, so readiness cannot count it."""
    for i, name in enumerate(data.get("stories", [])):
        found = context.story(name)
        if found is not None and found.draft:
            yield ("stories", i), {"name": name, "path": found.path}


@cross_file("kit_playbook_steps")
def _kit_playbook_steps(data: dict, context: Context):
    """Flag each playbook whose number of steps is not the number of its hypothetical's steps."""
    for i, playbook in enumerate(data.get("playbooks", [])):
        hypothetical = context.hypothetical(playbook["hypothetical"])
        if hypothetical is None:
            continue
        expected = guide_steps(hypothetical, context.template)
        if len(playbook["steps"]) != len(expected):
            yield ("playbooks", i, "steps"), {
                "title": hypothetical.data["title"],
                "count": len(playbook["steps"]),
                "expected": len(expected),
                "steps": ", ".join(expected),
            }


@check("unique_records")
def _unique_records(data, params, template, speaking):
    """Flag each record of `path` whose `field` repeats an earlier record's."""
    seen = set()
    for i, record in enumerate(data.get(params["path"], [])):
        value = record.get(params["field"])
        if value in seen:
            yield (params["path"], i, params["field"]), {"value": value}
        seen.add(value)


@check("playbook_seconds")
def _playbook_seconds(data, params, template, speaking):
    """Flag each playbook whose steps take a time outside the `outside` band of seconds to say."""
    low, high = getattr(speaking, params["outside"])
    for i, playbook in enumerate(data.get("playbooks", [])):
        seconds = playbook_seconds(playbook["steps"], speaking.words_per_minute)
        if not low <= seconds <= high:
            yield ("playbooks", i, "steps"), {
                "hypothetical": playbook["hypothetical"],
                "seconds": seconds,
                "wpm": speaking.words_per_minute,
                "low": f"{low:g}",
                "high": f"{high:g}",
            }


@check("list_length")
def _list_length(data, params, template, speaking):
    """Flag the list at `path` when it has fewer than `min` items (an absent list is left to readiness)."""
    items = data.get(params["path"], [])
    if items and len(items) < params["min"]:
        yield (params["path"],), {"count": len(items), "min": params["min"]}


@check("kit_words_without_number")
def _kit_words_without_number(data, params, template, speaking):
    """Flag each text of the dotted `fields` that holds one of `words` but no digit; one finding per text."""
    patterns = [(w, _phrase_pattern(w)) for w in params["words"]]
    for dotted in params["fields"]:
        for loc, value in values_at(data, dotted):
            for text_loc, text in texts(value, loc):
                if re.search(r"\d", text):
                    continue
                for word, pattern in patterns:
                    if pattern.search(text):
                        yield text_loc, {"word": word}
                        break


@check("kit_rehearsal_item")
def _kit_rehearsal_item(data, params, template, speaking):
    """Flag each rehearsal that names neither one of the kit's stories nor one of its playbooks."""
    allowed = set(rehearsal_items(data, template))
    for i, run in enumerate(data.get("rehearsals", [])):
        if run["item"] not in allowed:
            yield ("rehearsals", i, "item"), {"item": run["item"]}


def page_context(handbook: "Handbook") -> dict:
    """Return what the browser's checker needs of the files kits refer to: each story and worked example, each hypothetical's steps.

    The same facts the cross-file checks read through a `Context`, for the stories the handbook holds
    (a build leaves drafts out; the local preview keeps them, marked).
    """
    stories: dict[str, dict] = {}
    for folder in STORY_FOLDERS:  # a bare name is looked up in this order: the first folder holding it wins
        for entry in handbook.folder(folder):
            stories.setdefault(entry.slug, Found(folder, f"data/{folder}/{entry.slug}.yml", entry).summary())
    hypotheticals = {h.slug: {"title": h.data["title"], "steps": guide_steps(h, handbook.template)} for h in handbook.folder("hypotheticals")}
    return {"stories": stories, "hypotheticals": hypotheticals}


def owner_problems(kit_files: list[Path], template: "Template", rules: "Rules", root: Path | None) -> list[Problem]:
    """Return the build's one-kit-per-owner problems for these kit files (as `load_handbook` finds them)."""
    from .loader import _kit_owner_problems, load_entry

    entries = [entry for entry in (load_entry(path, "kits", template, rules, root)[0] for path in kit_files) if entry is not None]
    return _kit_owner_problems(entries)


def kit_scaffold(template: "Template", schema_url: str | None = None) -> dict:
    """Return the parts of a new kit's YAML: its header, and for each key its commented example, generated from the template."""
    from .render import render

    spec = template.kit
    return {
        "header": render("plain/kit-header.yml.j2", spec=spec, schema_url=schema_url).strip("\n"),
        "examples": {f.key: render("plain/kit-example.yml.j2", spec=f).strip("\n") for f in spec.fields},
    }


def kit_yaml(template: "Template", data: dict, schema_url: str | None = None) -> str:
    """Return a kit as YAML in the scaffold's shape: each key of `data` written out under its prompt, the others commented examples.

    The text keys are written the way the builder writes them (quoted as JSON); only those are filled here.
    """
    scaffold = kit_scaffold(template, schema_url)
    parts = []
    for spec in template.kit.fields:
        comment = "# " + " ".join(spec.prompt.split())
        if spec.key not in data:
            parts.append(f"{comment}\n{scaffold['examples'][spec.key]}")
        elif isinstance(data[spec.key], str):
            parts.append(f"{comment}\n{spec.key}: {json.dumps(data[spec.key], ensure_ascii=False)}")
        else:
            raise ValueError(f"kit_yaml writes text keys only, not {spec.key}")
    return scaffold["header"] + "\n\n" + "\n\n".join(parts) + "\n"


def blank_kit(handbook: "Handbook", owner: str, schema_url: str | None = None) -> str:
    """Return a new prep kit as YAML: the owner filled in, every other key a commented example to fill."""
    return kit_yaml(handbook.template, {"owner": owner}, schema_url)
