"""A printed test statistic with its df against the printed p (statcheck's rules, rounding-aware).

"t(28) = 2.20, p = .06": the p a t of 28 df gives is recomputed over the rounding interval of
the printed statistic (and of printed df with decimals, as Welch's) by the kernel the claim
check uses too (:mod:`reanalyse.kernels.statistic_p`), and the printed p is judged
by the rules of :mod:`reanalyse.screens.pvalues` (Nuijten et al. 2016).  Two-sided p throughout,
except on rows that declare ``one_sided`` (t, z and r only), where the two-sided p is halved as
for a result in the predicted direction.  How this differs from statcheck 1.4: rounding follows
the named convention (statcheck: half-up); a statistic printed as ``< 1`` or ``> 4`` is read as
the interval it states; ``p_zero`` and ``p_equal_alpha`` are options with statcheck's defaults;
no sentence is searched for "one-tailed" (see :mod:`reanalyse.screens.extract`).

Nuijten MB, Hartgerink CHJ, van Assen MALM, Epskamp S, Wicherts JM. The prevalence of
statistical reporting errors in psychology (1985-2013). Behav Res Methods 2016;48:1205-1226.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import join_text
from reanalyse.kernels.statistic_p import df_interval, magnitude_interval, statistic_p_interval
from reanalyse.screens.base import BAD_INPUT, CONSISTENT, Screen, ScreenResult, Field, \
    table_mapper
from reanalyse.screens.pvalues import P_OPTIONS, compare_printed_p

__all__ = ["STATISTIC", "statistic_consistency", "statistic_map", "STATISTIC_NAMES"]

#: Accepted spellings (lower case) -> statistic.
STATISTIC_NAMES = {
    "t": "t", "f": "F", "z": "z", "r": "r",
    "chi2": "chi2", "χ2": "chi2", "χ²": "chi2", "chi²": "chi2", "chi^2": "chi2", "x2": "chi2",
    "chisq": "chi2", "chi-square": "chi2", "chi-squared": "chi2", "chi square": "chi2",
}


def _one_of(statistic: np.ndarray, *names: str) -> np.ndarray:
    """Rows whose statistic is one of ``names`` (object arrays: compared, not sorted)."""
    return np.logical_or.reduce([statistic == name for name in names])


def _df_interval(column, rounding):
    low, high = column.interval(rounding)
    return df_interval(column.value, low, high, column.decimals)


def _run(columns, options):
    statistic, value, p = columns["statistic"], columns["value"], columns["p"]
    df1, df2, one_sided = columns["df1"], columns["df2"], columns["one_sided"]
    rounding = options["rounding"]
    rows = len(statistic)
    needed = np.select([statistic == "F", statistic == "z"], [2, 0], default=1)
    has_df1, has_df2 = df1.text != "", df2.text != ""
    number = value.number
    low, high = number.interval(rounding)
    printed = number.value
    problems = [
        ((needed >= 1) & ~has_df1, "df1 is empty: a t, F, chi2 or r statistic needs its degrees "
                                    "of freedom"),
        ((needed == 2) & ~has_df2, "df2 is empty: an F statistic needs two degrees of freedom"),
        ((needed >= 1) & has_df1 & (df1.value <= 0), "df1 must be positive"),
        ((needed == 2) & has_df2 & (df2.value <= 0), "df2 must be positive"),
        (_one_of(statistic, "F", "chi2") & (printed < 0), "an F or chi2 statistic cannot be "
                                                           "negative"),
        ((statistic == "r") & (np.abs(printed) > 1), "a correlation lies between -1 and 1"),
        (one_sided & _one_of(statistic, "F", "chi2"), "one-sided applies to t, z and r only"),
    ]
    reason = np.full(rows, None, dtype=object)
    for mask, message in reversed(problems):
        reason[mask] = message
    bad = ~np.equal(reason, None)

    # |statistic| interval: a printed "< v" means below v's upper end, "> v" above its lower end
    magnitude = magnitude_interval(statistic, printed, low, high, value.relation)
    ones = np.ones(rows)
    first = _df_interval(df1, rounding) if rows else (ones,) * 3
    second = _df_interval(df2, rounding) if rows else (ones,) * 3
    first = tuple(np.where(bad | (needed < 1), 1.0, d) for d in first)
    second = tuple(np.where(bad | (needed < 2), 1.0, d) for d in second)
    p_min, p_computed, p_max = statistic_p_interval(statistic, *magnitude, first, second,
                                                    one_sided)
    status, p_reason = compare_printed_p(p_min, p_computed, p_max, p, options)
    status = np.where(bad, BAD_INPUT, status).astype(np.int8)
    reason = np.where(bad, reason, p_reason)
    flagged = ~bad & (status != CONSISTENT)
    if flagged.any():
        label = _label(statistic[flagged], df1.text[flagged], df2.text[flagged],
                       value.number.text[flagged], one_sided[flagged])
        reason[flagged] = join_text(label, ": ", reason[flagged])
    for array in (p_min, p_computed, p_max):
        array[bad] = np.nan
    return {"status": status, "reason": reason, "p_min": p_min, "p_computed": p_computed,
            "p_max": p_max}


def _label(statistic, df1, df2, value, one_sided):
    """``t(28) = 2.20`` for the rows of a reason."""
    dfs = np.where(statistic == "F", join_text("(", df1, ", ", df2, ")"),
                   np.where(statistic == "z", "", join_text("(", df1, ")")))
    sided = np.where(one_sided, " (one-sided)", "")
    return join_text(statistic, dfs, " = ", value, sided)


STATISTIC = Screen(
    name="statistic",
    title="printed test statistic versus printed p (t, F, chi2, z, r with df)",
    reference="statcheck's rules (Nuijten et al. 2016, Behav Res Methods 48:1205-1226)",
    fields=(
        Field("statistic", "label", "statistic", labels=STATISTIC_NAMES),
        Field("df1", "printed", "first (or only) degrees of freedom; empty for z",
              default="", blank_ok=True),
        Field("df2", "printed", "second degrees of freedom (F only)", default="", blank_ok=True),
        Field("value", "related", "the printed statistic (text; \"< 1\" allowed)"),
        Field("p", "p", "the printed p (\"= .034\", \"< .05\", \"ns\")"),
        Field("one_sided", "flag", "true where the paper declares the test one-sided",
              default="false"),
    ),
    outputs={"p_min": "smallest p over the rounding of the statistic (and df)",
             "p_computed": "p at the printed statistic",
             "p_max": "largest p over the rounding of the statistic (and df)"},
    run=_run,
    options=P_OPTIONS,
)

statistic_map = table_mapper(STATISTIC)


def statistic_consistency(statistic: str, value: str, p: str, *, df1=None, df2=None,
                          one_sided: bool = False, alpha: float = 0.05,
                          p_equal_alpha: str = "significant", p_zero: str = "error",
                          rounding: str = "nearest") -> ScreenResult:
    """Whether a printed p fits the printed statistic and its degrees of freedom.

    Tests the printed result of a test of H0 (no effect) by recomputing its two-sided p (halved
    where ``one_sided``) over the rounding interval of the printed statistic.

    Parameters
    ----------
    statistic : {"t", "F", "chi2", "z", "r"}
    value : str
        The statistic as printed (``"2.20"``, ``"-2.35"``, ``"< 1"``).
    p : str
        The p as printed (``"= .06"``, ``"< .05"``, ``"ns"``).
    df1, df2 : str or int, optional
        Degrees of freedom (``df1`` for t, chi2, r; both for F; none for z).
    one_sided : bool
        The paper declares a one-sided test.
    alpha : float
        Significance level for decision errors and ``ns``.
    p_equal_alpha : {"significant", "not_significant"}
        How a printed p equal to alpha is read.
    p_zero : {"error", "rounded"}
        Whether ``p = .000`` is an error or reads as p < .0005.
    rounding : str
        Rounding convention of the printed numbers.

    Returns
    -------
    ScreenResult
        ``status`` ``consistent``, ``inconsistent`` or ``decision_error``; ``details`` holds
        ``p_min``, ``p_computed``, ``p_max``.

    Examples
    --------
    >>> statistic_consistency("t", "2.20", "= .06", df1=28).status
    'decision_error'
    """
    values = {"statistic": statistic, "value": value, "p": p,
              "df1": "" if df1 is None else df1, "df2": "" if df2 is None else df2,
              "one_sided": "true" if one_sided else "false"}
    return STATISTIC.scalar(values, {"alpha": alpha, "p_equal_alpha": p_equal_alpha,
                                     "p_zero": p_zero, "rounding": rounding})
