"""Reading columns of printed numbers in bulk, Stouffer's combination, and Carlisle's baseline
screen.

Oracles: the project's scalar parser for the text forms it defines, R (Stouffer, t-test and
chi-square records of ``tests/oracles/r_oracles.json``), and hand calculations shown.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from oracle_values import r_oracle
from reanalyse.kernels.combine import stouffer, stouffer_by_group
from reanalyse.kernels.printed import parse_number
from reanalyse.screens import LostDecimalsWarning, ScreenColumnsError, baseline_screen, \
    grim_map, screen
from reanalyse.screens.baseline import chi_square_bounds, chi_square_counts, chi_square_floor
from reanalyse.kernels.columns import read_p, read_printed, read_related


# -- columns --------------------------------------------------------------------------------------

TEXTS = ["8.60", "8.6", "-2.10", "−2.1", "+3", ".034", "0.000", "12", "5.", " 7.25 ",
         "2,1", "1.2e-3", "1.2 × 10^-3", "123456789012345678"]


def test_bulk_reading_keeps_the_printed_digits():
    column = read_printed(TEXTS)
    assert column.valid.all()
    # by hand: value = scaled * 10**-decimals with the printed decimals kept
    assert list(zip(column.scaled.tolist(), column.decimals.tolist())) == [
        (860, 2), (86, 1), (-210, 2), (-21, 1), (3, 0), (34, 3), (0, 3), (12, 0), (5, 0),
        (725, 2), (21, 1), (12, 4), (12, 4), (123456789012345678, 0)]
    # and the same reading as the scalar parser, cell by cell
    for text, scaled, decimals in zip(TEXTS, column.scaled, column.decimals):
        number = parse_number(text)
        assert (scaled, decimals) == (number.scaled, number.decimals), text


def test_bad_cells_are_problems_not_errors():
    column = read_printed(["", None, "n/a", "5-", "1,234", "--5", "1e3", np.nan])
    assert not column.valid.any()
    assert column.problem[0] == column.problem[1] == column.problem[7] == "empty cell"
    assert column.problem[2].startswith("not a number")
    assert column.problem[4].startswith("ambiguous comma")


def test_p_and_related_columns():
    p = read_p(["= .034", "<.001", "p > .05", "ns", "P=0.06", ".06", "p ≤ .05", "n.s.", "1.5"])
    assert p.relation.tolist() == ["=", "<", ">", "ns", "=", "=", "<", "ns", "="]
    assert p.number.scaled.tolist()[:3] == [34, 1, 5]
    assert p.number.problem[-1].startswith("p-value outside 0 to 1")
    related = read_related(["2.20", "< 1", "= −2.35", "≥ 3"])
    assert related.relation.tolist() == ["=", "<", "=", ">"]
    assert related.number.scaled.tolist() == [220, 1, -235, 3]


def test_float_columns_warn_that_decimals_may_be_lost():
    table = pd.DataFrame({"mean": [5.19, 5.2], "n": [28, 28]})
    with pytest.warns(LostDecimalsWarning, match="column 'mean' holds numbers"):
        out = grim_map(table)
    # 5.2 is read as printed with one decimal: [5.15, 5.25] holds 146/28, and with 28 >= 10
    # values every 1-decimal mean is possible
    assert out["status"].tolist() == ["inconsistent", "untestable"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grim_map(pd.DataFrame({"mean": ["5.19"], "n": [28]}))  # text and int: no warning


def test_missing_columns_are_named():
    with pytest.raises(ScreenColumnsError) as caught:
        screen(pd.DataFrame({"mean": ["5.1"]}), "grimmer")
    assert caught.value.missing == ("sd", "n")
    assert "items (optional)" in caught.value.expected
    renamed = grim_map(pd.DataFrame({"Mean": ["5.19"], "N": ["28"]}),
                       columns={"mean": "Mean", "n": "N"})
    assert renamed["status"].tolist() == ["inconsistent"]


# -- Stouffer -------------------------------------------------------------------------------------

@pytest.mark.parametrize("record", [r for r in r_oracle("stouffer")
                                    if r["form"] in ("upper_tail", "weighted_upper_tail")],
                         ids=lambda r: r["case"])
def test_stouffer_matches_r(record):
    # record["r_call"], e.g. z <- sum(qnorm(p, lower.tail = FALSE)) / sqrt(k);
    # pnorm(z, lower.tail = FALSE)
    got = stouffer(record["p_values"], record["weights"])
    assert got.statistic == pytest.approx(record["z"], rel=1e-12, abs=1e-15)
    assert got.pvalue == pytest.approx(record["combined_p"], rel=1e-12)
    assert got.count == len(record["p_values"])


def test_stouffer_edges_and_groups():
    assert stouffer([0.0, 0.5]).pvalue == 0.0        # z = +inf
    assert stouffer([1.0, 0.5]).pvalue == 1.0        # z = -inf
    assert np.isnan(stouffer([0.0, 1.0]).pvalue)      # +inf and -inf: no combined p
    assert stouffer([0.04, np.nan, 0.1, 0.2]).count == 3
    (three,) = r_oracle("stouffer", case="three_moderate", form="upper_tail")
    grouped = stouffer_by_group([0.04, 0.5, 0.1, 0.2, np.nan], ["a", "b", "a", "a", "c"])
    assert grouped.index.tolist() == ["a", "b", "c"]
    assert grouped.loc["a", "pvalue"] == pytest.approx(three["combined_p"], rel=1e-12)
    assert grouped.loc["b", "pvalue"] == pytest.approx(0.5)
    assert grouped.loc["c", "count"] == 0 and np.isnan(grouped.loc["c", "pvalue"])
    with pytest.raises(ValueError, match="p-values must lie in"):
        stouffer([1.2])


# -- baseline screen ------------------------------------------------------------------------------

def _baseline_table():
    rows = [
        # t_two_sample oracle, case raisi_dehkordi_epds_post (two decimals printed)
        ("A", "epds", 1, "60", "7.75", "2.18", "continuous"),
        ("A", "epds", 2, "60", "9.20", "2.04", "continuous"),
        # two_by_two oracle, case raisi_dehkordi: 15/60 = 25.0%, 26/60 = 43.3%
        ("A", "depressed", 1, "60", "25.0", "", "percent"),
        ("A", "depressed", 2, "60", "43.3", "", "percent"),
        # equal printed means: p = 1 at the printed values
        ("B", "age", 1, "20", "45", "10", "continuous"),
        ("B", "age", 2, "20", "45", "10", "continuous"),
        ("B", "weight", 1, "20", "70.1", "x", "continuous"),
        ("B", "weight", 2, "20", "71.3", "9.9", "continuous"),
        ("B", "smokers", 1, "20", "130", "", "percent"),
        ("B", "smokers", 2, "20", "40", "", "percent"),
    ]
    return pd.DataFrame(rows, columns=["trial", "variable", "group", "n", "mean", "sd",
                                       "statistic"]).astype(str)


def test_baseline_variables():
    result = baseline_screen(_baseline_table())
    variables = result.variables.set_index(["trial", "variable"])
    (student,) = r_oracle("t_two_sample", case="raisi_dehkordi_epds_post", method="student",
                          alternative="two.sided")
    epds = variables.loc[("A", "epds")]
    assert epds["test"] == "student_t"
    assert epds["p_computed"] == pytest.approx(student["p_value"], rel=1e-9)
    assert epds["p_min"] < epds["p_computed"] < epds["p_max"]
    (pearson,) = r_oracle("two_by_two", case="raisi_dehkordi", test="chisq_pearson")
    depressed = variables.loc[("A", "depressed")]
    assert depressed["test"] == "pearson_chi2"
    # 25.0% and 43.3% of 60 are only 15 and 26: the count box is one table
    assert depressed["statistic"] == pytest.approx(pearson["statistic"], rel=1e-9)
    assert depressed["p_min"] == depressed["p_computed"] == depressed["p_max"]
    assert depressed["p_computed"] == pytest.approx(pearson["p_value"], rel=1e-9)
    age = variables.loc[("B", "age")]
    assert age["p_computed"] == 1.0
    assert age["p_stouffer"] == pytest.approx((age["p_min"] + 1.0) / 2)
    assert variables.loc[("B", "weight"), "status"] == "bad_input"
    assert variables.loc[("B", "weight"), "reason"].startswith("sd = 'x'")
    assert variables.loc[("B", "smokers"), "reason"] == (
        "mean = '130': a percentage lies between 0 and 100")


def test_baseline_trials_combine_by_stouffer():
    result = baseline_screen(_baseline_table())
    trials = result.trials.set_index("trial")
    variables = result.variables.set_index(["trial", "variable"])
    # hand: Z = (isf(p_epds) + isf(p_depressed)) / sqrt(2), p = sf(Z)
    p_a = variables.loc[("A", "epds"), "p_computed"], variables.loc[("A", "depressed"),
                                                                    "p_computed"]
    z = (stats.norm.isf(p_a[0]) + stats.norm.isf(p_a[1])) / np.sqrt(2)
    assert trials.loc["A", "p"] == pytest.approx(stats.norm.sf(z), rel=1e-9)
    assert trials.loc["A", "variables"] == 2 and trials.loc["A", "excluded"] == 0
    assert trials.loc["B", "variables"] == 1 and trials.loc["B", "excluded"] == 2
    assert trials.loc["A", "p_min"] <= trials.loc["A", "p"] <= trials.loc["A", "p_max"]
    summary = result.summary()
    assert (summary["trials"], summary["variables"], summary["variables_with_p"]) == (2, 5, 3)
    assert result.distribution(bins=4)["trials"].sum() == 2


def test_chi_square_of_k_by_2_tables():
    # R: chisq.test(matrix(c(15, 45, 26, 34), 2, byrow = TRUE), correct = FALSE) (oracle file);
    # no events at all: chi-square 0
    (pearson,) = r_oracle("two_by_two", case="raisi_dehkordi", test="chisq_pearson")
    values = chi_square_counts(np.array([[15, 26], [0, 0]]), np.array([[60, 60], [10, 12]]))
    assert values[0] == pytest.approx(pearson["statistic"], rel=1e-12)
    assert values[1] == 0.0


def _pearson(counts, n):
    """Pearson's chi-square of one k x 2 table from its definition, sum (O - E)**2 / E."""
    events, total = sum(counts), sum(n)
    if events in (0, total):
        return 0.0
    value = 0.0
    for count, size in zip(counts, n):
        for observed, column in ((count, events), (size - count, total - events)):
            expected = size * column / total
            value += (observed - expected) ** 2 / expected
    return value


