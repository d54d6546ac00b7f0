"""The benchmark's generated stories: valid, seeded, of varied length (the bench's inputs, not its timings)."""

from __future__ import annotations

import sys
from pathlib import Path

from prep_handbook.loader import load_handbook
from prep_handbook.rules import spoken_minutes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.stories import write_stories  # noqa: E402


def test_generated_stories_pass_the_checker_with_no_errors(project: Path) -> None:
    """Forty generated stories load through the one loader, each with no checker error, lengths spread over a minute."""
    write_stories(project / "data" / "stories", 40)
    handbook = load_handbook(project / "data")
    generated = [e for e in handbook.folder("stories") if e.slug.startswith("bench-")]
    assert len(generated) == 40
    assert [f for e in generated for f in e.errors] == []
    minutes = [spoken_minutes(e.data, handbook.template, handbook.rules.speaking) for e in generated]
    assert max(minutes) - min(minutes) > 1.0
    assert max(minutes) <= handbook.rules.speaking.story_limit_minutes


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    """The generator is seeded: the same seed writes the same bytes, another seed different ones."""
    texts = []
    for name, seed in (("a", 6), ("b", 6), ("c", 7)):
        paths = write_stories(tmp_path / name, 5, seed)
        texts.append([p.read_text(encoding="utf-8") for p in paths])
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]
