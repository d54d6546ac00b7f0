"""The interactive tools: story builder, decision calculator and rehearsal timer, as HTML.

Each function renders a partial of the `html` context (autoescaped) from the handbook's
data; the browser code in `overrides/assets/handbook/` reads what these embed (the
template and rules as JSON islands, the form's structure) and nothing else.
"""

from __future__ import annotations

from . import kits
from .loader import Entry, Handbook
from .pages import relative_root
from .render import Trusted, render

ASSETS = "assets/handbook/"
YAML_JS = "assets/vendor/js-yaml/js-yaml.umd.min.js"
STORAGE_KEY = "prep-handbook.builder.draft.v1"
KIT_STORAGE_KEY = "prep-handbook.builder.kit.v1"
OUTPUTS = (
    {"key": "yaml", "title": "YAML for data/stories/", "short": "YAML", "mime": "application/yaml", "ext": "yml"},
    {"key": "markdown", "title": "Markdown for your notes", "short": "Markdown", "mime": "text/markdown", "ext": "md"},
)
KIT_OUTPUTS = ({"key": "yaml", "title": "YAML for data/kits/", "short": "YAML", "mime": "application/yaml", "ext": "yml"},)
KIT_SCHEMA_URL = "../../schema/kit.schema.json"  # as `handbook new --kit` writes it into data/kits/


def scripts(page_path: str, *names: str) -> list[str]:
    """Return the relative URLs of handbook scripts (or vendored files) for a page."""
    root = relative_root(page_path)
    return [root + (name if "/" in name else ASSETS + name) for name in names]


TIMERS = {
    # kind: (what is rehearsed, the speaking target's key, its unit)
    "story": ("one project story", "story_minutes", "min"),
    "hypothetical": ("all the hypotheticals together", "hypothetical_minutes", "min"),
    "playbook": ("one hypothetical's playbook", "playbook_seconds", "s"),
    "opener": ("the resume walk-through", "opener_seconds", "s"),
}


def timer_band(handbook: Handbook, kind: str) -> tuple[float, float]:
    """Return the (low, high) speaking target in minutes for a kind of timer (see TIMERS)."""
    if kind not in TIMERS:
        raise ValueError(f"unknown timer kind {kind!r} (known: {', '.join(TIMERS)})")
    _, key, unit = TIMERS[kind]
    low, high = getattr(handbook.rules.speaking, key)
    return (low / 60, high / 60) if unit == "s" else (low, high)


def rehearsal_timer(handbook: Handbook, kind: str, page_path: str, with_script: bool = True) -> Trusted:
    """Render a rehearsal timer whose target band is the speaking target for `kind`."""
    low, high = timer_band(handbook, kind)
    label, key, unit = TIMERS[kind]
    shown_low, shown_high = getattr(handbook.rules.speaking, key)
    return render(
        "html/timer.html.j2",
        id=f"hb-timer-{kind}",
        kind=kind,
        label=label,
        low=low,
        high=high,
        target=f"{shown_low:g}–{shown_high:g} {'seconds' if unit == 's' else 'min'}",
        limit=high + (high - low),
        low_seconds=round(low * 60),
        high_seconds=round(high * 60),
        script=scripts(page_path, "timer.js")[0] if with_script else None,
    )


def story_builder(handbook: Handbook, page_path: str, folder: str = "stories") -> Trusted:
    """Render the builder page: the story form and the prep-kit form from template.yml, the rules, the outputs."""
    template = handbook.template
    context = kits.page_context(handbook)
    story = {
        "kind": "story", "prefix": "hb-", "id": "hb-builder", "folder": folder, "storage_key": STORAGE_KEY, "noun": "story",
        "default_slug": "my-story", "outputs": OUTPUTS, "timer": rehearsal_timer(handbook, "story", page_path, with_script=False),
    }
    kit = {
        "kind": "kit", "prefix": "hb-kit-", "id": "hb-kit-builder", "folder": "kits", "storage_key": KIT_STORAGE_KEY, "noun": "prep kit",
        "default_slug": "my-kit", "outputs": KIT_OUTPUTS, "timer": rehearsal_timer(handbook, "playbook", page_path, with_script=False),
    }
    return render(
        "html/builder.html.j2",
        spec=template.story,
        kit_spec=template.kit,
        builders=(story, kit),
        template_data={"story": template.story.model_dump(mode="json"), "kit": template.kit.model_dump(mode="json")},
        rules=handbook.rules.model_dump(mode="json"),
        kit_context=context,
        kit_scaffold=kits.kit_scaffold(template, KIT_SCHEMA_URL),
        known_stories=[(slug, found["folder"]) for slug, found in context["stories"].items()],
        speaking=handbook.rules.speaking,
        root=relative_root(page_path),
        scripts=scripts(page_path, YAML_JS, "figures.js", "checker.js", "timer.js", "builder.js"),
    )


def decision_calculator(entry: Entry, page_path: str) -> Trusted:
    """Render the decision calculator pre-filled with a hypothetical's options."""
    decision = entry.data.get("decision")
    if not decision:
        raise ValueError(f"{entry.shown}: has no decision to calculate")
    options = [{k: o[k] for k in ("name", "probability", "benefit", "cost", "weeks")} for o in decision["options"]]
    return render(
        "html/calculator.html.j2",
        options=options,
        unit=decision["unit"],
        metric=decision["metric"],
        framing=entry.data.get("framing", []),
        scripts=scripts(page_path, "figures.js", "calculator.js"),
    )
