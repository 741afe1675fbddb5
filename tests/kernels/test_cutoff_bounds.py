"""Exact bounds beyond a cut-off (reanalyse.kernels.cutoff_bounds).

Oracles: every multiset of scores for small n (itertools.combinations_with_replacement, with
means and SDs compared as exact Fractions, written here independently of the module), and
``scipy.optimize.milp`` on an integer programme of a different form (one binary variable per
participant and score) at mid sizes; Cantelli's inequality as a property at larger n.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pytest

from reanalyse.kernels.cutoff_bounds import Interval, Scale, Witness, count_difference, \
    count_reading, count_witness, cutoff_bounds, cutoff_sweep
from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import Rounding, parse_number

ROUNDINGS = [r.value for r in Rounding]


def _in(bounds, value: Fraction) -> bool:
    """Whether ``value`` lies in a printed number's ``bounds_exact()``, compared here."""
    lower, upper, lower_closed, upper_closed = bounds
    return (value > lower or (lower_closed and value == lower)) and \
        (value < upper or (upper_closed and value == upper))


def _sd_in(bounds, variance: Fraction) -> bool:
    """Whether sqrt(variance) lies in ``bounds``: squares compared for non-negative ends."""
    lower, upper, lower_closed, upper_closed = bounds
    if lower < 0:
        above = True
    else:
        above = variance > lower ** 2 or (lower_closed and variance == lower ** 2)
    below = variance < upper ** 2 or (upper_closed and variance == upper ** 2)
    return above and below


@lru_cache(maxsize=None)
def _datasets(n: int, low: int, high: int, items: int):
    """Every multiset of n scores on low..high in steps of 1/items, grouped by exact (mean,
    variance): {(mean, variance): [sorted score tuples]}."""
    scores = [Fraction(low) + Fraction(j, items) for j in range((high - low) * items + 1)]
    groups = defaultdict(list)
    for data in itertools.combinations_with_replacement(scores, n):
        mean = sum(data) / n
        variance = sum((x - mean) ** 2 for x in data) / (n - 1) if n > 1 else None
        groups[(mean, variance)].append(data)
    return groups


@lru_cache(maxsize=None)
def _fitting(n, low, high, items, mean_text, sd_text, rounding):
    """Every dataset whose mean and SD print as the given texts."""
    mean = parse_number(mean_text).bounds_exact(rounding)
    sd = None if sd_text is None else parse_number(sd_text).bounds_exact(rounding)
    return [data for (m, v), group in _datasets(n, low, high, items).items()
            if _in(mean, m) and (sd is None or _sd_in(sd, v)) for data in group]


@lru_cache(maxsize=None)
def _brute(n, low, high, items, mean_text, sd_text, rounding, cutoff, direction):
    """Counts beyond the cut-off over every fitting dataset (sorted; empty if none)."""
    test = {">=": lambda x: x >= cutoff, ">": lambda x: x > cutoff,
            "<=": lambda x: x <= cutoff, "<": lambda x: x < cutoff}[direction]
    return tuple(sorted({sum(1 for x in data if test(x))
                         for data in _fitting(n, low, high, items, mean_text, sd_text,
                                              rounding)}))


def _printed_pairs(n, low, high, items, rng, how_many):
    """Mean and SD texts: true datasets' values printed to 1 or 2 decimals, and neighbours
    one unit away in the last place (which may fit no dataset)."""
    groups = list(_datasets(n, low, high, items))
    pairs = []
    for mean, variance in rng.sample(groups, min(how_many, len(groups))):
        places = rng.choice([1, 2])
        sd = np.sqrt(float(variance))
        mean_text = f"{float(mean):.{places}f}"
        sd_text = f"{sd:.{places}f}"
        pairs.append((mean_text, sd_text))
        step = Fraction(rng.choice([-1, 1]), 10 ** places)
        pairs.append((f"{float(Fraction(mean_text) + step):.{places}f}", sd_text))
        pairs.append((mean_text, f"{max(0.0, float(Fraction(sd_text) - step)):.{places}f}"))
    return pairs


