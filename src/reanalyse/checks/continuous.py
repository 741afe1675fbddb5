"""Tests of continuous outcomes rebuilt from each arm's printed n, mean and SD.

Every test is evaluated at the printed values and over the *rounding box*: each printed mean and
SD may be any value in its rounding interval.  How the extremes are found:

* Student's t and one-way ANOVA: F = [SSB / (k - 1)] / [SSW / (N - k)] separates into a part
  that depends only on the means (SSB) and one that depends only on the SDs (SSW, increasing in
  each SD).  SSB is a convex quadratic in the means, so its maximum over the box is at a vertex
  (all 2**k are evaluated) and its minimum is at ``m_i = clip(c, low_i, high_i)`` for the common
  value c found in closed form by :func:`closest_means`.  The p-interval is therefore exact.  One-sided t-tests use the signed difference's extremes.
* Welch's t and Welch's ANOVA: the degrees of freedom depend on the SDs too, so the extremes
  are searched over the same mean candidates crossed with every vertex of the SD box (up to
  k = 6; beyond, the all-low and all-high SD corners).  Because printed SDs are rounded to a
  small fraction of their size, p varies smoothly and almost linearly over the box, and the
  vertices give its extremes; this is a documented approximation, not a proof.

The functions take role-named summaries, not raw data; their hypotheses are those of the usual
tests (independent arms, normal outcomes; equal variances for Student's t and the classical
ANOVA).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from reanalyse.kernels.distributions import f_sf, norm_ppf, t_cdf, t_ppf, t_sf
from reanalyse.checks.results import Effect, SpecResult, decide

__all__ = ["ArmBox", "two_sample_tests", "k_sample_tests", "mean_difference", "hedges_g",
           "hedges_correction"]


@dataclass(frozen=True)
class ArmBox:
    """One arm's summary with the rounding intervals of its mean and SD."""

    n: int
    mean: float
    mean_low: float
    mean_high: float
    sd: float
    sd_low: float
    sd_high: float

    @classmethod
    def from_arm(cls, summary) -> "ArmBox":
        """The box of a :class:`~reanalyse.model.study.ContinuousArm` with n, a mean (or CI) and a
        spread printed, read under the summary's own rounding.

        An SD printed as 0 (``0.0``) rounds from a positive SD: its box is (0, upper], with the
        lower end kept at 1e-12 so that t stays finite (p_min is then 0 to float precision),
        and its value at the printed numbers is taken at the middle of that interval, where
        the statistics are defined."""
        mean, mean_low, mean_high = summary.mean_bounds()
        sd, sd_low, sd_high = summary.sd_bounds()
        sd_low = max(sd_low, 1e-12)
        if sd <= 0:
            sd = (sd_low + sd_high) / 2
        return cls(summary.n, mean, mean_low, mean_high, sd, sd_low, sd_high)


def _p_from_t(t, df, alternative):
    if alternative == "two-sided":
        return 2 * t_sf(np.abs(t), df)
    if alternative == "greater":
        return t_sf(t, df)
    return t_cdf(t, df)


def _sd_vertices(arms: tuple[ArmBox, ...]) -> np.ndarray:
    """Rows of SD values to evaluate: every vertex of the SD box (corners only beyond k = 6)."""
    if len(arms) <= 6:
        return np.array(list(itertools.product(*[(a.sd_low, a.sd_high) for a in arms])))
    return np.array([[a.sd_low for a in arms], [a.sd_high for a in arms]])


def _t_candidates(treat: ArmBox, control: ArmBox, alternative: str) -> list[float]:
    """Mean differences at which the extremes of p lie (see module docstring)."""
    low = treat.mean_low - control.mean_high
    high = treat.mean_high - control.mean_low
    candidates = [low, high]
    if alternative == "two-sided" and low < 0 < high:
        candidates.append(0.0)
    return candidates


