"""One verdict per claim: the shipped Raisi Dehkordi study and synthetic edge cases.

Expected verdicts follow from hand calculations (in the comments) or from R values in
tests/oracles/r_oracles.json; none is read off the code under test.
"""

import re
from pathlib import Path

import pytest
from scipy import stats

from oracle_values import r_oracle
from reanalyse.claims.assess import CheckOptions, check_file

HERE = Path(__file__).parents[1]
DATA = HERE.parent / "data"


@pytest.fixture(scope="module")
def raisi():
    result = check_file(DATA / "raisi-dehkordi-2019.yaml")
    return {claim.claim.id: claim for claim in result.claims}


@pytest.fixture(scope="module")
def edge():
    result = check_file(HERE / "studies" / "synthetic-edge-cases.yaml")
    return {claim.claim.id: claim for claim in result.claims}


def test_raisi_chi_square_is_fragile_because_yates_and_fisher_disagree(raisi):
    claim = raisi["fewer-depressed"]
    (pearson,) = r_oracle("two_by_two", case="raisi_dehkordi", test="chisq_pearson")
    (yates,) = r_oracle("two_by_two", case="raisi_dehkordi", test="chisq_yates")
    (fisher,) = r_oracle("two_by_two", case="raisi_dehkordi", test="fisher",
                         alternative="two.sided")
    # R: chisq.test(correct = FALSE) p = 0.0342 rebuilds the printed 4.48 / 0.034;
    # chisq.test(correct = TRUE) p = 0.0543 and fisher.test p = 0.0536 are above 0.05.
    assert claim.spec("pearson_chi2").p == pytest.approx(pearson["p_value"], rel=1e-9)
    assert claim.spec("yates_chi2").p == pytest.approx(yates["p_value"], rel=1e-9)
    assert claim.spec("fisher_exact").p == pytest.approx(fisher["p_value"], rel=1e-7)
    assert claim.verdict.value == "fragile"
    assert "Yates" in claim.reason and "Fisher" in claim.reason
    assert claim.matched_spec is None


def test_raisi_odds_ratio_ci_implies_p_near_003_not_0003(raisi):
    claim = raisi["adjusted-odds"]
    # hand calculation in test_reported.py: the CI [0.2, 0.94] implies p = 0.034
    assert claim.verdict.value == "inconsistent"
    # its p is the centre's (0.031 to 0.038), which reads the significance; the printed 0.5's
    # with the CI's width (0.018 to 0.20 over the rounding of "0.5") is a second reading, and
    # the printed p is judged against both (the reason names both)
    spec = claim.spec("ci_to_p")
    assert 0.0307 < spec.p_min < spec.p_max < 0.0376 and spec.significant is True
    low, high = spec.p_other
    assert low < 0.0308 and high > 0.0791
    assert "from the printed estimate with the CI's width" in claim.reason
    # the unadjusted tests are shown, not judged, beside an adjusted model
    assert claim.spec("pearson_chi2").role == "context"


def test_raisi_mean_scores_reproduced(raisi):
    claim = raisi["lower-epds"]
    (student,) = r_oracle("t_two_sample", case="raisi_dehkordi_epds_post", method="student",
                          alternative="two.sided")
    assert claim.spec("student_t").p == pytest.approx(student["p_value"], rel=1e-9)
    assert claim.verdict.value == "reproduced" and claim.matched_spec == "student_t"


def test_raisi_baseline_names_the_missing_numbers(raisi):
    claim = raisi["baseline-similar"]
    assert claim.verdict.value == "insufficient_information"
    assert "mean and sd for Infant massage" in claim.reason


