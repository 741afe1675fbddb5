"""Real trial reports whose adjusted results and their crude tests disagree about significance,
and real reports whose printed unadjusted estimates are judged against their own counts or means.

Expected values come from R (the call beside each value) or from hand calculations shown in
the comments, never from the code under test."""

from pathlib import Path

import pytest
import yaml

from reanalyse.claims.assess import check_file

ROOT = Path(__file__).resolve().parents[2]
STUDIES = ("steventon-2014", "pmc8762841", "begley-2011", "muirhead-2006", "morrell-2000",
           "khalifeh-2019", "pmc11423708")


def _claims(study):
    return {claim.claim.id: claim for claim in check_file(ROOT / "data" / f"{study}.yaml").claims}


@pytest.fixture(scope="module")
def claims():
    return {study: _claims(study) for study in STUDIES}


@pytest.mark.parametrize("study", STUDIES)
def test_recorded_verdicts(claims, study):
    expected = yaml.safe_load((ROOT / "analyses" / f"{study}.yaml").read_text())["expected"]
    assert {key: claim.verdict.value for key, claim in claims[study].items()} == expected


def test_an_adjusted_mean_difference_significant_only_after_adjustment(claims):
    # Steventon 2014, Table 2, during the trial: 8.15 (1.49), n = 266 v 8.38 (1.60), n = 191;
    # adjusted -0.30 (-0.52, -0.07), p = 0.009. Student's t at the printed numbers, R:
    # sp <- sqrt((265*1.49^2 + 190*1.60^2)/455); se <- sp*sqrt(1/266+1/191)
    # 2*pt(-abs(-0.23/se), 455)  # 0.1152798
    claim = claims["steventon-2014"]["lower-hba1c-adjusted"]
    assert claim.rests_on_adjustment is True
    assert claim.to_dict()["rests_on_adjustment"] is True
    assert claim.spec("student_t").p == pytest.approx(0.1152798, abs=1e-6)
    assert "Its significance rests on the adjustment" in claim.reason


def test_an_unadjusted_difference_the_means_do_not_give(claims):
    # the printed unadjusted -0.26 (-0.60, 0.07) beside means whose difference is -0.23; the
    # pooled t interval, R: -0.23 + c(-1, 1) * qt(0.975, 455) * se  # -0.5164499 0.05644994
    claim = claims["steventon-2014"]["lower-hba1c-unadjusted"]
    assert claim.verdict.value == "inconsistent"
    assert claim.rests_on_adjustment is False
    pooled = next(m for m in claim.estimate.methods if m.method == "pooled_t")
    assert pooled.at_printed[1] == pytest.approx(-0.5164499, abs=1e-6)
    assert pooled.at_printed[2] == pytest.approx(0.05644994, abs=1e-6)


def test_an_adjusted_odds_ratio_of_a_cluster_trial_significant_only_after_adjustment(claims):
    # PMC8762841, Table 3, childbirth serious problems: 19/393 v 35/456, GLMM OR 0.35 (0.14 to
    # 0.92). R: m <- matrix(c(19, 374, 35, 421), 2, byrow = TRUE)
    # chisq.test(m, correct = FALSE)$p.value  # 0.09079651;  fisher.test(m)$p.value  # 0.1201376
    for key in ("childbirth-problems-or", "childbirth-problems-rd"):
        claim = claims["pmc8762841"][key]
        assert claim.verdict.value == "reproduced" and claim.rests_on_adjustment is True
        assert claim.spec("pearson_chi2").p == pytest.approx(0.09079651, abs=1e-7)
        assert claim.spec("fisher_exact").p == pytest.approx(0.1201376, abs=1e-6)


