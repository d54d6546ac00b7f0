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


# --- the on-disk cache of checked entries (.cache/handbook/) --------------------------------


def _new_process(monkeypatch) -> list[Path]:
    """Forget what this process remembers, as a fresh build would; return the files load_entry checks from now on."""
    loader._PARSED.clear()
    loader._CHECKED.clear()
    loader._SETTINGS.clear()
    checked: list[Path] = []
    real = loader.load_entry

    def counting(path, *args, **kwargs):
        checked.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_entry", counting)
    return checked


def _story_files(data: Path) -> list[Path]:
    """The project's stories, with its prep kits set aside (a kit is checked afresh every time, with what it names)."""
    import shutil

    shutil.rmtree(data / "kits", ignore_errors=True)
    from prep_handbook.paths import FOLDER_KINDS

    return sorted(p for folder in FOLDER_KINDS if folder != "kits" for p in (data / folder).glob("*.yml"))


def test_a_repeat_load_checks_no_unchanged_file_again(project: Path, monkeypatch) -> None:
    data = project / "data"
    _story_files(data)
    first = load_handbook(data).get("projects", "p99-latency")
    checked = _new_process(monkeypatch)
    second = load_handbook(data).get("projects", "p99-latency")
    assert checked == []  # every entry came from .cache/handbook/
    assert (second.data, second.findings) == (first.data, first.findings)
    assert (project / ".cache" / "handbook").is_dir()


def test_an_edited_story_is_checked_again_and_only_it(project: Path, monkeypatch) -> None:
    data = project / "data"
    _story_files(data)
    load_handbook(data)
    path = data / "projects" / "p99-latency.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Cutting p99 latency", "Cutting p95 latency"), encoding="utf-8")
    checked = _new_process(monkeypatch)
    assert _title(data, "p99-latency") == "Cutting p95 latency of a critical API"
    assert checked == [path]


def test_a_rules_or_template_change_checks_every_file_again(project: Path, monkeypatch) -> None:
    data = project / "data"
    _story_files(data)
    before = load_handbook(data).get("projects", "p99-latency")
    assert not [f for f in before.findings if f.rule == "team"]
    rules = data / "rules.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("present: [role.team_size, role.partners]", "present: [role.missing_field]"), encoding="utf-8")
    checked = _new_process(monkeypatch)
    after = load_handbook(data).get("projects", "p99-latency")
    assert [f.rule for f in after.findings if f.rule == "team"] == ["team"]
    assert sorted(checked) == sorted(p for p in _story_files(data))
    template = data / "template.yml"
    template.write_text(template.read_text(encoding="utf-8") + "\n# a comment changes the bytes\n", encoding="utf-8")
    checked = _new_process(monkeypatch)
    load_handbook(data)
    assert sorted(checked) == sorted(p for p in _story_files(data))


def test_a_new_checker_does_not_reuse_old_answers(project: Path, monkeypatch) -> None:
    from prep_handbook import diskcache

    data = project / "data"
    _story_files(data)
    load_handbook(data)
    checked = _new_process(monkeypatch)
    monkeypatch.setattr(diskcache, "_CODE", b"another version of the package")
    load_handbook(data)
    assert sorted(checked) == sorted(_story_files(data))


def test_a_corrupt_or_foreign_cache_entry_is_ignored_and_replaced(project: Path, monkeypatch) -> None:
    import pickle

    data = project / "data"
    _story_files(data)
    first = load_handbook(data).get("projects", "p99-latency")
    stored = sorted((project / ".cache" / "handbook").rglob("*.pickle"))
    assert len(stored) == len(_story_files(data))
    for n, file in enumerate(stored):  # truncated, garbage, empty, and a well-formed pickle of the wrong thing
        file.write_bytes([b"handbook-entry-1\x80\x05\x95", b"\x00garbage", b"", b"handbook-entry-1" + pickle.dumps({"x": 1})][n % 4])
    checked = _new_process(monkeypatch)
    again = load_handbook(data).get("projects", "p99-latency")
    assert (again.data, again.findings) == (first.data, first.findings)
    assert sorted(checked) == sorted(_story_files(data))
    checked = _new_process(monkeypatch)  # the broken entries were written afresh
    load_handbook(data)
    assert checked == []


def test_an_unwritable_cache_folder_only_slows_the_load(project: Path, monkeypatch) -> None:
    (project / ".cache").write_text("not a folder", encoding="utf-8")  # .cache/handbook/ cannot be made
    from prep_handbook import diskcache

    diskcache._CACHES.clear()
    _story_files(project / "data")
    assert _title(project / "data", "p99-latency") == "Cutting p99 latency of a critical API"
    checked = _new_process(monkeypatch)
    assert _title(project / "data", "p99-latency") == "Cutting p99 latency of a critical API"
    assert sorted(checked) == sorted(_story_files(project / "data"))


def test_the_cache_can_be_turned_off(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("HANDBOOK_CACHE", "off")
    load_handbook(project / "data")
    assert not (project / ".cache").exists()
