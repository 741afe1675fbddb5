"""p from a printed test statistic (t, F, chi2, z, r with its df), over the statistic's rounding.

"t(28) = 2.20": the p a t of 28 df gives is recomputed over the rounding interval of the
printed statistic (and of printed df with decimals, as Welch's), as statcheck defines
consistency (Nuijten et al. 2016, Behav Res Methods 48:1205-1226): a printed p is consistent
when some statistic that rounds to the printed one gives a p that fits it.  Two-sided p
throughout (t and z: both tails of |statistic|; F and chi2: the upper tail; r: the t-test of
zero correlation), halved for t, z and r where a one-sided test is declared.  For fixed df, p
is decreasing in |statistic|, so its extremes are at the ends of the |statistic| interval; over
df printed with decimals, each df is tried at its printed value and both ends of its interval.

Arrays in, arrays out: the claim check (:func:`reanalyse.rebuild.reported.statistic_p`) reads
one statistic through it, the statistic screen a table of them.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.distributions import chi2_sf, f_sf, norm_sf, t_sf

__all__ = ["FAMILIES", "ONE_SIDED_FAMILIES", "statistic_two_sided_p", "magnitude_interval",
           "df_interval", "statistic_p_interval"]

#: Degrees of freedom each family takes.
FAMILIES = {"t": 1, "F": 2, "chi2": 1, "r": 1, "z": 0}
#: Families whose two-sided p is halved for a declared one-sided test.
ONE_SIDED_FAMILIES = ("t", "z", "r")


def statistic_two_sided_p(family: str, magnitude: np.ndarray, df1: np.ndarray,
                          df2: np.ndarray) -> np.ndarray:
    """Two-sided p of statistics of one family, vectorised over arrays.

    t and z: both tails of |statistic|; F and chi2: the upper tail (F uses ``df1, df2``, chi2
    ``df1``); r: the t-test of zero correlation, t = r sqrt(df / (1 - r^2)) on ``df1`` = n - 2
    df.  ``df2`` is ignored except for F, ``df1`` for z.
    """
    if family == "t":
        return 2 * t_sf(magnitude, df1)
    if family == "F":
        return f_sf(magnitude, df1, df2)
    if family == "chi2":
        return chi2_sf(magnitude, df1)
    if family == "z":
        return 2 * norm_sf(magnitude)
    # r with df = n - 2: t = r sqrt(df / (1 - r^2))
    with np.errstate(divide="ignore"):
        t = magnitude * np.sqrt(df1 / (1 - magnitude**2))
    return 2 * t_sf(t, df1)


def magnitude_interval(family, value, low, high, relation=None):
    """``(smallest, printed, largest)`` |statistic| of each printed statistic.

    ``low, high`` are the ends of the printed number's rounding interval; an interval that
    straddles 0 reaches |statistic| = 0.  A statistic printed as ``< v`` means below v's upper
    end, ``> v`` above its lower end (``relation``, optional).  An r is bounded by 1.
    """
    low_size, high_size = np.abs(low), np.abs(high)
    smallest = np.where((low <= 0) & (high >= 0), 0.0, np.minimum(low_size, high_size))
    largest = np.maximum(low_size, high_size)
    if relation is not None:
        smallest = np.where(relation == "<", 0.0, smallest)
        largest = np.where(relation == ">", np.inf, largest)
    printed = np.abs(value)
    is_r = family == "r"  # a bool for one family, an array for a column of families
    if not (is_r.any() if isinstance(is_r, np.ndarray) else is_r):
        return smallest, printed, largest
    return tuple(np.where(is_r, np.minimum(x, 1.0), x) for x in (smallest, printed, largest))


def df_interval(value, low, high, decimals):
    """``(low, printed, high)`` of printed df: the rounding interval where printed with
    decimals (Welch's 27.3), the printed value itself where printed whole (28)."""
    whole = np.asarray(decimals) <= 0
    return np.where(whole, value, low), np.asarray(value, dtype=float), np.where(whole, value,
                                                                                 high)


def statistic_p_interval(family, magnitude_low, magnitude, magnitude_high, df1, df2,
                         one_sided):
    """Two-sided (or declared one-sided) p over an interval of |statistic|.

    Parameters
    ----------
    family : object array
        ``"t"``, ``"F"``, ``"chi2"``, ``"r"`` or ``"z"`` per row.
    magnitude_low, magnitude, magnitude_high : float arrays
        Smallest, printed and largest |statistic| (:func:`magnitude_interval`).
    df1, df2 : tuple of float arrays
        ``(low, printed, high)`` for each df (:func:`df_interval`; 1 where a family takes none).
    one_sided : bool array
        Halve the p of t, z and r.

    Returns
    -------
    p_min, p_computed, p_max : float arrays
    """
    family = np.asarray(family, dtype=object)
    rows = len(family)
    p_min, p_at, p_max = np.empty(rows), np.empty(rows), np.empty(rows)
    for name in dict.fromkeys(family.tolist()):
        at = slice(None) if rows == 1 else family == name
        d1 = [d[at] for d in df1]
        d2 = [d[at] for d in df2]
        # the largest |statistic| gives the smallest p, the smallest the largest
        smallest, p_at[at], largest = statistic_two_sided_p(
            name, np.array([magnitude_high[at], magnitude[at], magnitude_low[at]]), d1[1], d2[1])
        ranged = (d1[0] != d1[2]) | (d2[0] != d2[2])
        if ranged.any():
            for a in d1:
                for b in d2:
                    smallest[ranged] = np.minimum(smallest[ranged], statistic_two_sided_p(
                        name, magnitude_high[at][ranged], a[ranged], b[ranged]))
                    largest[ranged] = np.maximum(largest[ranged], statistic_two_sided_p(
                        name, magnitude_low[at][ranged], a[ranged], b[ranged]))
        p_min[at], p_max[at] = smallest, largest
    one_sided = np.asarray(one_sided, dtype=bool)
    if not one_sided.any():
        return p_min, p_at, p_max
    halve = one_sided & np.logical_or.reduce([family == name for name in ONE_SIDED_FAMILIES])
    if halve.any():
        for p in (p_min, p_at, p_max):
            p[halve] /= 2
    return p_min, p_at, p_max