CASES = [(2, 0, 10, 1), (3, 0, 10, 1), (5, 0, 10, 1), (7, 0, 10, 1), (4, 1, 5, 2),
         (6, 1, 5, 2), (3, 0, 4, 3)]


@pytest.mark.parametrize("n, low, high, items", CASES)
def test_bounds_match_brute_force(n, low, high, items):
    rng = random.Random(n * 100 + high * 10 + items)
    checked = infeasible = 0
    for mean_text, sd_text in _printed_pairs(n, low, high, items, rng, 3):
        rounding = rng.choice(ROUNDINGS)
        direction = rng.choice([">=", ">", "<=", "<"])
        cutoff = Fraction(rng.randrange(low * items, high * items + 1), items)
        if rng.random() < 0.2:  # a cut-off between scale points
            cutoff += Fraction(1, 2 * items)
        expected = _brute(n, low, high, items, mean_text, sd_text, rounding, cutoff, direction)
        got = cutoff_bounds(n, mean_text, sd_text, (low, high, items), cutoff, direction,
                            rounding=rounding)
        where = (n, mean_text, sd_text, rounding, str(cutoff), direction)
        assert got.feasible == bool(expected), where
        if expected:
            assert (got.count_min, got.count_max) == (expected[0], expected[-1]), where
            assert got.verify(), where
        else:
            infeasible += 1
        checked += 1
    assert checked >= 9


def test_every_rounding_convention_brute_force():
    """Every convention, on printed numbers that sit exactly on interval ends: n = 4 on 0..10
    has means k/4 (2.25 rounds to 2.2 or 2.3 depending on the convention)."""
    n, low, high = 4, 0, 10
    for rounding in ROUNDINGS:
        for mean_text, sd_text in (("2.2", "1.5"), ("2.3", "1.5"), ("2.5", "0.6"),
                                   ("2.0", "0.0"), ("5", "3"), ("5.0", "5.8")):
            for cutoff, direction in ((3, ">="), (2, "<="), (5, ">"), (1, "<")):
                expected = _brute(n, low, high, 1, mean_text, sd_text, rounding,
                                  Fraction(cutoff), direction)
                got = cutoff_bounds(n, mean_text, sd_text, (low, high), cutoff, direction,
                                    rounding=rounding)
                where = (mean_text, sd_text, rounding, cutoff, direction)
                assert got.feasible == bool(expected), where
                if expected:
                    assert (got.count_min, got.count_max) == (expected[0], expected[-1]), where
                    assert got.verify(), where


def test_mean_only_brute_force():
    for mean_text in ("3.1", "3.13", "7.0"):
        for rounding in ("nearest", "truncate"):
            expected = _brute(5, 0, 10, 1, mean_text, None, rounding, Fraction(4), ">=")
            got = cutoff_bounds(5, mean_text, None, (0, 10), 4, rounding=rounding)
            assert got.feasible == bool(expected)
            if expected:
                assert (got.count_min, got.count_max) == (expected[0], expected[-1])
                assert got.verify()


def test_n_equal_one():
    got = cutoff_bounds(1, "7", None, (0, 10), 5)
    assert (got.count_min, got.count_max) == (1, 1)
    with pytest.raises(ValueError, match="n = 1 has no sample SD"):
        cutoff_bounds(1, "7", "0", (0, 10), 5)


def test_witness_recomputes_exactly():
    bounds = cutoff_bounds(20, "9.20", "4.10", (0, 30), 13)
    for witness, count in ((bounds.witness_min, bounds.count_min),
                           (bounds.witness_max, bounds.count_max)):
        data = [score for score, f in witness.frequencies.items() for _ in range(f)]
        mean = sum(data) / Fraction(len(data))
        variance = sum((x - mean) ** 2 for x in data) / (len(data) - 1)
        assert len(data) == 20 and Fraction("9.195") <= mean <= Fraction("9.205")
        assert Fraction("4.095") ** 2 <= variance <= Fraction("4.105") ** 2
        assert sum(1 for x in data if x >= 13) == count
    assert bounds.to_dict()["witness_max"]["n"] == 20


