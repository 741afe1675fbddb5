"""Tests for reanalyse.kernels.exact: Fisher's exact p-values of every table, and Boschloo's test.

Independent sources of expected values:

* exact rational arithmetic (``fractions.Fraction`` and ``math.comb``) for Fisher's p-values,
  written out from the definition in ``tests/brute_force.py``;
* R's ``fisher.test`` (``tests/oracles/r_oracles.json``, the R call beside each value);
* ``scipy.stats.fisher_exact`` and ``scipy.stats.boschloo_exact`` (table transposed: scipy's
  groups are columns);
* a brute-force Boschloo p-value: the rejection region from the exact rational Fisher
  p-values (no tolerance needed), its probability summed over the product of the two
  binomial distributions (``scipy.stats.binom.pmf``; no use of the distribution of the
  total, which the module relies on), and the supremum taken over 20,001 equally spaced
  values of pi;
* for tables too large to brute-force in each run, the same brute force recorded in
  ``tests/oracles/boschloo_oracles.json`` by ``tests/oracles/make_boschloo_oracles.py``;
* hand calculations, shown beside the values.
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from functools import lru_cache
from math import comb
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from brute_force import exact_fisher
from oracle_values import r_oracle
from reanalyse.kernels.exact import (
    ALTERNATIVES,
    BoschlooResult,
    boschloo_exact,
    default_grid_points,
    fisher_pvalues,
)

ONE_SIDED = ("less", "greater")


# --------------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def exact_ranks(treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    """Rank of each table's exact Fisher p among the distinct values: equal p, equal rank."""
    fisher = exact_fisher(treat_n, control_n, alternative)
    rank = {value: i for i, value in enumerate(sorted(set(fisher.values())))}
    return np.array([[rank[fisher[a, c]] for c in range(control_n + 1)]
                     for a in range(treat_n + 1)])


def exact_region(treat_events, treat_n, control_events, control_n, alternative):
    """The tables whose exact Fisher p is at most the observed one's (no tolerance needed)."""
    ranks = exact_ranks(treat_n, control_n, alternative)
    return (ranks <= ranks[treat_events, control_events]).astype(float)


@lru_cache(maxsize=None)
def binomial_rows(treat_n: int, control_n: int, points: int = 20_001):
    nuisance = np.linspace(0.0, 1.0, points)[:, None]
    return (stats.binom.pmf(np.arange(treat_n + 1), treat_n, nuisance),
            stats.binom.pmf(np.arange(control_n + 1), control_n, nuisance))


def brute_force_boschloo(treat_events, treat_n, control_events, control_n, alternative):
    """Supremum over 20,001 equally spaced pi of P_pi(T <= t_obs), by the product of the two
    binomials; two-sided means Fisher's two-sided p as statistic."""
    region = exact_region(treat_events, treat_n, control_events, control_n, alternative)
    treat_pmf, control_pmf = binomial_rows(treat_n, control_n)
    return float(((treat_pmf @ region) * control_pmf).sum(axis=1).max())


