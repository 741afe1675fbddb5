"""What the sample allows, against R (qt, pwr, power.t.test, chisq.test, fisher.test,
BayesFactor::ttest.tstat)."""

import json

import numpy as np
import pytest

from oracle_values import r_oracle
from reanalyse.sensitivity import (bayes_factor_t, minimal_detectable, power_t,
                                   smallest_count_difference, smallest_significant_smd,
                                   smd_for_power)


@pytest.mark.parametrize("treat_n, control_n, expected", [
    (31, 31, 0.508076154868031),   # R: qt(0.975, 60) * sqrt(2 / 31)
    (12, 15, 0.797655851568565),   # R: qt(0.975, 25) * sqrt(1/12 + 1/15)
])
def test_smallest_significant_smd(treat_n, control_n, expected):
    assert smallest_significant_smd(treat_n, control_n) == pytest.approx(expected, rel=1e-12)


def test_smallest_significant_smd_one_sided():
    # R: qt(0.95, 60) = 1.670649; times sqrt(2 / 31)
    assert smallest_significant_smd(31, 31, alternative="greater") == pytest.approx(
        1.67064886490464 * np.sqrt(2 / 31), rel=1e-12)


@pytest.mark.parametrize("case", r_oracle("power_bf", quantity="power",
                                          function_name="pwr::pwr.t.test"),
                         ids=lambda c: c["r_call"])
def test_power_matches_pwr(case):
    # pwr counts both rejection tails, as power_t does
    assert power_t(case["delta"], case["n_per_arm"], case["n_per_arm"]) == pytest.approx(
        case["power"], rel=1e-9), case["r_call"]


@pytest.mark.parametrize("treat_n, smd, expected", [
    # R: power.t.test(n, delta, sd = 1, sig.level = 0.05, strict = TRUE)$power (both tails)
    (31, 0.5, 0.490869673667402), (60, 0.5, 0.775265888512634), (20, 0.8, 0.693404196615451),
    (31, 0.3, 0.213415593855071), (10, 1.0, 0.562006646586232)])
def test_power_matches_strict_power_t_test(treat_n, smd, expected):
    assert power_t(smd, treat_n, treat_n) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("case", r_oracle("power_bf", quantity="power",
                                          function_name="power.t.test"),
                         ids=lambda c: c["r_call"])
def test_power_exceeds_power_t_test_default_by_the_far_tail(case):
    # power.t.test's default (strict = FALSE) leaves out the rejection tail opposite the
    # effect, so its power is lower, by at most that tail's probability (< 0.002 here)
    alternative = "greater" if case["alternative"] == "one.sided" else "two-sided"
    ours = power_t(case["delta"], case["n_per_arm"], case["n_per_arm"], alternative=alternative)
    if alternative == "greater":  # one tail in both: equal
        assert ours == pytest.approx(case["power"], rel=1e-9), case["r_call"]
    else:
        assert 0 < ours - case["power"] < 2e-3, case["r_call"]


def test_power_unequal_arms_and_one_sided():
    # R: pwr::pwr.t2n.test(n1 = 12, n2 = 15, d = 0.5)$power = 0.2369820
    #    pwr::pwr.t2n.test(n1 = 12, n2 = 15, d = 0.5, alternative = "greater")$power = 0.3487069
    #    pwr::pwr.t.test(n = 31, d = -0.5, alternative = "less")$power = 0.6184366
    assert power_t(0.5, 12, 15) == pytest.approx(0.236981988357091, rel=1e-9)
    assert power_t(0.5, 12, 15, alternative="greater") == pytest.approx(0.348706878408515,
                                                                       rel=1e-9)
    assert power_t(-0.5, 31, 31, alternative="less") == pytest.approx(0.618436614826067,
                                                                     rel=1e-9)


def test_smd_for_power():
    # R: power.t.test(n = 31, power = 0.8, strict = TRUE, tol = 1e-12)$delta = 0.7232481
    assert smd_for_power(31, 31) == pytest.approx(0.723248108827915, rel=1e-9)
    # R: f <- function(d) pwr::pwr.t2n.test(n1 = 12, n2 = 15, d = d)$power - 0.8
    #    uniroot(f, c(0.1, 3), tol = 1e-13)$root = 1.129027
    assert smd_for_power(12, 15) == pytest.approx(1.12902658530838, rel=1e-9)


