"""Confidence intervals for a difference in means and a standardised mean difference, from
each arm's n, mean and SD, over arrays (one row per corner of a rounding box).

Every interval is named by what a paper would call it; each is treat minus control.

Mean difference (``MD``):

``pooled_t``
    d +- t(n1 + n2 - 2) s_p sqrt(1/n1 + 1/n2): Student's t interval (R ``t.test(var.equal =
    TRUE)``), equal variances assumed.
``welch_t``
    d +- t(df_W) sqrt(s1**2/n1 + s2**2/n2) with Welch-Satterthwaite df (R ``t.test``).
``normal``
    d +- z sqrt(vi), vi as metafor's ``escalc("MD")`` (unequal variances, large samples).

Standardised mean difference (``SMD``), d = (m1 - m2) / s_p:

``cohen_d``
    d itself with the large-sample variance 1/n1 + 1/n2 + d**2 / (2 (n1 + n2)).
``hedges_ls``, ``hedges_ls2``, ``hedges_ub``
    Hedges' g = J(n1 + n2 - 2) d (exact gamma-function J) with metafor ``escalc("SMD")``'s
    variance types ``LS`` (its default), ``LS2`` and ``UB``; the interval is g +- z sqrt(vi).

Hypotheses: independent arms, normal outcomes (the t intervals), large samples (the normal
ones).  Costs: O(rows).
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.distributions import norm_ppf, t_ppf
from reanalyse.kernels.effect_sizes import hedges_correction, mean_difference_values, \
    standardised_mean_difference

__all__ = ["POOLED_T", "WELCH_T", "NORMAL", "MD_METHODS", "SMD_METHODS", "md_intervals",
           "smd_intervals", "welch_df"]

#: The interval methods of a mean difference, by name.
POOLED_T, WELCH_T, NORMAL = "pooled_t", "welch_t", "normal"
#: Interval methods of a mean difference, in the order tried, with their labels.
MD_METHODS = {POOLED_T: "pooled-variance t", WELCH_T: "Welch t", NORMAL: "normal, escalc variance"}

#: Interval methods of a standardised mean difference, in the order tried, with their labels.
SMD_METHODS = {"hedges_ls": "Hedges' g, variance LS",
               "hedges_ls2": "Hedges' g, variance LS2",
               "hedges_ub": "Hedges' g, variance UB",
               "cohen_d": "Cohen's d"}


def welch_df(v1, v2, n1, n2):
    """Satterthwaite's degrees of freedom from the arms' squared standard errors ``v1, v2``.

    Written with the weights ``w = v / (v1 + v2)``: ``1 / (w1**2 / (n1 - 1) + w2**2 / (n2 - 1))``,
    the same number as ``(v1 + v2)**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))`` but free of
    the scale, so that no square overflows or underflows whatever the SDs' magnitude.
    """
    total = np.asarray(v1, dtype=float) + np.asarray(v2, dtype=float)
    w1, w2 = v1 / total, v2 / total
    return 1 / (w1**2 / (n1 - 1) + w2**2 / (n2 - 1))


def md_intervals(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n, *,
                 confidence_level: float = 0.95) -> dict:
    """Every :data:`MD_METHODS` interval: ``{name: (estimate, low, high)}`` of arrays.

    The summaries are taken as checked (n >= 2, SD > 0, as a claim's rounding box holds
    them); the difference and its escalc variance are
    :func:`reanalyse.kernels.effect_sizes.mean_difference_values`.  Arm sizes may be single
    numbers beside arrays of means and SDs.
    """
    m1, s1, n1, m2, s2, n2 = (np.asarray(v, dtype=float) for v in (
        treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n))
    if n1.ndim == n2.ndim == 0:  # one pair of arm sizes: plain numbers are quicker to use
        n1, n2 = float(n1), float(n2)
    level = (1 + confidence_level) / 2
    yi, vi = mean_difference_values(m1, s1, n1, m2, s2, n2)
    df = n1 + n2 - 2
    square1, square2 = s1**2, s2**2
    pooled = ((n1 - 1) * square1 + (n2 - 1) * square2) / df
    v1, v2 = square1 / n1, square2 / n2
    halves = {POOLED_T: t_ppf(level, df) * np.sqrt(pooled * (1 / n1 + 1 / n2)),
              WELCH_T: t_ppf(level, welch_df(v1, v2, n1, n2)) * np.sqrt(v1 + v2),
              NORMAL: norm_ppf(level) * np.sqrt(vi)}
    if any(np.shape(half) != yi.shape for half in halves.values()):  # more arm sizes
        yi = np.broadcast_to(yi, np.broadcast_shapes(*(np.shape(half) for half in
                                                       halves.values()), yi.shape))
    return {name: (yi, yi - half, yi + half) for name, half in halves.items()}


def smd_intervals(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n, *,
                  confidence_level: float = 0.95) -> dict:
    """Every :data:`SMD_METHODS` interval: ``{name: (estimate, low, high)}`` of arrays.

    Cohen's d is Hedges' g without its correction, d = g / J, with the large-sample variance
    1/n1 + 1/n2 + d**2 / (2 (n1 + n2)) (escalc's ``LS`` form without J); the escalc kernel
    holds only the corrected g.
    """
    z = norm_ppf((1 + confidence_level) / 2)
    arms = (treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n)
    result = {}
    for name, vtype in (("hedges_ls", "LS"), ("hedges_ls2", "LS2"), ("hedges_ub", "UB")):
        effect = standardised_mean_difference(*arms, vtype=vtype)
        low, high = effect.confidence_interval(confidence_level)
        result[name] = (effect.yi, low, high)
    n1, n2 = np.asarray(treat_n, dtype=float), np.asarray(control_n, dtype=float)
    d = result["hedges_ls"][0] / hedges_correction(n1 + n2 - 2)
    half = z * np.sqrt(1 / n1 + 1 / n2 + d**2 / (2 * (n1 + n2)))
    result["cohen_d"] = (d, d - half, d + half)
    return result