@lru_cache(maxsize=None)
def brute_force_every_table(treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    """:func:`brute_force_boschloo` of every table at once (one matrix product), [a, c]."""
    treat_pmf, control_pmf = binomial_rows(treat_n, control_n)
    table_pmf = (treat_pmf[:, :, None] * control_pmf[:, None, :]).reshape(len(treat_pmf), -1)
    ranks = exact_ranks(treat_n, control_n, alternative).ravel()
    regions = (ranks[:, None] <= ranks[None, :]).astype(float)   # column k: region of table k
    return (table_pmf @ regions).max(axis=0).reshape(treat_n + 1, control_n + 1)


def power_at(nuisance, treat_events, treat_n, control_events, control_n, alternative):
    """P_pi(T <= t_obs) at one pi, by the product of the two binomials."""
    region = exact_region(treat_events, treat_n, control_events, control_n, alternative)
    treat_pmf = stats.binom.pmf(np.arange(treat_n + 1), treat_n, nuisance)
    control_pmf = stats.binom.pmf(np.arange(control_n + 1), control_n, nuisance)
    return float(treat_pmf @ region @ control_pmf)


def scipy_boschloo(treat_events, treat_n, control_events, control_n, alternative):
    # scipy's groups are the columns: the transpose of the rows-as-arms table
    table = [[treat_events, control_events],
             [treat_n - treat_events, control_n - control_events]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shgo's warnings on flat objective functions
        return stats.boschloo_exact(table, alternative=alternative).pvalue


def all_tables(treat_n, control_n):
    return [(a, c) for a in range(treat_n + 1) for c in range(control_n + 1)]


# --------------------------------------------------------------------------------------------
# Fisher
# --------------------------------------------------------------------------------------------

FISHER_SIZES = [(1, 1), (1, 6), (3, 5), (6, 6), (7, 4), (10, 10), (12, 9), (4, 30)]


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("treat_n, control_n", FISHER_SIZES)
def test_fisher_matches_exact_rational_arithmetic_on_every_table(treat_n, control_n,
                                                                  alternative):
    pvalues = fisher_pvalues(treat_n, control_n, alternative)
    assert pvalues.shape == (treat_n + 1, control_n + 1)
    expected = exact_fisher(treat_n, control_n, alternative)
    for (a, c), p in expected.items():
        assert pvalues[a, c] == pytest.approx(float(p), rel=1e-12, abs=0), (a, c)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("treat_n, control_n", FISHER_SIZES)
def test_fisher_matches_scipy_on_every_table(treat_n, control_n, alternative):
    pvalues = fisher_pvalues(treat_n, control_n, alternative)
    for a, c in all_tables(treat_n, control_n):
        table = [[a, treat_n - a], [c, control_n - c]]
        expected = stats.fisher_exact(table, alternative=alternative).pvalue
        assert pvalues[a, c] == pytest.approx(expected, rel=1e-12, abs=0), (a, c)


def test_fisher_matches_r_fisher_test():
    records = r_oracle("two_by_two", test="fisher")
    assert len(records) == 48  # 16 tables x 3 alternatives
    for record in records:
        # each record's r_call: fisher.test(matrix(c(a, n1 - a, c, n2 - c), 2, byrow = TRUE),
        #                                   alternative = ...)
        alternative = record["alternative"].replace(".", "-")
        pvalues = fisher_pvalues(record["treat_n"], record["control_n"], alternative)
        got = pvalues[record["treat_events"], record["control_events"]]
        assert got == pytest.approx(record["p_value"], rel=1e-10), record["r_call"]


def test_fisher_two_sided_keeps_tables_equally_probable_by_symmetry():
    # 2/6 vs 4/6: the total is 6, so A ~ Hypergeometric(12, 6, 6), symmetric about 3:
    # P(A = 2) = P(A = 4) = C(6,2) C(6,4) / C(12,6) = 225/924, P(A = 1) = P(A = 5) = 36/924,
    # P(A = 0) = P(A = 6) = 1/924.  Two-sided p of a = 2: (2 * (1 + 36 + 225)) / 924 = 524/924.
    assert fisher_pvalues(6, 6, "two-sided")[2, 4] == pytest.approx(524 / 924, rel=1e-13)
    assert fisher_pvalues(6, 6, "two-sided")[4, 2] == pytest.approx(524 / 924, rel=1e-13)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_fisher_rounding_error_stays_below_the_tie_tolerances_at_500_per_arm(alternative):
    # Exact integer arithmetic on a few totals (Python's int / int is correctly rounded).  The
    # module documents errors below 3e-12 here, far below STATISTIC_TOLERANCE (1e-9), so
    # tables tied in exact arithmetic stay tied.
    treat_n = control_n = 500
    pvalues = fisher_pvalues(treat_n, control_n, alternative)
    for total in (3, 180, 500, 733, 996):
        support = range(max(0, total - control_n), min(total, treat_n) + 1)
        weight = {a: comb(treat_n, a) * comb(control_n, total - a) for a in support}
        denominator = comb(treat_n + control_n, total)
        for a in support:
            if alternative == "less":
                numerator = sum(w for x, w in weight.items() if x <= a)
            elif alternative == "greater":
                numerator = sum(w for x, w in weight.items() if x >= a)
            else:
                numerator = sum(w for w in weight.values() if w <= weight[a])
            assert pvalues[a, total - a] == pytest.approx(numerator / denominator, rel=3e-12,
                                                          abs=0), (a, total - a)


def test_fisher_matrix_is_cached_and_read_only():
    first = fisher_pvalues(33, 35, "less")
    assert fisher_pvalues(33, 35, "less") is first
    with pytest.raises(ValueError):
        first[0, 0] = 0.5


# --------------------------------------------------------------------------------------------
# Boschloo: hand calculations
# --------------------------------------------------------------------------------------------

def test_boschloo_one_event_against_none_by_hand():
    # 1/1 vs 0/1, "greater": T = P(A >= 1 | s = 1) = 1/2 for the observed table and 1 for
    # every other, so the region is {(1, 0)}: P_pi = pi (1 - pi), largest (1/4) at pi = 1/2.
    result = boschloo_exact(1, 1, 0, 1, "greater")
    assert result.statistic == pytest.approx(0.5, rel=1e-14)
    assert result.pvalue == pytest.approx(0.25, rel=1e-12)
    assert result.nuisance == pytest.approx(0.5, abs=1e-6)


def test_boschloo_refines_between_coarse_grid_points():
    # Same table on a 4-point grid: pi = 0, 1/4, 3/4, 1 gives at best 3/16; the bounded
    # optimiser must still reach the supremum 1/4 at pi = 1/2.
    result = boschloo_exact(1, 1, 0, 1, "greater", grid=4)
    assert result.grid_points == 4
    assert result.pvalue == pytest.approx(0.25, rel=1e-10)


def test_boschloo_three_of_three_against_none_by_hand():
    # 3/3 vs 0/3, "greater": T = P(A = 3 | s = 3) = 1/C(6,3) = 1/20.  Every other table has
    # T >= 3/15 (e.g. 3/3 vs 1/3: P(A >= 3 | s = 4) = C(3,3) C(3,1) / C(6,4) = 3/15), so the
    # region is {(3, 0)}: P_pi = pi^3 (1 - pi)^3, largest (1/64) at pi = 1/2.
    result = boschloo_exact(3, 3, 0, 3, "greater")
    assert result.statistic == pytest.approx(1 / 20, rel=1e-13)
    assert result.pvalue == pytest.approx(1 / 64, rel=1e-12)
    assert result.nuisance == pytest.approx(0.5, abs=1e-6)
    # Two-sided with Fisher's two-sided p (1/20 + 1/20 = 1/10) as statistic: the region is
    # {(3, 0), (0, 3)}, P_pi = 2 pi^3 (1 - pi)^3, largest 1/32.
    fisher = boschloo_exact(3, 3, 0, 3, two_sided="fisher")
    assert fisher.statistic == pytest.approx(1 / 10, rel=1e-13)
    assert fisher.pvalue == pytest.approx(1 / 32, rel=1e-12)
    # Doubled (scipy): "less" has T = 1 and p-value 1, so "greater" is doubled: 2/64.
    doubled = boschloo_exact(3, 3, 0, 3)
    assert (doubled.side, doubled.two_sided) == ("greater", "doubled")
    assert doubled.statistic == pytest.approx(1 / 20, rel=1e-13)
    assert doubled.pvalue == pytest.approx(1 / 32, rel=1e-12)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_boschloo_no_events_anywhere_gives_one(alternative):
    # 0/7 vs 0/9: every Fisher p is 1 at s = 0, so every table is in the region: p = 1.
    result = boschloo_exact(0, 7, 0, 9, alternative)
    assert result.statistic == pytest.approx(1.0, rel=1e-14)
    assert result.pvalue == pytest.approx(1.0, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Boschloo: brute force, exhaustively for small arms
# --------------------------------------------------------------------------------------------

BRUTE_SIZES = [(1, 1), (2, 3), (4, 4), (5, 7), (8, 6), (10, 10)]


@pytest.mark.parametrize("treat_n, control_n", BRUTE_SIZES)
def test_boschloo_matches_brute_force_grid_on_every_table(treat_n, control_n):
    every = {alt: brute_force_every_table(treat_n, control_n, alt) for alt in ALTERNATIVES}
    for a, c in all_tables(treat_n, control_n):
        brute = {alt: every[alt][a, c] for alt in ALTERNATIVES}
        for alt in ALTERNATIVES:   # two-sided with Fisher's two-sided p as statistic
            result = boschloo_exact(a, treat_n, c, control_n, alt, two_sided="fisher")
            where = (a, c, alt)
            assert result.statistic == pytest.approx(
                float(exact_fisher(treat_n, control_n, alt)[a, c]), rel=1e-12), where
            # never below the dense grid; above it only by what 20,001 points miss
            assert result.pvalue >= brute[alt] * (1 - 1e-12), where
            assert result.pvalue <= brute[alt] * (1 + 1e-6), where
            # the reported nuisance parameter attains the reported p-value
            assert power_at(result.nuisance, a, treat_n, c, control_n, alt) == pytest.approx(
                result.pvalue, rel=1e-10), where
        doubled = boschloo_exact(a, treat_n, c, control_n)
        expected = min(1.0, 2 * min(brute["less"], brute["greater"]))
        assert doubled.pvalue >= expected * (1 - 1e-12), (a, c)
        assert doubled.pvalue <= expected * (1 + 1e-6), (a, c)


@pytest.mark.parametrize("treat_events, treat_n, control_events, control_n, alternative", [
    (9, 31, 2, 31, "greater"),
    (3, 31, 11, 31, "two-sided"),
    (1, 19, 6, 15, "less"),
    (14, 30, 5, 12, "greater"),
])
def test_boschloo_matches_brute_force_grid_for_larger_arms(treat_events, treat_n,
                                                           control_events, control_n,
                                                           alternative):
    brute = brute_force_boschloo(treat_events, treat_n, control_events, control_n, alternative)
    result = boschloo_exact(treat_events, treat_n, control_events, control_n, alternative,
                            two_sided="fisher")
    assert result.pvalue >= brute * (1 - 1e-12)
    assert result.pvalue <= brute * (1 + 1e-6)


# --------------------------------------------------------------------------------------------
# Boschloo: scipy
# --------------------------------------------------------------------------------------------

SCIPY_TABLES = [
    (4, 10, 5, 5, "two-sided"), (0, 5, 9, 15, "two-sided"), (3, 20, 6, 20, "less"),
    (5, 15, 3, 8, "greater"), (0, 20, 5, 8, "two-sided"), (14, 30, 0, 3, "greater"),
    (7, 15, 2, 30, "greater"), (7, 12, 2, 12, "greater"), (2, 8, 7, 9, "less"),
    (1, 19, 6, 15, "two-sided"), (9, 31, 2, 31, "two-sided"), (1, 30, 8, 30, "less"),
]


@pytest.mark.parametrize("treat_events, treat_n, control_events, control_n, alternative",
                         SCIPY_TABLES)
def test_boschloo_agrees_with_scipy_where_scipy_finds_the_supremum(
        treat_events, treat_n, control_events, control_n, alternative):
    args = (treat_events, treat_n, control_events, control_n)
    ours = boschloo_exact(*args, alternative).pvalue
    theirs = scipy_boschloo(*args, alternative)
    if alternative == "two-sided":   # scipy doubles the smaller one-sided p-value
        brute = min(1.0, 2 * min(brute_force_boschloo(*args, side) for side in ONE_SIDED))
    else:
        brute = brute_force_boschloo(*args, alternative)
    # brute is a lower bound of the supremum, within about 1e-8 of it at these sizes
    assert theirs >= brute * (1 - 1e-7), "scipy's shgo misses the supremum for this table"
    assert ours == pytest.approx(theirs, rel=1e-9)
    assert ours == pytest.approx(brute, rel=1e-6)


@pytest.mark.parametrize("args, alternative", [((3, 15, 10, 15), "less"),
                                               ((12, 15, 5, 15), "greater")])
def test_scipy_misses_the_supremum_for_three_of_fifteen_against_ten_of_fifteen(args,
                                                                               alternative):
    # P_pi(T <= t) for 3/15 vs 10/15, "less" (and its mirror image 12/15 vs 5/15,
    # "greater"), has two equal peaks, near pi = 0.478 and pi = 0.522; scipy's shgo stops
    # short of both, 8e-5 below the supremum (scipy 1.17).
    brute = brute_force_boschloo(*args, alternative)
    theirs = scipy_boschloo(*args, alternative)
    ours = boschloo_exact(*args, alternative)
    assert theirs < brute * (1 - 1e-5)
    assert ours.pvalue == pytest.approx(brute, rel=1e-7)
    assert ours.pvalue > theirs


def test_scipy_needs_the_table_transposed():
    # 1/19 vs 6/15 given to scipy with the arms as rows tests other groups (the columns,
    # "event" and "no event", whose sizes are then taken as fixed); only the transpose gives
    # Boschloo's p for these arms.  The two differ by about 8% here.
    rows_as_arms = [[1, 18], [6, 9]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrong = stats.boschloo_exact(rows_as_arms, alternative="less").pvalue
    right = scipy_boschloo(1, 19, 6, 15, "less")
    ours = boschloo_exact(1, 19, 6, 15, "less").pvalue
    assert ours == pytest.approx(right, rel=1e-9)
    assert abs(wrong - right) > 0.05 * right


# --------------------------------------------------------------------------------------------
# Boschloo: properties
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("treat_n, control_n", [(6, 9), (12, 12), (20, 7)])
def test_boschloo_never_exceeds_fisher(treat_n, control_n):
    # Boschloo (1970): T is a conditional p-value, so P(T <= t | s) <= t for every s.
    for a, c in all_tables(treat_n, control_n):
        table = [[a, treat_n - a], [c, control_n - c]]
        fisher = {alt: stats.fisher_exact(table, alternative=alt).pvalue for alt in ALTERNATIVES}
        for alt in ONE_SIDED:
            assert boschloo_exact(a, treat_n, c, control_n, alt).pvalue <= fisher[alt] * (1 + 1e-9)
        with_fisher = boschloo_exact(a, treat_n, c, control_n, two_sided="fisher")
        assert with_fisher.pvalue <= fisher["two-sided"] * (1 + 1e-9)
        doubled = boschloo_exact(a, treat_n, c, control_n)
        assert doubled.pvalue <= min(1.0, 2 * min(fisher["less"], fisher["greater"])) * (1 + 1e-9)


def test_doubled_two_sided_can_exceed_fishers_two_sided_p():
    # 14/15 vs 5/9: Fisher's two-sided p (R's fisher.test convention, exact arithmetic) is
    # below 0.05, while scipy's doubled Boschloo p (brute force) is above it.
    fisher = float(exact_fisher(15, 9, "two-sided")[14, 5])
    brute = 2 * min(brute_force_boschloo(14, 15, 5, 9, side) for side in ONE_SIDED)
    doubled = boschloo_exact(14, 15, 5, 9)
    assert fisher < 0.05 < brute
    assert doubled.pvalue == pytest.approx(brute, rel=1e-6)
    assert boschloo_exact(14, 15, 5, 9, two_sided="fisher").pvalue < fisher


@pytest.mark.parametrize("treat_events, treat_n, control_events, control_n",
                         [(2, 9, 6, 11), (0, 12, 4, 5), (17, 40, 9, 38)])
def test_boschloo_symmetries(treat_events, treat_n, control_events, control_n):
    less = boschloo_exact(treat_events, treat_n, control_events, control_n, "less")
    # swapping the arms swaps the direction
    swapped = boschloo_exact(control_events, control_n, treat_events, treat_n, "greater")
    assert swapped.pvalue == pytest.approx(less.pvalue, rel=1e-9)
    # counting non-events instead of events swaps the direction too
    flipped = boschloo_exact(treat_n - treat_events, treat_n, control_n - control_events,
                             control_n, "greater")
    assert flipped.pvalue == pytest.approx(less.pvalue, rel=1e-9)


def test_direction_of_one_sided_alternatives():
    # 9/10 vs 2/10: the treatment proportion is higher, so only "greater" is small.
    greater = boschloo_exact(9, 10, 2, 10, "greater").pvalue
    less = boschloo_exact(9, 10, 2, 10, "less").pvalue
    assert greater < 0.01
    assert less > 0.99


def test_doubled_two_sided_is_twice_the_smaller_one_sided_p():
    args = (4, 25, 11, 24)
    less = boschloo_exact(*args, "less")
    greater = boschloo_exact(*args, "greater")
    doubled = boschloo_exact(*args)
    assert less.pvalue < greater.pvalue
    assert doubled.side == "less"
    assert doubled.pvalue == pytest.approx(2 * less.pvalue, rel=1e-12)
    assert doubled.statistic == less.statistic
    assert doubled.nuisance == less.nuisance


# --------------------------------------------------------------------------------------------
# Boschloo: recorded brute force on larger tables
# --------------------------------------------------------------------------------------------

BOSCHLOO_ORACLES = Path(__file__).parents[1] / "oracles" / "boschloo_oracles.json"


def test_boschloo_matches_recorded_brute_force():
    """Tables too large to brute-force in every run, recorded by
    tests/oracles/make_boschloo_oracles.py (exact rational Fisher p for the region, the
    supremum over a grid of 100,001 pi refined around its best point): Fisher's two-sided p
    as the two-sided statistic, as R's ``Exact::exact.test(method = "boschloo")``."""
    records = json.loads(BOSCHLOO_ORACLES.read_text(encoding="utf-8"))["records"]
    assert len(records) >= 5
    for record in records:
        result = boschloo_exact(record["treat_events"], record["treat_n"],
                                record["control_events"], record["control_n"],
                                record["alternative"], two_sided="fisher")
        assert result.statistic == pytest.approx(record["statistic"], rel=1e-9), record
        # a grid maximum is a lower bound of the supremum
        assert result.pvalue >= record["p_value"] * (1 - 1e-9), record
        assert result.pvalue == pytest.approx(record["p_value"], rel=1e-6), record


# --------------------------------------------------------------------------------------------
# Result object and bad input
# --------------------------------------------------------------------------------------------

def test_result_is_frozen_and_serialisable():
    result = boschloo_exact(5, 20, 11, 21, "less", grid=101)
    assert isinstance(result, BoschlooResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.pvalue = 0.0
    record = json.loads(json.dumps(result.to_dict()))
    assert record["pvalue"] == result.pvalue
    assert record["grid_points"] == 101
    assert record["two_sided"] is None
    assert "grid" in record["search"]


def test_default_grid_grows_with_the_square_root_of_the_total():
    # 33 + 16 * ceil(sqrt(N)): N = 100 -> 193, N = 400 -> 353, N = 1000 -> 33 + 16 * 32 = 545
    assert [default_grid_points(n) for n in (100, 400, 1000)] == [193, 353, 545]
    assert boschloo_exact(3, 50, 9, 50, "less").grid_points == 193


@pytest.mark.parametrize("call, message", [
    (lambda: boschloo_exact(6, 5, 1, 5), r"treat_events = 6 .*treat_n = 5"),
    (lambda: boschloo_exact(1, 5, 9, 8), r"control_events = 9 .*control_n = 8"),
    (lambda: boschloo_exact(-1, 5, 1, 5), r"treat_events = -1"),
    (lambda: boschloo_exact(1, 5, -2, 5), r"control_events = -2"),
    (lambda: boschloo_exact(0, 0, 1, 5), r"treat_n = 0"),
    (lambda: boschloo_exact(1, 5, 0, -3), r"control_n = -3"),
    (lambda: boschloo_exact(2.5, 5, 1, 5), r"treat_events = 2.5"),
    (lambda: boschloo_exact(True, 5, 1, 5), r"treat_events = True"),
    (lambda: boschloo_exact(1, 5, 1, 5, "two.sided"), r"alternative = 'two.sided'"),
    (lambda: boschloo_exact(1, 5, 1, 5, two_sided="central"), r"two_sided = 'central'"),
    (lambda: boschloo_exact(1, 5, 1, 5, grid=2), r"grid = 2"),
    (lambda: fisher_pvalues(0, 5), r"treat_n = 0"),
    (lambda: fisher_pvalues(5, -1), r"control_n = -1"),
    (lambda: fisher_pvalues(5, 5, "both"), r"alternative = 'both'"),
])
def test_bad_input_names_the_argument_and_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()
