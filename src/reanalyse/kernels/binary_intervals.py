"""Confidence intervals for a 2 x 2 table's OR, RR and RD beyond the Wald family, over arrays
of count pairs.

The table of a count pair is ``[[a, treat_n - a], [c, control_n - c]]`` (``a`` events among
``treat_n`` treated, ``c`` among ``control_n`` controls); every measure is treatment over (or
minus) control.  The Wald-type intervals (Woolf's for the OR, Katz's for the RR, the Wald RD)
are ``yi +- z sqrt(vi)`` of :mod:`reanalyse.kernels.effect_sizes` and are not repeated here.

``conditional_odds_ratio``
    The conditional maximum-likelihood OR and its exact interval, as R's ``fisher.test``: the
    events of the treated arm follow Fisher's noncentral hypergeometric distribution given both
    margins; the estimate solves E[X; psi] = a, the lower limit P(X >= a; psi) = (1 - level) / 2,
    the upper P(X <= a; psi) = (1 - level) / 2.  With ``mid_p=True`` the tails count half the
    probability of the observed table (the mid-p interval; Rothman & Greenland, *Modern
    Epidemiology*, ch. 14).
``koopman_ratio``
    Koopman's (1984) score interval for the RR: every theta whose score statistic
    (p1 - theta p2) / sqrt(p1~(1 - p1~) / n1 + theta**2 p2~(1 - p2~) / n2), with p1~ = theta p2~
    the maximum-likelihood proportions under p1 = theta p2, lies within +-z.
``newcombe_difference``
    Newcombe's (1998, method 10) hybrid score interval for the RD, from each arm's Wilson
    interval.
``agresti_caffo_difference``
    Agresti & Caffo's (2000) interval: one event and one non-event added to each arm, then the
    Wald interval.  Its estimate is the sample RD (the interval, not the estimate, is adjusted).

scipy's ``contingency.odds_ratio(kind="conditional")`` and statsmodels'
``confint_proportions_2indep`` compute the conditional OR and the score intervals one table
at a time with a root finder each; these functions solve every count pair of a claim at once
(a vectorised bisection), which the claim check and the screens need to stay fast.  The tests
check them against R (``fisher.test``, ``prop.test``) and against scipy and statsmodels.

Hypotheses: two independent binomial samples (the conditional OR conditions on both margins).
Costs: O(pairs x support) memory for the conditional OR, where the support is at most
min(treat_n, control_n) + 1, refused above :data:`MAX_CONDITIONAL_CELLS`; O(pairs) for the rest.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from reanalyse.errors import ReanalyseError
from reanalyse.kernels.distributions import norm_ppf
from reanalyse.kernels.effect_sizes import odds_ratio, risk_difference, risk_ratio

__all__ = ["BINARY_METHODS", "binary_intervals", "conditional_intervals", "conditional_odds_ratio",
           "koopman_ratio", "newcombe_difference", "agresti_caffo_difference", "wilson_interval",
           "MAX_CONDITIONAL_CELLS", "IntervalTooLargeError",
           "BISECTION_STEPS"]

#: Interval methods per measure, in the order tried (the first is the usual default), with
#: their labels.
BINARY_METHODS = {"woolf": "Woolf", "conditional": "conditional MLE, exact",
                  "mid_p": "conditional MLE, mid-p", "katz": "Katz",
                  "koopman": "Koopman score", "wald": "Wald",
                  "newcombe": "Newcombe-Wilson", "agresti_caffo": "Agresti-Caffo"}
_BY_MEASURE = {"OR": ("woolf", "conditional", "mid_p"), "RR": ("katz", "koopman"),
               "RD": ("wald", "newcombe", "agresti_caffo")}

#: Largest pairs x support grid the conditional OR solves (its five equations stacked: 8 MB
#: per temporary, about a second): beyond, :class:`IntervalTooLargeError`.
MAX_CONDITIONAL_CELLS = 200_000

#: Bisection steps on the log scale: the bracket [-64, 64] shrinks to about 5e-13, far below
#: the rounding of any printed ratio.
BISECTION_STEPS = 48
_LOG_BRACKET = 64.0


class IntervalTooLargeError(ReanalyseError, ValueError):
    """A conditional interval was asked for over more cells than :data:`MAX_CONDITIONAL_CELLS`."""


def _arrays(*values):
    return np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))


def _bisect(function, shape):
    """The root of an increasing ``function(theta)`` for each row on [-64, 64] (log scale)."""
    low = np.full(shape, -_LOG_BRACKET)
    high = np.full(shape, _LOG_BRACKET)
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        above = function(middle) > 0
        high = np.where(above, middle, high)
        low = np.where(above, low, middle)
    return (low + high) / 2


def conditional_intervals(treat_events, treat_n, control_events, control_n, *,
                          confidence_level: float = 0.95, mid_p: bool = True) -> dict:
    """Conditional MLE OR with its exact interval and (``mid_p``) its mid-p interval, per pair.

    The five equations of each pair (the estimate; the exact and the mid-p lower and upper
    limits) are solved together, by one bisection over all of them.

    Returns
    -------
    dict
        ``{"conditional": (estimate, low, high)}`` as R's ``fisher.test`` (0 and inf at the
        ends of the support), and ``"mid_p"`` likewise with the mid-p limits.
    """
    a, n1, c, n2 = _arrays(treat_events, treat_n, control_events, control_n)
    shape = a.shape
    a, n1, c, n2 = (x.ravel() for x in (a, n1, c, n2))
    m = a + c
    lo = np.maximum(0, m - n2)
    hi = np.minimum(n1, m)
    width = int((hi - lo).max()) + 1 if a.size else 1
    if a.size * width > MAX_CONDITIONAL_CELLS:
        raise IntervalTooLargeError(
            f"the conditional OR of {a.size:,} count pairs needs {a.size * width:,} cells, "
            f"more than the {MAX_CONDITIONAL_CELLS:,} computed at once")
    x = lo[:, None] + np.arange(width)[None, :]
    valid = x <= hi[:, None]
    xs = np.where(valid, x, lo[:, None])
    base = (gammaln(n1[:, None] + 1) - gammaln(xs + 1) - gammaln(n1[:, None] - xs + 1)
            + gammaln(n2[:, None] + 1) - gammaln(m[:, None] - xs + 1)
            - gammaln(n2[:, None] - m[:, None] + xs + 1))
    base = np.where(valid, base, -np.inf)
    # one row per equation: kind 0 the mean, 1 an upper tail (increasing in theta), 2 a lower
    # tail (decreasing: negated); ``half`` weighs P(X = a) (1: exact, 1/2: mid-p)
    kinds, halves = [0, 1, 2], [1.0, 1.0, 1.0]
    if mid_p:
        kinds, halves = kinds + [1, 2], halves + [0.5, 0.5]
    count = len(kinds)
    kind = np.repeat(kinds, a.size)[:, None]
    half = np.repeat(halves, a.size)[:, None]
    base_s, xs_s = np.tile(base, (count, 1)), np.tile(xs, (count, 1))
    a_s = np.tile(a, count)[:, None]
    at, above, below = xs_s == a_s, xs_s > a_s, xs_s < a_s
    weight = np.where(kind == 0, xs_s, np.where(kind == 1, above + half * at,
                                                -(below + half * at)))
    target = np.where(kind[:, 0] == 0, a_s[:, 0], np.where(kind[:, 0] == 1, 1, -1)
                      * (1 - confidence_level) / 2)

    def equation(theta):
        log_w = base_s + xs_s * theta[:, None]
        prob = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        return (prob * weight).sum(axis=1) / prob.sum(axis=1) - target

    with np.errstate(over="ignore", invalid="ignore"):
        roots = np.exp(_bisect(equation, (count * a.size,))).reshape(count, a.size)
    at_low, at_high = a <= lo, a >= hi
    estimate = np.where(at_low & at_high, np.nan,
                        np.where(at_low, 0.0, np.where(at_high, np.inf, roots[0])))
    result = {}
    limits = {"conditional": (roots[1], roots[2])}
    if mid_p:
        limits["mid_p"] = (roots[3], roots[4])
    for name, (low, high) in limits.items():
        low, high = np.where(at_low, 0.0, low), np.where(at_high, np.inf, high)
        result[name] = tuple(v.reshape(shape) for v in (estimate, low, high))
    return result


def conditional_odds_ratio(treat_events, treat_n, control_events, control_n, *,
                           confidence_level: float = 0.95, mid_p: bool = False):
    """Conditional maximum-likelihood OR with its exact (or mid-p) interval, per count pair.

    Returns
    -------
    estimate, low, high : ndarray
        As R's ``fisher.test(matrix(c(a, b, c, d), 2, byrow = TRUE))$estimate`` and
        ``$conf.int`` (0 and inf at the ends of the support); with ``mid_p``, the mid-p limits.
    """
    found = conditional_intervals(treat_events, treat_n, control_events, control_n,
                                  confidence_level=confidence_level, mid_p=mid_p)
    return found["mid_p" if mid_p else "conditional"]


def _constrained_control(theta, a, n1, c, n2):
    """Maximum-likelihood control proportion under p1 = theta p2 (smaller root of
    theta N p**2 - [theta (n1 + c) + a + n2] p + (a + c) = 0, in its stable form)."""
    total = n1 + n2
    b = theta * (n1 + c) + a + n2
    root = np.sqrt(np.maximum(b**2 - 4 * theta * total * (a + c), 0.0))
    return 2 * (a + c) / (b + root)


def _koopman_score(log_theta, a, n1, c, n2):
    """Koopman's score statistic of H0: p1 = theta p2 (decreasing in theta)."""
    theta = np.exp(log_theta)
    q2 = _constrained_control(theta, a, n1, c, n2)
    q1 = np.minimum(theta * q2, 1.0)
    variance = q1 * (1 - q1) / n1 + theta**2 * q2 * (1 - q2) / n2
    numerator = a / n1 - theta * c / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        value = numerator / np.sqrt(variance)
        edge = np.where(numerator == 0, 0.0, np.sign(numerator) * np.inf)
    return np.where(variance > 0, value, edge)


