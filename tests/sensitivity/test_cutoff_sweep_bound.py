"""A claim whose sweep of every cut-off would pass its work bound keeps its bounds at the
stated cut-off, says that the cut-offs its counts fit were not sought, and why."""

from pathlib import Path

from reanalyse.claims.assess import check_file
from reanalyse.kernels.cutoff_bounds import bounds
from reanalyse.sensitivity import cutoff


def test_a_claim_keeps_its_stated_bounds_when_the_sweep_is_refused(monkeypatch):
    study = Path(__file__).parents[1] / "studies" / "synthetic-cutoff-counts.yaml"
    full = check_file(study).to_dict()
    monkeypatch.setattr(bounds, "MAX_SWEEP_PAIRS", 0)
    cutoff._CACHE.clear()
    try:
        limited = check_file(study).to_dict()
    finally:
        cutoff._CACHE.clear()
    compared = 0
    for before, after in zip(full["claims"], limited["claims"]):
        analysis, kept = before["sensitivity"]["cutoff"], after["sensitivity"]["cutoff"]
        for arm_before, arm_after in zip(analysis.get("arms", ()), kept.get("arms", ())):
            if arm_before.get("sweep") is None:
                continue
            compared += 1
            assert arm_after["sweep"] is None
            assert "a sweep examines" in arm_after["sweep_skipped"]
            assert arm_after["stated"] == arm_before["stated"]
            assert arm_after["feasible"] == arm_before["feasible"]
            assert any("were not sought" in note for note in kept["notes"])
    assert compared > 0


def test_which_tests_reach_significance_for_a_one_sided_claim():
    # A generated study made this raise ValueError: the chi-square tests have no one-sided
    # form, so for a one-sided claim only Fisher's test and the pooled z-test are asked.
    from reanalyse.kernels.cutoff_bounds import cutoff_bounds

    treat = cutoff_bounds(60, "7.75", "2.18", (0, 30, 1), 13, ">=")
    control = cutoff_bounds(60, "9.0", "3.0", (0, 30, 1), 13, ">=")
    assert treat.feasible and control.feasible
    names = [reach.name for reach in cutoff._reach(treat, control, "greater", 0.05)]
    assert names == ["fisher_exact", "z_pooled"]
    both = [reach.name for reach in cutoff._reach(treat, control, "two-sided", 0.05)]
    assert set(both) == {"pearson_chi2", "yates_chi2", "fisher_exact", "z_pooled"}
