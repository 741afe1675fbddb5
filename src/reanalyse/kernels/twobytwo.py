"""Two-proportion tests of 2 x 2 tables, evaluated directly at given count pairs.

The table of a count pair is ``[[a, treat_n - a], [c, control_n - c]]``: ``a`` events among
``treat_n`` in the treatment arm, ``c`` among ``control_n`` in the control arm.  Every test is
of H0: equal event proportions; one-sided alternatives refer to treat minus control
proportion (scipy's vocabulary).  A table with no events or no non-events at all has no
variation to test: its p is 1.

Tests (:data:`TESTS`):

``pearson_chi2``, ``yates_chi2``
    :func:`two_proportion_chi2`, closed form.
``fisher_exact``
    :func:`fisher_exact_pvalues`: one hypergeometric distribution per table, no matrix.
``z_pooled``
    :func:`two_proportion_z`, closed form.

Costs and limits
    Every function here costs O(tables) memory (processed in blocks of :data:`BLOCK` tables)
    and, per table, O(1) for the closed forms and O(log n) for Fisher's test (a bisection over
    the support and two hypergeometric tails, about 15 us a table at 100,000 per arm).  Nothing
    grows with (treat_n + 1)(control_n + 1) except :func:`pvalue_matrix`, which holds every
    table and is refused above :data:`MAX_MATRIX_TABLES`; arm sizes above
    :data:`MAX_ARM_SIZE` are refused by every function (:class:`TableTooLargeError`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln
from scipy.stats import hypergeom

from reanalyse.errors import ReanalyseError
from reanalyse.kernels import exact
from reanalyse.kernels.caching import array_cache
from reanalyse.kernels.distributions import norm_cdf, norm_sf

__all__ = ["TESTS", "PEARSON_CHI2", "YATES_CHI2", "FISHER_EXACT", "Z_POOLED", "ALTERNATIVES",
           "RELATIVE_TOLERANCE", "MAX_ARM_SIZE", "MAX_MATRIX_TABLES", "BLOCK", "TableTooLargeError", "two_sided_only",
           "two_proportion_chi2", "two_proportion_z", "fisher_exact_pvalues", "pvalues",
           "pvalue_matrix", "pvalue_window", "check_sizes"]

#: The 2 x 2 tests, by the names of the table of tests (:mod:`reanalyse.model.tests`).
PEARSON_CHI2, YATES_CHI2, FISHER_EXACT, Z_POOLED = TESTS = (
    "pearson_chi2", "yates_chi2", "fisher_exact", "z_pooled")
ALTERNATIVES = ("two-sided", "greater", "less")

#: Two conditional table probabilities within this relative distance count as equal in
#: Fisher's two-sided p (R's ``fisher.test``; the same constant as
#: :data:`reanalyse.kernels.exact.RELATIVE_TOLERANCE`).
RELATIVE_TOLERANCE = 1e-7

#: Largest arm size accepted.  The log-probabilities of Fisher's test are differences of
#: log-gamma values of size about n log n; at 10^7 their rounding error (about 4e-8 absolute)
#: stays below the tie tolerance :data:`RELATIVE_TOLERANCE`, so ties are still recognised.
MAX_ARM_SIZE = 10_000_000

#: Largest (treat_n + 1)(control_n + 1) for which :func:`pvalue_matrix` builds every table:
#: about 1,000 per arm (8 MB a matrix).
MAX_MATRIX_TABLES = 1_002_001

#: Tables evaluated at once (bounds the memory of the temporaries).
BLOCK = 65_536


class TableTooLargeError(ReanalyseError, ValueError):
    """A 2 x 2 computation was asked for at a size above the documented limits."""


def check_sizes(treat_n, control_n) -> tuple[int, int]:
    """Arm sizes as ints, refused (:class:`TableTooLargeError`) above :data:`MAX_ARM_SIZE`."""
    sizes = []
    for name, n in (("treat_n", treat_n), ("control_n", control_n)):
        if isinstance(n, bool) or int(n) != n or n < 1:
            raise ValueError(f"{name} = {n!r}: an arm needs a whole number of at least 1")
        if n > MAX_ARM_SIZE:
            raise TableTooLargeError(
                f"{name} = {int(n):,} is above the largest arm size the 2 x 2 tests accept "
                f"({MAX_ARM_SIZE:,}): Fisher's exact test cannot tell equally probable tables "
                "apart at that size")
        sizes.append(int(n))
    return sizes[0], sizes[1]


def two_sided_only(test: str) -> bool:
    """Whether ``test`` has no one-sided form (the chi-square tests)."""
    return test in (PEARSON_CHI2, YATES_CHI2)


def _tables(treat_events, treat_n, control_events, control_n, alternative):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    treat_events = np.asarray(treat_events, dtype=float)
    control_events = np.asarray(control_events, dtype=float)
    total = treat_n + control_n
    events = treat_events + control_events
    return treat_events, control_events, total, events, (events == 0) | (events == total)


def _normal_p(z, alternative):
    if alternative == "two-sided":
        return 2 * norm_sf(np.abs(z))
    return norm_sf(z) if alternative == "greater" else norm_cdf(z)


def two_proportion_chi2(treat_events, treat_n, control_events, control_n, *,
                        correction: bool = False, alternative: str = "two-sided"):
    """Pearson's chi-square test of 2 x 2 tables, vectorised over arrays of counts.

    Tests H0: equal event proportions in the two arms.  For the table
    ``[[a, b], [c, d]]`` (``a = treat_events``, ``b = treat_n - a``; ``c = control_events``,
    ``d = control_n - c``) every cell deviates from its expected count by the same
    ``|ad - bc| / N``, so X**2 = N (|ad - bc| - k)**2 / (r1 r2 c1 c2) with ``k = 0``, or with
    Yates' correction ``k = min(N / 2, |ad - bc|)`` (capped at ``|O - E|``, as R's
    ``chisq.test`` and scipy).  Chi-square with one df is a squared standard normal, so the
    two-sided p is ``2 * norm_sf(sqrt(X**2))`` (the normal tail is also far quicker than the
    chi-square one over many tables); one-sided alternatives use the root signed as treat
    minus control proportion.  A table with no events or no non-events has X**2 = 0 and p = 1.

    Parameters
    ----------
    treat_events, control_events : array_like of int
        Event counts; broadcast together.
    treat_n, control_n : int
    correction : bool
        Yates' continuity correction.
    alternative : {'two-sided', 'greater', 'less'}

    Returns
    -------
    statistic, pvalue : ndarray
        X**2 and its p for every table.
    """
    a, c, total, events, degenerate = _tables(treat_events, treat_n, control_events,
                                              control_n, alternative)
    cross = a * control_n - c * treat_n                       # ad - bc
    excess = np.abs(cross)
    if correction:
        excess = excess - np.minimum(total / 2, excess)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(degenerate, 0.0, total * excess**2
                             / (treat_n * control_n * events * (total - events)))
    pvalue = _normal_p(np.sign(cross) * np.sqrt(statistic), alternative)
    return statistic, np.where(degenerate, 1.0, pvalue)


def two_proportion_z(treat_events, treat_n, control_events, control_n, *,
                     alternative: str = "two-sided"):
    """The pooled two-proportion z-test of 2 x 2 tables, vectorised over arrays of counts.

    Tests H0: equal event proportions, with z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) for
    the pooled proportion p (R ``prop.test(correct = FALSE)``; z**2 is Pearson's X**2).  A
    table with no events or no non-events has z = 0 and p = 1.

    Parameters
    ----------
    treat_events, control_events : array_like of int
        Event counts; broadcast together.
    treat_n, control_n : int
    alternative : {'two-sided', 'greater', 'less'}
        For treat minus control proportion.

    Returns
    -------
    statistic, pvalue : ndarray
        z and its p for every table.
    """
    a, c, total, events, degenerate = _tables(treat_events, treat_n, control_events,
                                              control_n, alternative)
    pooled = events / total
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(degenerate, 0.0, (a / treat_n - c / control_n) / np.sqrt(
            pooled * (1 - pooled) * (1 / treat_n + 1 / control_n)))
    return statistic, np.where(degenerate, 1.0, _normal_p(statistic, alternative))


# --------------------------------------------------------------------------------------------
# Fisher's exact test, one table at a time (vectorised)
# --------------------------------------------------------------------------------------------

def _log_pmf(k, total, treat_n, control_n):
    """log P(A = k | A + C = total), A hypergeometric: C(n1, k) C(n2, s - k) / C(N, s)."""
    return (gammaln(treat_n + 1.0) - gammaln(k + 1.0) - gammaln(treat_n - k + 1.0)
            + gammaln(control_n + 1.0) - gammaln(total - k + 1.0)
            - gammaln(control_n - total + k + 1.0)
            - gammaln(treat_n + control_n + 1.0) + gammaln(total + 1.0)
            + gammaln(treat_n + control_n - total + 1.0))


def _bisect(low, high, predicate):
    """Smallest k in [low, high] with ``predicate(k)`` true (high + 1 when none), for a
    predicate false then true along each range; vectorised over arrays of ranges."""
    low, high = low.copy(), high + 1
    while True:
        open_ = low < high
        if not open_.any():
            return low
        middle = (low + high) // 2
        holds = predicate(middle) & open_
        high = np.where(holds, middle, high)
        low = np.where(open_ & ~holds, middle + 1, low)


def _fisher_block(a, c, treat_n, control_n, alternative):
    total = a + c
    if alternative == "less":
        return hypergeom.cdf(a, treat_n + control_n, treat_n, total)
    if alternative == "greater":
        return hypergeom.sf(a - 1, treat_n + control_n, treat_n, total)
    lowest = np.maximum(0, total - control_n)
    highest = np.minimum(total, treat_n)
    mode = np.minimum((total + 1) * (treat_n + 1) // (treat_n + control_n + 2), highest)
    threshold = _log_pmf(a, total, treat_n, control_n) + math.log1p(RELATIVE_TOLERANCE)

    def at_most(k):
        return _log_pmf(k, total, treat_n, control_n) <= threshold

    # The pmf rises up to the mode and falls after it, so the tables no more probable than the
    # observed one are k <= left and k >= right: two tails.
    left = _bisect(lowest, mode, lambda k: ~at_most(k)) - 1        # last k <= mode at most
    right = _bisect(mode + 1, highest, at_most)                    # first k > mode at most
    tails = (np.where(left >= lowest, hypergeom.cdf(left, treat_n + control_n, treat_n, total),
                      0.0)
             + np.where(right <= highest,
                        hypergeom.sf(right - 1, treat_n + control_n, treat_n, total), 0.0))
    return np.minimum(tails, 1.0)


def fisher_exact_pvalues(treat_events, treat_n: int, control_events, control_n: int,
                         alternative: str = "two-sided") -> np.ndarray:
    """Fisher's exact p of the tables at the given count pairs.

    Conditional on both margins, the treatment arm's events A are hypergeometric given the
    total s = a + c.  ``"less"`` gives P(A <= a | s), ``"greater"`` P(A >= a | s); the
    two-sided p (R's ``fisher.test``) sums the probabilities of the tables with the same
    margins that are no more probable than the observed one, within a relative tolerance of
    :data:`RELATIVE_TOLERANCE`.  The hypergeometric distribution is unimodal, so those tables
    are two tails, whose ends are found by bisection on log-probabilities and whose masses are
    scipy's hypergeometric cdf and sf: O(log n) per table, no table matrix.  Agrees with
    :func:`reanalyse.kernels.exact.fisher_pvalues` (the every-table matrix) to about 1e-12
    relative wherever p is above 1e-300 (that matrix sums underflowed probabilities to 0).

    Parameters
    ----------
    treat_events, control_events : array_like of int
        Event counts; broadcast together; each in 0..its arm size.
    treat_n, control_n : int
    alternative : {'two-sided', 'less', 'greater'}

    Returns
    -------
    ndarray
        p for each table, shaped as the broadcast counts.
    """
    treat_n, control_n = check_sizes(treat_n, control_n)
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    a, c = np.broadcast_arrays(np.asarray(treat_events, dtype=np.int64),
                               np.asarray(control_events, dtype=np.int64))
    if a.size and ((a < 0).any() or (a > treat_n).any() or (c < 0).any()
                   or (c > control_n).any()):
        raise ValueError("event counts must lie in 0..treat_n and 0..control_n")
    flat_a, flat_c = a.ravel(), c.ravel()
    out = np.empty(flat_a.size)
    for start in range(0, flat_a.size, BLOCK):
        block = slice(start, start + BLOCK)
        out[block] = _fisher_block(flat_a[block], flat_c[block], treat_n, control_n,
                                   alternative)
    return out.reshape(a.shape)


def pvalues(test: str, treat_events, treat_n: int, control_events, control_n: int,
            alternative: str = "two-sided") -> np.ndarray:
    """p-values of ``test`` at the given count pairs (arrays broadcast together).

    Raises
    ------
    ValueError
        For an unknown test, or a one-sided alternative with a chi-square test.
    TableTooLargeError
        For an arm size above :data:`MAX_ARM_SIZE`.
    """
    _check_test(test, alternative)
    treat_n, control_n = check_sizes(treat_n, control_n)
    if test == FISHER_EXACT:
        return fisher_exact_pvalues(treat_events, treat_n, control_events, control_n,
                                    alternative)
    if test == Z_POOLED:
        return two_proportion_z(treat_events, treat_n, control_events, control_n,
                                alternative=alternative)[1]
    return two_proportion_chi2(treat_events, treat_n, control_events, control_n,
                               correction=test == YATES_CHI2, alternative=alternative)[1]


def _check_test(test, alternative):
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; use one of: {', '.join(TESTS)}")
    if alternative != "two-sided" and two_sided_only(test):
        raise ValueError(f"{test} is two-sided only; use fisher_exact or z_pooled "
                         f"for a one-sided alternative")


def pvalue_window(test: str, treat_n: int, control_n: int, treat_events, control_events,
                  alternative: str = "two-sided") -> np.ndarray:
    """p of ``test`` over a window of tables: element ``[i, j]`` is the table with
    ``treat_events[i]`` and ``control_events[j]`` events.  Costs O(rows x columns), whatever
    the arm sizes."""
    rows = np.asarray(treat_events, dtype=np.int64)[:, np.newaxis]
    columns = np.asarray(control_events, dtype=np.int64)[np.newaxis, :]
    return pvalues(test, rows, treat_n, columns, control_n, alternative)


@array_cache(64)
def _matrix(test: str, treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    if test == FISHER_EXACT:
        return exact.fisher_pvalues(treat_n, control_n, alternative)    # cached, read-only
    matrix = pvalue_window(test, treat_n, control_n, np.arange(treat_n + 1),
                           np.arange(control_n + 1), alternative)
    matrix.setflags(write=False)
    return matrix


def pvalue_matrix(test: str, treat_n: int, control_n: int,
                  alternative: str = "two-sided") -> np.ndarray:
    """p-values of ``test`` for every table at these arm sizes, indexed ``[a, c]`` (read-only,
    cached).

    Raises
    ------
    ValueError
        For an unknown test, or a one-sided alternative with a chi-square test.
    TableTooLargeError
        When (treat_n + 1)(control_n + 1) is above :data:`MAX_MATRIX_TABLES`: use
        :func:`pvalues` or :func:`pvalue_window` at the tables needed.
    """
    _check_test(test, alternative)
    treat_n, control_n = check_sizes(treat_n, control_n)
    if (treat_n + 1) * (control_n + 1) > MAX_MATRIX_TABLES:
        raise TableTooLargeError(
            f"a matrix of every table at {treat_n:,} vs {control_n:,} would hold "
            f"{(treat_n + 1) * (control_n + 1):,} tables (at most {MAX_MATRIX_TABLES:,}); "
            "evaluate the tables needed with pvalues() or pvalue_window()")
    return _matrix(test, treat_n, control_n, alternative)