def two_sample_tests(treat: ArmBox, control: ArmBox, *, alternative: str = "two-sided",
                     alpha: float = 0.05) -> tuple[SpecResult, SpecResult]:
    """Student's and Welch's two-sample t-tests over the rounding box.

    Tests H0: the two arms' population means are equal, against ``alternative`` for
    ``treat - control`` (``two-sided``, ``greater`` or ``less``).  Student's test assumes equal
    variances; Welch's does not (Satterthwaite degrees of freedom).

    Returns
    -------
    student, welch : SpecResult
        Named ``student_t`` and ``welch_t``.
    """
    n1, n2 = treat.n, control.n
    # grid: every candidate difference with every SD vertex; row 0 = printed values
    d, s1, s2 = np.array(
        [(treat.mean - control.mean, treat.sd, control.sd)]
        + [(diff, sd1, sd2) for diff in _t_candidates(treat, control, alternative)
           for sd1 in (treat.sd_low, treat.sd_high) for sd2 in (control.sd_low, control.sd_high)]
    ).T
    v1, v2 = s1**2 / n1, s2**2 / n2

    df_student = n1 + n2 - 2
    pooled = ((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / df_student
    t_student = d / np.sqrt(pooled * (1 / n1 + 1 / n2))
    t_welch = d / np.sqrt(v1 + v2)
    df_welch = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))

    results = []
    for name, label, t, df in (("student_t", "Student's t-test", t_student,
                                np.full_like(d, df_student)),
                               ("welch_t", "Welch's t-test", t_welch, df_welch)):
        p = _p_from_t(t, df, alternative)
        results.append(SpecResult(
            name=name, label=label, statistic=float(t[0]), p=float(p[0]),
            p_min=float(p.min()), p_max=float(p.max()),
            significant=decide(float(p.min()), float(p.max()), alpha),
            statistic_min=float(t.min()), statistic_max=float(t.max()), df=(float(df[0]),)))
    return results[0], results[1]


def between_group_ss(means: np.ndarray, n: np.ndarray) -> np.ndarray:
    """SSB = sum n_i (m_i - m)**2 about the n-weighted grand mean m, over the last axis.

    ``means`` is groups or rows x groups; ``n`` the group sizes, broadcast against it.
    """
    n = np.asarray(n, dtype=float)
    grand = (means * n).sum(axis=-1, keepdims=True) / n.sum(axis=-1, keepdims=True)
    return (n * (means - grand) ** 2).sum(axis=-1)


