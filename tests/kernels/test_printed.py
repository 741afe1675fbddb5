"""Printed numbers and p-values: decimals kept, intervals exact under each rounding convention.

Expected intervals are hand calculations: a number printed with d decimals stands for the
values within half a unit (10**-d / 2) of it, with ends included as the convention says.
"""

import decimal
from fractions import Fraction

import numpy as np

import pytest

from reanalyse.kernels.printed import PrintedNumber, PrintedNumberError, Rounding, parse_number, parse_p


@pytest.mark.parametrize("text, scaled, decimals, lower, upper", [
    ("8.60", 860, 2, "8.595", "8.605"),      # trailing zero kept: two decimals
    ("8.6", 86, 1, "8.55", "8.65"),
    (".034", 34, 3, "0.0335", "0.0345"),
    ("\u22122.1", -21, 1, "-2.15", "-2.05"),  # unicode minus sign
    ("2,1", 21, 1, "2.05", "2.15"),          # decimal comma (cannot be thousands)
    ("2.3e-5", 23, 6, "0.0000225", "0.0000235"),
    ("60", 60, 0, "59.5", "60.5"),
])
def test_number_keeps_decimals_and_interval(text, scaled, decimals, lower, upper):
    number = parse_number(text)
    assert (number.scaled, number.decimals) == (scaled, decimals)
    low, high, low_closed, high_closed = number.bounds_exact("nearest")
    assert (low, high) == (Fraction(lower), Fraction(upper))
    assert low_closed and high_closed  # "nearest": a tie may have gone either way


@pytest.mark.parametrize("text", ["1,234", "abc", "", "1.2.3", "--2"])
def test_unreadable_numbers_are_refused_with_a_hint(text):
    with pytest.raises(PrintedNumberError) as caught:
        parse_number(text)
    assert caught.value.hint


def test_floats_are_refused_because_their_decimals_are_lost():
    with pytest.raises(PrintedNumberError, match="lost its printed decimals"):
        parse_number(8.6)


@pytest.mark.parametrize("rounding, true_value, expected", [
    # printed "2.5" (1 decimal): ties at 2.45 and 2.55
    ("nearest", "2.45", True), ("nearest", "2.55", True),
    ("half_up", "2.45", True), ("half_up", "2.55", False),     # 2.55 -> 2.6 (away from 0)
    ("half_down", "2.45", False), ("half_down", "2.55", True),  # 2.45 -> 2.4 (towards 0)
    ("half_even", "2.45", False), ("half_even", "2.55", False),  # 5 is odd: ties leave it
    ("truncate", "2.59", True), ("truncate", "2.45", False),
    ("ceiling", "2.41", True), ("ceiling", "2.5", True), ("ceiling", "2.51", False),
    ("floor", "2.5", True), ("floor", "2.59", True), ("floor", "2.49", False),
])
def test_rounding_conventions(rounding, true_value, expected):
    assert parse_number("2.5").contains(Fraction(true_value), rounding) is expected


def test_half_even_keeps_ties_on_even_digits():
    # 2.45 and 2.35 both round half-even to 2.4
    number = parse_number("2.4")
    assert number.contains(Fraction("2.45"), "half_even") and \
        number.contains(Fraction("2.35"), "half_even")


def test_negative_half_up_rounds_ties_away_from_zero():
    # -2.45 rounds half-up (away from zero) to -2.5, so it is not in "-2.4"'s interval
    assert not parse_number("-2.4").contains(Fraction("-2.45"), "half_up")
    assert parse_number("-2.4").contains(Fraction("-2.35"), "half_up")


def test_unknown_rounding_lists_the_conventions():
    with pytest.raises(ValueError, match="half_even"):
        Rounding.parse("bankers")


@pytest.mark.parametrize("text, relation, interval, significant", [
    ("0.034", "=", (0.0335, 0.0345), True),
    ("= .034", "=", (0.0335, 0.0345), True),
    ("P = 0.034", "=", (0.0335, 0.0345), True),
    ("< .05", "<", (0.0, 0.05), True),
    ("<.001", "<", (0.0, 0.001), True),
    ("> .05", ">", (0.05, 1.0), False),
    ("ns", "ns", (0.05, 1.0), False),
    ("n.s.", "ns", (0.05, 1.0), False),
    (".000", "=", (0.0, 0.0005), True),
    ("p \u2264 .05", "<=", (0.0, 0.05), True),
    ("= .05", "=", (0.045, 0.055), True),  # p = alpha counts as significant (as statcheck)
    ("= .051", "=", (0.0505, 0.0515), False),
])
def test_p_values_as_printed(text, relation, interval, significant):
    p = parse_p(text)
    assert p.relation == relation
    assert p.interval(0.05, "nearest") == pytest.approx(interval)
    assert p.significant(0.05) is significant


def test_p_printed_as_zero_is_flagged():
    assert parse_p(".000").is_zero and not parse_p(".001").is_zero


@pytest.mark.parametrize("text", ["1.2", "-0.1", "p = 2", "high"])
def test_p_outside_zero_one_or_unreadable_is_refused(text):
    with pytest.raises(PrintedNumberError):
        parse_p(text)


@pytest.mark.parametrize("rounding", list(Rounding))
def test_float_value_interval_and_wholeness_agree_with_the_exact_fractions(rounding):
    # float(Fraction) is correctly rounded (Python's fractions module), so it is the reference
    # for the integer arithmetic that value and interval use.
    rng = np.random.default_rng(3)
    scaled_values = np.concatenate([rng.integers(-10**12, 10**12, 2000),
                                    rng.integers(-10, 10, 2000) * 10**rng.integers(0, 8, 2000)])
    for scaled, decimals in zip(scaled_values, rng.integers(-3, 16, 4000)):
        number = PrintedNumber("x", int(scaled), int(decimals))
        lower, upper, _, _ = number.bounds_exact(rounding)
        assert number.value == float(number.exact)
        assert number.is_integer == (number.exact.denominator == 1)
        assert number.interval(rounding) == (float(lower), float(upper))


# Python's decimal module rounds by each convention; a true value x belongs to a printed
# number's interval exactly when x, rounded to the printed decimals, gives the printed number.
DECIMAL_MODES = {
    Rounding.HALF_UP: (decimal.ROUND_HALF_UP,),          # ties away from zero
    Rounding.HALF_DOWN: (decimal.ROUND_HALF_DOWN,),      # ties towards zero
    Rounding.HALF_EVEN: (decimal.ROUND_HALF_EVEN,),
    Rounding.TRUNCATE: (decimal.ROUND_DOWN,),            # towards zero
    Rounding.CEILING: (decimal.ROUND_CEILING,),
    Rounding.FLOOR: (decimal.ROUND_FLOOR,),
    Rounding.NEAREST: (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_DOWN),   # a tie either way
}


@pytest.mark.parametrize("rounding", list(Rounding))
@pytest.mark.parametrize("text", ["0", "0.0", "-0.0", "2.5", "-2.5", "2.6", "-2.6", "0.1",
                                  "-0.1", "13", "-13", "0.05", "1.00"])
def test_interval_holds_exactly_the_values_that_round_to_the_printed_number(rounding, text):
    number = parse_number(text)
    printed = decimal.Decimal(text)
    quantum = decimal.Decimal(1).scaleb(-number.decimals)
    step = quantum / 20
    for k in range(-60, 61):   # true values 3 units either side, in twentieths of a unit
        x = printed + k * step
        rounds_to_it = any(x.quantize(quantum, rounding=mode) == printed
                           for mode in DECIMAL_MODES[rounding])
        assert number.contains(Fraction(x), rounding) == rounds_to_it, (text, str(x))
