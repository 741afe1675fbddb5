"""Tail probabilities and quantiles used in hot paths, as scipy.special ufuncs.

``scipy.stats.t.sf`` and friends check and broadcast their arguments on every call, which costs
tens of microseconds; the checks are rebuilt many thousands of times per batch.  These are the
same functions scipy.stats evaluates underneath (Cephes/Boost via ``scipy.special``), called
directly.  ``tests/test_distributions.py`` compares them with scipy.stats.
"""

from __future__ import annotations

from scipy import special

__all__ = ["t_sf", "t_cdf", "t_ppf", "f_sf", "chi2_sf", "norm_sf", "norm_cdf", "norm_ppf"]


def t_sf(x, df):
    """P(T > x) for Student's t with ``df`` degrees of freedom."""
    return special.stdtr(df, -x)


def t_cdf(x, df):
    """P(T <= x) for Student's t with ``df`` degrees of freedom."""
    return special.stdtr(df, x)


def t_ppf(q, df):
    """The ``q`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(df, q)


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