@pytest.mark.parametrize("claim_id, verdict", [
    # t = -2 / (2 * sqrt(2/50)) = -5.0 on 98 df, p = 2.5e-6: printed "-5.00, p < .001"
    ("reproduced", "reproduced"),
    # same data, but printed p = .02: the decision holds, the p does not
    ("inconsistent-p", "inconsistent"),
    # t = -0.5 / (3 * sqrt(2/20)) = -0.53, p = 0.60: no test is significant
    ("decision-flip", "decision_flip"),
    # Student: sp = sqrt((9 + 39*16)/48) = 3.631, t = 3 / (3.631 * sqrt(1/10 + 1/40)) = 2.34;
    # Welch: t = 3 / sqrt(1/10 + 16/40) = 4.24 = the printed t: both significant
    ("with-welch", "reproduced_with_alternative"),
    # Student: t = 2 / 1.284 = 1.56, p = 0.13; Welch: t = 2 / 0.707 = 2.83, p = 0.007
    ("test-choice", "fragile"),
    # Bhatia-Davis: var <= (30 - 2)(2 - 0) * 20/19 = 58.9, so SD <= 7.68 < 9.0
    ("impossible-sd", "impossible_input"),
    # GRIM: 5.19 * 28 = 145.32; 145/28 = 5.179 and 146/28 = 5.214 round to 5.18 and 5.21
    ("impossible-mean", "impossible_input"),
    # 3/7 = 42.9% and 4/7 = 57.1%: no count of 7 prints as 50.0%
    ("impossible-percent", "impossible_input"),
    # t(40) in [2.015, 2.025]: 2*pt(-2.015, 40) = 0.0507 > .05 > 2*pt(-2.025, 40) = 0.0496
    ("t-straddles-alpha", "fragile"),
    # z in [1.955, 1.965]: p from 0.0494 to 0.0506, around alpha; the printed p = .05 counts
    # as significant (statcheck's convention) but the rounding leaves the decision open
    ("z-at-alpha", "fragile"),
    # R oneway.test(var.equal = TRUE) on 10/2, 11/2.2, 12.5/2.1 (n = 20): F = 7.84, p = 0.001
    ("anova", "reproduced"),
    # one-sided (less): t = -0.53 on 38 df, p = pt(-0.527, 38) = 0.30
    ("one-sided", "reproduced"),
    # fisher.test 3/31 vs 11/31: p = 0.031 (R two_by_two block): significant at 0.05, not 0.01
    ("strict-alpha", "reproduced"),
    # two arms: t = -1.5 / (2 * sqrt(2/20)) = -2.372 on 38 df, so the printed F(1, 38) = t**2
    # = 5.625 ("5.62") is the t-test's, p = 2 * pt(-2.372, 38) = 0.023
    ("f-for-two-arms", "reproduced"),
    # Bhatia-Davis at the mean 5 on 0-10, n = 2: s**2 <= 2/1 * (10 - 5)(5 - 0) = 50, s <= 7.07,
    # so SD 7.05 is possible (values 0.014 and 9.986); the bound at the rounding interval's
    # ends (4.5 or 5.5) would be sqrt(2 * 5.5 * 4.5) = 7.04 and wrongly exclude it
    ("sd-at-mid-scale", "reproduced"),
])
def test_edge_case_verdicts(edge, claim_id, verdict):
    assert edge[claim_id].verdict.value == verdict, edge[claim_id].reason


def test_a_printed_pooled_z_test_is_the_primary_spec(edge):
    # 3/31 vs 11/31: pooled proportion 14/62 = 0.2258, SE = sqrt(0.2258 * 0.7742 * 2/31)
    # = 0.1062, z = (0.0968 - 0.3548) / 0.1062 = -2.43, p = 2 * pnorm(-2.43) = 0.015
    claim = edge["z-named"]
    spec = claim.spec("z_pooled")
    assert spec.role == "primary" and spec.p == pytest.approx(0.0151, abs=5e-4)
    assert claim.verdict.value == "reproduced" and claim.matched_spec == "z_pooled"


def test_hand_calculations_behind_the_edge_cases():
    # the rounding interval of t(40) = 2.02 straddles alpha
    assert 2 * stats.t.sf(2.015, 40) > 0.05 > 2 * stats.t.sf(2.025, 40)
    assert 2 * stats.norm.sf(1.955) > 0.05 > 2 * stats.norm.sf(1.965)


