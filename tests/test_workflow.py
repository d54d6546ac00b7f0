"""The team workflow shipped in the repository: the commit hook, the CI files and the page for story authors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GITHUB = ROOT / ".github" / "workflows" / "handbook.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
BROKEN = "data/stories/broken-story.yml:18:14: role.team_size: expected a whole number, got 'three'"


def run(*command: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command in `cwd` and return it finished, output as text."""
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def git_env(tmp: Path) -> dict:
    """An environment for git and pre-commit that reads and writes nothing of the user's."""
    return {
        **os.environ,
        "HOME": str(tmp / "home"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "PRE_COMMIT_HOME": str(tmp / "pre-commit"),
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A fresh `git clone` of the repository as it is now (working changes committed), using this .venv."""
    tmp = tmp_path_factory.mktemp("workflow")
    env = git_env(tmp)
    (tmp / "home").mkdir()
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    source = tmp / "source"
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        result = run(*command, cwd=source, env=env)
        assert result.returncode == 0, result.stderr
    result = run("git", "clone", "-q", source, tmp / "clone", cwd=tmp, env=env)
    assert result.returncode == 0, result.stderr
    (tmp / "clone" / ".venv").symlink_to(BIN.parent, target_is_directory=True)  # `make setup` of this checkout
    return tmp / "clone", env


def pre_commit(repo: Path, env: dict) -> subprocess.CompletedProcess:
    """Run every hook over every tracked file, as `pre-commit run --all-files` does for a team member."""
    # The clone's own package, as in a team member's checkout (this .venv's editable install points here).
    return run(BIN / "pre-commit", "run", "--all-files", "--color", "never", cwd=repo, env={**env, "PYTHONPATH": str(repo)})


def test_the_hooks_pass_on_a_clean_clone(clone: tuple[Path, dict]) -> None:
    repo, env = clone
    result = pre_commit(repo, env)
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in [
        "handbook check (the data files you changed)",
        "handbook check (every data file, after a change to the template or rules)",
        "schema/story.schema.json matches data/template.yml",
        "JSON Schema of a story (schema/story.schema.json)",
        "GitHub Actions workflows match their schema (offline)",
        ".gitlab-ci.yml matches its schema (offline)",
    ]:
        assert any(line.startswith(hook) and line.endswith("Passed") for line in result.stdout.splitlines()), (hook, result.stdout)


def test_the_hooks_stop_a_broken_story_and_name_it(clone: tuple[Path, dict], tmp_path: Path) -> None:
    source, env = clone
    repo = tmp_path / "broken"
    assert run("git", "clone", "-q", source, repo, cwd=tmp_path, env=env).returncode == 0
    (repo / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    good = (repo / "data" / "stories" / "flaky-ci.yml").read_text(encoding="utf-8")
    (repo / "data" / "stories" / "broken-story.yml").write_text(good.replace("team_size: 3", "team_size: three"), encoding="utf-8")
    assert run("git", "add", "data/stories/broken-story.yml", cwd=repo, env=env).returncode == 0
    result = pre_commit(repo, env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("handbook check (the data files you changed)") and line.endswith("Failed") for line in lines), result.stdout
    assert any(line.startswith("JSON Schema of a story") and line.endswith("Failed") for line in lines), result.stdout
    assert BROKEN in lines, result.stdout
    # The JSON Schema hook names the same file and field.
    assert any("data/stories/broken-story.yml" in line and "role.team_size" in line for line in lines if BROKEN not in line), result.stdout


# --- the CI files ------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")], ids=["github", "gitlab"])
def test_ci_file_matches_the_official_schema(path: Path, schema: str) -> None:
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, path, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok -- validation done"


@pytest.mark.parametrize(
    ("path", "schema", "old", "new"),
    [
        (GITHUB, "vendor.github-workflows", "runs-on: ubuntu-latest", "run-on: ubuntu-latest"),
        (GITHUB, "vendor.github-workflows", "  pull_request:\n", "  pull-request:\n"),
        (GITLAB, "vendor.gitlab-ci", "  script:\n    - make test", "  scripts:\n    - make test"),
        (GITLAB, "vendor.gitlab-ci", "    paths:\n      - public", "    path:\n      - public"),
    ],
    ids=["github-runs-on", "github-event", "gitlab-scripts", "gitlab-artifacts"],
)
def test_the_schema_check_refuses_a_broken_ci_file(tmp_path: Path, path: Path, schema: str, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / path.name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, broken, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Schema validation errors were encountered" in result.stdout + result.stderr
    assert broken.name in result.stdout + result.stderr


def commands(steps: list[dict]) -> list[str]:
    """Return the shell lines of a list of GitHub steps."""
    return [line for step in steps if "run" in step for line in step["run"].splitlines()]


def test_github_checks_pull_requests_and_publishes_main_with_the_make_targets() -> None:
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    check, deploy = workflow["jobs"]["check"], workflow["jobs"]["deploy"]
    assert "if" not in check  # every pull request and push is checked
    assert [c for c in commands(check["steps"]) if c.startswith("make")] == ["make test", "make build"]
    upload = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"] == {"path": "site"}
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert upload["if"] == main_only and deploy["if"] == main_only
    assert deploy["needs"] == "check"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert workflow["permissions"] == {"contents": "read"}


def test_gitlab_checks_merge_requests_and_publishes_the_default_branch_with_the_make_targets() -> None:
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert ci["check"]["script"] == ["make test", "make build"]
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in ci["check"]["rules"]
    assert ci["pages"]["script"][0] == "make build"
    assert ci["pages"]["artifacts"] == {"paths": ["public"]}
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


@pytest.mark.parametrize("target", ["test", "build"])
def test_the_make_targets_ci_calls_exist(target: str) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert any(line.startswith(f"{target}:") for line in makefile.splitlines())


def test_readme_says_how_to_enable_the_hook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/pre-commit install" in readme
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    assert {h["language"] for r in config["repos"] for h in r["hooks"]} == {"system"}
