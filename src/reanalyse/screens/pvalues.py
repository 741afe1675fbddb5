"""A printed p-value against the p-interval rebuilt from other printed numbers.

Shared by the checks that recompute p (a printed statistic with its df; a t-test or ANOVA
rebuilt from means, SDs and n).  The rebuilt p is an interval ``[p_min, p_max]`` over the
rounding box of its inputs, with ``p_computed`` at the printed values.  The rule is the one of
:mod:`reanalyse.kernels.pvalues` that the claim check reads too (statcheck's, Nuijten et al.
2016, Behav Res Methods 48:1205-1226, with rounding read under the named convention); its two
readings are the screens' options:

* ``p = x`` is consistent when the interval meets the rounding interval of x;
* ``p < x`` when ``p_min <= x``; ``p > x`` when ``p_max >= x``; ``ns`` when ``p_max >= alpha``;
* ``p = .000`` (or ``< .000``) is inconsistent when ``p_zero="error"`` (statcheck's default:
  no test gives p = 0); with ``p_zero="rounded"`` it reads as p in [0, .0005];
* an inconsistent result is a ``decision_error`` when the printed p states one significance
  decision at ``alpha`` and ``p_computed`` the other; ``p = alpha`` counts as significant when
  ``p_equal_alpha="significant"`` (statcheck's default), else as not significant.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import PColumn, join_text
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.pvalues import check_p_options, computed_significant, printed_p_decision, \
    printed_p_fits, printed_p_interval
from reanalyse.screens.base import CONSISTENT, DECISION_ERROR, INCONSISTENT

__all__ = ["P_OPTIONS", "compare_printed_p"]

#: Options of every check that compares a printed p, with their defaults.
P_OPTIONS = {"alpha": 0.05, "p_equal_alpha": "significant", "p_zero": "error"}


def compare_printed_p(p_min, p_computed, p_max, printed: PColumn, options: dict):
    """Status and reason of each printed p against its rebuilt interval.

    Parameters
    ----------
    p_min, p_computed, p_max : float arrays
        The rebuilt p over the rounding box, and at the printed values.
    printed : PColumn
        The printed p-values.
    options : dict
        ``alpha``, ``p_equal_alpha``, ``p_zero`` (see :data:`P_OPTIONS`) and ``rounding``.

    Returns
    -------
    status : int8 array
        Codes of ``consistent``, ``inconsistent`` or ``decision_error``
        (:data:`reanalyse.screens.base.STATUSES`).
    reason : object array
        None where consistent.
    """
    check_p_options(options["alpha"], options["p_equal_alpha"], options["p_zero"])
    alpha, p_equal_alpha, p_zero = float(options["alpha"]), options["p_equal_alpha"], \
        options["p_zero"]
    relation, number = printed.relation, printed.number
    low, high = number.interval(options["rounding"])
    zero = number.scaled == 0
    lower, upper = printed_p_interval(relation, number.value, low, high, alpha)
    consistent = printed_p_fits(relation, lower, upper, zero, p_min, p_max, p_zero)
    zero &= (relation == "=") | (relation == "<")
    # the decision the printed p states (neither where it states none) and the computed one
    claims_significant, claims_not_significant = printed_p_decision(relation, number.value,
                                                                    alpha, p_equal_alpha)
    significant = computed_significant(p_computed, alpha, p_equal_alpha)
    decision_error = ~consistent & ~np.isnan(p_computed) & (
        (claims_significant & ~significant) | (claims_not_significant & significant))
    status = np.select([consistent, decision_error], [CONSISTENT, DECISION_ERROR],
                       default=INCONSISTENT).astype(np.int8)
    reason = np.full(len(status), None, dtype=object)
    bad = ~consistent
    if bad.any():
        zero_note = np.where(zero[bad] & (p_zero == "error"),
                             "; a p-value cannot be 0", "")
        flip_note = np.where(decision_error[bad],
                             f"; the printed p states the other decision at alpha = {alpha:g}", "")
        reason[bad] = join_text(
            "the printed numbers give p = ", format_p(p_computed[bad]), " (", format_p(p_min[bad]),
            " to ", format_p(p_max[bad]), " over their rounding), which does not fit the printed "
            "p (", printed.number.text[bad], ")", zero_note, flip_note)
    return status, reason
