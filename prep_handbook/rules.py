"""The checker: rules declared in `data/rules.yml`, applied to validated data.

Each rule names a check from the vocabulary below (`CHECKS`). A check is a plain
function of the entry's data, the rule's params and the template; it yields
findings as (location, placeholders). The browser's checker implements the same
vocabulary over the same declarations.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from . import figures
from .problems import Problem, format_field

if TYPE_CHECKING:
    from .loader import Entry
    from .schema import Template


class Speaking(BaseModel):
    """How fast stories are told and how long they should take."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    words_per_minute: int = Field(gt=0)
    story_minutes: list[float] = Field(min_length=2, max_length=2)
    story_limit_minutes: float
    hypothetical_minutes: list[float] = Field(min_length=2, max_length=2)
    opener_seconds: list[float] = Field(default=[60, 90], min_length=2, max_length=2)
    playbook_seconds: list[float] = Field(default=[30, 60], min_length=2, max_length=2)


class Rule(BaseModel):
    """One declared rule."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    applies_to: Literal["story", "hypothetical", "kit"]
    severity: Literal["error", "warning"]
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    message: str
    hint: str
    see: str


class Rules(BaseModel):
    """The whole of `data/rules.yml`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    speaking: Speaking
    rules: list[Rule]

    def model_post_init(self, _context: Any) -> None:
        unknown = [r.check for r in self.rules if r.check not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check(s): {', '.join(unknown)} (known: {', '.join(sorted(CHECKS))})")
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate rule id(s): {', '.join(dupes)}")

    def for_kind(self, kind: str) -> list[Rule]:
        """Return the rules that apply to a kind of document."""
        return [r for r in self.rules if r.applies_to == kind]


Finding = tuple[tuple, dict]
CheckFn = Callable[[dict, dict, "Template", Speaking], Iterator[Finding]]
CHECKS: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under its vocabulary name."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return register


# --- walking the data -------------------------------------------------------------


def values_at(data: Any, dotted: str, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Yield (location, value) for a dotted path, fanning out over lists."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from values_at(item, dotted, loc + (i,))
        return
    if not dotted:
        yield loc, data
        return
    head, _, rest = dotted.partition(".")
    if isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, loc + (head,))


def texts(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Yield (location, text) for every string inside a value."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts(item, loc + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, loc + (key,))


# While `check_entry` runs, walks of one story are remembered here (keyed by the data's id,
# holding the data itself so the id cannot be reused), since several rules walk the same texts.
_WALKS: dict[tuple[int, str], tuple[dict, Any]] | None = None


def _remembered(data: dict, what: str, compute: Callable[[], Any]) -> Any:
    if _WALKS is None:
        return compute()
    hit = _WALKS.get((id(data), what))
    if hit is None or hit[0] is not data:
        hit = (data, compute())
        _WALKS[(id(data), what)] = hit
    return hit[1]


def story_texts(data: dict, template: "Template") -> list[tuple[tuple, str]]:
    """Return the text of a story's sections, in template order (metadata excluded)."""

    def walk() -> list[tuple[tuple, str]]:
        return [
            found
            for section in template.story.sections
            if section.key in data
            for found in texts(data[section.key], (section.key,))
        ]

    return _remembered(data, "texts", walk)


_WORD = re.compile(r"[\w’'-]+|\d+(?:\.\d+)?")


def word_count(data: dict, template: "Template") -> int:
    """Count the words a story takes to say; each number counts as one word."""

    def count() -> int:
        words = sum(len(_WORD.findall(text)) for _, text in story_texts(data, template))
        numbers = sum(1 for section in template.story.sections for _ in _numbers(data.get(section.key)))
        return words + numbers

    return _remembered(data, "words", count)


def _numbers(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, float]]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        yield loc, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _numbers(item, loc + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, loc + (key,))


def spoken_minutes(data: dict, template: "Template", speaking: Speaking) -> float:
    """Return how long the story takes to say at the declared speaking rate."""
    return word_count(data, template) / speaking.words_per_minute


def _outcomes(data: dict, kinds: list[str]) -> Iterator[tuple[int, dict]]:
    for i, outcome in enumerate(data.get("outcomes", [])):
        if outcome.get("kind") in kinds:
            yield i, outcome


def _fmt(value: float) -> str:
    return f"{value:g}"


# --- the vocabulary ---------------------------------------------------------------


@check("outcome_numbers")
def _outcome_numbers(data, params, template, speaking):
    """Flag each outcome of `kinds` with neither a baseline and outcome nor a change containing a digit."""
    for i, o in _outcomes(data, params["kinds"]):
        has_pair = "baseline" in o and "outcome" in o
        has_change = bool(re.search(r"\d", o.get("change", "")))
        if not has_pair and not has_change:
            yield ("outcomes", i), {"metric": o["metric"]}


@check("outcome_unit")
def _outcome_unit(data, params, template, speaking):
    """Flag each outcome of `kinds` that has a number (baseline, outcome or change) but no unit."""
    for i, o in _outcomes(data, params["kinds"]):
        numeric = any(k in o for k in ("baseline", "outcome")) or bool(re.search(r"\d", o.get("change", "")))
        if numeric and "unit" not in o:
            yield ("outcomes", i), {"metric": o["metric"]}


@check("outcome_baseline")
def _outcome_baseline(data, params, template, speaking):
    """Flag each outcome of `kinds` that states a change without both baseline and outcome."""
    for i, o in _outcomes(data, params["kinds"]):
        if "change" in o and not ("baseline" in o and "outcome" in o):
            yield ("outcomes", i, "change"), {"metric": o["metric"], "change": o["change"]}


@check("any_outcome_kind")
def _any_outcome_kind(data, params, template, speaking):
    """Flag the outcomes when none is of one of `kinds`."""
    if not any(True for _ in _outcomes(data, params["kinds"])):
        yield ("outcomes",), {}


@check("stated_change")
def _stated_change(data, params, template, speaking):
    """Flag each outcome whose stated change does not match baseline → outcome (figures.assess_change).

    `params.finding` picks what this rule reports: `wrong` (the default: a figure that contradicts its
    numbers, or a % of 0) or `unreadable` (a change the checker cannot read, with the forms it accepts).
    """
    wanted = ("unreadable",) if params.get("finding") == "unreadable" else ("wrong", "undefined")
    for i, o in enumerate(data.get("outcomes", [])):
        if not all(k in o for k in ("baseline", "outcome", "change")):
            continue
        unit = o.get("unit", "")
        verdict = figures.assess_change(o["baseline"], o["outcome"], o["change"], unit, o.get("metric", ""))
        if verdict.status in wanted:
            yield ("outcomes", i, "change"), {
                "metric": o["metric"],
                "baseline": figures.quantity(o["baseline"], unit),
                "outcome": figures.quantity(o["outcome"], unit),
                "stated": verdict.stated,
                "correct": verdict.correct,
                "verdict": verdict.explain(),
                "forms": figures.ACCEPTED_FORMS,
            }


@check("records_with")
def _records_with(data, params, template, speaking):
    """Flag `path` when fewer than `min` of its records fill every one of `fields`."""
    records = data.get(params["path"], [])
    count = sum(1 for r in records if all(r.get(f) for f in params["fields"]))
    if count < params["min"]:
        yield (params["path"],), {"count": count, "total": len(records), "min": params["min"]}


@check("mentions")
def _mentions(data, params, template, speaking):
    """Pass when a `present` field has a value, or a text in `fields` contains one of `words`."""
    if any(True for dotted in params.get("present", []) for _ in values_at(data, dotted)):
        return
    words = [w.lower() for w in params["words"]]
    for dotted in params["fields"]:
        for _loc, value in values_at(data, dotted):
            if any(w in text.lower() for _, text in texts(value) for w in words):
                return
    yield (params["path"],), {}


@check("any_present")
def _any_present(data, params, template, speaking):
    """Flag `path` when none of the dotted `fields` is present."""
    if not any(True for dotted in params["fields"] for _ in values_at(data, dotted)):
        yield (params["path"],), {}


_I = re.compile(r"\b(?:I|(?i:me|my|mine|myself))\b")
_WE = re.compile(r"\b(?:we|our|ours|us|ourselves)\b", re.IGNORECASE)


@check("pronoun_balance")
def _pronoun_balance(data, params, template, speaking):
    """Flag the first 'I' when 'I' is said at least `min_i` times and is over `max_share` of I + we."""
    i_count = we_count = 0
    first = None
    for loc, text in story_texts(data, template):
        found = len(_I.findall(text))
        if found and first is None:
            first = loc
        i_count += found
        we_count += len(_WE.findall(text))
    total = i_count + we_count
    if i_count >= params["min_i"] and i_count / total > params["max_share"]:
        yield first, {"i": i_count, "we": we_count}


@check("min_items")
def _min_items(data, params, template, speaking):
    """Flag the parent of `path` when the list at `path` has fewer than `min` items."""
    found = [v for _, v in values_at(data, params["path"])]
    count = sum(len(v) if isinstance(v, list) else 1 for v in found)
    if count < params["min"]:
        parent = tuple(params["path"].split(".")[:-1])
        yield parent, {"count": count, "min": params["min"]}


@check("spoken_minutes")
def _spoken_minutes(data, params, template, speaking):
    """Flag a story outside a range of minutes (`outside`, unless over `unless_above`) or over a limit (`above`)."""
    minutes = round(spoken_minutes(data, template, speaking), 1)
    values = {"minutes": f"{minutes:.1f}", "wpm": speaking.words_per_minute}
    if "outside" in params:
        low, high = getattr(speaking, params["outside"])
        over_limit = "unless_above" in params and minutes > getattr(speaking, params["unless_above"])
        if not low <= minutes <= high and not over_limit:
            yield ("headline",), {**values, "low": _fmt(low), "high": _fmt(high)}
    if "above" in params:
        limit = getattr(speaking, params["above"])
        if minutes > limit:
            yield ("headline",), {**values, "limit": _fmt(limit)}


def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![\w])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w])", re.IGNORECASE)


