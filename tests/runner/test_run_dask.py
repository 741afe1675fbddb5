"""``reanalyse run --executor dask``: the same run on a Dask LocalCluster."""

import shutil
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from reanalyse.runner import RunOptions, run_analyses  # noqa: E402

FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"


def test_dask_local_cluster_runs_and_isolates_failures(tmp_path):
    for part in ("studies", "notebooks", "analyses"):
        shutil.copytree(FIXTURES / part, tmp_path / part)
    (tmp_path / "analyses" / "synthetic-raising.yaml").write_text(
        "study: ../studies/synthetic-counts.yaml\nnotebook: ../notebooks/synthetic_raises.ipynb\n",
        encoding="utf-8")
    names = ["synthetic-clear-difference", "synthetic-counts", "synthetic-raising"]
    report = run_analyses([tmp_path / "analyses" / f"{name}.yaml" for name in names],
                          RunOptions(out=tmp_path / "reports", executor="dask", jobs=2))
    runs = {run.name: run for run in report.runs}
    # hand-derived verdicts: see the module docstring of tests/runner/test_run.py
    assert runs["synthetic-clear-difference"].verdicts == {"lower-score": "reproduced"}
    assert runs["synthetic-counts"].verdicts == {"fewer-relapses": "fragile"}
    assert runs["synthetic-raising"].status == "failed"
    assert report.exit_code == 2
    for name in ("synthetic-clear-difference", "synthetic-counts"):
        for suffix in (".html", ".ipynb", ".json"):
            assert (tmp_path / "reports" / f"{name}{suffix}").is_file()
    assert (tmp_path / "reports" / "synthetic-raising.failed.html").is_file()


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    from reanalyse.errors import ReanalyseError
    from reanalyse.runner import dask

    monkeypatch.setattr(dask, "CONNECT_TIMEOUT", 2)
    shutil.copytree(FIXTURES / "studies", tmp_path / "studies")
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    shutil.copytree(FIXTURES / "analyses", tmp_path / "analyses")
    with pytest.raises(ReanalyseError, match="cannot reach the Dask scheduler"):
        run_analyses([tmp_path / "analyses" / "synthetic-counts.yaml"],
                     RunOptions(out=tmp_path / "reports", scheduler="tcp://127.0.0.1:9"))
