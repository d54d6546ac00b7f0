"""Engine preparation: what Zensical needs before it collects pages (`python -m devtools.engine`)."""

from __future__ import annotations

import sys
from pathlib import Path


def prepare(project_dir: Path) -> int:
    """Check data/ and write the generated story pages, as define_env does; return an exit status."""
    from prep_handbook import bank, sheets
    from prep_handbook.site import HandbookDataError, load_or_fail

    try:
        handbook = load_or_fail(project_dir / "data")
    except HandbookDataError as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    for finding in handbook.findings:  # Zensical shows no Python logging: the checker's notes are printed here
        if finding.severity == "warning":
            print(f"handbook: {finding}", file=sys.stderr)
    bank.write_story_stubs(handbook, project_dir / "docs")
    sheets.write_sheet_stubs(handbook, project_dir / "docs")
    return 0


if __name__ == "__main__":  # Zensical collects pages before define_env runs: write them first.
    sys.exit(prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
