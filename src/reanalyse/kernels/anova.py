"""The one-way ANOVA over the rounding box of printed means and SDs, for many comparisons.

For k groups, F = [SSB / (k - 1)] / [SSW / (N - k)] with SSB = sum n_i (m_i - m)**2 (m the
n-weighted grand mean) and SSW = sum (n_i - 1) s_i**2; for two groups F = t**2 (Student's t).
Each printed mean and SD may be anything in its rounding interval.  F separates into a part
that depends only on the means (SSB) and one that depends only on the SDs (SSW, increasing in
each SD), so over the box F is largest at the largest SSB with every SD at its low end and
smallest at the smallest SSB with every SD at its high end.  The extremes of SSB over the box
of means:

* smallest: SSB is the smallest weighted sum of squares about any centre, so its minimum is
  min over c of sum n_i d(c, [low_i, high_i])**2, reached at ``m_i = clip(c, low_i, high_i)``
  (:func:`closest_means`, closed form on each piece between interval ends);
* largest: SSB is convex, so its maximum is at a vertex of the box; :func:`ssb_range` finds it
  among O(k) candidate vertices rather than 2**k (see :func:`farthest_means`; for k <= 4,
  where 2**k is no more than those candidates, among every vertex), and where even those
  would be more than ``max_vertices`` it gives a guaranteed upper bound
  (:func:`largest_ssb_bound`) and says so (``exact`` false).

For two groups SSB = n1 n2 / N (m1 - m2)**2 and both extremes are in closed form.  p is
decreasing in F, so ``p_min = sf(F_max)`` and ``p_max = sf(F_min)``.  The test assumes
independent groups, normal data and equal variances; it tests H0: all population means are
equal.  The same SSB extremes serve Welch's ANOVA (weights n_i / s_i**2), whose F is a weighted
SSB of the means over a function of the SDs.

:func:`anova_pvalues` is the vectorised kernel (comparisons with 2 or more groups, absent groups
masked); :func:`reanalyse.rebuild.continuous.k_sample_tests` reads one comparison through it, and
the rebuilt-test and baseline screens read tables of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.distributions import f_sf

__all__ = ["AnovaBounds", "anova_pvalues", "ssb_range", "between_group_ss", "closest_means",
           "farthest_means", "largest_ssb_bound", "MAX_VERTICES"]

#: Most candidate vertices a comparison's largest SSB is searched over before the bound is used.
MAX_VERTICES = 1 << 14

#: Candidate vertices held in memory at once (rows are searched in chunks of about this many).
_CHUNK_VERTICES = 1 << 20


@dataclass(frozen=True)
class AnovaBounds:
    """F and p of the one-way ANOVA at the printed values and over the rounding box.

    Attributes
    ----------
    statistic, statistic_min, statistic_max : ndarray
        F at the printed values, and its smallest and largest value over the box.
    df1, df2 : ndarray
        k - 1 and N - k.
    p_computed, p_min, p_max : ndarray
        p at the printed values and its extremes over the box (p_computed is NaN where every
        SD is printed as 0 and the means are equal, where F is undefined).
    exact : ndarray of bool
        Whether ``statistic_max`` (hence ``p_min``) is exact; false where it is a guaranteed
        bound (too many groups with overlapping means to search; ``p_min`` is then a lower
        bound).
    """

    statistic: np.ndarray
    statistic_min: np.ndarray
    statistic_max: np.ndarray
    df1: np.ndarray
    df2: np.ndarray
    p_computed: np.ndarray
    p_min: np.ndarray
    p_max: np.ndarray
    exact: np.ndarray


def between_group_ss(means: np.ndarray, n: np.ndarray) -> np.ndarray:
    """SSB = sum n_i (m_i - m)**2 about the n-weighted grand mean m, over the last axis.

    ``means`` is groups or rows x groups; ``n`` the group sizes, broadcast against it.
    """
    n = np.asarray(n, dtype=float)
    grand = (means * n).sum(axis=-1, keepdims=True) / n.sum(axis=-1, keepdims=True)
    return (n * (means - grand) ** 2).sum(axis=-1)


def closest_means(low: np.ndarray, high: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The means in each box ``[low_i, high_i]`` (rows x groups) with the smallest SSB.

    SSB is the smallest n-weighted sum of squares about any centre, so its minimum over the box
    is min over c of sum n_i d(c, [low_i, high_i])**2, reached at m_i = clip(c, low_i, high_i).
    That function of c is a convex quadratic on each piece between consecutive interval ends
    (the intervals wholly above or below c are fixed there), minimised in closed form at the
    n-weighted mean of those intervals' near ends, clipped to the piece; the best piece gives c.
    """
    low, high = np.atleast_2d(low), np.atleast_2d(high)
    n = np.broadcast_to(np.asarray(n, dtype=float), low.shape)
    ends = np.sort(np.concatenate([low, high], axis=1), axis=1)
    left, right = ends[:, :-1], ends[:, 1:]
    middle = (left + right)[..., None] / 2                      # rows x pieces x 1
    above = low[:, None, :] > middle                            # intervals above the piece
    below = high[:, None, :] < middle
    weight = n[:, None, :] * (above | below)
    pull = (n[:, None, :] * np.where(above, low[:, None, :], 0.0)
            + n[:, None, :] * np.where(below, high[:, None, :], 0.0)).sum(axis=2)
    mass = weight.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.clip(np.where(mass > 0, pull / mass, left), left, right)
    distance = np.maximum(low[:, None, :] - centre[..., None], 0) + np.maximum(
        centre[..., None] - high[:, None, :], 0)
    best = (n[:, None, :] * distance**2).sum(axis=2).argmin(axis=1)
    common = centre[np.arange(len(centre)), best]
    return np.clip(common[:, None], low, high)


