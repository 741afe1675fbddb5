"""``reanalyse run`` under faults: bad analysis files among good ones, a read-only or full report
folder, files from outside the project, colliding names, hostile text in the CSV and in plot
labels, signals, and a notebook that kills the kernel fork server.

The synthetic studies and notebooks are those of tests/runner/test_run.py (tests/fixtures/run); the
verdict of synthetic-counts (``fragile``) is derived by hand in that module's docstring.
"""

import csv
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reanalyse.runner import RunOptions, run_analyses
from reanalyse.runner.batch import AnalysisRun
from run_fixtures import FIXTURES

SOURCES = str(Path(__file__).resolve().parents[2] / "src")


def analysis(workspace, name, study="../studies/synthetic-counts.yaml",
             notebook="../notebooks/synthetic_minimal.ipynb", extra=""):
    path = workspace / "analyses" / f"{name}.yaml"
    path.write_text(f"study: {study}\nnotebook: {notebook}\n{extra}", encoding="utf-8")
    return path


def run(workspace, paths, **options):
    return run_analyses(paths, RunOptions(out=workspace / "reports", **options))


def by_name(report):
    return {run.name: run for run in report.runs}


def snapshot(folder: Path) -> dict:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- bad analyses among good ones -----------------------------------------------------------


def test_bad_analysis_files_are_failed_rows_and_the_others_run(workspace, monkeypatch):
    """Four kinds of bad analysis among a good one: each is one failed row with its file and
    field named, the good one runs, the index lists all, and the exit status is 2."""
    from reanalyse.commands.run import format_summary
    from reanalyse.runner import hashing

    (workspace / "analyses" / "synthetic-clear-difference.yaml").unlink()
    (workspace / "analyses" / "synthetic-no-difference.yaml").unlink()
    analysis(workspace, "synthetic-unknown-key", extra="colour: blue\n")
    analysis(workspace, "synthetic-bad-verdict", extra="expected:\n  fewer-relapses: great\n")
    analysis(workspace, "synthetic-unexpected")  # fails in preparation (injected below)
    # a bad study file: found by the worker, reported with file, line, field and hint
    study = workspace / "studies" / "synthetic-bad-study.yaml"
    study.write_text((workspace / "studies" / "synthetic-counts.yaml").read_text()
                     .replace("id: synthetic-counts", "id: synthetic-bad-study")
                     .replace("events: 15}", "events: 75}"), encoding="utf-8")
    analysis(workspace, "synthetic-bad-study", study="../studies/synthetic-bad-study.yaml")
    (workspace / "data").mkdir()
    shutil.copy(workspace / "studies" / "synthetic-counts.yaml",
                workspace / "data" / "synthetic-unnamed.yaml")

    real = hashing.input_hashes

    def failing(analysis):
        if analysis.name == "synthetic-unexpected":
            raise TypeError("Object of type date is not JSON serializable")
        return real(analysis)

    monkeypatch.setattr(hashing, "input_hashes", failing)
    report = run(workspace, [workspace / "analyses"])
    runs = by_name(report)
    assert runs["synthetic-counts"].status == "ran"
    assert runs["synthetic-counts"].verdicts == {"fewer-relapses": "fragile"}
    assert runs["synthetic-unknown-key"].status == "bad_input"
    assert runs["synthetic-unknown-key"].error.field == "colour"
    assert runs["synthetic-bad-verdict"].error.field == "expected.fewer-relapses"
    assert runs["synthetic-unexpected"].status == "bad_input"
    assert "TypeError" in runs["synthetic-unexpected"].error.summary
    bad_study = runs["synthetic-bad-study"]
    assert bad_study.status == "bad_input"
    assert bad_study.error.path.endswith("synthetic-bad-study.yaml")
    assert bad_study.error.line and bad_study.error.hint
    assert report.exit_code == 2
    index = (workspace / "reports" / "index.html").read_text()
    assert index.count('class="failed"') == 4
    for name in runs:
        assert (workspace / "reports" / f"{name}.failed.html").exists() \
            or runs[name].status == "ran"
    summary = format_summary(report)
    # the same file:line message and hint as `reanalyse check` prints
    assert f"{study}:{bad_study.error.line}: " in summary
    assert "hint: " + bad_study.error.hint in summary
    assert report.unused_studies == (workspace / "data" / "synthetic-unnamed.yaml",)
    assert "no analysis names the study file" in summary