def test_a_lack_of_significance_resting_on_adjustment_is_named_as_such(claims):
    # home childbirths: 17/156 v 27/116, GLMM OR 0.40 (0.15 to 1.05), not significant, while
    # every crude test is. R: m <- matrix(c(17, 139, 27, 89), 2, byrow = TRUE)
    # chisq.test(m, correct = FALSE)$p.value  # 0.006108986
    # chisq.test(m)$p.value                  # 0.01001235
    # fisher.test(m)$p.value                 # 0.007581805 (Boschloo's p is at most this)
    claim = claims["pmc8762841"]["perineal-trauma-home-or"]
    assert claim.rests_on_adjustment is True and claim.claim.significant is False
    assert "Its lack of significance rests on the adjustment" in claim.reason
    # Boschloo's test is not run where Fisher's p decides; its unknown lower end (0) is not
    # quoted as a p, its bound is
    assert "p 0 to" not in claim.reason
    assert "p 0.00611 to 0.0100 over all" in claim.reason
    assert "Boschloo's exact test at most 0.00758" in claim.reason


def test_a_claim_with_no_printed_p_is_not_said_to_have_one(claims):
    claim = claims["pmc8762841"]["any-primary-or"]
    assert claim.claim.reported.p is None
    assert claim.reason.startswith("No p is printed;")
    assert "The printed p" not in claim.reason


def test_crude_tests_that_agree_leave_nothing_resting_on_adjustment(claims):
    # any primary outcome: 50/404 v 85/468, Pearson p = 0.0185 (significant, as the OR 0.63,
    # 0.42 to 0.95, is); R: chisq.test(matrix(c(50, 354, 85, 383), 2, byrow = TRUE),
    # correct = FALSE)$p.value  # 0.01850368
    claim = claims["pmc8762841"]["any-primary-or"]
    assert claim.rests_on_adjustment is False
    assert claim.spec("pearson_chi2").p == pytest.approx(0.01850368, abs=1e-7)


def test_a_printed_relative_risk_that_is_the_odds_ratio(claims):
    # Begley 2011, augmentation of labour: 436/1101 v 314/552, printed "RR 0.50 (0.40 to
    # 0.61)". R (metafor 3.8-1): escalc("RR", ai=436, n1i=1101, ci=314, n2i=552) gives RR
    # 0.6961593 (Katz 0.6280625 to 0.7716393); escalc("OR", ...) gives 0.4969494 (Woolf
    # 0.4039196 to 0.6114056), which is what the paper printed as its RR
    claim = claims["begley-2011"]["less-augmentation"]
    assert claim.verdict.value == "inconsistent"
    katz = next(m for m in claim.estimate.methods if m.method == "katz")
    assert katz.at_printed == pytest.approx((0.6961593, 0.6280625, 0.7716393), abs=1e-6)
    assert not claim.estimate.rebuilt


def test_printed_relative_risks_rebuilt_by_katz(claims):
    # continuous fetal monitoring: 397/1101 v 313/552, printed RR 0.64 (0.57 to 0.71); R:
    # escalc("RR", ai=397, n1i=1101, ci=313, n2i=552): 0.6359133 (0.5712457 to 0.7079016)
    claim = claims["begley-2011"]["less-fetal-monitoring"]
    assert claim.verdict.value == "reproduced" and "katz" in claim.estimate.ci_methods


def test_wald_risk_differences_with_a_zero_cell_rebuild(claims):
    # Muirhead 2006, exclusive at 16 weeks: 2/112 v 0/113, printed 1.8 (-0.7 to 4.2) points:
    # Wald SE = sqrt(2/112 * 110/112 / 112) = 0.012509, so 1.786 -+ 1.95996 * 1.2509 =
    # -0.666 to 4.237 (no 0.5 added: a correction could change the sign of a Wald RD)
    claim = claims["muirhead-2006"]["exclusive-sixteen-weeks-alike"]
    assert claim.estimate.rebuilt and "wald" in claim.estimate.ci_methods
    wald = next(m for m in claim.estimate.methods if m.method == "wald")
    assert wald.at_printed[1] == pytest.approx(-0.666, abs=2e-3)
    assert wald.at_printed[2] == pytest.approx(4.237, abs=2e-3)


