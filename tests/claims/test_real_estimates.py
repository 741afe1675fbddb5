"""Printed estimates of real trial reports (data/), judged against their own counts.

Expected values are hand calculations from the printed counts (shown beside each test) and the
verdicts the analyses record (analyses/*.yaml)."""

from pathlib import Path

import pytest
import yaml

from reanalyse.claims.assess import check_file

ROOT = Path(__file__).resolve().parents[2]


def _claims(study):
    return {claim.claim.id: claim for claim in check_file(ROOT / "data" / f"{study}.yaml").claims}


@pytest.fixture(scope="module")
def murray():
    return _claims("murray-2001")


@pytest.mark.parametrize("study", ["murray-2001", "arakawa-2023", "pmc11031393-2024"])
def test_recorded_verdicts(study):
    expected = yaml.safe_load((ROOT / "analyses" / f"{study}.yaml").read_text())["expected"]
    assert {key: claim.verdict.value for key, claim in _claims(study).items()} == expected


def test_a_difference_of_rounded_percentages_is_not_the_counts_difference(murray):
    # Table 5, nine months, therapy: 36/87 - 31/87 = 5/87 = 5.747 points, which prints as 5.7,
    # not the printed 5.8 (= 41.4 - 35.6, the rounded percentages); the Wald CI, 5.747 -+
    # 1.95996 * sqrt(.41379 * .58621 / 87 + .35632 * .64368 / 87) * 100 = -8.69 to 20.18, is
    # the printed -8.7 to 20.2
    claim = murray["therapy-alike-9m"]
    assert claim.verdict.value == "inconsistent"
    assert claim.estimate.estimate_methods == () and "wald" in claim.estimate.ci_methods
    assert "(its value)" in claim.reason


def test_a_ci_end_no_method_gives_is_named_beside_the_flip(murray):
    # three months, no therapy: 41/90 - 30/95 = 13.98 points; Wald SE = sqrt(.45556 * .54444 /
    # 90 + .31579 * .68421 / 95) = 0.070925, lower end 13.98 - 13.90 = 0.08, not the printed
    # 0.8; every test of the counts gives p >= 0.0507
    claim = murray["more-against-3m"]
    assert claim.verdict.value == "decision_flip"
    assert claim.estimate.ci_methods == ()
    wald = next(m for m in claim.estimate.methods if m.method == "wald")
    assert wald.at_printed[1] == pytest.approx(0.0758, abs=5e-4)
    assert "Besides, the printed RD 14" in claim.reason


def test_wald_risk_differences_in_percentage_points_rebuild(murray):
    # three months, undecided: 13/90 - 25/95 = -11.87 points, Wald SE 0.058431, CI -23.32 to
    # -0.42: the printed -11.9 (-23.3 to -0.4)
    claim = murray["fewer-undecided-3m"]
    assert claim.estimate.rebuilt and "wald" in claim.estimate.ci_methods


def test_adjusted_results_are_checked_through_their_ci():
    claims = _claims("arakawa-2023")
    for claim in claims.values():
        assert claim.estimate is None and claim.spec("ci_to_p").role == "reported"
        assert all(spec.role == "context" for spec in claim.specs if spec.name != "ci_to_p")
        # the crude tests agree with the adjusted results here: nothing rests on adjustment
        assert claim.rests_on_adjustment is False
