"""Printed pooled lines judged: the verdict rules on synthetic facts and synthetic reviews, a
pool that rests on an impossible study, and the two shipped reviews against metafor.

R values come from metafor 4 (Debian's r-cran-metafor) with metadat's datasets; the call is
written beside each value.
"""

from pathlib import Path

import pytest

from reanalyse.model.vocabulary import Verdict
from reanalyse.reviews import check_review
from reanalyse.reviews.verdicts import EstimatorFacts, PoolFacts, decide_pool_verdict

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = Path(__file__).parents[1] / "reviews"
ALL = {"estimate": True, "ci_low": True, "ci_high": True}


def facts(*estimators, **fields):
    return PoolFacts(**{"k": 5, "claimed": True, "named": "REML",
                        "estimators": tuple(estimators), "primary": "REML", **fields})


def test_fewer_than_two_studies_is_insufficient():
    verdict, reason = decide_pool_verdict(facts(EstimatorFacts("REML", "agree", ALL), k=1))
    assert verdict is Verdict.INSUFFICIENT_INFORMATION and "1 included study" in reason


def test_no_estimator_giving_the_claim_flips_the_decision():
    verdict, reason = decide_pool_verdict(facts(EstimatorFacts("REML", "against", ALL),
                                                EstimatorFacts("DL", "against", ALL)))
    assert verdict is Verdict.DECISION_FLIP and "DerSimonian-Laird" in reason


def test_a_significance_that_depends_on_the_estimator_is_fragile_and_named():
    verdict, reason = decide_pool_verdict(facts(EstimatorFacts("REML", "agree", ALL),
                                                EstimatorFacts("REML+HKSJ", "against", ALL)))
    assert verdict is Verdict.FRAGILE
    assert "on the estimator: REML keep it significant" in reason
    assert "REML with Hartung-Knapp do not" in reason


def test_a_significance_that_depends_on_rounding_is_fragile():
    verdict, reason = decide_pool_verdict(facts(EstimatorFacts("REML", "straddle", ALL)))
    assert verdict is Verdict.FRAGILE and "rounding" in reason


def test_one_study_turning_the_result_is_named():
    verdict, reason = decide_pool_verdict(facts(EstimatorFacts("REML", "agree", ALL),
                                                flipping_studies=("smith-2004",)))
    assert verdict is Verdict.FRAGILE and "leaving out smith-2004" in reason


def test_a_result_that_turns_without_impossible_studies_is_fragile():
    verdict, reason = decide_pool_verdict(facts(
        EstimatorFacts("REML", "agree", ALL), impossible=("jones-2010",),
        survives_without_impossible=False))
    assert verdict is Verdict.FRAGILE
    assert "impossible (jones-2010): without them it is not significant" in reason


def test_a_result_that_survives_its_impossible_study_says_so():
    verdict, reason = decide_pool_verdict(facts(
        EstimatorFacts("REML", "agree", ALL), impossible=("jones-2010",),
        survives_without_impossible=True))
    assert verdict is Verdict.REPRODUCED
    assert "rests on studies whose own numbers are impossible (jones-2010)" in reason


def test_a_printed_number_no_estimator_gives_is_inconsistent():
    misses = {"estimate": True, "statistic": False}
    verdict, reason = decide_pool_verdict(facts(
        EstimatorFacts("REML", "agree", misses), EstimatorFacts("DL", "agree", misses),
        primary_values={"statistic": "z = 1.94"}))
    assert verdict is Verdict.INCONSISTENT
    assert "but no estimator rebuilds the printed test statistic;" in reason
    assert "REML gives test statistic (z = 1.94)" in reason


def test_only_another_estimator_rebuilding_is_reproduced_with_alternative():
    verdict, reason = decide_pool_verdict(facts(
        EstimatorFacts("REML", "agree", {"estimate": False}),
        EstimatorFacts("PM", "agree", {"estimate": True})))
    assert verdict is Verdict.REPRODUCED_WITH_ALTERNATIVE
    assert "Paule-Mandel" in reason and "not with the REML" in reason


def test_a_pool_resting_on_an_impossible_study_is_called_out():
    result = check_review(SYNTHETIC / "synthetic-rests-on-impossible.yaml")
    check = result.pools[0]
    impossible = next(s for s in check.studies if s.id == "synthetic-impossible-mean")
    assert impossible.verdict == "impossible_input" and impossible.impossible
    assert "GRIM" in impossible.reason
    assert check.verdict is Verdict.FRAGILE
    assert "synthetic-impossible-mean" in check.reason and "impossible" in check.reason
    assert check.survives_without_impossible is False
    # R: rma(measure="MD", m1i=c(10.0,10.1), sd1i=c(3,3), n1i=c(30,40), m2i=c(10.2,10.4),
    #        sd2i=c(3,3), n2i=c(30,40), method="FE") -> -0.2571429 [-1.251026, 0.7367403],
    #        p 0.6120899; with the impossible study (m1i 5.03, sd 1, n 20 v 6, 1, 20):
    #        -0.7704, p 0.004090315
    without = check.without_impossible
    assert without.estimate == pytest.approx(-0.2571429, rel=1e-6)
    assert (without.ci_low, without.ci_high) == pytest.approx((-1.251026, 0.7367403), rel=1e-6)
    assert without.pvalue == pytest.approx(0.6120899, rel=1e-6)
    assert check.estimator("FE").fit.pvalue == pytest.approx(0.004090315, rel=1e-5)


