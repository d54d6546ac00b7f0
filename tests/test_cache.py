"""The loader's cache: unchanged files are not parsed or checked again; any change is seen at once."""

from __future__ import annotations

from pathlib import Path

from prep_handbook import loader
from prep_handbook.loader import load_handbook


def _title(data_dir: Path, slug: str) -> str:
    """Return the title the loader reports for one example project."""
    return load_handbook(data_dir).get("projects", slug).data["title"]


def test_unchanged_files_are_reused(project: Path) -> None:
    """A second load of the same files returns the very same checked entries, not new ones."""
    first = load_handbook(project / "data").get("projects", "p99-latency")
    second = load_handbook(project / "data").get("projects", "p99-latency")
    assert second is first


def test_same_size_rewrite_is_seen_immediately(project: Path) -> None:
    """An edit that keeps the file's size, made right after a load, shows in the next load."""
    path = project / "data" / "projects" / "p99-latency.yml"
    assert _title(project / "data", "p99-latency") == "Cutting p99 latency of a critical API"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Cutting p99 latency", "Cutting p95 latency"), encoding="utf-8")
    assert _title(project / "data", "p99-latency") == "Cutting p95 latency of a critical API"


def test_rules_change_rechecks_unchanged_stories(project: Path) -> None:
    """Editing rules.yml re-runs the checker over stories whose own files did not change."""
    data = project / "data"
    before = load_handbook(data).get("projects", "p99-latency")
    assert not [f for f in before.findings if f.rule == "team"]
    rules = data / "rules.yml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        .replace("present: [role.team_size, role.partners]", "present: [role.missing_field]")
        .replace("fields: [headline, objective, role.responsibilities, constraints", "fields: [role.missing_field, constraints"),
        encoding="utf-8",
    )
    after = load_handbook(data).get("projects", "p99-latency")
    assert after is not before
    assert [f.rule for f in after.findings if f.rule == "team"] == ["team"]


def test_broken_file_is_reported_again_after_a_fix_and_a_break(project: Path) -> None:
    """A file that was fixed and broken again is reported again: the cache never hides a problem."""
    path = project / "data" / "projects" / "p99-latency.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("team_size: 3", "team_size: x"), encoding="utf-8")
    for _ in range(2):
        try:
            load_handbook(project / "data")
        except loader.DataError as exc:
            assert [p.field for p in exc.problems] == ["role.team_size"]
        else:
            raise AssertionError("the broken file loaded")
        path.write_text(good, encoding="utf-8")
        assert _title(project / "data", "p99-latency") == "Cutting p99 latency of a critical API"
        path.write_text(good.replace("team_size: 3", "team_size: x"), encoding="utf-8")


def test_only_the_edited_story_rewrites_its_page_stub(project: Path) -> None:
    """After an edit to one story, only that story's stub is rewritten, so a dirty rebuild renders one page."""
    from prep_handbook import bank

    data, docs = project / "data", project / "docs"
    slugs = sorted(p.stem for p in (data / "stories").glob("*.yml"))
    assert len(slugs) >= 2
    bank.write_story_stubs(load_handbook(data), docs)
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [], "removed": []}
    edited = data / "stories" / f"{slugs[0]}.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("headline: ", "headline: Edited. ", 1), encoding="utf-8")
    assert bank.write_story_stubs(load_handbook(data), docs) == {"written": [slugs[0]], "removed": []}


def test_a_rules_change_rewrites_every_story_stub(project: Path) -> None:
    """Editing rules.yml rewrites every story's stub: the rules are part of what each story page shows."""
    from prep_handbook import bank

    data, docs = project / "data", project / "docs"
    before = load_handbook(data)
    bank.write_story_stubs(before, docs)
    rules = data / "rules.yml"
    text = rules.read_text(encoding="utf-8")
    assert "  - id: vague-words\n    applies_to: story\n" in text
    rules.write_text(text.replace("  - id: vague-words\n    applies_to: story\n", "  - id: vague-words\n    applies_to: hypothetical\n"), encoding="utf-8")
    written = bank.write_story_stubs(load_handbook(data), docs)["written"]
    assert written == [e.slug for e in before.folder("stories")]
