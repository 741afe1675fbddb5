"""Inverse-variance pooling of per-study effects: common effect and random effects.

Model: y_i ~ N(mu, v_i + tau^2), studies independent, the within-study variances v_i known
(as metafor's ``rma(yi, vi)``); the common-effect model ("FE") fixes tau^2 = 0.  The pooled
mu_hat = sum w y / sum w with w = 1 / (v + tau^2), its variance 1 / sum w, and the test of
H0: mu = 0 is z = mu_hat / se against the standard normal.

The Hartung-Knapp-Sidik-Jonkman adjustment (``hksj=True``, metafor's ``test="knha"``)
replaces the variance by s^2 / sum w with s^2 = sum w (y - mu_hat)^2 / (k - 1) (not
truncated at 1) and tests against t with k - 1 degrees of freedom.

Heterogeneity: Cochran's Q = sum (y - mu_FE)^2 / v with k - 1 df, and metafor's I^2 and
H^2 (see :class:`~reanalyse.kernels.meta.result.PooledEstimate`); tau^2 comes with its
Q-profile interval (:mod:`~reanalyse.kernels.meta.tau2`).

Prediction interval (random effects only; NaN for FE, as metafor's ``predict``):
mu_hat -/+ c sqrt(se^2 + tau^2), with ``prediction="metafor"`` c the normal quantile (t with
k - 1 df under HKSJ) as ``predict(res)``; with ``prediction="higgins"`` c the t quantile with
k - 2 df (at least 1) as ``predict(res, pi.type="riley")`` and Higgins, Thompson &
Spiegelhalter (2009), the interval Review Manager prints.

Beyond statsmodels: ``statsmodels.stats.meta_analysis.combine_effects`` gives the FE and
DL/PM pools and an HKSJ scale, but not REML, the Q-profile interval, the prediction
interval, metafor's I^2 for random effects or the handling of left-out rows, so only its
tau^2 estimators are used (:mod:`~reanalyse.kernels.meta.tau2`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from reanalyse.kernels.meta import tau2 as tau2_estimators
from reanalyse.kernels.meta.result import PooledEstimate

__all__ = ["METHODS", "PREDICTIONS", "pool", "inference", "heterogeneity"]

METHODS = ("FE", "DL", "REML", "PM")
PREDICTIONS = ("metafor", "higgins")
_ESTIMATORS = {"DL": tau2_estimators.dersimonian_laird, "REML": tau2_estimators.reml,
               "PM": tau2_estimators.paule_mandel}


def inference(estimate: float, se: float, level: float, df: int | None):
    """(statistic, p, ci_low, ci_high) of a normal (df None) or t (df) test of 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.float64(estimate) / se)
    if df is None:
        pvalue = 2 * stats.norm.sf(abs(statistic))
        crit = stats.norm.isf((1 - level) / 2)
    else:
        pvalue = 2 * stats.t.sf(abs(statistic), df) if df > 0 else math.nan
        crit = stats.t.isf((1 - level) / 2, df) if df > 0 else math.nan
    return float(statistic), float(pvalue), estimate - crit * se, estimate + crit * se


def heterogeneity(yi: np.ndarray, vi: np.ndarray, mu: float | None = None):
    """Cochran's Q about ``mu`` (default the inverse-variance mean), its df and p."""
    k = yi.size
    if k < 2:
        return 0.0, 0, 1.0
    w = 1.0 / vi
    if mu is None:
        mu = np.dot(w, yi) / w.sum()
    q = max(0.0, float(np.dot(w, (yi - mu) ** 2)))
    return q, k - 1, float(stats.chi2.sf(q, k - 1))


def _included(yi, vi):
    yi = np.atleast_1d(np.asarray(yi, dtype=float))
    vi = np.atleast_1d(np.asarray(vi, dtype=float))
    if yi.shape != vi.shape or yi.ndim != 1:
        raise ValueError(f"yi and vi must be 1-d of one length; got {yi.shape} and {vi.shape}")
    if np.any(vi[np.isfinite(vi)] <= 0):
        raise ValueError("every sampling variance vi must be positive")
    included = np.isfinite(yi) & np.isfinite(vi)
    if not included.any():
        raise ValueError("no study has a finite yi and vi to pool")
    return yi, vi, included


