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
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

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

    _plans: dict = PrivateAttr(default_factory=dict)  # kind -> the _Steps check_story runs, made when the rules load

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
        self._plans = {kind: tuple(_Step.of(rule) for rule in self.for_kind(kind)) for kind in dict.fromkeys(r.applies_to for r in self.rules)}

    def for_kind(self, kind: str) -> list[Rule]:
        """Return the rules that apply to a kind of document."""
        return [r for r in self.rules if r.applies_to == kind]

    def plan(self, kind: str) -> tuple["_Step", ...]:
        """The rules of a kind of document as check_story runs them (their check, params and `when:` read once)."""
        return self._plans.get(kind, ())


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
# _WORD's characters among the ASCII ones as "a", the others as " ": in ASCII text, each word _WORD
# finds becomes a run of "a"s, so the words are counted without making a string of each.
_ASCII_WORDS = "".join("a" if chr(code).isalnum() or chr(code) in "_'-" else " " for code in range(128))


def _count_words(text: str) -> int:
    """Return len(_WORD.findall(text))."""
    if not text.isascii():
        return len(_WORD.findall(text))
    marked = text.translate(_ASCII_WORDS)
    return marked.count(" a") + marked.startswith("a")

# Between the texts of StoryView.joined. No check's pattern matches it (not a word character, not
# white space, in no word of rules.yml: see _Screen.joinable), so a pattern run once over the joined
# texts finds exactly what it finds in each text alone, and no match reaches from one text into the next.
_JOIN = "\x00"


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
    joined: str = ""  # the texts joined by _JOIN, for one search over all of them
    starts: tuple = ()  # where each text starts in `joined`
    heads: dict = field(default_factory=dict)  # a location's first key -> the indexes of the texts under it
    folded: Optional[str] = None  # `joined` in lower case, where that finds every ASCII word a pattern would (see _folded)

    def texts_under(self, paths: list[str]) -> list[tuple[tuple, str]]:
        """Return the texts whose location starts with one of the dotted paths (all when empty)."""
        if not paths:
            return list(self.texts)
        return [self.texts[i] for i in self.indexes_under(paths)]

    def indexes_under(self, paths: list[str]) -> list[int]:
        """Return the indexes of the texts under the dotted paths (all when empty), in template order."""
        if not paths:
            return list(range(len(self.texts)))
        chosen: set[int] = set()
        for dotted in paths:
            prefix = tuple(dotted.split("."))
            under = self.heads.get(prefix[0], ())
            if len(prefix) == 1:
                chosen.update(under)
            else:
                size = len(prefix)
                chosen.update(i for i in under if self.keys[i][:size] == prefix)
        return sorted(chosen)

    def matching(self, screen: "_Screen") -> Iterator[int]:
        """Yield, in order, the index of each text in which the screen's pattern finds something."""
        pattern = screen.pattern
        if screen.needles is not None and self.folded is not None:
            # A match of a word holds each of its parts, and no word character stands before a part
            # (the match starts there, or spaces do): search only the texts that hold them so.
            folded, joined, starts, found = self.folded, self.joined, self.starts, set()
            for parts in screen.needles:
                at = folded.find(parts[0])
                while at >= 0:
                    if not at or not _WORD_CHAR.match(joined, at - 1):
                        i = self.index_at(at)
                        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(folded)
                        if all(folded.find(part, starts[i], end) >= 0 for part in parts[1:]):
                            found.add(i)
                    at = folded.find(parts[0], at + 1)
            yield from (i for i in sorted(found) if pattern.search(self.texts[i][1]))
        elif screen.joinable:
            starts, last = self.starts, -1
            for match in pattern.finditer(self.joined):
                i = bisect_right(starts, match.start()) - 1
                if i != last:
                    yield i
                    last = i
        else:
            yield from (i for i, (_, text) in enumerate(self.texts) if pattern.search(text))

    def count(self, screen: "_Screen") -> int:
        """Return how many times the screen's pattern matches in the texts, each text on its own."""
        if screen.needles is not None and self.folded is not None and not any(parts[0] in self.folded for parts in screen.needles):
            return 0
        if screen.joinable:
            return len(screen.pattern.findall(self.joined))
        return sum(len(screen.pattern.findall(text)) for _, text in self.texts)

    def index_at(self, offset: int) -> int:
        """Return the index of the text that holds `offset` of `joined`."""
        return bisect_right(self.starts, offset) - 1

    @cached_property
    def first_i(self) -> Optional[re.Match]:
        """The first 'I' (or me, my ...) of the texts, or None."""
        return _I.search(self.joined)  # _I matches no _JOIN


