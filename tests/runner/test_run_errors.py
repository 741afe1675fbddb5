"""Why an analysis did not run (reanalyse.runner.errors.RunError): one record per kind.

Each kind's ``to_dict()`` is compared with the fields its failure page and readers have always
had, written out here by hand; each record survives pickling (the local pool and Dask send
outcomes between processes) and a JSON round trip.
"""

import json
import pickle

import pytest
from papermill.exceptions import PapermillExecutionError

from reanalyse.errors import AnalysisFileError, ReanalyseError, StudyFileError
from reanalyse.runner.errors import RunError
from reanalyse.runner.execution import BAD_INPUT, Outcome, Task, execute_task
from reanalyse.runner.outputs import error_page

HINT = ("workers must see the analyses, studies and notebooks at the same paths as the machine "
        "that starts the run")


def _raised(error):
    """``error`` with a traceback, as a handler sees it."""
    try:
        raise error
    except type(error) as caught:
        return caught


def _kinds():
    study = StudyFileError("/p/data/s.yaml", "an SD must be positive", field="arms.a.sd",
                           value=-1, line=7, hint="write the SD as printed")
    several = AnalysisFileError.collect([
        AnalysisFileError("/p/analyses/a.yaml", "unknown key", field="colour", line=3),
        AnalysisFileError("/p/analyses/a.yaml", "not a verdict", field="expected.x",
                          value="maybe", line=9, hint="use a verdict's name")])
    cell = PapermillExecutionError(
        cell_index=3, exec_count=4, source="raise RuntimeError('x')", ename="RuntimeError",
        evalue="x", traceback=["\x1b[0;31mRuntimeError\x1b[0m Traceback", "RuntimeError: x"])
    lost = OSError("connection reset")
    return [
        ("study file", RunError.from_input_error(study), {
            "kind": "study file", "path": "/p/data/s.yaml", "line": 7, "field": "arms.a.sd",
            "value": "-1", "problem": "an SD must be positive", "hint": "write the SD as printed",
            "summary": "bad study file: an SD must be positive",
            "message": "/p/data/s.yaml:7: arms.a.sd = -1: an SD must be positive\n"
                       "  hint: write the SD as printed"}),
        ("analysis file, several problems", RunError.bad_analysis(several), {
            "kind": "analysis file", "path": "/p/analyses/a.yaml", "line": 3, "field": "colour",
            "value": None, "problem": "unknown key", "hint": None,
            "problems": [
                {"line": 3, "field": "colour", "value": None, "problem": "unknown key",
                 "hint": None},
                {"line": 9, "field": "expected.x", "value": "maybe", "problem": "not a verdict",
                 "hint": "use a verdict's name"}],
            "summary": "bad analysis file: unknown key",
            "message": "2 problems in /p/analyses/a.yaml:\n"
                       "/p/analyses/a.yaml:3: colour: unknown key\n"
                       "/p/analyses/a.yaml:9: expected.x = 'maybe': not a verdict\n"
                       "  hint: use a verdict's name"}),
        ("analysis named like another", RunError.bad_analysis(ReanalyseError("same name")), {
            "summary": "bad analysis file: same name", "message": "same name"}),
        ("missing file", RunError.missing_file("/p/data/s.yaml"), {
            "kind": "missing_file", "summary": "/p/data/s.yaml not found by the worker",
            "message": "/p/data/s.yaml: file not found", "hint": HINT}),
        ("no parameters cell", RunError.no_parameters_cell("/p/notebooks/n.ipynb"), {
            "kind": "notebook", "path": "/p/notebooks/n.ipynb",
            "summary": "the notebook has no cell tagged 'parameters'",
            "message": "/p/notebooks/n.ipynb: no cell is tagged 'parameters'",
            "hint": "tag the cell that sets analysis_path and study_path 'parameters'"}),
        ("unknown parameters", RunError.unknown_parameters(
            "/p/notebooks/n.ipynb", ["alpha", "beta"], {"study_path", "analysis_path"}), {
            "kind": "notebook", "path": "/p/notebooks/n.ipynb",
            "summary": "unknown notebook parameters: alpha, beta",
            "message": "/p/notebooks/n.ipynb does not declare alpha, beta in its parameters "
                       "cell (it declares: analysis_path, study_path)",
            "hint": "declare them in the notebook's parameters cell, or remove them from the "
                    "analysis file's parameters"}),
        ("no result", RunError.no_result(), {
            "kind": "no_result", "summary": "the notebook published no verdicts",
            "message": "No output carried the check's result.",
            "hint": "display reanalyse.reports.report.verdict_table(result) in the notebook"}),
        ("cell", RunError.cell_raised(cell), {
            "kind": "cell", "cell": 3, "execution_count": 4, "ename": "RuntimeError",
            "evalue": "x", "summary": "cell [4] raised RuntimeError: x",
            "message": "RuntimeError Traceback\nRuntimeError: x",
            "source": "raise RuntimeError('x')"}),
        ("timeout", RunError.timeout(None, 2.5), {
            "kind": "timeout", "cell": None, "summary": "the notebook ran past its 2.5 s timeout",
            "message": "the notebook ran past its 2.5 s timeout"}),
        ("dead kernel", RunError.dead_kernel(5, "Killed"), {
            "kind": "dead_kernel", "cell": 5, "summary": "the kernel died while the notebook ran",
            "message": "the kernel died while the notebook ran\n\nKernel output:\nKilled"}),
        ("kernel", RunError.kernel(None, RuntimeError("Kernel didn't respond"), "(none)"), {
            "kind": "kernel", "cell": None, "summary": "RuntimeError: Kernel didn't respond",
            "message": "RuntimeError: Kernel didn't respond\n\nKernel output:\n(none)"}),
        ("lost worker", RunError.lost(lost), {
            "kind": "worker", "summary": "the worker process stopped unexpectedly",
            "message": "OSError: connection reset"}),
        ("lost Dask task", RunError.lost(lost, f"the Dask task failed: {lost}"), {
            "kind": "worker", "summary": "the Dask task failed: connection reset",
            "message": "OSError: connection reset"}),
        ("output", RunError.output("cannot write /r/a.json: No space left on device"), {
            "kind": "output",
            "summary": "its report could not be written: cannot write /r/a.json: No space left "
                       "on device",
            "message": "cannot write /r/a.json: No space left on device"}),
    ]


