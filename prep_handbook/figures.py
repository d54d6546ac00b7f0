"""Arithmetic the checker holds stories to, and the one way the handbook writes a figure.

- `assess_change` reads a change the way people state it ('−53%', '+0.9 pp', 'cut by half',
  '2× faster', 'about −25%', '20–30% lower', '−$70k/month', '−50 bps', '−20,0 %') and says
  whether it matches baseline → outcome: a `Verdict` that is ok, wrong (with the figure in
  the writer's own form), undefined (a relative change from 0) or unreadable (with the forms
  it accepts). `check_change` is the short (ok, correct) form of it.
- `quantity` writes a value with its unit ('$184k/month', '620 ms', '6.5%', '$2.5M/year',
  '1.2 million users'), never in exponent form; `outcome_figures` writes an outcome's pair
  ('$184k/month → $114k/month'). Pages, print cards, the Markdown export, the checker's
  messages and the browser all print numbers through these two.

The browser (`overrides/assets/handbook/figures.js`) implements the same functions, line for
line; `tests/cases/figures.yml` holds the cases both sides are tested against.

Rounding is decimal and half away from zero, applied to the shortest decimal text of the
float (what `repr` prints in Python and `String(x)` in JavaScript), so both sides print the
same figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

MINUS = "−–-"  # Unicode minus, en dash, hyphen-minus
_EXACT = Context(prec=1000, Emax=MAX_EMAX, Emin=MIN_EMIN)  # every float's decimal text fits: no rounding, no overflow
APPROX = 0.1  # 'about', '~', words and fractions: right within 10% of the stated figure
NEARLY = 0.9  # 'nearly 20%': between 90% of the figure and the figure

# Forms a writer can use, shown when a change cannot be read.
ACCEPTED_FORMS = (
    "−53%, +0.9 pp, +13.8% relative, −50 bps, 2× faster, 0.47×, half, doubled, three times fewer, "
    "about −25%, 20–30% lower, over 20%, up to 30%, +$3.2k/month, −$1.2 million"
)

_SCALE_WORDS = {
    "k": 3, "thousand": 3,
    "m": 6, "mn": 6, "mm": 6, "million": 6,
    "b": 9, "bn": 9, "billion": 9,
}
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# In the order they are looked for; 'two thirds' is read as one word, 'twothirds'.
_FRACTIONS = (
    ("twothird", 2 / 3), ("threequarter", 3 / 4), ("half", 1 / 2), ("third", 1 / 3), ("quarter", 1 / 4),
    ("fifth", 1 / 5), ("tenth", 1 / 10),
)
_MULTIPLES = (
    ("twice", 2), ("double", 2), ("doubled", 2), ("doubling", 2), ("triple", 3), ("tripled", 3), ("tripling", 3),
    ("quadruple", 4), ("quadrupled", 4),
)
_TIME_UNITS = {
    "ns", "µs", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
    "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week", "weeks", "wk", "wks", "month", "months",
    "year", "years",
}

# Words, matched whole and ignoring case. Bounds are read (and removed) before directions.
# (name, words, symbols): a claim may carry one of these.
_BOUNDS = (
    ("nearly", r"nearly|almost|just under|just shy of", ""),
    ("approx", r"about|around|roughly|approximately|approx|circa|some|close to", r"~|≈"),
    ("lower", r"over|more than|above|at least|upwards of|in excess of", r"≥|>=|>"),
    ("upper", r"under|less than|below|up to|at most|no more than", r"≤|<=|<"),
)
_DOWN_WORDS = (
    r"lower|less|fewer|down|decrease|decreased|decreasing|drop|dropped|reduction|reduced|reduce|cut|cuts|smaller|"
    r"cheaper|shorter|saved|saving|savings|decline|declined|fell|shrank|shrunk|shrink|lowered|slashed"
)
_UP_WORDS = r"higher|more|up|increase|increased|increasing|growth|grew|grow|rise|rose|gain|gained|larger|bigger|longer|raised|boost|boosted"

_SPACE = "[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_SEP = r"(?<![A-Za-z0-9_.])"  # a word starts here (no letter, digit or dot before)
_END = r"(?![A-Za-z0-9_])"


def _words(pattern: str) -> re.Pattern:
    return re.compile(_SEP + r"(?:" + pattern + r")" + _END, re.I)


def _bound(words: str, symbols: str) -> re.Pattern:
    """Bound words, matched whole, or their symbols ('~', '>'), matched anywhere."""
    return re.compile(_SEP + r"(?:" + words + r")" + _END + (r"|" + symbols if symbols else ""), re.I)


_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9,])|[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+(?:[.,][0-9]+)?"
# One stated figure: sign, currency, number, scale, currency, then its unit word(s).
_FIGURE = re.compile(
    r"(?P<sign>[+−–-])?[ ]?(?P<cur1>[$€£])?[ ]?(?P<num>" + _NUMBER + r")"
    r"(?P<scale>[ ]?(?:thousand|million|billion|mn|mm|bn|[kKmMbB])(?![A-Za-z]))?"
    r"(?P<cur2>[ ]?[$€£])?"
)
_KIND = re.compile(
    r"^[ ]?(?:(?P<pct>%)|(?P<pp>pp|p\.p\.|ppt|pts|percentage points?|points?)(?![A-Za-z0-9_])|(?P<bps>bps|bp|basis points?)(?![A-Za-z0-9_])"
    r"|(?P<x>[x×]|times|-?fold)(?![A-Za-z0-9_]))",
    re.I,
)


@dataclass(frozen=True)
class StatedChange:
    """A change as a writer stated it: its value (or range), its kind, its precision and its reading."""

    value: float  # in the outcome's own unit: '+$3.2k' on $/month is 3200
    kind: str  # "relative" (% of baseline), "points" (pp), "bps", "ratio" (×), "absolute" (in the unit)
    decimals: int  # precision in the outcome's unit: '3.2k' on $/month is -2 (hundreds)
    signed: bool  # the writer gave a direction (a sign, or a word like 'lower')
    text: str
    high: float | None = None  # the other end of a range ('20–30%')
    bound: str = ""  # "", "approx" (about, ~, words), "nearly", "lower" (over, at least), "upper" (under, up to)
    inverted: bool = False  # a ratio read as baseline / outcome ('2× faster', 'three times fewer')
    words: str = ""  # "fraction" when stated as one ('halved', 'a third'): corrected as a relative change
    prefix: str = ""  # what the writer put before the number ('$')
    suffix: str = ""  # after it: scale, currency, kind ('k', ' million', '%', ' pp', '×')
    tail: str = ""  # the words after that, kept in a correction ('/month', ' ms', ' relative', ' faster')
    shift: int = 0  # the figure as written × 10^shift is the value in the outcome's unit
    written_decimals: int = 0
    comma: bool = False  # a decimal comma ('−20,0 %')
    sense: int = 0  # the direction stated: −1 (a minus, 'lower'), +1 (a plus, 'higher'), 0 (none)


@dataclass(frozen=True)
class Verdict:
    """What the checker says about a stated change."""

    status: str  # "ok", "wrong", "undefined" (a % or × of 0) or "unreadable"
    correct: str | None = None  # the right figure: in the writer's form when wrong, else the handbook's
    stated: str = ""

    @property
    def ok(self) -> bool:
        """Say whether the stated change is right."""
        return self.status == "ok"

    def explain(self) -> str:
        """Say what is wrong, to follow 'baseline → outcome': 'is −53%, not −50%'."""
        if self.status == "wrong":
            return f"is {self.correct}, not {self.stated}"
        if self.status == "undefined":
            return f"starts at 0, where a change in % or × is undefined: say {self.correct}, not {self.stated}"
        if self.status == "unreadable":
            return f"is {self.correct}"
        return ""


# --- reading ---------------------------------------------------------------------------


def _spell_numbers(text: str) -> str:
    """Write number words as digits: 'fifty' → '50', 'twenty-five' → '25', 'a hundred' → '100', 'tenfold' → '10-fold'."""
    tens = "|".join(_TENS)
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    text = re.sub(_SEP + r"(" + units + r"|" + tens + r"|hundred)fold" + _END, r"\1-fold", text, flags=re.I)

    def compound(match: re.Match) -> str:
        return str(_TENS[match[1].lower()] + (_UNITS[match[2].lower()] if match[2] else 0))

    text = re.sub(_SEP + r"(" + tens + r")(?:[ -](" + units + r"))?" + _END, compound, text, flags=re.I)
    text = re.sub(_SEP + r"(?:a |one )?hundred" + _END, "100", text, flags=re.I)
    return re.sub(_SEP + r"(" + units + r")" + _END, lambda m: str(_UNITS[m[1].lower()]), text, flags=re.I)


def _normalise(text: str) -> str:
    """One space between words, number words as digits, 'percent' as '%', 'N-fold' as 'Nx'."""
    text = re.sub(_SPACE + "+", " ", text).strip()
    text = re.sub(_SEP + r"(two|three)[ -](third|quarter)s" + _END, r"\1\2s", text, flags=re.I)
    text = re.sub(_SEP + r"one[ -](half|third|quarter|fifth|tenth)" + _END, r"a \1", text, flags=re.I)
    text = re.sub(_SEP + r"(?:a )?half a (?:percentage )?point" + _END, "0.5 pp", text, flags=re.I)
    text = _spell_numbers(text)
    text = re.sub(r"([0-9]) ?(?:per ?cent|pct)" + _END, r"\1%", text, flags=re.I)
    text = re.sub(r"([0-9])(?:[ -]?fold)" + _END, r"\1x", text, flags=re.I)
    return text


def _number(text: str) -> tuple[float, int, bool]:
    """Read '1,200', '20,0', '1.234,5' or '2.5'; return (value, decimals, decimal comma)."""
    comma = False
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", text):
        text, comma = text.replace(".", "").replace(",", "."), True
    elif re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", text):
        text = text.replace(",", "")
    elif "," in text:
        text, comma = text.replace(",", "."), True
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals, comma


def _unit_scale(unit: str) -> int:
    """Return the power of ten a money unit carries: '$k/month' → 3, '€M/year' and 'M€' → 6, '$/month' → 0."""
    match = re.match(r"^([$€£])?[ ]?(k|m|mn|bn|b)?(?![A-Za-z])[ ]?([$€£])?", unit.strip(), re.I)
    if not match or not (match[1] or match[3]) or not match[2]:
        return 0
    return _SCALE_WORDS[match[2].lower()]


def is_time_like(unit: str, metric: str = "") -> bool:
    """Say whether smaller is faster: a duration unit, or a metric about time or latency."""
    if (unit or "").strip().lower() in _TIME_UNITS:
        return True
    return bool(re.search(_SEP + r"(?:latency|duration|time|delay|wait)" + _END, metric or "", re.I))


_FASTER = r"faster|quicker|sooner|as fast|as quick"


def _direction(text: str, time_like: bool) -> int:
    """Return −1 for 'lower', 'cut', 'faster' (of a duration), +1 for 'higher', 'up', 0 for none or both."""
    down = bool(_words(_DOWN_WORDS).search(text))
    up = bool(_words(_UP_WORDS).search(text))
    if _words(_FASTER).search(text):
        if time_like:
            down = True
        else:
            up = True
    if _words("slower").search(text):
        if time_like:
            up = True
        else:
            down = True
    if down and not up:
        return -1
    if up and not down:
        return 1
    return 0


def _take_bound(text: str) -> tuple[str, str] | None:
    """Remove the one bound or approximation from a claim; return (bound, rest), or None for two."""
    bound = ""
    for name, words, symbols in _BOUNDS:
        found = _bound(words, symbols).search(text)
        if found:
            if bound:
                return None
            bound = name
            text = text[: found.start()] + " " + text[found.end():]
    if re.search(r"[0-9%]\+(?![0-9$€£])", text):  # '20%+'
        if bound:
            return None
        bound = "lower"
        text = re.sub(r"(?<=[0-9%])\+(?![0-9$€£])", " ", text)
    return bound, re.sub(r" +", " ", text).strip()


def parse_change(text: str, unit: str = "", metric: str = "") -> StatedChange | None:
    """Read a stated change ('−53%', 'cut by half', '2× faster', '20–30% lower', '−$70k/month'); None when unreadable."""
    if not isinstance(text, str) or not text.strip() or len(text) > 200:
        return None
    unit = (unit or "").strip()
    time_like = is_time_like(unit, metric)
    taken = _take_bound(_normalise(text))
    if taken is None:
        return None
    bound, rest = taken
    direction = _direction(rest, time_like)
    found = list(_FIGURE.finditer(rest))
    if not found:
        return _words_only(text.strip(), rest, direction, bound)
    if len(found) > 2 or _words("from").search(rest[: found[0].start()]):
        return None  # 'from 620 to 290 ms' restates the numbers; it is not a change
    first = found[0]
    second = found[1] if len(found) == 2 else None
    high_sign = ""
    kind_match = None
    if second is not None:
        gap = rest[first.end(): second.start()]
        kind_match = _KIND.match(gap)
        gap = gap[kind_match.end():] if kind_match else gap
        if gap.strip() == "" and second["sign"]:
            high_sign = ""  # '20-30%', '20–30%': the dash joins the range
        elif gap.strip().lower() in ("to", "and", "-", "–", "—"):
            high_sign = second["sign"] or ""
        else:
            return None
        if second["cur1"] and not first["cur1"]:
            return None
    last = second or first
    after = rest[last.end():]
    last_kind = _KIND.match(after)
    if last_kind:
        kind_match, after = last_kind, after[last_kind.end():]
    kind = "absolute"
    if kind_match:
        if kind_match["pct"]:
            kind = "points" if _words("absolute").search(rest) else "relative"
        elif kind_match["pp"]:
            kind = "points"
        elif kind_match["bps"]:
            kind = "bps"
        else:
            kind = "ratio"
    written, written_decimals, comma = _number(first["num"])
    scale = (first["scale"] or "").strip()
    currency = (first["cur1"] or "") + (first["cur2"] or "").strip()
    in_unit = bool(unit) and kind == "absolute" and _squash(rest[last.end("num"):]).startswith(_squash(unit))
    if in_unit or (scale and scale.lower() == unit.lower() and not currency):
        scale, currency = "", ""  # '−70 $k/month' is in the unit; '+5 m' with unit m is five metres
    if kind != "absolute" and (scale or currency):
        return None  # '20k%'
    shift = (_SCALE_WORDS[scale.lower()] if scale else 0) - _unit_scale(unit) if (scale or currency) else 0
    value = _scaled(written, shift)
    decimals = written_decimals - shift
    high = None
    if second is not None:
        high_written, high_decimals, high_comma = _number(second["num"])
        comma = comma or high_comma
        high_scale = (second["scale"] or "").strip()
        high_shift = _SCALE_WORDS[high_scale.lower()] - _unit_scale(unit) if high_scale and kind == "absolute" else shift
        high = _scaled(high_written, high_shift)
        decimals = min(decimals, high_decimals - high_shift)
        if (high_sign or (first["sign"] or "")) in MINUS and (high_sign or first["sign"]):
            high = -high
    sign = first["sign"] or ""
    if sign and sign in MINUS:
        value = -value
    if kind == "ratio":
        if sign in MINUS and sign:
            return None  # '−2×'
        signed, inverted, sense = False, direction < 0, 0
    else:
        signed, inverted = bool(sign) or direction != 0, False
        sense = direction or (-1 if sign in MINUS and sign else 1 if sign else 0)
        if direction:
            value = abs(value) * direction
            high = None if high is None else abs(high) * direction
    tail = after.strip()
    if re.search(r"[0-9]", tail):
        return None
    if kind == "ratio":
        tail = (" " + tail) if tail else ""
    elif bound or second is not None or direction:
        tail = ""
    elif tail:
        tail = tail if tail[0] == "/" else " " + tail
    prefix = rest[first.start("cur1"): first.start("num")] if first["cur1"] else ""
    suffix_end = last.end()
    suffix = rest[last.end("num"): suffix_end] + (kind_match.group(0) if last_kind else "")
    if suffix.endswith(" ") and tail.startswith("/"):
        suffix = suffix.rstrip()
    if in_unit and second is None:
        suffix, tail = "", ("" if bound or direction else rest[last.end("num"):])
    return StatedChange(
        value=value, kind=kind, decimals=decimals, signed=signed, text=text.strip(), high=high, bound=bound,
        inverted=inverted, prefix=prefix, suffix=suffix, tail=tail, shift=shift, written_decimals=written_decimals,
        comma=comma, sense=sense,
    )


def _squash(text: str) -> str:
    return re.sub(_SPACE + "+", "", text).lower()


def _scaled(written: float, shift: int) -> float:
    """Move a written figure by powers of ten exactly: 1.2 and 6 → 1200000.0."""
    return float(Decimal(repr(written)).scaleb(shift, context=_EXACT))


def _words_only(text: str, rest: str, direction: int, bound: str) -> StatedChange | None:
    """Read a change stated in words: 'halved', 'cut by a third', 'doubled', 'twice as fast'."""
    for word, multiple in _MULTIPLES:
        if _words(word).search(rest):
            said = _words(_DOWN_WORDS + "|" + _FASTER).search(rest) if direction < 0 else None
            return StatedChange(value=float(multiple), kind="ratio", decimals=0, signed=False, text=text, bound=bound,
                                inverted=direction < 0, suffix="×", tail=" " + said.group(0) if said else "")
    if _words(r"halved|halving|halve").search(rest):
        return StatedChange(value=0.5, kind="ratio", decimals=1, signed=False, text=text, bound=bound or "approx", words="fraction")
    for word, fraction in _FRACTIONS:
        found = re.search(_SEP + r"(?:(?:a|an)[ ])?" + word + r"s?" + _END, rest, re.I)
        if not found:
            continue
        before = rest[: found.start()].strip().lower()
        by = before.endswith(" by") or before == "by"
        to = before.endswith(" to") or before == "to" or rest[found.end():].strip().lower().startswith("of")
        if word == "half" and not by:
            to = True  # 'half', 'cut in half', 'half the latency': the outcome is half the baseline
        if to:
            return StatedChange(value=fraction, kind="ratio", decimals=1, signed=False, text=text, bound=bound or "approx", words="fraction")
        sign = direction or (-1 if by else 0)
        if sign == 0:
            return None
        return StatedChange(value=sign * fraction * 100, kind="relative", decimals=0, signed=True, text=text,
                            bound=bound or "approx", words="fraction", sense=sign)
    return None


def actual_change(baseline: float, outcome: float, kind: str) -> float | None:
    """Return the change from baseline to outcome measured the way `kind` says; None if undefined."""
    if kind == "relative":
        return None if baseline == 0 else (outcome - baseline) / abs(baseline) * 100
    if kind == "ratio":
        return None if baseline == 0 else outcome / baseline
    if kind == "bps":
        return (outcome - baseline) * 100
    return outcome - baseline


def agrees(stated: float, actual: float, decimals: int, signed: bool = True) -> bool:
    """Say whether `stated` is `actual` rounded to the precision it was stated to (decimals may be negative)."""
    if not signed:
        stated, actual = abs(stated), abs(actual)
    return abs(actual - stated) <= 0.5 * 10 ** (-decimals) + 1e-9


def fits(stated: StatedChange, actual: float) -> bool:
    """Say whether an actual change is what was stated: a figure to its precision, a range, a bound, 'about'."""
    tol = 0.5 * 10 ** (-stated.decimals) + 1e-9
    low = stated.value
    high = stated.value if stated.high is None else stated.high
    if stated.kind != "ratio":
        if stated.sense and abs(actual) > tol and (actual > 0) != (stated.sense > 0):
            return False  # the wrong direction
        low, high, actual = abs(low), abs(high), abs(actual)
    low, high = min(low, high), max(low, high)
    if stated.bound == "approx":
        spread = max(tol, APPROX * high + 1e-9)
        return low - spread <= actual <= high + spread
    if stated.bound == "nearly":
        return NEARLY * low - tol <= actual <= high + tol
    if stated.bound == "lower":
        return actual >= low - tol
    if stated.bound == "upper":
        return actual <= high + tol
    return low - tol <= actual <= high + tol


def round_half_away(value: float, decimals: int) -> Decimal:
    """Round the shortest decimal text of `value` to `decimals` places, halves away from zero."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_EXACT)


