"""The tools' build-time half: the builder form, timers and calculator as generated HTML, and the print pages."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from htmltext import page_text
from prep_handbook import figures, printing, tools
from devtools.pdf import page_count, print_pages
from support import entry_ids, handbook


class Elements(HTMLParser):
    """Collect every start tag with its attributes, and the text of each id'd element's first data."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: dict[str, str] = {}
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script" and attributes.get("type") == "application/json":
            self._script = attributes.get("id") or "example"

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[self._script] = self.scripts.get(self._script, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def parse(html: str) -> Elements:
    """Parse an HTML fragment."""
    parser = Elements()
    parser.feed(html)
    return parser


def keys_of(specs) -> list[str]:
    """Every key of a list of field specs, sub-fields at any depth included."""
    return [key for spec in specs for key in (spec.key, *keys_of(spec.fields))]


def builder_parts(html: str) -> dict[str, str]:
    """Split the builder page into its story form and its prep-kit form."""
    story, _, kit = html.partition('id="hb-kit-builder"')
    return {"story": story, "kit": kit}


def test_builder_has_a_control_for_every_key_of_the_template_and_nothing_else() -> None:
    parts = builder_parts(tools.story_builder(handbook(), "tools/builder.md"))
    for kind, spec in (("story", handbook().template.story), ("kit", handbook().template.kit)):
        fields = [a["data-field"] for tag, a in parse(parts[kind]).tags if "data-field" in a]
        assert Counter(fields) == Counter(keys_of(spec.fields)), kind


def test_a_field_added_to_the_kit_template_shows_in_the_kit_form_and_its_yaml() -> None:
    from prep_handbook.schema import FieldSpec

    added = FieldSpec(key="mentors", type="list", title="Mentors", prompt="Who listens to your rehearsals.")
    kit = handbook().template.kit.model_copy(update={"fields": (*handbook().template.kit.fields, added)})
    edited = type(handbook())(template=handbook().template.model_copy(update={"kit": kit}), rules=handbook().rules, entries=handbook().entries)
    html = builder_parts(tools.story_builder(edited, "tools/builder.md"))["kit"]
    assert 'data-field="mentors"' in html and "Who listens to your rehearsals." in html
    scaffold = json.loads(parse(tools.story_builder(edited, "tools/builder.md")).scripts["hb-kit-scaffold"])
    assert scaffold["examples"]["mentors"] == '# mentors:\n#   - ""'


def test_builder_help_texts_are_the_template_prompts() -> None:
    text = page_text_of(tools.story_builder(handbook(), "tools/builder.md"))
    for spec in handbook().template.story.fields:
        assert " ".join(spec.prompt.split()) in text
        for sub in spec.fields:
            assert " ".join(sub.prompt.split()) in text


def page_text_of(html: str) -> str:
    """Return an HTML fragment's text with entities decoded and spaces folded."""
    import html as htmllib

    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_builder_embeds_the_template_and_the_rules_as_json() -> None:
    scripts = parse(tools.story_builder(handbook(), "tools/builder.md")).scripts
    assert json.loads(scripts["hb-template"]) == {
        "story": handbook().template.story.model_dump(mode="json"),
        "kit": handbook().template.kit.model_dump(mode="json"),
    }
    rules = json.loads(scripts["hb-rules"])
    assert [r["id"] for r in rules["rules"]] == [r.id for r in handbook().rules.rules]
    assert rules["speaking"]["story_minutes"] == list(handbook().rules.speaking.story_minutes)


def test_a_prompt_with_markup_stays_text_in_the_builder() -> None:
    spec = handbook().template.story.sections[0].model_copy(update={"prompt": "<script>alert(1)</script> & more"})
    story = handbook().template.story.model_copy(update={"sections": (spec, *handbook().template.story.sections[1:])})
    template = handbook().template.model_copy(update={"story": story})
    edited = type(handbook())(template=template, rules=handbook().rules, entries=handbook().entries)
    html = tools.story_builder(edited, "tools/builder.md")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    island = parse(html).scripts["hb-template"]
    assert json.loads(island)["story"]["sections"][0]["prompt"] == "<script>alert(1)</script> & more"


@pytest.mark.parametrize(
    ("kind", "seconds"),
    [
        ("story", [m * 60 for m in handbook().rules.speaking.story_minutes]),
        ("hypothetical", [m * 60 for m in handbook().rules.speaking.hypothetical_minutes]),
        ("playbook", handbook().rules.speaking.playbook_seconds),
        ("opener", handbook().rules.speaking.opener_seconds),
    ],
)
def test_timer_band_comes_from_the_speaking_targets(kind: str, seconds: list[float]) -> None:
    timer = [a for tag, a in parse(tools.rehearsal_timer(handbook(), kind, "examples/p99-latency.md")).tags if "data-timer" in a][0]
    assert (int(timer["data-low"]), int(timer["data-high"])) == (int(seconds[0]), int(seconds[1]))


def test_timer_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown timer kind 'speech'"):
        tools.rehearsal_timer(handbook(), "speech", "x.md")


def test_calculator_is_prefilled_with_the_hypotheticals_options_and_its_framing() -> None:
    html = tools.decision_calculator(handbook().get("hypotheticals", "incomplete-data"), "hypotheticals/incomplete-data.md")
    elements = parse(html)
    values = [(a["data-key"], a["value"]) for tag, a in elements.tags if tag == "input" and "value" in a and "__id__" not in a.get("id", "")]
    expected = []
    for option in handbook().get("hypotheticals", "incomplete-data").data["decision"]["options"]:
        expected += [(k, f"{option[k]:g}" if k != "name" else option[k]) for k in ("name", "probability", "benefit", "cost", "weeks")]
    assert values == expected
    text = page_text_of(html)
    for line in handbook().get("hypotheticals", "incomplete-data").data["framing"]:
        assert line in text
    assert json.loads(elements.scripts["example"]) == [
        {k: o[k] for k in ("name", "probability", "benefit", "cost", "weeks")} for o in handbook().get("hypotheticals", "incomplete-data").data["decision"]["options"]
    ]


def test_calculator_needs_a_decision() -> None:
    with pytest.raises(ValueError, match="has no decision"):
        tools.decision_calculator(handbook().get("hypotheticals", "scope-negotiation"), "x.md")


def test_the_guides_example_ranks_b_before_a() -> None:
    ranked = figures.rank_options(handbook().get("hypotheticals", "incomplete-data").data["decision"]["options"])
    assert [(o["name"], f"{o['ev']:g}", f"{o['ev_per_week']:.2f}") for o in ranked] == [("B", "0.54", "0.54"), ("A", "0.6", "0.30")]


# --------------------------------------------------------------------------- print pages


def test_cheatsheet_holds_timing_outline_hypotheticals_and_pitfalls_in_that_order(built_site: Path) -> None:
    text = page_text(built_site / "print" / "cheatsheet.html")
    heads = ["Timing", "Each story, in this order", "My two stories", "The hypotheticals", "Pitfalls to avoid in your answer"]
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)
    assert "Resume walk-through: 60–90 s" in text and "30–60 s for each playbook" in text
    assert "about 300–450 words at 150 a minute" in text
    for entry in handbook().folder("hypotheticals"):
        h = entry.data
        for step in h.get("steps", []):
            assert step["step"] in text
        for key, label in (("stakeholder_management", "Stakeholders"), ("risk_mitigation", "Risk"), ("measuring_success", "Success")):
            if key in h:
                assert f"{label}: {'; '.join(h[key])}" in text
    assert "Option A: 1.0 pp CTR lift, p = 0.6, 2 weeks; Option B: 0.6 pp CTR lift, p = 0.9, 1 week." in text
    assert "B: 0.54 pp, 0.54 pp/week; A: 0.6 pp, 0.30 pp/week. Pick B first, then reassess." in text
    for item in handbook().get("playbooks", "pitfalls").data["items"]:
        assert item["text"] in text
    assert text.count("Headline:") == 2 and text.count("Numbers:") == 2
    assert "Checked by" not in text and "quantified-impact" not in text


