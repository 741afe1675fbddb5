"""The GRIMMER core: can n integer responses have a printed mean and a printed SD (Anaya 2016)?

For integer responses y_1..y_n (each participant's score times ``items``), the sum S and the sum
of squares Q are integers and the sample SD is sqrt((Q - S**2 / n) / (n - 1)).  A printed
(mean, SD) pair is *consistent* when some integer S passes GRIM for the mean and some integer Q
gives an SD inside the printed SD's rounding interval, with Q reachable by n integers with sum S
(:func:`reanalyse.kernels.granularity.representable`: Anaya's parity rule, the spread-out
minimum, and the exact conditions for n = 2, 3, 4 where the parity rule alone lets impossible
SDs through).  Everything is decided in integer arithmetic (int64 where the products fit,
Python integers elsewhere).  The SD depends on S only through S mod n, so the sums of the GRIM
range are tried by residue, and only the residues close enough to 0 or n to allow an SD as small
as the printed one, rather than each of the (for large n, millions of) sums.

For n = 3 the reachable Q have no closed form cheap enough for every size (a number is
x**2 + x w + w**2 exactly when every prime 2 mod 3 divides it to an even power, which needs a
factorisation).  The three values are searched instead, by their largest one a: for each a the
other two exist exactly when an integer t of the parity of S - a has t**2 in a range
(:func:`_three_fits`), one integer square root per a.  The a nearest the top of their range,
where the printed SD's window is widest, come first; at most :data:`THREE_BUDGET` of them are
tried, and a row whose window is too narrow to be hit within them is left undecided rather than
called either way.

Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
variability. PeerJ Preprints 2016;4:e2400v1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reanalyse.kernels.columns import PrintedColumn, format_scaled, join_text, to_text
from reanalyse.kernels.granularity import ceil_div, exact_product, floor_div, grim_sums, \
    interval_bounds, isqrt, least_squares, pow10, representable, split_exact
from reanalyse.kernels.printed import Rounding

__all__ = ["GrimmerTest", "grimmer_test", "THREE_BUDGET"]

#: Most values of the largest response tried for one row and residue when n = 3.
THREE_BUDGET = 1 << 18
#: Bound on |Q| below which the n = 3 search runs in int64 (8 Q, 6 Q + 2 S**2 fit).
_THREE_INT64 = 2**59
#: Most (row, candidate) pairs held at once by the n = 3 search.
_THREE_BLOCK = 1 << 20


@dataclass(frozen=True)
class GrimmerTest:
    """GRIMMER over rows of printed means and SDs.

    Attributes
    ----------
    consistent : ndarray of bool
        Some n integer values have a mean and an SD that print as the printed ones.
    decided : ndarray of bool
        False where the search stopped within its budget without an answer (n = 3 with an SD
        window too narrow for its size); ``consistent`` is False there and means nothing.
    reason : ndarray of object
        Why a row is inconsistent (the nearest possible SDs) or undecided; None elsewhere.
    """

    consistent: np.ndarray
    decided: np.ndarray
    reason: np.ndarray


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
    ``stop + 1`` where none does.  From n = 5 on that is ``start`` itself; for n = 2 it is
    found directly (2 Q - S**2 is the square of the difference, of the parity of S).  Without
    ``stop`` the search goes on until it finds one (there always is one further up)."""
    q = start.copy()
    two = n == 2
    if two.any():
        spread = 2 * start[two] - total[two] ** 2
        difference = isqrt(spread)
        difference = difference + (difference * difference < spread)
        difference = difference + (difference - total[two]) % 2
        q[two] = (difference * difference + total[two] ** 2) // 2
    within = np.ones(len(q), dtype=bool) if stop is None else q <= stop
    found = ((n >= 5) | two) & within
    active = ((n == 3) | (n == 4)) & within
    while active.any():
        idx = np.flatnonzero(active)
        hit = representable(n[idx], total[idx], q[idx])
        found[idx[hit]] = True
        q[idx[~hit]] += 2
        active[idx] = ~hit if stop is None else ~hit & (q[idx] <= stop[idx])
    return q if stop is None else np.where(found, q, stop + 1)


