"""Printed estimates judged like printed p-values, adjustment named, exact bounds before
models, and claims about differences judged by the test of the difference.

Every study here is synthetic (tests/studies/synthetic-*.yaml); the expected intervals are
hand calculations (in the study files' comments and below) and R (tests/oracles)."""

from pathlib import Path

import pytest

from reanalyse.claims.assess import check_file

STUDIES = Path(__file__).resolve().parents[1] / "studies"


@pytest.fixture(scope="module")
def estimates():
    result = check_file(STUDIES / "synthetic-printed-estimates.yaml")
    return {claim.claim.id: claim for claim in result.claims}


@pytest.mark.parametrize("claim_id", ["or-wrong", "rr-wrong", "md-wrong"])
def test_estimates_the_numbers_cannot_give_are_inconsistent(estimates, claim_id):
    claim = estimates[claim_id]
    assert claim.verdict.value == "inconsistent"
    assert "rebuilt by no method" in claim.reason
    assert claim.estimate is not None and not claim.estimate.rebuilt


def test_wrong_or_reason_names_what_the_counts_give(estimates):
    # 20/50 v 10/50: Woolf 1.09 to 6.52 (hand calculation in test_kernels_estimates.py)
    reason = estimates["or-wrong"].reason
    assert "OR 3.50 (95% CI 1.40 to 8.60)" in reason
    assert "OR 2.67" in reason and "1.09 to 6.52 (Woolf)" in reason
    assert "neither its value nor its CI" in reason


def test_wrong_rr_fails_on_its_ci_only(estimates):
    # the printed RR 2.00 is the sample RR; its CI 1.30 to 3.10 is no method's (Katz 1.04 to
    # 3.83, Koopman 1.07 to 3.85)
    check = estimates["rr-wrong"].estimate
    assert check.estimate_methods == ("katz", "koopman") and check.ci_methods == ()
    assert "(its CI)" in estimates["rr-wrong"].reason


def test_wrong_md_also_names_the_ci_p_disagreement(estimates):
    # MD 2.5 (1.35 to 3.65): SE = 2.3 / 3.92 = 0.587, z = 4.26, p = 2e-5; the t-tests on
    # 10.0 (3.0) v 8.5 (2.8) give p about 0.011 -- over a hundredfold apart
    assert "over a hundredfold apart" in estimates["md-wrong"].reason


@pytest.mark.parametrize("claim_id,methods", [
    ("or-woolf", ("woolf",)), ("rr-katz", ("katz",)), ("or-exact", ("conditional",)),
    ("rd-newcombe", ("newcombe",)), ("md-right", ("pooled_t", "welch_t")),
    ("smd-hedges", ("hedges_ls", "hedges_ls2", "hedges_ub"))])
def test_right_estimates_are_reproduced_by_the_named_methods(estimates, claim_id, methods):
    claim = estimates[claim_id]
    assert claim.verdict.value == "reproduced"
    assert set(methods) <= set(claim.estimate.ci_methods)
    assert claim.estimate.direction == "as printed"


@pytest.mark.parametrize("claim_id,direction", [("or-reciprocal", "reciprocal"),
                                                ("md-negated", "negated")])
def test_reversed_estimates_are_read_with_a_note(estimates, claim_id, direction):
    # 0.375 = 1 / 2.667, and 1 / 6.524 = 0.153, 1 / 1.090 = 0.917 (Woolf, reversed)
    claim = estimates[claim_id]
    assert claim.verdict.value == "reproduced"
    assert claim.estimate.direction == direction
    assert any("is read that way" in note for note in claim.notes)
    assert "is read as control" in claim.reason


def test_a_ci_on_a_side_no_rebuilt_ci_reaches_flips_the_decision(estimates):
    # 12/50 v 10/50: Woolf 0.489 to 3.26; the printed 1.01 to 1.57 lies wholly above 1
    claim = estimates["or-wrong-side"]
    assert claim.verdict.value == "decision_flip"
    assert claim.estimate.flips and "lies above the null" in claim.reason


def test_significance_resting_on_adjustment_is_named(estimates):
    # adjusted OR 0.48 (0.26 to 0.92) beside 31/137 v 41/141, whose crude Pearson p is 0.22:
    # chi2 = 278 (31*100 - 106*41)**2 / (72 * 206 * 137 * 141) = 431599448 / 286509744 =
    # 1.5064, p = P(chi2_1 > 1.5064) = 0.2197
    claim = estimates["adjusted-only"]
    assert claim.rests_on_adjustment is True
    assert claim.to_dict()["rests_on_adjustment"] is True
    assert "rests on the adjustment" in claim.reason
    assert claim.spec("pearson_chi2").p == pytest.approx(0.2197, abs=2e-4)
    assert claim.estimate is None  # an adjusted estimate is not rebuilt