# --- the report folder: read-only, full ------------------------------------------------------


def _inject(monkeypatch, folder: Path, error: int, names=None):
    """Make writes and removals in ``folder`` fail with ``error`` (in this process only):
    creating a file, renaming onto one, removing one, and flushing one to disk."""
    owner = os.getpid()
    folder = str(folder)

    def blocked(path) -> bool:
        path = os.fspath(path)
        if os.getpid() != owner or not os.path.dirname(os.path.abspath(path)) == folder:
            return False
        return names is None or any(os.path.basename(path).lstrip(".").startswith(name)
                                    for name in names)

    def fail(path):
        raise OSError(error, os.strerror(error), os.fspath(path))

    real_open, real_replace, real_unlink, real_fsync = os.open, os.replace, os.unlink, os.fsync

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and blocked(path):
            fail(path)
        return real_open(path, flags, *args, **kwargs)

    def replace_(source, target, *args, **kwargs):
        if blocked(target):
            fail(target)
        return real_replace(source, target, *args, **kwargs)

    def unlink_(path, *args, **kwargs):
        if blocked(path):
            fail(path)
        return real_unlink(path, *args, **kwargs)

    def fsync_(fd):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target and blocked(target):
            raise OSError(error, os.strerror(error))
        return real_fsync(fd)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "replace", replace_)
    monkeypatch.setattr(os, "unlink", unlink_)
    monkeypatch.setattr(os, "fsync", fsync_)


def _read_only(monkeypatch, folder: Path):
    """A read-only folder: by permissions where they bind (not for root), else injected."""
    folder.chmod(0o555)
    probe = folder / ".probe"
    try:
        probe.write_text("")
    except PermissionError:
        return
    probe.unlink()
    folder.chmod(0o755)
    _inject(monkeypatch, folder, errno.EROFS)


def test_read_only_report_folder_is_reported_and_keeps_every_file(workspace, monkeypatch):
    paths = [workspace / "analyses" / "synthetic-counts.yaml"]
    first = run(workspace, paths)
    assert first.exit_code == 0
    reports = workspace / "reports"
    (reports / "synthetic-counts.failed.html").write_text("a stale failure page")
    before = snapshot(reports)
    _read_only(monkeypatch, reports)
    try:
        # up to date, with a stale failure page that cannot be removed: no exception
        second = run(workspace, paths)
        assert second.runs[0].status == "up_to_date"
        assert second.exit_code == 2
        assert any("synthetic-counts.failed.html" in p for p in second.problems)
        assert any("index.html" in p for p in second.problems)
        # run again: the new report cannot be written; the old one stays as it was
        third = run(workspace, paths, force=True)
        assert third.runs[0].status == "failed"
        assert "could not be written" in third.runs[0].error.summary
        assert third.exit_code == 2
    finally:
        reports.chmod(0o755)
    assert snapshot(reports) == before


def test_full_report_folder_writes_what_it_can(workspace, monkeypatch):
    """No space for one analysis's files (ENOSPC when they are flushed): that analysis fails,
    its earlier report stays whole, no temporary file is left, and the rest is written."""
    from reanalyse.commands.run import format_summary

    paths = [workspace / "analyses" / "synthetic-counts.yaml",
             workspace / "analyses" / "synthetic-clear-difference.yaml"]
    run(workspace, paths[:1])
    reports = workspace / "reports"
    before = snapshot(reports)
    _inject(monkeypatch, reports, errno.ENOSPC, names=["synthetic-counts."])
    report = run(workspace, paths, force=True)
    runs = by_name(report)
    assert runs["synthetic-counts"].status == "failed"
    assert "No space left on device" in runs["synthetic-counts"].error.summary
    assert runs["synthetic-clear-difference"].status == "ran"
    assert report.exit_code == 2
    after = snapshot(reports)
    for suffix in (".html", ".ipynb", ".json"):
        assert after["synthetic-counts" + suffix] == before["synthetic-counts" + suffix]
        assert "synthetic-clear-difference" + suffix in after
    assert not [name for name in after if name.endswith(".tmp")]
    assert "synthetic-clear-difference" in after["index.html"].decode()
    assert "No space left on device" in format_summary(report)


