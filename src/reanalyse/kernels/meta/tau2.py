"""Between-study variance tau^2: DerSimonian-Laird, Paule-Mandel, REML, and its Q-profile CI.

All for the random-effects model y_i ~ N(mu, v_i + tau^2) with known within-study
variances v_i > 0 (intercept only, as metafor's ``rma(yi, vi)``).  Central to all of them
is the generalised Q statistic

    Q(tau^2) = sum_i w_i (y_i - mu_hat)^2,  w_i = 1 / (v_i + tau^2),  mu_hat = sum w y / sum w,

which decreases strictly from Q(0) (Cochran's Q) towards 0 as tau^2 grows, unless every
y_i is equal (then Q = 0 everywhere).

The estimators work on many pools at once: ``yi`` and ``vi`` of shape (m, k), one pool per
row, with a boolean ``mask`` of the studies each row includes; they return m estimates.

``dersimonian_laird``
    The method of moments on Q(0): max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w)).
``paule_mandel``
    The root of Q(tau^2) = k - 1 (0 when Q(0) <= k - 1): Newton steps from 0 (DerSimonian &
    Kacker 2007), which increase monotonically to the root since Q is convex and
    decreasing, to 1e-12 relative in Q; a row not converged in :data:`MAX_ITERATIONS` steps
    is finished by a bracketed root search (:func:`scipy.optimize.brentq`).
``reml``
    Fisher scoring on the restricted likelihood, as metafor: from max(0, Hedges' estimate),
    tau^2 += (y'PPy - tr P) / tr(PP), a step halved while it would go below 0 (0 itself
    when the step at 0 also points below 0), until the change is below 1e-13 (1 + tau^2);
    a row not settled in :data:`FISHER_STEPS` steps (scoring can swing about the root, where
    metafor stops with "did not converge") is finished by ``brentq`` on the score y'PPy - tr P
    between the last two iterates, or from 0 upwards.
``q_profile_interval``
    Viechtbauer's (2007) Q-profile interval (one pool): the tau^2 at which Q(tau^2) equals
    the upper and lower alpha/2 quantiles of chi-square(k - 1); a bound is 0 when Q(0) is
    already below its quantile.  Each bound is bracketed (an upper end doubled at most
    :data:`MAX_DOUBLINGS` times) and found by ``brentq`` to 1e-14 relative.  metafor's
    ``confint`` stops its search at ``tau2.max`` (100 by default) and then reports that
    cap; here there is no cap.

statsmodels (``statsmodels.stats.meta_analysis``) has DL (``_fit_tau_mm``) and PM
(``_fit_tau_iterative``, the same Newton steps) for one pool of 1-d arrays, stopping PM at
1e-5 absolute in Q; these are written here for batches of pools (the rounding box
evaluates thousands), to a tolerance that matches metafor to 1e-6, and checked against
statsmodels in the tests.  REML and the Q-profile interval are not in statsmodels.

Costs: O(m k) per evaluation of Q; DL one evaluation, PM at most :data:`MAX_ITERATIONS`,
REML at most :data:`FISHER_STEPS` and a bracketed search, each CI bound at most a few hundred.

DerSimonian R, Laird N. Control Clin Trials 1986;7:177-188.  Paule RC, Mandel J. J Res Natl
Bur Stand 1982;87:377-385.  DerSimonian R, Kacker R. Contemp Clin Trials 2007;28:105-114.
Viechtbauer W. Confidence intervals for the amount of heterogeneity in meta-analysis. Stat
Med 2007;26:37-52.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from reanalyse.errors import ReanalyseError

__all__ = ["inverse_variance_weights", "weighted_mean", "generalised_q", "dersimonian_laird",
           "paule_mandel", "reml", "q_profile_interval", "ConvergenceError", "MAX_ITERATIONS",
           "FISHER_STEPS", "MAX_DOUBLINGS"]

#: Largest number of Newton (PM) iterations.
MAX_ITERATIONS = 2000
#: Fisher-scoring steps (REML) before a row that has not settled is solved by bracketing.
FISHER_STEPS = 200
#: Largest number of doublings of an upper bracket for tau^2.
MAX_DOUBLINGS = 2000


class ConvergenceError(ReanalyseError, ArithmeticError):
    """An iterative estimator did not converge within its bounded number of steps."""


def inverse_variance_weights(tau2, vi, mask):
    """w = 1 / (v + tau^2) per row (tau2 of shape (m,)), 0 where ``mask`` is False."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mask, 1.0 / (vi + np.asarray(tau2)[..., None]), 0.0)


