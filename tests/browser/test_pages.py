"""Every page in chromium, from disk and from `mkdocs serve`: offline, error-free, searchable, copyable."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from prep_handbook.loader import load_handbook
from prep_handbook.pages import blank_markdown

from .kit import ROOT, SEARCH_INDEX, search_hrefs, search_results, site_pages

pytestmark = pytest.mark.browser

NOT_FOUND = "console: Failed to load resource: the server responded with a status of 404 (Not Found)"

ORIGINS = ("file", "http")
# Words lunr drops as too common; a search for them finds nothing.
STOP_WORDS = {"because", "between", "however", "neither", "rather", "should", "though", "through"}
WORD = re.compile(r"[a-z]{6,}")


def page_words(site: Path, engine: str = "mkdocs") -> dict[str, set[str]]:
    """Return the words of each page, as the engine's search index holds them."""
    path, key = SEARCH_INDEX[engine]
    index = json.loads((site / path).read_text(encoding="utf-8"))
    words: dict[str, set[str]] = {}
    for doc in index[key]:
        page = doc["location"].split("#")[0] or "index.html"
        text = html.unescape(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])).lower()
        words.setdefault(page, set()).update(WORD.findall(text))
    return words


def rarest_word(site: Path, page_path: str, engine: str = "mkdocs") -> str:
    """Return a word of the page that the fewest other pages contain (alphabetically first on ties)."""
    words = page_words(site, engine)
    mine = words[page_path] - STOP_WORDS
    return min(mine, key=lambda w: (sum(w in other for other in words.values()), w))


def test_the_suite_covers_every_page_of_the_site(site: Path) -> None:
    pages = site_pages(site)
    assert {"index.html", "template.html", "examples/p99-latency.html", "playbooks/pitfalls.html"} <= set(pages)
    assert len(pages) == len(list(site.rglob("*.html"))) - 1  # every page but the server's 404.html


def test_page_loads_offline_with_no_error(open_page, url_of, origin: str, page_path: str) -> None:
    page, guard = open_page()
    response = page.goto(url_of(origin, page_path))
    page.wait_for_load_state("networkidle")
    assert response is None or response.ok
    assert page.locator(".md-content h1").first.is_visible()
    assert page.evaluate("typeof document$") == "object", "Material's JavaScript did not start"
    assert guard.problems() == []


def test_search_finds_a_word_of_the_page_and_opens_it(open_page, url_of, site: Path, engine: str, origin: str, page_path: str) -> None:
    if page_path not in page_words(site, engine):
        source = (ROOT / "docs" / page_path).with_suffix(".md").read_text(encoding="utf-8")
        assert re.search(r"^search:\s*\n\s+exclude:\s*true", source, re.M), f"{page_path} is missing from the search index"
        return  # kept out of search on purpose, by its front matter
    word = rarest_word(site, page_path, engine)
    target = url_of(origin, page_path)
    title = page_title(site, page_path)
    page, guard = open_page()
    page.goto(url_of(origin, "index.html" if page_path != "index.html" else "approach.html"))
    hrefs = search_hrefs(page, engine, word)
    hits = [i for i, href in enumerate(hrefs) if href.split("#")[0].split("?")[0] == target]
    assert hits, f"searching {word!r} did not list {page_path}: {hrefs}"
    search_results(page, engine).nth(hits[0]).click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].split("?")[0] == target
    assert page.locator(".md-content h1").first.inner_text().replace("¶", "").strip() == title
    assert guard.problems() == []


def page_title(site: Path, page_path: str) -> str:
    """Return the text of the page's first heading, from the built HTML."""
    text = (site / page_path).read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", h1)).replace("¶", "").strip()


@pytest.mark.parametrize("origin", ORIGINS)
def test_copy_button_copies_exactly_the_template_markdown_shown(open_page, url_of, origin: str) -> None:
    page, guard = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(url_of(origin, "template.html"))
    block = page.locator(".hb-template-markdown")
    shown = block.locator("code").evaluate("code => code.textContent")
    page.evaluate("navigator.clipboard.writeText('clipboard before the click')")
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown.rstrip("\n")
    assert copied == blank_markdown(load_handbook(ROOT / "data")).rstrip("\n")
    assert copied.startswith("# Project story: <title>\n\n## Project\n\n<!-- One-line headline")
    assert guard.problems() == []


def test_the_request_guard_blocks_a_request_to_another_host(open_page, site: Path) -> None:
    page, guard = open_page()
    page.goto((site / "index.html").as_uri())
    page.evaluate("""() => new Promise(done => {
        const img = new Image(); img.onerror = img.onload = done; img.src = 'https://cdn.example.invalid/x.png';
    })""")
    assert guard.blocked == ["https://cdn.example.invalid/x.png"]
    guard.blocked.clear()  # this control's request was meant to be blocked; do not count it


def test_the_server_answers_an_unknown_page_with_the_404_page(open_page, server) -> None:
    page, guard = open_page()
    response = page.goto(server.url + "no-such-page.html")
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator(".md-content h1").inner_text().replace("¶", "").strip() == "404 - Not found"
    assert page.locator(".md-header").is_visible(), "the 404 page lost its stylesheet"
    assert guard.problems() == [NOT_FOUND]  # the page's own status, and nothing else
