"""The loop planner and the rehearsal log: what the browser tools are given, as HTML with a JSON island.

Everything a person needs is built into the page (their stories and tags, their kit's
stories and playbooks, their logged rehearsals, the rubric from the kit template), so both
tools work from disk with no network. `planner.js` and `rehearsal.js` read the island and
nothing else; runs scored in the browser are kept in localStorage until exported into the kit.
"""

from __future__ import annotations

from . import bank, kits, readiness
from .loader import Handbook
from .questions import competencies
from .render import Trusted, render
from .tools import YAML_JS, rehearsal_timer, scripts

STORAGE_KEY = "prep-handbook.rehearsals.v1"
IMPORT_LIMIT = 100_000  # bytes of YAML the rehearsal log accepts in one import


def rubric(handbook: Handbook) -> list[dict]:
    """Return the rehearsal rubric (key, label, prompt) from the kit template's `rehearsals.scores`."""
    runs = next(spec for spec in handbook.template.kit.fields if spec.key == "rehearsals")
    scores = next(spec for spec in runs.fields if spec.key == "scores")
    return [{"key": f.key, "label": f.label, "prompt": f.prompt, "min": int(f.minimum or 1), "max": int(f.maximum or 4)} for f in scores.fields]


def people_data(handbook: Handbook) -> list[dict]:
    """Return, per person, their bank stories with tags, what they may rehearse, and their logged runs."""
    rows = bank.rows(handbook)
    by_kit = readiness.kits_by_owner(handbook)
    names = readiness.owners(handbook)
    anchors = readiness.owner_anchors(names)
    hypotheticals = handbook.folder("hypotheticals")
    out = []
    for owner in names:
        kit = by_kit.get(owner)
        mine = [r for r in rows if r.owner == owner]
        chosen = kit.data.get("stories", []) if kit else [r.slug for r in mine]
        items = []
        for name in chosen:
            entry = readiness.find_story(handbook, name)
            items.append({"id": name, "title": entry.data["title"] if entry else name, "kind": "story"})
        for h in hypotheticals:
            items.append({"id": kits.PLAYBOOK_PREFIX + h.slug, "title": h.data["title"] + " (playbook)", "kind": "playbook"})
        out.append(
            {
                "owner": owner,
                "anchor": anchors[owner],
                "kit": readiness.kit_file(kit) if kit else None,
                "stories": [
                    {"slug": r.slug, "title": r.title, "tags": list(r.tags), "passes": r.errors == 0, "minutes": r.minutes}
                    for r in mine
                ],
                "items": items,
                "rehearsals": kit.data.get("rehearsals", []) if kit else [],
            }
        )
    return out


def tool_data(handbook: Handbook) -> dict:
    """Return the JSON island both tools read."""
    speaking = handbook.rules.speaking
    return {
        "people": people_data(handbook),
        "competencies": competencies(handbook.template),
        "rubric": rubric(handbook),
        "storageKey": STORAGE_KEY,
        "importLimit": IMPORT_LIMIT,
        "storyMinutes": speaking.story_minutes,
        "playbookSeconds": speaking.playbook_seconds,
    }


def loop_planner(handbook: Handbook, page_path: str) -> Trusted:
    """Render the loop planner: person, rounds and each round's focus; planner.js assigns the stories."""
    return render(
        "html/planner.html.j2",
        data=tool_data(handbook),
        competencies=competencies(handbook.template),
        scripts=scripts(page_path, "planner.js"),
    )


def rehearsal_log(handbook: Handbook, page_path: str) -> Trusted:
    """Render the rehearsal log: the timer, the rubric, the runs, the "rehearse next" order, export and import."""
    return render(
        "html/rehearsal.html.j2",
        data=tool_data(handbook),
        timer=rehearsal_timer(handbook, "story", page_path, with_script=False),
        scripts=scripts(page_path, YAML_JS, "timer.js", "rehearsal.js"),
    )
