"""DEBIT: can a printed mean and SD describe binary (0/1) data from n people?

With k ones among n values the mean is k / n and the sample SD is sqrt(k (n - k) / (n (n - 1))),
so the SD is fixed by the mean.  A printed (mean, SD) pair is *consistent* when some whole k in
0..n gives a mean inside the printed mean's rounding interval (the GRIM part, which scrutiny
0.6.1 skips) and an SD inside the printed SD's interval.  Exact: k (n - k) is compared with the
SD interval in integers, and the k searched by bisection on the two sides of n / 2, where the SD
is monotone.

Heathers JAJ, Brown NJL. DEBIT: a simple consistency test for binary data. OSF preprint 2019,
https://osf.io/5vb3u.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import format_scaled, join_text, to_text
from reanalyse.screens.base import Screen, ScreenResult, Field, status_codes, table_mapper
from reanalyse.kernels.granularity import interval_bounds, pow10, split_exact, sum_range

__all__ = ["DEBIT", "debit", "debit_map"]


def _sd_fits(k, n, scale, low, high, low_closed, high_closed):
    """Whether the binary SD with k ones lies in the SD interval (E k (n - k) vs bounds)."""
    value = scale * k * (n - k)
    above = (value > low) | (low_closed & (value == low))
    below = (value < high) | (high_closed & (value == high))
    return above, below


def _first_at_least(start, stop, predicate):
    """Smallest x in start..stop with ``predicate(x, rows)`` true, by bisection over a
    predicate monotone in x (``stop + 1`` when none)."""
    lo, hi = start.copy(), stop + 1
    while True:
        open_rows = np.flatnonzero(lo < hi)
        if not len(open_rows):
            return lo
        mid = (lo[open_rows] + hi[open_rows]) // 2
        holds = predicate(mid, open_rows)
        hi[open_rows[holds]] = mid[holds]
        lo[open_rows[~holds]] = mid[~holds] + 1


def _check(mean_lower, mean_upper, mean_lower_closed, mean_upper_closed, mean_decimals, n,
           sd_lower, sd_upper, sd_lower_closed, sd_upper_closed, sd_decimals):
    k_low, k_high = sum_range(mean_lower, mean_upper, mean_lower_closed, mean_upper_closed,
                              mean_decimals, n)
    k_low, k_high = np.maximum(k_low, 0), np.minimum(k_high, n)
    scale = 4 * pow10(2 * sd_decimals, n)
    spread = n * (n - 1)
    low = np.maximum(sd_lower, 0) ** 2 * spread
    low_closed = sd_lower_closed | (sd_lower <= 0)
    high = sd_upper * sd_upper * spread

    def fits(k, rows):
        return _sd_fits(k, n[rows], scale[rows], low[rows], high[rows], low_closed[rows],
                        sd_upper_closed[rows])

    # k (n - k) rises up to n / 2 and falls after: on each side, the k with the smallest SD
    # not below the interval's lower end is the only candidate
    half = n // 2
    left_stop = np.minimum(k_high, half)
    left = _first_at_least(k_low, left_stop, lambda k, rows: fits(k, rows)[0])
    right_start = np.maximum(k_low, n - half)
    # on the falling side the SD is at least the lower end for k up to some point: find the
    # first k where it drops below, and step back one
    right_end = _first_at_least(right_start, k_high, lambda k, rows: ~fits(k, rows)[0]) - 1
    every = np.arange(len(n))
    left_ok = (left <= left_stop) & fits(left, every)[1]
    right_ok = (right_end >= right_start) & fits(right_end, every)[0] & fits(right_end, every)[1]
    mean_ok = k_low <= k_high
    consistent = mean_ok & (left_ok | right_ok)
    return {"consistent": consistent, "mean_ok": mean_ok, "k_low": k_low, "k_high": k_high}


def _binary_sd(k, n):
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return np.sqrt(k * (n - k) / (n * (n - 1)))


def _run(columns, options):
    mean, sd, n = columns["mean"], columns["sd"], columns["n"]
    rounding = options["rounding"]
    mean_bounds = interval_bounds(mean, rounding)
    sd_bounds = interval_bounds(sd, rounding)
    magnitude = np.maximum((np.abs(mean_bounds[1]) + 4.0) * n * 4,
                           (np.abs(sd_bounds[1]) + 1.0) ** 2 * n * n * 4 * 100.0 ** sd.decimals)
    out = split_exact(magnitude, _check, *mean_bounds, mean.decimals, n, *sd_bounds,
                      sd.decimals)
    consistent = out["consistent"].astype(bool)
    status = status_codes(consistent)
    reason = np.full(len(n), None, dtype=object)
    mean_bad = ~out["mean_ok"].astype(bool)
    if mean_bad.any():
        reason[mean_bad] = join_text("no count out of ", n[mean_bad], " gives a proportion of ",
                                     mean.text[mean_bad])
    sd_bad = ~consistent & ~mean_bad
    if sd_bad.any():
        k_low = out["k_low"][sd_bad].astype(np.int64)
        k_high = out["k_high"][sd_bad].astype(np.int64)
        size = n[sd_bad]
        # the SD is largest for k nearest n / 2 and smallest for the k furthest from it
        nearest = np.clip(size // 2, k_low, k_high)
        furthest = np.where(np.abs(2 * k_low - size) >= np.abs(2 * k_high - size), k_low,
                            k_high)
        places = sd.decimals[sd_bad]
        low_sd = format_scaled(np.rint(_binary_sd(furthest, size) * 10.0 ** places), places)
        high_sd = format_scaled(np.rint(_binary_sd(nearest, size) * 10.0 ** places), places)
        counts = np.where(k_low == k_high, to_text(k_low), join_text(k_low, " to ", k_high))
        sds = np.where(low_sd == high_sd, low_sd, join_text(low_sd, " to ", high_sd))
        reason[sd_bad] = join_text(
            "binary data with mean ", mean.text[sd_bad], " (", counts, " of ", size,
            ") have SD ", sds, ", not ", sd.text[sd_bad])
    return {"status": status, "reason": reason}


DEBIT = Screen(
    name="debit",
    title="DEBIT: are a printed mean and SD possible for binary data",
    reference="Heathers & Brown (2019), OSF preprint 5vb3u, with the GRIM check on the mean",
    fields=(
        Field("mean", "printed", "the printed mean of the 0/1 variable (a proportion, 0 to 1)",
              minimum=0, maximum=1),
        Field("sd", "printed", "the printed sample SD", minimum=0),
        Field("n", "whole", "number of participants", minimum=2),
    ),
    outputs={},
    run=_run,
)

debit_map = table_mapper(DEBIT)


def debit(mean: str, sd: str, n: int, *, rounding: str = "nearest") -> ScreenResult:
    """DEBIT for one printed proportion and SD.

    Tests whether some count k of ones out of n gives a mean k / n and a sample SD
    sqrt(k (n - k) / (n (n - 1))) that both round to the printed values.

    Parameters
    ----------
    mean : str
        The printed mean of the binary variable (a proportion, e.g. ``"0.35"``).
    sd : str
        The printed sample SD.
    n : int
        Number of participants.
    rounding : str
        Rounding convention (:class:`reanalyse.kernels.printed.Rounding`).

    Examples
    --------
    >>> debit("0.35", "0.49", 20).status
    'consistent'
    """
    return DEBIT.scalar({"mean": mean, "sd": sd, "n": n}, {"rounding": rounding})
