"""Pages written for candidates speak to candidates, and the way in leads through them.

Rule ids, field paths, YAML keys, line numbers and commands belong on the pages for story
authors and maintainers (the bank's authoring help and story pages, the template's keys,
the builder's YAML, Quality gates). The pages a candidate reads to prepare must not show them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from htmltext import article, headings, page_text
from prep_handbook import tools
from support import entry_ids, handbook, slugs

CANDIDATE_PAGES = [
    "index.html", "opener.html", "approach.html", "delivery.html", "glossary.html", "practice.html",
    "examples/index.html", *(f"examples/{slug}.html" for slug in slugs("projects")),
    "hypotheticals/index.html", *(f"hypotheticals/{slug}.html" for slug in slugs("hypotheticals")),
    *(f"playbooks/{slug}.html" for slug in ("stakeholders", "risk", "metrics", "pitfalls")),
    "print/cheatsheet.html", "print/handbook.html", *(f"print/card-{slug}.html" for slug in slugs("projects")),
]
MAINTAINER_PAGES = ("quality-gates.html",)


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[str], list[str], re.Pattern]:
    """Return the rule ids, snake_case YAML keys and section keys, and the field-path pattern, from the data."""
    data = handbook()
    rule_ids = [rule.id for rule in data.rules.rules]
    story = data.template.story
    snake_keys = sorted(
        {f.key for spec in (*story.meta, *story.sections) for f in (spec, *spec.fields) if "_" in f.key}
        | {f.key for f in data.template.hypothetical.fields if "_" in f.key}
    )
    section_keys = [s.key for s in story.sections]
    field_path = re.compile(r"\b(?:" + "|".join(section_keys) + r")(?:\[\d+\])?\.[a-z_]+\b|\b(?:" + "|".join(section_keys) + r")\[\d+\]")
    return rule_ids, snake_keys, section_keys, field_path


COMMANDS = re.compile(r"\b(?:make (?:serve|build|test|pdf|setup)|handbook (?:check|new|render|schema)|mkdocs (?:serve|build))\b")
LINE_NUMBER = re.compile(r"\bline \d+\b")


def candidate_html(site: Path, page: str) -> str:
    """Return a candidate page's article; on the whole handbook, without the template's author part."""
    html = article(site / page)
    if page == "print/handbook.html":
        html = re.sub(r'<section class="hb-print-part" id="template">.*?</section>', "", html, flags=re.S)
    return html


def visible(html: str) -> str:
    """Return the text of an HTML fragment, tags and scripts removed, whitespace folded."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())


def maintainer_language(html: str) -> list[str]:
    """Return every rule id, field path, YAML key, line number or command an article shows."""
    rule_ids, snake_keys, section_keys, field_path = vocabulary()
    text = visible(html)
    code = [visible(c) for c in re.findall(r"<code\b[^>]*>(.*?)</code>", html, flags=re.S)]
    found = [rid for rid in rule_ids if "-" in rid and re.search(rf"(?<![\w-]){re.escape(rid)}(?![\w-])", text)]
    found += [c for c in code if c in rule_ids or c in section_keys]
    found += [key for key in snake_keys if re.search(rf"\b{key}\b", text)]
    found += field_path.findall(text) + COMMANDS.findall(text) + LINE_NUMBER.findall(text)
    return found


@pytest.mark.parametrize("page", CANDIDATE_PAGES)
def test_a_candidate_page_shows_no_rule_id_field_path_line_or_command(built_site: Path, page: str) -> None:
    assert maintainer_language(candidate_html(built_site, page)) == []


def test_the_detector_finds_maintainer_language(built_site: Path) -> None:
    """The same check flags the bank's story page, written for its author, and the Quality gates."""
    bank = maintainer_language(article(built_site / "bank" / "stories" / "flaky-ci.html"))
    assert "baseline-outcome" in bank and "outcomes[2].change" in bank and "line 60" in bank
    assert "make test" in maintainer_language(article(built_site / "quality-gates.html"))


