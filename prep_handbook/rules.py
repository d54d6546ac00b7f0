"""The checker: rules declared in `data/rules.yml`, applied to validated data.

Each rule names a check from the vocabulary below (`CHECKS`). A check declares a typed
model for its params (validated when `rules.yml` loads, so a typo names its line) and is
a plain function of a story's view (its data, texts and word count, computed once), the
params and the speaking targets; it yields findings as (location, placeholders).

`check_story(data, kind, template, rules, folder)` is the whole checker: a pure function
returning findings with locations; the loader turns locations into lines. The browser's
checker (`checker.js`) implements the same vocabulary over the same declarations.

Two kinds of finding: an error is something provably wrong (a figure its own numbers
contradict, a story past the hard length limit); everything a coach would judge is a
warning with its hint. Which rule applies to which kind of story (its tags, its folder)
is declared on the rule (`when:`), not coded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from . import figures

if TYPE_CHECKING:
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


class When(BaseModel):
    """Which stories a rule applies to, by their tags and folder (every story when empty)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # Skip a story tagged with any of these.
    unless_tagged: list[str] = Field(default_factory=list)
    # Skip a story whose tags are all among these (a story with no tags is not skipped).
    unless_only: list[str] = Field(default_factory=list)
    # Only stories in these data folders (projects, stories); every folder when empty.
    folders: list[str] = Field(default_factory=list)

    def applies(self, tags: frozenset[str], folder: str | None) -> bool:
        """Say whether a story with these tags, in this folder, is checked by the rule."""
        if self.unless_tagged and tags & set(self.unless_tagged):
            return False
        if self.unless_only and tags and tags <= set(self.unless_only):
            return False
        return not self.folders or folder in self.folders


class Rule(BaseModel):
    """One declared rule; `params` are checked against its check's model when the rules load."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    applies_to: Literal["story", "hypothetical", "kit"]
    severity: Literal["error", "warning"]
    check: str
    when: When = Field(default_factory=When)
    params: dict[str, Any] = Field(default_factory=dict)
    message: str
    hint: str
    see: str

    _typed: Any = PrivateAttr(default=None)

    @property
    def typed(self) -> "Params":
        """The params as the check's model."""
        return self._typed


# Checks a rules.yml of an earlier version may still name, and what took their place.
REPLACED = {
    "any_present": "it became 'mentions' (present: the fields, fields: the texts to read, words: what names the team)",
    "min_items": "it became 'lessons' (path, fields, actions, platitudes), which reads what a lesson says",
}


class RulesError(Exception):
    """Raised when rules.yml has the right shape but names an unknown check or wrong params."""

    def __init__(self, problems: list[tuple[tuple, bool, str]]):
        self.problems = problems  # (location in rules.yml, points at the key, message)
        super().__init__("; ".join(f"{loc}: {message}" for loc, _, message in problems))


class Rules(BaseModel):
    """The whole of `data/rules.yml`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    speaking: Speaking
    rules: list[Rule]

    def model_post_init(self, _context: Any) -> None:
        problems: list[tuple[tuple, bool, str]] = []
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if rule.id in seen:
                problems.append((("rules", i, "id"), False, f"duplicate rule id '{rule.id}'"))
            seen.add(rule.id)
            spec = CHECKS.get(rule.check)
            if spec is None:
                known = ", ".join(sorted(CHECKS))
                moved = REPLACED.get(rule.check)
                why = f"; {moved}" if moved else ""
                problems.append((("rules", i, "check"), False, f"unknown check '{rule.check}'{why} (known: {known})"))
                continue
            try:
                rule._typed = (spec.params or _Untyped).model_validate(rule.params)
            except ValidationError as exc:
                problems.extend(param_problems(exc, spec.params, ("rules", i, "params")))
        if problems:
            raise RulesError(problems)

    def for_kind(self, kind: str) -> list[Rule]:
        """Return the rules that apply to a kind of document."""
        return [r for r in self.rules if r.applies_to == kind]


def param_problems(exc: ValidationError, model: type[BaseModel], prefix: tuple) -> list[tuple[tuple, bool, str]]:
    """Turn a params model's errors into (location, is key, message); a misspelt key is one line."""
    errors = exc.errors(include_url=False)
    allowed = ", ".join(model.model_fields)
    extra = [e for e in errors if e["type"] == "extra_forbidden"]
    out = []
    for err in errors:
        loc = prefix + tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            out.append((loc, True, f"unknown param (expected one of: {allowed})"))
        elif err["type"] == "missing":
            if extra and len(err["loc"]) == 1:
                continue  # the misspelt key already says it
            out.append((loc[:-1], True, f"param '{err['loc'][-1]}' is required"))
        else:
            out.append((loc, False, f"{err['msg'][:1].lower()}{err['msg'][1:]}"))
    return out


