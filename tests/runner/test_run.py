"""``reanalyse run``: failures isolated, atomic reports, incremental runs, exit codes, escaping.

The synthetic studies under tests/fixtures/run/studies have verdicts that follow by hand:

- synthetic-clear-difference: means 10.0 vs 20.0, SD 1.0, n 30 per arm.  Student's
  t = 10 / sqrt(1/30 + 1/30) = 38.7 on 58 df, and even at the rounding box's least favourable
  corner (difference 9.9, SDs 1.05) t = 9.9 / (1.05 * 0.2582) = 36.5: p is far below the
  printed "< 0.001" for Student's and Welch's tests, so the claim is ``reproduced``.
- synthetic-no-difference: means 10.0 vs 10.1, SD 5.0, n 20.  At most (difference 0.2,
  SDs 4.95) t = 0.2 / (4.95 * sqrt(2/20)) = 0.13, p > 0.89: no test gives the claimed
  significance, so ``decision_flip``.
- synthetic-counts: 15/60 vs 26/60.  R: chisq.test(correct = FALSE) p = 0.0342,
  chisq.test() (Yates) p = 0.0543, fisher.test() p = 0.0536: significant by one defensible
  test and not by another, so ``fragile``.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reanalyse.runner import RunOptions, run_analyses
from run_fixtures import VERDICTS


def analysis(workspace, name, study, notebook="synthetic_minimal", extra=""):
    """Write analyses/<name>.yaml for a fixture study and notebook."""
    path = workspace / "analyses" / f"{name}.yaml"
    path.write_text(f"study: ../studies/{study}.yaml\nnotebook: ../notebooks/{notebook}.ipynb\n"
                    + extra, encoding="utf-8")
    return path


def record_by_hand(workspace, name):
    """Write the hand-derived verdicts (module docstring) as the analysis's expected block."""
    path = workspace / "analyses" / f"{name}.yaml"
    lines = "".join(f"  {claim}: {verdict}\n" for claim, verdict in VERDICTS[name].items())
    path.write_text(path.read_text(encoding="utf-8") + "expected:\n" + lines, encoding="utf-8")


def run(workspace, paths=None, **options):
    events = []
    report = run_analyses(paths or [workspace / "analyses"],
                          RunOptions(out=workspace / "reports", **options),
                          progress=lambda event, value: events.append((event, value)))
    return report, events


def by_name(report):
    return {run.name: run for run in report.runs}


