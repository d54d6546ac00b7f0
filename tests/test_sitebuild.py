"""Bad input never breaks the site: each broken data file fails the atomic build with one clear
message naming file and line, and the previous site/ is left exactly as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, copy_project
from makekit import make, make_project, tree_digest

BROKEN = ROOT / "tests" / "fixtures" / "broken"

# One line per broken file: exactly what the build prints about it.
EXPECTED = {
    "binary": "data/stories/binary.yml:1:1: (file): is a binary file, not YAML text",
    "duplicate-keys": "data/stories/duplicate-keys.yml:3:1: owner: duplicate key (first defined at line 2)",
    "empty": "data/stories/empty.yml:1:1: (file): is empty; expected a mapping of keys",
    "invalid-yaml": "data/stories/invalid-yaml.yml:4:9: (file): invalid YAML: did not find expected ',' or ']'",
    "missing-owner": "data/stories/missing-owner.yml:1:1: owner: field required",
    "not-utf8": "data/stories/not-utf8.yml:2:11: (file): is not valid UTF-8 text",
    "tabs": "data/stories/tabs.yml:6:1: (file): invalid YAML: a tab stands where YAML needs spaces for indentation; indent with spaces only",
    "unquoted-percent": 'data/stories/unquoted-percent.yml:31:11: (file): invalid YAML: a value cannot start with \'%\'; put it in quotes: unit: "%"',
    "colon-in-text": (
        "data/stories/colon-in-text.yml:19:10: (file): invalid YAML: this text holds ': ', which YAML reads as a new key; "
        'put the text in quotes (why: "Only 5% of rows change a day: full reloads waste hours") '
        "or write '>' after the key and the text on the next line, indented"
    ),
    "list-item-outdented": (
        "data/stories/list-item-outdented.yml:15:2: (file): invalid YAML: this list item is not lined up with the list it "
        "belongs to; put its '-' under the '-' of the item above, or indent the list under its key"
    ),
    "list-item-indented": (
        "data/stories/list-item-indented.yml:10:7: (file): invalid YAML: this list item is indented deeper than the item "
        "above, so YAML joins it to that item's text; put its '-' under the '-' of the item above"
    ),
    "unknown-key": (
        "data/stories/unknown-key.yml:3:1: salary: unknown key (expected one of: title, owner, tags, pitch, "
        "draft, follow_ups, headline, objective, role, constraints, decisions, execution, outcomes, lessons)"
    ),
    "wrong-types": "data/stories/wrong-types.yml:11:14: role.team_size: expected a whole number, got 'three'",
}


def atomic_build(project: Path) -> subprocess.CompletedProcess:
    """Run `python -m devtools.sitebuild` in `project`, as `make build` does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "devtools.sitebuild"], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


def leftovers(project: Path) -> list[str]:
    """Temporary build folders the atomic build should have removed."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site-build-", ".site-old-")))


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its site/ built by the atomic build."""
    project = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    result = atomic_build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def site_project(built_project: Path, tmp_path: Path) -> Path:
    """A private copy of the built project (site/ included) that a test may break."""
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    return project


