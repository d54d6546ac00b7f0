"""The story builder keeps a story a draft: a ticked box writes `draft: true`, a loaded draft ticks it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .kit import ROOT
from .test_tools import builder, check_with_cli, settled_yaml

pytestmark = pytest.mark.browser

FLAKY = (ROOT / "data" / "stories" / "flaky-ci.yml").read_text(encoding="utf-8")


def test_a_loaded_draft_ticks_the_box_and_unticking_publishes_it(open_page, site: Path, tmp_path: Path) -> None:
    page, guard = builder(open_page, site)
    box = page.locator("#hb-f-draft")
    assert box.get_attribute("type") == "checkbox" and not box.is_checked()
    assert page.get_by_label("Draft", exact=True).count() == 1  # the box is named by its label
    assert (yaml.safe_load(settled_yaml(page)) or {}) == {}  # a blank form writes no key, draft included

    page.locator("#hb-load-text").fill("draft: true\n" + FLAKY)
    page.locator("#hb-load-button").click()
    page.wait_for_function("() => document.getElementById('hb-load-status').textContent.startsWith('Loaded')")
    assert box.is_checked()
    text = settled_yaml(page)
    assert yaml.safe_load(text)["draft"] is True
    result = check_with_cli(text, tmp_path, "flaky-draft.yml")
    assert result.returncode == 0, result.stdout + result.stderr

    box.uncheck()
    assert "draft" not in yaml.safe_load(settled_yaml(page))
    box.check()
    assert yaml.safe_load(settled_yaml(page))["draft"] is True
    assert guard.problems() == []
