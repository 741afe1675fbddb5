"""The result of a meta-analysis: one frozen :class:`PooledEstimate`."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from reanalyse.errors import OptionError, ReanalyseError

__all__ = ["PooledEstimate", "PoolingError", "RATIO_MEASURES"]

#: Measures pooled on the log scale.
RATIO_MEASURES = ("OR", "RR")


class PoolingError(ReanalyseError, ValueError):
    """Studies that cannot be pooled as given (no usable study, a non-positive variance,
    arrays of different lengths, a rounding box too large to search)."""


def _frozen(values, dtype=float) -> np.ndarray:
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class PooledEstimate:
    """A pooled effect with its test, interval, heterogeneity and per-study weights.

    Every number is on the scale of the studies' ``yi`` (log OR, log RR; RD, MD, SMD as
    they are); :meth:`exp` gives the ratio scale.

    Attributes
    ----------
    method : str
        ``"FE"`` (common effect, inverse variance), ``"DL"``, ``"REML"``, ``"PM"`` (random
        effects, by the estimator of tau^2), ``"MH"`` (Mantel-Haenszel), ``"PETO"``.
    measure : str or None
        The effect measure (MD, SMD, OR, RR, RD), when known.
    hksj : bool
        Whether the Hartung-Knapp-Sidik-Jonkman adjustment was applied (a t test).
    level : float
        Confidence level of the intervals.
    k : int
        Number of studies pooled (studies left out are not counted).
    estimate, se : float
        Pooled effect and its standard error (the HKSJ-scaled one under ``hksj``).
    statistic, statistic_name, df : float, str, int or None
        estimate / se, named ``"z"`` (standard normal under H0: effect 0) or ``"t"`` (under
        ``hksj``: t with ``df`` = k - 1 degrees of freedom).
    pvalue : float
        Two-sided p of H0: pooled effect 0.
    ci_low, ci_high : float
        Confidence interval of the pooled effect.
    tau2, tau2_ci_low, tau2_ci_high : float
        Between-study variance and its Q-profile interval (0 and NaN for common-effect
        methods, which assume tau^2 = 0).
    q, q_df, q_pvalue : float, int, float
        Cochran's Q (inverse-variance weights 1/vi about the common-effect estimate, or
        about the MH / Peto estimate for those methods), its degrees of freedom k - 1 and
        its chi-square p (H0: one common effect).
    i2, h2 : float
        I^2 in percent and H^2 (metafor's definitions: from Q for common-effect methods,
        100 tau^2 / (tau^2 + s^2) and (tau^2 + s^2) / s^2 with the typical within-study
        variance s^2 = (k - 1) / (sum w - sum w^2 / sum w) for random effects).
    pi_low, pi_high : float
        Prediction interval for the effect in a new study (see :func:`pool`).
    yi, vi : ndarray
        Per-study effects and variances used, one per input row (NaN where left out).
    weights : ndarray
        Per-study weights in percent of the total, one per input row (NaN where left out).
    included : ndarray of bool
        Rows that entered the pool.
    """

    method: str
    measure: str | None
    hksj: bool
    level: float
    k: int
    estimate: float
    se: float
    statistic: float
    statistic_name: str
    df: int | None
    pvalue: float
    ci_low: float
    ci_high: float
    tau2: float
    tau2_ci_low: float
    tau2_ci_high: float
    q: float
    q_df: int
    q_pvalue: float
    i2: float
    h2: float
    pi_low: float
    pi_high: float
    yi: np.ndarray
    vi: np.ndarray
    weights: np.ndarray
    included: np.ndarray

    def __post_init__(self):
        for name in ("yi", "vi", "weights"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "included", _frozen(self.included, bool))

    @property
    def ratio(self) -> bool:
        """Whether the estimate is a log ratio (OR, RR)."""
        return self.measure in RATIO_MEASURES

    def exp(self) -> dict:
        """Estimate, CI and prediction interval on the ratio scale (OR, RR only)."""
        if not self.ratio:
            raise OptionError(f"{self.measure} is not pooled on the log scale")
        return {name: math.exp(getattr(self, name))
                for name in ("estimate", "ci_low", "ci_high", "pi_low", "pi_high")}

    def to_dict(self) -> dict:
        """JSON-ready form (NaN as None, arrays as lists)."""
        out = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value = [None if isinstance(x, float) and math.isnan(x) else x
                         for x in value.tolist()]
            elif isinstance(value, float) and math.isnan(value):
                value = None
            out[item.name] = value
        return out
