"""Property tests of the stated-change checker (figures.assess_change), with hypothesis.

For generated baselines and outcomes, the right change written in every accepted form is
accepted, and the same form with a figure moved past its precision is caught, with the right
figure shown in the writer's form. Example counts stay modest so the file runs in seconds.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from prep_handbook import figures

QUICK = settings(max_examples=100, deadline=None, database=None)


def amount(low: int, high: int, places: int) -> st.SearchStrategy[float]:
    """Numbers as people type them: up to `places` decimals between low and high."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: float(Decimal(n) / scale))


def pair(low: int = 1, high: int = 100000, places: int = 1) -> st.SearchStrategy[tuple[float, float]]:
    """A baseline and a different outcome, both positive."""
    return st.tuples(amount(low, high, places), amount(low, high, places)).filter(lambda p: p[0] != p[1] and p[1] > 0)


def relative(baseline: float, outcome: float) -> float:
    """The change in % of the baseline."""
    return (outcome - baseline) / baseline * 100


def status(baseline: float, outcome: float, change: str, unit: str = "") -> str:
    """What the checker says about a claim, in one word."""
    return figures.assess_change(baseline, outcome, change, unit).status


@QUICK
@given(numbers=pair(), decimals=st.integers(0, 2))
@example(numbers=(620.0, 310.0), decimals=0)
def test_a_relative_change_is_accepted_in_every_form_and_caught_when_moved(numbers: tuple, decimals: int) -> None:
    baseline, outcome = numbers
    right = figures.describe_change(relative(baseline, outcome), "relative", decimals)  # '−53%', '+13.8%'
    size = right.lstrip("+−")
    word = "lower" if outcome < baseline else "higher"
    forms = [
        right,
        right.replace("−", "-"),
        size,  # unsigned: compared by size
        f"{size[:-1]} % {word}",
        f"{size[:-1]} percent {word}",
        right.replace(",", "").replace(".", ","),  # decimal comma
        f"{right} relative",
        f"about {right}",
        f"~{right}",
    ]
    for form in forms:
        assert status(baseline, outcome, form, "ms") == "ok", form
    step = Decimal(1).scaleb(-decimals)
    figure = Decimal(size[:-1].replace(",", ""))
    for moved in (figure + 2 * step, figure - 2 * step if figure >= 2 * step else figure + 3 * step):
        wrong = right[0] + str(moved) + "%" if right[0] in "+−" else str(moved) + "%"
        verdict = figures.assess_change(baseline, outcome, wrong, "ms")
        assert (verdict.status, verdict.correct) == ("wrong", right), wrong


@QUICK
@given(numbers=pair(places=0), width=st.integers(1, 20))
def test_a_range_or_bound_around_the_change_is_accepted_and_one_beside_it_is_caught(numbers: tuple, width: int) -> None:
    baseline, outcome = numbers
    change = abs(relative(baseline, outcome))
    word = "lower" if outcome < baseline else "higher"
    low, high = max(int(change) - width, 0), int(change) + 1 + width
    for form in (f"{low}–{high}%", f"{low}-{high}% {word}", f"{low} to {high}%", f"between {low} and {high}% {word}",
                 f"over {low}%", f"at least {low}% {word}", f"up to {high}%", f"under {high}% {word}", f"{low}%+"):
        assert status(baseline, outcome, form) == "ok", form
    above = int(change) + 2 + width
    for form in (f"{above}–{above + width}%", f"over {above}%", f"at least {above}%"):
        assert status(baseline, outcome, form) == "wrong", form
    if change >= 2 * width + 2:
        below = int(change) - width - 1
        for form in (f"{max(below - width, 0)}–{below}%", f"under {below}%", f"up to {below}%"):
            assert status(baseline, outcome, form) == "wrong", form


@QUICK
@given(numbers=pair(10, 10000, 0))
def test_a_multiple_is_accepted_with_its_direction_and_caught_when_off(numbers: tuple) -> None:
    baseline, outcome = numbers
    faster = outcome < baseline  # on a duration, smaller is faster
    ratio = baseline / outcome if faster else outcome / baseline
    written = figures.format_number(ratio, 2)
    phrase = "faster" if faster else "slower"
    for form in (f"{written}× {phrase}", f"{written}x {phrase}", f"{written} times {phrase}", f"about {written}× {phrase}"):
        assert status(baseline, outcome, form, "ms") == "ok", form
    if ratio > 1.1:
        off = figures.format_number(ratio * 1.5 + 0.5, 2)
        assert status(baseline, outcome, f"{off}× {phrase}", "ms") == "wrong"


