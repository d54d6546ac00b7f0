"""Read built pages as a reader sees them: visible text, headings and links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._skip = 0
        self._heading: list[str] | None = None
        self._level = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._level = [], tag

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1
        if tag == self._level and self._heading is not None:
            self.headings.append((tag, " ".join("".join(self._heading).split()).rstrip("¶").strip()))
            self._heading = None
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "br"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._heading is not None:
                self._heading.append(data)


def article(path: Path) -> str:
    """Return the HTML of a page's main article only (no nav, header or footer)."""
    html = path.read_text(encoding="utf-8")
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


def page_text(path: Path) -> str:
    """Return the visible text of a page's article, whitespace folded."""
    parser = _Text()
    parser.feed(article(path))
    return " ".join("".join(parser.parts).split())


def headings(path: Path) -> list[tuple[str, str]]:
    """Return (tag, text) of the article's headings."""
    parser = _Text()
    parser.feed(article(path))
    return parser.headings


def numbers_in(value) -> list[str]:
    """Return every number that appears in a data value, as text (620, 0.7, 13.8)."""
    found: list[str] = []
    if isinstance(value, bool):
        return found
    if isinstance(value, (int, float)):
        return [f"{value:g}"]
    if isinstance(value, str):
        return re.findall(r"\d+(?:\.\d+)?", value)
    if isinstance(value, list):
        for item in value:
            found += numbers_in(item)
    if isinstance(value, dict):
        for item in value.values():
            found += numbers_in(item)
    return found
