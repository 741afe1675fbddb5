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
