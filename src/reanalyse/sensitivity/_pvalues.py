"""The two-proportion p-values the sensitivity analyses read, now held by
:mod:`reanalyse.kernels.twobytwo` (a statistic the check and the report share); kept as a
name for callers of the earlier location."""

from reanalyse.kernels.twobytwo import TEST_LABELS, TESTS, pvalue_matrix, two_sided_only

__all__ = ["TESTS", "TEST_LABELS", "pvalue_matrix", "two_sided_only"]
