"""Student's t-test and the one-way ANOVA rebuilt from printed means, SDs and n, for many rows.

For k groups, F = [SSB / (k - 1)] / [SSW / (N - k)] with SSB = sum n_i (m_i - m)**2 (m the
weighted grand mean) and SSW = sum (n_i - 1) s_i**2; for two groups F = t**2 (Student's t, equal
variances).  Each printed mean and SD may be anything in its rounding interval, and the extremes
of F over that box are exact:

* SSW is increasing in every SD, so its extremes are at the SDs' interval ends;
* SSB is a convex quadratic in the means, so its maximum over the box is at a vertex (all 2**k
  are evaluated, k <= 7);
* its minimum is min over c of sum n_i d(c, [low_i, high_i])**2 (SSB is the smallest weighted
  sum of squares about any centre), a convex piecewise quadratic in one variable, minimised on
  each piece between consecutive interval ends in closed form.

p is decreasing in F, so ``p_min = sf(F_max)`` and ``p_max = sf(F_min)``.  These tests assume
independent groups, normal data and (Student, ANOVA) equal variances; they test H0: all
population means are equal.

:func:`anova_pvalues` is the vectorised core; :data:`REBUILT_T` (one row per comparison, two
arms side by side) and :data:`REBUILT_ANOVA` (one row per group, comparisons keyed) compare it
with a printed p.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from reanalyse.checks.continuous import between_group_ss, closest_means
from reanalyse.kernels.columns import PrintedColumn
from reanalyse.screens.factory import BAD_INPUT, Check, CheckResult, Field, table_mapper
from reanalyse.screens.pvalues import P_OPTIONS, compare_printed_p

__all__ = ["AnovaBounds", "anova_pvalues", "REBUILT_T", "REBUILT_ANOVA", "rebuilt_t",
           "rebuilt_t_map", "rebuilt_anova", "rebuilt_anova_map", "summary_box"]

#: Most groups a comparison may have (2**k vertices are evaluated).
MAX_GROUPS = 7


@dataclass(frozen=True)
class AnovaBounds:
    """F and p of the one-way ANOVA at the printed values and over the rounding box.

    Attributes
    ----------
    statistic, statistic_min, statistic_max : ndarray
        F at the printed values, and its smallest and largest value over the box.
    df1, df2 : ndarray
        k - 1 and N - k.
    p_computed, p_min, p_max : ndarray
        p at the printed values and its extremes over the box (p_computed is NaN where every
        SD is printed as 0 and the means are equal, where F is undefined).
    """

    statistic: np.ndarray
    statistic_min: np.ndarray
    statistic_max: np.ndarray
    df1: np.ndarray
    df2: np.ndarray
    p_computed: np.ndarray
    p_min: np.ndarray
    p_max: np.ndarray


def summary_box(column: PrintedColumn, rounding, *, non_negative: bool = False):
    """``(low, printed, high)`` float arrays of a printed column's rounding interval."""
    low, high = column.interval(rounding)
    if non_negative:
        low = np.maximum(low, 0.0)
    return low, column.value, high


def _ssb_max(low, high, n):
    """Largest SSB over the box of means: the best of its 2**k vertices."""
    k = low.shape[1]
    best = np.zeros(len(low))
    for vertex in range(2 ** k):
        upper = (vertex >> np.arange(k)) & 1 == 1
        best = np.maximum(best, between_group_ss(np.where(upper, high, low), n))
    return best


def _ssb_extremes(low, high, n, total):
    """Smallest and largest SSB over the box of means.

    For two groups SSB = n1 n2 / N (m1 - m2)**2, whose extremes are at the smallest
    difference (0 when the intervals meet) and the largest; for more, see the module
    docstring.
    """
    if low.shape[1] == 2:
        factor = n[:, 0] * n[:, 1] / total
        gap = np.maximum(np.maximum(low[:, 0] - high[:, 1], low[:, 1] - high[:, 0]), 0.0)
        spread = np.maximum(high[:, 0] - low[:, 1], high[:, 1] - low[:, 0])
        return factor * gap**2, factor * spread**2
    return between_group_ss(closest_means(low, high, n), n), _ssb_max(low, high, n)


def _packed(array, rows, order):
    if order is None:
        return array[rows]
    return np.take_along_axis(array[rows], order, axis=1)


