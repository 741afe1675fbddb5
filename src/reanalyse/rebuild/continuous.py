"""Tests of continuous outcomes rebuilt from each arm's printed n, mean and SD.

Every test is evaluated at the printed values and over the *rounding box*: each printed mean and
SD may be any value in its rounding interval.  How the extremes are found:

* Student's t and one-way ANOVA: F = [SSB / (k - 1)] / [SSW / (N - k)] separates into a part
  that depends only on the means (SSB) and one that depends only on the SDs (SSW, increasing in
  each SD), so its extremes need only the SD box's two corners.  SSB is a convex quadratic in
  the means: its minimum over the box is at ``m_i = clip(c, low_i, high_i)`` for the common
  value c found in closed form, its maximum at a vertex found among O(k) candidates rather
  than 2**k (:mod:`reanalyse.kernels.anova`, the kernel the screens use too).  The p-interval
  is therefore exact.  One-sided t-tests use the signed difference's extremes.
* Welch's t and Welch's ANOVA: the degrees of freedom depend on the SDs too.  For each SD row
  tried, Welch's F is a weighted SSB of the means over a function of the SDs, so its mean
  extremes are exact as above; the SDs are tried at every vertex of the SD box (up to k = 6;
  beyond, the all-low and all-high corners).  Because printed SDs are rounded to a small
  fraction of their size, p varies smoothly and almost linearly over the SD box, and the
  vertices give its extremes; this is a documented approximation, not a proof.

The functions take role-named summaries, not raw data; their hypotheses are those of the usual
tests (independent arms, normal outcomes; equal variances for Student's t and the classical
ANOVA).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.anova import anova_pvalues, ssb_range
from reanalyse.kernels.distributions import f_sf, norm_ppf, t_cdf, t_sf
from reanalyse.kernels.effect_sizes import standardised_mean_difference_values
from reanalyse.kernels import mean_intervals
from reanalyse.kernels.mean_intervals import md_intervals, welch_df
from reanalyse.rebuild.results import Effect, SpecResult, decide
from reanalyse.model import tests

__all__ = ["ArmBox", "box_corners", "two_sample_tests", "k_sample_tests", "mean_difference", "mean_differences",
           "welch_df", "hedges_g"]


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
    def from_arm(cls, summary, rounding) -> "ArmBox":
        """The box of a :class:`~reanalyse.model.study.ContinuousArm` with n, a mean (or CI) and a
        spread printed, read under ``rounding``.

        An SD printed as 0 (``0.0``) rounds from a positive SD: its box is (0, upper], with the
        lower end kept at 1e-12 so that t stays finite (p_min is then 0 to float precision),
        and its value at the printed numbers is taken at the middle of that interval, where
        the statistics are defined."""
        mean, mean_low, mean_high = summary.mean_bounds(rounding)
        sd, sd_low, sd_high = summary.sd_bounds(rounding)
        sd_low = max(sd_low, 1e-12)
        if sd <= 0:
            sd = (sd_low + sd_high) / 2
        return cls(summary.n, mean, mean_low, mean_high, sd, sd_low, sd_high)


#: Which end each row of :func:`box_corners` takes (0 printed, 1 low, 2 high) of the treatment
#: mean, treatment SD, control mean and control SD: the printed point, then the 16 corners;
#: as positions in the flattened 4 x 3 array of those ends.
_CORNERS = 3 * np.arange(4)[:, None] + np.array(
    [(0, 0, 0, 0)] + [(m1, s1, m2, s2) for m1 in (1, 2) for s1 in (1, 2) for m2 in (1, 2)
                      for s2 in (1, 2)]).T


def box_corners(treat: ArmBox, control: ArmBox) -> tuple[np.ndarray, ...]:
    """The printed point (row 0) and the 16 corners of two arms' mean and SD boxes, as the
    arrays ``(treat_mean, treat_sd, control_mean, control_sd)``."""
    ends = np.array([(treat.mean, treat.mean_low, treat.mean_high),
                     (treat.sd, treat.sd_low, treat.sd_high),
                     (control.mean, control.mean_low, control.mean_high),
                     (control.sd, control.sd_low, control.sd_high)])
    return tuple(ends.ravel()[_CORNERS])


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
    candidates = _t_candidates(treat, control, alternative)
    d = np.array([treat.mean - control.mean] + [diff for diff in candidates for _ in range(4)])
    s1 = np.array([treat.sd] + [treat.sd_low, treat.sd_low, treat.sd_high, treat.sd_high]
                  * len(candidates))
    s2 = np.array([control.sd] + [control.sd_low, control.sd_high] * (2 * len(candidates)))
    square1, square2 = s1**2, s2**2
    v1, v2 = square1 / n1, square2 / n2

    df_student = n1 + n2 - 2
    pooled = ((n1 - 1) * square1 + (n2 - 1) * square2) / df_student
    # row 0 Student's t, row 1 Welch's, each over the grid
    t = np.array([d / np.sqrt(pooled * (1 / n1 + 1 / n2)), d / np.sqrt(v1 + v2)])
    df = np.array([np.full_like(d, df_student), welch_df(v1, v2, n1, n2)])
    p = _p_from_t(t, df, alternative)
    extremes = zip(*(x.tolist() for x in (t[:, 0], p[:, 0], p.min(axis=1), p.max(axis=1),
                                          t.min(axis=1), t.max(axis=1), df[:, 0])))
    student, welch = (
        SpecResult(name=name, label=tests.label(name), statistic=t_at, p=p_at, p_min=p_min,
                   p_max=p_max, significant=decide(p_min, p_max, alpha), statistic_min=t_min,
                   statistic_max=t_max, df=(df_at,))
        for name, (t_at, p_at, p_min, p_max, t_min, t_max, df_at)
        in zip((tests.STUDENT_T, tests.WELCH_T), extremes))
    return student, welch


def k_sample_tests(arms: tuple[ArmBox, ...], *, alpha: float = 0.05
                   ) -> tuple[SpecResult, SpecResult]:
    """One-way ANOVA (equal variances) and Welch's ANOVA from k arms' summaries.

    Tests H0: all k population means are equal, against: at least two differ.

    The classical F = [SSB / (k - 1)] / [SSW / (N - k)] is a function of the means (SSB, >= 0)
    divided by a function of the SDs (SSW = sum (n_i - 1) s_i**2 > 0, increasing in each SD).
    So over the box, F is largest at the largest SSB with every SD at its low end and
    smallest at the smallest SSB with every SD at its high end: two corners of the SD box,
    not its 2**k vertices.  The SSB extremes over the box of means are those of
    :func:`reanalyse.kernels.anova.ssb_range` (exact, or a guaranteed bound for the largest
    when the search would be too large; the note says so).  Welch's F is likewise a weighted
    SSB of the means (weights n_i / s_i**2) over a function of the SDs, so for each SD row
    tried its mean extremes are found the same way; over the SDs it is searched at the box's
    vertices (up to k = 6; beyond, at its two corners), a documented approximation.

    Returns
    -------
    anova, welch : SpecResult
        Named ``anova_f`` and ``welch_anova``.
    """
    k = len(arms)
    n = np.array([a.n for a in arms], dtype=float)
    printed_means = np.array([a.mean for a in arms])
    printed_sds = np.array([a.sd for a in arms])
    lows = np.array([a.mean_low for a in arms])
    highs = np.array([a.mean_high for a in arms])

    # Classical ANOVA: the kernel's extremes over the box (exact unless the largest SSB is
    # only bounded)
    box = anova_pvalues(
        (lows[None], printed_means[None], highs[None]),
        (np.array([[a.sd_low for a in arms]]), printed_sds[None],
         np.array([[a.sd_high for a in arms]])), n[None])
    exact = bool(box.exact[0])
    f_printed, f_min, f_max = (float(box.statistic[0]), float(box.statistic_min[0]),
                               float(box.statistic_max[0]))
    p_printed, p_min, p_max = float(box.p_computed[0]), float(box.p_min[0]), float(box.p_max[0])
    df1, df2 = k - 1, float(box.df2[0])
    bounded = "" if exact else ("the largest F is a guaranteed upper bound (too many arms "
                                "with overlapping means to search exactly), so p_min is a "
                                "lower bound")
    anova = SpecResult(name=tests.ANOVA_F, label=tests.label(tests.ANOVA_F), statistic=f_printed,
                       p=p_printed, p_min=p_min, p_max=p_max,
                       significant=decide(p_min, p_max, alpha),
                       statistic_min=f_min, statistic_max=f_max,
                       df=(float(df1), df2), **({"note": bounded} if bounded else {}))

    # Welch's ANOVA: per SD row, the mean extremes of its weighted SSB; row 0 = printed.
    sd_rows = np.vstack([printed_sds, _sd_vertices(arms)])
    f_printed_welch, df2_printed = _welch_anova(printed_means[None, :], printed_sds[None, :], n)
    weight = n / sd_rows**2
    low_ssb, high_ssb, row_exact = ssb_range(np.broadcast_to(lows, weight.shape),
                                             np.broadcast_to(highs, weight.shape), weight)
    scale, df2_rows = _welch_denominator(sd_rows, n)
    f = np.concatenate([f_printed_welch, low_ssb / (k - 1) / scale,
                        high_ssb / (k - 1) / scale])
    df2_welch = np.concatenate([df2_printed, df2_rows, df2_rows])
    p = f_sf(f, df1, df2_welch)
    note = "extremes searched over the vertices of the SDs' rounding box"
    if not (exact and row_exact.all()):
        note += "; the largest F is a guaranteed upper bound"
    welch = SpecResult(name=tests.WELCH_ANOVA, label=tests.label(tests.WELCH_ANOVA),
                       statistic=float(f[0]), p=float(p[0]), p_min=float(p.min()),
                       p_max=float(p.max()),
                       significant=decide(float(p.min()), float(p.max()), alpha),
                       statistic_min=float(f.min()), statistic_max=float(f.max()),
                       df=(float(df1), float(df2_welch[0])), note=note)
    return anova, welch


def _welch_denominator(sds: np.ndarray, n: np.ndarray):
    """Welch's (1951) denominator B and denominator df for rows of SDs (they depend on the SDs
    only)."""
    k = len(n)
    w = n / sds**2
    tmp = (((1 - w / w.sum(axis=1, keepdims=True)) ** 2) / (n - 1)).sum(axis=1)
    return 1 + 2 * (k - 2) / (k**2 - 1) * tmp, (k**2 - 1) / (3 * tmp)


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


def mean_differences(treat: ArmBox, control: ArmBox, *, confidence_level: float = 0.95,
                     rows: dict | None = None) -> tuple[Effect, Effect]:
    """The difference in means (treat - control) with its pooled-variance (Student) and its
    Welch t interval (R's ``t.test`` with and without ``var.equal = TRUE``), from one call of
    :func:`reanalyse.kernels.mean_intervals.md_intervals` (or from ``rows`` of it whose first
    row is at the printed numbers)."""
    if rows is None:
        rows = md_intervals(treat.mean, treat.sd, treat.n, control.mean, control.sd,
                            control.n, confidence_level=confidence_level)
    effects = []
    for method, label in ((mean_intervals.POOLED_T, "pooled-variance t interval"),
                          (mean_intervals.WELCH_T, "Welch t interval")):
        diff, low, high = (float(x.flat[0]) for x in rows[method])
        effects.append(Effect("MD", diff, low, high, confidence_level, label))
    return effects[0], effects[1]


def mean_difference(treat: ArmBox, control: ArmBox, *, equal_var: bool = True,
                    confidence_level: float = 0.95) -> Effect:
    """Difference in means (treat - control) with the t-based confidence interval.

    ``equal_var=True`` gives the pooled-variance interval of Student's test (R's
    ``t.test(var.equal = TRUE)``); ``False`` the Welch interval (:func:`mean_differences`).
    """
    pooled, welch = mean_differences(treat, control, confidence_level=confidence_level)
    return pooled if equal_var else welch


def hedges_g(treat: ArmBox, control: ArmBox, *, confidence_level: float = 0.95) -> Effect:
    """Hedges' g (treat - control) with a normal-approximation confidence interval.

    g = J(n1 + n2 - 2) * d with d the difference over the pooled SD and J the exact correction;
    its sampling variance is 1/n1 + 1/n2 + g**2 / (2 (n1 + n2)), as metafor's ``escalc("SMD")``
    (:func:`reanalyse.kernels.effect_sizes.standardised_mean_difference_values`; the box's
    summaries are checked already).
    """
    g, vi = standardised_mean_difference_values(
        *(np.array([value], dtype=float) for value in (treat.mean, treat.sd, treat.n,
                                                        control.mean, control.sd, control.n)))
    half = norm_ppf((1 + confidence_level) / 2) * np.sqrt(vi)
    return Effect("SMD", float(g[0]), float(g[0] - half[0]), float(g[0] + half[0]),
                  confidence_level,
                  "Hedges' g, exact correction; normal interval (as metafor escalc SMD)")