def test_sweep_and_possible_cutoffs_brute_force():
    n, low, high = 5, 0, 10
    rng = random.Random(7)
    for mean_text, sd_text in _printed_pairs(n, low, high, 1, rng, 2):
        for direction in (">=", "<"):
            sweep = cutoff_sweep(n, mean_text, sd_text, (low, high), direction)
            assert len(sweep.bounds) == 11
            for bounds in sweep.bounds:
                expected = _brute(n, low, high, 1, mean_text, sd_text, "nearest",
                                  bounds.cutoff, direction)
                assert bounds.feasible == bool(expected)
                if expected:
                    assert (bounds.count_min, bounds.count_max) == (expected[0], expected[-1])
            for count in range(n + 1):
                expected = [b.cutoff for b in sweep.bounds if count in _brute(
                    n, low, high, 1, mean_text, sd_text, "nearest", b.cutoff, direction)]
                assert sweep.possible_cutoffs(count) == expected, (mean_text, sd_text, count)


def test_count_witness_brute_force():
    n = 7
    bounds = cutoff_bounds(n, "4.6", "3.1", (0, 10), 6)
    expected = _brute(n, 0, 10, 1, "4.6", "3.1", "nearest", Fraction(6), ">=")
    for count in range(n + 1):
        witness = count_witness(bounds, count)
        assert (witness is not None) == (count in expected)
        if witness is not None:
            assert witness.count(6) == count and witness.matches(bounds.mean, bounds.sd)


def _brute_reading(n, low, high, cutoff, counts, mean_text=None, sd_text=None):
    means, variances = [], []
    mean = None if mean_text is None else parse_number(mean_text).bounds_exact(Rounding.NEAREST)
    sd = None if sd_text is None else parse_number(sd_text).bounds_exact(Rounding.NEAREST)
    for (m, v), group in _datasets(n, low, high, 1).items():
        if not any(sum(1 for x in data if x >= cutoff) in counts for data in group):
            continue
        if sd is None or _sd_in(sd, v):
            means.append(m)
        if mean is None or _in(mean, m):
            variances.append(v)
    return means, variances


def test_reverse_reading_brute_force():
    n, low, high, cutoff = 6, 0, 10, 7
    for count, mean_text, sd_text in ((2, "4.5", "3.3"), (0, None, "1.2"), (6, None, None),
                                      (3, "5.17", None), (1, "2.0", "4.0")):
        got = count_reading(n, (low, high), cutoff, count=count, mean=mean_text, sd=sd_text)
        means, variances = _brute_reading(n, low, high, cutoff, {count}, mean_text, sd_text)
        assert got.feasible == bool(means and variances), count
        if got.feasible:
            assert (got.mean_min, got.mean_max) == (min(means), max(means))
            assert (got.variance_min, got.variance_max) == (min(variances), max(variances))
            for witness in got.witnesses.values():
                assert witness.count(cutoff) == count
            assert got.witnesses["mean_min"].mean == got.mean_min
            assert got.witnesses["sd_max"].variance == got.variance_max


def test_reverse_reading_from_percent():
    # 33.3% of 6 is 2 (33.33%); 2 of 6 is the only count that prints as 33.3
    assert list(percent_count_range("33.3", 6, "nearest")) == [2]
    assert list(percent_count_range("50", 7, "nearest")) == []
    got = count_reading(6, (0, 10), 7, percent="33.3", sd="3.3")
    means, _ = _brute_reading(6, 0, 10, 7, {2}, None, "3.3")
    assert (got.mean_min, got.mean_max) == (min(means), max(means))