# --- containment -----------------------------------------------------------------------------


def test_files_outside_the_project_and_reserved_names_are_refused(workspace, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    secret = outside / "secret.yaml"
    secret.write_text("root:x:0:0:" + "a long line of someone's private file " * 40 + "\n")
    analysis(workspace, "synthetic-absolute", study=str(secret))
    analysis(workspace, "synthetic-climbs", study="../../" + outside.name + "/secret.yaml")
    (workspace / "studies" / "linked.yaml").symlink_to(secret)
    analysis(workspace, "synthetic-linked", study="../studies/linked.yaml")
    analysis(workspace, "synthetic-notebook-outside",
             notebook=str(shutil.copy(FIXTURES / "notebooks" / "synthetic_minimal.ipynb",
                                      outside)))
    analysis(workspace, "index")
    analysis(workspace, "synthetic-counts.failed")
    names = ["synthetic-absolute", "synthetic-climbs", "synthetic-linked",
             "synthetic-notebook-outside", "index", "synthetic-counts.failed"]
    report = run(workspace, [workspace / "analyses" / f"{name}.yaml" for name in names])
    runs = by_name(report)
    assert {run.status for run in runs.values()} == {"bad_input"}
    for name in names[:3]:
        assert runs[name].error.field == "study"
        assert "outside the project" in runs[name].error.summary
        assert "--allow-outside" in runs[name].error.hint
    assert "resolves to" in runs["synthetic-linked"].error.hint
    assert runs["synthetic-notebook-outside"].error.field == "notebook"
    assert "kept for the run's own files" in runs["index"].error.summary
    assert "failure files" in runs["synthetic-counts.failed"].error.summary
    reports = workspace / "reports"
    for page in reports.glob("*.failed.html"):
        assert "private file" not in page.read_text()
    # the index is the run's; no analysis took its name
    assert "Reanalysis reports" in (reports / "index.html").read_text()
    assert not (reports / "index.failed.html").exists() or \
        "Reanalysis reports" in (reports / "index.html").read_text()


def test_a_long_value_is_quoted_as_an_excerpt():
    """A file that is not a study (read with --allow-outside) is refused with the whole file as
    the value: the report's error quotes an excerpt of it."""
    from reanalyse.errors import StudyFileError
    from reanalyse.errors import EXCERPT
    from reanalyse.runner.errors import RunError

    text = "x" * 5000
    details = RunError.from_input_error(StudyFileError(
        "/somewhere/secret.yaml", "expected a mapping", field="(top)", value=text, line=1,
        hint="a study file is a mapping"))
    assert len(details.value) <= EXCERPT
    assert text not in details.message and "x" * (EXCERPT - 3) in details.message
    assert "hint: a study file is a mapping" in details.message


# --- verdicts.csv and plot labels ------------------------------------------------------------


def test_verdicts_csv_cells_cannot_be_formulas():
    from reanalyse.runner.index import verdicts_csv

    hostile = {"=HYPERLINK(\"http://x\",\"y\")": "reproduced", "+1+2": "fragile",
               "-3": "reproduced", "@SUM(A1)": "fragile", "\tx": "reproduced", "\rx": "fragile",
               "plain": "reproduced"}
    run = AnalysisRun("a", Path("a.yaml"), "ran", verdicts=hostile,
                      reasons={claim: "=cmd|' /C calc'!A0" for claim in hostile},
                      expected={}, study={"id": "-study"})
    rows = list(csv.reader(io.StringIO(verdicts_csv([run]), newline="")))[1:]
    claims = [row[2] for row in rows]
    assert claims == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-3", "'@SUM(A1)", "'\tx",
                      "'\rx", "plain"]
    assert {row[1] for row in rows} == {"'-study"}
    assert {row[7] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert {row[5] for row in rows} == {""}  # nothing recorded: neither yes nor no


def test_plot_labels_are_plain_text(tmp_path):
    """Mathtext in an arm label would fail the figure (matplotlib raises on a command it does
    not know, such as href); labels are drawn as written."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reanalyse.claims.assess import CheckOptions, check_study
    from reanalyse.model.studyfile import load_study
    from reanalyse.reports import plots

    source = (FIXTURES / "studies" / "synthetic-counts.yaml").read_text()
    hostile = source.replace("label: Treatment", r"label: '$\href{http://x}{T}$'")
    path = tmp_path / "synthetic-counts.yaml"
    path.write_text(hostile, encoding="utf-8")
    study = load_study(path)
    result = check_study(study, CheckOptions())
    check = result.claims[0]
    grid = plots.significance_grid(check, study)
    assert grid is not None  # a binary claim: the map labels its axes with the arms
    texts = []
    for figure in (plots.p_interval_plot(check), plots.significance_map(grid)):
        FigureCanvasAgg(figure).draw()  # raised ValueError while labels were mathtext
        # labels may be wrapped onto two lines
        texts += [text.get_text().replace("\n", " ")
                  for text in figure.findobj(matplotlib.text.Text)]
    assert any(r"$\href{http://x}{T}$ events" in text for text in texts)


# --- processes ---------------------------------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    psutil = pytest.importorskip("psutil")
    try:
        return {child.pid for child in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _alive(pids) -> set[int]:
    import psutil

    alive = set()
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.add(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143),
                                            (signal.SIGKILL, -signal.SIGKILL)])
def test_a_signal_stops_the_run_and_leaves_nothing_behind(workspace, tmp_path_factory, signum,
                                                         status):
    """Mid-run (one notebook sleeping, one done): SIGINT and SIGTERM stop the run with 130 and
    143, SIGKILL kills it; either way no worker, fork server or kernel is left, nor any
    temporary folder."""
    analysis(workspace, "synthetic-sleeps", notebook="../notebooks/synthetic_sleeps.ipynb")
    temporary = tmp_path_factory.mktemp("tmp")
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONWARNINGS": "ignore",
           "PYTHONPATH": os.pathsep.join(filter(None, [SOURCES, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, "-m", "reanalyse", "run", str(workspace / "analyses" /
                                                      "synthetic-sleeps.yaml"),
         str(workspace / "analyses" / "synthetic-counts.yaml"), "--out",
         str(workspace / "reports"), "--jobs", "2"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        first = process.stderr.readline()
        assert first.startswith("2 analyses: 2 to run, 0 up to date"), first
        done = process.stderr.readline()  # the counts analysis finished: the other sleeps
        assert done.startswith("[1/2] synthetic-counts: ran"), done
        descendants = _descendants(process.pid)
        assert len(descendants) >= 4  # the fork server, two workers, a kernel
        process.send_signal(signum)
        assert process.wait(timeout=60) == status
        deadline = time.monotonic() + 10
        while _alive(descendants) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(descendants) == set()
        assert list(temporary.iterdir()) == []
        if signum != signal.SIGKILL:
            assert "stopped by" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux")
def test_a_notebook_that_kills_the_fork_server_harms_no_other_analysis(workspace):
    analysis(workspace, "synthetic-kills-fork-server",
             notebook="../notebooks/synthetic_kills_fork_server.ipynb")
    names = ["synthetic-kills-fork-server", "synthetic-counts", "synthetic-clear-difference",
             "synthetic-no-difference"]
    report = run(workspace, [workspace / "analyses" / f"{name}.yaml" for name in names],
                 jobs=2, kernel_start="fork")
    runs = by_name(report)
    for name in names[1:]:
        assert runs[name].status == "ran", runs[name].error
    assert runs["synthetic-counts"].verdicts == {"fewer-relapses": "fragile"}
    # its own kernel does not depend on the fork server either
    assert runs["synthetic-kills-fork-server"].status == "ran"