def assert_fails_keeping_site(project: Path, expected_line: str) -> None:
    """Build; assert a non-zero exit, the one expected message, and an untouched site/."""
    before = tree_digest(project / "site")
    result = atomic_build(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines.count(expected_line) == 1, result.stderr
    assert "1 problem(s) in data files:" in result.stderr
    assert "Build failed: site/ kept as it was." in lines
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def test_every_committed_broken_file_has_an_expected_message() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.yml") if p.stem != "ok-control") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_fails_the_build_and_keeps_the_previous_site(site_project: Path, name: str) -> None:
    shutil.copy(BROKEN / f"{name}.yml", site_project / "data" / "stories" / f"{name}.yml")
    assert_fails_keeping_site(site_project, EXPECTED[name])


def test_a_five_megabyte_file_is_refused_and_keeps_the_site(site_project: Path) -> None:
    huge = site_project / "data" / "stories" / "huge.yml"
    huge.write_bytes(b"title: " + b"x" * (5_000_000 - 8) + b"\n")
    assert huge.stat().st_size == 5_000_000
    assert_fails_keeping_site(
        site_project, "data/stories/huge.yml:1:1: (file): is 5,000,000 bytes; a data file may be at most 1,000,000 bytes"
    )


def test_a_symlink_out_of_the_repository_is_refused_and_keeps_the_site(site_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    shutil.copy(BROKEN / "ok-control.yml", outside)
    (site_project / "data" / "stories" / "outside.yml").symlink_to(outside)
    before = tree_digest(site_project / "site")
    result = atomic_build(site_project)
    assert result.returncode == 1
    # The link is named as the link, relative to the project, not as its target outside.
    problem = [line for line in result.stderr.splitlines() if "outside.yml:" in line]
    assert problem == [
        "data/stories/outside.yml:1:1: (file): is a link to a file outside the repository; data files must live in it"
    ]
    assert tree_digest(site_project / "site") == before
    assert leftovers(site_project) == []


def test_the_unbroken_story_builds_and_replaces_the_site(site_project: Path) -> None:
    before = tree_digest(site_project / "site")
    shutil.copy(BROKEN / "ok-control.yml", site_project / "data" / "stories" / "ok-control.yml")
    result = atomic_build(site_project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "Built site/"
    assert tree_digest(site_project / "site") != before
    assert "Faster nightly reports" in (site_project / "site" / "bank" / "stories" / "ok-control.html").read_text(encoding="utf-8")
    assert leftovers(site_project) == []


def test_a_failed_first_build_writes_no_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy(BROKEN / "empty.yml", project / "data" / "stories" / "empty.yml")
    result = atomic_build(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Build failed: site/ not written."
    assert not (project / "site").exists()
    assert leftovers(project) == []


def test_only_a_server_falls_back_to_the_last_good_data(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from prep_handbook.site import HandbookDataError, load_for_site

    env = SimpleNamespace(project_dir=str(project), conf={"extra": {}})
    good = load_for_site(env)
    story = project / "data" / "stories" / "flaky-ci.yml"
    story.write_text(story.read_text(encoding="utf-8").replace("team_size: 3", "team_size: three"), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["mkdocs", "build"])
    with pytest.raises(HandbookDataError, match="role.team_size: expected a whole number, got 'three'"):
        load_for_site(env)
    assert "handbook_problems" not in env.conf["extra"]
    monkeypatch.setattr(sys, "argv", ["mkdocs", "serve"])
    assert load_for_site(env) is good
    [problem] = env.conf["extra"]["handbook_problems"]
    assert problem.endswith("data/stories/flaky-ci.yml:18:14: role.team_size: expected a whole number, got 'three'")


# --------------------------------------------------------------------------- the make targets, as users run them

BROKEN_LINK = "Doc file 'practice.md' contains a link 'nowhere.md', but the target is not found among documentation files."
# One breakage per kind of MkDocs warning: (what is done to docs/, the warning `make build` prints).
BREAKAGES = {
    "broken-link": ("practice.md", "\n[A broken link](nowhere.md)\n", f"WARNING - {BROKEN_LINK}"),
    "missing-anchor": (
        "practice.md", "\n[A missing anchor](approach.md#no-such-anchor)\n",
        "WARNING - Doc file 'practice.md' contains a link 'approach.md#no-such-anchor', but the doc 'approach.md' "
        "does not contain an anchor '#no-such-anchor'.",
    ),
    "omitted-page": ("orphan.md", "# A page nobody listed\n", "  - orphan.md"),
}


def break_docs(project: Path, kind: str) -> None:
    """Make one MkDocs warning happen in `project`'s docs."""
    name, text, _ = BREAKAGES[kind]
    page = project / "docs" / name
    page.write_text((page.read_text(encoding="utf-8") if page.exists() else "") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def made_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy whose site/ was built by `make build`."""
    project = make_project(tmp_path_factory.mktemp("make") / "project")
    result = make(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    (project / "make-build.log").write_text(result.stderr, encoding="utf-8")
    return project


def test_make_build_prints_the_checker_notes_and_writes_a_world_readable_site(made_project: Path) -> None:
    """`make build` prints each checker note and no MkDocs chatter; the site is readable by a web server's user."""
    lines = (made_project / "make-build.log").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "Built site/"
    assert (
        "handbook: data/projects/p99-latency.yml:76:13: warning: outcomes[3].change: 'CPU' states a change (−30%) "
        "but not the baseline and outcome behind it [baseline-outcome]"
    ) in lines
    notes = [line for line in lines if line.startswith("handbook: ")]
    assert len(notes) == len(lines) - 1, "only the checker's notes and the last line"
    site = made_project / "site"
    assert (site / "index.html").is_file()
    modes = {oct(p.stat().st_mode & 0o777) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {"0o755"}
    modes = {oct(p.stat().st_mode & 0o777) for p in site.rglob("*") if p.is_file()}
    assert modes == {"0o644"}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_each_mkdocs_warning_fails_make_build_and_keeps_site(made_project: Path, tmp_path: Path, kind: str) -> None:
    """A broken link, a missing anchor and an omitted page each fail `make build`, printed, with site/ as it was."""
    project = tmp_path / "project"
    shutil.copytree(made_project, project, symlinks=True)
    before = tree_digest(project / "site")
    break_docs(project, kind)
    result = make(project, "build")
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert BREAKAGES[kind][2] in lines, result.stderr
    assert "Aborted with 1 warnings in strict mode!" in lines
    assert "Build failed: site/ kept as it was." in lines
    assert tree_digest(project / "site") == before
    assert leftovers(project) == []


def test_make_pdf_fails_on_a_broken_link_and_prints_nothing(made_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(made_project, project, symlinks=True)
    break_docs(project, "broken-link")
    result = make(project, "pdf")
    assert result.returncode != 0
    assert f"WARNING - {BROKEN_LINK}" in result.stderr.splitlines()
    assert not (project / "pdf").exists()


@pytest.mark.parametrize(("target", "folder"), [("build-properdocs", "site-properdocs"), ("build-zensical", "site-zensical")])
def test_the_other_engines_fail_on_a_broken_link_naming_the_page(made_project: Path, tmp_path: Path, target: str, folder: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(made_project, project, symlinks=True)
    break_docs(project, "broken-link")
    result = make(project, target)
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    if target == "build-properdocs":
        assert f"WARNING - {BROKEN_LINK}" in lines, result.stderr
    else:  # Zensical names the page, line and column of the link
        source = (project / "docs" / "practice.md").read_text(encoding="utf-8").splitlines()
        row = next(i for i, text in enumerate(source, 1) if "[A broken link](nowhere.md)" in text)
        col = source[row - 1].index("nowhere.md") + 1
        assert [line for line in lines if line.endswith("page does not exist")] == [f"WARNING - practice.md:{row}:{col}: page does not exist"], result.stderr
    assert f"Build failed: {folder}/ not written." in lines
    assert not (project / folder).exists()
    assert "Traceback" not in result.stderr