def test_count_difference_from_arms():
    treat = cutoff_bounds(7, "3.6", "2.8", (0, 10), 5)
    control = cutoff_bounds(7, "5.3", "2.6", (0, 10), 5)
    diff = count_difference(treat, control)
    t = _brute(7, 0, 10, 1, "3.6", "2.8", "nearest", Fraction(5), ">=")
    c = _brute(7, 0, 10, 1, "5.3", "2.6", "nearest", Fraction(5), ">=")
    assert (diff.difference_min, diff.difference_max) == (t[0] - c[-1], t[-1] - c[0])
    assert diff.witnesses_max[0].count(5) - diff.witnesses_max[1].count(5) == diff.difference_max


def _milp_oracle(n, mean_text, sd_text, cutoff, maximise):
    """A second formulation: one binary x[i, y] per participant i and score y, the sum and
    the sum of squares within their exact integer windows (computed here from the Fraction
    intervals for each sum), one programme per sum; symmetry broken by sorted scores."""
    from scipy.optimize import LinearConstraint, milp

    mean = parse_number(mean_text)
    sd = parse_number(sd_text)
    m_lo, m_hi, _, _ = mean.bounds_exact(Rounding.NEAREST)
    s_lo, s_hi, _, _ = sd.bounds_exact(Rounding.NEAREST)
    scores = np.arange(31)
    best = None
    for total in range(int(np.ceil(m_lo * n)), int(np.floor(m_hi * n)) + 1):
        # n Q - S^2 in n (n - 1) [s_lo^2, s_hi^2]
        q_lo = (Fraction(n * (n - 1)) * s_lo ** 2 + total ** 2) / n
        q_hi = (Fraction(n * (n - 1)) * s_hi ** 2 + total ** 2) / n
        q_lo, q_hi = int(np.ceil(q_lo)), int(np.floor(q_hi))
        size = n * 31
        rows, lows, highs = [], [], []
        for i in range(n):  # one score each
            row = np.zeros(size)
            row[i * 31:(i + 1) * 31] = 1
            rows.append(row), lows.append(1), highs.append(1)
        for i in range(n - 1):  # sorted: score_i <= score_{i+1}
            row = np.zeros(size)
            row[i * 31:(i + 1) * 31] = scores
            row[(i + 1) * 31:(i + 2) * 31] = -scores
            rows.append(row), lows.append(-np.inf), highs.append(0)
        rows.append(np.tile(scores, n).astype(float)), lows.append(total), highs.append(total)
        rows.append(np.tile(scores ** 2, n).astype(float)), lows.append(q_lo), highs.append(q_hi)
        above = np.tile((scores >= cutoff).astype(float), n)
        result = milp(-above if maximise else above, integrality=np.ones(size),
                      bounds=(0, 1), constraints=LinearConstraint(np.array(rows), lows, highs))
        if result.status == 0:
            value = int(round(above @ result.x))
            best = value if best is None else (max(best, value) if maximise else min(best, value))
    return best


@pytest.mark.parametrize("n, mean_text, sd_text, cutoff", [
    (20, "9.20", "4.10", 13), (30, "5.70", "7.90", 13)])
def test_mid_size_against_milp(n, mean_text, sd_text, cutoff):
    got = cutoff_bounds(n, mean_text, sd_text, (0, 30), cutoff)
    assert got.verify()
    assert got.count_max == _milp_oracle(n, mean_text, sd_text, cutoff, True)
    assert got.count_min == _milp_oracle(n, mean_text, sd_text, cutoff, False)


@pytest.mark.parametrize("n, mean_text, sd_text", [
    (500, "8.13", "5.20"), (2000, "6.045", "4.410"), (200, "20.5", "9.9")])
def test_cantelli(n, mean_text, sd_text):
    """Cantelli: the proportion at or above mean + k SD (population SD) is at most
    1 / (1 + k**2).  The bound is checked on each witness with its own exact mean and SD,
    and the largest count is checked against the bound at the most favourable ends of the
    rounding intervals."""
    sweep = cutoff_sweep(n, mean_text, sd_text, (0, 30))
    m_hi = parse_number(mean_text).bounds_exact(Rounding.NEAREST)[1]
    s_hi = parse_number(sd_text).bounds_exact(Rounding.NEAREST)[1]
    population = s_hi ** 2 * Fraction(n - 1, n)
    for bounds in sweep.bounds:
        witness = bounds.witness_max
        mean = witness.mean
        spread = witness.variance * Fraction(n - 1, n)
        gap = bounds.cutoff - mean
        if gap > 0:
            assert Fraction(bounds.count_max, n) <= spread / (spread + gap ** 2)
        gap = bounds.cutoff - m_hi
        if gap > 0:
            assert Fraction(bounds.count_max, n) <= population / (population + gap ** 2)