# --- params -------------------------------------------------------------------------


class Params(BaseModel):
    """The base of every check's params: strict, closed, frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


OutcomeKind = Literal["technical", "business", "user", "guardrail", "follow-up"]
Words = list[str]


class NoParams(Params):
    """A check that takes no params."""


class KindsParams(Params):
    """Outcomes of these kinds."""

    kinds: list[OutcomeKind] = Field(min_length=1)


class QuantifiedParams(KindsParams):
    """Outcomes of `kinds`; `words` are numbers written as words (zero, half, twice)."""

    words: Words = Field(default_factory=list)


class RecordsParams(Params):
    """Records at `path` filling every one of `fields` and at least one of `any_of`."""

    path: str
    fields: list[str] = Field(min_length=1)
    any_of: list[str] = Field(default_factory=list)
    min: int = Field(ge=1)


class MentionsParams(Params):
    """Pass when a `present` path has a value, or a text under `fields` names one of `words`."""

    path: str
    present: list[str] = Field(default_factory=list)
    fields: list[str] = Field(min_length=1)
    words: Words = Field(min_length=1)
    match: Literal["prefix", "word"] = "prefix"


class PronounParams(Params):
    """'I' at least `min_i` times and over `max_share` of I + credit ('we' and `credit` words)."""

    min_i: int = Field(ge=1)
    max_share: float = Field(gt=0, le=1)
    credit: Words = Field(default_factory=list)


class LessonParams(Params):
    """A lesson under `fields` naming one of `actions` and none of `platitudes`."""

    path: str
    fields: list[str] = Field(min_length=1)
    actions: Words = Field(min_length=1)
    platitudes: Words = Field(default_factory=list)


SpeakingRange = Literal["story_minutes", "hypothetical_minutes"]


class MinutesParams(Params):
    """Outside a range of minutes (unless over a limit), or over a limit."""

    outside: Optional[SpeakingRange] = None
    unless_above: Optional[Literal["story_limit_minutes"]] = None
    above: Optional[Literal["story_limit_minutes"]] = None


class ClaimWordsParams(Params):
    """Texts under `fields` (all sections when empty) holding one of `words` and no digit."""

    words: Words = Field(min_length=1)
    fields: list[str] = Field(default_factory=list)


class PhrasesParams(Params):
    """Texts holding one of `phrases`."""

    phrases: Words = Field(min_length=1)


class RoleParams(Params):
    """A `present` path has a value, the story says 'I', or most `path` items start with a verb."""

    path: str
    present: list[str] = Field(default_factory=list)
    verbs: Words = Field(default_factory=list)
    min_share: float = Field(default=0.5, gt=0, le=1)


class GoalParams(Params):
    """An outcome of `kinds` whose metric shares a word with the texts under `goal`."""

    goal: list[str] = Field(min_length=1)
    kinds: list[OutcomeKind] = Field(min_length=1)
    stopwords: Words = Field(default_factory=list)


# --- a story, read once -------------------------------------------------------------


_WORD = re.compile(r"[\w’'-]+|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class StoryView:
    """A story's data with what several rules read: its texts in template order and its length."""

    data: dict
    kind: str
    folder: Optional[str]
    tags: frozenset
    texts: tuple  # ((location, text), ...) of the sections, metadata excluded
    words: int  # each word, and each number, counts as one
    keys: tuple  # for each text, its location's keys without list indexes ("outcomes", "note")

    def texts_under(self, paths: list[str]) -> list[tuple[tuple, str]]:
        """Return the texts whose location starts with one of the dotted paths (all when empty)."""
        if not paths:
            return list(self.texts)
        prefixes = [tuple(p.split(".")) for p in paths]
        return [found for found, keys in zip(self.texts, self.keys) if any(keys[: len(prefix)] == prefix for prefix in prefixes)]


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