def _zones(low, high, n):
    """Which means each zone of the grand mean fixes high, fixes low, or leaves free.

    Moving mean i by delta changes SSB by 2 n_i delta (m_i - g) + n_i delta**2 (1 - n_i / N)
    (g the weighted grand mean), so at a maximising vertex no single mean can move to its
    other end with a gain: with w_i = high_i - low_i, mid_i the middle and p_i = n_i / N,
    mean i is at ``high_i`` only if g <= mid_i + w_i p_i / 2 and at ``low_i`` only if
    g >= mid_i - w_i p_i / 2.  Outside its *band* [mid_i - w_i p_i / 2, mid_i + w_i p_i / 2]
    each mean's end is therefore fixed by where g lies.  Cutting the line of g at every band
    end, each zone (an open gap between cuts, or a cut point) fixes the means whose band it
    misses and leaves free those whose band it meets; the maximiser is among the vertices that
    fix the others so and try the free ones both ways.  Bands are narrow (their widths sum to
    at most the widest interval), so there are O(k) zones with few free means each.

    Returns ``must_high, free`` (rows x zones x groups, zones = 4k + 1).
    """
    middle, width = (low + high) / 2, high - low
    share = n / n.sum(axis=1, keepdims=True)
    band_low, band_high = middle - width * share / 2, middle + width * share / 2
    cuts = np.sort(np.concatenate([band_low, band_high], axis=1), axis=1)   # equal cuts only
    rows = len(low)                                                          # add candidates
    infinite = np.full((rows, 1), np.inf)
    gap_low = np.concatenate([-infinite, cuts], axis=1)[:, :, None]
    gap_high = np.concatenate([cuts, infinite], axis=1)[:, :, None]
    point = cuts[:, :, None]
    band_low, band_high = band_low[:, None, :], band_high[:, None, :]
    must_high = np.concatenate([band_low >= gap_high, band_low > point], axis=1)
    must_low = np.concatenate([band_high <= gap_low, band_high < point], axis=1)
    free = ~(must_high | must_low) & (width > 0)[:, None, :]
    return must_high, free


