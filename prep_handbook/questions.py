"""The question bank (`data/questions.yml`): common behavioral and leadership questions.

Each question carries the competencies the story bank uses (the `tags` choices of the story
template) and the handbook page that helps answer it. The file is checked in the same field
language as every other data file, so a problem names `path:line:col: field`.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from . import yamlsource
from .problems import DataError, Problem
from .schema import FieldSpec, Template, build_model

if TYPE_CHECKING:
    from .render import Trusted

PAGE = r"^[a-z0-9][a-z0-9/_-]*\.md(#[a-z0-9-]+)?$"


def competencies(template: Template) -> list[str]:
    """Return the competencies stories are tagged with, in the template's order."""
    return next(list(spec.choices or ()) for spec in template.story.meta if spec.key == "tags")


def question_fields(template: Template) -> tuple[FieldSpec, ...]:
    """Return the declared fields of the question bank file."""
    question = FieldSpec(
        key="questions",
        type="records",
        required=True,
        prompt="The questions, each in our own words.",
        fields=(
            FieldSpec(key="id", type="text", required=True, pattern=r"^[a-z0-9][a-z0-9-]*$", prompt="A stable anchor."),
            FieldSpec(key="question", type="text", required=True, prompt="The question as an interviewer might ask it."),
            FieldSpec(key="tags", type="list", required=True, choices=tuple(competencies(template)), prompt="The competencies it probes."),
            FieldSpec(key="see", type="text", required=True, pattern=PAGE, prompt="The handbook page that helps answer it."),
        ),
    )
    return (question,)


def load_questions(path: Path, template: Template, root: Path | None = None) -> list[dict]:
    """Read and check the question bank; raise DataError naming each problem's line."""
    from .loader import validate  # the loader imports this module lazily; no cycle at import time

    doc = yamlsource.load(path, root)
    data, problems = validate(doc, build_model("QuestionBank", question_fields(template)))
    if data is None:
        raise DataError(problems)
    docs_dir = path.parent.parent / "docs"
    seen: dict[str, int] = {}
    for i, item in enumerate(data["questions"]):
        page = item["see"].partition("#")[0]
        if docs_dir.is_dir() and not (docs_dir / page).is_file():
            line, col = doc.position(("questions", i, "see"))
            problems.append(Problem(doc.shown, line, col, f"questions[{i}].see", f"no page docs/{page}"))
        if item["id"] in seen:
            line, col = doc.position(("questions", i, "id"))
            problems.append(Problem(doc.shown, line, col, f"questions[{i}].id", f"'{item['id']}' is used already at line {seen[item['id']]}"))
        seen.setdefault(item["id"], doc.position(("questions", i, "id"))[0])
    if problems:
        raise DataError(problems)
    return data["questions"]


def check_file(path: Path, template: Template, root: Path | None = None) -> tuple[list[Problem], list[Problem]]:
    """Check the question bank as `handbook check` does: (problems of a file that cannot be read, problems of its content)."""
    try:
        yamlsource.read_text(path, root)
    except DataError as exc:
        return exc.problems, []
    try:
        load_questions(path, template, root)
    except DataError as exc:
        return [], exc.problems
    return [], []


def questions_page(questions: list[dict], template: Template, page_path: str) -> "Trusted":
    """Render the Questions page: a competency filter (questions.js) and the list, each with its page."""
    from .pages import relative_root
    from .render import render
    from .tools import scripts

    tags = competencies(template)
    counts = {tag: sum(1 for q in questions if tag in q["tags"]) for tag in tags}
    return render("html/questions.html.j2", questions=questions, tags=tags, counts=counts, root=relative_root(page_path), scripts=scripts(page_path, "questions.js"))