def weighted_mean(w, yi, mask):
    """(y with 0 where masked out, mu = sum w y / sum w per row)."""
    y = np.where(mask, yi, 0.0)
    mu = np.sum(w * y, axis=-1) / np.sum(w, axis=-1)
    return y, mu


def generalised_q(tau2, yi, vi, mask):
    """Q(tau^2) per row: sum w (y - mu_hat)^2 with w = 1 / (v + tau^2)."""
    w = inverse_variance_weights(tau2, vi, mask)
    y, mu = weighted_mean(w, yi, mask)
    return np.sum(w * (y - mu[..., None]) ** 2, axis=-1)


def dersimonian_laird(yi, vi, mask):
    """DerSimonian-Laird tau^2 per row, truncated at 0."""
    k = mask.sum(axis=-1)
    w = inverse_variance_weights(0.0, vi, mask)
    total = w.sum(axis=-1)
    q = generalised_q(np.zeros(k.shape), yi, vi, mask)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau2 = (q - (k - 1)) / (total - np.sum(w * w, axis=-1) / total)
    return np.where(k > 1, np.maximum(tau2, 0.0), 0.0)


def _root(function, target: float, low: float, start: float) -> float:
    """The tau^2 >= low at which the decreasing scalar ``function`` meets ``target``."""
    high = max(start, 1.0)
    for _ in range(MAX_DOUBLINGS):
        if function(high) < target:
            break
        low, high = high, high * 2
    else:
        raise ConvergenceError(f"no tau^2 up to {high:.3g} brings Q below {target:.6g}")
    return optimize.brentq(lambda t: function(t) - target, low, high, xtol=1e-300,
                           rtol=1e-14, maxiter=500)


def paule_mandel(yi, vi, mask):
    """Paule-Mandel tau^2 per row: the root of Q(tau^2) = k - 1 (0 if Q(0) <= k - 1)."""
    k = mask.sum(axis=-1)
    target = (k - 1).astype(float)
    tau2 = np.zeros(k.shape)
    active = (k > 1) & (generalised_q(tau2, yi, vi, mask) > target)
    for _ in range(MAX_ITERATIONS):
        if not active.any():
            return tau2
        w = inverse_variance_weights(tau2, vi, mask)
        y, mu = weighted_mean(w, yi, mask)
        resid2 = (y - mu[..., None]) ** 2
        excess = np.sum(w * resid2, axis=-1) - target
        slope = np.sum(w * w * resid2, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(active, excess / slope, 0.0)
        tau2 = tau2 + step
        active &= np.abs(excess) > 1e-12 * np.maximum(target, 1.0)
    for row in np.flatnonzero(active):
        y_row, v_row, m_row = yi[row], vi[row], mask[row]
        tau2[row] = _root(lambda t: float(generalised_q(t, y_row, v_row, m_row)),
                          target[row], 0.0, max(tau2[row], 1.0))
    return tau2


def _reml_step(yi, vi, mask, tau2):
    """One Fisher-scoring step (y'PPy - tr P) / tr(PP) per row at ``tau2``."""
    w = inverse_variance_weights(tau2, vi, mask)
    y, mu = weighted_mean(w, yi, mask)
    total = w.sum(axis=-1)
    # Py = w (y - mu); y'PPy = sum (w (y - mu))^2; tr P = sum w - sum w^2 / sum w;
    # tr PP = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2
    w2 = np.sum(w * w, axis=-1)
    trace_p = total - w2 / total
    trace_pp = w2 - 2 * np.sum(w ** 3, axis=-1) / total + (w2 / total) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.sum((w * (y - mu[..., None])) ** 2, axis=-1) - trace_p) / trace_pp


def _reml_score(yi, vi, tau2: float) -> float:
    """y'PPy - tr P at ``tau2`` for one pool: twice the restricted log-likelihood's slope."""
    w = 1.0 / (vi + tau2)
    total = w.sum()
    mu = np.dot(w, yi) / total
    return float(np.sum((w * (yi - mu)) ** 2) - (total - np.dot(w, w) / total))


