"""What the team shares never shrinks: a partial run keeps the others in the index; CI names
each failing claim with its study; analysis ids are accepted.

The fixtures and their hand-derived verdicts are those of tests/test_run.py.
"""

import csv
import html
import io
import re
from pathlib import Path

import pytest

from reanalyse.cli import main
from reanalyse.errors import ReanalyseError
from reanalyse.runner import RunOptions, run_analyses
from reanalyse.runner.batch import collect_analyses
from run_fixtures import FIXTURES, VERDICTS


def record_by_hand(workspace, name):
    path = workspace / "analyses" / f"{name}.yaml"
    lines = "".join(f"  {claim}: {verdict}\n" for claim, verdict in VERDICTS[name].items())
    path.write_text(path.read_text(encoding="utf-8") + "expected:\n" + lines, encoding="utf-8")


def page_text(path: Path) -> str:
    """The text a reader sees in an HTML page (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def _run(workspace, paths, **options):
    return run_analyses(paths, RunOptions(out=workspace / "reports", jobs=2, **options))


def _csv(workspace):
    text = (workspace / "reports" / "verdicts.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_partial_run_keeps_every_other_analysis_in_the_index(workspace):
    analyses = workspace / "analyses"
    record_by_hand(workspace, "synthetic-counts")
    first = _run(workspace, [analyses])
    assert first.exit_code == 0 and first.earlier == ()
    index = page_text(workspace / "reports" / "index.html")
    # one recorded verdict, unchanged; two claims with none recorded
    assert "1 recorded verdict, every one unchanged" in index
    assert "2 claims with no recorded verdict" in index
    # per-verdict totals and the legend (hand verdicts: one each)
    assert re.search(r"3 claims:\s*reproduced 1\s*decision flips 1\s*fragile 1", index), index
    assert "What the verdicts mean" in (workspace / "reports" / "index.html").read_text()

    partial = _run(workspace, [analyses / "synthetic-counts.yaml"], force=True)
    assert [run.name for run in partial.runs] == ["synthetic-counts"]
    assert sorted(run.name for run in partial.earlier) == ["synthetic-clear-difference",
                                                           "synthetic-no-difference"]
    assert partial.exit_code == 0   # the others' verdicts do not decide this run's status
    index = page_text(workspace / "reports" / "index.html")
    for name in VERDICTS:
        assert name in index
    assert index.count("not in this run") >= 2 and "last run " in index
    rows = {(row["analysis"], row["claim"]): row for row in _csv(workspace)}
    assert set(rows) == {(name, claim) for name, claims in VERDICTS.items() for claim in claims}
    for (name, claim), row in rows.items():
        assert row["verdict"] == {"reproduced": "reproduced", "decision_flip": "decision flips",
                                  "fragile": "fragile"}[VERDICTS[name][claim]]
        assert row["status"] == ("ran" if name == "synthetic-counts" else "earlier")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", row["last_run"])


def test_an_analysis_whose_file_is_gone_leaves_the_index(workspace):
    analyses = workspace / "analyses"
    _run(workspace, [analyses])
    (analyses / "synthetic-no-difference.yaml").unlink()
    partial = _run(workspace, [analyses / "synthetic-counts.yaml"])
    assert [run.name for run in partial.earlier] == ["synthetic-clear-difference"]
    assert {row["analysis"] for row in _csv(workspace)} == {"synthetic-counts",
                                                            "synthetic-clear-difference"}


def test_no_recorded_verdict_is_never_every_verdict_as_recorded(workspace):
    _run(workspace, [workspace / "analyses" / "synthetic-counts.yaml"])
    index = page_text(workspace / "reports" / "index.html")
    assert "as recorded" not in index and "no verdict recorded yet" in index


def test_analysis_ids_are_accepted_and_a_wrong_one_gets_a_hint(workspace):
    analyses = workspace / "analyses"
    assert collect_analyses(["synthetic-counts"], default_dir=analyses) == [
        (analyses / "synthetic-counts.yaml").resolve()]
    with pytest.raises(ReanalyseError) as caught:
        collect_analyses(["synthetic-count"], default_dir=analyses)
    assert "did you mean synthetic-counts?" in str(caught.value)
    assert "synthetic-no-difference" in str(caught.value)


@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_fail_on_names_study_and_claim_even_when_quiet(capsys, quiet):
    studies = FIXTURES / "studies"
    code = main(["check", str(studies / "synthetic-no-difference.yaml"),
                 str(studies / "synthetic-counts.yaml"), "--fail-on", "decision_flip,fragile",
                 *quiet])
    assert code == 1
    err = capsys.readouterr().err
    assert "--fail-on: synthetic-no-difference/lower-score (decision flips)" in err
    assert "--fail-on: synthetic-counts/fewer-relapses (fragile)" in err
