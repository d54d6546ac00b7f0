"""Arithmetic the checker holds stories to: stated changes and expected values.

The browser's checker (`overrides/assets/handbook/figures.js`) implements the same
functions; `tests/cases/figures.yml` holds the cases both sides are tested against.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MINUS = "−–-"  # Unicode minus, en dash, hyphen-minus
_CHANGE = re.compile(
    r"""^\s*(?P<sign>[+−–-])?\s*(?P<cur>[$€£])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<k>[kKmM](?![a-zA-Z]))?
        \s*(?P<unit>%|pp\b|percentage\s+points?|[x×]|[^\s\d]*)\s*(?P<qual>relative|absolute)?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class StatedChange:
    """A change as a writer stated it: its signed value, its kind and its precision."""

    value: float
    kind: str  # "relative" (percent of baseline), "points" (pp), "ratio" (×), "absolute" (in the unit)
    decimals: int
    signed: bool
    text: str


def parse_change(text: str) -> StatedChange | None:
    """Read '−53%', '+0.9 pp', '+13.8% relative', '2×' or '+$3.2k/month'; None when unreadable."""
    match = _CHANGE.match(text)
    if not match:
        return None
    number = match["num"]
    value = float(number)
    decimals = len(number.split(".")[1]) if "." in number else 0
    if match["k"]:
        value *= 1000 if match["k"] in "kK" else 1_000_000
        decimals = max(0, decimals - (3 if match["k"] in "kK" else 6))
    if match["sign"] and match["sign"] in MINUS:
        value = -value
    unit = (match["unit"] or "").strip()
    if unit == "%":
        kind = "points" if match["qual"] == "absolute" else "relative"
    elif unit.startswith("p"):
        kind = "points"
    elif unit in ("x", "×"):
        kind = "ratio"
    else:
        kind = "absolute"
    return StatedChange(value=value, kind=kind, decimals=decimals, signed=bool(match["sign"]), text=text.strip())


def actual_change(baseline: float, outcome: float, kind: str) -> float | None:
    """Return the change from baseline to outcome measured the way `kind` says; None if undefined."""
    if kind == "relative":
        return None if baseline == 0 else (outcome - baseline) / abs(baseline) * 100
    if kind == "ratio":
        return None if baseline == 0 else outcome / baseline
    return outcome - baseline


def agrees(stated: float, actual: float, decimals: int, signed: bool = True) -> bool:
    """Say whether `stated` is `actual` rounded to the precision it was stated to."""
    if not signed:
        stated, actual = abs(stated), abs(actual)
    return abs(actual - stated) <= 0.5 * 10 ** (-decimals) + 1e-9


def format_number(value: float, decimals: int) -> str:
    """Format a number to `decimals` places with a typographic minus sign."""
    text = f"{abs(value):,.{decimals}f}"
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "") + text


def describe_change(value: float, kind: str, decimals: int, unit: str = "") -> str:
    """Write a change the way the checker suggests it: '−53%', '+0.9 pp', '1.5×'."""
    sign = "+" if value > 0 else ""
    number = sign + format_number(value, decimals)
    if kind == "relative":
        return f"{number}%"
    if kind == "points":
        return f"{number} pp"
    if kind == "ratio":
        return f"{format_number(value, decimals)}×"
    return f"{number} {unit}".strip()


def check_change(baseline: float, outcome: float, change: str, unit: str = "") -> tuple[bool, str | None]:
    """Check a stated change against its numbers; return (ok, the correct figure or a reason)."""
    stated = parse_change(change)
    if stated is None:
        return False, "unreadable"
    actual = actual_change(baseline, outcome, stated.kind)
    if actual is None:
        return False, "undefined"
    if agrees(stated.value, actual, stated.decimals, stated.signed):
        return True, None
    correct = describe_change(actual, stated.kind, stated.decimals, unit)
    if stated.kind == "relative" and "relative" in stated.text:
        correct += " relative"
    return False, correct


def with_unit(value: float, unit: str = "") -> str:
    """Write a value with its unit: '620 ms', '6.5%', '$3.2k'."""
    number = f"{value:g}"
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%",) else f"{number} {unit}"


def expected_value(probability: float, benefit: float, cost: float) -> float:
    """EV = p × benefit − (1 − p) × cost."""
    return probability * benefit - (1 - probability) * cost


def ev_per_week(probability: float, benefit: float, cost: float, weeks: float) -> float:
    """Expected value divided by the weeks the option takes."""
    return expected_value(probability, benefit, cost) / weeks


def decimals_of(value: float) -> int:
    """Return how many decimals a stated number carries (0.30 as written in YAML reads as 0.3)."""
    text = repr(float(value))
    if "e" in text:
        return 6
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return len(frac)


def rank_options(options: list[dict]) -> list[dict]:
    """Return options with `ev` and `ev_per_week` added, best EV per week first."""
    scored = []
    for option in options:
        ev = expected_value(option["probability"], option["benefit"], option["cost"])
        scored.append({**option, "ev": ev, "ev_per_week": ev / option["weeks"]})
    return sorted(scored, key=lambda o: (-o["ev_per_week"], -o["ev"], o["name"]))


def is_close(a: float, b: float) -> bool:
    """Compare two computed floats."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