def _reml_root(yi, vi, low: float, high: float) -> float:
    """The root of the REML score in [low, high] (positive at low, negative at high)."""
    return optimize.brentq(lambda t: _reml_score(yi, vi, t), low, high, xtol=1e-300,
                           rtol=1e-14, maxiter=500)


def _reml_fallback(yi, vi, previous: float, current: float) -> float:
    """REML tau^2 of one pool whose Fisher scoring has not settled: the root of the score
    between two iterates on either side of it, or, failing that, the first sign change of
    the score from 0 upwards (the upper end doubled at most :data:`MAX_DOUBLINGS` times)."""
    low, high = sorted((previous, current))
    if _reml_score(yi, vi, low) > 0 > _reml_score(yi, vi, high):
        return _reml_root(yi, vi, low, high)
    if _reml_score(yi, vi, 0.0) <= 0:
        return 0.0
    low, high = 0.0, max(current, 1.0)
    for _ in range(MAX_DOUBLINGS):
        if _reml_score(yi, vi, high) < 0:
            return _reml_root(yi, vi, low, high)
        low, high = high, 2 * high
    raise ConvergenceError("no root of the REML score was found")


def reml(yi, vi, mask):
    """Restricted maximum-likelihood tau^2 per row by Fisher scoring (metafor's algorithm).

    metafor halves a step that would cross 0 and so approaches a maximum on the boundary
    geometrically, stopping at a tiny positive tau^2; here, when a step would cross 0 and
    the step at 0 points below 0 as well, the estimate is that limit, exactly 0.  Fisher
    scoring can also swing about the root without settling (metafor then stops with "did
    not converge"); a row not settled after :data:`FISHER_STEPS` steps is finished by a
    bracketed root search of the score (:func:`_reml_fallback`).
    """
    k = mask.sum(axis=-1)
    n = np.maximum(k, 1)
    y, _ = weighted_mean(mask.astype(float), yi, mask)
    centred = np.where(mask, y - (y.sum(axis=-1) / n)[..., None], 0.0)
    v = np.where(mask, vi, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        start = (np.sum(centred ** 2, axis=-1) - (v.sum(axis=-1) - v.sum(axis=-1) / n)) / (k - 1)
    tau2 = np.where(k > 1, np.maximum(start, 0.0), 0.0)
    previous = tau2.copy()
    active = k > 1
    at_zero = np.where(active, _reml_step(yi, vi, mask, np.zeros(k.shape)), 0.0)
    for _ in range(FISHER_STEPS):
        if not active.any():
            return tau2
        step = np.where(active, _reml_step(yi, vi, mask, tau2), 0.0)
        crossing = tau2 + step < 0
        boundary = crossing & (at_zero <= 0)
        tau2 = np.where(boundary, 0.0, tau2)
        step = np.where(boundary, 0.0, step)
        for _ in range(64):             # a step is halved at most 64 times
            if not np.any(tau2 + step < 0):
                break
            step = np.where(tau2 + step < 0, step / 2, step)
        step = np.where(tau2 + step < 0, -tau2, step)
        previous = np.where(active, tau2, previous)
        tau2 = tau2 + step
        active &= ~boundary & (np.abs(step) > 1e-13 * (1.0 + tau2))
    for row in np.flatnonzero(active):
        keep = mask[row]
        tau2[row] = _reml_fallback(yi[row][keep], vi[row][keep], previous[row], tau2[row])
    return tau2


def q_profile_interval(yi: np.ndarray, vi: np.ndarray, level: float,
                       tau2: float) -> tuple[float, float]:
    """Q-profile confidence interval (low, high) for tau^2 of one pool (1-d yi, vi)."""
    k = yi.size
    if k < 2:
        return float("nan"), float("nan")
    mask = np.ones(k, dtype=bool)
    alpha = 1 - level
    upper_quantile = stats.chi2.isf(alpha / 2, k - 1)
    lower_quantile = stats.chi2.ppf(alpha / 2, k - 1)

    def q(t):
        return float(generalised_q(t, yi, vi, mask))
    q0 = q(0.0)
    start = max(10 * tau2, 1.0)
    low = 0.0 if q0 < upper_quantile else _root(q, upper_quantile, 0.0, start)
    high = 0.0 if q0 < lower_quantile else _root(q, lower_quantile, low, start)
    return low, high