def test_a_rank_tests_p_is_not_judged_by_a_ci_of_means(claims):
    # Morrell 2000, Table 2, role limitation (physical) at six weeks: 65.2 (39.4), n = 275 v
    # 73.2 (38.8), n = 260; mean difference -7.9 (-14.6 to 0.9), Mann-Whitney P = 0.008. The
    # printed CI of the means straddles 0 while the rank test's P does not: the two test
    # different things, so the CI's p is context and the claim cannot be judged from summaries.
    # Welch's interval at the printed numbers, R:
    # v1 <- 39.4^2/275; v2 <- 38.8^2/260; se <- sqrt(v1 + v2)
    # df <- (v1 + v2)^2 / (v1^2/274 + v2^2/259)
    # -8.0 + c(-1, 1) * qt(0.975, df) * se  # -14.64289 -1.357111
    claim = claims["morrell-2000"]["role-physical-6w"]
    assert claim.verdict.value == "insufficient_information"
    assert claim.spec("ci_to_p").role == "context"
    assert "Mann-Whitney U test" in claim.reason
    assert "Besides, the printed MD -7.9 (95% CI -14.6 to 0.9) is rebuilt by no method" in \
        claim.reason
    welch = next(m for m in claim.estimate.methods if m.method == "welch_t")
    assert welch.at_printed[1] == pytest.approx(-14.64289, abs=1e-4)
    assert welch.at_printed[2] == pytest.approx(-1.357111, abs=1e-4)


def test_a_printed_difference_outside_its_own_ci_is_said_first():
    # Table 4, physical functioning at six months: "-1.5 (-1.2 to 4.2)"; 89.8 - 91.2 = -1.4
    study = check_file(ROOT / "data" / "morrell-2000.yaml")
    remarks = [remark for remark in study.study.remarks
               if remark.claim == "physical-functioning-6m"]
    assert remarks and "outside its own CI" in remarks[0].note()


def test_an_ancova_coefficient_off_its_own_centre_rests_on_adjustment(claims):
    # Khalifeh 2019, STAI at four weeks: ANCOVA 5.1 (1.0 to 11.3) beside 44.8 (15.5) v 38.1
    # (12.3), n = 23 each. Student's t, R:
    # sp <- sqrt((22*15.5^2 + 22*12.3^2)/44); 2*pt(-6.7/(sp*sqrt(2/23)), 44)  # 0.1115476
    # The interval's centre is (1.0 + 11.3) / 2 = 6.15, z = 6.15 / (10.3 / 3.919928) = 2.3405,
    # p = 0.0193; from the printed 5.1, z = 1.9409, p = 0.0523
    claim = claims["khalifeh-2019"]["stai-higher-t1"]
    assert claim.rests_on_adjustment is True
    assert claim.spec("student_t").p == pytest.approx(0.1115476, abs=1e-6)
    ci = claim.spec("ci_to_p")
    assert ci.p == pytest.approx(0.01926, abs=1e-4)
    assert ci.p_other[0] < 0.0523 < ci.p_other[1]
    assert "from the printed estimate with the CI's width" in claim.reason


def test_means_printed_as_whole_numbers_leave_the_crude_decision_open(claims):
    # PMC11423708, Table 2, intention to treat: 17 (10), n = 187 v 19 (9.8), n = 189 beside a
    # mixed model -2.43 (-4.48 to -0.38), P 0.02. At the printed numbers Student's t gives,
    # R: sp <- sqrt((186*10^2 + 188*9.8^2)/374)
    # 2*pt(-2/(sp*sqrt(1/187 + 1/189)), 374)  # 0.05089816, not significant
    # but each whole-number mean stands for a point-wide interval (a difference of 1 to 3), over
    # which the crude tests reach both sides of 0.05: nothing rests on the adjustment
    claim = claims["pmc11423708"]["lower-itt-minimal"]
    student = claim.spec("student_t")
    assert student.p == pytest.approx(0.05089816, abs=1e-6)
    assert student.p_min < 0.05 < student.p_max
    assert claim.rests_on_adjustment is False
