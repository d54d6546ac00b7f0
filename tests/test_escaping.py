"""Partials and escaping: the folder of a partial is its context, hostile text stays text, identifiers are checked."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from prep_handbook.paths import PARTIALS_DIR
from prep_handbook.render import context_of, escape_markdown, ident, ref, render

ROOT = Path(__file__).resolve().parent.parent

# Text a writer might type that Markdown, HTML, Jinja, snippets or attr_list would act on.
HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![pic](https://evil.example/x.png)",
    "<https://evil.example>",
    "https://evil.example/auto",
    "**bold** _em_ `code` ~~gone~~",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "| not | a | table |",
    "a | pipe in a cell",
    "{ #id .class onclick=x }",
    "{{ config }} {% include 'x' %}",
    '--8<-- "/etc/passwd"',
    "&amp; &lt;b&gt; &#60;",
    "back\\slash \\* \\_",
    "*[HTML]: abbreviation",
    "!!! note \"admonition\"",
    "term\n:   definition",
    "line one\n\nline two",
    "$184k/month → $114k/month (−38%)",
    "2:30, no, on, 1.10, 2026-01-05",
    "\u202eevil\u202c 🚀 ש a\u0324",
    "trailing two spaces  ",
]

# Where the site partials put a value that comes from the data; `{v}` is the escaped value.
PLACES = {
    "paragraph": ("{v}", "p"),
    "list item": ("- {v}", "li"),
    "bold label": ("- **{v}** after", "strong"),
    "link text": ("[{v}](page.md)", "a"),
    "heading": ("## {v} {{ #anchor }}", "h2"),
    "table cell": ("| Head |\n| --- |\n| {v} |", "td"),
}


def site_markdown() -> markdown.Markdown:
    """Return a Markdown converter with the site's extensions and settings from mkdocs.yml."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name == "pymdownx.snippets":
            options = {**options, "base_path": [str(ROOT / "docs" / "snippets")]}
        names.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class Element(HTMLParser):
    """Collect the text of the first element with a given tag, and every tag seen."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.depth, self.text, self.tags, self.attrs = tag, 0, [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        if self.depth or (tag == self.tag and not self.text):
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    """The site's Markdown converter, built once."""
    return site_markdown()


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("value", HOSTILE, ids=[f"{i:02}" for i in range(len(HOSTILE))])
def test_escaped_text_renders_as_typed(md: markdown.Markdown, value: str, place: str) -> None:
    source, tag = PLACES[place]
    html = md.reset().convert(source.format(v=escape_markdown(value)))
    element = Element(tag)
    element.feed(html)
    shown = " ".join("".join(element.text).split()).removesuffix("¶")  # a heading's permalink
    assert shown == " ".join(value.split()), html
    if not value.strip():
        return
    # The value added no element and no attribute of its own.
    expected = {"paragraph": ["p"], "list item": ["ul", "li"], "bold label": ["ul", "li", "strong"],
                "link text": ["p", "a"], "heading": ["h2", "a"], "table cell": ["table", "thead", "tr", "th", "tbody", "tr", "td"]}
    assert element.tags == expected[place], html
    for _, attrs in element.attrs:
        assert set(attrs) <= {"href", "id", "class", "title"}, html
        assert attrs.get("href") in (None, "page.md", "#anchor"), html
        assert attrs.get("id") in (None, "anchor"), html
        assert attrs.get("class") in (None, "headerlink"), html


def test_escaping_is_needed_for_the_table_to_mean_anything(md: markdown.Markdown) -> None:
    """The negative control: the same strings unescaped do become markup."""
    raw = md.reset().convert("[click](javascript:alert(1)) **bold** <script>x</script>")
    assert 'href="javascript:alert(1)"' in raw and "<strong>" in raw and "<script>" in raw


@pytest.mark.parametrize("value", ["cost-cut", "outcome-unit", "technical-depth", "team_size", "outcomes[0].value", "a1", "objective.goal"])
def test_ident_passes_identifiers_unchanged(value: str) -> None:
    assert ident(value) == value


@pytest.mark.parametrize(
    "value",
    ["", "cost cut", "a`b", "x</span><script>", '"quoted"', "a*b*", "[x](y)", "../up", "-dash-first", "{{ x }}", "a\nb", "é"],
)
def test_ident_refuses_anything_else(value: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"not an identifier: {value!r}")):
        ident(value)


@pytest.mark.parametrize("value", ["", "../", "../../", "playbooks/pitfalls.md#no-team", "../approach.md#timing", "stories/cost-cut.md"])
def test_ref_passes_links_to_our_pages(value: str) -> None:
    assert ref(value) == value


@pytest.mark.parametrize("value", ["javascript:alert(1)", "https://evil.example/", "/etc/passwd", "a b.md", "x.md#a b", "x.md)", "..//x"])
def test_ref_refuses_anything_else(value: str) -> None:
    with pytest.raises(ValueError, match="not a link to a page of the handbook"):
        ref(value)


def test_an_identifier_that_is_not_one_fails_the_render() -> None:
    with pytest.raises(ValueError, match=re.escape("""not an identifier: 'x") }}'""")):
        render("plain/bank-page.md.j2", slug='x") }}', source="", markdown="")


PARTIALS = sorted(p.relative_to(PARTIALS_DIR).as_posix() for p in PARTIALS_DIR.rglob("*.j2"))
SUFFIXES = {"site": (".md.j2",), "html": (".html.j2",), "plain": (".md.j2", ".yml.j2")}


@pytest.mark.parametrize("name", PARTIALS)
def test_each_partial_lives_in_its_context_folder_with_one_naming_style(name: str) -> None:
    folder, _, file = name.partition("/")
    assert context_of(name) == folder
    assert file.endswith(SUFFIXES[folder]), f"{name}: a {folder} partial ends in {' or '.join(SUFFIXES[folder])}"
    assert re.fullmatch(r"_?[a-z0-9]+(-[a-z0-9]+)*\.[a-z]+\.j2", file), f"{name}: lower case words joined by hyphens"


@pytest.mark.parametrize("name", ["bank-stub.md.j2", "text/x.md.j2", "../x.md.j2"])
def test_a_partial_outside_the_context_folders_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="is not in one of the context folders site, html, plain"):
        context_of(name)
