"""Fragility indices against the worked examples of Walsh et al. (2014) and the R fragility
packages' documentation, and against R's fisher.test."""

import json

import pytest

from oracle_values import r_oracle
from reanalyse.sensitivity import NotComputed, fragility_index, fragility_range
from reanalyse.kernels.twobytwo import pvalue_matrix

R_TESTS = {"fisher": "fisher_exact", "chisq_pearson": "pearson_chi2", "chisq_yates": "yates_chi2"}
R_ALTERNATIVES = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


@pytest.mark.parametrize("case", [c for c in r_oracle("two_by_two") if c["test"] in R_TESTS],
                         ids=lambda c: f"{c['case']}-{c['test']}-{c['alternative']}")
def test_pvalue_matrices_match_r(case):
    # tests/oracles/r_oracles.json block two_by_two: fisher.test / chisq.test on each table
    test = R_TESTS[case["test"]]
    matrix = pvalue_matrix(test, case["treat_n"], case["control_n"],
                           R_ALTERNATIVES[case["alternative"]])
    p = matrix[case["treat_events"], case["control_events"]]
    if case["p_value"] is None or case["p_value"] != case["p_value"]:  # R: NaN, a zero margin
        assert p == 1.0
    else:
        assert p == pytest.approx(case["p_value"], rel=1e-9), case["r_call"]


def test_walsh_2014_illustration():
    # Walsh et al. 2014 (J Clin Epidemiol 67:622-628), their illustration: 1 vs 9 events in
    # 100 per arm, p about 0.02; one more event in the first arm gives p about 0.06: index 1.
    # R: fisher.test(matrix(c(1, 9, 99, 91), 2))$p.value = 0.01848768
    #    fisher.test(matrix(c(2, 9, 98, 91), 2))$p.value = 0.05822072
    result = fragility_index(1, 100, 9, 100)
    assert result.kind == "fragility"
    assert result.p_value == pytest.approx(0.01848768, rel=1e-6)
    assert result.index == 1
    assert result.modified_arm == "treat"
    assert result.final_table == (2, 9)
    assert result.final_p == pytest.approx(0.05822072, rel=1e-6)
    assert result.quotient == pytest.approx(1 / 200)


def test_fragilityindex_readme_example():
    # R package fragilityindex (K. Johnson), README: matrix(c(15, 6, 25, 34), nrow = 2), i.e.
    # 15/40 vs 6/40, fisher.test p = 0.04060921; one more event in the second group,
    # 15/40 vs 7/40, p = 0.07836101: "this clinical trial has a fragility index of 1".
    result = fragility_index(15, 40, 6, 40)
    assert result.p_value == pytest.approx(0.04060921, rel=1e-6)
    assert (result.index, result.modified_arm, result.final_table) == (1, "control", (15, 7))
    assert result.final_p == pytest.approx(0.07836101, rel=1e-6)


def test_fragilityindex_manual_example():
    # fragilityindex manual: fragility.index(15, 5, 40, 40).  Walsh's steps, R's fisher.test:
    # 15/40 vs 5/40 p = 0.01877238; vs 6/40 p = 0.04060921 (still significant);
    # vs 7/40 p = 0.07836101: index 2.
    result = fragility_index(15, 40, 5, 40)
    assert result.index == 2
    assert result.final_table == (15, 7)
    assert result.explanation.startswith("Turning 2 non-events into events in the control arm")


def test_fragilitytools_readme_any_arm_index():
    # R package FragilityTools (Baer et al.), README: treatment 40 events / 20 non-events,
    # control 100 / 110; fisher.test p = 0.0124; bin.fi(mat, test = 'fisher') returns the
    # table with 37 treatment events (3 fewer), p = 0.0585605: fragility index 3.
    result = fragility_index(40, 60, 100, 210)
    assert result.p_value == pytest.approx(0.0124, abs=5e-5)
    assert result.index_any_arm == 3
    assert result.any_arm_table == (37, 100)
    assert result.any_arm_p == pytest.approx(0.0585605, rel=1e-6)
    # Walsh's one-arm count in the lower-proportion (control) arm, from R:
    # fisher.test on 40/60 vs 108/210 p = 0.0401597 (significant), vs 109/210 p = 0.0552447
    assert result.index == 9
    assert result.final_p == pytest.approx(0.0552446634074075, rel=1e-9)
    assert "changing 3 outcomes across the arms is enough" in result.explanation


