"""GRIMMER: can a printed mean and SD both come from n integer responses (Anaya 2016)?

For integer responses y_1..y_n (each participant's score times ``items``), the sum S and the sum
of squares Q are integers and the sample SD is sqrt((Q - S**2 / n) / (n - 1)).  A printed
(mean, SD) pair is *consistent* when some integer S passes GRIM for the mean and some integer Q
gives an SD inside the printed SD's rounding interval, with Q reachable by n integers with sum S
(:func:`reanalyse.screens.granularity.representable`: Anaya's parity rule, the spread-out
minimum, and the exact conditions for n = 2, 3, 4 where the parity rule alone lets impossible
SDs through).  Everything is decided in integer arithmetic.

Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
variability. PeerJ Preprints 2016;4:e2400v1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reanalyse.screens.columns import format_scaled, join_text, to_text
from reanalyse.screens.factory import Check, CheckResult, Field, status_codes, table_mapper
from reanalyse.screens.granularity import ceil_div, floor_div, interval_bounds, \
    least_squares, pow10, representable, split_exact
from reanalyse.screens.grim import grim_sums

__all__ = ["GRIMMER", "grimmer", "grimmer_map"]


def _sum_of_squares_range(total, n, items, sd_lower, sd_upper, lower_closed, upper_closed,
                          sd_decimals):
    """Integer Q whose SD (with sum ``total``) falls in the printed SD interval.

    The SD of the responses times ``items`` lies in items * [lower, upper] / (2 10**d); with
    E = 4 * 10**(2 d) the condition is items**2 lower**2 n (n - 1) <= E (n Q - S**2) <=
    items**2 upper**2 n (n - 1).
    """
    scale = 4 * pow10(2 * sd_decimals, total)
    spread = items * items * n * (n - 1)
    low = np.maximum(sd_lower, 0)
    low_closed = lower_closed | (sd_lower <= 0)
    base = total * total * scale
    denominator = n * scale
    q_low = np.where(low_closed, ceil_div(base + low * low * spread, denominator),
                     floor_div(base + low * low * spread, denominator) + 1)
    q_high = np.where(upper_closed, floor_div(base + sd_upper * sd_upper * spread, denominator),
                      ceil_div(base + sd_upper * sd_upper * spread, denominator) - 1)
    return q_low, q_high


def _first_representable(n, total, start, stop=None):
    """Smallest Q in start..stop (step 2 from ``start``, which must have the parity of
    ``total`` and be at least :func:`least_squares`) that n integers with sum ``total`` reach;
    ``stop + 1`` where none does.  From n = 5 on that is ``start`` itself.  Without ``stop``
    the search goes on until it finds one (there always is one further up)."""
    q = start.copy()
    within = np.ones(len(q), dtype=bool) if stop is None else q <= stop
    found = (n >= 5) & within
    active = (n <= 4) & within
    while active.any():
        idx = np.flatnonzero(active)
        hit = representable(n[idx], total[idx], q[idx])
        found[idx[hit]] = True
        q[idx[~hit]] += 2
        active[idx] = ~hit if stop is None else ~hit & (q[idx] <= stop[idx])
    return q if stop is None else np.where(found, q, stop + 1)


def _check(mean_low_sum, mean_high_sum, n, items, sd_lower, sd_upper, lower_closed,
           upper_closed, sd_decimals):
    """Whether some sum S in the GRIM range and some reachable Q fit the SD interval."""
    rows = len(n)
    consistent = np.zeros(rows, dtype=bool)
    total = mean_low_sum.copy()
    active = total <= mean_high_sum
    while active.any():
        idx = np.flatnonzero(active)
        s = total[idx]
        q_low, q_high = _sum_of_squares_range(s, n[idx], items[idx], sd_lower[idx],
                                              sd_upper[idx], lower_closed[idx],
                                              upper_closed[idx], sd_decimals[idx])
        start = np.maximum(q_low, least_squares(n[idx], s))
        start = start + (start - s) % 2
        first = _first_representable(n[idx], s, start, q_high)
        hit = first <= q_high
        consistent[idx[hit]] = True
        total[idx] += 1
        active[idx[hit]] = False
        active[idx] &= total[idx] <= mean_high_sum[idx]
    return {"consistent": consistent}


def _nearest_sds(total, n, items, q_low, q_high, sd_decimals):
    """Printed SDs of the reachable Q just below ``q_low`` and just above ``q_high``."""
    minimum = least_squares(n, total)
    below = q_low - 1
    below = below - (below - total) % 2
    while True:
        missing = (below >= minimum) & ~representable(n, total, below)
        if not missing.any():
            break
        below = np.where(missing, below - 2, below)
    above = q_high + 1
    above = above + (above - total) % 2
    above = _first_representable(n, total, np.maximum(above, minimum))
    squares = total.astype(float) ** 2
    sd_below = np.sqrt(np.maximum(n * below - squares, 0) / (n * (n - 1.0))) / items
    sd_above = np.sqrt((n * above - squares) / (n * (n - 1.0))) / items
    text_below = format_scaled(np.rint(sd_below * 10.0 ** sd_decimals), sd_decimals)
    text_above = format_scaled(np.rint(sd_above * 10.0 ** sd_decimals), sd_decimals)
    return np.where(below < minimum, None, text_below), text_above


def _run(columns, options):
    mean, sd, n, items = columns["mean"], columns["sd"], columns["n"], columns["items"]
    rounding = options["rounding"]
    sum_low, sum_high = grim_sums(mean, n * items, rounding)
    mean_ok = sum_low <= sum_high
    lower, upper, lower_closed, upper_closed = interval_bounds(sd, rounding)
    # largest product: S**2 * 4 * 10**(2 d) with S up to |mean| n items
    big_sum = np.maximum(np.abs(sum_low), np.abs(sum_high)).astype(float) + 1
    magnitude = np.maximum(big_sum**2, (np.abs(upper) + 1.0) ** 2 * (items * n) ** 2) * 8 \
        * 100.0 ** sd.decimals
    rows = slice(None) if mean_ok.all() else np.flatnonzero(mean_ok)
    consistent = np.zeros(len(n), dtype=bool)
    args = (sum_low[rows], sum_high[rows], n[rows], items[rows], lower[rows], upper[rows],
            lower_closed[rows], upper_closed[rows], sd.decimals[rows])
    if len(args[0]):
        consistent[rows] = split_exact(magnitude[rows], _check, *args)["consistent"]
    status = status_codes(consistent)
    reason = np.full(len(n), None, dtype=object)
    grim_bad = ~mean_ok
    if grim_bad.any():
        reason[grim_bad] = join_text(
            "the mean fails GRIM: no sum of ", n[grim_bad] * items[grim_bad],
            " integer values has a mean that rounds to ", mean.text[grim_bad])
    sd_bad = mean_ok & ~consistent
    if sd_bad.any():
        reason[sd_bad] = _sd_reason(mean, sd, n, items, (sum_low + sum_high) // 2, sd_bad, lower,
                                    upper, lower_closed, upper_closed, magnitude)
    return {"status": status, "reason": reason}


def _sd_reason(mean, sd, n, items, centre, rows, lower, upper, lower_closed, upper_closed,
               magnitude):
    """Reason for rows whose mean passes GRIM but whose SD no integer data give: the reachable
    SDs on either side of the printed SD, for the sum ``centre`` nearest the printed mean."""
    centre = centre[rows]

    def compute(total, n, items, lower, upper, lower_closed, upper_closed, decimals):
        q_low, q_high = _sum_of_squares_range(total, n, items, lower, upper, lower_closed,
                                              upper_closed, decimals)
        below, above = _nearest_sds(total, n, items, q_low, q_high, decimals)
        return {"below": below, "above": above}

    near = split_exact(magnitude[rows], compute, centre, n[rows], items[rows], lower[rows],
                       upper[rows], lower_closed[rows], upper_closed[rows], sd.decimals[rows])
    below = near["below"]
    nearest = np.where(pd.isna(below), join_text("; the smallest possible SD is ", near["above"]),
                       join_text("; nearest possible SDs ", np.where(pd.isna(below), "", below),
                                 " and ", near["above"]))
    return join_text("no ", to_text(n[rows]), " integer values with mean ", mean.text[rows],
                     " have SD ", sd.text[rows], nearest)


GRIMMER = Check(
    name="grimmer",
    title="GRIMMER: are a printed mean and SD possible for n integer responses",
    reference="Anaya (2016), PeerJ Preprints 4:e2400v1, with exact conditions for n <= 4",
    fields=(
        Field("mean", "printed", "the printed mean (text)"),
        Field("sd", "printed", "the printed sample SD (text)", minimum=0),
        Field("n", "whole", "number of participants", minimum=2),
        Field("items", "whole", "number of integer items per participant's score",
              default="1", minimum=1),
    ),
    outputs={},
    run=_run,
)

grimmer_map = table_mapper(GRIMMER)


def grimmer(mean: str, sd: str, n: int, *, items: int = 1,
            rounding: str = "nearest") -> CheckResult:
    """GRIMMER for one printed mean and SD.

    Tests whether some n integer responses (scores that are means of ``items`` integer items)
    have a mean and a sample SD that round to the printed ones.

    Parameters
    ----------
    mean, sd : str
        As printed (text keeps trailing zeros).
    n : int
        Number of participants (at least 2).
    items : int
        Items per participant's score.
    rounding : str
        Rounding convention (:class:`reanalyse.printed.Rounding`).

    Returns
    -------
    CheckResult
        ``reason`` gives the nearest possible SDs when the SD is impossible.

    Examples
    --------
    >>> grimmer("5.21", "1.60", 28).status
    'consistent'
    """
    return GRIMMER.scalar({"mean": mean, "sd": sd, "n": n, "items": items},
                          {"rounding": rounding})
