"""axe-core finds nothing to fix on any page, in the light and the dark scheme, on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .kit import SCHEMES, WIDTHS

pytestmark = pytest.mark.browser

NOT_FOUND = "console: Failed to load resource: the server responded with a status of 404 (Not Found)"

AXE = Axe()


def violations(page) -> list[str]:
    """Run axe-core on the page; return one line per violation with the elements it names."""
    results = AXE.run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"]
    ]


def open_in_scheme(open_page, url: str, scheme: str, width: int):
    """Open `url` with the browser preferring `scheme`; check that Material picked the matching palette."""
    page, guard = open_page(width=width, scheme=scheme)
    page.goto(url)  # waits for the load event: Material's scripts have run
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    return page, guard


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violation(open_page, site: Path, page_path: str, scheme: str, width: int) -> None:
    page, guard = open_in_scheme(open_page, (site / page_path).as_uri(), scheme, width)
    assert guard.problems() == []  # before axe, whose own stylesheet fetches fail on file://
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violation_on_the_404_page(open_page, server, scheme: str, width: int) -> None:
    page, guard = open_in_scheme(open_page, server.url + "no-such-page.html", scheme, width)
    assert guard.problems() == [NOT_FOUND]  # the page's own status, and nothing else
    assert violations(page) == []


def test_axe_reports_a_violation_it_is_shown(open_page, site: Path) -> None:
    page, _ = open_in_scheme(open_page, (site / "index.html").as_uri(), "light", 1280)
    page.evaluate("document.querySelector('.md-content h1').insertAdjacentHTML('afterend', '<img src=\"data:,\">')")
    assert [v.split(" ")[0] for v in violations(page)] == ["image-alt"]
