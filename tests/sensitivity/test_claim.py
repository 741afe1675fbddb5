"""The per-claim entry point on synthetic study files (written to a temporary directory).

Expected numbers come from R; the helper for raw data with a given mean and SD is
    make <- function(n, m, s) { x <- qnorm(ppoints(n)); m + s * (x - mean(x)) / sd(x) }
"""

import json
import textwrap

import pytest

from reanalyse.claims.assess import check_claim
from reanalyse.kernels.printed import Rounding, parse_number
from reanalyse.sensitivity import ANALYSES, NotComputed, claim_sensitivity
from reanalyse.model.study import ContinuousArm
from reanalyse.model.studyfile import load_study

# The founding case's shape: 7 of 19 lost from the massage arm, completers analysed, a binary
# "clinical range" outcome cut from the continuous score, one baseline variable.
ATTRITION_STUDY = """
id: synthetic-sensitivity
citation: "Synthetic study for the sensitivity tests (no real trial)"
arms:
  - {id: massage, label: massage, randomised: 19}
  - {id: control, label: control, randomised: 15}
outcomes:
  - id: age
    label: Age
    type: continuous
    baseline: true
    arms:
      massage: {n: 19, mean: 27.3, sd: 4.1}
      control: {n: 15, mean: 26.9, sd: 4.4}
  - id: epds
    label: EPDS at 12 weeks
    type: continuous
    scale: {min: 0, max: 30, items: 1}     # the EPDS is a sum: whole-number scores
    arms:
      massage: {n: 12, mean: 10.1, sd: 3.2}
      control: {n: 15, mean: 13.4, sd: 3.6}
  - id: clinical
    label: EPDS of 13 or more at 12 weeks
    type: binary
    derived_from: epds
    cutoff: ">= 13"
    arms:
      massage: {n: 12, events: 2}
      control: {n: 15, events: 9}
claims:
  - id: fewer-clinical
    outcome: clinical
    population: completers
    reported: {test: fisher_exact, p: "0.047"}
    significant: true
  - id: lower-epds
    outcome: epds
    population: itt
    reported: {test: t, p: "0.02"}
    significant: true
  - id: age-similar
    outcome: age
    significant: false
"""

# O'Higgins et al. 2008's shape: 31 vs 31 randomised, no per-arm numbers printed.
NUMBERS_ABSENT_STUDY = """
id: synthetic-absent
citation: "Synthetic study for the sensitivity tests (no real trial)"
arms:
  - {id: massage, label: massage, randomised: 31}
  - {id: support, label: support, randomised: 31}
outcomes:
  - id: reduction
    label: Clinical reduction in EPDS
    type: binary
    derived_from: score
    arms: {massage: {}, support: {}}
  - id: score
    label: EPDS
    type: continuous
    arms: {massage: {}, support: {}}
claims:
  - {id: more-reduction, outcome: reduction, reported: {p: "< 0.05"}, significant: true}
  - {id: no-difference, outcome: score, significant: false}
"""

PERCENT_STUDY = """
id: synthetic-percent
citation: "Synthetic study for the sensitivity tests (no real trial)"
arms:
  - {id: treat, label: treatment, randomised: 125}
  - {id: control, label: control, randomised: 120}
  - {id: third, label: third, randomised: 40}
outcomes:
  - id: event
    label: Event
    type: binary
    arms:
      treat: {n: 120, percent: 8}
      control: {n: 120, events: 25}
      third: {n: 40, events: 10}
claims:
  - {id: fewer-events, outcome: event, arms: [treat, control], significant: true}
"""


def study_from(tmp_path, text):
    first = next(line for line in text.splitlines() if line.startswith("id: "))
    path = tmp_path / f"{first[4:].strip()}.yaml"
    path.write_text(textwrap.dedent(text))
    return load_study(path)


def sensitivity(study, claim_id, **options):
    claim = next(c for c in study.claims if c.id == claim_id)
    return claim_sensitivity(study, claim, **options)