def test_large_count_box_gives_exact_p_min_and_a_safe_p_max():
    # 4 groups of 60,000 printed 50/51/49/50 %: 601**4 = 1.3e11 tables, too many to enumerate.
    # Hand: whatever the rounding, p2 >= .505 and p3 <= .495, so for any pbar
    # sum n_i (p_i - pbar)**2 >= 60000 ((.505 - pbar)**2 + (pbar - .495)**2) >= 60000 x 2 x
    # .005**2 = 3 (least at pbar = .5), and pbar (1 - pbar) <= 1/4: chi-square >= 12, reached by
    # the counts 30000, 30300, 29700, 30000 (all print as the percentages: 50.5% prints as 51
    # and 49.5% as 49 under "nearest").  df 3: p = erfc(sqrt(x / 2)) + sqrt(2 x / pi) e**(-x/2).
    table = pd.DataFrame({"trial": "T", "variable": "v", "group": ["1", "2", "3", "4"],
                          "n": "60000", "mean": ["50", "51", "49", "50"], "sd": "",
                          "statistic": "percent"})
    assert _pearson([30000, 30300, 29700, 30000], [60000] * 4) == pytest.approx(12, rel=1e-12)
    true_p_max = math.erfc(math.sqrt(6)) + math.sqrt(24 / math.pi) * math.exp(-6)  # 0.0073832
    result = baseline_screen(table)
    variable = result.variables.iloc[0]
    assert not variable["exact"]
    assert "p_max an upper bound" in variable["reason"]
    assert variable["p_max"] == pytest.approx(true_p_max, rel=1e-9)
    # p_min: the largest chi-square over the box, at a corner (brute force over the 16 corners
    # here; no table sampled inside the box exceeds it)
    box = [(29700, 30300), (30300, 30900), (29100, 29700), (29700, 30300)]  # 49.5% to 50.5%...
    corners = max(_pearson(corner, [60000] * 4) for corner in itertools.product(*box))
    rng = np.random.default_rng(5)
    inside = rng.integers([low for low, _ in box], [high + 1 for _, high in box], (2000, 4))
    assert chi_square_counts(inside, np.full((2000, 4), 60000)).max() <= corners
    assert variable["p_min"] == pytest.approx(stats.chi2.sf(corners, 3), rel=1e-9, abs=0)
    # the trial's p-interval reaches 0.0074: not flagged (the corners alone gave 0.00044)
    trial = result.trials.iloc[0]
    assert trial["p_max"] == pytest.approx(true_p_max, rel=1e-9)
    assert not trial["flagged"] and not trial["exact"]