def _numbers(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return 1
    if isinstance(value, list):
        return sum(_numbers(item) for item in value)
    if isinstance(value, dict):
        return sum(_numbers(item) for item in value.values())
    return 0


def story_view(data: dict, template: "Template", kind: str = "story", folder: Optional[str] = None) -> StoryView:
    """Read a story once: its section texts, its word count, its tags."""
    keys = [s.key for s in template.story.sections] if kind == "story" else list(data)
    found = tuple(t for key in keys if key in data for t in texts(data[key], (key,)))
    words = sum(len(_WORD.findall(text)) for _, text in found) + sum(_numbers(data.get(key)) for key in keys)
    raw_tags = data.get("tags")
    tags = frozenset(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else frozenset()
    keys = tuple(tuple(part for part in loc if not isinstance(part, int)) for loc, _ in found)
    return StoryView(data=data, kind=kind, folder=folder, tags=tags, texts=found, words=words, keys=keys)


def word_count(data: dict, template: "Template") -> int:
    """Count the words a story takes to say; each number counts as one word."""
    return story_view(data, template).words


def spoken_minutes(data: dict, template: "Template", speaking: Speaking) -> float:
    """Return how long the story takes to say at the declared speaking rate."""
    return word_count(data, template) / speaking.words_per_minute


# --- the vocabulary -----------------------------------------------------------------

Found = tuple[tuple, dict]
CheckFn = Callable[[StoryView, Any, Speaking], Iterator[Found]]


@dataclass(frozen=True)
class Check:
    """One check of the vocabulary: its function and its params model.

    A check registered without a model (the prep-kit checks of kits.py) is called the earlier
    way, fn(data, params, template, speaking), with its params as a plain mapping.
    """

    fn: Callable
    params: Optional[type[Params]]


CHECKS: dict[str, Check] = {}


class _Untyped(Params):
    """The params of a check that declares no model: any mapping, passed on as it is."""

    model_config = ConfigDict(extra="allow", frozen=True)


def check(name: str, params: Optional[type[Params]] = None) -> Callable[[Callable], Callable]:
    """Register a check function, with its params model, under its vocabulary name."""

    def register(fn: Callable) -> Callable:
        CHECKS[name] = Check(fn, params)
        return fn

    return register


def _records(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, r) for i, r in enumerate(value) if isinstance(r, dict)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _outcomes(data: dict, kinds: list[str]) -> list[tuple[int, dict]]:
    return [(i, o) for i, o in _records(data, "outcomes") if o.get("kind") in kinds]


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


def _values_at(data: Any, dotted: str) -> Iterator[Any]:
    """Yield the values at a dotted path, fanning out over lists."""
    if isinstance(data, list):
        for item in data:
            yield from _values_at(item, dotted)
        return
    if not dotted:
        yield data
        return
    head, _, rest = dotted.partition(".")
    if isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest)


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _fmt(value: float) -> str:
    return f"{value:g}"


_DIGIT = re.compile(r"\d")


def _phrase_pattern(phrase: str) -> re.Pattern:
    """Match a phrase as whole words, case-insensitive (as kits.py reads it: no plural)."""
    return re.compile(r"(?<![\w])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w])", re.IGNORECASE)


# Compiled patterns are memoised: a pure function of the words, so results never depend on it.
@lru_cache(maxsize=256)
def _word_pattern(phrase: str) -> re.Pattern:
    """Match a word or phrase as whole words, case-insensitive, its plural (s, es) too."""
    body = re.escape(phrase).replace(r"\ ", r"\s+")
    return re.compile(r"(?<![\w])" + body + r"(?:s|es)?(?![\w])", re.IGNORECASE)


def _patterns(words: list[str], prefix: bool) -> re.Pattern:
    """One pattern for a list of words or phrases, whole words (or word starts)."""
    return _compiled(tuple(words), prefix)


@lru_cache(maxsize=256)
def _compiled(words: tuple, prefix: bool) -> re.Pattern:
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    end = "" if prefix else r"(?:s|es)?(?![\w])"
    return re.compile(r"(?<![\w])(?:" + body + ")" + end, re.IGNORECASE)


@check("outcome_numbers", QuantifiedParams)
def _outcome_numbers(view, params, speaking):
    """Flag each outcome of `kinds` with no figure: no baseline or outcome, no digit or number word."""
    words = _patterns(params.words, prefix=False) if params.words else None
    for i, o in _outcomes(view.data, params.kinds):
        if _is_number(o.get("baseline")) or _is_number(o.get("outcome")):
            continue
        said = " ".join(_text(o.get(k)) for k in ("metric", "change", "note"))
        if _DIGIT.search(said) or (words and words.search(said)):
            continue
        yield ("outcomes", i), {"metric": _text(o.get("metric"))}


@check("outcome_unit", KindsParams)
def _outcome_unit(view, params, speaking):
    """Flag each outcome of `kinds` with a baseline or outcome number but no unit."""
    for i, o in _outcomes(view.data, params.kinds):
        numeric = _is_number(o.get("baseline")) or _is_number(o.get("outcome"))
        if numeric and not _text(o.get("unit")).strip():
            yield ("outcomes", i), {"metric": _text(o.get("metric"))}


# A baseline said in words in the note: "from 4-5 seconds", "2 s to 40 ms".
_BEFORE = re.compile(r"(?<!\w)from\s+[~≈<>]?\s*[$€£]?\d|\d\s*(?:→|->|to)\s*[~≈<>]?\s*[$€£]?\d")


@check("outcome_baseline", KindsParams)
def _outcome_baseline(view, params, speaking):
    """Flag each outcome of `kinds` stating a change with no baseline and outcome (nor a 'from X' in its note)."""
    for i, o in _outcomes(view.data, params.kinds):
        if not _text(o.get("change")).strip():
            continue
        if _is_number(o.get("baseline")) and _is_number(o.get("outcome")):
            continue
        if _BEFORE.search(_text(o.get("note"))):
            continue
        yield ("outcomes", i, "change"), {"metric": _text(o.get("metric")), "change": _text(o.get("change"))}


@check("any_outcome_kind", KindsParams)
def _any_outcome_kind(view, params, speaking):
    """Flag the outcomes when none is of one of `kinds`."""
    if not _outcomes(view.data, params.kinds):
        yield ("outcomes",), {}


class StatedChangeParams(Params):
    """Which verdicts on a stated change the rule reports: `wrong` (and a % of 0) or `unreadable`."""

    finding: Literal["wrong", "unreadable"] = "wrong"


@check("stated_change", StatedChangeParams)
def _stated_change(view, params, speaking):
    """Flag each outcome whose stated change does not match baseline → outcome (figures.assess_change).

    `params.finding` picks what this rule reports: `wrong` (the default: a figure that contradicts its
    numbers, or a % of 0) or `unreadable` (a change the checker cannot read, with the forms it accepts).
    """
    wanted = ("unreadable",) if params.finding == "unreadable" else ("wrong", "undefined")
    for i, o in _records(view.data, "outcomes"):
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


@check("records_with", RecordsParams)
def _records_with(view, params, speaking):
    """Flag `path` when fewer than `min` records fill every one of `fields` and one of `any_of`."""
    records = _records(view.data, params.path)
    count = sum(
        1
        for _, r in records
        if all(_present(r.get(f)) for f in params.fields) and (not params.any_of or any(_present(r.get(f)) for f in params.any_of))
    )
    if count < params.min:
        yield (params.path,), {"count": count, "total": len(records), "min": params.min}


@check("mentions", MentionsParams)
def _mentions(view, params, speaking):
    """Pass when a `present` path has a value, or a text under `fields` names one of `words`."""
    if any(_present(v) for dotted in params.present for v in _values_at(view.data, dotted)):
        return
    pattern = _patterns(params.words, prefix=params.match == "prefix")
    if any(pattern.search(text) for _, text in view.texts_under(params.fields)):
        return
    yield (params.path,), {}


_I = re.compile(r"\b(?:I|(?i:me|my|mine|myself))\b")
_WE = re.compile(r"\b(?:we|our|ours|us|ourselves)\b", re.IGNORECASE)


@check("pronoun_balance", PronounParams)
def _pronoun_balance(view, params, speaking):
    """Flag the first 'I' when 'I' is said at least `min_i` times and is over `max_share` of I + credit."""
    credit = _patterns(params.credit, prefix=False) if params.credit else None
    i_count = we_count = 0
    first = None
    for loc, text in view.texts:
        found = len(_I.findall(text))
        if found and first is None:
            first = loc
        i_count += found
        we_count += len(_WE.findall(text)) + (len(credit.findall(text)) if credit else 0)
    total = i_count + we_count
    if i_count >= params.min_i and i_count / total > params.max_share:
        yield first, {"i": i_count, "we": we_count}


@check("lessons", LessonParams)
def _lessons(view, params, speaking):
    """Flag `path` when no lesson under `fields` names a change of practice (an action, not a platitude)."""
    actions = _patterns(params.actions, prefix=True)
    platitudes = _patterns(params.platitudes, prefix=True) if params.platitudes else None
    lessons = view.texts_under(params.fields)
    for _, text in lessons:
        if actions.search(text) and not (platitudes and platitudes.search(text)):
            return
    if not lessons:
        yield (params.path,), {"what": "no lesson is given"}
    else:
        yield (params.path,), {"what": f"'{lessons[0][1].strip()}' names no change of practice"}


@check("spoken_minutes", MinutesParams)
def _spoken_minutes(view, params, speaking):
    """Flag a story outside a range of minutes (`outside`, unless over `unless_above`) or over a limit (`above`)."""
    minutes = round(view.words / speaking.words_per_minute, 1)
    values = {"minutes": f"{minutes:.1f}", "wpm": speaking.words_per_minute}
    if params.outside:
        low, high = getattr(speaking, params.outside)
        over_limit = params.unless_above is not None and minutes > getattr(speaking, params.unless_above)
        if not low <= minutes <= high and not over_limit:
            yield ("headline",), {**values, "low": _fmt(low), "high": _fmt(high)}
    if params.above:
        limit = getattr(speaking, params.above)
        if minutes > limit:
            yield ("headline",), {**values, "limit": _fmt(limit)}


@check("words_without_number", ClaimWordsParams)
def _words_without_number(view, params, speaking):
    """Flag each text under `fields` that contains one of `words` but no digit; one finding per text."""
    patterns = [(w, _word_pattern(w)) for w in params.words]
    screen = _patterns(params.words, prefix=False)
    for loc, text in view.texts_under(params.fields):
        if _DIGIT.search(text) or not screen.search(text):
            continue
        for word, pattern in patterns:
            if pattern.search(text):
                yield loc, {"word": word}
                break


@check("phrases", PhrasesParams)
def _phrases(view, params, speaking):
    """Flag each text that contains one of `phrases` (case-insensitive, whole words); one finding per text."""
    patterns = [_word_pattern(p) for p in params.phrases]
    screen = _patterns(params.phrases, prefix=False)
    for loc, text in view.texts:
        if not screen.search(text):
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                yield loc, {"phrase": match.group(0)}
                break


_FIRST_WORD = re.compile(r"[A-Za-z][\w’'-]*")


@check("personal_role", RoleParams)
def _personal_role(view, params, speaking):
    """Flag `path` when nothing under `present`, no text says 'I', and most `path` items start with no verb."""
    if any(_present(v) for dotted in params.present for v in _values_at(view.data, dotted)):
        return
    if any(_I.search(text) for _, text in view.texts):
        return
    verbs = {v.lower() for v in params.verbs}
    items = [text for _, text in view.texts_under([params.path])]
    led = 0
    for text in items:
        first = _FIRST_WORD.search(text)
        word = first.group(0).lower() if first else ""
        if word.endswith("ed") or word in verbs:
            led += 1
    if items and led / len(items) >= params.min_share:
        return
    yield (params.path,), {}


_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _stems(text: str, stopwords: set[str]) -> set[str]:
    out = set()
    for token in _TOKEN.findall(text):
        if len(token) >= 2 and (token.isupper() or any(c.isdigit() for c in token)):
            out.add(token.lower())
            continue
        word = token.lower()
        if len(word) < 4 or word in stopwords:
            continue
        if word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word[:5])
    return out