def format_number(value: float, decimals: int, shift: int = 0) -> str:
    """Format value × 10^−shift to `decimals` places (at least 0), thousands separated, with a typographic minus."""
    places = max(decimals, 0)
    rounded = Decimal(repr(float(value))).scaleb(-shift, context=_EXACT).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_EXACT)
    text = f"{abs(rounded):,.{places}f}"
    return ("−" if rounded < 0 else "") + text


def _signed(value: float, decimals: int) -> str:
    text = format_number(value, decimals)
    return "+" + text if round_half_away(value, max(decimals, 0)) > 0 else text


def describe_change(value: float, kind: str, decimals: int, unit: str = "") -> str:
    """Write a change the way the checker suggests it: '−53%', '+0.9 pp', '−50 bps', '1.5×', '+150 ms'."""
    if kind == "relative":
        return f"{_signed(value, decimals)}%"
    if kind == "points":
        return f"{_signed(value, decimals)} pp"
    if kind == "bps":
        return f"{_signed(value, decimals)} bps"
    if kind == "ratio":
        return f"{format_number(value, decimals)}×"
    return _join_unit(_signed(value, decimals), unit)


def _join_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit[0] in "%/" else f"{number} {unit}"


def describe_like(actual: float, stated: StatedChange, unit: str = "") -> str:
    """Write the actual change in the form the writer used: '+$3.2k/month', '−18,5 %', '1.6× faster', '−30%'."""
    if stated.words == "fraction":
        ratio = stated.kind == "ratio"
        return describe_change((actual - 1) * 100 if ratio else actual, "relative", 0)
    stated_digits = format_number(abs(_scaled(stated.value, -stated.shift)), stated.written_decimals)
    same_sign = not stated.signed or stated.kind == "ratio" or (actual < 0) == (stated.value < 0)
    for more in range(1 if stated.kind == "ratio" and stated.written_decimals == 0 else 0, 4):  # 1.4×, not 1×
        digits = format_number(abs(actual), stated.written_decimals + more, stated.shift)
        if stated.kind == "ratio" and stated.written_decimals == 0 and digits.endswith(".0"):
            digits = digits[:-2]
        if digits != stated_digits or not same_sign:
            break
    if actual != 0 and not any(c in "123456789" for c in digits) and stated.kind == "absolute":
        return ("−" if actual < 0 else "+") + quantity(abs(actual), unit)  # too small for the writer's scale
    if stated.comma:
        digits = digits.replace(",", "").replace(".", ",")
    if stated.kind == "ratio":
        return digits + "×" + stated.tail
    nonzero = any(c in "123456789" for c in digits)
    sign = ("−" if actual < 0 else "+") if nonzero else ""
    return sign + stated.prefix + digits + stated.suffix + stated.tail


