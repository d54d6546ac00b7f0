"""The story matrix: per person, competencies × their bank stories, the gaps, and the best story per question.

A story shows the competencies it is tagged with. For a question, the stories that fit best
share the most competencies with it; among equals, a story that passes the checker comes
before one that does not, and fewer warnings before more.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import bank, readiness
from .loader import Handbook
from .questions import competencies
from .render import Trusted, render

BEST = 2  # stories suggested per question


@dataclass
class Fit:
    """The best stories of one person for one question."""

    question: dict
    stories: list[bank.Row]
    missing: list[str]  # the question's competencies none of the person's stories shows


@dataclass
class Matrix:
    """One person's matrix."""

    owner: str
    anchor: str
    stories: list[bank.Row]
    covered: dict[str, list[str]]  # competency -> slugs of the stories that show it
    fits: list[Fit]

    @property
    def gaps(self) -> list[str]:
        """The competencies no story of theirs shows, in the template's order."""
        return [c for c, slugs in self.covered.items() if not slugs]


def best_stories(question: dict, stories: list[bank.Row], best: int = BEST) -> list[bank.Row]:
    """Return up to `best` stories sharing competencies with the question, best first."""
    scored = [(len(set(question["tags"]) & set(s.tags)), s) for s in stories]
    scored = [(n, s) for n, s in scored if n]
    scored.sort(key=lambda pair: (-pair[0], pair[1].errors > 0, pair[1].warnings, pair[1].title.lower()))
    return [s for _, s in scored[:best]]


def matrices(handbook: Handbook) -> list[Matrix]:
    """Return everyone's matrix, alphabetically (the same people and anchors as readiness)."""
    names = readiness.owners(handbook)
    anchors = readiness.owner_anchors(names)
    rows = bank.rows(handbook)
    tags = competencies(handbook.template)
    out = []
    for owner in names:
        mine = [r for r in rows if r.owner == owner]
        covered = {tag: [r.slug for r in mine if tag in r.tags] for tag in tags}
        fits = [
            Fit(q, best_stories(q, mine), [t for t in q["tags"] if not covered[t]])
            for q in handbook.questions
        ]
        out.append(Matrix(owner, anchors[owner], mine, covered, fits))
    return out


def matrix_page(handbook: Handbook) -> Trusted:
    """Render the matrix page: per person the grid, the gaps and the best stories per question."""
    return render("site/matrix.md.j2", people=matrices(handbook), tags=competencies(handbook.template))