def anova_pvalues(mean, sd, n, present) -> AnovaBounds:
    """One-way ANOVA (Student's t for two groups) over the rounding box, for many comparisons.

    Tests H0: the groups' population means are equal (normal data, equal variances).

    Parameters
    ----------
    mean, sd : tuple of 2-D float arrays
        ``(low, printed, high)``: comparisons x groups; SD lows at least 0.
    n : 2-D int array
        Group sizes (0 where ``present`` is false).
    present : 2-D bool array
        Which groups each comparison has (at least 2, at most :data:`MAX_GROUPS`).

    Returns
    -------
    AnovaBounds
    """
    rows = len(n)
    fields = {name: np.full(rows, np.nan) for name in AnovaBounds.__dataclass_fields__}
    k_all = present.sum(axis=1)
    counts = np.bincount(k_all, minlength=MAX_GROUPS + 1)[:MAX_GROUPS + 1]
    for k in np.flatnonzero(counts[2:]) + 2:
        at = slice(None) if counts[k] == rows else np.flatnonzero(k_all == k)
        # the k present groups of each comparison, packed to the left
        order = None if k == present.shape[1] else np.argsort(~present[at], axis=1,
                                                               kind="stable")[:, :k]
        weight = _packed(n, at, order).astype(float)
        total = weight.sum(axis=1)
        mean_low, mean_at, mean_high = (_packed(m, at, order) for m in mean)
        sd_low, sd_at, sd_high = (_packed(s, at, order) for s in sd)
        ssb_at = between_group_ss(mean_at, weight)
        ssb_min, ssb_max = _ssb_extremes(mean_low, mean_high, weight, total)
        within = weight - 1
        ssw_low = (within * sd_low**2).sum(axis=1)
        ssw_at = (within * sd_at**2).sum(axis=1)
        ssw_high = (within * sd_high**2).sum(axis=1)
        df1, df2 = float(k - 1), total - k
        with np.errstate(divide="ignore", invalid="ignore"):
            f_at = (ssb_at / df1) / (ssw_at / df2)
            f_max = (ssb_max / df1) / (ssw_low / df2)
            f_min = (ssb_min / df1) / (ssw_high / df2)
        f_max = np.where(np.isnan(f_max), np.inf, f_max)  # every SD may be 0
        f_min = np.nan_to_num(f_min, nan=0.0)              # means may coincide
        fields["statistic"][at] = f_at
        fields["statistic_min"][at] = f_min
        fields["statistic_max"][at] = f_max
        fields["df1"][at] = df1
        fields["df2"][at] = df2
        fields["p_computed"][at] = stats.f.sf(f_at, df1, df2)
        fields["p_min"][at] = stats.f.sf(f_max, df1, df2)
        fields["p_max"][at] = stats.f.sf(f_min, df1, df2)
    return AnovaBounds(**fields)


def _compare(bounds: AnovaBounds, p, options, problem):
    status, reason = compare_printed_p(bounds.p_min, bounds.p_computed, bounds.p_max, p, options)
    bad = ~np.equal(problem, None)
    status = np.where(bad, BAD_INPUT, status).astype(np.int8)
    reason = np.where(bad, problem, reason)
    return status, reason


def _groups_problem(n, present):
    problem = np.full(len(n), None, dtype=object)
    k = present.sum(axis=1)
    problem[k > MAX_GROUPS] = f"more than {MAX_GROUPS} groups"
    problem[k < 2] = "a comparison needs at least 2 groups"
    problem[(k >= 2) & (n.sum(axis=1) <= k)] = "the groups' n add up to no more than k"
    return problem


def _side_by_side(treat, control):
    return np.stack([treat, control], axis=1)


def _run_t(columns, options):
    rounding = options["rounding"]
    treat_mean = summary_box(columns["treat_mean"], rounding)
    control_mean = summary_box(columns["control_mean"], rounding)
    treat_sd = summary_box(columns["treat_sd"], rounding, non_negative=True)
    control_sd = summary_box(columns["control_sd"], rounding, non_negative=True)
    n = _side_by_side(columns["treat_n"], columns["control_n"])
    present = np.ones(n.shape, dtype=bool)
    bounds = anova_pvalues(tuple(map(_side_by_side, treat_mean, control_mean)),
                           tuple(map(_side_by_side, treat_sd, control_sd)), n, present)
    status, reason = _compare(bounds, columns["p"], options, _groups_problem(n, present))
    # Student's t at the printed values, signed treat - control
    t = np.sign(treat_mean[1] - control_mean[1]) * np.sqrt(bounds.statistic)
    return {"status": status, "reason": reason, "t": t, "df": bounds.df2,
            "p_min": bounds.p_min, "p_computed": bounds.p_computed, "p_max": bounds.p_max}