def test_a_pool_that_holds_without_its_impossible_study_keeps_it_named():
    result = check_review(SYNTHETIC / "synthetic-survives-impossible.yaml")
    check = result.pools[0]
    assert check.survives_without_impossible is True
    # R: rma(measure="MD", m1i=c(9.0,9.1), sd1i=c(3,3), n1i=c(30,40), m2i=c(11,11.2),
    #        sd2i=c(3,3), n2i=c(30,40), method="FE") -> -2.057143, p 4.976233e-05
    assert check.without_impossible.estimate == pytest.approx(-2.057143, rel=1e-6)
    assert check.without_impossible.pvalue == pytest.approx(4.976233e-05, rel=1e-5)
    assert "synthetic-impossible-mean" in check.reason


def test_hahn_2001_is_rebuilt_by_peto_not_mantel_haenszel():
    check = check_review(ROOT / "reviews" / "hahn-2001.yaml").pools[0]
    # R: rma.peto(ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=dat.hahn2001), exponentiated
    #    -> OR 0.6147776086 [0.4693540608, 0.8052588432]: the abstract's 0.61 (0.47 to 0.81)
    peto = check.estimator("PETO")
    assert (peto.fit.estimate, peto.fit.ci_low, peto.fit.ci_high) == pytest.approx(
        (0.6147776086, 0.4693540608, 0.8052588432), rel=1e-6)
    assert all(peto.fits.values())
    # R: rma.mh(ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=dat.hahn2001, measure="OR")
    #    -> OR 0.6100443351 [0.4630870202, 0.8036374904]: 0.463 does not round to 0.47
    mantel = check.estimator("MH")
    assert (mantel.fit.estimate, mantel.fit.ci_low, mantel.fit.ci_high) == pytest.approx(
        (0.6100443351, 0.4630870202, 0.8036374904), rel=1e-6)
    assert mantel.fits["ci_low"] is False and mantel.fits["estimate"] is True
    # no estimator is named (the paper's Methods were not read): Peto, the only one that
    # rebuilds the printed line, is the primary estimator and the line is reproduced
    assert check.primary == "PETO" and check.verdict is Verdict.REPRODUCED
    assert check.reason.startswith("Peto rebuilds the printed pooled line")


def test_michael_2013_rebuilt_as_metafor_and_judged():
    check = check_review(ROOT / "reviews" / "michael-2013.yaml").pools[0]
    # R: rma(measure="MD", m1i=Brain_m, sd1i=Brain_s, n1i=Brain_n, m2i=No_brain_m,
    #        sd2i=No_brain_s, n2i=No_brain_n, data=dat.michael2013,
    #        control=list(threshold=1e-12, maxiter=1000))                     (REML)
    #    -> 0.06736542241 [-0.0006822885684, 0.1354131334], z 1.94031217,
    #       p 0.05234176329, tau2 0.003816235259, QE 15.73214091
    reml = check.estimator("REML").fit
    assert (reml.estimate, reml.ci_low, reml.ci_high) == pytest.approx(
        (0.06736542241, -0.0006822885684, 0.1354131334), rel=1e-6)
    assert (reml.statistic, reml.pvalue, reml.tau2, reml.q) == pytest.approx(
        (1.94031217, 0.05234176329, 0.003816235259, 15.73214091), rel=1e-6)
    # p = .07 is claimed not significant; whether it is depends on the estimator within
    # the rounding box and on single studies (Exp 1, 4, 8 and 10 each hold it above .05)
    assert check.claimed is False and check.primary == "DL"
    assert check.verdict is Verdict.FRAGILE
    assert "on the estimator" in check.reason
    assert "leaving out exp-1, exp-4, exp-8 and exp-10" in check.reason
    left = {entry.study: entry for entry in check.leave_one_out}
    assert left["exp-4"].fit.pvalue < 0.05 < check.estimator("DL").fit.pvalue
    assert left["exp-4"].significant
    # the report reads each decision; the rule is the project's: p <= alpha is significant
    assert all(entry.significant == (entry.fit.pvalue <= 0.05) for entry in left.values())


def test_an_estimator_that_does_not_converge_is_left_out_and_said(monkeypatch):
    from reanalyse.kernels.meta import ConvergenceError
    from reanalyse.reviews import pooling

    fit = pooling.fit

    def failing(inputs, name, **options):
        if name.startswith("PM"):
            raise ConvergenceError("no tau^2 up to 100 brings Q below 11")
        return fit(inputs, name, **options)

    monkeypatch.setattr(pooling, "fit", failing)
    check = check_review(ROOT / "reviews" / "michael-2013.yaml").pools[0]
    assert [e.name for e in check.estimators] == ["FE", "DL", "REML", "DL+HKSJ", "REML+HKSJ"]
    assert check.notes == ("Paule-Mandel left out: no tau^2 up to 100 brings Q below 11",
                           "Paule-Mandel with Hartung-Knapp left out: no tau^2 up to 100 "
                           "brings Q below 11")


def test_the_public_face_checks_a_review():
    import reanalyse as ra

    result = ra.check_review(ROOT / "reviews" / "hahn-2001.yaml")
    assert result.pools[0].verdict.value == "reproduced"
    assert ra.load_review(ROOT / "reviews" / "hahn-2001.yaml").id == "hahn-2001"
