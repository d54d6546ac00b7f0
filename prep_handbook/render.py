"""Rendering: data in, Markdown or HTML out, always through the Jinja partials.

Data is text, never markup. Escaping happens in exactly one place per output
context, the `finalize` hook of that context's Jinja environment, so every `{{ value }}`
a partial prints is escaped whatever the partial's author remembered. The folder a
partial lives in is its context (`site/x.md.j2` renders in `site`); no caller picks one.
Partials are named in lower case with hyphens; a leading `_` marks a file of macros
that other partials import.

- `site`: Markdown that MkDocs renders. Values are HTML-escaped and every ASCII
  punctuation mark is backslash-escaped (pymdownx.escapeall makes that valid for any
  character), so no value can become a link, an image, a tag, a snippet line or a
  macro.
- `html`: HTML fragments (forms, JSON islands): Jinja's HTML autoescape.
- `plain`: Markdown and YAML meant for people to copy (exports, `handbook render`):
  values are printed as typed, with newlines folded, since the output is read as text.

Identifiers (slugs, anchor ids, rule ids, field keys and paths, links to our own pages)
go out unescaped only through the `ident` filter, which checks their shape and fails
the render on anything else; `trusted` is for markup our own partials produced.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jinja2

from .figures import outcome_figures, quantity
from .paths import PARTIALS_DIR


class Trusted(str):
    """Markup produced by our own partials; printed without escaping."""

    def __html__(self) -> str:
        """Tell Jinja's HTML autoescape (the `html` context) that this is already markup."""
        return str(self)


CONTEXTS = ("site", "html", "plain")

# Slugs, ids, keys, choices (`cost-cut`, `outcome-unit`, `technical-depth`), field paths
# (`outcomes[0].value`) and links to our pages (`../playbooks/pitfalls.md#no-team`).
_IDENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(\[[0-9]+\](\.[A-Za-z0-9_][A-Za-z0-9_\-]*)?)*")
_REF = re.compile(r"(\.\./)*([A-Za-z0-9_][A-Za-z0-9_.\-]*/)*([A-Za-z0-9_][A-Za-z0-9_.\-]*)?(#[A-Za-z0-9_][A-Za-z0-9_\-]*)?")


def ident(value: Any) -> Trusted:
    """Return an identifier for printing as is; raise ValueError when it is not one."""
    text = str(value)
    if not text or ".." in text or not _IDENT.fullmatch(text):
        raise ValueError(f"not an identifier: {text!r}")
    return Trusted(text)


def ref(value: Any) -> Trusted:
    """Return a relative link to one of our pages (`../a/b.md#id`); raise ValueError on anything else."""
    text = str(value)
    if not _REF.fullmatch(text):
        raise ValueError(f"not a link to a page of the handbook: {text!r}")
    return Trusted(text)


# Every ASCII punctuation mark Markdown, attr_list, snippets or Jinja could read is backslash-escaped
# (pymdownx.escapeall makes any escaped character literal), then &, < and > become entities: one
# str.translate, a single pass in C, since pages print some hundred thousand values at 1,000 stories.
_PUNCT = "\\`*_{}[]()#+-.!|~^=:\"'$%@?,;/"
_ESCAPES = {ord(c): "\\" + c for c in _PUNCT} | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def escape_markdown(value: Any) -> str:
    """Return `value` as inert Markdown text: it renders exactly as typed."""
    if isinstance(value, Trusted):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _number(value)
    return " ".join(str(value).split()).translate(_ESCAPES)


def _plain(value: Any) -> str:
    if isinstance(value, Trusted):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return " ".join(str(value).split())


def _yaml_scalar(value: Any) -> str:
    """Quote a value for YAML when plain style would change its meaning."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else _number(value)


def _json_island(value: Any) -> Trusted:
    """Serialise data for a <script type=application/json> island, safe inside HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Trusted(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@lru_cache(maxsize=None)
def environment(context: str) -> jinja2.Environment:
    """Return the Jinja environment for an output context: site, html or plain (a folder of partials)."""
    loader = jinja2.FileSystemLoader(PARTIALS_DIR)
    common = dict(loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    if context == "site":
        env = jinja2.Environment(finalize=escape_markdown, autoescape=False, **common)
    elif context == "html":
        env = jinja2.Environment(autoescape=True, **common)
    elif context == "plain":
        env = jinja2.Environment(finalize=_plain, autoescape=False, **common)
    else:
        raise ValueError(f"unknown context {context!r}")
    env.filters["num"] = _number
    env.filters["quantity"] = quantity  # the one way a value with its unit is written (figures.py)
    env.filters["outcome_figures"] = outcome_figures  # '$184k/month → $114k/month'
    env.filters["yaml"] = _yaml_scalar
    env.filters["json_island"] = _json_island
    env.filters["trusted"] = Trusted
    env.filters["slugify"] = slugify
    env.filters["ident"] = ident
    env.filters["ref"] = ref
    env.globals["Trusted"] = Trusted
    return env


def context_of(template: str) -> str:
    """Return the output context of a partial: the folder it lives in."""
    context = template.split("/", 1)[0]
    if context not in CONTEXTS or "/" not in template:
        raise ValueError(f"partial {template!r} is not in one of the context folders {', '.join(CONTEXTS)}")
    return context


_BLANK_LINES = re.compile(r"\n{3,}")


def render(template: str, **values: Any) -> Trusted:
    """Render one partial with `values`; the folder of the partial decides how values are escaped."""
    out = environment(context_of(template)).get_template(template).render(**values)
    return Trusted(_BLANK_LINES.sub("\n\n", out))


def slugify(text: str) -> Trusted:
    """Make a lower-case anchor id from text (letters, digits, hyphens: safe in any context)."""
    return Trusted(re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "item")