@pytest.mark.parametrize("treat_n, control_n, alpha, power, expected", [
    # R: f <- function(d) pwr::pwr.t2n.test(n1, n2, d = d, sig.level = alpha)$power - power
    #    uniroot(f, c(0.1, 30), tol = 1e-13)$root
    (2, 2, 0.05, 0.8, 5.65348926619228),
    (2, 2, 0.05, 0.1, 1.05312449669422),      # power near alpha
    (2, 2, 0.01, 0.5, 8.28570752661407),
    (3, 40, 0.01, 0.9, 2.40764859568573),
])
def test_smd_for_power_in_tiny_and_unequal_samples(treat_n, control_n, alpha, power, expected):
    assert smd_for_power(treat_n, control_n, alpha=alpha, power=power) == pytest.approx(
        expected, rel=1e-9)


def test_power_over_an_array_of_effects():
    # R: sapply(c(0.2, 0.5, 0.8), function(d) pwr::pwr.t2n.test(n1 = 45, n2 = 52, d = d)$power)
    assert power_t(np.array([0.2, 0.5, 0.8]), 45, 52) == pytest.approx(
        [0.163367657786789, 0.681164612614163, 0.973152357668036], rel=1e-9)
    # R: sapply(c(-0.8, -0.2, 0.3), function(d) pwr::pwr.t2n.test(n1 = 45, n2 = 52, d = d,
    #                                                             alternative = "less")$power)
    assert power_t([-0.8, -0.2, 0.3], 45, 52, alternative="less") == pytest.approx(
        [0.987971564725790508, 0.251579989986790986, 0.000942048251219019], rel=1e-9)


@pytest.mark.parametrize("case", r_oracle("power_bf", quantity="delta"),
                         ids=lambda c: c["r_call"])
def test_smd_for_power_near_power_t_test_default(case):
    # power.t.test's default (one tail, uniroot tolerance 1.2e-4) agrees to about 1e-5
    assert smd_for_power(case["n_per_arm"], case["n_per_arm"]) == pytest.approx(
        case["delta"], abs=1e-4), case["r_call"]


# For 31 vs 31, an independent R loop: for each control count c in 0:31, the smallest |a - c|
# over a in 0:31 whose test gives p <= 0.05 (chisq.test correct = FALSE / TRUE, fisher.test;
# a table with no events or no non-events counted as p = 1).
R_NEEDED_31 = {
    "pearson_chi2": [4, 5, 6, 7, 4, 5, 5, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 6, 6,
                     5, 5, 4, 7, 6, 5, 4],
    "yates_chi2": [6, 7, 7, 8, 8, 9, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 9, 9, 8, 8, 8, 7, 7, 7, 6,
                   9, 8, 8, 7, 7, 6],
    "fisher_exact": [6, 7, 7, 8, 8, 8, 6, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7,
                     6, 8, 8, 8, 7, 7, 6],
}


@pytest.mark.parametrize("test", sorted(R_NEEDED_31))
def test_smallest_count_difference_matches_r_loop(test):
    result = smallest_count_difference(31, 31)
    needed = [round(gap * 31) for gap in result.test(test).needed]
    assert needed == R_NEEDED_31[test]


def test_smallest_count_difference_summary_for_31_vs_31():
    result = smallest_count_difference(31, 31)
    # the pooled z-test's two-sided p equals Pearson's, so their needs agree
    assert result.test("z_pooled").needed == result.test("pearson_chi2").needed
    # "any" takes the least demanding test at each control count: here Pearson's
    any_needed = [round(gap * 31) for gap in result.test("any").needed]
    assert any_needed == R_NEEDED_31["pearson_chi2"]
    smallest = result.test("any").smallest
    # R: chisq.test(matrix(c(4, 0, 27, 31), 2), correct = FALSE)$p.value = 0.03865735
    assert (smallest.treat_events, smallest.control_events) == (4, 0)
    assert smallest.p == pytest.approx(0.0386573499698797, rel=1e-9)
    hardest = result.test("any").hardest
    assert abs(hardest.treat_events - hardest.control_events) == 8
    assert result.explanation.startswith(
        "With 31 vs 31, the smallest difference in counts that any of the tests calls "
        "significant is 4 (4/31 vs 0/31, by Pearson's chi-square and the pooled z-test); at the "
        "least favourable event rate a difference of 8 is needed")