def test_refusals():
    with pytest.raises(ValueError, match="n = 2000000 is too large"):
        cutoff_bounds(2_000_000, "5.00", "1.00", (0, 30), 13)
    with pytest.raises(ValueError, match="points"):
        cutoff_bounds(10, "5.00", "1.00", (0, 100, 20), 13)
    with pytest.raises(ValueError, match="pairs"):
        cutoff_bounds(900_000, "5", "1.00", (0, 30), 13)
    with pytest.raises(ValueError, match="direction"):
        cutoff_bounds(10, "5.00", "1.00", (0, 30), 13, "=>>")
    with pytest.raises(ValueError, match="float"):
        cutoff_bounds(10, 5.0, "1.00", (0, 30), 13)


def test_large_n_finishes_with_witnesses():
    bounds = cutoff_bounds(1_000_000, "9.20000", "5.04000", (0, 30), 11)
    assert bounds.feasible and bounds.verify()
    assert 0 < bounds.count_min < bounds.count_max < 1_000_000


def test_interval_printed_matches_printed_number():
    for rounding in ROUNDINGS:
        for text in ("0", "2.5", "-1.25", "3"):
            number = parse_number(text)
            interval = Interval.printed(text, rounding)
            assert (interval.lower, interval.upper, interval.lower_closed,
                    interval.upper_closed) == number.bounds_exact(rounding)


def test_witness_from_units_and_scale():
    scale = Scale(1, 5, 2)
    assert scale.points == 8 and scale.score(3) == Fraction(5, 2)
    witness = Witness.from_units(scale, [1, 0, 0, 0, 0, 0, 0, 0, 1])
    assert witness.mean == 3 and witness.variance == 8
    assert witness.count(Fraction(5, 2), "<") == 1


# ---------------------------------------------------------------------------------------
# the cutoff screen

def test_screen_table_mapper_against_brute_force():
    import pandas as pd

    from reanalyse.screens import cutoff_map, screen

    # brute force: n = 7 on 0..10, mean 3.57, SD 2.23 (the data 1, 2, 2, 3, 4, 6, 7), cut-off >= 5
    expected = _brute(7, 0, 10, 1, "3.57", "2.23", "nearest", Fraction(5), ">=")
    low, high = expected[0], expected[-1]
    outside = high + 1
    table = pd.DataFrame({
        "n": ["7", "7", "7", "7", "7", "7", "x"],
        "mean": ["3.57", "3.57", "3.57", "3.6", "3.57", "3.57", "3.57"],
        "sd": ["2.23", "2.23", "2.23", "", "0.20", "2.23", "2.23"],
        "scale_min": ["0"] * 7, "scale_max": ["10"] * 7,
        "cutoff": ["5", "5", "5", "5", "5", "5", "5"],
        "direction": ["", ">=", ">=", "", "", "=<", ""],
        "count": [str(low), str(outside), "", "", "", "", ""],
        "percent": ["", "", "42.9", "", "", "", ""],
    })
    result = screen(table)  # chosen from the columns
    assert list(result["status"]) == ["consistent", "inconsistent",
                                      "consistent" if 3 in expected else "inconsistent",
                                      "consistent", "impossible", "consistent", "bad_input"]
    assert (result["count_min"][0], result["count_max"][0]) == (low, high)
    assert f"{low} to {high} of 7" in result["reason"][1]
    assert result["count_min"][4] is None and "no 7 scores" in result["reason"][4]
    mean_only = _brute(7, 0, 10, 1, "3.6", None, "nearest", Fraction(5), ">=")
    assert (result["count_min"][3], result["count_max"][3]) == (mean_only[0], mean_only[-1])
    below = _brute(7, 0, 10, 1, "3.57", "2.23", "nearest", Fraction(5), "<=")
    assert (result["count_min"][5], result["count_max"][5]) == (below[0], below[-1])
    assert "n = 'x'" in result["reason"][6]
    assert cutoff_map(table.iloc[:1])["status"][0] == "consistent"


