"""Temporary copies of the project for the benchmark: the handbook with N stories, and its plain baseline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .stories import write_stories

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("mkdocs.yml", "docs", "data", "macros", "prep_handbook", "overrides", "devtools")
DUMP_HOOK = Path(__file__).resolve().parent / "dump_markdown.py"
# Until the story bank exists, story pages are thin pages calling the `project` macro.
FALLBACK_DIR = "bench-stories"


@dataclass
class Project:
    """A project copy with N generated stories and where their pages are."""

    root: Path
    count: int
    slugs: list[str]
    mode: str  # "bank": the story bank renders data/stories; "fallback": bench pages render data/projects

    @property
    def config(self) -> Path:
        """The copy's mkdocs.yml."""
        return self.root / "mkdocs.yml"

    def story_yaml(self, slug: str) -> Path:
        """Return the YAML file of one generated story."""
        folder = "stories" if self.mode == "bank" else "projects"
        return self.root / "data" / folder / f"{slug}.yml"

    def story_page(self, slug: str) -> str:
        """Return the site-relative URL of one story's page."""
        return f"bank/stories/{slug}.html" if self.mode == "bank" else f"{FALLBACK_DIR}/{slug}.html"


def env() -> dict[str, str]:
    """Return the environment every benchmark subprocess runs with."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "HANDBOOK_SITE_DIR": "site"}


def bank_mode(root: Path = ROOT) -> bool:
    """Return whether the project has a story bank that renders every data/stories file as a page."""
    return (root / "prep_handbook" / "bank.py").is_file()


class EnvLoader(yaml.SafeLoader):
    """A YAML loader for mkdocs.yml that keeps `!ENV [NAME, default]` as its default."""


EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None)


def read_config(path: Path) -> dict:
    """Read an mkdocs.yml into plain data."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EnvLoader)  # noqa: S506 - SafeLoader subclass


def write_config(path: Path, config: dict) -> None:
    """Write plain data back as mkdocs.yml."""
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def make_project(dest: Path, count: int, seed: int = 6) -> Project:
    """Copy the project into `dest` (without the team's own stories) and add `count` generated stories."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__")  # compiled afresh below, for this Python
    for part in PARTS:
        src = ROOT / part
        shutil.copytree(src, dest / part, ignore=ignore) if src.is_dir() else shutil.copy2(src, dest / part)
    # Bytecode compiled once, untimed, as any first run leaves it in __pycache__ (every run sets
    # PYTHONDONTWRITEBYTECODE, which reads bytecode but never writes it: without this, each timed
    # process would compile the package's sources again, which no second run on a laptop does).
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", *(str(dest / p) for p in ("prep_handbook", "macros", "devtools") if (dest / p).is_dir())],
                   check=True, capture_output=True)
    stories = dest / "data" / "stories"
    shutil.rmtree(stories, ignore_errors=True)
    stories.mkdir()
    kits = dest / "data" / "kits"  # the team's prep kits name the team's stories, which are left out
    if kits.is_dir():
        shutil.rmtree(kits)
        kits.mkdir()
    generated = dest / "docs" / "bank" / "stories"
    shutil.rmtree(generated, ignore_errors=True)
    mode = "bank" if bank_mode(dest) else "fallback"
    folder = stories if mode == "bank" else dest / "data" / "projects"
    paths = write_stories(folder, count, seed)
    slugs = [p.stem for p in paths]
    if mode == "fallback":
        pages = dest / "docs" / FALLBACK_DIR
        pages.mkdir()
        for slug in slugs:
            (pages / f"{slug}.md").write_text(f'---\nrender_macros: true\n---\n{{{{ project("{slug}") }}}}\n', encoding="utf-8")
        config = read_config(dest / "mkdocs.yml")
        config["not_in_nav"] = f"/{FALLBACK_DIR}/\n" + (config.get("not_in_nav") or "")
        write_config(dest / "mkdocs.yml", config)
    return Project(dest, count, slugs, mode)


def dump_markdown(project: Project, out: Path) -> None:
    """Build `project` once with a hook that saves each page's Markdown as the macros left it."""
    config = read_config(project.config)
    config["hooks"] = [str(DUMP_HOOK)]
    dump_config = project.root / "mkdocs.dump.yml"
    write_config(dump_config, config)
    out.mkdir(parents=True, exist_ok=True)
    site = project.root / ".dump-site"
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(dump_config), "-d", str(site)],
        capture_output=True, text=True, env={**env(), "BENCH_DUMP_DIR": str(out)}, timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dump build failed:\n{result.stdout}\n{result.stderr}")
    shutil.rmtree(site, ignore_errors=True)
    dump_config.unlink()


def make_baseline(project: Project, dumped: Path, dest: Path) -> Path:
    """Make the plain baseline: the same pages as static Markdown, built by Material without macros or validation."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(project.root / "overrides", dest / "overrides")
    shutil.copytree(project.root / "docs", dest / "docs", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(dumped, dest / "docs", dirs_exist_ok=True)
    config = read_config(project.config)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "macros" in p) and p != "macros"]
    for key in ("validation", "watch", "hooks"):
        config.pop(key, None)
    config["strict"] = False
    write_config(dest / "mkdocs.yml", config)
    return dest
