"""Every internal link, source and anchor of the built site resolves; nothing a page needs comes from the network."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# Attributes that load something the page needs to render, by tag.
NEEDED = {"script": "src", "img": "src", "source": "src", "iframe": "src", "video": "src", "audio": "src", "embed": "src", "object": "data"}
RENDER_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon", "prefetch"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+['"]([^'"]+)['"]""")


@dataclass
class Page:
    """The links, resources and ids of one HTML page."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) a reader follows
    needed: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) the page loads to render


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            (self.page.needed if rels & RENDER_RELS else self.page.links).append((f"link[{' '.join(sorted(rels))}]", a["href"]))
        elif tag in NEEDED and a.get(NEEDED[tag]):
            self.page.needed.append((tag, a[NEEDED[tag]]))
        elif tag == "a" and "href" in a:
            self.page.links.append(("a", a["href"]))
        if a.get("srcset"):
            self.page.needed.extend((tag, part.split()[0]) for part in a["srcset"].split(",") if part.strip())


def parse(path: Path) -> Page:
    """Collect the ids, links and needed resources of a built page."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def is_external(url: str) -> bool:
    """Return whether a URL points off the site (another scheme or host)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob")


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """Return the file an internal URL points at and its fragment ('' when none)."""
    parts = urlsplit(url)
    if not parts.path:
        return page, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def crawl(site: Path) -> tuple[list[str], list[str], int]:
    """Check every page; return the broken internal links, the external render resources and how many links were checked."""
    pages = {path.resolve(): parse(path) for path in site.rglob("*.html")}
    broken, external, checked = [], [], 0
    for path, page in sorted(pages.items()):
        shown = path.relative_to(site.resolve()).as_posix()
        for kind, items in (("link", page.links), ("resource", page.needed)):
            for tag, url in items:
                if url.startswith(("mailto:", "tel:", "data:")):
                    continue
                if is_external(url):
                    if kind == "resource":
                        external.append(f"{shown}: <{tag}> {url}")
                    continue
                checked += 1
                target, fragment = resolve(site, path, url)
                if not target.is_file():
                    broken.append(f"{shown}: <{tag}> {url} -> missing file")
                elif fragment and target.suffix == ".html":
                    ids = pages[target].ids if target in pages else parse(target).ids
                    if fragment not in ids:
                        broken.append(f"{shown}: <{tag}> {url} -> no id '{fragment}'")
    return broken, external, checked


def css_references(site: Path) -> list[tuple[str, str]]:
    """Return every url() and @import of the site's stylesheets, with the stylesheet it is in."""
    found = []
    for css in site.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = match.group(2) or match.group(3)
            found.append((css.relative_to(site).as_posix(), url.strip()))
    return found


def test_every_internal_link_source_and_anchor_resolves(built_site: Path) -> None:
    broken, external, checked = crawl(built_site)
    assert broken == []
    assert external == [], "a page needs the network to render"
    assert checked > 500  # the site's navigation alone links every page from every page


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_the_fallback_engines_links_and_sources_resolve_too(engine: str) -> None:
    """The ProperDocs and Zensical builds (as `make build-properdocs` / `make build-zensical` write them) have no broken link either."""
    from enginekit import built

    broken, external, checked = crawl(built(engine))
    assert broken == []
    assert external == [], "a page needs the network to render"
    assert checked > 500


def test_stylesheets_load_nothing_from_the_network(built_site: Path) -> None:
    refs = css_references(built_site)
    assert refs, "no url() found: the scan reads nothing"
    external = [f"{css}: {url}" for css, url in refs if is_external(url) and not url.startswith("data:")]
    assert external == []
    missing = [
        f"{css}: {url}" for css, url in refs
        if not is_external(url) and not url.startswith(("data:", "#"))
        and not (built_site / Path(css).parent / urlsplit(url).path).resolve().is_file()
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("html", "expected_broken", "expected_external"),
    [
        ('<h1 id="top">T</h1><a href="#top">ok</a><a href="index.html#top">ok</a>', [], []),
        ('<a href="#nowhere">x</a>', ["page.html: <a> #nowhere -> no id 'nowhere'"], []),
        ('<a href="gone.html">x</a>', ["page.html: <a> gone.html -> missing file"], []),
        ('<img src="pic.png" alt="">', ["page.html: <img> pic.png -> missing file"], []),
        ('<a href="https://example.org/">fine: a reader may follow it</a>', [], []),
        ('<link rel="stylesheet" href="https://cdn.example.org/x.css">', [], ["page.html: <link[stylesheet]> https://cdn.example.org/x.css"]),
        ('<script src="//cdn.example.org/x.js"></script>', [], ["page.html: <script> //cdn.example.org/x.js"]),
    ],
)
def test_the_crawler_reports_what_is_broken(tmp_path: Path, html: str, expected_broken: list[str], expected_external: list[str]) -> None:
    (tmp_path / "index.html").write_text('<h1 id="top">Home</h1>', encoding="utf-8")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    broken, external, _ = crawl(tmp_path)
    assert broken == expected_broken
    assert external == expected_external