def suggest_change(baseline: float, outcome: float, unit: str = "") -> str:
    """Say a change the way the handbook asks: pp for rates in %, the absolute change from 0, else the relative change."""
    unit = (unit or "").strip()
    if unit in ("%", "pp"):
        decimals = max(decimals_of(baseline), decimals_of(outcome))
        return describe_change(outcome - baseline, "points", decimals)
    change = actual_change(baseline, outcome, "relative")
    if change is None or not math.isfinite(change):  # from 0 (or next to it): the absolute change
        delta = outcome - baseline
        return ("+" if delta > 0 else "−" if delta < 0 else "") + quantity(abs(delta), unit)
    return describe_change(change, "relative", 0)


def assess_change(baseline: float, outcome: float, change: str, unit: str = "", metric: str = "") -> Verdict:
    """Check a stated change against its numbers, the way a careful reader would."""
    unit = (unit or "").strip()
    shown = change.strip() if isinstance(change, str) else str(change)
    stated = parse_change(change, unit, metric)
    if stated is None:
        return Verdict("unreadable", suggest_change(baseline, outcome, unit), shown)
    kind = stated.kind
    if kind == "ratio" and stated.inverted:
        actual = actual_change(outcome, baseline, "ratio")
    elif kind == "bps" and unit not in ("%", "pp"):
        relative = actual_change(baseline, outcome, "relative")  # bps of the value itself
        actual = None if relative is None else relative * 100
    else:
        actual = actual_change(baseline, outcome, kind)
    if actual is None or not math.isfinite(actual) or (kind == "ratio" and outcome == 0 and stated.inverted):
        return Verdict("undefined", suggest_change(0, outcome - baseline, unit), shown)
    if fits(stated, actual):
        return Verdict("ok", None, shown)
    if kind == "relative" and stated.value < 0 and outcome > 0 and _words(_FASTER).search(_normalise(shown)) and is_time_like(unit, metric):
        speed = (baseline / outcome - 1) * 100  # '50% faster' as speed: 100 → 67 ms
        if fits(replace(stated, value=-stated.value, high=None if stated.high is None else -stated.high, sense=-stated.sense), speed):
            return Verdict("ok", None, shown)
    return Verdict("wrong", describe_like(actual, stated, unit), shown)