def test_screen_cli(tmp_path, capsys):
    from reanalyse.cli import main

    expected = _brute(6, 1, 5, 2, "2.75", "1.08", "nearest", Fraction(4), ">=")
    table = tmp_path / "cutoff.csv"
    table.write_text("n,mean,sd,scale_min,scale_max,items,cutoff,count\n"
                     f"6,2.75,1.08,1,5,2,4,{expected[-1] + 1}\n"
                     f"6,2.75,1.08,1,5,2,4,{expected[0]}\n", encoding="utf-8")
    assert main(["screen", str(table), "--check", "cutoff"]) == 0
    out = capsys.readouterr()
    rows = [line.split(",") for line in out.out.strip().splitlines()]
    assert rows[0][-5:] == ["status", "consistent", "reason", "count_min", "count_max"]
    assert [row[-5] for row in rows[1:]] == ["inconsistent", "consistent"]
    assert (int(rows[2][-2]), int(rows[2][-1])) == (expected[0], expected[-1])
    assert "cutoff: 2 rows: 1 consistent, 1 inconsistent; 1 flagged" in out.err
    assert main(["screen", str(table)]) == 0  # chosen from the columns
    assert "cutoff: 2 rows" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# the exact decision near the extreme spread, against enumeration

def _weights_by_enumeration(m, L, k):
    """Every W = sum z (L - z) over the multisets of m values in 0..L summing to k."""
    return {sum(z * (L - z) for z in data)
            for data in itertools.combinations_with_replacement(range(L + 1), m)
            if sum(data) == k}


@pytest.mark.parametrize("m, L", [(1, 5), (2, 6), (3, 4), (4, 7), (5, 3), (6, 5), (7, 2),
                                  (3, 9)])
def test_part_weights_lemma_brute_force(m, L):
    """The weights the lemma gives (interior-value tables, or a small part enumerated value
    by value) are exactly those of the multisets, for every sum and several limits."""
    from reanalyse.kernels.cutoff_bounds.decision import _build_part, _part_weights

    for k in range(m * L + 1):
        expected = _weights_by_enumeration(m, L, k)
        for limit in (0, 1, L - 1, 2 * L, m * L, m * L * L):
            got = _part_weights(m, L, k, limit)
            if got is None:
                continue
            bits, flip, layers = got
            values = {w for w in range(limit + 1) if (bits >> w) & 1}
            assert values == {w for w in expected if w <= limit}, (m, L, k, limit)
            for w in values:
                part = _build_part(m, L, k, w, flip, limit, layers)
                assert len(part) == m and sum(part) == k and all(0 <= z <= L for z in part)
                assert sum(z * (L - z) for z in part) == w


def _pairs_by_enumeration(n, t, B):
    """{(count, sum): set of Q} over every multiset of n values in 0..B (count: values >= t)."""
    out = defaultdict(set)
    for data in itertools.combinations_with_replacement(range(B + 1), n):
        out[(sum(1 for y in data if y >= t), sum(data))].add(sum(y * y for y in data))
    return out


