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
    ``nctdtr`` cannot evaluate the series (it returns NaN) the probability is 0 or 1 to double
    precision: 1 when ``x`` lies below the noncentrality, else 0, which is what
    ``scipy.stats.nct.sf`` returns there.
    """
    p = special.nctdtr(df, -noncentrality, -x)
    unresolved = np.isnan(p)
    if not np.count_nonzero(unresolved):
        return p
    unresolved &= ~(np.isnan(x) | np.isnan(df) | np.isnan(noncentrality))
    return np.where(unresolved, np.where(np.less(x, noncentrality), 1.0, 0.0), p)


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