def page_text(path: Path) -> str:
    """The text a reader sees in an HTML page (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def snapshot(folder: Path) -> dict:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_good_run_writes_reports_and_matches_hand_verdicts(workspace):
    for name in VERDICTS:
        record_by_hand(workspace, name)
    report, events = run(workspace)
    assert report.exit_code == 0
    runs = by_name(report)
    for name, verdicts in VERDICTS.items():
        assert runs[name].status == "ran"
        assert runs[name].verdicts == verdicts
        for suffix in (".html", ".ipynb", ".json"):
            assert (workspace / "reports" / f"{name}{suffix}").is_file()
    assert events[0] == ("planned", (3, 3, 0))
    data = json.loads((workspace / "reports" / "synthetic-counts.json").read_text())
    # the shape of `reanalyse check --format json`, plus the run's metadata
    assert data["study"] == "synthetic-counts"
    assert [claim["verdict"] for claim in data["claims"]] == ["fragile"]
    pearson = next(s for s in data["claims"][0]["specs"] if s["name"] == "pearson_chi2")
    assert pearson["p"] == pytest.approx(0.03423628, rel=1e-6)  # R chisq.test(correct = FALSE)
    metadata = data["run"]
    assert {"reanalyse", "python", "scipy", "statsmodels", "papermill"} <= \
        set(metadata["environment"])
    assert set(metadata["inputs"]) == {"notebook", "study", "analysis"}
    assert all(value.startswith("sha256:") for value in metadata["inputs"].values())
    csv_lines = (workspace / "reports" / "verdicts.csv").read_text().splitlines()
    assert csv_lines[0] == "analysis,study,claim,verdict,expected,matches_expected,status,reason,last_run"
    assert len(csv_lines) == 4  # one row per claim
    assert csv_lines[1].startswith("synthetic-clear-difference,synthetic-clear-difference,"
                                   "lower-score,reproduced,reproduced,true,ran,")


def test_failures_are_isolated_reported_and_leave_good_reports_untouched(workspace):
    """One broken study file and one notebook that raises: the others still render, both
    failures are reported, the exit status is 2 and the earlier good reports stay as they were."""
    analysis(workspace, "synthetic-raising", "synthetic-counts")
    first, _ = run(workspace)
    assert {run.status for run in first.runs} == {"ran"}
    reports = workspace / "reports"
    before = snapshot(reports)

    study = workspace / "studies" / "synthetic-clear-difference.yaml"
    study.write_text(study.read_text().replace("sd: 1.0}", "sd: -1.0}", 1), encoding="utf-8")
    analysis(workspace, "synthetic-raising", "synthetic-counts", notebook="synthetic_raises")
    second, _ = run(workspace, force=True)

    runs = by_name(second)
    assert second.exit_code == 2
    assert runs["synthetic-clear-difference"].status == "bad_input"
    assert "sd" in runs["synthetic-clear-difference"].error.field
    assert runs["synthetic-raising"].status == "failed"
    assert "RuntimeError" in runs["synthetic-raising"].error.summary
    for name in ("synthetic-no-difference", "synthetic-counts"):
        assert runs[name].status == "ran"  # rendered again, despite the failures
    after = snapshot(reports)
    for name in ("synthetic-clear-difference", "synthetic-raising"):
        for suffix in (".html", ".ipynb", ".json"):
            assert after[name + suffix] == before[name + suffix]
    # the failing cell is shown, code and error, although code is hidden by default
    failed = page_text(reports / "synthetic-raising.failed.html")
    assert "raise RuntimeError(" in failed
    assert "synthetic failure raised on purpose by a test notebook" in failed
    assert "report.verdict_table" not in failed  # the cells that ran fine keep their code hidden
    assert (reports / "synthetic-raising.failed.ipynb").is_file()
    bad = (reports / "synthetic-clear-difference.failed.html").read_text()
    assert "synthetic-clear-difference.yaml" in bad and "sd" in bad
    index = (reports / "index.html").read_text()
    assert index.count('class="failed"') == 2
    assert "FAILED: bad input" in index and "last good report" in index

    # fixed again: the failure pages go, the good reports come back
    analysis(workspace, "synthetic-raising", "synthetic-counts")
    third, _ = run(workspace, paths=[workspace / "analyses" / "synthetic-raising.yaml"])
    assert third.exit_code == 0  # no verdicts recorded: new claims, not changes
    assert not (reports / "synthetic-raising.failed.html").exists()


def test_second_run_with_nothing_changed_executes_nothing(workspace):
    for name in VERDICTS:
        record_by_hand(workspace, name)
    first, _ = run(workspace)
    assert first.exit_code == 0
    before = {path.name: path.stat().st_mtime_ns for path in (workspace / "reports").iterdir()
              if path.suffix in (".html", ".ipynb", ".json") and path.name != "index.html"}
    second, events = run(workspace)
    assert events[0] == ("planned", (3, 0, 3))  # nothing to execute
    assert {run.status for run in second.runs} == {"up_to_date"}
    assert by_name(second)["synthetic-counts"].verdicts == VERDICTS["synthetic-counts"]
    assert second.exit_code == 0
    after = {name: (workspace / "reports" / name).stat().st_mtime_ns for name in before}
    assert after == before
    # a changed input runs that analysis only; --force runs them all
    study = workspace / "studies" / "synthetic-counts.yaml"
    study.write_text(study.read_text() + "\n# an edit\n", encoding="utf-8")
    third, events = run(workspace)
    assert events[0] == ("planned", (3, 1, 2))
    assert by_name(third)["synthetic-counts"].status == "ran"
    _, events = run(workspace, force=True)
    assert events[0] == ("planned", (3, 3, 0))


def test_recorded_verdicts_are_written_and_the_reports_showing_them_renewed(workspace):
    first, events = run(workspace, record=True)
    assert first.exit_code == 0
    assert {run.name for run in first.recorded} == set(VERDICTS)
    assert ("renewing", 3) in events
    for name, verdicts in VERDICTS.items():
        text = (workspace / "analyses" / f"{name}.yaml").read_text()
        assert text.startswith("# Synthetic analysis")  # the file's comments are kept
        assert "expected:\n" + "".join(f"  {c}: {v}\n" for c, v in verdicts.items()) in text
    # each report shows the recorded verdicts beside the current ones: --record renewed them,
    # and the next run has nothing to do
    report = workspace / "reports" / "synthetic-clear-difference.html"
    assert "Recorded verdict" in report.read_text() and "<td>same</td>" in report.read_text()
    assert "changed</td>" not in report.read_text()
    second, events = run(workspace)
    assert events[0] == ("planned", (3, 0, 3)) and second.exit_code == 0


def test_claims_with_no_recorded_verdict_are_new_not_changed(workspace):
    report, _ = run(workspace, paths=[workspace / "analyses" / "synthetic-counts.yaml"])
    counts = report.runs[0]
    assert counts.changes == []
    assert counts.new_claims == [("fewer-relapses", "fragile")]
    assert report.exit_code == 0
    csv_lines = (workspace / "reports" / "verdicts.csv").read_text().splitlines()
    assert csv_lines[1] == ("synthetic-counts,synthetic-counts,fewer-relapses,fragile,,,ran,"
                            + csv_lines[1].split(",ran,", 1)[1])


def test_cli_changed_verdict_exits_1_with_a_diff(workspace):
    record_by_hand(workspace, "synthetic-clear-difference")
    target = workspace / "analyses" / "synthetic-clear-difference.yaml"
    study = workspace / "studies" / "synthetic-clear-difference.yaml"
    # the control mean moved next to the treatment's: the claimed difference is gone
    study.write_text(study.read_text().replace("mean: 20.0", "mean: 10.1"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reanalyse", "run", str(target), "--out",
         str(workspace / "reports")], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"--- {target} (expected)" in result.stdout
    assert "-  lower-score: reproduced\n+  lower-score: decision flips" in result.stdout
    assert result.stdout.rstrip().endswith(f"Reports: {workspace / 'reports' / 'index.html'}")
    assert "[1/1] synthetic-clear-difference: ran in" in result.stderr  # plain lines, no TTY


def test_cli_bad_options_exit_2(workspace):
    result = subprocess.run([sys.executable, "-m", "reanalyse", "run", "--jobs", "0",
                             str(workspace / "analyses")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "jobs must be at least 1" in result.stderr
    result = subprocess.run([sys.executable, "-m", "reanalyse", "run",
                             str(workspace / "nowhere")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "nowhere: no such file or folder" in result.stderr


def test_html_escapes_text_from_study_files(workspace):
    study = workspace / "studies" / "synthetic-counts.yaml"
    study.write_text(study.read_text().replace(
        'citation: "Synthetic study (not a real trial): event counts in two arms"',
        'citation: "Synthetic <script>alert(\'citation\')</script> study"').replace(
        'text: "Fewer relapses', 'text: "<script>alert(\'claim\')</script> Fewer relapses'),
        encoding="utf-8")
    report, _ = run(workspace, paths=[workspace / "analyses" / "synthetic-counts.yaml"])
    assert report.runs[0].status == "ran"
    for page in ("synthetic-counts.html", "index.html"):
        text = (workspace / "reports" / page).read_text()
        assert "<script>alert(" not in text
        assert "&lt;script&gt;alert(" in text


def test_notebook_contract_violations_are_bad_input(workspace):
    analysis(workspace, "synthetic-unknown-parameter", "synthetic-counts",
             extra="parameters:\n  not_declared: 3\n")
    analysis(workspace, "synthetic-no-parameters-cell", "synthetic-counts",
             notebook="synthetic_no_parameters")
    analysis(workspace, "synthetic-silent", "synthetic-counts",
             notebook="synthetic_publishes_nothing")
    names = ["synthetic-unknown-parameter", "synthetic-no-parameters-cell", "synthetic-silent"]
    report, _ = run(workspace, paths=[workspace / "analyses" / f"{n}.yaml" for n in names])
    runs = by_name(report)
    assert runs["synthetic-unknown-parameter"].status == "bad_input"
    assert "not_declared" in runs["synthetic-unknown-parameter"].error.summary
    assert runs["synthetic-no-parameters-cell"].status == "bad_input"
    assert "tagged 'parameters'" in runs["synthetic-no-parameters-cell"].error.summary
    assert runs["synthetic-silent"].status == "failed"
    assert "published no verdicts" in runs["synthetic-silent"].error.summary
    assert report.exit_code == 2


def test_timeout_and_dead_kernel_fail_their_analysis_only(workspace):
    analysis(workspace, "synthetic-sleeps", "synthetic-counts", notebook="synthetic_sleeps")
    analysis(workspace, "synthetic-kills-kernel", "synthetic-counts",
             notebook="synthetic_kills_kernel")
    names = ["synthetic-sleeps", "synthetic-kills-kernel", "synthetic-counts"]
    report, _ = run(workspace, paths=[workspace / "analyses" / f"{n}.yaml" for n in names],
                    timeout=8)
    runs = by_name(report)
    assert runs["synthetic-sleeps"].status == "failed"
    assert runs["synthetic-sleeps"].error.kind == "timeout"
    assert runs["synthetic-kills-kernel"].status == "failed"
    assert runs["synthetic-kills-kernel"].error.kind == "dead_kernel"
    assert runs["synthetic-counts"].status == "ran"
    page = page_text(workspace / "reports" / "synthetic-sleeps.failed.html")
    assert "time.sleep(120)" in page and "timeout" in page


def test_show_code_keeps_the_code(workspace):
    path = [workspace / "analyses" / "synthetic-counts.yaml"]
    run(workspace, paths=path)
    hidden = page_text(workspace / "reports" / "synthetic-counts.html")
    report, _ = run(workspace, paths=path, show_code=True)
    assert report.runs[0].status == "ran"  # a new setting: not up to date
    shown = page_text(workspace / "reports" / "synthetic-counts.html")
    assert "analysis_from_parameters" not in hidden
    assert "analysis_from_parameters" in shown


def test_spawned_kernels_are_this_interpreters_whatever_kernelspecs_say(workspace, monkeypatch,
                                                                      tmp_path_factory):
    """A python3 kernelspec that points elsewhere (as a user-wide one can from a virtual
    environment) is not used: the kernel is this interpreter's."""
    specs = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    specs.mkdir(parents=True)
    (specs / "kernel.json").write_text(json.dumps({
        "argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "a stale kernel", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(specs.parent.parent))
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python"
    report, _ = run(workspace, paths=[workspace / "analyses" / "synthetic-counts.yaml"],
                    kernel_start="spawn")
    assert report.runs[0].verdicts == VERDICTS["synthetic-counts"], report.runs[0].error
    notebook = json.loads((workspace / "reports" / "synthetic-counts.ipynb").read_text())
    assert notebook["metadata"]["language_info"]["version"] == \
        ".".join(map(str, sys.version_info[:3]))


def test_duplicate_analysis_names_are_bad_input(workspace):
    other = workspace / "other"
    other.mkdir()
    shutil.copy(workspace / "analyses" / "synthetic-counts.yaml", other)  # same relative paths
    report, _ = run(workspace, paths=[workspace / "analyses" / "synthetic-counts.yaml",
                                      other / "synthetic-counts.yaml"])
    first, second = report.runs
    assert first.status == "ran"
    assert second.status == "bad_input"
    assert "same name" in second.error.summary
    assert second.files == {}
    assert report.exit_code == 2


def test_kernel_start_failure_is_retried(workspace, monkeypatch):
    from reanalyse.runner import jupyter
    from reanalyse.runner.execution import OK, Task, execute_task

    real, calls = jupyter.fork_kernel, []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise jupyter.ZygoteError("synthetic start-up failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(jupyter, "fork_kernel", flaky)
    analysis_path = workspace / "analyses" / "synthetic-counts.yaml"
    task = Task(name="synthetic-counts", analysis_path=str(analysis_path),
                study_path=str(workspace / "studies" / "synthetic-counts.yaml"),
                notebook_path=str(workspace / "notebooks" / "synthetic_minimal.ipynb"),
                title="synthetic", kernel_start="fork")
    outcome = execute_task(task)
    assert outcome.status == OK, outcome.error
    assert outcome.kernel_attempts == 2
    assert len(calls) == 2
    assert outcome.result["claims"][0]["verdict"] == "fragile"
