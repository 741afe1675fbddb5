"""Tail probabilities and quantiles used in hot paths, as scipy.special ufuncs.

``scipy.stats.t.sf`` and friends check and broadcast their arguments on every call, which costs
tens of microseconds; the checks are rebuilt many thousands of times per batch.  These are the
same functions scipy.stats evaluates underneath (Cephes/Boost via ``scipy.special``), called
directly.  ``tests/kernels/test_distributions.py`` compares them with scipy.stats.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["t_sf", "t_cdf", "t_ppf", "t_isf", "nct_sf", "f_sf", "chi2_sf", "norm_sf", "norm_cdf",
           "norm_ppf"]


def t_sf(x, df):
    """P(T > x) for Student's t with ``df`` degrees of freedom."""
    return special.stdtr(df, -x)


def t_cdf(x, df):
    """P(T <= x) for Student's t with ``df`` degrees of freedom."""
    return special.stdtr(df, x)


def t_ppf(q, df):
    """The ``q`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(df, q)


def t_isf(q, df):
    """The value Student's t with ``df`` degrees of freedom exceeds with probability ``q``."""
    return -special.stdtrit(df, q)


def nct_sf(x, df, noncentrality):
    """P(T > x) for the noncentral t with ``df`` degrees of freedom and ``noncentrality``.

    Computed as P(-T < -x), -T being noncentral t at ``-noncentrality``, so that the upper tail
    is a lower-tail probability of ``special.nctdtr`` and suffers no cancellation.  Where
    ``nctdtr`` cannot evaluate the series (it returns NaN: a noncentrality of thousands) the
    limit of large noncentrality is used: T = (Z + d) / S with S = sqrt(V / df), V chi-square,
    and Z negligible beside d, so that P(T > x) = P(d / S > x), a chi-square probability of
    df (d / x)**2 (1 or 0 when x and d differ in sign).  With many df it is 0 or 1 to double
    precision, as ``scipy.stats.nct.sf`` returns there; with few df it is not (at df = 2 and
    d = 1.5 x it is 0.63), which the 0-or-1 rule got wrong.
    """
    p = special.nctdtr(df, -noncentrality, -x)
    unresolved = np.isnan(p)
    if not np.count_nonzero(unresolved):
        return p
    unresolved &= ~(np.isnan(x) | np.isnan(df) | np.isnan(noncentrality))
    x, df, d = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float),
                                   np.asarray(noncentrality, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        threshold = df * (d / x) ** 2
        limit = np.where(d > 0, np.where(x > 0, special.chdtr(df, threshold), 1.0),
                         np.where(x < 0, special.chdtrc(df, threshold), 0.0))
    return np.where(unresolved, limit, p)


def f_sf(x, df1, df2):
    """P(F > x) for the F distribution with (``df1``, ``df2``) degrees of freedom."""
    return special.fdtrc(df1, df2, x)


def chi2_sf(x, df):
    """P(X > x) for the chi-square distribution with ``df`` degrees of freedom."""
    return special.chdtrc(df, x)


def norm_sf(z):
    """P(Z > z) for the standard normal."""
    return special.ndtr(-z)


def norm_cdf(z):
    """P(Z <= z) for the standard normal."""
    return special.ndtr(z)


def norm_ppf(q):
    """The ``q`` quantile of the standard normal."""
    return special.ndtri(q)
