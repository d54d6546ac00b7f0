"""Rendering: data in, Markdown or HTML out, always through the Jinja partials.

Data is text, never markup. Escaping happens in exactly one place per output
context, the `finalize` hook of that context's Jinja environment, so every `{{ value }}`
a partial prints is escaped whatever the partial's author remembered:

- `site`: Markdown that MkDocs renders. Values are HTML-escaped and every ASCII
  punctuation mark is backslash-escaped (pymdownx.escapeall makes that valid for any
  character), so no value can become a link, an image, a tag, a snippet line or a
  macro.
- `html`: HTML fragments (forms, JSON islands): Jinja's HTML autoescape.
- `plain`: Markdown and YAML meant for people to copy (exports, `handbook render`):
  values are printed as typed, with newlines folded, since the output is read as text.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

import jinja2

from .paths import PARTIALS_DIR


class Trusted(str):
    """Markup produced by our own partials; printed without escaping."""

    def __html__(self) -> str:
        """Tell Jinja's HTML autoescape (the `html` context) that this is already markup."""
        return str(self)


_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:\"'$%@?,;/])")


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
    text = " ".join(str(value).split())
    text = _PUNCT.sub(r"\\\1", text)
    return html.escape(text, quote=False)


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
    """Return the Jinja environment for an output context: site, html or plain."""
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
    env.filters["yaml"] = _yaml_scalar
    env.filters["json_island"] = _json_island
    env.filters["trusted"] = Trusted
    env.filters["slugify"] = slugify
    env.globals["Trusted"] = Trusted
    return env


def render(template: str, context: str = "site", **values: Any) -> Trusted:
    """Render one partial with `values`; the result is trusted markup of that context."""
    out = environment(context).get_template(template).render(**values)
    return Trusted(re.sub(r"\n{3,}", "\n\n", out))


def slugify(text: str) -> Trusted:
    """Make a lower-case anchor id from text (letters, digits, hyphens: safe in any context)."""
    return Trusted(re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "item")