def _last_representable(n, total, stop):
    """Largest Q <= ``stop`` (of the parity of ``total``) that n integers with sum ``total``
    reach; below :func:`least_squares` where none does."""
    minimum = least_squares(n, total)
    q = stop - (stop - total) % 2
    two = (n == 2) & (q >= minimum)
    if two.any():
        difference = isqrt(2 * q[two] - total[two] ** 2)
        difference = difference - (difference - total[two]) % 2
        q[two] = (difference * difference + total[two] ** 2) // 2
    while True:
        missing = (q >= minimum) & ((n == 3) | (n == 4)) & ~representable(n, total, q)
        if not missing.any():
            return q
        q = np.where(missing, q - 2, q)


def _residue_fits(residue, n, items, sd_lower, sd_upper, lower_closed, upper_closed,
                  sd_decimals):
    """Whether n integers with sum ``residue`` (or any sum of that residue mod n) have some
    sum of squares Q whose SD lies in the printed SD interval, and whether that was decided
    (always, except for n = 3 beyond :data:`THREE_BUDGET`)."""
    q_low, q_high = _sum_of_squares_range(residue, n, items, sd_lower, sd_upper, lower_closed,
                                          upper_closed, sd_decimals)
    start = np.maximum(q_low, least_squares(n, residue))
    start = start + (start - residue) % 2
    decided = np.ones(len(n), dtype=bool)
    three = n == 3
    if not three.any():
        return _first_representable(n, residue, start, q_high) <= q_high, decided
    fits = np.zeros(len(n), dtype=bool)
    other = ~three
    if other.any():
        fits[other] = _first_representable(n[other], residue[other], start[other],
                                           q_high[other]) <= q_high[other]
    if three.any():
        fits[three], decided[three] = _three_fits(residue[three], start[three], q_high[three])
    return fits, decided


