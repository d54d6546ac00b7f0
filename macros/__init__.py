"""The mkdocs-macros entry point: load and check the data once, then register the macros.

Everything happens in `define_env` (Zensical runs nothing else). Each macro is a
one-line call into a module of its own (`pages`, `bank`, `tools`), where it can be
tested without MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from . import engine, pages
from .build import load_or_fail


def define_env(env) -> None:
    """Load `data/` (failing the build on any problem) and register the handbook's macros."""
    handbook = load_or_fail(Path(env.project_dir) / "data")
    env.variables["handbook"] = handbook

    def page_path() -> str:
        return engine.page_source(env.page)

    @env.macro
    def project(slug: str) -> str:
        """Render a worked example project."""
        return pages.story_page(handbook.get("projects", slug), handbook, page_path())

    @env.macro
    def hypothetical(slug: str) -> str:
        """Render a hypothetical playbook."""
        return pages.hypothetical_page(handbook.get("hypotheticals", slug), handbook, page_path())

    @env.macro
    def playbook(slug: str) -> str:
        """Render a playbook list page."""
        return pages.playbook_page(handbook.get("playbooks", slug), handbook)

    @env.macro
    def story_template() -> str:
        """Render the fill-in template page."""
        return pages.template_page(handbook)

    @env.macro
    def index_of(folder: str) -> str:
        """Render the list of entries of a data folder, linking each page."""
        return pages.folder_index(handbook, folder, page_path())

    @env.macro
    def timing() -> str:
        """Render the timing advice from the speaking targets."""
        return pages.timing_section(handbook)