def koopman_ratio(treat_events, treat_n, control_events, control_n, *,
                  confidence_level: float = 0.95):
    """Koopman's score interval for the risk ratio, per count pair.

    Returns
    -------
    estimate, low, high : ndarray
        The sample RR (a / n1) / (c / n2) and the score limits (0 when a = 0, inf when c = 0).
    """
    a, n1, c, n2 = _arrays(treat_events, treat_n, control_events, control_n)
    shape, size = a.shape, a.size
    z = norm_ppf((1 + confidence_level) / 2)
    # both limits by one bisection: the lower solves score = z, the upper score = -z, and
    # target - score increases in theta
    target = np.concatenate([np.full(size, z), np.full(size, -z)])
    stacked = [np.tile(v.ravel(), 2) for v in (a, n1, c, n2)]
    with np.errstate(over="ignore"):
        roots = np.exp(_bisect(lambda t: target - _koopman_score(t, *stacked), (2 * size,)))
    low, high = roots[:size].reshape(shape), roots[size:].reshape(shape)
    low = np.where(a == 0, 0.0, low)
    high = np.where(c == 0, np.inf, high)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where((a == 0) & (c == 0), np.nan, (a / n1) / (c / n2))
    return estimate, low, high


def wilson_interval(events, n, *, confidence_level: float = 0.95):
    """Wilson's score interval for one proportion (R's ``prop.test(correct = FALSE)``)."""
    events, n = _arrays(events, n)
    z = norm_ppf((1 + confidence_level) / 2)
    p = events / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def newcombe_difference(treat_events, treat_n, control_events, control_n, *,
                        confidence_level: float = 0.95):
    """Newcombe's hybrid score interval for the risk difference (his method 10).

    Returns
    -------
    estimate, low, high : ndarray
        The sample RD and RD - sqrt((p1 - l1)**2 + (u2 - p2)**2),
        RD + sqrt((u1 - p1)**2 + (p2 - l2)**2), with (l, u) each arm's Wilson interval.
    """
    a, n1, c, n2 = _arrays(treat_events, treat_n, control_events, control_n)
    p1, p2 = a / n1, c / n2
    l1, u1 = wilson_interval(a, n1, confidence_level=confidence_level)
    l2, u2 = wilson_interval(c, n2, confidence_level=confidence_level)
    rd = p1 - p2
    return (rd, rd - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            rd + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def agresti_caffo_difference(treat_events, treat_n, control_events, control_n, *,
                             confidence_level: float = 0.95):
    """Agresti & Caffo's interval for the risk difference: the Wald interval after adding one
    event and one non-event to each arm.

    Returns
    -------
    estimate, low, high : ndarray
        The sample RD, and the adjusted interval's limits.
    """
    a, n1, c, n2 = _arrays(treat_events, treat_n, control_events, control_n)
    z = norm_ppf((1 + confidence_level) / 2)
    q1, q2 = (a + 1) / (n1 + 2), (c + 1) / (n2 + 2)
    half = z * np.sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
    return a / n1 - c / n2, q1 - q2 - half, q1 - q2 + half


#: The Wald-type interval of each measure: the escalc kernel's estimate and variance with its
#: zero-cell convention (0.5 added to every cell of a table with a zero cell for the ratios,
#: as metafor's default; never for the risk difference, where it can flip the sign).
_WALD = {"OR": (odds_ratio, "metafor"), "RR": (risk_ratio, "metafor"),
         "RD": (risk_difference, "none")}


def _wald(measure, a, n1, c, n2, confidence_level):
    """Woolf (OR), Katz (RR) and Wald (RD) intervals: yi +- z sqrt(vi) of the escalc kernel."""
    function, zero_cells = _WALD[measure]
    effect = function(a, n1, c, n2, zero_cells=zero_cells)
    low, high = effect.confidence_interval(confidence_level)
    if measure == "RD":
        return effect.yi, low, high
    return np.exp(effect.yi), np.exp(low), np.exp(high)


def _spread_rows(a, c, limit):
    """Indices of the count pairs at which the conditional limits are computed: all of them
    up to ``limit``, else the first (printed) pair and the corners of the counts' ranges."""
    if a.size <= limit:
        return np.arange(a.size)
    corners = [0]
    for a_end in (a.min(), a.max()):
        for c_end in (c.min(), c.max()):
            corners.append(int(np.flatnonzero((a == a_end) & (c == c_end))[0]))
    return np.array(sorted(set(corners)))


def binary_intervals(measure: str, treat_events, treat_n, control_events, control_n, *,
                     confidence_level: float = 0.95, exact_limit: int | None = None,
                     methods: tuple[str, ...] | None = None) -> dict:
    """Every interval method of ``measure`` (OR, RR or RD) at each count pair.

    Returns
    -------
    dict
        ``{method: (estimate, low, high)}``, arrays over the pairs, methods in the order of
        :data:`BINARY_METHODS`.  With ``exact_limit``, the conditional OR intervals are computed
        at most at that many pairs (beyond: the first pair and the corners of the counts'
        ranges, where limits monotone in each count take their extremes); the first row is
        always the first pair.  ``methods`` keeps only those named.
    """
    a, n1, c, n2 = (np.atleast_1d(x) for x in _arrays(treat_events, treat_n, control_events,
                                                        control_n))
    level = {"confidence_level": confidence_level}
    rows = {}
    for method in _BY_MEASURE[measure]:
        if methods is not None and method not in methods:
            continue
        if method in ("woolf", "katz", "wald"):
            rows[method] = _wald(measure, a, n1, c, n2, confidence_level)
        elif method in ("conditional", "mid_p"):
            if method not in rows:
                take = _spread_rows(a, c, exact_limit or a.size)
                rows.update(conditional_intervals(a[take], n1[take], c[take], n2[take],
                                                  mid_p=methods is None or "mid_p" in methods,
                                                  **level))
        elif method == "koopman":
            rows[method] = koopman_ratio(a, n1, c, n2, **level)
        elif method == "newcombe":
            rows[method] = newcombe_difference(a, n1, c, n2, **level)
        else:
            rows[method] = agresti_caffo_difference(a, n1, c, n2, **level)
    return rows
