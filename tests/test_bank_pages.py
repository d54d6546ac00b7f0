"""The bank's generated pages: each story's page and print card written as finished Markdown, rendered once.

`bank.write_story_stubs` writes `docs/bank/stories/<slug>.md` and `docs/print/bank/<slug>.md` with the
story already rendered (`render_macros: false`: mkdocs-macros and Zensical compile no template per
story, and story text is never read as one), skips a file whose digest is current, and each story's
body is rendered once per build however many pages show it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import ROOT, copy_project, handbook
from prep_handbook import bank, pages, printing, render
from prep_handbook.loader import load_handbook

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def split(path: Path) -> tuple[list[str], str]:
    """Return a generated page's front matter lines and its Markdown."""
    front, markdown = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    return front.splitlines(), markdown


def texts(value) -> list[str]:
    """Return every text a story's data holds."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process remembers of the last pages it wrote, as a new build would."""
    monkeypatch.setattr(bank, "_WRITTEN", {})
    monkeypatch.setattr(bank, "_DIGESTS", {})
    monkeypatch.setattr(bank, "_SEEN", {})
    pages._VIEWS.clear()


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every partial rendered from now on."""
    seen: list[str] = []

    def counting(template: str, **values):
        seen.append(template)
        return render.render(template, **values)

    for module in (bank, pages, printing):
        monkeypatch.setattr(module, "render", counting)
    return seen


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project copy whose bank holds the hostile stories (text built to be read as markup)."""
    project = copy_project(tmp_path / "project")
    for path in HOSTILE.glob("*.yml"):
        shutil.copy(path, project / "data" / "stories" / path.name)
    return project


def test_a_hostile_storys_pages_are_finished_markdown_with_no_template_or_markup(hostile: Path) -> None:
    """The generated page and card hold the story rendered and escaped, marked `render_macros: false`."""
    loaded = load_handbook(hostile / "data")
    bank.write_story_stubs(loaded, hostile / "docs")
    slugs = sorted(p.stem for p in HOSTILE.glob("*.yml"))
    assert slugs == ["html-tags", "links-and-templates", "unicode"]
    for slug in slugs:
        for path in (hostile / "docs" / "bank" / "stories" / f"{slug}.md", hostile / "docs" / "print" / "bank" / f"{slug}.md"):
            front, markdown = split(path)
            assert "render_macros: false" in front, path
            story = loaded.get("stories", slug).data
            assert render.escape_markdown(story["title"]) in markdown and render.escape_markdown(story["headline"]) in markdown
            dangerous = [t for t in texts(story) if any(m in t for m in ("<", "{{", "{%", "](", "--8<--"))]
            assert bool(dangerous) == (slug != "unicode"), slug  # the unicode story is hostile to layout, not markup
            for text in dangerous:  # none of it reaches the page as typed: it would be markup there
                assert " ".join(text.split()) not in markdown, (path.name, text)


def test_a_repeat_build_renders_no_page_and_an_edit_renders_only_its_story(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages whose digest is current are not rendered again; an edited story's page and card are, and nothing else."""
    data, docs = project / "data", project / "docs"
    bank.write_story_stubs(load_handbook(data), docs)
    stories = sorted(p.stem for p in (data / "stories").glob("*.yml"))
    before = {p: p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    fresh_process(monkeypatch)
    seen = count_renders(monkeypatch)
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [], "removed": []}
    assert seen == []
    assert {p: p.read_text(encoding="utf-8") for p in docs.rglob("*.md")} == before

    edited = data / "stories" / f"{stories[0]}.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("headline: ", "headline: Edited. ", 1), encoding="utf-8")
    fresh_process(monkeypatch)
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [stories[0]], "removed": []}
    assert sorted(set(seen) & {"site/story-body.md.j2", "site/print-card.md.j2"}) == ["site/print-card.md.j2", "site/story-body.md.j2"]
    assert seen.count("site/story-body.md.j2") == 1 and seen.count("site/print-card.md.j2") == 1
    changed = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.read_text(encoding="utf-8") != before.get(p))
    assert changed == [f"bank/stories/{stories[0]}.md", f"print/bank/{stories[0]}.md"]
    assert "Edited\\. " in (docs / "bank" / "stories" / f"{stories[0]}.md").read_text(encoding="utf-8")  # as escaped Markdown


