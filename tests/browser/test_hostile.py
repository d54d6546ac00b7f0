"""Data is text, never markup: hostile stories show as typed, run nothing and keep the layout."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from support import copy_project, mkdocs_build

from .kit import ROOT

pytestmark = pytest.mark.browser

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
STORIES = sorted(p.stem for p in HOSTILE.glob("*.yml"))

# What a page may contain that no story text may add.
INJECTED = """() => {
  const content = document.querySelector('.md-content');
  const onAttrs = [...document.querySelectorAll('*')]
    .flatMap(el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => `${el.tagName}[${a.name}]`));
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    tags: [...content.querySelectorAll('script, iframe, object, embed, img, svg:not(.md-icon svg), style, link, meta, base, form, input, textarea, button, marquee, details, hr, h1 ~ h1')]
      // The page's own rehearsal timer (its buttons and its script) is ours, not the story's.
      .filter(el => !el.closest('[data-timer]') && !(el.tagName === 'SCRIPT' && (el.getAttribute('src') || '').endsWith('assets/handbook/timer.js')))
      .map(el => el.tagName.toLowerCase()),
    hrefs: [...document.querySelectorAll('a[href], [src]')]
      .map(el => el.getAttribute('href') || el.getAttribute('src'))
      .filter(u => /^\\s*(javascript|data:text\\/html)|evil\\.example/i.test(u)),
    onAttrs,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def strings(value) -> Iterator[str]:
    """Yield every text value of a story, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def squash(text: str) -> str:
    """Fold runs of whitespace to one space, as a page shows text."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose story bank holds the hostile stories, built strictly."""
    tmp = tmp_path_factory.mktemp("hostile")
    project = copy_project(tmp / "project")
    for path in HOSTILE.glob("*.yml"):
        shutil.copy(path, project / "data" / "stories" / path.name)
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def test_the_corpus_holds_every_kind_of_hostile_text() -> None:
    text = "\n".join(s for p in HOSTILE.glob("*.yml") for s in strings(yaml.safe_load(p.read_text(encoding="utf-8"))))
    for needle in ["<script>", "onerror=", "javascript:", "](https://", "![", "&amp;", "{{ config }}",
                   "{% include", '--8<-- "/etc/passwd"', "\u202e", "🚀", "\u0324", "ש", "a" * 150]:
        assert needle.lower() in text.lower(), needle


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("slug", STORIES)
def test_hostile_story_shows_every_field_as_typed_and_runs_nothing(open_page, hostile_site: Path, slug: str, width: int) -> None:
    story = yaml.safe_load((HOSTILE / f"{slug}.yml").read_text(encoding="utf-8"))
    page, guard = open_page(width=width)
    page.goto((hostile_site / "bank" / "stories" / f"{slug}.html").as_uri())
    page.mouse.move(200, 300)
    page.keyboard.press("Tab")
    shown = squash(page.locator(".md-content").inner_text())
    missing = [s for s in strings(story) if squash(s) not in shown]
    assert missing == [], "not shown as typed"
    assert squash(story["title"]) in page.title()
    seen = page.evaluate(INJECTED)
    assert seen == {"pwned": None, "tags": [], "hrefs": [], "onAttrs": [], "overflow": 0}
    assert "root:x:0:0" not in shown and "Prep Handbook" not in shown  # no file read, no config printed
    assert guard.problems() == []


def test_hostile_titles_are_text_in_the_bank_index_and_its_filter(open_page, hostile_site: Path) -> None:
    page, guard = open_page(width=390)
    page.goto((hostile_site / "bank" / "index.html").as_uri())
    shown = squash(page.locator(".md-content").inner_text())
    for slug in STORIES:
        title = yaml.safe_load((HOSTILE / f"{slug}.yml").read_text(encoding="utf-8"))["title"]
        assert squash(title) in shown, title
    search = page.locator(".md-content input[type=search], .md-content input[type=text]").first
    if search.count():
        search.fill("<script>")
        search.press("End")
    seen = page.evaluate(INJECTED)
    assert seen["pwned"] is None and seen["hrefs"] == [] and seen["onAttrs"] == [] and seen["overflow"] == 0
    assert guard.problems() == []


def test_site_search_lists_a_hostile_story_as_text(open_page, hostile_site: Path) -> None:
    page, guard = open_page()
    page.goto((hostile_site / "index.html").as_uri())
    page.locator(".md-search__input").focus()
    page.wait_for_function("() => !/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.locator(".md-search__input").fill("shards")
    page.locator(".md-search__input").press("End")
    page.wait_for_function("() => document.querySelectorAll('a.md-search-result__link').length > 0")
    results = page.locator(".md-search-result").inner_text()
    assert '<script>window.__pwned = "title"</script>Script in the title' in results
    assert "Parallel test shards <x onclick=alert(1)>" in results
    assert page.evaluate(INJECTED)["pwned"] is None
    assert guard.problems() == []


def test_the_checks_see_an_injected_element(open_page, hostile_site: Path) -> None:
    page, _ = open_page()
    page.goto((hostile_site / "bank" / "stories" / "html-tags.html").as_uri())
    page.evaluate("""document.querySelector('.md-content p')
        .insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.__pwned = 1">')""")
    page.wait_for_function("() => window.__pwned === 1")
    seen = page.evaluate(INJECTED)
    assert seen["pwned"] == "1" and seen["tags"] == ["img"] and seen["onAttrs"] == ["IMG[onerror]"]
