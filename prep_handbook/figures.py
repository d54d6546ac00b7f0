"""Arithmetic the checker holds stories to: stated changes and expected values.

The browser's checker (`overrides/assets/handbook/figures.js`) implements the same
functions; `tests/cases/figures.yml` holds the cases both sides are tested against.

Rounding is decimal and half away from zero, applied to the shortest decimal text of
the float (what `repr` prints in Python and `String(x)` in JavaScript), so both sides
print the same figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINUS = "−–-"  # Unicode minus, en dash, hyphen-minus
_SCALES = {"k": 3, "K": 3, "m": 6, "M": 6}
_CHANGE = re.compile(
    r"""^\s*(?P<sign>[+−–-])?\s*(?P<cur>[$€£])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<k>[kKmM](?![a-zA-Z]))?
        \s*(?P<unit>%|pp\b|percentage\s+points?|[x×]|[^\s\d]*)\s*(?P<qual>relative|absolute)?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class StatedChange:
    """A change as a writer stated it: its signed value, its kind and its precision."""

    value: float  # in the outcome's own unit: '+$3.2k' is 3200
    kind: str  # "relative" (% of baseline), "points" (pp), "ratio" (×), "absolute" (in the unit)
    decimals: int  # precision of the figure in the outcome's unit: '3.2k' is -2 (hundreds)
    signed: bool
    text: str
    currency: str = ""
    scale: str = ""  # 'k' or 'M' as written
    unit: str = ""  # the unit text after the number, for absolute changes ('ms', '/month')
    relative_word: bool = False  # 'relative' was written after the figure


def parse_change(text: str) -> StatedChange | None:
    """Read '−53%', '+0.9 pp', '+13.8% relative', '2×' or '+$3.2k/month'; None when unreadable."""
    match = _CHANGE.match(text)
    if not match:
        return None
    number = match["num"].replace(",", "")
    decimals = len(number.split(".")[1]) if "." in number else 0
    value = float(number)
    scale = match["k"] or ""
    if scale:
        value = float(Decimal(number).scaleb(_SCALES[scale]))
        decimals -= _SCALES[scale]
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
    return StatedChange(
        value=value,
        kind=kind,
        decimals=decimals,
        signed=bool(match["sign"]),
        text=text.strip(),
        currency=match["cur"] or "",
        scale=scale,
        unit=unit if kind == "absolute" else "",
        relative_word=match["qual"] == "relative",
    )


def actual_change(baseline: float, outcome: float, kind: str) -> float | None:
    """Return the change from baseline to outcome measured the way `kind` says; None if undefined."""
    if kind == "relative":
        return None if baseline == 0 else (outcome - baseline) / abs(baseline) * 100
    if kind == "ratio":
        return None if baseline == 0 else outcome / baseline
    return outcome - baseline


def agrees(stated: float, actual: float, decimals: int, signed: bool = True) -> bool:
    """Say whether `stated` is `actual` rounded to the precision it was stated to (decimals may be negative)."""
    if not signed:
        stated, actual = abs(stated), abs(actual)
    return abs(actual - stated) <= 0.5 * 10 ** (-decimals) + 1e-9


def round_half_away(value: float, decimals: int) -> Decimal:
    """Round the shortest decimal text of `value` to `decimals` places, halves away from zero."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int) -> str:
    """Format a number to `decimals` places (at least 0), thousands separated, with a typographic minus."""
    rounded = round_half_away(value, max(decimals, 0))
    text = f"{abs(rounded):,.{max(decimals, 0)}f}"
    return ("−" if rounded < 0 else "") + text


def _signed(value: float, decimals: int) -> str:
    text = format_number(value, decimals)
    return "+" + text if round_half_away(value, max(decimals, 0)) > 0 else text


def describe_change(value: float, kind: str, decimals: int, unit: str = "") -> str:
    """Write a change the way the checker suggests it: '−53%', '+0.9 pp', '1.5×', '+150 ms'."""
    if kind == "relative":
        return f"{_signed(value, decimals)}%"
    if kind == "points":
        return f"{_signed(value, decimals)} pp"
    if kind == "ratio":
        return f"{format_number(value, decimals)}×"
    return _join_unit(_signed(value, decimals), unit)


def _join_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit[0] in "%/" else f"{number} {unit}"


def _describe_like(actual: float, stated: StatedChange) -> str:
    """Write the actual change in the form the writer used ('+$3.2k/month', '+14% relative')."""
    if stated.kind == "absolute" and (stated.currency or stated.scale):
        shift = _SCALES.get(stated.scale, 0)
        scaled = float(round_half_away(actual, stated.decimals)) / 10**shift
        sign_text = _signed(scaled, stated.decimals + shift)
        sign, digits = (sign_text[0], sign_text[1:]) if sign_text[0] in "+−" else ("", sign_text)
        return _join_unit(f"{sign}{stated.currency}{digits}{stated.scale}", stated.unit)
    text = describe_change(actual, stated.kind, stated.decimals, stated.unit)
    return text + " relative" if stated.relative_word else text


def suggest_change(baseline: float, outcome: float, unit: str = "") -> str:
    """Say a change the way the handbook asks: pp for rates in %, else the relative change."""
    if unit.strip() in ("%", "pp"):
        decimals = max(decimals_of(baseline), decimals_of(outcome))
        return describe_change(outcome - baseline, "points", decimals)
    if baseline == 0:
        return describe_change(outcome - baseline, "absolute", max(decimals_of(baseline), decimals_of(outcome)), unit)
    return describe_change(actual_change(baseline, outcome, "relative") or 0.0, "relative", 0)


def check_change(baseline: float, outcome: float, change: str, unit: str = "") -> tuple[bool, str | None]:
    """Check a stated change against its numbers; return (ok, None) or (False, the correct figure)."""
    stated = parse_change(change)
    if stated is None:
        return False, suggest_change(baseline, outcome, unit)
    actual = actual_change(baseline, outcome, stated.kind)
    if actual is None:  # a relative change from 0: say the absolute one instead
        return False, suggest_change(baseline, outcome, unit)
    if agrees(stated.value, actual, stated.decimals, stated.signed):
        return True, None
    return False, _describe_like(actual, stated)


def with_unit(value: float, unit: str = "") -> str:
    """Write a value with its unit: '620 ms', '6.5%', '$10,000/month'."""
    number = f"{value:,g}" if abs(value) < 1e15 else f"{value:g}"
    if not unit:
        return number
    if unit[0] in "$€£":
        return f"{unit[0]}{number}{unit[1:]}"
    return _join_unit(number, unit)


def expected_value(probability: float, benefit: float, cost: float) -> float:
    """EV = p × benefit − (1 − p) × cost."""
    return probability * benefit - (1 - probability) * cost


def ev_per_week(probability: float, benefit: float, cost: float, weeks: float) -> float:
    """Expected value divided by the weeks the option takes."""
    return expected_value(probability, benefit, cost) / weeks


def decimals_of(value: float) -> int:
    """Return how many decimals a number carries as YAML gives it (0.30 reads as 0.3: one decimal)."""
    text = repr(float(value))
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        return max(0, len(mantissa.partition(".")[2].rstrip("0")) - int(exponent))
    return len(text.partition(".")[2].rstrip("0"))


def check_stated(stated: float, actual: float) -> tuple[bool, str]:
    """Check a stated figure (an EV) against the computed one, to the stated precision; return (ok, correct)."""
    decimals = decimals_of(stated)
    return agrees(stated, actual, decimals), format_number(actual, max(decimals, 2))


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
