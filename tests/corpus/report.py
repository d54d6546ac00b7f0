"""Score the checker against the coach's verdicts on the real answers in tests/corpus/real/.

`python -m tests.corpus.report` prints the per-rule table (markdown); tests/test_corpus.py
holds the targets. For each answer and each rule, the coach's verdict (flagged or not) is
compared with the checker's (any finding of that rule): a true positive is a flaw both see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from prep_handbook.loader import load_rules, load_template
from prep_handbook.paths import DATA_DIR
from prep_handbook.rules import Finding, Rules, check_story

REAL = Path(__file__).resolve().parent / "real"

# Rules a transcribed answer cannot be judged on, and why; they are left out of the scores.
NOT_JUDGED = {
    "prepared-follow-ups": "reads only whether the story carries prepared follow-up questions, which a published answer never does",
}


def judged_rules(rules: Rules) -> list[str]:
    """Return the ids of the story rules the coach's verdicts judge."""
    return [r.id for r in rules.for_kind("story") if r.id not in NOT_JUDGED]


@dataclass
class Answer:
    """One transcribed answer with the coach's verdict and the checker's findings."""

    slug: str
    data: dict
    rating: str
    flags: set[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def found(self) -> set[str]:
        """The rules the checker flagged."""
        return {f.rule for f in self.findings}

    @property
    def errors(self) -> list[Finding]:
        """The checker's findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]


@dataclass
class Score:
    """Counts for one rule (or all of them) across the corpus."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """Share of the checker's flags the coach agrees with."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of the coach's flags the checker finds."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def answers(rules: Rules | None = None) -> list[Answer]:
    """Read every answer and its verdict, and run the checker on it."""
    template = load_template(DATA_DIR / "template.yml")
    rules = rules or load_rules(DATA_DIR / "rules.yml")
    verdicts = yaml.safe_load((REAL / "verdicts.yml").read_text(encoding="utf-8"))
    out = []
    for path in sorted(REAL.glob("*.yml")):
        if path.name == "verdicts.yml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        verdict = verdicts[path.stem]
        answer = Answer(path.stem, data, verdict["rating"], set(verdict["flags"]))
        answer.findings = check_story(data, "story", template, rules, "stories")
        out.append(answer)
    return out


def scores(found: list[Answer], rule_ids: list[str]) -> dict[str, Score]:
    """Score each rule, and all of them together under 'overall'."""
    table = {rule: Score() for rule in rule_ids}
    for answer in found:
        for rule in rule_ids:
            coach, checker = rule in answer.flags, rule in answer.found
            if coach and checker:
                table[rule].tp += 1
            elif checker:
                table[rule].fp += 1
            elif coach:
                table[rule].fn += 1
    table["overall"] = Score(*(sum(getattr(s, k) for s in table.values()) for k in ("tp", "fp", "fn")))
    return table


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table_text(found: list[Answer], rule_ids: list[str]) -> str:
    """Return the per-rule table as markdown, with the overall row last."""
    lines = ["| rule | coach flags | checker flags | agreed | precision | recall |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for rule, s in scores(found, rule_ids).items():
        name = f"**{rule}**" if rule == "overall" else rule
        lines.append(f"| {name} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {_pct(s.precision)} | {_pct(s.recall)} |")
    return "\n".join(lines)


def main() -> None:
    """Print the table, then each disagreement and the verdict by rating."""
    rules = load_rules(DATA_DIR / "rules.yml")
    found = answers(rules)
    rule_ids = judged_rules(rules)
    print(f"{len(found)} answers: " + ", ".join(f"{sum(a.rating == r for a in found)} {r}" for r in ("strong", "average", "weak")))
    print()
    print(table_text(found, rule_ids))
    print()
    for rule, why in NOT_JUDGED.items():
        print(f"Not scored: {rule} ({why}).")
    print()
    for a in found:
        extra, missed = sorted(a.found & set(rule_ids) - a.flags), sorted(a.flags - a.found)
        errors = len(a.errors)
        if extra or missed or errors:
            print(f"- {a.slug} ({a.rating}): checker only {extra or '-'}; coach only {missed or '-'}; errors {errors}")


if __name__ == "__main__":
    main()