def check_change(baseline: float, outcome: float, change: str, unit: str = "", metric: str = "") -> tuple[bool, str | None]:
    """Check a stated change against its numbers; return (ok, None) or (False, the correct figure)."""
    verdict = assess_change(baseline, outcome, change, unit, metric)
    return verdict.ok, verdict.correct


# --- writing numbers ---------------------------------------------------------------------

_MAGNITUDES = ((12, "trillion", "T"), (9, "billion", "B"), (6, "million", "M"))


def _decimal_text(value: float, shift: int = 0) -> str:
    """|value| × 10^−shift as plain decimal text, to 15 significant digits, halves away from zero: never an exponent."""
    number = abs(Decimal(repr(float(value)))).scaleb(-shift, context=_EXACT)
    if number == 0:
        return "0"
    number = number.quantize(Decimal(1).scaleb(number.adjusted() - 14), rounding=ROUND_HALF_UP, context=_EXACT)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _grouped(text: str) -> str:
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


def _magnitude(value: float) -> tuple[str, int] | None:
    """Return (digits, power) when |value| reads best in millions, billions or trillions ('2.5', 6); else None."""
    for power, _, _ in _MAGNITUDES:
        if abs(value) >= 10**power:
            text = _decimal_text(value, power)
            whole, _, frac = text.partition(".")
            return (text, power) if len(whole) <= 3 and len(frac) <= 3 else None
    return None


