"""GRIM, percentage-versus-n, GRIMMER and DEBIT screens.

Oracles: hand calculations written out beside each value, published worked examples, and
brute-force enumeration of every integer data set, with rounding implemented here from each
convention's definition (independently of ``reanalyse.kernels.printed``).
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from reanalyse.screens import debit, debit_map, grim, grim_map, grimmer, grimmer_map, \
    percent_map, percent_n
from reanalyse.kernels.granularity import ceil_div, floor_div, is_square, isqrt, \
    least_squares, representable

CONVENTIONS = ("nearest", "half_up", "half_down", "half_even", "truncate", "ceiling", "floor")


# -- rounding from the definitions, for the brute-force oracles ---------------------------------

def prints_as(true_value: Fraction, text: str, convention: str) -> bool:
    """Whether ``true_value`` would be printed as ``text`` under ``convention``."""
    decimals = len(text.partition(".")[2])
    printed = Fraction(text)
    y = true_value * 10**decimals
    target = printed * 10**decimals  # an integer
    floor, ceil = math.floor(y), math.ceil(y)
    sign = 1 if y >= 0 else -1
    if convention == "nearest":  # either neighbour of an exact half
        return abs(y - target) <= Fraction(1, 2)
    if convention == "half_up":  # halves away from zero
        return sign * math.floor(abs(y) + Fraction(1, 2)) == target
    if convention == "half_down":  # halves towards zero
        return sign * math.ceil(abs(y) - Fraction(1, 2)) == target
    if convention == "half_even":
        nearest = round(y)  # Python rounds Fractions half to even
        return nearest == target
    if convention == "truncate":
        return sign * math.floor(abs(y)) == target
    if convention == "ceiling":
        return ceil == target
    return floor == target  # floor


def sd_prints_as(variance: Fraction, text: str, convention: str) -> bool:
    """Whether an SD with this exact variance prints as ``text`` (compared through squares)."""
    decimals = len(text.partition(".")[2])
    target = Fraction(text)
    unit = Fraction(1, 10**decimals)
    # the SD prints as target when it lies in target's rounding interval; the interval ends,
    # squared, bound the variance (ends at or below zero bound nothing)
    low, high, low_in, high_in = {
        "nearest": (target - unit / 2, target + unit / 2, True, True),
        "half_up": (target - unit / 2, target + unit / 2, True, False),
        "half_down": (target - unit / 2, target + unit / 2, False, True),
        "half_even": (target - unit / 2, target + unit / 2,
                      int(target / unit) % 2 == 0, int(target / unit) % 2 == 0),
        "truncate": (target, target + unit, True, False),
        "ceiling": (target - unit, target, False, True),
        "floor": (target, target + unit, True, False),
    }[convention]
    above = low <= 0 or variance > low * low or (low_in and variance == low * low)
    below = variance < high * high or (high_in and variance == high * high)
    return above and below


# -- GRIM -----------------------------------------------------------------------------------------

def test_grim_hand_example():
    # 145 / 28 = 5.1786 -> 5.18 and 146 / 28 = 5.2143 -> 5.21: no sum gives 5.19
    result = grim("5.19", 28)
    assert result.status == "inconsistent"
    assert "5.18 (145/28)" in result.reason and "5.21 (146/28)" in result.reason
    assert grim("5.18", 28).status == "consistent"
    assert result.details["testable"] is True


def test_grim_published_examples():
    # INSPECT-SR guidance, check 4.8 (https://inspect.sr/chapters/check_4_8.html): Apgar means
    # 8.96 and 9.96 are impossible with 30 infants (8.96 x 30 = 268.8: 268/30 = 8.93,
    # 269/30 = 8.97; 9.96 x 30 = 298.8: 298/30 = 9.93, 299/30 = 9.97)
    assert grim("8.96", 30).status == "inconsistent"
    assert grim("9.96", 30).status == "inconsistent"
    # the die example of the GRIM test's Wikipedia article: 20 rolls cannot average 3.48
    # (k / 20 has 0 or 5 in the second decimal)
    assert grim("3.48", 20).status == "inconsistent"
    assert grim("3.45", 20).status == "consistent"


def test_grim_items_multiply_the_granularity():
    # 28 participants x 2 items = 56 values: 291/56 = 5.1964 -> 5.20; with one item,
    # 5.20 x 28 = 145.6 and 145/28 = 5.18, 146/28 = 5.21
    assert grim("5.20", 28, items=2).status == "consistent"
    assert grim("5.20", 28).status == "inconsistent"


def test_grim_rounding_conventions_at_a_tie():
    # 41/8 = 5.125 exactly: printed 5.13 when halves go up, 5.12 when they go down;
    # 40/8 = 5.000 and 42/8 = 5.25 print otherwise
    assert grim("5.13", 8, rounding="half_up").status == "consistent"
    assert grim("5.13", 8, rounding="nearest").status == "consistent"
    assert grim("5.13", 8, rounding="half_down").status == "inconsistent"
    assert grim("5.12", 8, rounding="half_down").status == "consistent"
    assert grim("5.12", 8, rounding="truncate").status == "consistent"


def test_grim_testable_flag():
    # 200 values with 2 decimals: every mean is possible (200 >= 10**2)
    assert grim("5.19", 200).details["testable"] is False


def test_grim_trailing_zero_matters():
    # "5.20" says [5.195, 5.205]: no k/28 there (see above); "5.2" says [5.15, 5.25] (146/28),
    # and with 28 >= 10**1 values every 1-decimal mean is possible: GRIM cannot test it
    assert grim("5.20", 28).status == "inconsistent"
    assert grim("5.2", 28).status == "untestable"
    assert grim("5.2", 28).consistent is None
    # 7 < 10 values: "5.2" is testable; 36/7 = 5.143 and 37/7 = 5.286 miss [5.15, 5.25]
    assert grim("5.2", 7).status == "inconsistent"



def test_grim_against_enumeration():
    rng = random.Random(11)
    rows = []
    for _ in range(400):
        n, items = rng.randint(1, 40), rng.randint(1, 3)
        decimals = rng.randint(0, 3)
        value = rng.uniform(-3, 9)
        rows.append((f"{value:.{decimals}f}", n, items, rng.choice(CONVENTIONS)))
    for convention in CONVENTIONS:
        table = pd.DataFrame([r[:3] for r in rows], columns=["mean", "n", "items"]).astype(str)
        got = grim_map(table, rounding=convention)["status"].tolist()
        for (mean, n, items, _), status in zip(rows, got):
            count = n * items
            centre = int(Fraction(mean) * count)
            possible = any(prints_as(Fraction(k, count), mean, convention)
                           for k in range(centre - count - 2, centre + count + 3))
            # a check that cannot fail (n x items >= 10**decimals) says so
            decimals = len(mean.partition(".")[2])
            if count >= 10**decimals:
                assert possible and status == "untestable", (mean, n, items, convention)
            else:
                assert (status == "consistent") == possible, (mean, n, items, convention)


# -- percentages ----------------------------------------------------------------------------------

def test_percent_hand_examples():
    # 16/30 = 53.33% -> "53.3"; 15/30 = 50.0 and 17/30 = 56.7 do not print so
    result = percent_n("53.3", 30)
    assert result.status == "consistent"
    assert (result["count_low"], result["count_high"]) == (16, 16)
    # 3/7 = 42.86% and 4/7 = 57.14%: "50.0" is impossible out of 7
    bad = percent_n("50.0", 7)
    assert bad.status == "inconsistent"
    assert "42.9% (3/7)" in bad.reason and "57.1% (4/7)" in bad.reason
    # "50" (no decimals) says [49.5, 50.5]: out of 200, 99/200 = 49.5% to 101/200 = 50.5%
    wide = percent_n("50", 200)
    assert (wide["count_low"], wide["count_high"]) == (99, 101)


def test_percent_against_enumeration():
    rng = random.Random(5)
    rows = [(f"{rng.uniform(0, 100):.{rng.randint(0, 2)}f}", rng.randint(1, 150))
            for _ in range(300)]
    table = pd.DataFrame(rows, columns=["percent", "n"]).astype(str)
    out = percent_map(table)
    for (percent, n), low, high in zip(rows, out["count_low"], out["count_high"]):
        counts = [k for k in range(n + 1) if prints_as(Fraction(100 * k, n), percent, "nearest")]
        if counts:
            assert (low, high) == (min(counts), max(counts))
        else:
            assert pd.isna(low) and pd.isna(high)  # empty cells, not a placeholder


# -- GRIMMER --------------------------------------------------------------------------------------

def test_grimmer_published_example():
    # INSPECT-SR check 4.8: mean 9.93 with SD 0.18 is impossible for 30 Apgar scores.  By hand:
    # 9.93 x 30 = 297.9, so the sum is 298 (298/30 = 9.933); the smallest sum of squares for
    # 30 integers summing to 298 is 28 x 10**2 + 2 x 9**2 = 2962, SD = sqrt((2962 - 298**2/30)
    # / 29) = 0.2537 > 0.185
    result = grimmer("9.93", "0.18", 30)
    assert result.status == "inconsistent"
    assert "0.25" in result.reason  # the smallest possible SD
    assert grimmer("9.93", "0.25", 30).status == "consistent"


def test_grimmer_fails_the_mean_first():
    result = grimmer("5.19", "1.00", 28)
    assert result.status == "inconsistent"
    assert result.reason.startswith("the mean fails GRIM")


@pytest.mark.parametrize("dtype", [np.int64, object])
def test_representable_against_enumeration(dtype):
    # every integer vector of length n with entries in -R..R; (S, Q) pairs within the range
    # where the enumeration is complete (|y| <= sqrt(Q) <= R); object arrays of Python ints
    # (the path rows with large products take) must give the same answers
    for n, spread, span in [(2, 30, 300), (3, 20, 250), (4, 12, 120), (5, 8, 60), (6, 6, 30)]:
        reached = {(sum(y), sum(v * v for v in y))
                   for y in itertools.combinations_with_replacement(range(-spread, spread + 1), n)}
        totals, squares = [], []
        for total in range(n):
            q, r = divmod(total, n)
            minimum = n * q * q + r * (2 * q + 1)
            for square in range(minimum, minimum + span):
                totals.append(total)
                squares.append(square)
        got = representable(np.full(len(totals), n, dtype=dtype), np.array(totals, dtype=dtype),
                            np.array(squares, dtype=dtype))
        expected = [(s, q) in reached for s, q in zip(totals, squares)]
        assert got.tolist() == expected, n


def _grimmer_brute(mean: str, sd: str, n: int, convention: str) -> bool:
    """Some n integers with mean and SD printing as given: enumeration over every vector whose
    entries lie within SD_max sqrt(n - 1) of the mean (no entry can lie further)."""
    reach = (Fraction(sd) + 1) * math.ceil(math.sqrt(n - 1)) + 2
    centre = Fraction(mean)
    values = range(math.floor(centre - reach), math.ceil(centre + reach) + 1)
    for y in itertools.combinations_with_replacement(values, n):
        total = sum(y)
        if not prints_as(Fraction(total, n), mean, convention):
            continue
        variance = Fraction(n * sum(v * v for v in y) - total * total, n * (n - 1))
        if sd_prints_as(variance, sd, convention):
            return True
    return False


@pytest.mark.parametrize("convention", ["nearest", "half_even", "truncate"])
def test_grimmer_against_enumeration(convention):
    rng = random.Random(7 + len(convention))
    rows = []
    for _ in range(50):
        n = rng.choice([2, 3, 4])  # where the parity rule alone is not exact
        data = [rng.randint(0, 5) for _ in range(n)]
        mean = sum(data) / n
        sd = math.sqrt(sum((d - mean) ** 2 for d in data) / (n - 1))
        decimals = rng.choice([1, 2])
        shifted = max(sd + rng.choice([0, 0, 1, -1, 2]) * 10**-decimals, 0)
        rows.append((f"{mean:.{decimals}f}", f"{shifted:.{decimals}f}", n))
    table = pd.DataFrame(rows, columns=["mean", "sd", "n"]).astype(str)
    got = grimmer_map(table, rounding=convention)["status"]
    for (mean, sd, n), status in zip(rows, got):
        assert (status == "consistent") == _grimmer_brute(mean, sd, n, convention), (mean, sd, n)


def test_grimmer_items():
    # two items per score: responses are k/2; 4 people scoring 1, 1.5, 2, 2.5 -> mean 1.75,
    # SD sqrt(((.75)**2 + (.25)**2) * 2 / 3) = 0.6455 -> "0.65"
    assert grimmer("1.75", "0.65", 4, items=2).status == "consistent"
    # with one item the mean 1.75 of 4 integers is possible (7/4) but not with SD 0.65:
    # sums of squares for sum 7 give SDs 0.50, 0.96, ...
    assert grimmer("1.75", "0.65", 4).status == "inconsistent"


def test_integer_helpers_on_python_ints():
    # rows whose products overflow int64 are computed on object arrays of Python ints: each
    # helper must accept them and agree with Python's own integer arithmetic
    rng = random.Random(13)
    big = [rng.randint(0, 10**40) for _ in range(200)] + [0, 1, 2**62, 2**62 - 1, 10**36]
    n = [rng.randint(1, 10**12) for _ in big]
    values, sizes = np.array(big, dtype=object), np.array(n, dtype=object)
    expected_least = []
    for total, size in zip(big, n):
        q, r = divmod(total, size)
        expected_least.append(q * q * size + r * (2 * q + 1))  # r values q + 1, the rest q
    assert least_squares(sizes, values).tolist() == expected_least
    assert isqrt(values).tolist() == [math.isqrt(v) for v in big]
    assert is_square(values * values).all()
    assert not is_square(values * values + 2 * values + 2).any()  # strictly between squares
    assert floor_div(values, sizes).tolist() == [v // m for v, m in zip(big, n)]
    assert ceil_div(values, sizes).tolist() == [-(-v // m) for v, m in zip(big, n)]
    # int64 near the top of the float-exact range, where sqrt in floating point is off by one
    near = np.array([2**52 + 1, (2**31 - 1) ** 2, (2**31 - 1) ** 2 - 1, 2**62 - 1, 0, 3],
                    dtype=np.int64)
    assert isqrt(near).tolist() == [math.isqrt(int(v)) for v in near]
    assert is_square(near).tolist() == [math.isqrt(int(v)) ** 2 == int(v) for v in near]


def test_grimmer_rows_with_large_n():
    # both rows overflow int64 in the SD arithmetic (E n Q with E = 4 * 10**4 is about 1e25
    # at n = 4000, SD 12.31), so they take the Python-int path.
    # n = 4000 >= 10**2: every 2-decimal mean is some S / 4000 (S = 45.20 x 4000 = 180800).
    # From n = 5 on every Q >= the spread-out minimum with the parity of S is reachable, so the
    # variance (n Q - S**2) / (n (n - 1)) moves in steps of 2 n / (n (n - 1)) = 2 / 3999 =
    # 0.0005, the SD near 12.31 in steps of 0.0005 / (2 x 12.31) = 0.00002, far finer than the
    # 0.01 of the printed SD, and the smallest SD (residue 180800 mod 4000 = 800: variance
    # 800 x 3200 / (4000 x 3999) = 0.16, SD 0.40) lies below 12.305: consistent.
    assert grimmer("45.20", "12.31", 4000).status == "consistent"
    # mean 5 with n = 100000: S = 500000 (all fives give SD 0), and SD steps near 1 are
    # 2 / 99999 / 2 = 0.00001: SD 1.00 is reached
    assert grimmer("5", "1.00", 100000).status == "consistent"


def test_grimmer_hand_cases_on_the_python_int_path():
    # n = 4e9 (n**2 = 1.6e19 alone overflows int64).  Mean 5.5 says S / n in [5.45, 5.55].
    # Half fives and half sixes: mean 5.5, SD 0.5 sqrt(n / (n - 1)) = 0.50000000006 -> "0.50"
    n = 4 * 10**9
    assert grimmer("5.5", "0.50", n).status == "consistent"
    # integers with mean mu and fractional part f have sum of squared deviations at least
    # n f (1 - f) (the two-point spread), so SD >= sqrt(f (1 - f)) >= sqrt(.45 x .55) = 0.4975
    # for every mean in the interval: "0.49" (at most 0.495) is impossible, and for the
    # central sum (f = 0.5) the smallest SD prints as 0.50
    low = grimmer("5.5", "0.49", n)
    assert low.status == "inconsistent"
    assert low.reason.endswith("the smallest possible SD is 0.50")
    # n = 2 with a 10-decimal SD (E = 4e20): mean 0.5 needs S = 1, values (a, 1 - a), SD
    # |2a - 1| / sqrt(2) for odd |2a - 1|: 1 / sqrt(2) = 0.70710678118654... -> "0.7071067812",
    # the next 3 / sqrt(2) = 2.1213203436; "0.7071067811" lies between them
    assert grimmer("0.5", "0.7071067812", 2).status == "consistent"
    gap = grimmer("0.5", "0.7071067811", 2)
    assert gap.status == "inconsistent"
    assert gap.reason.endswith("the smallest possible SD is 0.7071067812")
    assert grimmer("0.5", "2.1213203436", 2).status == "consistent"


def test_n_times_items_beyond_int64():
    # n x items = 81874763737149164 x 1000000037 = 81874766766515422274519068 (8.2e25), which
    # is 28 modulo 2**64: a wrapped int64 product would screen it as 28 values, for which 5.19
    # is impossible (145/28 = 5.18, 146/28 = 5.21).  With 8.2e25 >= 10**2 values every
    # 2-decimal mean is possible; and (n >= 5) the SD moves in vanishing steps from its
    # smallest value, at most 0.5 (values as even as possible), past 1.00: both consistent
    n, items = 81874763737149164, 1000000037
    assert n * items == 81874766766515422274519068 and n * items % 2**64 == 28
    result = grim("5.19", n, items=items)
    assert result.status == "untestable" and not result["testable"]
    assert grimmer("5.19", "1.00", n, items=items).status == "consistent"


def _rounded_sqrt(value: Fraction, decimals: int) -> str:
    """sqrt(value) printed at ``decimals`` places, halves up, in exact integer arithmetic."""
    scaled = value * 10 ** (2 * decimals)
    root = math.isqrt(scaled.numerator // scaled.denominator)  # floor(sqrt(scaled))
    if scaled >= Fraction(2 * root + 1, 2) ** 2:
        root += 1
    text = str(root).rjust(decimals + 1, "0")
    return f"{text[:-decimals]}.{text[-decimals:]}" if decimals else text


def _rounded(value: Fraction, decimals: int) -> str:
    """``value`` printed at ``decimals`` places, halves up (non-negative values)."""
    scaled = math.floor(value * 10**decimals + Fraction(1, 2))
    text = str(scaled).rjust(decimals + 1, "0")
    return f"{text[:-decimals]}.{text[-decimals:]}" if decimals else text


def test_grimmer_fuzz_with_large_n():
    rng = random.Random(2024)
    rows, expected = [], []
    for _ in range(100):  # anything: must not raise, and give a known status
        n = rng.choice([rng.randint(5, 10**4), rng.randint(10**4, 10**9), 10 ** rng.randint(3, 17)])
        mean = rng.uniform(-50, 1000) * rng.choice([1, 0.001])
        sd = rng.uniform(0, 300) * rng.choice([1, 0.01, 0.0001])
        rows.append((f"{mean:.{rng.randint(0, 5)}f}", f"{sd:.{rng.randint(0, 6)}f}", n,
                     rng.choice([1, 2, 7, 10**9])))
        expected.append(None)
    for _ in range(100):  # m values a and n - m values b exist, so the printed pair is possible
        n = rng.choice([rng.randint(5, 10**6), rng.randint(10**6, 10**15)])
        m, a, b = rng.randint(1, n - 1), rng.randint(-20, 20), rng.randint(-20, 20)
        mean = Fraction(m * a + (n - m) * b, n)
        variance = Fraction(m * (n - m) * (a - b) ** 2, n * (n - 1))
        mean_text = _rounded(mean - min(a, b), rng.randint(0, 4))  # shift to non-negative
        rows.append((mean_text, _rounded_sqrt(variance, rng.randint(0, 6)), n, 1))
        expected.append("consistent")
    for _ in range(100):
        # the mean's fractional part stays within [0.25, 0.75] over its rounding interval, so
        # the SD is at least sqrt(n f (1 - f) / (n - 1)) >= sqrt(0.1875) = 0.433 (see above):
        # an SD printed at most 0.40 is impossible
        n = rng.choice([rng.randint(5, 10**6), rng.randint(10**6, 10**18 - 1)])  # 18 digits at most
        tenths = rng.randint(3, 6)
        mean = rng.choice([f"{rng.randint(0, 999)}.{tenths}",
                           f"{rng.randint(0, 999)}.{tenths}{rng.randint(0, 9)}"])
        rows.append((mean, f"{rng.uniform(0, 0.40):.2f}", n, 1))
        expected.append("inconsistent")
    table = pd.DataFrame(rows, columns=["mean", "sd", "n", "items"]).astype(str)
    out = grimmer_map(table)
    assert set(out["status"]) <= {"consistent", "inconsistent"}
    for row, want, status in zip(rows, expected, out["status"]):
        if want is not None:
            assert status == want, row
    # the other granularity checks read the same big numbers
    assert set(grim_map(table)["status"]) <= {"consistent", "inconsistent", "untestable"}
    proportions = table.assign(mean=[f"{rng.random():.{rng.randint(0, 6)}f}" for _ in rows])
    assert set(debit_map(proportions)["status"]) <= {"consistent", "inconsistent"}
    percents = pd.DataFrame({"percent": [f"{100 * rng.random():.{rng.randint(0, 6)}f}"
                                         for _ in rows], "n": table["n"]})
    assert set(percent_map(percents)["status"]) <= {"consistent", "inconsistent"}


# -- DEBIT ----------------------------------------------------------------------------------------

def test_debit_hand_examples():
    # 7 ones in 20: mean 0.35, SD sqrt(7 x 13 / (20 x 19)) = sqrt(91/380) = 0.4894 -> 0.49
    assert debit("0.35", "0.49", 20).status == "consistent"
    wrong_sd = debit("0.35", "0.45", 20)
    assert wrong_sd.status == "inconsistent" and "0.49" in wrong_sd.reason
    # the mean itself: 6/20 = 0.30 and 7/20 = 0.35, so 0.33 is no proportion of 20 (this
    # GRIM step is the one scrutiny 0.6.1's DEBIT skips)
    wrong_mean = debit("0.33", "0.48", 20)
    assert wrong_mean.status == "inconsistent"
    assert wrong_mean.reason.startswith("no count out of 20")


def test_debit_against_enumeration():
    rng = random.Random(3)
    rows = []
    for _ in range(400):
        n = rng.randint(2, 300)
        k = rng.randint(0, n)
        mean_places, sd_places = rng.choice([1, 2, 3]), rng.choice([1, 2, 3])
        mean = min(max(k / n + rng.choice([0, 0, 0.01, -0.01]), 0), 1)
        sd = max(math.sqrt(k * (n - k) / (n * (n - 1))) + rng.choice([0, 0, 0.01, -0.001]), 0)
        rows.append((f"{mean:.{mean_places}f}", f"{sd:.{sd_places}f}", n))
    table = pd.DataFrame(rows, columns=["mean", "sd", "n"]).astype(str)
    for convention in ("nearest", "half_up", "ceiling"):
        got = debit_map(table, rounding=convention)["status"]
        for (mean, sd, n), status in zip(rows, got):
            possible = any(
                prints_as(Fraction(k, n), mean, convention)
                and sd_prints_as(Fraction(k * (n - k), n * (n - 1)), sd, convention)
                for k in range(n + 1))
            assert (status == "consistent") == possible, (mean, sd, n, convention)


# -- bad cells ------------------------------------------------------------------------------------

def test_bad_cells_give_per_row_status():
    table = pd.DataFrame({"mean": ["5.19", "", "n/a", "3.50", "4.1", "5.18", "abc"],
                          "sd": ["1.0", "1.0", "1.0", "-1", "1.0", "1.00", "1"],
                          "n": ["28", "28", "28", "28", "-3", "28", "2.5"]})
    out = grimmer_map(table)
    assert out["status"].tolist() == ["inconsistent", "bad_input", "bad_input", "bad_input",
                                      "bad_input", "inconsistent", "bad_input"]
    assert out["consistent"].isna().tolist() == [False, True, True, True, True, False, True]
    assert out.loc[1, "reason"] == "mean = '': empty cell"
    assert out.loc[2, "reason"].startswith("mean = 'n/a': not a number")
    assert out.loc[3, "reason"] == "sd = '-1': must be at least 0"
    assert out.loc[4, "reason"] == "n = '-3': must be at least 2"
    assert "mean = 'abc'" in out.loc[6, "reason"] and "n = '2.5'" in out.loc[6, "reason"]


# -- GRIMMER with n = 3: a bounded search ---------------------------------------------------------

def _three_rows(rng, count, places=(2, 3, 4)):
    """Rows of three integers in 0..30 with their SD printed to ``places`` decimals, nudged by
    a unit or two of the last place so that about half are impossible."""
    rows = []
    for _ in range(count):
        data = [rng.randint(0, 30) for _ in range(3)]
        mean = Fraction(sum(data), 3)
        sd = math.sqrt(sum((d - mean) ** 2 for d in data) / 2)
        decimals = rng.choice(places)
        shifted = max(sd + rng.choice([0, 1, -1, 2]) * 10**-decimals, 0)
        rows.append((f"{float(mean):.2f}", f"{shifted:.{decimals}f}", 3))
    return rows


def _three_reached():
    """Sum -> every sum of squares of three integers in -30..60 with that sum.  Complete for the rows of
    :func:`_three_rows`: means in 0..30 and SDs below 22, so no value lies more than
    22 sqrt(2) < 32 from a mean."""
    reached: dict[int, set[int]] = {}
    for y in itertools.combinations_with_replacement(range(-30, 61), 3):
        reached.setdefault(sum(y), set()).add(sum(v * v for v in y))
    return reached


def _three_possible(reached, mean: str, sd: str) -> bool:
    """Some reached (S, Q) with S / 3 printing as ``mean`` and the SD as ``sd`` (nearest)."""
    return any(sd_prints_as(Fraction(3 * q - s * s, 6), sd, "nearest")
               for s in range(91) if prints_as(Fraction(s, 3), mean, "nearest")
               for q in reached[s])


@pytest.fixture(scope="module")
def three_reached():
    return _three_reached()


def test_grimmer_three_against_enumeration(three_reached):
    rows = _three_rows(random.Random(31), 40)
    got = grimmer_map(pd.DataFrame(rows, columns=["mean", "sd", "n"]).astype(str))["status"]
    assert set(got) <= {"consistent", "inconsistent"}
    for (mean, sd, n), status in zip(rows, got):
        assert (status == "consistent") == _three_possible(three_reached, mean, sd), (mean, sd)
    assert {"consistent", "inconsistent"} <= set(got)  # both outcomes were exercised


def test_grimmer_three_within_a_small_budget_is_never_wrong(monkeypatch, three_reached):
    # with a budget of one candidate largest value, rows whose search would need more are left
    # untestable; every row still decided must agree with the enumeration
    import reanalyse.kernels.grimmer as core
    monkeypatch.setattr(core, "THREE_BUDGET", 1)
    rows = _three_rows(random.Random(32), 40, places=(1, 2))
    out = grimmer_map(pd.DataFrame(rows, columns=["mean", "sd", "n"]).astype(str))
    for (mean, sd, n), status in zip(rows, out["status"]):
        if status != "untestable":
            assert (status == "consistent") == _three_possible(three_reached, mean, sd), \
                (mean, sd)
    assert (out["status"] == "untestable").any()
    assert out.loc[out["status"] == "untestable", "reason"].str.startswith(
        "too large to decide").all()
    assert (out["status"] != "untestable").any()


@pytest.mark.parametrize("sd", ["100000000.00", "1000000000.00"])
def test_grimmer_three_with_a_huge_sd(sd):
    # witness by hand: (5 - d, 5, 5 + d) has mean 5 and SD sqrt((d**2 + 0 + d**2) / 2) = d
    assert grimmer("5.00", sd, 3).status == "consistent"


def test_grimmer_three_with_a_narrow_window_and_a_huge_sd():
    # mean 5.00 of three integers: the sum is 15 (14.985 <= S / 3 <= 15.015).  The SD
    # 123456789.123456789 says (Q - 75) / 2 lies in [lo**2, hi**2], lo, hi = SD -+ 5e-10, and
    # Q has the parity of 15: counted here in exact fractions, no odd integer Q lies in it
    sd = Fraction("123456789.123456789")
    low, high = 2 * (sd - Fraction(5, 10**10)) ** 2 + 75, 2 * (sd + Fraction(5, 10**10)) ** 2 + 75
    odd = [q for q in range(math.ceil(low), math.floor(high) + 1) if q % 2]
    assert not odd
    result = grimmer("5.00", "123456789.123456789", 3)
    assert result.status == "inconsistent"
    assert "too large to search for the nearest possible SDs" in result.reason
    # SD 380618.546467 leaves a candidate Q that only a factorisation would settle, and more
    # largest values than the budget: the row is left undecided, not called either way
    wide = grimmer("5.00", "380618.546467", 3)
    assert wide.status == "untestable" and wide.reason.startswith("too large to decide")
