"""Every data file in the repository loads, validates and meets the checker's bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from prep_handbook.loader import load_template
from prep_handbook.paths import DATA_DIR, FOLDER_KINDS

DATA_FILES = sorted(p for folder in FOLDER_KINDS for p in (DATA_DIR / folder).glob("*.yml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(DATA_DIR).as_posix())
def test_data_file_loads_without_errors(path: Path, handbook) -> None:
    folder = path.parent.name
    entry = handbook.get(folder, path.stem)
    assert entry.data, path
    assert entry.errors == [], "\n".join(map(str, entry.errors))


def test_every_folder_has_its_entries(handbook) -> None:
    assert [e.slug for e in handbook.folder("projects")] == ["p99-latency", "recommendations"]
    assert [e.slug for e in handbook.folder("hypotheticals")] == [
        "ambiguous-requirements",
        "scope-negotiation",
        "incomplete-data",
    ]
    assert {e.slug for e in handbook.folder("playbooks")} == {
        "approach", "stakeholders", "risk", "metrics", "pitfalls", "practice",
    }


def test_template_declares_the_story_sections_in_order() -> None:
    template = load_template(DATA_DIR / "template.yml")
    assert [s.key for s in template.story.sections] == [
        "headline", "objective", "role", "constraints", "decisions", "execution", "outcomes", "lessons",
    ]


def test_worked_examples_keep_every_figure_of_the_guide(handbook) -> None:
    p99 = handbook.get("projects", "p99-latency").data
    rows = {o["metric"]: o for o in p99["outcomes"]}
    assert (rows["p99 latency"]["baseline"], rows["p99 latency"]["outcome"], rows["p99 latency"]["change"]) == (620, 290, "−53%")
    assert (rows["p95 latency"]["baseline"], rows["p95 latency"]["outcome"], rows["p95 latency"]["change"]) == (310, 160, "−48%")
    assert (rows["Error rate"]["baseline"], rows["Error rate"]["outcome"]) == (0.7, 0.2)
    assert rows["CPU"]["change"] == "−30%" and rows["Infra cost"]["change"] == "−18%"
    assert rows["Checkout success"]["change"] == "+0.7 pp" and rows["SLO sustained"]["outcome"] == 90
    assert p99["role"]["team_size"] == 3
    recs = handbook.get("projects", "recommendations").data
    ctr = recs["outcomes"][0]
    assert (ctr["baseline"], ctr["outcome"], ctr["change"], ctr["confidence"]) == (6.5, 7.4, "+13.8% relative", "p < 0.01")
    assert recs["role"]["team_size"] == 4
    assert "+$5k/month" in " ".join(recs["constraints"])