def _yaml_special(value: float) -> str:
    return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"


def plain_number(value: float) -> str:
    """Write a number as people write it: '620', '6.5', '12,000', '0.000012', '2.5 million'; never '2.5e+06'."""
    if not math.isfinite(value):
        return _yaml_special(value)
    sign = "−" if value < 0 else ""
    scaled = _magnitude(value)
    if scaled is not None:
        words = {power: word for power, word, _ in _MAGNITUDES}
        return f"{sign}{scaled[0]} {words[scaled[1]]}"
    return sign + _grouped(_decimal_text(value))


def quantity(value: float, unit: str = "") -> str:
    """Write a value with its unit, the one way pages, cards, exports, messages and the browser do: '$184k/month',
    '620 ms', '6.5%', '$2.5M/year', '1.2 million users'. A unit that carries a scale ('$k/month') is not scaled again."""
    unit = (unit or "").strip()
    if not math.isfinite(value):
        return _join_unit(_yaml_special(value), unit)
    if unit[:1] in ("$", "€", "£"):
        sign = "−" if value < 0 else ""
        scaled = None if _unit_scale(unit) else _magnitude(value)
        if scaled is not None:
            letters = {power: letter for power, _, letter in _MAGNITUDES}
            return f"{sign}{unit[0]}{scaled[0]}{letters[scaled[1]]}{unit[1:]}"
        return f"{sign}{unit[0]}{_grouped(_decimal_text(value))}{unit[1:]}"
    return _join_unit(plain_number(value), unit)


def outcome_figures(record: dict) -> str:
    """Write an outcome's numbers: '$184k/month → $114k/month', or the one value it has."""
    unit = record.get("unit") or ""
    parts = [quantity(record[key], unit) for key in ("baseline", "outcome") if _is_number(record.get(key))]
    return " → ".join(parts)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def with_unit(value: float, unit: str = "") -> str:
    """Write a value with its unit (the checker's messages): the same as `quantity`."""
    return quantity(value, unit)


# --- expected values -------------------------------------------------------------------------


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
