"""Between-study variance tau^2: DerSimonian-Laird, Paule-Mandel, REML, and its Q-profile CI.

All for the random-effects model y_i ~ N(mu, v_i + tau^2) with known within-study
variances v_i > 0 (intercept only, as metafor's ``rma(yi, vi)``).  Central to all of them
is the generalised Q statistic

    Q(tau^2) = sum_i w_i (y_i - mu_hat)^2,  w_i = 1 / (v_i + tau^2),  mu_hat = sum w y / sum w,

which decreases strictly from Q(0) (Cochran's Q) towards 0 as tau^2 grows, unless every
y_i is equal (then Q = 0 everywhere).

``dersimonian_laird``
    The method of moments on Q(0): max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w)),
    computed by statsmodels' ``_fit_tau_mm`` with weights 1 / v_i.
``paule_mandel``
    The root of Q(tau^2) = k - 1 (0 when Q(0) < k - 1): statsmodels' ``_fit_tau_iterative``
    (Newton steps from 0, which increase monotonically to the root since Q is convex and
    decreasing), polished by a bracketed root search (:func:`scipy.optimize.brentq`) when
    its steps have not converged to 1e-12 relative.
``reml``
    Fisher scoring on the restricted likelihood, as metafor: from max(0, Hedges' estimate),
    tau^2 += (y'PPy - tr P) / tr(PP), a step halved while it would go below 0 (0 itself
    when the step at 0 also points below 0), until the change is below 1e-13 (1 + tau^2);
    not in statsmodels.
``q_profile_interval``
    Viechtbauer's (2007) Q-profile interval: the tau^2 at which Q(tau^2) equals the upper
    and lower alpha/2 quantiles of chi-square(k - 1); a bound is 0 when Q(0) is already
    below its quantile.  Each bound is found by bracketing (doubling an upper end, at most
    :data:`MAX_DOUBLINGS` times) and ``brentq`` to 1e-14 relative.  metafor's ``confint``
    stops its search at ``tau2.max`` (100 by default) and then reports that cap; here there
    is no cap.  Not in statsmodels.

Costs: O(k) per evaluation of Q; DL one evaluation, PM and each CI bound at most a few
hundred, REML at most :data:`MAX_ITERATIONS` iterations.

DerSimonian R, Laird N. Control Clin Trials 1986;7:177-188.  Paule RC, Mandel J. J Res Natl
Bur Stand 1982;87:377-385.  Viechtbauer W. Confidence intervals for the amount of
heterogeneity in meta-analysis. Stat Med 2007;26:37-52.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import _fit_tau_iterative, _fit_tau_mm

from reanalyse.errors import ReanalyseError

__all__ = ["generalised_q", "dersimonian_laird", "paule_mandel", "reml",
           "q_profile_interval", "ConvergenceError", "MAX_ITERATIONS", "MAX_DOUBLINGS"]

#: Largest number of Fisher-scoring iterations for REML.
MAX_ITERATIONS = 2000
#: Largest number of doublings of an upper bracket for tau^2.
MAX_DOUBLINGS = 2000


class ConvergenceError(ReanalyseError, ArithmeticError):
    """An iterative estimator did not converge within its bounded number of steps."""


def generalised_q(tau2: float, yi: np.ndarray, vi: np.ndarray) -> float:
    """Q(tau^2) = sum w (y - mu_hat)^2 with w = 1 / (v + tau^2)."""
    w = 1.0 / (vi + tau2)
    mu = np.dot(w, yi) / w.sum()
    return float(np.dot(w, (yi - mu) ** 2))


def dersimonian_laird(yi: np.ndarray, vi: np.ndarray) -> float:
    """DerSimonian-Laird tau^2, truncated at 0."""
    if yi.size < 2:
        return 0.0
    return max(0.0, float(_fit_tau_mm(yi, vi, 1.0 / vi)))


def _root(function, target: float, low: float, start: float) -> float:
    """The tau^2 >= low at which the decreasing ``function`` meets ``target``."""
    high = max(start, 1.0)
    for _ in range(MAX_DOUBLINGS):
        if function(high) < target:
            break
        low, high = high, high * 2
    else:
        raise ConvergenceError(f"no tau^2 up to {high:.3g} brings Q below {target:.6g}")
    return optimize.brentq(lambda t: function(t) - target, low, high, xtol=1e-300,
                           rtol=1e-14, maxiter=500)


def paule_mandel(yi: np.ndarray, vi: np.ndarray) -> float:
    """Paule-Mandel tau^2: the root of Q(tau^2) = k - 1 (0 if Q(0) < k - 1)."""
    k = yi.size
    if k < 2 or generalised_q(0.0, yi, vi) <= k - 1:
        return 0.0
    tau2, converged = _fit_tau_iterative(yi, vi, atol=1e-12 * (k - 1), maxiter=200)
    tau2 = float(tau2)
    if converged and abs(generalised_q(tau2, yi, vi) - (k - 1)) <= 1e-12 * (k - 1):
        return tau2
    return _root(lambda t: generalised_q(t, yi, vi), k - 1, 0.0, max(tau2, 1.0))


def _reml_step(yi: np.ndarray, vi: np.ndarray, tau2: float) -> float:
    """One Fisher-scoring step (y'PPy - tr P) / tr(PP) at ``tau2``."""
    w = 1.0 / (vi + tau2)
    total = w.sum()
    mu = np.dot(w, yi) / total
    # Py = w (y - mu); y'PPy = sum (w (y - mu))^2; tr P = sum w - sum w^2 / sum w;
    # tr PP = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2
    w2 = np.dot(w, w)
    trace_p = total - w2 / total
    trace_pp = w2 - 2 * np.sum(w ** 3) / total + (w2 / total) ** 2
    return float((np.sum((w * (yi - mu)) ** 2) - trace_p) / trace_pp)


def reml(yi: np.ndarray, vi: np.ndarray) -> float:
    """Restricted maximum-likelihood tau^2 by Fisher scoring (metafor's algorithm).

    metafor halves a step that would cross 0 and so approaches a maximum on the boundary
    geometrically, stopping at a tiny positive tau^2; here, when a step would cross 0 and
    the step at 0 points below 0 as well, the estimate is that limit, exactly 0.
    """
    k = yi.size
    if k < 2:
        return 0.0
    centred = yi - yi.mean()
    tau2 = max(0.0, (np.dot(centred, centred) - (vi.sum() - vi.sum() / k)) / (k - 1))
    for _ in range(MAX_ITERATIONS):
        step = _reml_step(yi, vi, tau2)
        if tau2 + step < 0:
            if _reml_step(yi, vi, 0.0) <= 0:
                return 0.0
            while tau2 + step < 0:
                step /= 2
        tau2 += step
        if abs(step) <= 1e-13 * (1.0 + tau2):
            return float(tau2)
    raise ConvergenceError(f"REML did not converge in {MAX_ITERATIONS} Fisher-scoring steps")


def q_profile_interval(yi: np.ndarray, vi: np.ndarray, level: float,
                       tau2: float) -> tuple[float, float]:
    """Q-profile confidence interval (low, high) for tau^2 at confidence ``level``."""
    k = yi.size
    if k < 2:
        return float("nan"), float("nan")
    alpha = 1 - level
    upper_quantile = stats.chi2.isf(alpha / 2, k - 1)
    lower_quantile = stats.chi2.ppf(alpha / 2, k - 1)
    q0 = generalised_q(0.0, yi, vi)

    def q(t):
        return generalised_q(t, yi, vi)
    start = max(10 * tau2, 1.0)
    low = 0.0 if q0 < upper_quantile else _root(q, upper_quantile, 0.0, start)
    high = 0.0 if q0 < lower_quantile else _root(q, lower_quantile, low, start)
    return low, high
