"""The mkdocs-macros entry point: load and check the data once, then register the macros.

Registration only. Everything happens in `define_env` (Zensical runs nothing else);
each macro is a one-line call into `prep_handbook`, where it can be tested without MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prep_handbook import bank, matrix, pages, planner, printing, questions, sheets, tools
from prep_handbook.site import load_for_site


def page_source(page: Any) -> str:
    """Return the page's source path relative to docs/ (`examples/index.md`), or "" outside a page."""
    if page is None:
        return ""
    file = getattr(page, "file", None)  # MkDocs and ProperDocs: page.file.src_uri
    if file is not None:
        return str(file.src_uri)
    return str(getattr(page, "path", "") or "")  # Zensical: page.path


def define_env(env) -> None:
    """Load `data/` (failing the build on any problem) and register the handbook's macros."""
    handbook = load_for_site(env)
    env.variables["handbook"] = handbook
    # Each bank story's page and print card are written as finished Markdown (render_macros: false).
    bank.write_story_stubs(handbook, Path(env.conf.get("docs_dir") or Path(env.project_dir) / "docs"))
    sheets.write_sheet_stubs(handbook, Path(env.conf.get("docs_dir") or Path(env.project_dir) / "docs"))

    def page_path() -> str:
        return page_source(env.page)

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

    @env.macro
    def story_builder() -> str:
        """Render the story builder form, generated from the template."""
        return tools.story_builder(handbook, page_path())

    @env.macro
    def rehearsal_timer(kind: str = "story") -> str:
        """Render a rehearsal timer for a story or for the hypotheticals."""
        return tools.rehearsal_timer(handbook, kind, page_path())

    @env.macro
    def decision_calculator(slug: str) -> str:
        """Render the decision calculator pre-filled with a hypothetical's options."""
        return tools.decision_calculator(handbook.get("hypotheticals", slug), page_path())

    @env.macro
    def cheatsheet() -> str:
        """Render the printable cheat sheet."""
        return printing.cheatsheet(handbook)

    @env.macro
    def story_card(folder: str, slug: str) -> str:
        """Render one story of a data folder (projects, stories) as a printable one-page card."""
        return printing.story_card(handbook.get(folder, slug), handbook)

    @env.macro
    def whole_handbook() -> str:
        """Render the whole handbook as one printable page."""
        return printing.whole_handbook(handbook, page_path(), env.conf["site_name"])

    @env.macro
    def bank_index() -> str:
        """Render the story bank's table, filterable and sortable."""
        return bank.index_page(handbook)

    @env.macro
    def bank_readiness() -> str:
        """Render each owner's readiness against the practice blueprint."""
        return bank.readiness_page(handbook)

    @env.macro
    def question_bank() -> str:
        """Render the question bank, filterable by competency."""
        return questions.questions_page(handbook.questions, handbook.template, page_path())

    @env.macro
    def story_matrix() -> str:
        """Render each person's story matrix: competencies, gaps, best stories per question."""
        return matrix.matrix_page(handbook)

    @env.macro
    def loop_planner() -> str:
        """Render the loop planner."""
        return planner.loop_planner(handbook, page_path())

    @env.macro
    def rehearsal_log() -> str:
        """Render the rehearsal log: rubric, runs, rehearse-next order, export and import."""
        return planner.rehearsal_log(handbook, page_path())

    @env.macro
    def interview_sheet(slug: str) -> str:
        """Render one kit's interview sheet on one A4 side."""
        return sheets.interview_sheet(handbook, slug)