_WORD_CHAR = re.compile(r"\w")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[a-z]", re.IGNORECASE)  # and what IGNORECASE takes for one (ſ for s, the Kelvin sign for k)


def _folded(joined: str) -> Optional[str]:
    """Return `joined` in lower case when an ASCII word that a case-blind pattern finds in it is found there in lower case, at the same offset."""
    lowered = joined.lower()
    if joined.isascii():
        return lowered
    if len(lowered) != len(joined) or any(_ASCII_LETTER.match(c) for c in set(_NON_ASCII.findall(joined))):
        return None
    return lowered


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


def _gather(value: Any, loc: tuple, keys: tuple, found: list, found_keys: list) -> int:
    """Add (location, text) and its keys for every string inside a value, as `texts` yields them; return how many numbers it holds.

    `keys` are the location's keys without list indexes, as StoryView.keys holds them.
    """
    if isinstance(value, str):
        found.append((loc, value))
        found_keys.append(keys)
        return 0
    if isinstance(value, list):
        pairs: Any = enumerate(value)
    elif isinstance(value, dict):
        pairs = value.items()
    else:
        return 1 if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
    numbers = 0
    for key, item in pairs:
        if isinstance(item, str):
            found.append((loc + (key,), item))
            found_keys.append(keys if isinstance(key, int) else keys + (key,))
        elif isinstance(item, (list, dict)):
            numbers += _gather(item, loc + (key,), keys if isinstance(key, int) else keys + (key,), found, found_keys)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            numbers += 1
    return numbers


