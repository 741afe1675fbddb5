"""Carlisle's baseline screen: is each trial's baseline table as random as randomisation makes it?

For every baseline variable of a trial, the groups are compared by the test its summaries allow,
rebuilt over the rounding of the printed numbers (p at the printed values and its minimum and
maximum over the rounding box):

* ``continuous`` rows (mean and SD): one-way ANOVA, which is Student's t for two groups
  (:func:`reanalyse.kernels.anova.anova_pvalues`, exact extremes);
* ``percent`` rows (the ``mean`` column holds the percentage of the group's n): Pearson's
  chi-square test of the k x 2 table, with every count that prints as the percentage
  (:func:`reanalyse.screens.percent.percent_counts`); its extremes are found by enumerating
  every table of the count box (up to ``max_tables`` tables per variable).  Larger boxes are
  marked ``exact = False``: the largest chi-square (p_min) is still exact, at a corner of the
  box, and the smallest (p_max) is bounded by the minimum over real-valued counts
  (:func:`chi_square_floor`), so p_max is an upper bound of the largest p.

Per trial, the variables' p-values are combined by Stouffer's method
(:func:`reanalyse.kernels.combine.stouffer_by_group`; Carlisle 2017).  The combined p is increasing in
every p, so combining the p_min (p_max) of the variables gives the smallest (largest) trial p
over the rounding (a bound that may be wider where a variable's p_max is only an upper bound).
For the trial's central p, a variable whose printed values give p = 1 or p = 0 exactly (means
printed equal, SDs printed as 0) enters at the midpoint of its p-interval (``p_stouffer``,
:func:`reanalyse.kernels.combine.central_pvalue`), a mid-p for a tie that rounding made: left at
1 or 0 it would decide the trial's Stouffer p on its own (its z is infinite).  The ends of the
interval follow the kernel's one rule for p = 0 and p = 1.  Under H0 (random allocation, independent variables) trial p-values are
uniform: an excess near 0 says groups differ more than chance allows, near 1 that they are more
alike.  A trial is ``flagged`` when its whole p-interval lies below ``flag_alpha`` or above
``1 - flag_alpha``.  Baseline variables are rarely independent (weight and BMI), which makes
trial p-values spread further towards 0 and 1 than uniform: a flag is a reason to look, not a
finding.

Carlisle JB. Data fabrication and other reasons for non-random sampling in 5087 randomised,
controlled trials in anaesthetic and general medical journals. Anaesthesia 2017;72:944-952.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from reanalyse.errors import OptionError
from reanalyse.kernels.combine import central_pvalue, stouffer_by_group
from reanalyse.kernels.printed import Rounding
from reanalyse.screens.base import Field, describe_problems, first_by_group, group_layout, \
    read_fields, resolve_columns
from reanalyse.kernels.granularity import percent_counts
from reanalyse.kernels.anova import anova_pvalues
from reanalyse.kernels.twobytwo import PEARSON_CHI2
from reanalyse.model import tests
from reanalyse.screens.rebuilt import MAX_GROUPS, summary_box

__all__ = ["BASELINE_FIELDS", "BaselineScreen", "baseline_screen", "chi_square_counts",
           "chi_square_bounds", "chi_square_floor", "json_records"]

BASELINE_FIELDS = (
    Field("trial", "key", "the trial (a study's identifier)"),
    Field("variable", "key", "the baseline variable (row of the baseline table)"),
    Field("group", "key", "the randomised group (column of the baseline table)", default=""),
    Field("n", "whole", "participants in the group", minimum=1),
    Field("mean", "printed", "the printed mean, or for percent rows the printed percentage"),
    Field("sd", "printed", "the printed SD (continuous rows; ignored for percent rows)",
          blank_ok=True, minimum=0),
    Field("statistic", "label", "kind of row", default="continuous",
          labels={"continuous": "continuous", "mean": "continuous", "percent": "percent",
                  "percentage": "percent", "%": "percent"}),
)

#: Columns of :attr:`BaselineScreen.variables`.
VARIABLE_COLUMNS = {
    "trial": "the trial", "variable": "the baseline variable",
    "kind": "continuous or percent", "groups": "number of groups",
    "test": "student_t (2 groups), anova_f (3 to 7) or pearson_chi2 (percent rows)",
    "statistic": "t**2 = F, F or chi-square at the printed values",
    "df1": "numerator df (k - 1)", "df2": "denominator df (N - k; empty for chi-square)",
    "p_min": "smallest p over the rounding", "p_computed": "p at the printed values",
    "p_max": "largest p over the rounding",
    "p_stouffer": "p entering the trial's central combination: p_computed, or the midpoint of "
                  "[p_min, p_max] where p_computed is exactly 0 or 1",
    "exact": "whether p_min and p_max are exact (false: count box too large to enumerate; "
             "p_min is exact and p_max an upper bound)",
    "status": "computed, undefined (no test statistic, e.g. every SD printed as 0) or bad_input",
    "reason": "what was wrong or approximated",
}
#: Columns of :attr:`BaselineScreen.trials`.
TRIAL_COLUMNS = {
    "trial": "the trial", "variables": "variables combined (those with a p)",
    "excluded": "variables without a p (bad input or undefined)",
    "statistic": "Stouffer's Z of the variables' p_stouffer",
    "p": "combined p of the variables' p_stouffer",
    "p_min": "combined p of the variables' p_min", "p_max": "combined p of the variables' p_max",
    "exact": "whether every variable's p_min and p_max is exact (false: p_max is an upper bound)",
    "flagged": "whole p-interval below flag_alpha or above 1 - flag_alpha",
    "direction": "dissimilar (p near 0) or similar (p near 1) for flagged trials",
}


@dataclass(frozen=True)
class BaselineScreen:
    """The result of :func:`baseline_screen`.

    Attributes
    ----------
    variables : pandas.DataFrame
        One row per (trial, variable): see :data:`VARIABLE_COLUMNS`.
    trials : pandas.DataFrame
        One row per trial: see :data:`TRIAL_COLUMNS`.
    flag_alpha : float
        The flagging threshold used.
    """

    variables: pd.DataFrame
    trials: pd.DataFrame
    flag_alpha: float

    def distribution(self, bins: int = 10) -> pd.DataFrame:
        """Trial p-values in equal bins of [0, 1], with the count expected if they were
        uniform."""
        p = self.trials["p"].dropna().to_numpy()
        counts, edges = np.histogram(p, bins=bins, range=(0.0, 1.0))
        return pd.DataFrame({"p_from": edges[:-1], "p_to": edges[1:], "trials": counts,
                             "expected": len(p) / bins})

    def summary(self) -> dict:
        """Counts: trials, variables, flagged trials (each direction), and the share of trial
        p-values within 0.05 of 0 or 1 (10% expected; Carlisle 2017 compares this share)."""
        p = self.trials["p"].dropna()
        flagged = self.trials["flagged"]
        return {
            "trials": int(len(self.trials)),
            "trials_with_p": int(len(p)),
            "variables": int(len(self.variables)),
            "variables_with_p": int(self.variables["status"].eq("computed").sum()),
            "flagged": int(flagged.sum()),
            "flagged_share": float(flagged.mean()) if len(flagged) else float("nan"),
            "flagged_dissimilar": int(self.trials["direction"].eq("dissimilar").sum()),
            "flagged_similar": int(self.trials["direction"].eq("similar").sum()),
            "share_within_05_of_0_or_1": float(((p < 0.05) | (p > 0.95)).mean())
            if len(p) else float("nan"),
            "flag_alpha": self.flag_alpha,
        }

    def to_dict(self) -> dict:
        """JSON-ready form: the summary, and both tables as lists of records."""
        return {"summary": self.summary(),
                "trials": json_records(self.trials), "variables": json_records(self.variables)}


def json_records(frame: pd.DataFrame) -> list[dict]:
    """A table as JSON-ready records: missing values as None, infinities as text."""
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, float) and not math.isfinite(value):
                record[key] = str(value)
    return records


def chi_square_counts(counts: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pearson's chi-square of k x 2 tables (events, non-events per group), rows of tables.

    ``counts`` and ``n`` are (tables x k), absent groups with n = 0.  A table with no events or
    only events has chi-square 0.
    """
    counts = counts.astype(float)
    n = n.astype(float)
    total = n.sum(axis=1)
    events = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(n > 0, counts**2 / n, 0.0).sum(axis=1) - events**2 / total
        value = total**2 * spread / (events * (total - events))
    return np.where((events > 0) & (events < total), np.maximum(value, 0.0), 0.0)


