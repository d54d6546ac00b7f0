"""Search finds every word: each word of the built site, typed into its search, finds a page that holds it.

The query runs through the site's own search worker (for MkDocs and ProperDocs, Material's
lunr with the separator and pipeline of `search/search_index.json`; for Zensical, its own
engine over `search.json`), in node, with the message the page's search box sends.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from enginekit import built
from htmltext import article

pytestmark = pytest.mark.slow
HARNESS = Path(__file__).parent / "js" / "search-words.cjs"
WORD = re.compile(r"[A-Za-z]{4,}")
# Where each engine keeps its index and its worker.
INDEX = {"mkdocs": "search/search_index.json", "properdocs": "search/search_index.json", "zensical": "search.json"}


def index_docs(site: Path, engine: str) -> list[dict]:
    """Return the documents (pages and their sections) of the engine's search index."""
    index = json.loads((site / INDEX[engine]).read_text(encoding="utf-8"))
    return index["items"] if engine == "zensical" else index["docs"]


def indexed_pages(site: Path, engine: str) -> list[str]:
    """Return the pages the engine's search index covers (anchors dropped)."""
    return sorted({d["location"].split("#")[0] or "index.html" for d in index_docs(site, engine)})


def found_on(site: Path, engine: str, texts: dict[str, str]) -> dict[str, str]:
    """Return what a result can match on, per page: its text, and (Zensical) the navigation path its hits show."""
    out = dict(texts)
    for doc in index_docs(site, engine):
        page = doc["location"].split("#")[0] or "index.html"
        if page in out:
            out[page] += " " + " ".join([doc.get("title", ""), *doc.get("path", [])]).lower()
    return out


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Searchable(HTMLParser):
    """The text a search index takes from HTML: no scripts or styles, and nothing inside an element marked
    `data-search-exclude` (Material's search plugin and Zensical both leave those out); every tag a word boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0  # open elements we are inside of that the index leaves out

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")
        if tag not in VOID and (self._skip or tag in ("script", "style", "template") or "data-search-exclude" in dict(attrs)):
            self._skip += 1

    def handle_endtag(self, tag):
        self.parts.append(" ")
        if self._skip and tag not in VOID:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(path: Path) -> str:
    """Return the searchable text of a page's article, every tag a word boundary (a block's last word never runs into the next)."""
    parser = _Searchable()
    parser.feed(article(path))
    parser.close()
    return " ".join("".join(parser.parts).split())


def words_of(site: Path, pages: list[str]) -> tuple[dict[str, str], list[str]]:
    """Return each indexed page's text (lower case) and every distinct word of four letters or more in them."""
    texts = {page: text_of(site / page) for page in pages}
    # Each word as the page writes it ("XGBoost") and as a reader types it ("xgboost").
    words = sorted({v for text in texts.values() for w in WORD.findall(text) for v in (w, w.lower())}, key=lambda w: (w.lower(), w))
    return {page: text.lower() for page, text in texts.items()}, words


def search(site: Path, engine: str, words: list[str], tmp_path: Path) -> dict:
    """Ask the site's own search worker for each word; return the harness's answer."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing: apt-get install nodejs")
    [worker] = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    (tmp_path / "words.json").write_text(json.dumps(words), encoding="utf-8")
    result = subprocess.run(
        [node, str(HARNESS), str(worker), str(site / INDEX[engine]), str(tmp_path / "words.json")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_word_of_the_site_finds_a_page_that_holds_it(engine: str, tmp_path: Path) -> None:
    site = built(engine)
    texts, words = words_of(site, indexed_pages(site, engine))
    assert len(words) > 1000, "the scan reads the site's text"
    answer = search(site, engine, words, tmp_path)
    assert answer["warnings"] == []
    texts = found_on(site, engine, texts)  # Zensical also searches each page's place in the navigation
    missed = [w for w, pages in answer["results"].items() if not any(w.lower() in texts.get(p, "") for p in pages)]
    assert missed == [], f"{len(missed)} of {len(answer['results'])} words find no page that holds them: {missed[:40]}"
    dropped = {w.lower() for w in answer["dropped"]}
    if engine == "zensical":
        assert dropped == set()  # Zensical's search has no stop words: every word was asked
    else:  # Material's lunr pipeline drops its English stop words from every query, and only those
        assert {"about", "which", "would", "there"} <= dropped and len(dropped) < 60


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_words_beside_brackets_find_the_recommendations_page(engine: str, tmp_path: Path) -> None:
    """"(XGBoost)," and "(diversity," on the recommendations page are found by "xgboost" and "diversity"."""
    site = built(engine)
    answer = search(site, engine, ["xgboost", "diversity", "XGBoost"], tmp_path)
    for word in ("xgboost", "diversity", "XGBoost"):
        assert "examples/recommendations.html" in answer["results"][word], (engine, word)