def _spread(values: np.ndarray, included: np.ndarray) -> np.ndarray:
    out = np.full(included.shape, np.nan)
    out[included] = values
    return out


def pool(yi, vi, *, method: str = "REML", hksj: bool = False, level: float = 0.95,
         measure: str | None = None, prediction: str = "metafor") -> PooledEstimate:
    """Pool per-study effects by inverse variance (metafor's ``rma(yi, vi, method=...)``).

    Parameters
    ----------
    yi, vi : array-like of float
        Per-study effects and their sampling variances (e.g. from
        :mod:`reanalyse.kernels.effect_sizes`); rows with a NaN or infinite value are left
        out (metafor's ``na.omit``) and flagged in ``included``.
    method : {"REML", "DL", "PM", "FE"}
        The estimator of tau^2, or the common-effect model.
    hksj : bool
        Hartung-Knapp-Sidik-Jonkman adjustment (t test with k - 1 df).
    level : float
        Confidence level of the CI, the tau^2 interval and the prediction interval.
    measure : str, optional
        The measure of ``yi``, recorded in the result.
    prediction : {"metafor", "higgins"}
        Which prediction interval (module docstring).

    Returns
    -------
    PooledEstimate
    """
    method = str(method).upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if prediction not in PREDICTIONS:
        raise ValueError(f"prediction must be one of {', '.join(PREDICTIONS)}; got {prediction!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1; got {level!r}")
    yi_all, vi_all, included = _included(yi, vi)
    y, v = yi_all[included], vi_all[included]
    k = y.size
    tau2 = 0.0 if method == "FE" else _ESTIMATORS[method](y, v)
    w = 1.0 / (v + tau2)
    total = w.sum()
    mu = float(np.dot(w, y) / total)
    se = math.sqrt(1.0 / total)
    df = None
    if hksj:
        df = k - 1
        residual = float(np.dot(w, (y - mu) ** 2))
        se = math.sqrt(residual / df / total) if df > 0 else math.nan
    statistic, pvalue, ci_low, ci_high = inference(mu, se, level, df)
    q, q_df, q_pvalue = heterogeneity(y, v)
    if method == "FE":
        i2 = max(0.0, 100 * (q - q_df) / q) if q > 0 else 0.0
        h2 = q / q_df if q_df > 0 else 1.0
        tau2_low = tau2_high = pi_low = pi_high = math.nan
    else:
        w_fe = 1.0 / v
        typical = q_df / (w_fe.sum() - np.dot(w_fe, w_fe) / w_fe.sum()) if k > 1 else 0.0
        i2 = 100 * tau2 / (typical + tau2) if tau2 > 0 else 0.0
        h2 = tau2 / typical + 1 if tau2 > 0 else 1.0
        tau2_low, tau2_high = tau2_estimators.q_profile_interval(y, v, level, tau2)
        if prediction == "higgins":
            crit = stats.t.isf((1 - level) / 2, max(k - 2, 1))
        elif hksj:
            crit = stats.t.isf((1 - level) / 2, df) if df > 0 else math.nan
        else:
            crit = stats.norm.isf((1 - level) / 2)
        half = crit * math.sqrt(se ** 2 + tau2)
        pi_low, pi_high = mu - half, mu + half
    return PooledEstimate(
        method=method, measure=measure, hksj=bool(hksj), level=level, k=int(k), estimate=mu,
        se=se, statistic=statistic, statistic_name="t" if hksj else "z", df=df, pvalue=pvalue,
        ci_low=ci_low, ci_high=ci_high, tau2=float(tau2), tau2_ci_low=tau2_low,
        tau2_ci_high=tau2_high, q=q, q_df=q_df, q_pvalue=q_pvalue, i2=float(i2),
        h2=float(h2), pi_low=pi_low, pi_high=pi_high,
        yi=_spread(y, included), vi=_spread(v, included),
        weights=_spread(100 * w / total, included), included=included)
