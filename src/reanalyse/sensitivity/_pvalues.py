"""Two-proportion tests over every 2 x 2 table with given arm sizes, as matrices.

``pvalue_matrix(test, treat_n, control_n, alternative)[a, c]`` is the p-value of ``test`` for the
table with ``a`` events of ``treat_n`` in the treatment arm and ``c`` of ``control_n`` in the
control arm.  The sensitivity analyses (fragility indices, attrition imputations, the smallest
count difference a trial can show) read many tables at the same arm sizes, so each matrix is
computed once, vectorised, and cached.

Tests (H0: equal event proportions; one-sided alternatives refer to treat minus control):

``pearson_chi2``, ``yates_chi2``
    Pearson's X**2 without and with Yates' correction, two-sided only:
    :func:`reanalyse.checks.binary.two_proportion_chi2`, the function the check's ``binary_tests`` uses.
``fisher_exact``
    Fisher's exact test, from :func:`reanalyse.kernels.exact.fisher_pvalues`.
``z_pooled``
    The two-proportion z-test with pooled variance: :func:`reanalyse.checks.binary.two_proportion_z`.

A table with no events or no non-events at all has no variation to test: its p is 1.
"""

from __future__ import annotations

import functools

import numpy as np

from reanalyse.kernels import exact
from reanalyse.model import tests
from reanalyse.checks.binary import two_proportion_chi2, two_proportion_z

__all__ = ["TESTS", "TEST_LABELS", "pvalue_matrix", "two_sided_only"]

TESTS = ("pearson_chi2", "yates_chi2", "fisher_exact", "z_pooled")
TEST_LABELS = {name: tests.phrase(name) for name in TESTS}


def two_sided_only(test: str) -> bool:
    """Whether ``test`` has no one-sided form (the chi-square tests)."""
    return test in ("pearson_chi2", "yates_chi2")


@functools.lru_cache(maxsize=64)
def _matrix(test: str, treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    if test == "fisher_exact":
        return exact.fisher_pvalues(treat_n, control_n, alternative)    # cached, read-only
    treat_events = np.arange(treat_n + 1)[:, np.newaxis]
    control_events = np.arange(control_n + 1)[np.newaxis, :]
    if test == "z_pooled":
        _, matrix = two_proportion_z(treat_events, treat_n, control_events, control_n,
                                     alternative=alternative)
    else:
        _, matrix = two_proportion_chi2(treat_events, treat_n, control_events, control_n,
                                        correction=test == "yates_chi2", alternative=alternative)
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