def _run_anova(columns, options):
    rounding = options["rounding"]
    present = columns["present"]
    n = np.where(present, columns["n"], 0)
    bounds = anova_pvalues(summary_box(columns["mean"], rounding),
                           summary_box(columns["sd"], rounding, non_negative=True), n, present)
    status, reason = _compare(bounds, columns["p"], options, _groups_problem(n, present))
    return {"status": status, "reason": reason, "F": bounds.statistic, "df1": bounds.df1,
            "df2": bounds.df2, "p_min": bounds.p_min, "p_computed": bounds.p_computed,
            "p_max": bounds.p_max}


_P_OUTPUTS = {"p_min": "smallest p over the rounding box of the means and SDs",
              "p_computed": "p at the printed means and SDs",
              "p_max": "largest p over the rounding box"}

REBUILT_T = Check(
    name="rebuilt_t",
    title="two-group Student's t rebuilt from means, SDs and n versus the printed p",
    reference="Student's t over the rounding box; printed p judged by statcheck's rules",
    fields=(
        Field("treat_mean", "printed", "first arm's printed mean"),
        Field("treat_sd", "printed", "first arm's printed SD", minimum=0),
        Field("treat_n", "whole", "first arm's n", minimum=1),
        Field("control_mean", "printed", "second arm's printed mean"),
        Field("control_sd", "printed", "second arm's printed SD", minimum=0),
        Field("control_n", "whole", "second arm's n", minimum=1),
        Field("p", "p", "the printed p of the comparison"),
    ),
    outputs={"t": "Student's t at the printed values (treat - control)",
             "df": "degrees of freedom (n1 + n2 - 2)", **_P_OUTPUTS},
    run=_run_t,
    options=P_OPTIONS,
)

REBUILT_ANOVA = Check(
    name="rebuilt_anova",
    title="one-way ANOVA (2 to 7 groups) rebuilt from means, SDs and n versus the printed p",
    reference="one-way ANOVA over the rounding box; printed p judged by statcheck's rules",
    fields=(
        Field("comparison", "key", "identifier shared by the rows (groups) of one comparison"),
        Field("mean", "printed", "the group's printed mean"),
        Field("sd", "printed", "the group's printed SD", minimum=0),
        Field("n", "whole", "the group's n", minimum=1),
        Field("p", "p", "the printed p of the comparison (on any one of its rows)",
              per_group=True),
    ),
    outputs={"F": "F at the printed values", "df1": "k - 1", "df2": "N - k", **_P_OUTPUTS},
    run=_run_anova,
    options=P_OPTIONS,
    group_key="comparison",
)

rebuilt_t_map = table_mapper(REBUILT_T)
rebuilt_anova_map = table_mapper(REBUILT_ANOVA)


def rebuilt_t(treat_mean: str, treat_sd: str, treat_n: int, control_mean: str,
              control_sd: str, control_n: int, p: str, *, alpha: float = 0.05,
              p_equal_alpha: str = "significant", p_zero: str = "error",
              rounding: str = "nearest") -> CheckResult:
    """Whether a printed p fits Student's t rebuilt from two arms' printed summaries.

    Tests H0: equal population means (normal data, equal variances), over every mean and SD in
    the printed numbers' rounding intervals; the printed p is judged as in
    :mod:`reanalyse.screens.pvalues`.

    Returns
    -------
    CheckResult
        ``details``: ``t``, ``df``, ``p_min``, ``p_computed``, ``p_max``.

    Examples
    --------
    >>> rebuilt_t("7.75", "2.18", 60, "9.20", "2.04", 60, "< .001").status
    'consistent'
    """
    return REBUILT_T.scalar(
        {"treat_mean": treat_mean, "treat_sd": treat_sd, "treat_n": treat_n,
         "control_mean": control_mean, "control_sd": control_sd, "control_n": control_n,
         "p": p},
        {"alpha": alpha, "p_equal_alpha": p_equal_alpha, "p_zero": p_zero,
         "rounding": rounding})


def rebuilt_anova(means, sds, ns, p: str, *, alpha: float = 0.05,
                  p_equal_alpha: str = "significant", p_zero: str = "error",
                  rounding: str = "nearest") -> CheckResult:
    """Whether a printed p fits the one-way ANOVA rebuilt from k groups' printed summaries.

    Parameters
    ----------
    means, sds : sequence of str
        Each group's printed mean and SD.
    ns : sequence of int
        Each group's n.
    p : str
        The printed p.

    Returns
    -------
    CheckResult
        ``details``: ``F``, ``df1``, ``df2``, ``p_min``, ``p_computed``, ``p_max``.
    """
    return REBUILT_ANOVA.scalar(
        {"mean": list(means), "sd": list(sds), "n": list(ns), "p": p},
        {"alpha": alpha, "p_equal_alpha": p_equal_alpha, "p_zero": p_zero,
         "rounding": rounding})
