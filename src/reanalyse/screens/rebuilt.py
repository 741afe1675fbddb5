"""Student's t-test and the one-way ANOVA rebuilt from printed means, SDs and n, for many rows.

Each printed mean and SD may be anything in its rounding interval; the F and p-interval of the
one-way ANOVA over that box (Student's t for two groups, F = t**2) are those of the kernel
:func:`reanalyse.kernels.anova.anova_pvalues`, exact for the at most :data:`MAX_GROUPS` groups
a comparison may have here.  These tests assume independent groups, normal data and equal
variances; they test H0: all population means are equal.

:func:`~reanalyse.kernels.anova.anova_pvalues` is the vectorised core; :data:`REBUILT_T` (one row per comparison, two
arms side by side) and :data:`REBUILT_ANOVA` (one row per group, comparisons keyed) compare it
with a printed p.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.anova import AnovaBounds, anova_pvalues
from reanalyse.kernels.columns import PrintedColumn
from reanalyse.screens.base import BAD_INPUT, Screen, ScreenResult, Field, table_mapper
from reanalyse.screens.pvalues import P_OPTIONS, compare_printed_p

__all__ = ["REBUILT_T", "REBUILT_ANOVA", "rebuilt_t",
           "rebuilt_t_map", "rebuilt_anova", "rebuilt_anova_map", "summary_box"]

#: Most groups a comparison may have.
MAX_GROUPS = 7


def summary_box(column: PrintedColumn, rounding, *, non_negative: bool = False):
    """``(low, printed, high)`` float arrays of a printed column's rounding interval."""
    low, high = column.interval(rounding)
    if non_negative:
        low = np.maximum(low, 0.0)
    return low, column.value, high


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

REBUILT_T = Screen(
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

REBUILT_ANOVA = Screen(
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
              rounding: str = "nearest") -> ScreenResult:
    """Whether a printed p fits Student's t rebuilt from two arms' printed summaries.

    Tests H0: equal population means (normal data, equal variances), over every mean and SD in
    the printed numbers' rounding intervals; the printed p is judged as in
    :mod:`reanalyse.screens.pvalues`.

    Returns
    -------
    ScreenResult
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
                  rounding: str = "nearest") -> ScreenResult:
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
    ScreenResult
        ``details``: ``F``, ``df1``, ``df2``, ``p_min``, ``p_computed``, ``p_max``.
    """
    return REBUILT_ANOVA.scalar(
        {"mean": list(means), "sd": list(sds), "n": list(ns), "p": p},
        {"alpha": alpha, "p_equal_alpha": p_equal_alpha, "p_zero": p_zero,
         "rounding": rounding})