def _search_vertices(low, high, n, must_high, free):
    """Every candidate vertex of the rows given: ``row_of, vertices`` (rows sorted)."""
    rows, zones, groups = free.shape
    counts = free.sum(axis=2).ravel()
    sizes = np.left_shift(1, counts)
    zone_of = np.repeat(np.arange(rows * zones), sizes)
    choice = np.arange(len(zone_of)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    free_flat = free.reshape(rows * zones, groups)[zone_of]
    rank = np.cumsum(free_flat, axis=1) - 1
    chosen = ((choice[:, None] >> np.maximum(rank, 0)) & 1).astype(bool)
    upper = must_high.reshape(rows * zones, groups)[zone_of] | (free_flat & chosen)
    row_of = zone_of // zones
    return row_of, np.where(upper, high[row_of], low[row_of])


def _largest_ssb(low, high, n, max_vertices):
    """Largest SSB over each row's box, the maximising means, and whether it is exact."""
    rows, groups = low.shape
    if 2**groups <= 4 * groups + 1:
        # few groups: every vertex costs no more than the zones' candidates
        upper = ((np.arange(2**groups)[:, None] >> np.arange(groups)) & 1).astype(bool)
        vertices = np.where(upper, high[:, None, :], low[:, None, :])
        ssb = between_group_ss(vertices, n[:, None, :])
        best = np.where(np.isnan(ssb), -np.inf, ssb).argmax(axis=1)
        return ssb[np.arange(rows), best], np.where(upper[best], high, low), \
            np.ones(rows, dtype=bool)
    largest = np.full(rows, np.nan)
    means = np.full((rows, groups), np.nan)
    if rows == 0:
        return largest, means, np.ones(0, dtype=bool)
    must_high, free = _zones(low, high, n)
    totals = np.exp2(free.sum(axis=2)).sum(axis=1)
    exact = totals <= max_vertices
    searched = np.flatnonzero(exact)
    # rows in chunks of about _CHUNK_VERTICES candidates, so that memory stays bounded
    chunk_of = np.cumsum(totals[searched]) // _CHUNK_VERTICES
    for chunk in np.unique(chunk_of):
        at = searched[chunk_of == chunk]
        row_of, vertices = _search_vertices(low[at], high[at], n[at], must_high[at], free[at])
        ssb = between_group_ss(vertices, n[at][row_of])
        ssb = np.where(np.isnan(ssb), -np.inf, ssb)
        starts = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]])
        best = np.maximum.reduceat(ssb, starts)
        winner = np.flatnonzero(ssb == np.repeat(best, np.diff(np.r_[starts, len(ssb)])))
        first = winner[np.r_[True, row_of[winner][1:] != row_of[winner][:-1]]]
        largest[at] = np.where(np.isinf(best), np.nan, best)
        means[at] = vertices[first]
    bounded = np.flatnonzero(~exact)
    if len(bounded):
        largest[bounded] = largest_ssb_bound(low[bounded], high[bounded], n[bounded])
    return largest, means, exact


def farthest_means(low, high, n, max_vertices: int = MAX_VERTICES) -> np.ndarray | None:
    """The means in one box ``[low_i, high_i]`` with the largest SSB (weights ``n``), or None
    when the search would take more than ``max_vertices`` candidate vertices.

    SSB is convex, so its maximum over the box is at a vertex; the candidates are those of
    O(k) zones of the grand mean (:func:`_zones`), not all 2**k.
    """
    low, high = np.atleast_2d(np.asarray(low, dtype=float)), np.atleast_2d(
        np.asarray(high, dtype=float))
    n = np.broadcast_to(np.asarray(n, dtype=float), low.shape)
    _, means, exact = _largest_ssb(low, high, n, max_vertices)
    return means[0] if exact[0] else None


def largest_ssb_bound(low: np.ndarray, high: np.ndarray, n: np.ndarray):
    """An upper bound on SSB over the box: min over c of sum n_i (farthest end from c)**2.

    SSB(m) = min over c of sum n_i (m_i - c)**2 <= that sum at any fixed c, and each term is
    at most the squared distance from c to the interval's farther end; the bound is the least
    such sum over c.  Between consecutive middles of the intervals each farther end is fixed,
    the sum is a quadratic in c minimised at the n-weighted mean of those ends (clipped).
    A float for one box (1-D arrays), an array for rows x groups.
    """
    one = np.ndim(low) == 1
    low, high = np.atleast_2d(np.asarray(low, dtype=float)), np.atleast_2d(
        np.asarray(high, dtype=float))
    n = np.broadcast_to(np.asarray(n, dtype=float), low.shape)[:, None, :]
    middle = (low + high) / 2
    cuts = np.sort(middle, axis=1)
    infinite = np.full((len(low), 1), np.inf)
    left = np.concatenate([-infinite, cuts], axis=1)
    right = np.concatenate([cuts, infinite], axis=1)
    inside = np.clip((left + right) / 2, cuts[:, :1] - 1, cuts[:, -1:] + 1)[:, :, None]
    far = np.where(middle[:, None, :] <= inside, low[:, None, :], high[:, None, :])
    centre = np.clip((n * far).sum(axis=2) / n.sum(axis=2), left, right)[:, :, None]
    distance = np.maximum(np.abs(centre - low[:, None, :]), np.abs(centre - high[:, None, :]))
    bound = (n * distance**2).sum(axis=2).min(axis=1)
    return float(bound[0]) if one else bound


