"""The verdict carries its partition of the specs; reasons and the report's prose read it."""

from dataclasses import replace
from pathlib import Path

from reanalyse.claims.assess import check_file
from reanalyse.rebuild.results import SpecResult
from reanalyse.claims.verdicts import Verdict, decide_verdict
from reanalyse.kernels.printed import parse_p
from reanalyse.model.studyfile import load_study
from reanalyse.reports.report import explain

RAISI = Path(__file__).parents[2] / "data" / "raisi-dehkordi-2019.yaml"


def reported(name, label, p_min, p_max):
    return SpecResult(name=name, label=label, statistic=None, p=p_min, p_min=p_min, p_max=p_max,
                      significant=p_max <= 0.05 or None, role="reported")


def test_a_reason_naming_two_reported_specs_joins_them_with_spaces():
    # only the paper's own statistic and CI can be rebuilt; both give p = 0.03 to 0.04, which
    # the printed p = .034 lies in, so the printed p follows from them
    specs = (reported("reported_statistic", "p from the printed t statistic", 0.03, 0.04),
             reported("ci_to_p", "p implied by the MD's 95% CI", 0.03, 0.04))
    result = decide_verdict(claimed=True, specs=specs, alpha=0.05, rounding="nearest",
                            printed_p=parse_p("0.034"), printed_statistic=None,
                            statistic_specs=(), impossible=(), missing=(), fragile_reasons=())
    assert result.verdict is Verdict.REPRODUCED
    assert ("p from the printed t statistic and p implied by the MD's 95% CI"
            in result.reason)
    assert "statisticand" not in result.reason
    assert result.partition.basis == ("reported_statistic", "ci_to_p")
    assert result.partition.agree == ("reported_statistic", "ci_to_p")


def test_the_partition_splits_the_defensible_specs_by_the_claimed_significance():
    # Raisi-Dehkordi's chi2 claim (15/60 vs 26/60, significant): Pearson p = 0.034 and the
    # pooled z (the same p) and Boschloo agree; Yates (0.054) and Fisher (0.054) do not
    check = next(c for c in check_file(RAISI).claims if c.claim.id == "fewer-depressed")
    partition = check.partition
    assert set(partition.agree) == {"pearson_chi2", "z_pooled", "boschloo_exact"}
    assert set(partition.against) == {"yates_chi2", "fisher_exact"}
    assert partition.straddle == () and partition.reported == ("reported_statistic",)
    assert check.to_dict()["partition"]["against"] == list(partition.against)


def test_explain_reads_the_partition_of_the_verdict():
    study = load_study(RAISI)
    check = next(c for c in check_file(RAISI).claims if c.claim.id == "fewer-depressed")
    text = explain(check, study)
    assert "Fisher's exact test" in text.split("not:")[1]
    # the prose follows the verdict's partition, whatever the specs' own flags say
    moved = replace(check, partition=replace(check.partition, agree=(), against=(),
                                             straddle=check.partition.judged))
    text = explain(moved, study)
    assert "not:" not in text and "crosses alpha" in text
