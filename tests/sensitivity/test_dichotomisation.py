"""Dichotomisation coherence against R (pnorm, pbeta, qnorm, t.test).

Numbers: Raisi Dehkordi et al. 2019 print EPDS 7.75 (SD 2.18) vs 9.2 (2.04), n = 60 per arm,
and 15/60 vs 26/60 mothers with PPD; the study file gives no cut-off, so ">= 13" (the EPDS
cut-off commonly used) is assumed here for the arithmetic only.
R helper for raw data with a given mean and SD:
    make <- function(n, m, s) { x <- qnorm(ppoints(n)); m + s * (x - mean(x)) / sd(x) }
"""

import json

import pytest

from reanalyse.sensitivity import (Cutoff, dichotomisation_coherence, implied_proportion,
                                   parse_cutoff)


@pytest.mark.parametrize("text, relation, value", [(">= 13", ">=", 13.0), ("≥13", ">=", 13.0),
                                                   ("> 12", ">", 12.0), ("<= 9.5", "<=", 9.5),
                                                   ("<10", "<", 10.0), ("≤ .5", "<=", 0.5)])
def test_parse_cutoff(text, relation, value):
    assert parse_cutoff(text) == Cutoff(relation, value)


@pytest.mark.parametrize("text", ["13", "= 13", ">= thirteen", ""])
def test_parse_cutoff_refuses_with_the_forms(text):
    with pytest.raises(ValueError, match="write it as '>= 13'"):
        parse_cutoff(text)


@pytest.mark.parametrize("text, step, threshold", [
    # hand: whole-step scores; the boundary is half a step beyond the last excluded score
    (">= 13", 1, 12.5), ("> 12", 1, 12.5), ("<= 9", 1, 9.5), ("< 10", 1, 9.5),
    (">= 13", None, 13.0), ("< 10", None, 10.0)])
def test_threshold_with_continuity_correction(text, step, threshold):
    assert parse_cutoff(text).threshold(step) == threshold


def test_implied_proportion_normal_and_beta():
    # R: pnorm(12.5, 7.75, 2.18, lower.tail = FALSE) = 0.01466958
    #    beta by moments on [0, 30]: mu <- 7.75/30; v <- (2.18/30)^2; k <- mu*(1-mu)/v - 1
    #    pbeta(12.5/30, mu*k, (1-mu)*k, lower.tail = FALSE) = 0.02224112
    result = implied_proportion(7.75, 2.18, ">= 13", scale_min=0, scale_max=30, score_step=1)
    assert result.threshold == 12.5
    assert result.normal == pytest.approx(0.0146695829747139, rel=1e-9)
    assert result.bounded == pytest.approx(0.0222411247291899, rel=1e-9)
    # R: pnorm(12.5, 9.2, 2.04, lower.tail = FALSE) = 0.05286934; pbeta(...) = 0.05992462
    control = implied_proportion(9.2, 2.04, ">= 13", scale_min=0, scale_max=30, score_step=1)
    assert control.normal == pytest.approx(0.0528693406646255, rel=1e-9)
    assert control.bounded == pytest.approx(0.0599246161463168, rel=1e-9)


def test_implied_proportion_lower_tail():
    # R: pnorm(9.5, 7.75, 2.18) = 0.788941
    result = implied_proportion(7.75, 2.18, "<= 9", score_step=1)
    assert result.normal == pytest.approx(0.788941039476483, rel=1e-9)
    assert result.bounded is None and result.bounded_note == "the scale's bounds are not given"


def test_beta_model_refuses_an_sd_the_scale_cannot_hold():
    # hand: on [0, 30] with mean 2, the largest SD is sqrt(2 * 28) = 7.48; 9 is too large
    result = implied_proportion(2.0, 9.0, ">= 13", scale_min=0, scale_max=30)
    assert result.bounded is None
    assert "too large" in result.bounded_note


def test_coherence_raisi_dehkordi_numbers():
    # Implied means, R: 12.5 + 2.18 * qnorm(15/60) = 11.02961; 12.5 + 2.04 * qnorm(26/60)
    #   = 12.15750; difference -1.127884
    # Printed difference -1.45 with R: t.test(make(60, 7.75, 2.18), make(60, 9.2, 2.04),
    #   var.equal = TRUE)$conf.int = (-2.213283, -0.686717)
    # At the implied means, R: t.test(make(60, 11.02961, 2.18), make(60, 12.15750, 2.04),
    #   var.equal = TRUE)$p.value = 0.004117015
    result = dichotomisation_coherence(7.75, 2.18, 60, 9.2, 2.04, 60, 15 / 60, 26 / 60,
                                       ">= 13", scale_min=0, scale_max=30, score_step=1)
    assert result.implied_treat_mean == pytest.approx(11.0296123445725, rel=1e-9)
    assert result.implied_control_mean == pytest.approx(12.1574962302323, rel=1e-9)
    assert result.implied_difference == pytest.approx(-1.12788388565972, rel=1e-9)
    assert result.printed_difference == pytest.approx(-1.45)
    assert result.printed_ci == pytest.approx((-2.21328300242634, -0.686716997573656), rel=1e-9)
    assert result.implied_p == pytest.approx(0.00411701546911125, rel=1e-6)
    # hand: pooled SD sqrt((59 * 2.18^2 + 59 * 2.04^2) / 118) = 2.111161
    assert result.implied_smd == pytest.approx(-1.12788388565972 / 2.111161, rel=1e-6)
    assert result.coheres and result.fragile_reason is None
    json.dumps(result.to_dict(), allow_nan=False)


def test_incoherent_when_proportions_imply_a_difference_outside_the_ci():
    # Means 10.0 vs 10.2 (SD 4, n 31 each) but 6/31 vs 17/31 >= 13.  Implied means, R:
    #   12.5 + 4 * qnorm(6/31) = 9.040423; 12.5 + 4 * qnorm(17/31) = 12.98635;
    #   difference -3.945927
    # Printed CI, R: t.test(make(31, 10, 4), make(31, 10.2, 4), var.equal = TRUE)$conf.int
    #   = (-2.232, 1.832): the implied difference lies outside.
    result = dichotomisation_coherence(10.0, 4.0, 31, 10.2, 4.0, 31, 6 / 31, 17 / 31, ">= 13",
                                       score_step=1)
    assert result.implied_difference == pytest.approx(-3.945927, abs=1e-6)
    assert result.printed_ci == pytest.approx((-2.232305, 1.832305), abs=1e-6)
    assert not result.coheres
    assert result.fragile_reason.startswith("the printed proportions >= 13 imply a mean "
                                            "difference of -3.95, outside the 95% CI")


def test_zero_proportion_is_moved_half_a_participant_inside():
    # hand: 0/20 -> 0.5/20 = 0.025; implied mean 12.5 + 2 * qnorm(0.025) = 8.580072
    result = dichotomisation_coherence(8.0, 2.0, 20, 9.0, 2.0, 20, 0.0, 0.1, ">= 13",
                                       score_step=1)
    assert result.implied_treat_mean == pytest.approx(12.5 + 2 * -1.959963984540054, rel=1e-9)