_DIGIT = re.compile(r"\d")


def _mentions_any(text: str, phrases: list[str]) -> bool:
    """Quick screen: does the text contain any phrase's first word at all? (The per-phrase search decides.)"""
    lower = text.lower()
    return any(p.split()[0] in lower for p in phrases)


@check("words_without_number")
def _words_without_number(data, params, template, speaking):
    """Flag each text (list item, field) that contains one of `words` but no digit; one finding per text."""
    patterns = [(w, _phrase_pattern(w)) for w in params["words"]]
    for loc, text in story_texts(data, template):
        if _DIGIT.search(text) or not _mentions_any(text, params["words"]):
            continue
        for word, pattern in patterns:
            if pattern.search(text):
                yield loc, {"word": word}
                break


@check("phrases")
def _phrases(data, params, template, speaking):
    """Flag each text that contains one of `phrases` (case-insensitive, whole words); one finding per text."""
    patterns = [(p, _phrase_pattern(p)) for p in params["phrases"]]
    for loc, text in story_texts(data, template):
        if not _mentions_any(text, params["phrases"]):
            continue
        for phrase, pattern in patterns:
            match = pattern.search(text)
            if match:
                yield loc, {"phrase": match.group(0)}
                break


@check("expected_value")
def _expected_value(data, params, template, speaking):
    """Flag each stated EV (or EV per week) that the option inputs do not give, to its stated precision."""
    decision = data.get("decision")
    if not decision:
        return
    for i, option in enumerate(decision["options"]):
        ev = figures.expected_value(option["probability"], option["benefit"], option["cost"])
        pairs = (("stated_ev", "EV", ev), ("stated_ev_per_week", "EV per week", ev / option["weeks"]))
        for key, label, actual in pairs:
            if key not in option:
                continue
            ok, correct = figures.check_stated(option[key], actual)
            if not ok:
                yield ("decision", "options", i, key), {
                    "name": option["name"],
                    "label": label,
                    "stated": _fmt(option[key]),
                    "correct": correct,
                }


# --- running the rules ------------------------------------------------------------


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _is_block(data: Any, loc: tuple) -> bool:
    """Say whether `loc` holds a mapping or a list: a finding about it points at its key."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(data, (dict, list))


def check_entry(entry: "Entry", template: "Template", rules: Rules) -> list[Problem]:
    """Apply every rule for the entry's kind; return the findings with file positions."""
    global _WALKS
    findings = []
    _WALKS = {}
    try:
        findings = _apply(entry, template, rules)
    finally:
        _WALKS = None
    return sorted(findings, key=lambda f: (f.line, f.col, f.rule or ""))


def _apply(entry: "Entry", template: "Template", rules: Rules) -> list[Problem]:
    findings = []
    for rule in rules.for_kind(entry.kind):
        for loc, values in CHECKS[rule.check](entry.data, rule.params, template, rules.speaking):
            line, col = entry.doc.position(loc, key=_is_block(entry.data, loc))
            findings.append(
                Problem(
                    entry.shown,
                    line,
                    col,
                    format_field(loc),
                    rule.message.format_map(_Blank(values)),
                    severity=rule.severity,
                    rule=rule.id,
                    hint=rule.hint,
                    see=rule.see,
                )
            )
    return findings