def test_in_one_server_process_an_edit_rewrites_its_pages_and_a_deleted_page_comes_back(project: Path) -> None:
    """`make serve` loads the data again on each save, in one process that remembers digests and notes."""
    data, docs = project / "data", project / "docs"
    bank.write_story_stubs(load_handbook(data), docs)
    slug = sorted(p.stem for p in (data / "stories").glob("*.yml"))[0]
    (docs / "print" / "bank" / f"{slug}.md").unlink()
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [], "removed": []}  # written: story pages only
    assert (docs / "print" / "bank" / f"{slug}.md").is_file()
    (docs / "bank" / "stories" / f"{slug}.md").unlink()
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [slug], "removed": []}
    first_page = (docs / "bank" / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    first_card = (docs / "print" / "bank" / f"{slug}.md").read_text(encoding="utf-8")
    edited = data / "stories" / f"{slug}.yml"
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("headline: ", "headline: Edited again. ", 1), encoding="utf-8")
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [slug], "removed": []}
    assert "Edited again\\. " in (docs / "bank" / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    assert "Edited again\\. " in (docs / "print" / "bank" / f"{slug}.md").read_text(encoding="utf-8")
    edited.write_text(original, encoding="utf-8")  # and back: the pages are the first ones again
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [slug], "removed": []}
    assert (docs / "bank" / "stories" / f"{slug}.md").read_text(encoding="utf-8") == first_page
    assert (docs / "print" / "bank" / f"{slug}.md").read_text(encoding="utf-8") == first_card


def test_a_partial_edit_renders_every_page_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest covers the renderer: a changed partial is not hidden behind pages written by the old one."""
    data, docs = project / "data", project / "docs"
    bank.write_story_stubs(load_handbook(data), docs)
    monkeypatch.setattr(bank, "renderer_version", lambda: "a-new-partial")
    fresh_process(monkeypatch)
    written = bank.write_story_stubs(load_handbook(data), docs)["written"]
    assert written == [e.slug for e in load_handbook(data).folder("stories")]


def test_each_story_body_is_rendered_once_for_its_page_and_the_whole_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build renders each story's body once: its page and the whole-handbook page share it; durations are worked out once."""
    loaded = handbook()
    fresh_process(monkeypatch)
    seen = count_renders(monkeypatch)
    minutes = []
    monkeypatch.setattr(pages, "spoken_minutes", lambda *a: minutes.append(a) or 2.0)
    bank.write_story_stubs(loaded, tmp_path / "docs")
    printing.whole_handbook(loaded, "print/handbook.md", "Prep Handbook")
    bank.index_page(loaded)
    bank.readiness_page(loaded)
    stories, projects = loaded.folder("stories"), loaded.folder("projects")
    assert seen.count("site/story-body.md.j2") == len(stories) + len(projects)
    assert seen.count("site/print-card.md.j2") == len(stories)
    assert len(minutes) == len(stories) + len(projects)


def test_a_repeat_build_takes_bodies_and_durations_from_the_current_pages(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With every page current, the bank's lists and the whole handbook render no story body and time no story again,
    and show exactly what a build from nothing shows."""
    data, docs = project / "data", project / "docs"
    first = load_handbook(data)
    bank.write_story_stubs(first, docs)
    expected = [printing.whole_handbook(first, "print/handbook.md", "Prep Handbook"), bank.index_page(first), bank.readiness_page(first)]
    fresh_process(monkeypatch)
    again = load_handbook(data)
    seen = count_renders(monkeypatch)
    timed = []
    real = pages.spoken_minutes
    monkeypatch.setattr(pages, "spoken_minutes", lambda *a: timed.append(a) or real(*a))
    bank.write_story_stubs(again, docs)
    shown = [printing.whole_handbook(again, "print/handbook.md", "Prep Handbook"), bank.index_page(again), bank.readiness_page(again)]
    assert seen.count("site/story-body.md.j2") == len(again.folder("projects"))  # the worked examples have no generated page
    assert len(timed) == len(again.folder("projects"))
    assert shown == expected