def test_one_sided_count_search_leaves_out_the_chi_square_tests():
    result = smallest_count_difference(20, 20, alternative="greater")
    assert [entry.test for entry in result.by_test] == ["fisher_exact", "z_pooled", "any"]
    # every significant table has more treatment events
    small = result.test("any").smallest
    assert small.treat_events > small.control_events


def test_minimal_detectable_bundle():
    result = minimal_detectable(31, 31)
    assert result.smallest_smd == pytest.approx(0.508076154868031, rel=1e-12)
    # R: pwr::pwr.t.test(n = 31, d = 0.5)$power = 0.4908697 (block power_bf)
    assert dict(result.power_at)[0.5] == pytest.approx(0.490869673667402, rel=1e-9)
    assert "significant only from 0.51 SD" in result.explanation
    assert "detects 0.72 SD with 80% power" in result.explanation
    json.dumps(result.to_dict(), allow_nan=False)


def test_minimal_detectable_parts():
    smd_only = minimal_detectable(31, 31, counts=False)
    assert smd_only.counts is None
    # R: qt(0.975, 60) * sqrt(2 / 31) = 0.5080762
    assert smd_only.smallest_smd == pytest.approx(0.508076154868031, rel=1e-12)
    assert smd_only.explanation.startswith("A t-test on 31 vs 31 calls")
    assert "tests calls significant" not in smd_only.explanation
    counts_only = minimal_detectable(31, 31, smd=False)
    assert counts_only.smallest_smd is None and counts_only.smd_at_power is None
    assert counts_only.power_at == ()
    # R loop (R_NEEDED_31 above): 4/31 vs 0/31 is the smallest significant difference
    assert counts_only.explanation.startswith(
        "With 31 vs 31, the smallest difference in counts that any of the tests calls "
        "significant is 4")
    data = counts_only.to_dict()
    assert data["smallest_smd"] is None and data["power_at"] == []
    json.dumps(data, allow_nan=False)
    with pytest.raises(ValueError, match="at least one part"):
        minimal_detectable(31, 31, smd=False, counts=False)


@pytest.mark.parametrize("case", r_oracle("power_bf", quantity="bf10", rscale="0.707"),
                         ids=lambda c: c["r_call"])
def test_bayes_factor_matches_bayesfactor_package(case):
    result = bayes_factor_t(case["t"], case["n1"], case["n2"])
    assert result.bf10 == pytest.approx(case["bf10"], rel=1e-6), case["r_call"]


def test_bayes_factor_range_and_reading():
    # R: BayesFactor::ttest.tstat(t, n1 = 31, n2 = 31, rscale = 0.707, simple = TRUE)
    #   t = 1.1: 0.4307380; t = 1.5: 0.6642528; t = 0: 0.2588341
    result = bayes_factor_t(1.1, 31, 31, t_min=-0.2, t_max=1.5)
    assert result.bf10 == pytest.approx(0.430738013285467, rel=1e-6)
    assert result.bf10_min == pytest.approx(0.258834064300861, rel=1e-6)  # t = 0 is in range
    assert result.bf10_max == pytest.approx(0.664252840120026, rel=1e-6)
    assert result.reading == "absence_of_evidence"
    assert not result.reading_stable      # at t = 0 the factor drops below 1/3
    assert "too little evidence either way" in result.explanation
    data = result.to_dict()
    assert data["bf01"] == pytest.approx(1 / 0.430738013285467, rel=1e-6)
    json.dumps(data, allow_nan=False)


def test_bayes_factor_readings():
    # Block power_bf: t = 3.5, 31 vs 31: BF10 = 34.27 (difference); t = 0.5, 12 vs 25: 0.368
    assert bayes_factor_t(3.5, 31, 31).reading == "evidence_of_difference"
    assert bayes_factor_t(0.5, 12, 25).reading == "absence_of_evidence"
    # R: BayesFactor::ttest.tstat(t = 0, n1 = 200, n2 = 200, rscale = 0.707, simple = TRUE)
    #   = 0.1107207: with 200 per arm and t = 0, evidence of no difference
    at_zero = bayes_factor_t(0.0, 200, 200)
    assert at_zero.bf10 == pytest.approx(0.110720747498213, rel=1e-6)
    assert at_zero.reading == "evidence_of_absence"


@pytest.mark.parametrize("call", [lambda: smallest_significant_smd(1, 5),
                                  lambda: power_t(0.5, 31, 0),
                                  lambda: smd_for_power(31, 31, power=0.01)])
def test_bad_sizes_and_power_are_refused(call):
    with pytest.raises(ValueError):
        call()