@QUICK
@given(numbers=pair(1000, 9000000, 0))
def test_money_is_accepted_at_any_scale_it_is_written_in_and_caught_when_off(numbers: tuple) -> None:
    baseline, outcome = numbers
    delta = outcome - baseline
    sign = "+" if delta > 0 else "−"
    size = abs(delta)
    forms = [f"{sign}${figures.format_number(size, 0)}/month", f"{sign}{figures.format_number(size, 0)} $/month"]
    if size >= 1000:
        forms.append(f"{sign}${figures.format_number(size / 1000, 3)}k/month")
    if size >= 100000:
        forms.append(f"{sign}${figures.format_number(size / 1e6, 4)} million")
    for form in forms:
        assert status(baseline, outcome, form, "$/month") == "ok", form
    # The same money on a unit that carries its scale ($k/month): written in $k or in $, never scaled twice.
    in_k = (baseline / 1000, outcome / 1000)
    for form in (f"{sign}${figures.format_number(size / 1000, 3)}k/month", f"{sign}${figures.format_number(size, 0)}/month"):
        assert status(*in_k, form, "$k/month") == "ok", form
    wrong = f"{sign}${figures.format_number(size * 2 + 1000, 0)}/month"
    verdict = figures.assess_change(baseline, outcome, wrong, "$/month")
    assert (verdict.status, verdict.correct) == ("wrong", f"{sign}${figures.format_number(size, 0)}/month")


@QUICK
@given(numbers=pair(1, 99, 2))
def test_a_rate_in_points_and_basis_points_is_accepted_and_caught_when_off(numbers: tuple) -> None:
    baseline, outcome = numbers
    points = outcome - baseline
    pp = figures.describe_change(points, "points", 2)
    bps = figures.describe_change(points * 100, "bps", 0)
    for form in (pp, pp.replace(" pp", " percentage points"), pp.replace(" pp", "% absolute"), bps, bps.replace(" bps", " basis points")):
        assert status(baseline, outcome, form, "%") == "ok", form
    off = figures.describe_change(points * 100 + (300 if points >= 0 else -300), "bps", 0)
    verdict = figures.assess_change(baseline, outcome, off, "%")
    assert (verdict.status, verdict.correct) == ("wrong", bps)


@QUICK
@given(outcome=amount(1, 100000, 1), change=st.sampled_from(["+10%", "2×", "doubled", "+50% relative"]))
def test_a_relative_change_from_zero_is_undefined_never_wrong(outcome: float, change: str) -> None:
    verdict = figures.assess_change(0, outcome, change, "ms")
    assert verdict.status == "undefined"
    assert verdict.correct == "+" + figures.quantity(outcome, "ms")


@QUICK
@given(value=st.one_of(st.integers(-10**15, 10**15), amount(-10**9, 10**9, 6)), unit=st.sampled_from(["", "$/year", "€", "users", "%", "ms", "$k/month"]))
@example(value=15_625_000_000_000, unit="users")
@example(value=2_500_000, unit="$/year")
def test_a_quantity_is_never_written_in_exponent_form_and_reads_back(value: float, unit: str) -> None:
    text = figures.quantity(value, unit)
    assert "e+" not in text and "e-" not in text and "inf" not in text
    number = text.replace("−", "-")
    for part in (unit, "$", "€", "k/month", "/year", " users", "%", " ms"):
        number = number.replace(part, "") if part else number
    number = number.strip()
    words = {" million": 6, "M": 6, " billion": 9, "B": 9, " trillion": 12, "T": 12}
    power = 0
    for word, p in words.items():
        if number.endswith(word):
            number, power = number[: -len(word)], p
    assert Decimal(number.replace(",", "")).scaleb(power) == Decimal(repr(float(value))).normalize() or abs(
        float(Decimal(number.replace(",", "")).scaleb(power)) - value
    ) <= abs(value) * 1e-14


CLAIM_ALPHABET = st.sampled_from(list("0123456789.,+-−–~%×x$€£kKmMB /()<>≥≤ ") + ["about ", "over ", "up to ", "half", "twice", "lower",
                                                                                 "faster", " to ", "pp", "bps", "fifty", "percent", "a third"])


@settings(max_examples=300, deadline=None, database=None)
@given(
    baseline=st.one_of(st.integers(-10**15, 10**15), st.floats(-1e15, 1e15, allow_nan=False)),
    outcome=st.one_of(st.integers(-10**15, 10**15), st.floats(-1e15, 1e15, allow_nan=False)),
    change=st.one_of(st.text(max_size=40), st.lists(CLAIM_ALPHABET, max_size=8).map("".join)),
    unit=st.sampled_from(["", "ms", "%", "$k/month", "$/year", "€M/year", "users"]),
)
def test_any_claim_on_any_numbers_in_range_gets_a_verdict_never_an_exception(baseline, outcome, change, unit) -> None:
    verdict = figures.assess_change(baseline, outcome, change, unit)
    assert verdict.status in ("ok", "wrong", "undefined", "unreadable")
    assert (verdict.correct is None) == verdict.ok
    assert "e+" not in (verdict.correct or "") and "inf" not in (verdict.correct or "")