def story_view(data: dict, template: "Template", kind: str = "story", folder: Optional[str] = None) -> StoryView:
    """Read a story once: its section texts, its word count, its tags."""
    sections = [s.key for s in template.story.sections] if kind == "story" else list(data)
    found: list[tuple[tuple, str]] = []
    keys: list[tuple] = []
    heads: dict[str, list[int]] = {}
    numbers = 0
    for key in sections:
        if key in data:
            first = len(found)
            numbers += _gather(data[key], (key,), () if isinstance(key, int) else (key,), found, keys)
            if first < len(found) and keys[first]:  # each text's first key is this one
                heads.setdefault(key, []).extend(range(first, len(found)))
    lengths = [len(text) + 1 for _, text in found]
    joined = _JOIN.join([text for _, text in found])
    raw_tags = data.get("tags")
    tags = frozenset(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else frozenset()
    return StoryView(
        data=data,
        kind=kind,
        folder=folder,
        tags=tags,
        texts=tuple(found),
        words=_count_words(joined) + numbers,
        keys=tuple(keys),
        joined=joined,
        starts=tuple(accumulate(lengths, initial=0))[:-1],
        heads=heads,
        folded=_folded(joined),
    )


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


@dataclass(frozen=True)
class _Screen:
    """A pattern made of words, with what lets a StoryView search all its texts at once."""

    pattern: re.Pattern
    joinable: bool  # it cannot match _JOIN, nor nothing: StoryView.joined can be searched instead of each text
    # Of each word, its parts between spaces in lower case, the longest first: a match of the word
    # holds each of them. None unless the words are ASCII (a case-blind match of an ASCII word may
    # hold ſ or K otherwise).
    needles: Optional[tuple[tuple[str, ...], ...]]


@lru_cache(maxsize=256)
def _screen(words: tuple, prefix: bool) -> _Screen:
    """The pattern of `_patterns` for these words, as a _Screen."""
    joinable = all(word and _JOIN not in word for word in words)
    needles = None
    if joinable and all(w.isascii() for w in words):
        needles = tuple(tuple(sorted((part.lower() for part in word.split(" ") if part), key=len, reverse=True)) for word in words)
        if not all(needles):  # a word of spaces only
            needles = None
    return _Screen(_compiled(words, prefix), joinable, needles)


@lru_cache(maxsize=64)
def _lowered(words: tuple) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


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
        from . import figures  # here, not at the top: a story that states no change never needs it

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
    wanted = set(view.indexes_under(params.fields))
    if any(i in wanted for i in view.matching(_screen(tuple(params.words), params.match == "prefix"))):
        return
    yield (params.path,), {}


# 'I' and 'we' as whole words, said as \b(?:I|(?i:me|my|mine|myself))\b and, ignoring case,
# \b(?:we|our|ours|us|ourselves)\b; written to start with a letter, which lets the regex engine jump
# from one letter that can begin a match to the next (about 3x faster over a story). Just after a
# word's first letter, (?<!\w.) says what \b said before it: no word character stands before the
# letter. No other character matches m, w, o or u ignoring case (tests/test_rules.py holds the two forms equal).
_STARTS = r"(?<!\w.)"
_I = re.compile(rf"I{_STARTS}\b|m{_STARTS}(?i:e|y|ine|yself)\b|M{_STARTS}(?i:e|y|ine|yself)\b")
_WE = re.compile(
    rf"w{_STARTS}(?i:e)\b|W{_STARTS}(?i:e)\b|o{_STARTS}(?i:ur|urs|urselves)\b|O{_STARTS}(?i:ur|urs|urselves)\b|u{_STARTS}(?i:s)\b|U{_STARTS}(?i:s)\b"
)


@check("pronoun_balance", PronounParams)
def _pronoun_balance(view, params, speaking):
    """Flag the first 'I' when 'I' is said at least `min_i` times and is over `max_share` of I + credit."""
    first = view.first_i
    # _I and _WE match no _JOIN: counted over all the texts at once.
    i_count = len(_I.findall(view.joined)) if first else 0
    if i_count < params.min_i:
        return
    we_count = len(_WE.findall(view.joined)) + (view.count(_screen(tuple(params.credit), False)) if params.credit else 0)
    if i_count / (i_count + we_count) > params.max_share:
        yield view.texts[view.index_at(first.start())][0], {"i": i_count, "we": we_count}


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
    wanted = set(view.indexes_under(params.fields))
    for i in view.matching(_screen(tuple(params.words), False)):
        loc, text = view.texts[i]
        if i not in wanted or _DIGIT.search(text):
            continue
        for word in params.words:
            if _word_pattern(word).search(text):
                yield loc, {"word": word}
                break


@check("phrases", PhrasesParams)
def _phrases(view, params, speaking):
    """Flag each text that contains one of `phrases` (case-insensitive, whole words); one finding per text."""
    for i in view.matching(_screen(tuple(params.phrases), False)):
        loc, text = view.texts[i]
        for phrase in params.phrases:
            match = _word_pattern(phrase).search(text)
            if match:
                yield loc, {"phrase": match.group(0)}
                break


_FIRST_WORD = re.compile(r"[A-Za-z][\w’'-]*")


@check("personal_role", RoleParams)
def _personal_role(view, params, speaking):
    """Flag `path` when nothing under `present`, no text says 'I', and most `path` items start with no verb."""
    if any(_present(v) for dotted in params.present for v in _values_at(view.data, dotted)):
        return
    if view.first_i:
        return
    verbs = _lowered(tuple(params.verbs))
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
        # A token is ASCII letters and digits: it holds a digit when it is not all letters.
        if len(token) >= 2 and (token.isupper() or not token.isalpha()):
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
    stop = _lowered(tuple(params.stopwords))
    # The words of the metrics first: one goal text sharing one of them settles it.
    metrics = set().union(*(_stems(_text(o.get("metric")), stop) for _, o in _outcomes(view.data, params.kinds)))
    stated = False
    for _, text in view.texts_under(params.goal):
        goal = _stems(text, stop)
        if goal & metrics:
            return
        stated = stated or bool(goal)
    if stated:
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
        from . import figures

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


@dataclass(frozen=True)
class _Step:
    """One rule as check_story runs it: its check, its params, and its `when:` as sets."""

    rule: Rule
    fn: Callable
    params: Any  # the typed params, or None for a check called the earlier way (see Check)
    unless_tagged: frozenset
    unless_only: frozenset
    folders: frozenset

    @classmethod
    def of(cls, rule: Rule) -> "_Step":
        spec = CHECKS[rule.check]
        when = rule.when
        return cls(rule, spec.fn, rule.typed if spec.params else None, frozenset(when.unless_tagged), frozenset(when.unless_only), frozenset(when.folders))

    def applies(self, tags: frozenset, folder: Optional[str]) -> bool:
        """When.applies, with the sets made once."""
        if self.unless_tagged and tags & self.unless_tagged:
            return False
        if self.unless_only and tags and tags <= self.unless_only:
            return False
        return not self.folders or folder in self.folders


def check_story(data: dict, kind: str, template: "Template", rules: Rules, folder: Optional[str] = None) -> list[Finding]:
    """Apply every rule for a kind of document (story or hypothetical) to its data; a pure function."""
    view = story_view(data, template, kind, folder)
    findings = []
    speaking = rules.speaking
    for step in rules.plan(kind):
        if not step.applies(view.tags, folder):
            continue
        rule = step.rule
        found = step.fn(view, step.params, speaking) if step.params is not None else step.fn(data, dict(rule.params), template, speaking)
        for loc, values in found:
            findings.append(Finding(rule.id, rule.severity, tuple(loc or ()), rule.message.format_map(_Blank(values)), rule.hint, rule.see))
    return findings