def ssb_range(low, high, n, max_vertices: int = MAX_VERTICES):
    """Smallest and largest SSB over each row's box of means, and whether the largest is exact.

    Parameters
    ----------
    low, high : 2-D float arrays
        Rows x groups: each mean's interval.
    n : 2-D float array
        The weights (group sizes, or n_i / s_i**2 for Welch's ANOVA), broadcast to the rows.
    max_vertices : int
        Most candidate vertices searched per row; beyond, the largest SSB is
        :func:`largest_ssb_bound`.

    Returns
    -------
    smallest, largest : float arrays
    exact : bool array
    """
    low, high = np.atleast_2d(low), np.atleast_2d(high)
    n = np.broadcast_to(np.asarray(n, dtype=float), low.shape)
    if low.shape[1] == 2:
        # SSB = n1 n2 / N (m1 - m2)**2: the smallest and largest difference
        factor = n[:, 0] * n[:, 1] / n.sum(axis=1)
        gap = np.maximum(np.maximum(low[:, 0] - high[:, 1], low[:, 1] - high[:, 0]), 0.0)
        spread = np.maximum(high[:, 0] - low[:, 1], high[:, 1] - low[:, 0])
        return factor * gap**2, factor * spread**2, np.ones(len(low), dtype=bool)
    smallest = between_group_ss(closest_means(low, high, n), n)
    largest, _, exact = _largest_ssb(low, high, n, max_vertices)
    return smallest, largest, exact


def _packed(array, rows, order):
    if order is None:
        return array[rows]
    return np.take_along_axis(array[rows], order, axis=1)


def anova_pvalues(mean, sd, n, present=None, *, max_vertices: int = MAX_VERTICES
                  ) -> AnovaBounds:
    """One-way ANOVA (Student's t for two groups) over the rounding box, for many comparisons.

    Tests H0: the groups' population means are equal (normal data, equal variances).

    Parameters
    ----------
    mean, sd : tuple of 2-D float arrays
        ``(low, printed, high)``: comparisons x groups; SD lows at least 0.
    n : 2-D int array
        Group sizes (0 where ``present`` is false).
    present : 2-D bool array, optional
        Which groups each comparison has (at least 2); every group by default.
    max_vertices : int
        See :func:`ssb_range`.

    Returns
    -------
    AnovaBounds
    """
    n = np.asarray(n)
    present = np.ones(n.shape, dtype=bool) if present is None else present
    rows = len(n)
    fields = {name: np.full(rows, np.nan) for name in AnovaBounds.__dataclass_fields__}
    fields["exact"] = np.ones(rows, dtype=bool)
    k_all = present.sum(axis=1)
    for k in np.unique(k_all[k_all >= 2]):
        at = slice(None) if (k_all == k).all() else np.flatnonzero(k_all == k)
        # the k present groups of each comparison, packed to the left
        order = None if k == present.shape[1] else np.argsort(~present[at], axis=1,
                                                               kind="stable")[:, :k]
        weight = _packed(n, at, order).astype(float)
        total = weight.sum(axis=1)
        mean_low, mean_at, mean_high = (_packed(m, at, order) for m in mean)
        sd_low, sd_at, sd_high = (_packed(s, at, order) for s in sd)
        ssb_at = between_group_ss(mean_at, weight)
        ssb_min, ssb_max, exact = ssb_range(mean_low, mean_high, weight, max_vertices)
        within = weight - 1
        ssw_low = (within * sd_low**2).sum(axis=1)
        ssw_at = (within * sd_at**2).sum(axis=1)
        ssw_high = (within * sd_high**2).sum(axis=1)
        df1, df2 = float(k - 1), total - k
        with np.errstate(divide="ignore", invalid="ignore"):
            f_at = (ssb_at / df1) / (ssw_at / df2)
            f_max = (ssb_max / df1) / (ssw_low / df2)
            f_min = (ssb_min / df1) / (ssw_high / df2)
        f_max = np.where(np.isnan(f_max), np.inf, f_max)  # every SD may be 0
        f_min = np.nan_to_num(f_min, nan=0.0)              # means may coincide
        fields["statistic"][at] = f_at
        fields["statistic_min"][at] = f_min
        fields["statistic_max"][at] = f_max
        fields["df1"][at] = df1
        fields["df2"][at] = df2
        fields["p_computed"][at] = f_sf(f_at, df1, df2)
        fields["p_min"][at] = f_sf(f_max, df1, df2)
        fields["p_max"][at] = f_sf(f_min, df1, df2)
        fields["exact"][at] = exact
    return AnovaBounds(**fields)
