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

:func:`pool_rows` computes all of this but the tau^2 interval for many pools at once (one
per row of 2-d ``yi``, ``vi``); :func:`pool` is its one-pool form.  Beyond statsmodels:
``statsmodels.stats.meta_analysis.combine_effects`` gives the FE and DL/PM pools and an
HKSJ scale for one pool, but not REML, the Q-profile interval, the prediction interval,
metafor's I^2 for random effects, left-out rows or batches of pools.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from reanalyse.errors import OptionError
from reanalyse.kernels.meta import tau2 as tau2_estimators
from reanalyse.kernels.meta.result import PooledEstimate, PoolingError

__all__ = ["METHODS", "PREDICTIONS", "pool", "pool_rows", "inference"]

METHODS = ("FE", "DL", "REML", "PM")
PREDICTIONS = ("metafor", "higgins")
_ESTIMATORS = {"DL": tau2_estimators.dersimonian_laird, "REML": tau2_estimators.reml,
               "PM": tau2_estimators.paule_mandel}


def inference(estimate, se, level: float, df=None):
    """(statistic, p, ci_low, ci_high) of a normal (df None) or t (df) test of 0, elementwise."""
    estimate, se = np.asarray(estimate, dtype=float), np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = estimate / se
        if df is None:
            pvalue = 2 * stats.norm.sf(np.abs(statistic))
            crit = stats.norm.isf((1 - level) / 2)
        else:
            df = np.asarray(df, dtype=float)
            good = df > 0
            pvalue = np.where(good, 2 * stats.t.sf(np.abs(statistic), np.where(good, df, 1)),
                              np.nan)
            crit = np.where(good, stats.t.isf((1 - level) / 2, np.where(good, df, 1)), np.nan)
    return statistic, pvalue, estimate - crit * se, estimate + crit * se


def _check_options(method: str, prediction: str, level: float) -> str:
    method = str(method).upper()
    if method not in METHODS:
        raise OptionError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if prediction not in PREDICTIONS:
        raise OptionError(f"prediction must be one of {', '.join(PREDICTIONS)}; got {prediction!r}")
    if not 0 < level < 1:
        raise OptionError(f"level must lie strictly between 0 and 1; got {level!r}")
    return method