def nav_links(site: Path) -> list[tuple[str, str]]:
    """Return (href, text) of every page link of the side navigation, as the home page lists it."""
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    links = re.findall(r'<a href="([^"#]+\.html)" class="md-nav__link[^"]*">\s*(?:<span class="md-ellipsis">)?\s*([^<]+?)\s*<', nav)
    return list(dict.fromkeys(links))


def test_every_nav_title_is_its_pages_heading(built_site: Path) -> None:
    links = nav_links(built_site)
    assert len(links) >= 25
    for href, title in links:
        h1 = [text for tag, text in headings(built_site / href) if tag == "h1"]
        assert h1[:1] == [title.replace("&amp;", "&")], href


def test_the_opener_leads_the_practice_path(built_site: Path) -> None:
    assert [href for href, _ in nav_links(built_site)][:3] == ["index.html", "opener.html", "approach.html"]
    cards = page_text(built_site / "index.html")
    assert cards.index("1 · The opener") < cards.index("2 · How to approach the answer") < cards.index("5 · Delivering the answer")


def test_the_home_page_shows_the_navigation_and_leads_to_the_tools(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation" hidden>' not in html
    body = article(built_site / "index.html")
    for href in ("opener.html", "delivery.html", "tools/builder.html", "bank/index.html", "bank/readiness.html",
                 "print/cheatsheet.html", "print/handbook.html", "print/card-p99-latency.html", "glossary.html"):
        assert f'href="{href}"' in body, href


def test_the_template_page_says_where_to_write(built_site: Path) -> None:
    body = article(built_site / "template.html")
    assert 'href="tools/builder.html"' in body
    assert "<code>handbook new your-story</code>" in body


@pytest.mark.parametrize("page", ["print/cheatsheet.html", "print/handbook.html", *(f"print/card-{slug}.html" for slug in slugs("projects"))])
def test_a_print_page_does_not_lead_into_maintainer_pages(built_site: Path, page: str) -> None:
    html = (built_site / page).read_text(encoding="utf-8")
    footer = html[html.index('<footer class="md-footer">') :]
    assert not any(p in footer for p in MAINTAINER_PAGES)


@pytest.mark.parametrize("entry", entry_ids("hypotheticals"), indirect=True)
def test_each_hypothetical_has_its_frame_a_spoken_sample_and_both_timers(built_site: Path, entry) -> None:
    page = built_site / "hypotheticals" / f"{entry.slug}.html"
    html = article(page)
    text = page_text(page)
    assert "How to answer it" in text and "Clarify first." in text and "Tie it to something you did." in text
    low, high = handbook().rules.speaking.playbook_seconds
    count = len(handbook().folder("hypotheticals"))
    assert (f"with {count} playbooks that is {count * low / 60:g}–{count * high / 60:g} minutes of your own answer") in text
    sample = re.search(r'<div class="admonition example">.*?</div>', html, flags=re.S)[0]
    words = len(re.findall(r"[\w’'.%-]+", visible(sample).removeprefix("A spoken sample")))
    wpm = handbook().rules.speaking.words_per_minute
    assert low * wpm / 60 <= words <= high * wpm / 60, f"{words} words is not {low}–{high} s at {wpm} a minute"
    assert 'id="hb-timer-playbook-title"' in html and 'id="hb-timer-hypothetical-title"' in html
    assert f"one hypothetical's playbook: aim for {low:g}–{high:g} seconds" in text


def test_the_opener_budgets_the_whole_answer_from_the_speaking_targets(built_site: Path) -> None:
    text = page_text(built_site / "opener.html")
    s = handbook().rules.speaking
    total = (s.opener_seconds[0] / 60 + 2 * s.story_minutes[0] + s.hypothetical_minutes[0],
             s.opener_seconds[1] / 60 + 2 * s.story_minutes[1] + s.hypothetical_minutes[1])
    assert f"The whole answer about {total[0]:g}–{total[1]:g} min" in text
    assert "the resume walk-through: aim for 60–90 seconds" in text
    for point in ("Recent", "At the level you are interviewing for", "Clearly yours", "Measurable", 'three "why"s',
                  "one technical", "one across teams or with a setback"):
        assert point in text


def test_an_unknown_timer_kind_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="known: story, hypothetical, playbook, opener"):
        tools.rehearsal_timer(handbook(), "speech", "x.md")
