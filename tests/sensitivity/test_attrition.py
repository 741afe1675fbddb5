"""Attrition bounds against R: fisher.test on imputed tables, t.test on imputed raw data.

The continuous oracles build raw data in R with a given mean and SD (only those matter to the
t-test) and append the imputed values:
    make <- function(n, m, s) { x <- qnorm(ppoints(n)); m + s * (x - mean(x)) / sd(x) }
"""

import json

import pytest

from reanalyse.sensitivity import attrition_bounds_binary, attrition_bounds_continuous
from reanalyse.sensitivity.attrition import combine_with_imputed


def scenario(result, name):
    return next(s for s in result.scenarios if s.name == name)


def test_binary_massage_arm_loses_seven_of_nineteen():
    # The founding case's attrition: 7 of 19 lost from the massage arm, completers
    # analysed.  Synthetic counts: 2/12 vs 9/15 in the clinical range.  R, fisher.test:
    #   analysed 2/12 vs 9/15            p = 0.04732804
    #   none of the 7 had the event       2/19 vs 9/15  p = 0.003459863
    #   all 7 had it                      9/19 vs 9/15  p = 0.5096000
    result = attrition_bounds_binary(2, 12, 7, 9, 15, 0, arm_labels=("massage", "control"))
    assert result.observed_p == pytest.approx(0.0473280387669943, rel=1e-9)
    assert result.claimed_significant
    # the control arm lost nobody, so the arm-extreme corners coincide with these two
    assert [s.name for s in result.scenarios] == ["none_had_event", "all_had_event"]
    assert scenario(result, "none_had_event").p == pytest.approx(0.00345986281053022, rel=1e-9)
    assert scenario(result, "all_had_event").p == pytest.approx(0.509600038690332, rel=1e-9)
    assert (result.p_min, result.p_max) == (scenario(result, "none_had_event").p,
                                             scenario(result, "all_had_event").p)
    assert not result.survives
    assert "7 participants missing from the massage arm" in result.explanation
    assert result.fragile_reason == (
        "with 7 participants missing from the massage arm, the difference would no longer be "
        "significant if all the missing participants had the event (p = 0.510)")
    json.dumps(result.to_dict(), allow_nan=False)


def test_binary_survives_when_every_corner_keeps_the_decision():
    # 2/30 vs 20/30 with 1 lost per arm.  R, fisher.test on the four corners (31 per arm):
    #   2/31 vs 20/31 p = 2.376e-06;  3/31 vs 21/31 p = 4.310e-06;
    #   3/31 vs 20/31 p = 1.347e-05;  2/31 vs 21/31 p = 7.124e-07
    result = attrition_bounds_binary(2, 30, 1, 20, 30, 1)
    expected = {"none_had_event": 2.376083e-06, "all_had_event": 4.309968e-06,
                "treat_all_control_none": 1.346748e-05, "treat_none_control_all": 7.123724e-07}
    assert {s.name: s.p for s in result.scenarios} == pytest.approx(expected, rel=1e-6)
    assert result.survives and result.fragile_reason is None
    assert "survives" in result.explanation


def test_binary_direction_reversal_does_not_survive():
    # 0/10 vs 8/20 analysed, R fisher.test p = 0.02875742 (significant, first arm lower); 60
    # lost from the first arm.  If all 60 had the event: 60/70 vs 8/20, R fisher.test
    # p = 0.0001039427 -- significant, but the other way round.
    result = attrition_bounds_binary(0, 10, 60, 8, 20, 0)
    assert result.observed_p == pytest.approx(0.028757416163713, rel=1e-9)
    reversed_ = scenario(result, "all_had_event")
    assert reversed_.p == pytest.approx(0.000103942666874365, rel=1e-9)
    assert reversed_.significant and not reversed_.survives
    assert "significant in the opposite direction" in result.fragile_reason


def test_binary_non_significant_claim_fails_when_a_corner_is_significant():
    # 8/12 vs 4/15 analysed: R fisher.test p = 0.05740491 (not significant); 7 lost from the
    # first arm, none with the event: 8/19 vs 4/15, p = 0.4764134; all with it: 15/19 vs 4/15,
    # p = 0.004729087, significant -> the claim of no difference does not survive.
    result = attrition_bounds_binary(8, 12, 7, 4, 15, 0, significant=False)
    assert not result.claimed_significant
    assert scenario(result, "all_had_event").p == pytest.approx(0.00472908706936853, rel=1e-9)
    assert not result.survives
    assert "would become significant" in result.fragile_reason