@pytest.mark.parametrize("entry", entry_ids("projects"), indirect=True)
def test_story_card_holds_every_outcome_and_decision(built_site: Path, entry) -> None:
    text = page_text(built_site / "print" / f"card-{entry.slug}.html")
    assert entry.data["headline"] in text
    for outcome in entry.data["outcomes"]:
        assert outcome["metric"] in text
        if "change" in outcome:
            assert outcome["change"] in text
    for decision in entry.data["decisions"]:
        assert " ".join(decision["choice"].split()) in text


def test_whole_handbook_has_every_part_and_no_duplicate_id(built_site: Path) -> None:
    html = (built_site / "print" / "handbook.html").read_text(encoding="utf-8")
    text = page_text(built_site / "print" / "handbook.html")
    parts = printing.handbook_parts(handbook(), "print/handbook.md")
    assert len(parts) == 2 + len(handbook().folder("projects")) + len(handbook().folder("stories")) + len(handbook().folder("hypotheticals")) + 5
    for part in parts:
        assert part["title"] in text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_prefix_anchors_rewrites_ids_and_local_links_only() -> None:
    md = "## Goal { #goal }\n\n[see](#goal) and [other](../x.md#goal) <span id=\"goal\"></span>"
    assert printing.prefix_anchors(md, "p") == '## Goal { #p-goal }\n\n[see](#p-goal) and [other](../x.md#goal) <span id="p-goal"></span>'


def test_print_pages_are_found_in_a_built_site(built_site: Path) -> None:
    # A generated card per bank story (print/bank/), one interview sheet per prep kit (print/sheets/),
    # beside the cards, cheat sheet and handbook.
    found = [p.relative_to(built_site / "print").as_posix() for p in print_pages(built_site)]
    cards = sorted(f"bank/{p.name}" for p in (built_site / "print" / "bank").glob("*.html"))
    assert len(cards) == len(list((Path(__file__).parent.parent / "data" / "stories").glob("*.yml")))
    assert found == [
        *cards, "card-p99-latency.html", "card-recommendations.html", "cheatsheet.html", "handbook.html",
        "sheets/ana.html", "sheets/ben.html", "sheets/chen.html",
    ]


def test_page_count_counts_page_objects_not_the_pages_tree() -> None:
    pdf = b"<< /Type /Pages /Count 2 >> << /Type /Page /Parent 1 0 R >> << /Type/Page >>"
    assert page_count(pdf) == 2