@check("goal_tie", GoalParams)
def _goal_tie(view, params, speaking):
    """Flag the outcomes when a goal is stated and no outcome of `kinds` has a metric sharing a word with it."""
    stop = {w.lower() for w in params.stopwords}
    goal = set().union(*(_stems(text, stop) for _, text in view.texts_under(params.goal)))
    if not goal:
        return
    outcomes = _outcomes(view.data, params.kinds)
    if any(_stems(_text(o.get("metric")), stop) & goal for _, o in outcomes):
        return
    yield ("outcomes",), {}


@check("expected_value", NoParams)
def _expected_value(view, params, speaking):
    """Flag each stated EV (or EV per week) that the option inputs do not give, to its stated precision."""
    decision = view.data.get("decision")
    if not isinstance(decision, dict):
        return
    for i, option in _records(decision, "options"):
        inputs = [option.get(k) for k in ("probability", "benefit", "cost", "weeks")]
        if not all(_is_number(v) for v in inputs):
            continue
        ev = figures.expected_value(option["probability"], option["benefit"], option["cost"])
        pairs = (("stated_ev", "EV", ev), ("stated_ev_per_week", "EV per week", ev / option["weeks"] if option["weeks"] else None))
        for key, label, actual in pairs:
            if not _is_number(option.get(key)) or actual is None:
                continue
            ok, correct = figures.check_stated(option[key], actual)
            if not ok:
                yield ("decision", "options", i, key), {
                    "name": _text(option.get("name")),
                    "label": label,
                    "stated": _fmt(option[key]),
                    "correct": correct,
                }


# --- running the rules ----------------------------------------------------------------


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Finding:
    """What one rule found at one location of one story."""

    rule: str
    severity: str
    loc: tuple
    message: str
    hint: str
    see: str


def check_story(data: dict, kind: str, template: "Template", rules: Rules, folder: Optional[str] = None) -> list[Finding]:
    """Apply every rule for a kind of document (story or hypothetical) to its data; a pure function."""
    view = story_view(data, template, kind, folder)
    findings = []
    for rule in rules.for_kind(kind):
        if not rule.when.applies(view.tags, folder):
            continue
        spec = CHECKS[rule.check]
        found = spec.fn(view, rule.typed, rules.speaking) if spec.params else spec.fn(data, dict(rule.params), template, rules.speaking)
        for loc, values in found:
            findings.append(Finding(rule.id, rule.severity, tuple(loc or ()), rule.message.format_map(_Blank(values)), rule.hint, rule.see))
    return findings