def test_anova_matches_r(edge):
    (case,) = r_oracle("oneway", case="three_equal_n_similar_sd", method="fisher_anova")
    spec = edge["anova"].spec("anova_f")
    # the study prints means as integers ("10", "11"), so the box is wide; at the printed
    # values the F is R's
    assert spec.statistic == pytest.approx(case["statistic"], rel=1e-9)


def test_strict_alpha_flips_the_decision(edge):
    claim = edge["strict-alpha"]
    (fisher,) = r_oracle("two_by_two", test="fisher", alternative="two.sided",
                         treat_events=3, treat_n=31, control_events=11, control_n=31)
    assert claim.alpha == 0.01
    assert claim.spec("fisher_exact").p == pytest.approx(fisher["p_value"], rel=1e-7)
    assert 0.01 < fisher["p_value"] < 0.05


def test_options_override_alpha_and_defensible_tests():
    path = HERE / "studies" / "synthetic-edge-cases.yaml"
    only_welch = check_file(path, CheckOptions(defensible=("welch_t",)))
    claim = next(c for c in only_welch.claims if c.claim.id == "test-choice")
    # with Student's test not counted as defensible, Welch alone decides
    assert claim.verdict.value == "reproduced"
    assert claim.spec("student_t").role == "context"
    with pytest.raises(ValueError, match="unknown test name"):
        CheckOptions(defensible=("studnet_t",))


def test_a_model_with_nothing_of_its_own_printed_says_what_is_missing():
    # Morrell 2009 names a logistic regression for 34% vs 46% and prints no OR, CI or
    # statistic: the model cannot be rebuilt from the counts, and nothing of it can be checked
    claim = check_file(DATA / "morrell-2009.yaml").claims[0]
    assert claim.claim.id == "fewer-at-risk-depressed-6m"
    assert claim.verdict.value == "insufficient_information"
    assert "logistic regression" in claim.reason and "confidence interval" in claim.reason
    assert "shown as context" in claim.reason
    assert all(spec.role == "context" for spec in claim.specs)
    assert claim.missing and all(claim.missing)


def test_an_adjusted_estimate_without_its_ci_says_what_is_missing(tmp_path):
    study = tmp_path / "synthetic-adjusted.yaml"
    study.write_text(
        "id: synthetic-adjusted\ncitation: 'Synthetic study (not a real trial)'\n"
        "arms:\n  - {id: a, label: A, randomised: 50}\n  - {id: b, label: B, randomised: 50}\n"
        "outcomes:\n  - id: relapse\n    label: Relapse\n    type: binary\n    arms:\n"
        "      a: {n: 50, events: 10}\n      b: {n: 50, events: 20}\n"
        "claims:\n  - id: fewer\n    outcome: relapse\n    arms: [a, b]\n    significant: true\n"
        "    reported: {estimate: {measure: OR, value: '0.40', adjusted: true}}\n",
        encoding="utf-8")
    claim = check_file(study).claims[0]
    assert claim.verdict.value == "insufficient_information"
    assert "confidence interval of the adjusted OR" in claim.reason


def test_no_reason_is_built_from_an_empty_list():
    """Every shipped and synthetic study: no reason ends a clause on nothing."""
    from reanalyse.claims.verdicts import decide_verdict

    files = sorted(DATA.glob("*.yaml")) + sorted((HERE / "studies").glob("*.yaml"))
    reasons = [claim.reason for path in files for claim in check_file(path).claims]
    assert len(reasons) > 20
    for reason in reasons:
        # a clause cut off where a list should be: "lacks .", "do not: .", "and ;", "()"
        assert not re.search(r"(\b(lacks|and|or|by)|[:,;])\s*[.,;:)]|\(\s*\)|  ", reason), reason
    # nothing missing and nothing rebuilt: a sentence, not "lacks ."
    bare = decide_verdict(claimed=True, specs=(), alpha=0.05, rounding="nearest",
                          printed_p=None, printed_statistic=None, statistic_specs=(),
                          impossible=(), missing=(), fragile_reasons=())
    assert bare.reason == "No test can be rebuilt from the printed numbers."