def test_count_box_too_large_for_int64():
    # 7 groups of 10**9 printed 50%: 49.5% to 50.5% is 10**7 + 1 counts each, (10**7 + 1)**7 =
    # 1e49 tables, whose int64 product wraps around.  Every group can be exactly 50%: smallest
    # chi-square 0, p_max = 1
    table = pd.DataFrame({"trial": "T", "variable": "v", "group": list("1234567"),
                          "n": "1000000000", "mean": "50", "sd": "", "statistic": "percent"})
    variable = baseline_screen(table).variables.iloc[0]
    assert not variable["exact"] and variable["p_max"] == 1.0


def test_chi_square_floor_against_enumeration_and_real_counts():
    # forced (max_tables=0) on boxes small enough to enumerate by brute force here: the bound
    # never exceeds the smallest whole-count chi-square, the largest is exact, and the bound is
    # the minimum over real counts (within a fine grid's resolution, never above it)
    rng = np.random.default_rng(9)
    for _ in range(150):
        k = int(rng.integers(2, 4))
        n = rng.integers(1, 60, k)
        low = np.array([rng.integers(0, size + 1) for size in n])
        high = np.array([rng.integers(lo, min(size, lo + 5) + 1) for lo, size in zip(low, n)])
        tables = list(itertools.product(*(range(lo, hi + 1) for lo, hi in zip(low, high))))
        values = [_pearson(t, n) for t in tables]
        at, smallest, largest, exact = chi_square_bounds(low[None], high[None], low[None],
                                                         n[None], max_tables=0)
        assert not exact[0]
        assert smallest[0] <= min(values) + 1e-9
        assert largest[0] == pytest.approx(max(values), rel=1e-9, abs=1e-12)
        axes = [np.linspace(lo, hi, 60 if k == 2 else 25) for lo, hi in zip(low, high)]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, k)
        real = chi_square_counts(grid, np.broadcast_to(n, grid.shape)).min()
        assert smallest[0] <= real + 1e-9
        assert real - smallest[0] <= 0.02 * max(real, 1)  # the grid's step is at most 1/24
    # intervals that share a value: all proportions equal is possible, chi-square 0
    assert chi_square_floor(np.array([[10, 19]]), np.array([[30, 40]]), np.array([[50, 60]]))[0] \
        == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("rows", [0, 3])
def test_every_check_survives_empty_and_unreadable_tables(rows):
    from reanalyse.screens import CHECKS, MAPPERS
    for name, mapper in MAPPERS.items():
        required = [f.name for f in CHECKS[name].fields if f.required]
        table = pd.DataFrame({column: ["n/a"] * rows for column in required}, dtype=object)
        out = mapper(table)
        # one row per input row (per comparison for rebuilt_anova: all rows share "n/a")
        assert len(out) == (min(rows, 1) if name == "rebuilt_anova" else rows), name
        assert (out["status"] == "bad_input").all(), name
    result = baseline_screen(pd.DataFrame({c: ["n/a"] * rows for c in
                                           ("trial", "variable", "n", "mean", "sd")}))
    assert len(result.trials) == min(rows, 1)
    assert (result.variables["status"] == "bad_input").all()