KINDS = _kinds()


@pytest.mark.parametrize("error, expected", [(e, d) for _, e, d in KINDS],
                         ids=[name for name, _, _ in KINDS])
def test_each_kind_has_its_fields_and_round_trips(error, expected):
    assert error.to_dict() == expected
    assert json.loads(json.dumps(error.to_dict())) == expected
    again = pickle.loads(pickle.dumps(error))
    assert again == error and again.to_dict() == expected
    outcome = Outcome("a", "failed", error=error)
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_an_unexpected_exception_carries_its_traceback():
    text = "y" * 300
    error = RunError.internal(_raised(ValueError(text)))
    assert error.kind == "internal"
    # the summary quotes 200 characters and marks the cut
    assert error.summary == "ValueError: " + "y" * 200 + "…"
    assert error.message.startswith("Traceback (most recent call last):")
    assert error.message.rstrip().endswith("ValueError: " + text)
    assert set(error.to_dict()) == {"kind", "summary", "message"}

    preparing = RunError.bad_analysis(_raised(TypeError("first line\nsecond line")))
    assert preparing.summary == "could not prepare the analysis: TypeError: first line"
    assert "second line" in preparing.message and "Traceback" in preparing.message
    assert pickle.loads(pickle.dumps(preparing)) == preparing


def test_a_kernel_that_did_not_start_keeps_its_kind_under_a_new_summary():
    """After its start attempts the kernel error says so; the fork server's failure is the
    runner's own business and is not part of the record."""
    from dataclasses import replace

    error = RunError.kernel(None, RuntimeError("no answer"), "(none)")
    restarted = replace(error, summary="the kernel did not start (3 attempts)")
    assert restarted.to_dict() == {**error.to_dict(),
                                   "summary": "the kernel did not start (3 attempts)"}
    assert "zygote" not in restarted.to_dict()
    assert "Zygote" not in error_page("a", restarted)


def test_the_failure_page_shows_the_hint_once_and_the_location_as_details():
    _, error, _ = KINDS[0]
    page = error_page("a", error)
    assert page.count("write the SD as printed") == 1
    for name, value in (("File", "/p/data/s.yaml"), ("Line", "7"), ("Field", "arms.a.sd"),
                        ("Value", "-1"), ("Problem", "an SD must be positive")):
        assert f"<dt>{name}</dt><dd>{value}</dd>" in page, name


def test_a_worker_that_does_not_see_an_input_file_says_which(tmp_path):
    missing = tmp_path / "analyses" / "gone.yaml"
    task = Task(name="gone", analysis_path=str(missing), study_path=str(missing),
                notebook_path=str(missing), title="gone")
    outcome = execute_task(task)
    assert outcome.status == BAD_INPUT
    assert outcome.error.kind == "missing_file"
    assert outcome.error.summary == f"{missing} not found by the worker"
    assert str(missing) in outcome.html
