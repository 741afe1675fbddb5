"""Percentage versus n: which event counts out of n print as the given percentage?

A percentage of n participants is 100 k / n for a whole count k in 0..n.  A printed percentage
is *consistent* when some count gives a true percentage inside its rounding interval; the
consistent counts (a contiguous range) are returned, which is what a rebuilt chi-square or
Fisher test needs.  This is GRIM (Brown & Heathers 2017) on the proportion, with the count
bounded by n.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import format_scaled, join_text, to_text
from reanalyse.screens.base import Screen, ScreenResult, Field, status_codes, table_mapper
from reanalyse.kernels.granularity import printed_ratio
from reanalyse.kernels.granularity import percent_counts

__all__ = ["PERCENT", "percent_n", "percent_map", "percent_counts"]


def _run(columns, options):
    percent, n = columns["percent"], columns["n"]
    low, high = percent_counts(percent, n, options["rounding"])
    consistent = low <= high
    status = status_codes(consistent)
    reason = np.full(len(n), None, dtype=object)
    bad = ~consistent
    if bad.any():
        # nearest counts on either side of the printed percentage, within 0..n
        below = np.minimum(high[bad], n[bad])
        above = np.maximum(low[bad], 0)
        decimals = percent.decimals[bad]
        total = to_text(n[bad])
        reason[bad] = join_text(
            "no count out of ", total, " gives ", percent.text[bad], "%; nearest possible ",
            format_scaled(printed_ratio(below, n[bad], decimals, scale=100), decimals),
            "% (", below, "/", total, ") and ",
            format_scaled(printed_ratio(above, n[bad], decimals, scale=100), decimals),
            "% (", above, "/", total, ")")
    # no consistent count: the count columns are left empty
    return {"status": status, "reason": reason,
            "count_low": np.ma.masked_array(low, mask=~consistent),
            "count_high": np.ma.masked_array(high, mask=~consistent)}


PERCENT = Screen(
    name="percent",
    title="percentage versus n: is a printed percentage possible out of n",
    reference="GRIM (Brown & Heathers 2017) applied to 100 k / n, k in 0..n",
    fields=(
        Field("percent", "printed", "the printed percentage (0 to 100, as text)",
              minimum=0, maximum=100),
        Field("n", "whole", "the denominator (participants in the arm)", minimum=1),
    ),
    outputs={"count_low": "smallest consistent count (-1 when none)",
             "count_high": "largest consistent count (-1 when none)"},
    run=_run,
)

percent_map = table_mapper(PERCENT)


def percent_n(percent: str, n: int, *, rounding: str = "nearest") -> ScreenResult:
    """Whether a printed percentage can be k out of n, and which counts k.

    Tests whether some whole k in 0..n gives 100 k / n inside the rounding interval of the
    printed percentage.

    Parameters
    ----------
    percent : str
        The percentage as printed (``"53.3"``).
    n : int
        The denominator.
    rounding : str
        Rounding convention (:class:`reanalyse.kernels.printed.Rounding`).

    Returns
    -------
    ScreenResult
        ``details["count_low"]``, ``details["count_high"]``: the consistent counts.

    Examples
    --------
    >>> percent_n("53.3", 30)["count_low"]
    16
    """
    return PERCENT.scalar({"percent": percent, "n": n}, {"rounding": rounding})