def chi_square_bounds(low: np.ndarray, high: np.ndarray, printed: np.ndarray, n: np.ndarray,
                      max_tables: int):
    """Chi-square at the printed counts and its extremes over integer count boxes.

    Boxes of at most ``max_tables`` tables are enumerated: both extremes exact.  For larger
    boxes the largest chi-square is still exact, taken over the box's corners (the statistic is
    quasi-convex in the counts, see :func:`chi_square_floor`, so its maximum over the box lies
    at a corner), and the smallest is :func:`chi_square_floor`, the minimum over real-valued
    counts in the box: a lower bound of the minimum over whole counts.

    Parameters
    ----------
    low, high, printed : int arrays (variables x k)
        Each group's smallest, largest and printed-nearest event count (0 for absent groups,
        whose n is 0).
    n : int array (variables x k)
    max_tables : int
        Boxes with more tables are not enumerated.

    Returns
    -------
    at, smallest, largest : float arrays
    exact : bool array
        Whether ``smallest`` is exact (false: a lower bound).
    """
    # tables per box, in floating point first: the int64 product wraps around for large boxes
    exact = np.prod((high - low + 1).astype(np.float64), axis=1) <= max_tables
    sizes = np.where(exact, np.prod(high - low + 1, axis=1), 0)
    at = chi_square_counts(printed, n)
    smallest, largest = at.copy(), at.copy()
    # every table of the boxes small enough, enumerated together (mixed-radix decoding)
    rows = np.flatnonzero(exact)
    if len(rows):
        widths = (high - low + 1)[rows]
        table_of = np.repeat(np.arange(len(rows)), sizes[rows])
        index = np.arange(len(table_of)) - np.repeat(np.cumsum(sizes[rows]) - sizes[rows],
                                                     sizes[rows])
        strides = np.cumprod(np.concatenate([np.ones((len(rows), 1), np.int64), widths[:, :-1]],
                                            axis=1), axis=1)
        counts = low[rows][table_of] + (index[:, None] // strides[table_of]) % widths[table_of]
        values = chi_square_counts(counts, n[rows][table_of])
        starts = np.cumsum(sizes[rows]) - sizes[rows]
        smallest[rows] = np.minimum.reduceat(values, starts)
        largest[rows] = np.maximum.reduceat(values, starts)
    rest = np.flatnonzero(~exact)
    if len(rest):
        for corner in range(2 ** low.shape[1]):
            upper = (corner >> np.arange(low.shape[1])) & 1 == 1
            values = chi_square_counts(np.where(upper, high[rest], low[rest]), n[rest])
            largest[rest] = np.maximum(largest[rest], values)
        smallest[rest] = np.minimum(smallest[rest],
                                    chi_square_floor(low[rest], high[rest], n[rest]))
    return at, smallest, largest, exact


def chi_square_floor(low: np.ndarray, high: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Smallest Pearson chi-square of k x 2 tables over real-valued event counts in boxes.

    With proportions p_i = c_i / n_i, weights w_i = n_i / N and pbar = sum w_i p_i, the
    statistic is N sum w_i (p_i - pbar)**2 / (pbar (1 - pbar)): a convex function of the
    counts over a concave one, hence quasi-convex.  For a fixed total the numerator is
    smallest when the p_i are as equal as their intervals [a_i, b_i] = [low_i, high_i] / n_i
    allow, p_i = clip(lam, a_i, b_i), and every total of the box is reached by some lam; so the
    minimum over the box is the minimum over lam.  Between consecutive interval ends the groups
    are either clipped (constant) or free (equal to lam), and the statistic is a ratio of two
    quadratics in lam, smallest at a piece's end or where its derivative, whose numerator is a
    quadratic, vanishes: these candidates are evaluated and the least kept.

    Parameters
    ----------
    low, high : int arrays (boxes x k)
        Each group's smallest and largest event count (anything for absent groups).
    n : int array (boxes x k)
        Group sizes, 0 for absent groups.

    Returns
    -------
    float array
        The minimum over the box of real counts (to floating-point accuracy), at most the
        minimum over its integer counts.
    """
    present = n > 0
    size = np.where(present, n, 1).astype(float)
    weight = np.where(present, n, 0) / n.sum(axis=1, keepdims=True).astype(float)
    a = np.where(present, low / size, np.nan)
    b = np.where(present, high / size, np.nan)
    ends = np.sort(np.concatenate([a, b], axis=1), axis=1)  # absent groups' NaN go last
    first = ends[:, :1]
    piece_low, piece_high = ends[:, :-1], ends[:, 1:]
    middle = ((piece_low + piece_high) / 2)[:, :, None]
    free = present[:, None, :] & (a[:, None, :] < middle) & (middle < b[:, None, :])
    clipped = np.where(free | ~present[:, None, :], 0.0,
                       np.where(middle <= a[:, None, :], a[:, None, :], b[:, None, :]))
    share = weight[:, None, :]
    free_weight = (share * free).sum(axis=2)
    fixed_sum = (share * clipped).sum(axis=2)
    fixed_squares = (share * clipped**2).sum(axis=2)
    # N sum w (p - pbar)**2 = N (A2 lam**2 + A1 lam + A0), pbar (1 - pbar) = B2 lam**2 + ...
    a2, a1 = free_weight * (1 - free_weight), -2 * free_weight * fixed_sum
    a0 = fixed_squares - fixed_sum**2
    b2, b1 = -free_weight**2, free_weight * (1 - 2 * fixed_sum)
    b0 = fixed_sum - fixed_sum**2
    # zeros of the derivative's numerator (the cubic terms cancel), stably
    quadratic, linear, constant = a2 * b1 - a1 * b2, 2 * (a2 * b0 - a0 * b2), a1 * b0 - a0 * b1
    with np.errstate(divide="ignore", invalid="ignore"):
        half = -(linear + np.copysign(np.sqrt(linear**2 - 4 * quadratic * constant), linear)) / 2
        roots = [half / quadratic, constant / half]
    candidates = [ends] + [np.clip(np.where(np.isfinite(r), r, piece_low), piece_low, piece_high)
                           for r in roots]
    lam = np.concatenate(candidates, axis=1)
    lam = np.where(np.isnan(lam), first, lam)[:, :, None]
    p = np.where(present[:, None, :], np.clip(lam, a[:, None, :], b[:, None, :]), 0.0)
    pbar = (share * p).sum(axis=2, keepdims=True)
    spread = (share * (p - pbar) ** 2).sum(axis=2)
    pbar = pbar[:, :, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = spread / (pbar * (1 - pbar))
    value = np.where((pbar > 0) & (pbar < 1), np.maximum(value, 0.0), 0.0)
    return n.sum(axis=1) * value.min(axis=1)


def baseline_screen(table: pd.DataFrame, *, columns: Mapping[str, str] | None = None,
                    rounding: Rounding | str = Rounding.NEAREST, flag_alpha: float = 0.001,
                    max_tables: int = 1_000_000) -> BaselineScreen:
    """Carlisle's screen of baseline tables: per-variable p-intervals and per-trial Stouffer p.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (trial, variable, group), printed numbers as text; columns
        ``trial``, ``variable``, ``group`` (optional), ``n``, ``mean``, ``sd``,
        ``statistic`` (optional: ``continuous``, the default, or ``percent``).
    columns : mapping, optional
        Field name -> column name.
    rounding : Rounding or str
        Rounding convention of the printed numbers.
    flag_alpha : float
        Trials whose p-interval lies wholly below it, or above 1 - flag_alpha, are flagged.
    max_tables : int
        Largest count box enumerated for a percent variable.

    Returns
    -------
    BaselineScreen
    """
    if not 0 < flag_alpha < 0.5:
        raise OptionError(f"flag_alpha must lie between 0 and 0.5, not {flag_alpha!r}")
    rounding = Rounding.parse(rounding)
    names = resolve_columns("baseline", BASELINE_FIELDS, table, columns or {})
    read, problems, _, texts = read_fields(BASELINE_FIELDS, table, names)
    field_index = {f.name: i for i, f in enumerate(BASELINE_FIELDS)}
    kind = read["statistic"]
    percent = kind == "percent"
    sd_problem = problems[field_index["sd"]]
    sd_problem[percent] = None
    sd_problem[~percent & (texts[field_index["sd"]] == "")] = "empty cell"
    mean_problem = problems[field_index["mean"]]
    mean_value = read["mean"].value
    mean_problem[percent & read["mean"].valid & ((mean_value < 0) | (mean_value > 100))] = \
        "a percentage lies between 0 and 100"
    row_reason = describe_problems([names[f.name] for f in BASELINE_FIELDS], texts, problems)

    trial_text, variable_text = read["trial"], read["variable"]
    keys = pd.Series(trial_text).str.cat(pd.Series(variable_text), sep="\x1f").to_numpy()
    uniques, row, col, counts = group_layout(keys)
    variables = len(uniques)
    first_row = first_by_group(row, np.ones(len(row), dtype=bool), variables)
    reason = _variable_reasons(row, row_reason, percent, counts, variables)
    shape = (variables, int(counts.max()) if variables else 0)
    present = np.zeros(shape, dtype=bool)
    present[row, col] = True

    def grid(values, fill=0):
        out = np.full(shape, fill, dtype=np.asarray(values).dtype)
        out[row, col] = values
        return out

    n = grid(read["n"])
    kinds = np.where(percent[first_row], "percent", "continuous") if variables else \
        np.zeros(0, dtype=object)
    ok = pd.isna(reason)
    out = {name: np.full(variables, np.nan) for name in
           ("statistic", "df1", "df2", "p_min", "p_computed", "p_max")}
    exact = np.ones(variables, dtype=bool)

    continuous = np.flatnonzero(ok & (kinds == "continuous"))
    if len(continuous):
        mean = tuple(grid(a)[continuous] for a in summary_box(read["mean"], rounding))
        sd = tuple(grid(a)[continuous] for a in summary_box(read["sd"], rounding,
                                                          non_negative=True))
        bounds = anova_pvalues(mean, sd, n[continuous], present[continuous])
        for name in out:
            out[name][continuous] = getattr(bounds, name)

    percents = np.flatnonzero(ok & (kinds == "percent"))
    if len(percents):
        note = _percent_tests(read["mean"], read["n"], rounding, grid, n, present, percents,
                              out, exact, max_tables)
        reason[percents] = note

    status = np.where(~ok, "bad_input",
                      np.where(np.isnan(out["p_computed"]), "undefined", "computed"))
    reason[(status == "undefined") & pd.isna(reason)] = (
        "no test statistic at the printed values (every SD printed as 0 and equal means)")
    p_stouffer = central_pvalue(out["p_computed"], out["p_min"], out["p_max"])
    groups = present.sum(axis=1)
    test = np.where(kinds == "percent", PEARSON_CHI2,
                    np.where(groups == 2, tests.STUDENT_T, tests.ANOVA_F))
    variable_frame = pd.DataFrame({
        "trial": trial_text[first_row], "variable": variable_text[first_row],
        "kind": kinds, "groups": groups, "test": test, **out, "p_stouffer": p_stouffer,
        "exact": exact,
        "status": status, "reason": reason})
    return BaselineScreen(variable_frame, _trials(variable_frame, flag_alpha), flag_alpha)


def _variable_reasons(row, row_reason, percent, counts, variables):
    reason = np.full(variables, None, dtype=object)
    first_bad = first_by_group(row, ~pd.isna(row_reason), variables)
    reason[first_bad >= 0] = row_reason[first_bad[first_bad >= 0]]
    mixed = np.bincount(row, weights=percent, minlength=variables)
    mixed = (mixed > 0) & (mixed < counts)
    reason[mixed & pd.isna(reason)] = "mixes continuous and percent rows"
    few = (counts < 2) & pd.isna(reason)
    reason[few] = "a variable needs at least 2 groups"
    many = (counts > MAX_GROUPS) & pd.isna(reason)
    reason[many] = f"more than {MAX_GROUPS} groups"
    return reason


def _percent_tests(percent_column, n_rows, rounding, grid, n, present, rows, out, exact,
                   max_tables):
    """Chi-square p-intervals of the percent variables ``rows``; returns their notes."""
    low, high = percent_counts(percent_column, n_rows, rounding)
    impossible = low > high
    # a percentage no count gives: the counts on either side of percentage x n / 100
    share = percent_column.value * n_rows / 100
    low = np.where(impossible, np.floor(share), low).astype(np.int64)
    high = np.where(impossible, np.ceil(share), high).astype(np.int64)
    nearest = np.clip(np.rint(share).astype(np.int64), low, high)
    table_low, table_high, table_at = (grid(a)[rows] for a in (low, high, nearest))
    sizes = n[rows]
    at, smallest, largest, is_exact = chi_square_bounds(table_low, table_high, table_at, sizes,
                                                        max_tables)
    df = present[rows].sum(axis=1) - 1.0
    out["statistic"][rows] = at
    out["df1"][rows] = df
    out["p_computed"][rows] = stats.chi2.sf(at, df)
    out["p_min"][rows] = stats.chi2.sf(largest, df)
    out["p_max"][rows] = stats.chi2.sf(smallest, df)
    exact[rows] = is_exact
    note = np.full(len(rows), None, dtype=object)
    impossible_variable = grid(impossible)[rows].any(axis=1)
    note[impossible_variable] = ("a printed percentage is impossible for its n; the counts "
                                 "either side of it were used")
    note[~is_exact] = ("count box too large to enumerate: p_min exact (largest chi-square, at a "
                       "corner), p_max an upper bound (smallest chi-square over real counts)")
    return note


def _trials(variables: pd.DataFrame, flag_alpha: float) -> pd.DataFrame:
    trial = variables["trial"].to_numpy()
    combined = {name: stouffer_by_group(variables[name].to_numpy(), trial)
                for name in ("p_stouffer", "p_min", "p_max")}
    at = combined["p_stouffer"]
    used = at["count"].to_numpy()
    total = pd.Series(trial).value_counts(sort=False).reindex(at.index).to_numpy()
    p_min = combined["p_min"]["pvalue"].to_numpy()
    p_max = combined["p_max"]["pvalue"].to_numpy()
    exact = variables.groupby("trial", sort=False)["exact"].all().reindex(at.index).to_numpy()
    dissimilar = p_max < flag_alpha
    similar = p_min > 1 - flag_alpha
    return pd.DataFrame({
        "trial": at.index.to_numpy(), "variables": used, "excluded": total - used,
        "statistic": at["statistic"].to_numpy(), "p": at["pvalue"].to_numpy(),
        "p_min": p_min, "p_max": p_max, "exact": exact, "flagged": dissimilar | similar,
        "direction": np.where(dissimilar, "dissimilar", np.where(similar, "similar", None))})