def test_reverse_fragility_fragilityindex_vignette():
    # fragilityindex vignette, revfragility.index(15, 5, 41, 40, conf.level = 0.99): 15/41 vs
    # 5/40 is not significant at 0.01 and "just one flipped outcome would have yielded
    # different results".  R: fisher.test p = 0.01925231; with 4/40, p = 0.007767909.
    result = fragility_index(15, 41, 5, 40, alpha=0.01)
    assert result.kind == "reverse_fragility"
    assert not result.significant
    assert result.index == 1
    assert result.final_table == (15, 4)
    assert result.final_p == pytest.approx(0.007767909, rel=1e-6)
    assert "reverse fragility index is 1" in result.explanation


def test_claimed_significant_but_fisher_not_gives_zero():
    # Walsh et al.: a result whose Fisher p is already >= alpha has fragility index 0.
    # Raisi Dehkordi 2019 prints chi2 p = 0.034 for 15/60 vs 26/60; R fisher.test p = 0.05360517
    result = fragility_index(15, 60, 26, 60, significant=True)
    assert result.index == 0 and result.index_any_arm == 0
    assert result.p_value == pytest.approx(0.0536051684298241, rel=1e-9)
    assert "already not significant" in result.explanation


def test_any_arm_index_matches_brute_force_in_r():
    # Independent brute force in R: the fewest |x - a| + |y - c| over all tables whose
    # fisher.test decision differs (loop over 0:n1 x 0:n2):
    #   3/12 vs 9/12: p = 0.0391257, index 1 (Walsh's one-arm count also 1)
    #   2/20 vs 8/20: p = 0.0648332 (not significant), reverse index 1
    assert fragility_index(3, 12, 9, 12).index_any_arm == 1
    reverse = fragility_index(2, 20, 8, 20)
    assert reverse.kind == "reverse_fragility" and reverse.index_any_arm == 1


def test_one_sided_alternative_modifies_the_arm_the_alternative_names():
    # 'less' says treat < control: the treatment arm is the one made to gain events.
    # R: fisher.test(matrix(c(1, 9, 99, 91), 2), alternative = "less")$p.value = 0.00924384
    #    with 2/100: 0.02911036; 3/100: 0.06688127 -> index 2
    result = fragility_index(1, 100, 9, 100, alternative="less")
    assert result.modified_arm == "treat"
    assert result.index == 2
    assert result.final_p == pytest.approx(0.06688127, rel=1e-6)


def test_fragility_range_over_feasible_counts():
    # Percentages printed with n = 120 per arm: "8%" allows 9 or 10 events (7.5% and 8.3%),
    # 10 being closest; control 25/120.  Walsh's index from an independent R loop
    # (fisher.test, adding events to the lower-proportion arm until p > 0.05):
    #   10/120 vs 25/120: p = 0.0096897, index 3;  9/120 vs 25/120: p = 0.0049095, index 4
    result = fragility_range([10, 9], 120, [25], 120)
    assert (result.index_min, result.index_max) == (3, 4)
    assert result.results[0].treat_events == 10
    assert "over the 2 count pairs the printed percentages allow, the fragility index is 3 to 4" \
        in result.explanation
    json.dumps(result.to_dict(), allow_nan=False)


def test_fragility_range_without_feasible_counts():
    result = fragility_range([], 7, [1], 7)
    assert isinstance(result, NotComputed) and not result.computed


@pytest.mark.parametrize("bad", [dict(treat_events=5, treat_n=4), dict(treat_n=0),
                                 dict(treat_events=-1), dict(treat_events=2.5)])
def test_bad_counts_are_refused_with_the_field_named(bad):
    args = dict(treat_events=1, treat_n=10, control_events=5, control_n=10) | bad
    with pytest.raises(ValueError, match="treat_"):
        fragility_index(**args)