def test_unadjusted_claims_do_not_rest_on_adjustment(estimates):
    assert not any(claim.rests_on_adjustment for key, claim in estimates.items()
                   if key != "adjusted-only")


def test_estimate_check_is_in_the_json(estimates):
    data = estimates["or-wrong"].to_dict()["estimate"]
    assert data["rebuilt"] is False and data["measure"] == "OR"
    assert [m["method"] for m in data["methods"]] == ["woolf", "conditional", "mid_p"]


def test_a_model_never_decides_where_exact_bounds_fit():
    # 0..27 scale, mean 1.80 (3.30) and 1.90 (3.40), n = 100: a normal model expects about
    # 1 of 100 at or above 10, yet the exact bounds allow 0 to 13 and 0 to 14 (witness
    # datasets in the JSON), so the printed 5 and 12 fit
    (claim,) = check_file(STUDIES / "synthetic-floor-scale.yaml").claims
    assert claim.verdict.value == "reproduced"
    assert claim.sensitivity.cutoff.arms[0].stated.count_max >= 5
    assert claim.sensitivity.cutoff.arms[1].stated.count_max >= 12
    assert any(note.startswith("model note") for note in claim.notes)
    assert claim.sensitivity.fragile_reasons == ()


@pytest.fixture(scope="module")
def subgroups():
    result = check_file(STUDIES / "synthetic-subgroups.yaml")
    return {claim.claim.id: claim for claim in result.claims}


def test_significant_here_not_there_is_not_a_significant_difference(subgroups):
    # low risk 10/100 v 22/100: log OR = log(10*78 / (90*22)) = -0.9316, v = 1/10 + 1/90 +
    # 1/22 + 1/78 = 0.16938; high risk 10/40 v 12/40: log OR = log(280 / 360) = -0.2513,
    # v = 1/10 + 1/30 + 1/12 + 1/28 = 0.25238.  z = -0.6803 / sqrt(0.42176) = -1.0475,
    # p = 0.295; ratio of ORs exp(-0.6803) = 0.506
    assert subgroups["benefit-low"].verdict.value == "reproduced"
    assert subgroups["benefit-high"].verdict.value == "reproduced"
    claim = subgroups["low-differs-from-high"]
    assert claim.verdict.value == "decision_flip"
    (spec,) = claim.specs
    assert spec.p == pytest.approx(0.295, abs=5e-4)
    assert claim.effects[-1].estimate == pytest.approx(0.5065, abs=5e-4)
    assert "is not a significant difference" in claim.reason


def test_a_difference_claimed_not_significant_is_reproduced(subgroups):
    assert subgroups["alike"].verdict.value == "reproduced"


def test_two_outcomes_on_the_same_participants_say_the_test_is_conservative(subgroups):
    claim = subgroups["outcomes-differ"]
    assert any("same participants" in note for note in claim.notes)


def test_the_report_shows_rests_on_adjustment_beside_the_verdict():
    from reanalyse.reports.report import bottom_line, verdict_table

    result = check_file(STUDIES / "synthetic-printed-estimates.yaml")
    table = verdict_table(result)._repr_html_()
    assert table.count("rests on adjustment") == 1
    assert bottom_line(result).count("rests on adjustment") == 1


def test_hazard_ratios_are_context_only(tmp_path):
    # an HR beside counts is not rebuilt (counts hold no follow-up times); its CI's p is checked
    text = (STUDIES / "synthetic-printed-estimates.yaml").read_text()
    text = text.replace("id: synthetic-printed-estimates", "id: synthetic-hazard")
    text = text.replace('{estimate: {measure: OR, value: "3.50", ci: ["1.40", "8.60"]}}',
                        '{estimate: {measure: HR, value: "0.70", ci: ["0.50", "0.98"]}}')
    path = tmp_path / "synthetic-hazard.yaml"
    path.write_text(text)
    claim = next(c for c in check_file(path).claims if c.claim.id == "or-wrong")
    assert claim.estimate is None and claim.spec("ci_to_p") is not None


def test_the_report_lists_every_method_beside_the_printed_estimate(estimates):
    from reanalyse.reports.report import estimate_table

    html = estimate_table(estimates["or-wrong"])._repr_html_()
    assert "Woolf" in html and "conditional MLE, exact" in html and "1.09 to 6.52" in html
    assert estimate_table(estimates["adjusted-only"]) is None


def test_the_report_shows_a_comparison_without_a_significance_map(subgroups, capsys):
    from reanalyse.reports.report import show_claims

    result = check_file(STUDIES / "synthetic-subgroups.yaml")
    show_claims(result, result.study)
    assert "ratio of ORs" in capsys.readouterr().out