def _three_fits(total, q_low, q_high):
    """Whether three integers with sum ``total`` have a sum of squares in q_low..q_high, and
    whether that was decided within :data:`THREE_BUDGET` candidates.

    With values (a, b, S - a - b), T = S - a and t = 2 b - T, the sum of squares is
    Q = a**2 + (t**2 + T**2) / 2, so Q lies in the range exactly when t**2 lies in
    [2 q_low - 2 a**2 - T**2, 2 q_high - 2 a**2 - T**2] for some t of the parity of T (every
    such t gives an integer b).  Let a be the largest of the three: it is at least S / 3 and at
    most (S + isqrt(6 q_high - 2 S**2)) / 3 (where 2 a**2 + T**2 <= 2 q_high), and each a is one
    integer square root.  The a are tried from the top down, in blocks growing fourfold: near
    the top the window for t is widest, so a wide SD window is hit at once.  Every a tried
    without a hit, up to the bottom, decides "no"; a row with more than the budget left is
    undecided.
    """
    fits = np.zeros(len(total), dtype=bool)
    open_rows = np.asarray(q_low <= q_high, dtype=bool)
    if q_high.dtype == object and (np.abs(q_high) < _THREE_INT64).all() \
            and (np.abs(q_low) < _THREE_INT64).all():
        # the caller's bound on products is loose; 6 q_high and 2 a**2 + T**2 fit int64 here
        total, q_low, q_high = (np.asarray(a, dtype=np.int64) for a in (total, q_low, q_high))
    top = _three_top(total, q_high)
    size = np.where(open_rows, top - ceil_div(total, 3) + 1, 0)
    limit = np.asarray(np.minimum(size, THREE_BUDGET), dtype=np.int64)
    tried = np.zeros(len(total), dtype=np.int64)
    active = np.flatnonzero(limit > 0)
    block = 1
    while len(active):
        take = np.minimum(limit[active] - tried[active], block)
        row = np.repeat(active, take)
        step = tried[row] + np.arange(len(row)) - np.repeat(np.cumsum(take) - take, take)
        largest = top[row] - step
        rest = total[row] - largest
        base = 2 * largest * largest + rest * rest
        low = 2 * q_low[row] - base
        t = isqrt(np.maximum(low, 0))
        t = t + np.asarray(t * t < low, dtype=np.int64)
        t = t + (t - rest) % 2
        hit = np.asarray(t * t <= 2 * q_high[row] - base, dtype=bool)
        fits[row[hit]] = True
        tried[active] += take
        active = active[~fits[active] & (tried[active] < limit[active])]
        block = max(1, min(4 * block, _THREE_BLOCK // max(len(active), 1)))
    decided = fits | np.asarray(tried >= size, dtype=bool)
    return fits, decided


def _three_top(total, q_high):
    """Largest a with 2 a**2 + (S - a)**2 <= 2 q_high, i.e. (3 a - S)**2 <= 6 q_high - 2 S**2
    (the largest of three values with sum S and sum of squares at most q_high)."""
    return floor_div(total + isqrt(np.maximum(6 * q_high - 2 * total * total, 0)), 3)


def _three_candidates(total, q_high):
    """Number of values of the largest of three integers (sum S, sum of squares at most
    q_high) that :func:`_three_fits` would try: ceil(S / 3) .. :func:`_three_top`."""
    return np.maximum(_three_top(total, q_high) - ceil_div(total, 3) + 1, 0)


def _reach(n, items, sd_upper, sd_decimals):
    """Largest d <= n // 2 with E d (n - d) <= items**2 upper**2 n (n - 1) (E = 4 10**(2 d)).

    With sum S = q n + r the smallest n Q - S**2 is r (n - r), so a residue r further than d
    from both 0 and n gives an SD above the printed interval for every Q.  Estimated in floating
    point, then raised in exact integers until d + 1 fails.
    """
    scale = 4 * pow10(2 * sd_decimals, n)
    limit = items * items * sd_upper * sd_upper * n * (n - 1)
    half = n // 2
    size = np.asarray(n, dtype=np.float64)
    ratio = np.asarray(limit, dtype=np.float64) / np.asarray(scale, dtype=np.float64)
    # the smaller root of d (n - d) = ratio, in the form without cancellation
    root = 2 * ratio / (size + np.sqrt(np.maximum(size * size - 4 * ratio, 0.0)))
    estimate = np.where(4 * ratio < size * size, np.floor(root) - 1, np.inf)
    reach = np.minimum(np.maximum(estimate, 0), np.asarray(half, dtype=np.float64))
    reach = np.minimum(reach.astype(np.int64), half)  # half again: float may round it up
    while True:
        step = (reach < half) & (scale * (reach + 1) * (n - reach - 1) <= limit)
        if not step.any():
            return reach
        reach = reach + step


def _residue_intervals(first, count, n, reach):
    """Residues of the sums first, ..., first + count - 1 (mod n; ``first`` < n, ``count`` <=
    n) within ``reach`` of 0 or n: four (low, high) intervals, empty where low > high."""
    end = first + count - 1
    wraps = end >= n
    runs = ((first, np.where(wraps, n - 1, end)),
            (np.where(wraps, 0, 1), np.where(wraps, end - n, 0)))
    ends = ((0, reach), (np.maximum(n - reach, reach + 1), n - 1))
    return [(np.maximum(run_low, end_low), np.minimum(run_high, end_high))
            for run_low, run_high in runs for end_low, end_high in ends]


#: Most residues tried for one row in one pass (blocks grow by four from one).
_BLOCK = 1 << 14


def _check(first, count, n, items, sd_lower, sd_upper, lower_closed, upper_closed,
           sd_decimals):
    """Whether some sum in the GRIM range and some reachable Q fit the SD interval.

    The answer depends on a sum S only through S mod n (adding one to every value changes S by
    n and leaves the SD alone), so the range is given by the residue ``first`` of its smallest
    sum and its ``count`` of sums (at most n), and any sum of a residue stands for it.  The
    first residue is tried for every row; rows with more go on to :func:`_search`.  A row is
    undecided when no residue fits and some residue could not be decided.
    """
    sd = (items, sd_lower, sd_upper, lower_closed, upper_closed, sd_decimals)
    consistent, decided = _residue_fits(first, n, *sd)
    rest = np.flatnonzero(~consistent & (count > 1))
    if len(rest):
        consistent[rest], undecided = _search(first[rest], count[rest], n[rest],
                                              *(a[rest] for a in sd))
        decided[rest] &= ~undecided
    return {"consistent": consistent, "decided": decided | consistent}


def _search(first, count, n, items, sd_lower, sd_upper, lower_closed, upper_closed,
            sd_decimals):
    """Whether some residue of the range fits, trying only those near 0 or n that can give an
    SD small enough (:func:`_reach`): one residue per row, then blocks four times larger, until
    one fits or none is left.  Also returns where some residue tried was undecided."""
    sd = (items, sd_lower, sd_upper, lower_closed, upper_closed, sd_decimals)
    intervals = _residue_intervals(first, count, n, _reach(n, items, sd_upper, sd_decimals))
    lengths = [np.maximum(high - low + 1, 0) for low, high in intervals]
    ends = list(np.cumsum(np.array(lengths, dtype=np.int64), axis=0))
    total = ends[-1]
    consistent = np.zeros(len(n), dtype=bool)
    undecided = np.zeros(len(n), dtype=bool)
    tried = np.zeros(len(n), dtype=np.int64)
    active = np.flatnonzero(total > 0)
    block = 1
    while len(active):
        take = np.minimum(total[active] - tried[active], block)
        row = np.repeat(active, take)
        position = tried[row] + np.arange(len(row)) - np.repeat(np.cumsum(take) - take, take)
        residue = intervals[-1][0][row] + (position - ends[-2][row])
        for k in range(len(intervals) - 2, -1, -1):
            offset = ends[k - 1][row] if k else 0
            residue = np.where(position < ends[k][row],
                               intervals[k][0][row] + (position - offset), residue)
        fits, decided = _residue_fits(residue, n[row], *(a[row] for a in sd))
        consistent[row[fits]] = True
        undecided[row[~decided]] = True
        tried[active] += take
        active = active[~consistent[active] & (tried[active] < total[active])]
        block = min(4 * block, _BLOCK)
    return consistent, undecided


def _nearest_sds(total, n, items, q_low, q_high, sd_decimals):
    """Printed SDs of the reachable Q just below ``q_low`` and just above ``q_high``."""
    minimum = least_squares(n, total)
    below = _last_representable(n, total, q_low - 1)
    above = q_high + 1
    above = above + (above - total) % 2
    above = _first_representable(n, total, np.maximum(above, minimum))
    # n Q - S**2 in exact integers (int64 or Python ints), then as floats for the square root
    squares = total * total
    spread_below = np.asarray(np.maximum(n * below - squares, 0), dtype=np.float64)
    spread_above = np.asarray(n * above - squares, dtype=np.float64)
    pairs = np.asarray(n * (n - 1), dtype=np.float64)
    sd_below = np.sqrt(spread_below / pairs) / np.asarray(items, dtype=np.float64)
    sd_above = np.sqrt(spread_above / pairs) / np.asarray(items, dtype=np.float64)
    places = np.asarray(sd_decimals, dtype=np.int64)
    text_below = format_scaled(np.rint(sd_below * 10.0 ** places), places)
    text_above = format_scaled(np.rint(sd_above * 10.0 ** places), places)
    return np.where(below < minimum, None, text_below), text_above


def grimmer_test(mean: PrintedColumn, sd: PrintedColumn, n, items,
                 rounding: Rounding | str) -> GrimmerTest:
    """GRIMMER for rows of printed means and SDs.

    Hypothesis tested, row by row: some n integer responses (each ``items`` times a
    participant's score) have a mean that prints as ``mean`` and a sample SD that prints as
    ``sd``, under ``rounding``.

    Parameters
    ----------
    mean, sd : PrintedColumn
        The printed means and SDs (cells read, ``problem`` None).
    n, items : int arrays
        Participants (at least 2) and integer items per score (at least 1).
    rounding : Rounding or str

    Returns
    -------
    GrimmerTest
        Exact where ``decided``; the reasons quote the nearest possible SDs.
    """
    n, items = np.asarray(n), np.asarray(items)
    averaged = exact_product(n, items)  # integer values per row
    sum_low, sum_high = grim_sums(mean, averaged, rounding)
    mean_ok = sum_low <= sum_high
    lower, upper, lower_closed, upper_closed = interval_bounds(sd, rounding)
    # only S mod n matters (below n), so the largest product is about upper**2 (items n)**2
    # 4 * 10**(2 d), times a margin
    magnitude = (np.abs(upper) + 1.0) ** 2 * (items * n.astype(np.float64)) ** 2 * 8 \
        * 100.0 ** sd.decimals
    rows = slice(None) if mean_ok.all() else np.flatnonzero(mean_ok)
    consistent = np.zeros(len(n), dtype=bool)
    decided = np.ones(len(n), dtype=bool)
    size = n[rows]
    first = np.asarray(sum_low[rows] % size, dtype=np.int64)
    count = np.asarray(np.minimum(sum_high[rows] - sum_low[rows] + 1, size), dtype=np.int64)
    args = (first, count, size, items[rows], lower[rows], upper[rows], lower_closed[rows],
            upper_closed[rows], sd.decimals[rows])
    if len(first):
        out = split_exact(magnitude[rows], _check, *args)
        consistent[rows] = out["consistent"].astype(bool)
        decided[rows] = out["decided"].astype(bool)
    reason = np.full(len(n), None, dtype=object)
    grim_bad = ~mean_ok
    if grim_bad.any():
        reason[grim_bad] = join_text(
            "the mean fails GRIM: no sum of ", averaged[grim_bad],
            " integer values has a mean that rounds to ", mean.text[grim_bad])
    sd_bad = mean_ok & ~consistent & decided
    if sd_bad.any():
        centre = np.asarray((sum_low[sd_bad] + sum_high[sd_bad]) // 2 % n[sd_bad],
                            dtype=np.int64)
        reason[sd_bad] = _sd_reason(mean, sd, n, items, centre, sd_bad, lower, upper,
                                    lower_closed, upper_closed, magnitude)
    if not decided.all():
        reason[~decided] = _undecided_reason(sd.take(~decided), items[~decided], rounding)
    return GrimmerTest(consistent, decided, reason)


def _undecided_reason(sd: PrintedColumn, items, rounding: Rounding) -> np.ndarray:
    """Why a row with n = 3 was left undecided: how many largest values it would take."""
    lower, upper, lower_closed, upper_closed = interval_bounds(sd, rounding)
    exact = lambda array: np.array([int(v) for v in array], dtype=object)  # noqa: E731
    zero, three = exact(np.zeros(len(items))), exact(np.full(len(items), 3))
    _, q_high = _sum_of_squares_range(zero, three, exact(items), exact(lower), exact(upper),
                                      lower_closed, upper_closed, exact(sd.decimals))
    return join_text(
        "too large to decide: 3 integer values with an SD that rounds to ", sd.text,
        " have up to ", to_text(_three_candidates(zero, q_high)), " candidate largest values, "
        f"and none of the first {THREE_BUDGET:,} gives that SD; the SD window is too narrow "
        "for its size to be decided, so the row is left undecided")


def _sd_reason(mean, sd, n, items, centre, rows, lower, upper, lower_closed, upper_closed,
               magnitude):
    """Reason for rows whose mean passes GRIM but whose SD no integer data give: the reachable
    SDs on either side of the printed SD, for the sum nearest the printed mean (``centre``: its
    residue mod n, which gives the same SDs)."""

    def compute(total, n, items, lower, upper, lower_closed, upper_closed, decimals):
        q_low, q_high = _sum_of_squares_range(total, n, items, lower, upper, lower_closed,
                                              upper_closed, decimals)
        # with n = 3 the neighbours are found one candidate at a time, each a search over
        # x**2 + x w + w**2 (:func:`representable`): only where the exact search was complete
        searchable = (n != 3) | (_three_candidates(total, q_high) <= THREE_BUDGET)
        below = np.full(len(n), None, dtype=object)
        above = np.full(len(n), None, dtype=object)
        if searchable.any():
            below[searchable], above[searchable] = _nearest_sds(
                *(a[searchable] for a in (total, n, items, q_low, q_high, decimals)))
        return {"below": below, "above": above}

    near = split_exact(magnitude[rows], compute, centre, n[rows], items[rows], lower[rows],
                       upper[rows], lower_closed[rows], upper_closed[rows], sd.decimals[rows])
    below, above = near["below"], near["above"]
    nearest = np.where(pd.isna(below), join_text("; the smallest possible SD is ",
                                                 np.where(pd.isna(above), "", above)),
                       join_text("; nearest possible SDs ", np.where(pd.isna(below), "", below),
                                 " and ", np.where(pd.isna(above), "", above)))
    nearest = np.where(pd.isna(above), "; no integer sum of squares gives an SD that rounds to "
                       "it (too large to search for the nearest possible SDs)", nearest)
    return join_text("no ", to_text(n[rows]), " integer values with mean ", mean.text[rows],
                     " have SD ", sd.text[rows], nearest)


