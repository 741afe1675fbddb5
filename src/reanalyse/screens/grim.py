"""GRIM: can a printed mean be the mean of n integer values (Brown & Heathers 2017)?

The mean of n responses on an integer scale, each the sum of ``items`` integer items, is an
integer sum divided by ``n * items``.  A printed mean is *consistent* when some integer sum
gives a true mean inside the printed number's rounding interval.  With ``n * items`` at least
``10**decimals`` every printed mean is possible (the check is not ``testable``).

Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in the
reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-369.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import POW10, format_scaled, join_text, to_text
from reanalyse.screens.factory import UNTESTABLE, Check, CheckResult, Field, status_codes, \
    table_mapper
from reanalyse.kernels.granularity import exact_product, grim_sums, printed_ratio, split_exact

__all__ = ["GRIM", "grim", "grim_map", "grim_sums"]


def _nearest_means(mean, count, below, above):
    """Text of the means of the sums ``below`` and ``above``, at the mean's decimals."""
    magnitude = (np.abs(below).astype(float) + np.abs(above) + 2) * 2 * 10.0 ** mean.decimals

    def compute(below, above, count, decimals):
        return {"below": printed_ratio(below, count, decimals),
                "above": printed_ratio(above, count, decimals)}

    out = split_exact(magnitude, compute, below, above, count, mean.decimals)
    return (format_scaled(out["below"], mean.decimals),
            format_scaled(out["above"], mean.decimals))


def _run(columns, options):
    mean, n, items = columns["mean"], columns["n"], columns["items"]
    count = exact_product(n, items)
    low, high = grim_sums(mean, count, options["rounding"])
    consistent = low <= high
    reason = np.full(len(count), None, dtype=object)
    bad = ~consistent
    if bad.any():
        # no sum fits: high is the sum just below the interval and low the one just above
        below, above = _nearest_means(mean.take(bad), count[bad], high[bad], low[bad])
        total = to_text(count[bad])
        reason[bad] = join_text(
            "no sum of ", total, " integer values has a mean that rounds to ", mean.text[bad],
            "; nearest possible means ", below, " (", high[bad], "/", total, ") and ", above,
            " (", low[bad], "/", total, ")")
    testable = count < POW10[np.minimum(mean.decimals, 18)]
    status = np.where(testable, status_codes(consistent), UNTESTABLE).astype(np.int8)
    if not testable.all():
        untestable = ~testable
        reason[untestable] = join_text(
            "n x items = ", to_text(count[untestable]), " is not below 10^",
            to_text(mean.decimals[untestable]), ": every mean printed to ",
            to_text(mean.decimals[untestable]), " decimal(s) is possible, so GRIM cannot test it")
    return {"status": status, "reason": reason, "testable": testable}


GRIM = Check(
    name="grim",
    title="GRIM: is a printed mean possible for n integer responses",
    reference="Brown & Heathers (2017), Soc Psychol Personal Sci 8:363-369",
    fields=(
        Field("mean", "printed", "the printed mean (text, trailing zeros kept)"),
        Field("n", "whole", "number of participants", minimum=1),
        Field("items", "whole", "number of integer items summed or averaged per participant",
              default="1", minimum=1),
    ),
    outputs={"testable": "whether n x items < 10**decimals, so that GRIM can fail at all"},
    run=_run,
)

grim_map = table_mapper(GRIM)


def grim(mean: str, n: int, *, items: int = 1, rounding: str = "nearest") -> CheckResult:
    """GRIM for one printed mean.

    Tests whether a mean printed as ``mean`` can arise from ``n`` responses that are each the
    mean (or sum) of ``items`` integer items: some integer total T must give T / (n x items)
    inside the printed mean's rounding interval.

    Parameters
    ----------
    mean : str
        The mean as printed (text keeps trailing zeros: ``"5.20"``).
    n : int
        Number of participants.
    items : int
        Items per participant's score.
    rounding : str
        Rounding convention of the printed mean (:class:`reanalyse.kernels.printed.Rounding`).

    Returns
    -------
    CheckResult
        ``status`` ``consistent`` or ``inconsistent`` (with the nearest possible means in
        ``reason``), ``details["testable"]``.

    Examples
    --------
    >>> grim("5.19", 28).status
    'inconsistent'
    """
    return GRIM.scalar({"mean": mean, "n": n, "items": items}, {"rounding": rounding})
