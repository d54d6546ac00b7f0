"""Where the project's files live, as absolute paths."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DOCS_DIR = ROOT / "docs"
TEMPLATE_PATH = DATA_DIR / "template.yml"
RULES_PATH = DATA_DIR / "rules.yml"
PARTIALS_DIR = Path(__file__).resolve().parent / "partials"

# Data folders and the kind of document each one holds.
FOLDER_KINDS = {
    "projects": "story",
    "stories": "story",
    "hypotheticals": "hypothetical",
    "playbooks": "playbook",
    "kits": "kit",
}