def closest_means(low: np.ndarray, high: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The means in each box ``[low_i, high_i]`` (rows x groups) with the smallest SSB.

    SSB is the smallest n-weighted sum of squares about any centre, so its minimum over the box
    is min over c of sum n_i d(c, [low_i, high_i])**2, reached at m_i = clip(c, low_i, high_i).
    That function of c is a convex quadratic on each piece between consecutive interval ends
    (the intervals wholly above or below c are fixed there), minimised in closed form at the
    n-weighted mean of those intervals' near ends, clipped to the piece; the best piece gives c.
    """
    low, high = np.atleast_2d(low), np.atleast_2d(high)
    n = np.broadcast_to(np.asarray(n, dtype=float), low.shape)
    ends = np.sort(np.concatenate([low, high], axis=1), axis=1)
    left, right = ends[:, :-1], ends[:, 1:]
    middle = (left + right)[..., None] / 2                      # rows x pieces x 1
    above = low[:, None, :] > middle                            # intervals above the piece
    below = high[:, None, :] < middle
    weight = n[:, None, :] * (above | below)
    pull = (n[:, None, :] * np.where(above, low[:, None, :], 0.0)
            + n[:, None, :] * np.where(below, high[:, None, :], 0.0)).sum(axis=2)
    mass = weight.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.clip(np.where(mass > 0, pull / mass, left), left, right)
    distance = np.maximum(low[:, None, :] - centre[..., None], 0) + np.maximum(
        centre[..., None] - high[:, None, :], 0)
    best = (n[:, None, :] * distance**2).sum(axis=2).argmin(axis=1)
    common = centre[np.arange(len(centre)), best]
    return np.clip(common[:, None], low, high)


def k_sample_tests(arms: tuple[ArmBox, ...], *, alpha: float = 0.05
                   ) -> tuple[SpecResult, SpecResult]:
    """One-way ANOVA (equal variances) and Welch's ANOVA from k arms' summaries.

    Tests H0: all k population means are equal, against: at least two differ.

    Returns
    -------
    anova, welch : SpecResult
        Named ``anova_f`` and ``welch_anova``.
    """
    k = len(arms)
    n = np.array([a.n for a in arms], dtype=float)
    big_n = n.sum()
    printed_means = np.array([a.mean for a in arms])
    printed_sds = np.array([a.sd for a in arms])
    vertices = np.array(list(itertools.product(*[(a.mean_low, a.mean_high) for a in arms])))
    lows = np.array([a.mean_low for a in arms])
    highs = np.array([a.mean_high for a in arms])
    mean_rows = np.vstack([printed_means, closest_means(lows, highs, n), vertices])

    # Classical ANOVA: exact extremes (module docstring).
    ssw_low = ((n - 1) * np.array([a.sd_low for a in arms]) ** 2).sum()
    ssw_high = ((n - 1) * np.array([a.sd_high for a in arms]) ** 2).sum()
    ssw_printed = ((n - 1) * printed_sds**2).sum()
    ssb = between_group_ss(mean_rows, n)
    df1, df2 = k - 1, big_n - k
    f_printed = (ssb[0] / df1) / (ssw_printed / df2)
    f_min = (ssb[1] / df1) / (ssw_high / df2)
    f_max = (ssb[2:].max() / df1) / (ssw_low / df2)
    p_printed, p_min, p_max = f_sf([f_printed, f_max, f_min], df1, df2)
    anova = SpecResult(name="anova_f", label="one-way ANOVA", statistic=float(f_printed),
                       p=float(p_printed), p_min=float(p_min), p_max=float(p_max),
                       significant=decide(float(p_min), float(p_max), alpha),
                       statistic_min=float(f_min), statistic_max=float(f_max),
                       df=(float(df1), float(df2)))

    # Welch's ANOVA over mean candidates x SD vertices; row 0 = printed values.
    sd_rows = np.vstack([printed_sds, _sd_vertices(arms)])
    means = np.repeat(mean_rows, len(sd_rows), axis=0)
    sds = np.tile(sd_rows, (len(mean_rows), 1))
    f, df2_welch = _welch_anova(means, sds, n)
    p = f_sf(f, df1, df2_welch)
    welch = SpecResult(name="welch_anova", label="Welch's ANOVA", statistic=float(f[0]),
                       p=float(p[0]), p_min=float(p.min()), p_max=float(p.max()),
                       significant=decide(float(p.min()), float(p.max()), alpha),
                       statistic_min=float(f.min()), statistic_max=float(f.max()),
                       df=(float(df1), float(df2_welch[0])),
                       note="extremes searched over the vertices of the rounding box")
    return anova, welch


def _welch_anova(means: np.ndarray, sds: np.ndarray, n: np.ndarray):
    """Welch's (1951) F and denominator df for rows of means and SDs."""
    k = means.shape[1]
    w = n / sds**2
    total = w.sum(axis=1, keepdims=True)
    grand = (w * means).sum(axis=1, keepdims=True) / total
    a = (w * (means - grand) ** 2).sum(axis=1) / (k - 1)
    tmp = (((1 - w / total) ** 2) / (n - 1)).sum(axis=1)
    b = 1 + 2 * (k - 2) / (k**2 - 1) * tmp
    return a / b, (k**2 - 1) / (3 * tmp)


def mean_difference(treat: ArmBox, control: ArmBox, *, equal_var: bool = True,
                    confidence_level: float = 0.95) -> Effect:
    """Difference in means (treat - control) with the t-based confidence interval.

    ``equal_var=True`` gives the pooled-variance interval of Student's test (R's
    ``t.test(var.equal = TRUE)``); ``False`` the Welch interval.
    """
    n1, n2 = treat.n, control.n
    diff = treat.mean - control.mean
    if equal_var:
        df = n1 + n2 - 2
        pooled = ((n1 - 1) * treat.sd**2 + (n2 - 1) * control.sd**2) / df
        se = math.sqrt(pooled * (1 / n1 + 1 / n2))
        method = "pooled-variance t interval"
    else:
        v1, v2 = treat.sd**2 / n1, control.sd**2 / n2
        se = math.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        method = "Welch t interval"
    half = t_ppf((1 + confidence_level) / 2, df) * se
    return Effect("MD", diff, float(diff - half), float(diff + half), confidence_level, method)


def hedges_correction(df: float) -> float:
    """Exact small-sample correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2)) (Hedges 1981)."""
    return math.exp(special.gammaln(df / 2) - 0.5 * math.log(df / 2)
                    - special.gammaln((df - 1) / 2))


def hedges_g(treat: ArmBox, control: ArmBox, *, confidence_level: float = 0.95) -> Effect:
    """Hedges' g (treat - control) with a normal-approximation confidence interval.

    g = J(n1 + n2 - 2) * d with d the difference over the pooled SD and J the exact correction;
    its sampling variance is 1/n1 + 1/n2 + g**2 / (2 (n1 + n2)), as metafor's ``escalc("SMD")``.
    """
    n1, n2 = treat.n, control.n
    df = n1 + n2 - 2
    pooled_sd = math.sqrt(((n1 - 1) * treat.sd**2 + (n2 - 1) * control.sd**2) / df)
    g = hedges_correction(df) * (treat.mean - control.mean) / pooled_sd
    variance = 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))
    half = norm_ppf((1 + confidence_level) / 2) * math.sqrt(variance)
    return Effect("SMD", g, float(g - half), float(g + half), confidence_level,
                  "Hedges' g, exact correction; normal interval (as metafor escalc SMD)")