def test_fragility_below_attrition_is_a_fragile_reason(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    result = sensitivity(study, "fewer-clinical")
    assert result.randomised == (19, 15) and result.analysed == (12, 15)
    assert result.lost == (7, 0) and result.lost_total == 7
    # R: fisher.test on 2/12 vs 9/15 p = 0.04732804; Walsh (events added to the massage arm,
    # the lower proportion): 3/12 vs 9/15 is no longer significant -> index 1
    assert result.fragility.index_min == 1
    assert result.fragility.results[0].p_value == pytest.approx(0.0473280387669943, rel=1e-9)
    assert ("the fragility index (1) is below the 7 participants lost to follow-up"
            in result.fragile_reasons)


def test_attrition_reason_names_the_failing_imputation(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    result = sensitivity(study, "fewer-clinical")
    # R: fisher.test on 9/19 vs 9/15 (the 7 missing all in the clinical range) p = 0.5096000
    assert result.attrition.test == "fisher_exact"
    assert result.attrition.p_max == pytest.approx(0.509600038690332, rel=1e-9)
    assert ("with 7 participants missing from the massage arm, the difference would no "
            "longer be significant if all the missing participants had the event (p = 0.510)"
            in result.fragile_reasons)


def test_dichotomisation_on_both_claims_reason_only_on_the_binary_one(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    binary = sensitivity(study, "fewer-clinical").dichotomisation
    continuous = sensitivity(study, "lower-epds").dichotomisation
    # R: 12.5 + 3.2 * qnorm(2/12) - (12.5 + 3.6 * qnorm(9/15)) = -4.007799 (integer EPDS
    # scores: ">= 13" read as > 12.5); printed difference CI, R: t.test(make(12, 10.1, 3.2),
    # make(15, 13.4, 3.6), var.equal = TRUE)$conf.int = (-6.035762, -0.564238)
    for result in (binary, continuous):
        assert result.implied_difference == pytest.approx(-4.00779858281432, rel=1e-9)
        assert result.printed_ci == pytest.approx((-6.03576189392151, -0.564238106078488),
                                                  rel=1e-9)
        assert result.coheres


def test_itt_label_with_missing_participants_is_noted(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    result = sensitivity(study, "lower-epds")
    assert result.population == "itt"
    assert ("the claim is marked intention-to-treat, but 7 participants randomised were not "
            "analysed") in result.notes
    # R: t.test(c(make(12, 10.1, 3.2), rep(30, 7)), make(15, 13.4, 3.6), var.equal = TRUE)
    #   $p.value = 0.1539944 (the 7 at the scale's maximum)
    assert result.attrition.p_max == pytest.approx(0.153994397693683, rel=1e-9)
    assert not result.attrition.survives


def test_baseline_and_bayes_factor_for_a_claim_of_no_difference(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    result = sensitivity(study, "age-similar")
    # R: t.test(make(19, 27.3, 4.1), make(15, 26.9, 4.4), var.equal = TRUE): t = 0.2735305,
    #   p = 0.7862032; over the rounding box p from 0.7316098 (27.35 (4.05) vs 26.85 (4.35))
    #   to 0.8406103 (27.25 (4.15) vs 26.95 (4.45))
    variable = result.baseline.variables[0]
    assert variable.p == pytest.approx(0.786203202219643, rel=1e-9)
    assert (variable.p_min, variable.p_max) == pytest.approx((0.731609779759122,
                                                              0.840610273849531), rel=1e-9)
    assert result.baseline.combined_p == pytest.approx(0.786203202219643, rel=1e-9)
    # R: BayesFactor::ttest.tstat(t = 0.2735305, n1 = 19, n2 = 15, rscale = 0.707,
    #   simple = TRUE) = 0.3401419
    assert result.bayes_factor.bf10 == pytest.approx(0.34014187464267, rel=1e-6)
    assert result.bayes_factor.reading == "absence_of_evidence"
    # nobody was lost from the baseline measure and the claim holds in every analysis
    assert isinstance(result.attrition, NotComputed)
    assert result.fragile_reasons == ()


def test_the_check_reuses_its_student_t_for_the_same_bayes_factor(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    claim = next(c for c in study.claims if c.id == "age-similar")
    checked = check_claim(study, claim).sensitivity.bayes_factor
    # the same R value as above: BayesFactor::ttest.tstat(t = 0.2735305, n1 = 19, n2 = 15,
    #   rscale = 0.707, simple = TRUE) = 0.3401419
    assert checked.bf10 == pytest.approx(0.34014187464267, rel=1e-6)
    assert checked.to_dict() == sensitivity(study, "age-similar").bayes_factor.to_dict()


def test_significant_claims_get_no_bayes_factor(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    result = sensitivity(study, "lower-epds")
    assert isinstance(result.bayes_factor, NotComputed)


def test_numbers_absent_say_what_the_sample_allows(tmp_path):
    study = study_from(tmp_path, NUMBERS_ABSENT_STUDY)
    result = sensitivity(study, "more-reduction")
    assert isinstance(result.fragility, NotComputed)
    assert result.fragility.missing == ("n and events or percent for massage",
                                        "n and events or percent for support")
    assert isinstance(result.attrition, NotComputed)
    assert result.attrition.missing == ("number analysed in massage", "number analysed in support")
    assert result.dichotomisation.missing == ("cutoff of reduction",)
    allowance = result.allowance
    # hand/R: qt(0.975, 60) * sqrt(2 / 31) = 0.5080762
    assert (allowance.treat_n, allowance.control_n) == (31, 31)
    assert allowance.smallest_smd == pytest.approx(0.508076154868031, rel=1e-12)
    # R loop over all tables (test_sensitivity_allowance.R_NEEDED_31): 4 is the smallest
    # difference, by Pearson's chi-square (4/31 vs 0/31, p = 0.03865735)
    smallest = allowance.counts.test("any").smallest
    assert (smallest.treat_events, smallest.control_events) == (4, 0)
    # the continuous outcome printed no numbers either: it gets both parts too
    assert sensitivity(study, "no-difference").allowance.counts.test("any").smallest == smallest
    assert any("uses the numbers randomised" in note for note in result.notes)
    assert result.fragile_reasons == ()


def test_printed_numbers_get_the_allowance_of_their_outcome_type(tmp_path):
    study = study_from(tmp_path, ATTRITION_STUDY)
    continuous = sensitivity(study, "lower-epds").allowance
    # R: qt(0.975, 25) * sqrt(1/12 + 1/15) = 0.7976559
    assert continuous.smallest_smd == pytest.approx(0.797655851568565, rel=1e-12)
    assert continuous.counts is None
    binary = sensitivity(study, "fewer-clinical").allowance
    assert binary.smallest_smd is None and binary.power_at == ()
    # R loop over every table of 12 vs 15 (chisq.test with and without correction,
    # fisher.test; p <= 0.05): the smallest risk difference is 0.25, 3/12 vs 0/15, p = 0.03998
    smallest = binary.counts.test("any").smallest
    assert (smallest.treat_events, smallest.control_events) == (3, 0)
    assert smallest.p == pytest.approx(0.0399796029462568, rel=1e-9)


def test_power_at_a_stated_effect(tmp_path):
    study = study_from(tmp_path, NUMBERS_ABSENT_STUDY)
    result = sensitivity(study, "no-difference", effects=(0.5,))
    # R: pwr::pwr.t.test(n = 31, d = 0.5)$power = 0.4908697 (block power_bf)
    ((smd, power),) = result.allowance.power_at
    assert smd == 0.5 and power == pytest.approx(0.490869673667402, rel=1e-9)


def test_percentages_give_a_fragility_range(tmp_path):
    study = study_from(tmp_path, PERCENT_STUDY)
    result = sensitivity(study, "fewer-events")
    # "8" % of 120 allows 9 or 10 events (10 closest); R (test_sensitivity_fragility):
    # Walsh's index 3 for 10/120 vs 25/120, 4 for 9/120 vs 25/120
    assert (result.fragility.index_min, result.fragility.index_max) == (3, 4)
    # the printed pair (closest to 8%: 10/120 = 8.3%) is reported first
    assert result.fragility.results[0].treat_events == 10
    assert result.to_dict()["fragility"]["printed"]["index"] == 3
    # 5 lost from the treatment arm, 0 from control: index 3 is below 5
    assert ("the fragility index (3 to 4 over the count pairs the percentages allow) is below "
            "the 5 participants lost to follow-up") in result.fragile_reasons
    assert any("read as completers" in note for note in result.notes)


THREE_ARM_STUDY = """
id: synthetic-three-arms
citation: "Synthetic study for the sensitivity tests (no real trial)"
arms:
  - {id: a, label: first, randomised: 20}
  - {id: b, label: second, randomised: 20}
  - {id: c, label: third, randomised: 20}
outcomes:
  - id: score
    label: Score
    type: continuous
    arms:
      a: {n: 20, mean: 10.0, sd: 2.0}
      b: {n: 20, mean: 11.0, sd: 2.0}
      c: {n: 20, mean: 12.0, sd: 2.0}
claims:
  - {id: differ, outcome: score, significant: true}
"""


def test_claims_over_three_arms_are_not_analysed(tmp_path):
    result = sensitivity(study_from(tmp_path, THREE_ARM_STUDY), "differ")
    for name in ANALYSES:
        assert isinstance(getattr(result, name), NotComputed)
        assert getattr(result, name).analysis == name
    assert "compares 3 arms" in result.allowance.reason


def test_to_dict_is_strict_json_with_every_analysis(tmp_path):
    for text in (ATTRITION_STUDY, NUMBERS_ABSENT_STUDY, PERCENT_STUDY, THREE_ARM_STUDY):
        study = study_from(tmp_path, text)
        for claim in study.claims:
            data = claim_sensitivity(study, claim, alpha=0.05, rounding="half_up").to_dict()
            text_out = json.dumps(data, allow_nan=False)
            assert set(ANALYSES) <= set(data)
            assert all("explanation" in data[name] for name in ANALYSES)
            assert json.loads(text_out)["claim"] == claim.id


def test_arm_summaries_are_read_under_the_claims_rounding():
    # "8.60" truncated stands for [8.60, 8.61), "2.1" for [2.1, 2.2); to the nearest for
    # [8.595, 8.605] and [2.05, 2.15] (hand calculation)
    # The arm keeps the printed text; the convention is an argument of whatever reads it.
    arm = ContinuousArm(n=20, mean=parse_number("8.60"), sd=parse_number("2.1"))
    assert arm.mean.interval("truncate") == pytest.approx((8.60, 8.61))
    assert arm.sd_bounds("truncate") == pytest.approx((2.1, 2.1, 2.2))
    assert arm.n == 20 and arm.mean.text == "8.60"
    assert arm.mean_bounds(Rounding.NEAREST) == pytest.approx((8.60, 8.595, 8.605))
    # CI 9.0 to 11.0 rounded up: the ends come from (8.9, 9.0] and (10.9, 11.0]
    interval = ContinuousArm(n=16, ci=(parse_number("9.0"), parse_number("11.0")))
    assert [end.interval("ceiling") for end in interval.ci] == [
        pytest.approx((8.9, 9.0)), pytest.approx((10.9, 11.0))]
