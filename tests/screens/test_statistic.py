"""Printed statistics and rebuilt t-tests / ANOVAs against printed p-values.

Oracles: R (statcheck 1.4.0 and base R) through ``tests/oracles/r_oracles.json``, whose records
carry their R calls; further R calls are recorded beside their values here.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from oracle_values import r_oracle
from reanalyse.screens import rebuilt_anova, rebuilt_anova_map, rebuilt_t, rebuilt_t_map, \
    statistic_consistency, statistic_map
from reanalyse.kernels.anova import anova_pvalues

STATCHECK_TYPES = {"t": "t", "F": "F", "Chi2": "chi2", "r": "r", "Z": "z"}


def _statcheck_cases():
    for record in r_oracle("statcheck"):
        for result in record["results"]:
            yield pytest.param(record, result, id=f"{record['case']}-{record['options']}")


@pytest.mark.parametrize("record,result", list(_statcheck_cases()))
def test_statistic_matches_statcheck(record, result):
    # record["r_call"], e.g. statcheck("t(28) = 2.20, p = .06", messages = FALSE)
    kind = STATCHECK_TYPES[result["test_type"]]
    # statcheck puts an F's and a chi2's df in df1 (and F's second in df2), t's and r's in df2
    df1 = result["df1"] if kind in ("F", "chi2") else result["df2"]
    df2 = result["df2"] if kind == "F" else None
    value = re.search(r"[=<>]\s*([-−]?\s*\d*\.?\d+)\s*,", result["raw"]).group(1)
    p = result["raw"].rsplit(",", 1)[1].strip()
    one_sided = record["options"] == "OneTailedTxt"  # statcheck then tests it one-tailed
    got = statistic_consistency(kind, value, p, df1=df1, df2=df2, one_sided=one_sided)
    assert got["p_computed"] == pytest.approx(result["computed_p"], rel=1e-9)
    assert (got.status != "consistent") == result["error"]
    assert (got.status == "decision_error") == result["decision_error"]


@pytest.mark.parametrize("record", r_oracle("p_from_statistic"),
                         ids=lambda r: f"{r['kind']}-{r['statistic']}")
def test_p_at_the_printed_statistic(record):
    # record["r_call"], e.g. 2 * pt(-abs(2.195), 28)
    kind = {"chisq": "chi2", "t_one_tailed_upper": "t"}.get(record["kind"], record["kind"])
    got = statistic_consistency(kind, repr(record["statistic"]), "= .05", df1=record["df1"],
                                df2=record["df2"],
                                one_sided=record["kind"] == "t_one_tailed_upper")
    assert got["p_computed"] == pytest.approx(record["p_value"], rel=1e-9)


def test_p_interval_spans_the_statistics_rounding():
    (at_low,) = r_oracle("p_from_statistic", kind="t", statistic=2.195)
    (at_high,) = r_oracle("p_from_statistic", kind="t", statistic=2.205)
    got = statistic_consistency("t", "2.20", "= .06", df1=28)
    assert got["p_max"] == pytest.approx(at_low["p_value"], rel=1e-9)   # 2 * pt(-2.195, 28)
    assert got["p_min"] == pytest.approx(at_high["p_value"], rel=1e-9)  # 2 * pt(-2.205, 28)
    (f_low,) = r_oracle("p_from_statistic", kind="F", statistic=3.05)
    (f_high,) = r_oracle("p_from_statistic", kind="F", statistic=3.15)
    got = statistic_consistency("F", "3.1", "< .05", df1=2, df2=87)
    assert (got["p_min"], got["p_max"]) == (pytest.approx(f_high["p_value"], rel=1e-9),
                                           pytest.approx(f_low["p_value"], rel=1e-9))
    assert got.status == "consistent"  # some F in [3.05, 3.15] gives p < .05


def test_welch_df_with_decimals():
    # R: 2*pt(-2.10, 27.4) = 0.045067445656238131; the extremes come from the corners of
    # t in [2.095, 2.105] and df in [27.35, 27.45]:
    # 2*pt(-2.095, 27.35) = 0.045562065548646398, 2*pt(-2.105, 27.45) = 0.044577458128114776
    got = statistic_consistency("t", "2.10", "= .045", df1="27.4")
    assert got["p_computed"] == pytest.approx(0.045067445656238131, rel=1e-9)
    assert got["p_max"] == pytest.approx(0.045562065548646398, rel=1e-9)
    assert got["p_min"] == pytest.approx(0.044577458128114776, rel=1e-9)


def test_p_equal_alpha_option():
    # R: statcheck("t(45) = 2.10, p = .05") -> computed_p 0.041366273779214105, error TRUE,
    # decision_error FALSE; with pEqualAlphaSig = FALSE: decision_error TRUE
    default = statistic_consistency("t", "2.10", "= .05", df1=45)
    assert default.status == "inconsistent"
    strict = statistic_consistency("t", "2.10", "= .05", df1=45, p_equal_alpha="not_significant")
    assert strict.status == "decision_error"


def test_p_zero_option():
    # R: statcheck("F(3, 120) = 12.5, p = .000", pZeroError = FALSE) -> error FALSE;
    # by default (pZeroError = TRUE) error TRUE (the oracle file's case F_p_000)
    assert statistic_consistency("F", "12.5", "= .000", df1=3, df2=120).status == "inconsistent"
    assert statistic_consistency("F", "12.5", "= .000", df1=3, df2=120,
                                 p_zero="rounded").status == "consistent"
    # R: statcheck("t(28) = 2.05, p = .000", pZeroError = FALSE) -> error TRUE: p = .0498
    assert statistic_consistency("t", "2.05", "= .000", df1=28,
                                 p_zero="rounded").status == "inconsistent"


def test_statistic_relation_in_the_value():
    # "F(1, 60) < 1, ns": every F below 1.5 (the upper end of "1") gives p above
    # 1 - pf(1.5, 1, 60) = 0.2255 > .05
    assert statistic_consistency("F", "< 1", "ns", df1=1, df2=60).status == "consistent"
    # "F(1, 60) < 1, p < .01" cannot be: p_min = 1 - pf(1.5, 1, 60)
    assert statistic_consistency("F", "< 1", "< .01", df1=1, df2=60).status != "consistent"


def test_statistic_bad_rows_do_not_stop_the_screen():
    table = pd.DataFrame({
        "statistic": ["t", "t", "F", "r", "q", "chi2", "t", "F", "z"],
        "df1": ["28", "", "2", "58", "1", "-1", "28", "2", ""],
        "df2": ["", "", "", "", "", "", "", "87", ""],
        "value": ["2.20", "2.20", "3.1", "1.31", "2", "4.48", "n/a", "-3.1", "2.1"],
        "p": ["= .06", "= .06", "< .05", "= .02", "= .1", "= .034", "= .06", "< .05", "1.4"],
        "one_sided": ["", "", "", "", "", "", "", "", ""],
    })
    out = statistic_map(table)
    assert out["status"].tolist() == ["decision_error"] + ["bad_input"] * 8
    reasons = out["reason"].tolist()
    assert reasons[1].startswith("df1 is empty")
    assert reasons[2].startswith("df2 is empty")
    assert reasons[3] == "a correlation lies between -1 and 1"
    assert reasons[4].startswith("statistic = 'q': not a known statistic")
    assert reasons[5] == "df1 must be positive"
    assert reasons[6].startswith("value = 'n/a'")
    assert reasons[7] == "an F or chi2 statistic cannot be negative"
    assert reasons[8].startswith("p = '1.4': p-value outside 0 to 1")
    one_sided_f = statistic_consistency("F", "3.1", "< .05", df1=2, df2=87, one_sided=True)
    assert one_sided_f.status == "bad_input"


# -- rebuilt t and ANOVA --------------------------------------------------------------------------

@pytest.mark.parametrize("record", r_oracle("t_two_sample", method="student",
                                            alternative="two.sided"), ids=lambda r: r["case"])
def test_rebuilt_t_matches_r(record):
    # record["r_call"]: t.test(x, y, var.equal = TRUE) on data with these means and SDs
    got = rebuilt_t(repr(record["treat_mean"]), repr(record["treat_sd"]), record["treat_n"],
                    repr(record["control_mean"]), repr(record["control_sd"]),
                    record["control_n"], "= .05")
    assert got["p_computed"] == pytest.approx(record["p_value"], rel=1e-9, abs=1e-15)
    assert got["t"] == pytest.approx(record["statistic"], rel=1e-9, abs=1e-12)
    assert got["df"] == record["df"]
    assert got["p_min"] <= got["p_computed"] <= got["p_max"]


@pytest.mark.parametrize("record", r_oracle("oneway", method="fisher_anova"),
                         ids=lambda r: r["case"])
def test_rebuilt_anova_matches_r(record):
    # record["r_call"]: oneway.test(value ~ group, var.equal = TRUE)
    groups = record["groups"]
    got = rebuilt_anova([repr(g["mean"]) for g in groups], [repr(g["sd"]) for g in groups],
                        [g["n"] for g in groups], "= .05")
    assert got["F"] == pytest.approx(record["statistic"], rel=1e-9)
    assert got["p_computed"] == pytest.approx(record["p_value"], rel=1e-9)
    assert (got["df1"], got["df2"]) == (record["df_num"], record["df_den"])


def _grid_p(means, sds, n):
    """One-way ANOVA p for rows of means and SDs (textbook formulas, vectorised)."""
    k, total = means.shape[1], n.sum()
    grand = (means * n).sum(axis=1, keepdims=True) / total
    between = (n * (means - grand) ** 2).sum(axis=1) / (k - 1)
    within = ((n - 1) * sds**2).sum(axis=1) / (total - k)
    return stats.f.sf(between / within, k - 1, total - k)


def test_anova_extremes_against_a_grid():
    # the exact extremes can only be more extreme than any point of a grid over the box, and
    # a fine grid comes close to them
    rng = np.random.default_rng(4)
    for _ in range(25):
        k = int(rng.integers(2, 5))
        n = rng.integers(3, 40, k)
        means = np.round(rng.normal(10, 1, k), 1)
        sds = np.round(rng.uniform(0.5, 3, k), 1)
        box = anova_pvalues((means[None] - 0.05, means[None], means[None] + 0.05),
                            (sds[None] - 0.05, sds[None], sds[None] + 0.05), n[None],
                            np.ones((1, k), dtype=bool))
        shifts = np.array(list(itertools.product(np.linspace(-0.05, 0.05, 9), repeat=k)))
        values = np.concatenate([_grid_p(means + shifts, np.broadcast_to(sds + s, shifts.shape),
                                         n) for s in (-0.05, 0.05)])
        assert box.p_min[0] <= values.min() + 1e-12
        assert box.p_max[0] >= values.max() - 1e-12
        assert box.p_max[0] - values.max() < 0.01 and values.min() - box.p_min[0] < 0.01


def test_touching_mean_intervals_allow_equal_means():
    # "10" and "11" (whole numbers) say [9.5, 10.5] and [10.5, 11.5]: both could be 10.5,
    # so F can be 0 and p can be 1
    got = rebuilt_t("10", "2", 10, "11", "2", 10, "= .3")
    assert got["p_max"] == 1.0
    assert got.status == "consistent"


def test_rebuilt_tables_with_bad_cells():
    table = pd.DataFrame({
        "comparison": ["a", "a", "b", "b", "b", "c", "d", "d"],
        "mean": ["10.2", "12.0", "5.1", "x", "5.3", "4.0", "3.0", "3.5"],
        "sd": ["4.1", "4.6", "1.0", "1.0", "1.0", "1.0", "1.0", "1.0"],
        "n": ["31", "31", "10", "10", "10", "12", "8", "8"],
        "p": ["= .11", "", "= .5", "", "", "= .5", "", ""],
    })
    out = rebuilt_anova_map(table)
    assert out["comparison"].tolist() == ["a", "b", "c", "d"]
    assert out["groups"].tolist() == [2, 3, 1, 2]
    assert out["status"].tolist()[1:] == ["bad_input"] * 3
    assert out.loc[1, "reason"] == ("row 4: mean = 'x': not a number (write digits with an "
                                    "optional sign and decimal point, e.g. '-2.10' or '.034')")
    assert out.loc[2, "reason"] == "a comparison needs at least 2 groups"
    assert out.loc[3, "reason"] == "p = '': empty cell"
    wide = pd.DataFrame({"treat_mean": ["7.75", "7.75"], "treat_sd": ["2.18", "2.18"],
                         "treat_n": ["60", "0"], "control_mean": ["9.20", "9.20"],
                         "control_sd": ["2.04", "2.04"], "control_n": ["60", "60"],
                         "p": ["< .001", "< .001"]})
    assert rebuilt_t_map(wide)["status"].tolist() == ["consistent", "bad_input"]
