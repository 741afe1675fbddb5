"""Combining p-values: Stouffer's method, for one set or for many groups at once.

Stouffer's Z = sum w_i z_i / sqrt(sum w_i**2) with z_i = Phi^-1(1 - p_i) combines independent
one-sided p-values; the combined p is 1 - Phi(Z).  Under H0 (every p_i uniform on (0, 1)) Z is
standard normal.  A combined p near 0 says the p_i lean small; near 1, that they lean large.
Carlisle (2017) combines the p-values of a trial's baseline variables this way: a trial p near
0 says the groups differ more than randomisation allows, near 1 that they are more alike.  The
result is the same as ``scipy.stats.combine_pvalues(p, method="stouffer", weights=w)``.

The combined p is increasing in every p_i, so the p-interval of a set of p-intervals is
``[stouffer(p_min).pvalue, stouffer(p_max).pvalue]``.

One rule for the ends of [0, 1], the same in every caller: p-values are not clipped.  A p_i of
exactly 0 has z_i = +inf and makes the combined p 0; a p_i of exactly 1 has z_i = -inf and makes
it 1 (the limits of the combination, so the interval's ends stay exact bounds); a set holding
both has no combined p (NaN).  For the central combination of p-intervals,
:func:`central_pvalue` enters a p of exactly 0 or 1 at its interval's midpoint instead.

Carlisle JB. Data fabrication and other reasons for non-random sampling in 5087 randomised,
controlled trials in anaesthetic and general medical journals. Anaesthesia 2017;72:944-952.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["StoufferResult", "stouffer", "stouffer_by_group", "central_pvalue"]


@dataclass(frozen=True)
class StoufferResult:
    """Stouffer's combination of independent p-values.

    Attributes
    ----------
    statistic : float
        Z = sum w_i Phi^-1(1 - p_i) / sqrt(sum w_i**2) (+inf when some p_i is 0, -inf when
        some is 1, NaN when both or when no p-value is given).
    pvalue : float
        1 - Phi(Z).
    count : int
        Number of p-values combined (missing ones are left out).
    """

    statistic: float
    pvalue: float
    count: int

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"statistic": self.statistic, "pvalue": self.pvalue, "count": self.count}


def _z_scores(pvalues: np.ndarray) -> np.ndarray:
    # Phi^-1(1 - p) is computed as isf(p), exact for p near 0 where 1 - p loses digits
    return stats.norm.isf(pvalues)


def _check_pvalues(pvalues: np.ndarray) -> None:
    outside = (pvalues < 0) | (pvalues > 1)
    if np.any(outside):
        raise ValueError(f"p-values must lie in [0, 1]; got {pvalues[outside][:3].tolist()}")


def stouffer(pvalues, weights=None) -> StoufferResult:
    """Stouffer's combined p of independent one-sided p-values.

    Tests H0: every p_i is uniform on (0, 1), against p-values that lean small together; a
    combined p near 1 says they lean large together.

    Parameters
    ----------
    pvalues : array-like of float
        p-values in [0, 1]; NaN ones are left out.
    weights : array-like of float, optional
        One weight per p-value (e.g. sqrt(n)); equal weights by default.

    Returns
    -------
    StoufferResult

    Examples
    --------
    >>> round(stouffer([0.04, 0.1, 0.2]).pvalue, 6)
    0.012657
    """
    pvalues = np.asarray(pvalues, dtype=float).ravel()
    weights = np.ones_like(pvalues) if weights is None else np.asarray(weights, float).ravel()
    if weights.shape != pvalues.shape:
        raise ValueError(f"{len(weights)} weights for {len(pvalues)} p-values")
    kept = ~np.isnan(pvalues)
    _check_pvalues(pvalues[kept])
    if not kept.any():
        return StoufferResult(float("nan"), float("nan"), 0)
    row = stouffer_by_group(pvalues[kept], np.zeros(int(kept.sum()), dtype=np.int64),
                            weights[kept]).iloc[0]
    return StoufferResult(float(row["statistic"]), float(row["pvalue"]), int(row["count"]))


def stouffer_by_group(pvalues, groups, weights=None) -> pd.DataFrame:
    """Stouffer's combination within each group, vectorised over all groups.

    Parameters
    ----------
    pvalues : array-like of float
        p-values in [0, 1]; NaN ones are left out.
    groups : array-like
        Group label of each p-value.
    weights : array-like of float, optional
        One weight per p-value.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (in order of first appearance): ``statistic``, ``pvalue``, ``count``
        (NaN statistic and p for a group without any p-value).
    """
    pvalues = np.asarray(pvalues, dtype=float)
    weights = np.ones_like(pvalues) if weights is None else np.asarray(weights, dtype=float)
    kept = ~np.isnan(pvalues)
    _check_pvalues(pvalues[kept])
    codes, labels = pd.factorize(pd.Series(groups, copy=False), sort=False)
    codes, p, w = codes[kept], pvalues[kept], weights[kept]
    size = len(labels)
    with np.errstate(invalid="ignore"):
        weighted = w * _z_scores(p)
        # sums of +inf and -inf are NaN: a group with p = 0 and p = 1 has no combined p
        numerator = np.bincount(codes, weights=np.where(np.isinf(weighted), 0.0, weighted),
                                minlength=size)
        plus = np.bincount(codes, weights=weighted == np.inf, minlength=size) > 0
        minus = np.bincount(codes, weights=weighted == -np.inf, minlength=size) > 0
        numerator = np.where(plus, np.inf, numerator)
        numerator = np.where(minus, -np.inf, numerator)
        numerator = np.where(plus & minus, np.nan, numerator)
        count = np.bincount(codes, minlength=size)
        scale = np.sqrt(np.bincount(codes, weights=w * w, minlength=size))
        statistic = np.where(count > 0, numerator / scale, np.nan)
    return pd.DataFrame({"statistic": statistic, "pvalue": stats.norm.sf(statistic),
                         "count": count}, index=pd.Index(labels, name="group"))


def central_pvalue(p, p_min, p_max):
    """The p of each variable that enters a central combination: ``p``, or the midpoint of
    ``[p_min, p_max]`` where ``p`` is exactly 0 or 1.

    A p of 1 or 0 at the printed values (means printed equal, SDs printed as 0) is a tie that
    rounding made; left as it is, its infinite z would decide the combination on its own.  The
    midpoint is a mid-p over the rounding interval.  Arrays in, an array out (a float for
    scalars).
    """
    p, p_min, p_max = (np.asarray(x, dtype=float) for x in (p, p_min, p_max))
    central = np.where((p == 0) | (p == 1), (p_min + p_max) / 2, p)
    return float(central) if central.ndim == 0 else central