@pytest.mark.parametrize("n, B", [(3, 6), (4, 5), (5, 4), (6, 3), (4, 8)])
def test_near_top_decision_brute_force(n, B):
    """Every (count, sum) pair and every window: the decision finds a dataset exactly when
    enumeration has one, and what it finds has the count, the sum and a Q in the window."""
    from reanalyse.kernels.cutoff_bounds.decision import _near_top
    from reanalyse.kernels.cutoff_bounds.walks import _q_bounds

    decided = 0
    for t in range(B + 2):
        reached = _pairs_by_enumeration(n, t, B)
        for (c, s), squares in reached.items():
            q_min, q_max = _q_bounds(n, t, B, c, s)
            assert min(squares) == q_min and max(squares) == q_max, (n, t, c, s)
            for low in range(q_min, q_max + 1, 2):
                for width in (0, 2, 6):
                    high = min(low + width, q_max)
                    got = _near_top(n, t, B, c, s, low, high)
                    if got is ...:
                        continue
                    decided += 1
                    expected = any(low <= q <= high for q in squares)
                    assert (got is not None) == expected, (n, t, B, c, s, low, high)
                    if got is not None:
                        assert sum(got) == n and sum(got[t:]) == c
                        assert sum(y * f for y, f in enumerate(got)) == s
                        assert low <= sum(y * y * f for y, f in enumerate(got)) <= high
    assert decided > 1000  # at these sizes every pair and window is decided


