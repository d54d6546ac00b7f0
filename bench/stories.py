"""Generate synthetic but valid team stories: seeded, of varied length, passing the checker."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

TAGS = ["leadership", "conflict", "ambiguity", "failure", "influence", "delivery", "technical-depth", "collaboration"]
SYSTEMS = ["checkout API", "search service", "billing pipeline", "feed ranker", "auth gateway", "photo uploader",
           "notification queue", "reporting warehouse", "mobile sync", "pricing engine", "ads auction", "chat backend"]
PARTNERS = ["PM", "SRE", "DS", "Design", "Security", "Finance", "Support", "Legal", "QA"]
MEASURES = [("p99 latency", "technical", "ms", 200, 900), ("Error rate", "user", "%", 1, 9),
            ("Conversion", "business", "%", 2, 12), ("Infra cost", "business", "$k/month", 20, 90),
            ("Crash-free sessions", "user", "%", 90, 99), ("Build time", "technical", "min", 10, 60)]
CLAUSES = ["measured the baseline on production traffic", "wrote a design doc with two alternatives",
           "agreed the success criteria with the partners", "split the work into weekly milestones",
           "reviewed the plan with the on-call engineers", "paired with the data scientist on the analysis",
           "kept a decision log that the team could read", "ran a load test at twice the peak traffic",
           "set up dashboards before the first change shipped", "moved the riskiest step to the first week"]


def _sentence(rng: random.Random, words: int) -> str:
    """Return a plain sentence of roughly `words` words built from neutral clauses."""
    parts: list[str] = []
    while sum(len(p.split()) for p in parts) < words:
        parts.append(rng.choice(CLAUSES))
    text = ", then ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _outcome(rng: random.Random, measure: tuple) -> dict:
    """Return one outcome with a baseline, an outcome and a unit (no stated change to get wrong)."""
    metric, kind, unit, low, high = measure
    baseline = rng.randint(low * 10, high * 10) / 10
    better = round(baseline * rng.uniform(0.5, 0.9), 1)
    return {"metric": metric, "kind": kind, "baseline": baseline, "outcome": better, "unit": unit}


def story(index: int, rng: random.Random) -> dict:
    """Return one story's data; `index` varies its length from short to near the time limit."""
    system = rng.choice(SYSTEMS)
    size = 1 + index % 4  # 1..4: a few clauses per field, up to about three spoken minutes
    measures = [MEASURES[2], *rng.sample([m for m in MEASURES if m is not MEASURES[2]], 1 + index % 3)]
    return {
        "title": f"Story {index}: reworking the {system}",
        "owner": f"engineer-{index % 40:02d}",
        "tags": sorted(rng.sample(TAGS, 2)),
        "headline": f"Reworked the {system} for story {index}, cutting latency and cost within a quarter",
        "objective": {
            "problem": _sentence(rng, 4 * size),
            "goal": f"Bring the {system} within its SLO by the end of the quarter.",
            "success_criteria": [f"SLO met for {rng.randint(14, 60)} days", "No increase in error rate"],
        },
        "role": {"title": "Lead engineer", "team_size": rng.randint(2, 9), "partners": rng.sample(PARTNERS, 2)},
        "constraints": [_sentence(rng, 3 * size) for _ in range(1 + index % 3)],
        "decisions": [
            {
                "choice": f"Option {n + 1} for the {system}: {_sentence(rng, 2 * size)}",
                "alternative": "Keep the current design",
                "tradeoff": "More moving parts vs a faster path",
                "why": _sentence(rng, 2 * size),
                "mitigation": "Feature flag with a documented rollback",
            }
            for n in range(2 + index % 2)
        ],
        "execution": ["Canary 5% then 50% then 100%", *(_sentence(rng, 3 * size) for _ in range(size))],
        "outcomes": [_outcome(rng, m) for m in measures],
        "lessons": {"learned": [_sentence(rng, 2 * size)], "next_time": [_sentence(rng, 2 * size)]},
    }


def write_stories(stories_dir: Path, count: int, seed: int = 6) -> list[Path]:
    """Write `count` seeded stories as YAML files into `stories_dir`; return their paths."""
    rng = random.Random(seed)
    stories_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        path = stories_dir / f"bench-{index:04d}.yml"
        path.write_text(yaml.safe_dump(story(index, rng), sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths
