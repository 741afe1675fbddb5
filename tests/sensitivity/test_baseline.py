"""Baseline balance (Carlisle 2017) against R: t.test, chisq.test and Stouffer's method.

R helper for raw data with a given mean and SD:
    make <- function(n, m, s) { x <- qnorm(ppoints(n)); m + s * (x - mean(x)) / sd(x) }
"""

import json

import pytest

from oracle_values import r_oracle
from reanalyse.rebuild.continuous import ArmBox
from reanalyse.kernels.printed import parse_number, parse_p
from reanalyse.sensitivity import (BaselineVariable, baseline_balance,
                                   baseline_variable_continuous, baseline_variable_counts,
                                   baseline_variable_printed)


def box(n, mean, sd):
    m, s = parse_number(mean), parse_number(sd)
    return ArmBox(n, m.value, *m.interval("nearest"), s.value, *s.interval("nearest"))


def fixed(p):
    return BaselineVariable(f"p={p}", "printed_p", p, p, p)


@pytest.mark.parametrize("case", r_oracle("stouffer", form="upper_tail"),
                         ids=lambda c: c["case"])
def test_stouffer_matches_r(case):
    # tests/oracles/r_oracles.json block stouffer: pnorm(sum(qnorm(p, lower.tail = FALSE)) /
    # sqrt(k), lower.tail = FALSE)
    result = baseline_balance([fixed(p) for p in case["p_values"]])
    assert result.combined_p == pytest.approx(case["combined_p"], rel=1e-9), case["r_call"]


def test_continuous_variable_over_the_rounding_box():
    # Age 27.3 (4.1), n = 30 vs 26.9 (4.4), n = 31.  R, t.test(var.equal = TRUE) on make():
    #   printed                                  p = 0.7148995
    #   largest difference, smallest SDs  27.35 (4.05) vs 26.85 (4.35): p = 0.6441725
    #   smallest difference, largest SDs  27.25 (4.15) vs 26.95 (4.45): p = 0.7865045
    variable = baseline_variable_continuous("age", box(30, "27.3", "4.1"),
                                            box(31, "26.9", "4.4"))
    assert variable.test == "student_t"
    assert variable.p == pytest.approx(0.714899514851468, rel=1e-9)
    assert variable.p_min == pytest.approx(0.644172479048215, rel=1e-9)
    assert variable.p_max == pytest.approx(0.786504478820777, rel=1e-9)


def test_count_variable():
    # R: chisq.test(matrix(c(12, 15, 18, 16), 2), correct = FALSE)$p.value = 0.5096899
    variable = baseline_variable_counts("primiparous", [12], 30, [15], 31)
    assert variable.p == pytest.approx(0.509689858190958, rel=1e-9)


def test_count_variable_over_feasible_counts_spans_their_p():
    # two feasible control counts, 15 or 16 of 31 (the printed one, 15, first)
    # R: chisq.test(matrix(c(12, 16, 18, 15), 2), correct = FALSE)$p.value = 0.3628559
    variable = baseline_variable_counts("primiparous", [12], 30, [15, 16], 31)
    assert variable.p == pytest.approx(0.509689858190958, rel=1e-9)
    assert (variable.p_min, variable.p_max) == pytest.approx((0.3628559, 0.5096899), rel=1e-6)


def test_printed_p_gives_its_rounding_interval():
    variable = baseline_variable_printed("EPDS before", parse_p("0.46"), "nearest")
    assert (variable.p, variable.p_min, variable.p_max) == pytest.approx((0.46, 0.455, 0.465))
    assert baseline_variable_printed("EPDS before", parse_p("ns"), "nearest") is None


def test_trial_combination_with_rounding_range():
    # The three variables above; R: p <- c(0.7148995, 0.5096899, 0.46);
    #   pnorm(sum(qnorm(p, lower.tail = FALSE)) / sqrt(3), lower.tail = FALSE) = 0.6117308
    variables = [baseline_variable_continuous("age", box(30, "27.3", "4.1"),
                                              box(31, "26.9", "4.4")),
                 baseline_variable_counts("primiparous", [12], 30, [15], 31),
                 baseline_variable_printed("EPDS before", parse_p("0.46"), "nearest")]
    result = baseline_balance(variables)
    assert result.combined_p == pytest.approx(0.611730797709595, rel=1e-7)
    # Stouffer's p rises with every p_i: the extremes combine the lower and the upper ends
    assert result.combined_p_min < result.combined_p < result.combined_p_max
    assert result.flag is None and result.fragile_reason is None
    assert "as randomisation would give" in result.explanation
    json.dumps(result.to_dict(), allow_nan=False)


