"""Two-proportion tests over every 2 x 2 table with given arm sizes, as matrices.

``pvalue_matrix(test, treat_n, control_n, alternative)[a, c]`` is the p-value of ``test`` for the
table with ``a`` events of ``treat_n`` in the treatment arm and ``c`` of ``control_n`` in the
control arm.  The sensitivity analyses (fragility indices, attrition imputations, the smallest
count difference a trial can show) read many tables at the same arm sizes, so each matrix is
computed once, vectorised, and cached.

Tests (H0: equal event proportions; one-sided alternatives refer to treat minus control):

``pearson_chi2``
    Pearson's X**2 without correction, two-sided only.  For a 2 x 2 table X**2 equals the square
    of the pooled z statistic, which is how it is computed here.
``yates_chi2``
    With Yates' correction capped at |O - E| (as R's ``chisq.test`` and scipy): every cell of a
    2 x 2 table has the same |O - E| = |ad - bc| / N, so X**2 = N (|ad - bc| - min(N/2,
    |ad - bc|))**2 / (r1 r2 c1 c2).  Two-sided only.
``fisher_exact``
    Fisher's exact test, from :func:`reanalyse.exact.fisher_pvalues`.
``z_pooled``
    The two-proportion z-test with pooled variance.

A table with no events or no non-events at all has no variation to test: its p is 1.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import stats

from reanalyse import exact

__all__ = ["TESTS", "TEST_LABELS", "pvalue_matrix", "two_sided_only"]

TESTS = ("pearson_chi2", "yates_chi2", "fisher_exact", "z_pooled")
TEST_LABELS = {"pearson_chi2": "Pearson's chi-square", "yates_chi2": "Yates' chi-square",
               "fisher_exact": "Fisher's exact test", "z_pooled": "the pooled z-test"}


def two_sided_only(test: str) -> bool:
    """Whether ``test`` has no one-sided form (the chi-square tests)."""
    return test in ("pearson_chi2", "yates_chi2")


def _grid(treat_n: int, control_n: int):
    a, c = np.meshgrid(np.arange(treat_n + 1, dtype=float), np.arange(control_n + 1, dtype=float),
                       indexing="ij")
    total = treat_n + control_n
    events = a + c
    degenerate = (events == 0) | (events == total)
    return a, c, total, events, degenerate


@functools.lru_cache(maxsize=64)
def _matrix(test: str, treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    if test == "fisher_exact":
        matrix = np.array(exact.fisher_pvalues(treat_n, control_n, alternative), dtype=float)
    else:
        a, c, total, events, degenerate = _grid(treat_n, control_n)
        with np.errstate(divide="ignore", invalid="ignore"):
            if test == "yates_chi2":
                cross = np.abs(a * (control_n - c) - c * (treat_n - a))
                corrected = cross - np.minimum(total / 2, cross)
                x2 = total * corrected**2 / (treat_n * control_n * events * (total - events))
                p = stats.chi2.sf(x2, 1)
            else:
                pooled = events / total
                z = (a / treat_n - c / control_n) / np.sqrt(
                    pooled * (1 - pooled) * (1 / treat_n + 1 / control_n))
                if alternative == "two-sided":
                    p = 2 * stats.norm.sf(np.abs(z))
                elif alternative == "greater":
                    p = stats.norm.sf(z)
                else:
                    p = stats.norm.cdf(z)
        matrix = np.where(degenerate, 1.0, p)
    matrix.setflags(write=False)
    return matrix


def pvalue_matrix(test: str, treat_n: int, control_n: int,
                  alternative: str = "two-sided") -> np.ndarray:
    """p-values of ``test`` for every table at these arm sizes, indexed ``[a, c]`` (read-only).

    Raises
    ------
    ValueError
        For an unknown test, or a one-sided alternative with a chi-square test.
    """
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; use one of: {', '.join(TESTS)}")
    if alternative != "two-sided" and two_sided_only(test):
        raise ValueError(f"{TEST_LABELS[test]} is two-sided only; use fisher_exact or z_pooled "
                         f"for a one-sided alternative")
    return _matrix(test, int(treat_n), int(control_n), alternative)