def test_binary_with_pearson_chi_square():
    # R: chisq.test(matrix(c(8, 4, 11, 11), 2), correct = FALSE)$p.value = 0.3496151
    #    (8/19 vs 4/15, the "none had the event" corner of the case above)
    result = attrition_bounds_binary(8, 12, 7, 4, 15, 0, test="pearson_chi2")
    assert scenario(result, "none_had_event").p == pytest.approx(0.349615066711678, rel=1e-9)


def test_combine_with_imputed_matches_raw_data():
    # R: z <- c(make(12, 10.1, 3.2), rep(30, 7)); mean(z) = 17.43158, sd(z) = 10.17464
    # Hand: M = (12 * 10.1 + 7 * 30) / 19 = 331.2 / 19 = 17.431579
    mean, sd, n = combine_with_imputed(10.1, 3.2, 12, 30.0, 7)
    assert n == 19
    assert mean == pytest.approx(17.4315789473684, rel=1e-12)
    assert sd == pytest.approx(10.1746445546203, rel=1e-12)


def test_continuous_scale_bounds_and_one_sd():
    # 12 analysed of 19 (massage; mean 10.1, SD 3.2) vs 15 of 15 (13.4, 3.6), EPDS 0 to 30.
    # R: x <- make(12, 10.1, 3.2); y <- make(15, 13.4, 3.6)
    #   t.test(x, y, var.equal = TRUE)$p.value                  = 0.02003579
    #   t.test(c(x, rep(0, 7)), y, var.equal = TRUE)$p.value    = 0.0001919775
    #   t.test(c(x, rep(30, 7)), y, var.equal = TRUE)$p.value   = 0.1539944
    #   t.test(c(x, rep(6.9, 7)), y, var.equal = TRUE)$p.value  = 0.0003683203
    #   t.test(c(x, rep(13.3, 7)), y, var.equal = TRUE)$p.value = 0.06843424
    result = attrition_bounds_continuous(10.1, 3.2, 12, 7, 13.4, 3.6, 15, 0, scale_min=0,
                                         scale_max=30, arm_labels=("massage", "control"))
    assert result.observed_p == pytest.approx(0.0200357921890496, rel=1e-9)
    expected = {"scale_treat_low_control_low": 0.000191977508787274,
                "scale_treat_high_control_high": 0.153994397693683,
                "mean_1sd_treat_low_control_low": 0.000368320322505288,
                "mean_1sd_treat_high_control_high": 0.0684342380906913}
    # nobody is missing from the control arm: the low/high mixes coincide with these four
    assert {s.name: s.p for s in result.scenarios} == pytest.approx(expected, rel=1e-9)
    assert not result.survives
    assert result.failing[0].name == "scale_treat_high_control_high"  # furthest from the claim
    assert result.fragile_reason.endswith("would no longer be significant if those missing "
                                          "from the massage arm scored the scale's maximum (30) "
                                          "(p = 0.154)")


def test_continuous_without_scale_uses_k_sd_only_and_clips_to_the_scale():
    result = attrition_bounds_continuous(2.0, 3.0, 20, 2, 6.0, 3.0, 20, 2, k_sd=1.0)
    assert all(s.name.startswith("mean_1sd") for s in result.scenarios)
    assert len(result.scenarios) == 4
    # with a floor at 0, "1 SD below 2.0" is clipped to 0
    clipped = attrition_bounds_continuous(2.0, 3.0, 20, 2, 6.0, 3.0, 20, 2, scale_min=0,
                                          scale_max=30)
    low = scenario(clipped, "mean_1sd_treat_low_control_low")
    assert low.treat_imputed == 0.0 and low.control_imputed == pytest.approx(3.0)


def test_negative_missing_is_refused():
    with pytest.raises(ValueError, match="treat_missing"):
        attrition_bounds_binary(2, 12, -1, 9, 15, 0)


def test_no_attrition_reason_when_the_analysed_already_disagree():
    # 8/12 vs 4/15: R fisher.test p = 0.05740491, so a claim of significance fails before any
    # imputation; that is the rebuilt tests' finding, and attrition adds no reason of its own
    result = attrition_bounds_binary(8, 12, 7, 4, 15, 0, significant=True)
    assert not result.observed_agrees
    assert result.fragile_reason is None
    assert "the participants analysed already give p = 0.057" in result.explanation