def test_suspicious_similarity_and_imbalance():
    # R: pnorm(sum(qnorm(c(0.98, 0.99, 0.97, 0.995), lower.tail = FALSE)) / 2,
    #   lower.tail = FALSE) = 0.999995 -> above 0.999
    similar = baseline_balance([fixed(p) for p in (0.98, 0.99, 0.97, 0.995)])
    assert similar.combined_p == pytest.approx(0.999995027363086, rel=1e-9)
    assert similar.flag == "similarity"
    assert "more alike at baseline" in similar.fragile_reason
    # R: pnorm(sum(qnorm(c(0.01, 0.02, 0.03), lower.tail = FALSE)) / sqrt(3),
    #   lower.tail = FALSE) = 0.0001503323 (block stouffer, case three_small)
    unbalanced = baseline_balance([fixed(p) for p in (0.01, 0.02, 0.03)])
    assert unbalanced.flag == "imbalance"


def test_flag_needs_the_whole_rounding_interval_beyond_the_threshold():
    # hand: at the printed p (0.9999, 0.999) Stouffer's z = (-3.719 - 3.090) / sqrt(2) = -4.81,
    # combined p 0.9999993 (beyond 0.999); at the lower ends (0.999, 0.5) z = -2.185, R:
    # pnorm(sum(qnorm(c(0.999, 0.5), lower.tail = FALSE)) / sqrt(2), lower.tail = FALSE) = 0.98556
    straddling = baseline_balance([BaselineVariable("x", "printed_p", 0.9999, 0.999, 0.99999),
                                   BaselineVariable("y", "printed_p", 0.999, 0.5, 0.9999)])
    assert straddling.combined_p > 0.999
    assert straddling.combined_p_min == pytest.approx(0.98556013, rel=1e-7)
    assert straddling.flag is None


def test_identical_printed_means_enter_at_the_midpoint_of_their_interval():
    # 160 (5) vs 160 (5), n = 20 each: p = 1 at the printed values.  Printed to whole units,
    # the box reaches 160.5 vs 159.5 with SDs 4.5; its lowest p, R:
    #   t.test(make(20, 160.5, 4.5), make(20, 159.5, 4.5), var.equal = TRUE)$p.value
    #   = 0.4865080, so it enters at (0.4865080 + 1) / 2 = 0.7432540; with a second p of 0.5:
    #   pnorm(sum(qnorm(c(0.7432540, 0.5), lower.tail = FALSE)) / sqrt(2), lower.tail = FALSE)
    #   = 0.6779703
    variable = baseline_variable_continuous("height", box(20, "160", "5"), box(20, "160", "5"))
    assert variable.p == 1.0
    assert variable.p_min == pytest.approx(0.4865080054412, rel=1e-9)
    assert variable.p_combined == pytest.approx(0.7432540027206, rel=1e-9)
    result = baseline_balance([variable, fixed(0.5)])
    assert result.combined_p == pytest.approx(0.67797032629963, rel=1e-9)
    assert result.combined_p_max == pytest.approx(1.0)


def test_no_variables_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        baseline_balance([])


def test_p_of_exactly_0_or_1_follows_the_one_rule_of_the_combination():
    # kernels/combine: no clipping.  A p_max of exactly 1 (means that may be equal) makes the
    # combined p_max exactly 1, the limit of pnorm(-Inf, lower.tail = FALSE) in R; a p_min of
    # exactly 0 makes the combined p_min 0; p = 0 beside p = 1 has no combined p.
    reaches_one = BaselineVariable("height", "student_t", 0.4, 0.2, 1.0)
    reaches_zero = BaselineVariable("weight", "student_t", 0.3, 0.0, 0.6)
    result = baseline_balance([reaches_one, reaches_zero, fixed(0.5)])
    assert result.combined_p_max == 1.0
    assert result.combined_p_min == 0.0
    both = baseline_balance([BaselineVariable("a", "printed_p", 0.0, 0.0, 0.0),
                             BaselineVariable("b", "printed_p", 1.0, 1.0, 1.0)])
    assert both.combined_p != both.combined_p  # NaN
    assert both.flag is None
    json.dumps(both.to_dict(), allow_nan=False)