def _frequency_milp(n, mean_text, sd_text, cutoff, maximise, top=30):
    """Integer frequencies f_y >= 0 of the scores 0..top, written here from the definitions:
    sum f = n, sum y f = S and n sum y**2 f - S**2 in n (n - 1) [sd_lo**2, sd_hi**2] for each
    S the printed mean allows; the extreme count of y >= cutoff over every S (None: none)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    m_lo, m_hi, _, _ = parse_number(mean_text).bounds_exact(Rounding.NEAREST)
    s_lo, s_hi, _, _ = parse_number(sd_text).bounds_exact(Rounding.NEAREST)
    y = np.arange(top + 1)
    above = (y >= cutoff).astype(float)
    best = None
    for total in range(int(np.ceil(m_lo * n)), int(np.floor(m_hi * n)) + 1):
        q_lo = int(np.ceil((Fraction(n * (n - 1)) * s_lo ** 2 + total ** 2) / n))
        q_hi = int(np.floor((Fraction(n * (n - 1)) * s_hi ** 2 + total ** 2) / n))
        result = milp(-above if maximise else above, integrality=np.ones(top + 1),
                      bounds=Bounds(0, n),
                      constraints=LinearConstraint(np.array([np.ones(top + 1), y, y * y]),
                                                   [n, total, q_lo], [n, total, q_hi]),
                      options={"mip_rel_gap": 0.0})
        if result.status == 0:
            value = int(round(above @ result.x))
            best = value if best is None else (max(best, value) if maximise else min(best, value))
    return best


def test_bimodal_arms_against_milp():
    """Arms like the screen benchmark's (two binomials on 0..30, two decimals), whose ends
    lie near the extreme spread and are settled by the exact decision, not by programmes."""
    rng = np.random.default_rng(3)
    checked = 0
    while checked < 12:
        n = int(rng.integers(10, 41))
        share = rng.uniform(0.1, 0.9)
        scores = np.where(rng.random(n) < share, rng.binomial(30, rng.uniform(0.1, 0.4), n),
                          rng.binomial(30, rng.uniform(0.3, 0.8), n))
        mean_text, sd_text = f"{scores.mean():.2f}", f"{scores.std(ddof=1):.2f}"
        got = cutoff_bounds(n, mean_text, sd_text, (0, 30), 13, programmes=0)
        assert got.determined and got.verify(), (n, mean_text, sd_text)
        assert got.count_max == _frequency_milp(n, mean_text, sd_text, 13, True)
        assert got.count_min == _frequency_milp(n, mean_text, sd_text, 13, False)
        checked += 1


def test_screen_row_beyond_the_work_budget_is_untestable(monkeypatch):
    """With the exact decision disabled and no programme allowed, a row the certificates do
    not settle is untestable (its reason gives the proven bracket), the same on every run;
    a count outside the bracket is still inconsistent."""
    import functools

    import pandas as pd

    from reanalyse.kernels import cutoff_bounds as kernel
    from reanalyse.kernels.cutoff_bounds import bracket, decision
    from reanalyse.screens import cutoff as screen_module
    from reanalyse.screens import cutoff_map

    full = cutoff_bounds(60, "9.2", "2.04", (0, 30), 10)
    monkeypatch.setattr(decision, "DEFICIT_LIMIT", -1)
    monkeypatch.setattr(bracket, "_ARMS", {})
    monkeypatch.setattr(screen_module, "cutoff_bounds",
                        functools.partial(kernel.cutoff_bounds, programmes=0))
    starved = kernel.cutoff_bounds(60, "9.2", "2.04", (0, 30), 10, programmes=0)
    assert not starved.determined
    low, high = starved.bracket
    assert low <= full.count_min <= full.count_max <= high
    table = pd.DataFrame({"n": ["60"] * 3, "mean": ["9.2"] * 3, "sd": ["2.04"] * 3,
                          "scale_min": ["0"] * 3, "scale_max": ["30"] * 3,
                          "cutoff": ["10"] * 3,
                          "count": [str(full.count_min), str(high + 1), ""]})
    first, second = cutoff_map(table), cutoff_map(table)
    assert list(first["status"]) == ["untestable", "inconsistent", "untestable"]
    assert f"{low} to {high} of 60" in first["reason"][0]
    assert f"at most {high} and at least {low} of 60" in first["reason"][1]
    assert first["count_min"][0] is None
    assert first.equals(second)


def test_the_screen_reads_only_a_work_budget_as_unsettled(monkeypatch):
    """A count whose witness search runs out of work is untestable; any other error is not
    taken for a budget and propagates."""
    import pandas as pd

    from reanalyse.errors import ReanalyseError, WorkBudgetExceeded
    from reanalyse.screens import cutoff as screen_module
    from reanalyse.screens import cutoff_map

    assert issubclass(WorkBudgetExceeded, ReanalyseError)
    full = cutoff_bounds(60, "9.2", "2.04", (0, 30), 10)
    inside = full.count_min + 1          # strictly inside: only a witness can settle it
    table = pd.DataFrame({"n": ["60"], "mean": ["9.2"], "sd": ["2.04"], "scale_min": ["0"],
                          "scale_max": ["30"], "cutoff": ["10"], "count": [str(inside)]})

    def out_of_work(bounds, count, **options):
        raise WorkBudgetExceeded("no programmes left")

    monkeypatch.setattr(screen_module, "count_witness", out_of_work)
    row = cutoff_map(table).iloc[0]
    assert row["status"] == "untestable" and "work budget" in row["reason"]

    def broken(bounds, count, **options):
        raise ValueError("not a budget")

    monkeypatch.setattr(screen_module, "count_witness", broken)
    with pytest.raises(ValueError, match="not a budget"):
        cutoff_map(table)


def test_a_sweep_spends_at_most_its_budget_of_programmes_and_never_changes_a_settled_row(
        monkeypatch):
    # Four people, mean 37.3 and SD 30.47, on a 0-63 scale in thirds (190 cut-offs): the
    # walks leave many cut-offs to the integer programmes (135 of them without a budget for
    # the whole sweep, about 40 s).  Every HiGHS call is counted.
    import scipy.optimize

    solved = []
    milp = scipy.optimize.milp

    def counted(*args, **kwargs):
        solved.append(1)
        return milp(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "milp", counted)
    scale = Scale(0, 63, 3)
    few = cutoff_sweep(4, "37.3", "30.47", scale, sweep_programmes=2)
    assert len(solved) <= 2
    more = cutoff_sweep(4, "37.3", "30.47", scale, sweep_programmes=5)
    assert len(solved) - 2 <= 5
    assert not all(row.determined for row in few.bounds)  # the budget ran out
    for low, high in zip(few.bounds, more.bounds):
        if low.determined:
            assert (low.count_min, low.count_max) == (high.count_min, high.count_max)
        elif high.determined:  # an unsettled row keeps its bracket, around the answer
            assert low.bracket[0] <= high.count_min <= high.count_max <= low.bracket[1]