def pool_rows(yi, vi, *, method: str = "REML", hksj: bool = False, level: float = 0.95,
              prediction: str = "metafor") -> dict:
    """Inverse-variance pools of many sets of studies at once, one per row.

    Parameters
    ----------
    yi, vi : array-like of float, shape (m, k)
        Each row's per-study effects and variances; entries with a NaN or infinite value
        are left out of that row's pool.  Every row needs at least one study and every
        finite ``vi`` must be positive (not checked here; :func:`pool` checks).
    method, hksj, level, prediction
        As :func:`pool`.

    Returns
    -------
    dict of str to ndarray
        Shape (m,) arrays ``k, estimate, se, statistic, df, pvalue, ci_low, ci_high, tau2,
        q, q_df, q_pvalue, i2, h2, pi_low, pi_high`` (``df`` NaN without HKSJ) and the
        (m, k) array ``weights`` in percent (NaN where left out).
    """
    method = _check_options(method, prediction, level)
    yi, vi = np.atleast_2d(np.asarray(yi, dtype=float)), np.atleast_2d(np.asarray(vi, dtype=float))
    mask = np.isfinite(yi) & np.isfinite(vi)
    k = mask.sum(axis=-1)
    tau2 = np.zeros(k.shape) if method == "FE" else _ESTIMATORS[method](yi, vi, mask)
    w = tau2_estimators.inverse_variance_weights(tau2, vi, mask)
    total = w.sum(axis=-1)
    y, mu = tau2_estimators.weighted_mean(w, yi, mask)
    se = np.sqrt(1.0 / total)
    q_df = np.maximum(k - 1, 0)
    df = None
    if hksj:
        df = q_df
        with np.errstate(divide="ignore", invalid="ignore"):
            se = np.sqrt(np.sum(w * (y - mu[:, None]) ** 2, axis=-1) / df / total)
    statistic, pvalue, ci_low, ci_high = inference(mu, se, level, df)
    q = np.maximum(tau2_estimators.generalised_q(np.zeros(k.shape), yi, vi, mask), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        q_pvalue = np.where(q_df > 0, stats.chi2.sf(q, np.maximum(q_df, 1)), 1.0)
        if method == "FE":
            i2 = np.where(q > 0, np.maximum(0.0, 100 * (q - q_df) / q), 0.0)
            h2 = np.where(q_df > 0, q / q_df, 1.0)
            pi_low = pi_high = np.full(k.shape, np.nan)
        else:
            w_fe = tau2_estimators.inverse_variance_weights(0.0, vi, mask)
            sum_fe = w_fe.sum(axis=-1)
            typical = q_df / (sum_fe - np.sum(w_fe * w_fe, axis=-1) / sum_fe)
            i2 = np.where(tau2 > 0, 100 * tau2 / (typical + tau2), 0.0)
            h2 = np.where(tau2 > 0, tau2 / typical + 1, 1.0)
            if prediction == "higgins":
                crit = stats.t.isf((1 - level) / 2, np.maximum(k - 2, 1))
            elif hksj:
                crit = np.where(q_df > 0, stats.t.isf((1 - level) / 2, np.maximum(q_df, 1)),
                                np.nan)
            else:
                crit = stats.norm.isf((1 - level) / 2)
            half = crit * np.sqrt(se ** 2 + tau2)
            pi_low, pi_high = mu - half, mu + half
    return {"k": k, "estimate": mu, "se": se, "statistic": statistic,
            "df": np.full(k.shape, np.nan) if df is None else df.astype(float),
            "pvalue": pvalue, "ci_low": ci_low, "ci_high": ci_high, "tau2": tau2, "q": q,
            "q_df": q_df, "q_pvalue": q_pvalue, "i2": i2, "h2": h2, "pi_low": pi_low,
            "pi_high": pi_high, "weights": np.where(mask, 100 * w / total[:, None], np.nan)}


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
    method = _check_options(method, prediction, level)
    yi = np.atleast_1d(np.asarray(yi, dtype=float))
    vi = np.atleast_1d(np.asarray(vi, dtype=float))
    if yi.shape != vi.shape or yi.ndim != 1:
        raise PoolingError(f"yi and vi must be 1-d of one length; got {yi.shape} and {vi.shape}")
    if np.any(vi[np.isfinite(vi)] <= 0):
        raise PoolingError("every sampling variance vi must be positive")
    included = np.isfinite(yi) & np.isfinite(vi)
    if not included.any():
        raise PoolingError("no study has a finite yi and vi to pool")
    row = {name: value[0] for name, value in pool_rows(
        yi[None, :], vi[None, :], method=method, hksj=hksj, level=level,
        prediction=prediction).items()}
    if method == "FE":
        tau2_low = tau2_high = float("nan")
    else:
        tau2_low, tau2_high = tau2_estimators.q_profile_interval(
            yi[included], vi[included], level, float(row["tau2"]))
    return PooledEstimate(
        method=method, measure=measure, hksj=bool(hksj), level=level, k=int(row["k"]),
        estimate=float(row["estimate"]), se=float(row["se"]),
        statistic=float(row["statistic"]), statistic_name="t" if hksj else "z",
        df=int(row["df"]) if hksj else None, pvalue=float(row["pvalue"]),
        ci_low=float(row["ci_low"]), ci_high=float(row["ci_high"]), tau2=float(row["tau2"]),
        tau2_ci_low=tau2_low, tau2_ci_high=tau2_high, q=float(row["q"]),
        q_df=int(row["q_df"]), q_pvalue=float(row["q_pvalue"]), i2=float(row["i2"]),
        h2=float(row["h2"]), pi_low=float(row["pi_low"]), pi_high=float(row["pi_high"]),
        yi=np.where(included, yi, np.nan), vi=np.where(included, vi, np.nan),
        weights=row["weights"], included=included)
