"""Run one analysis: check its inputs, execute its notebook with papermill, render the HTML.

:func:`execute_task` is what a worker process (local pool or Dask worker) calls for each
analysis.  It never raises for a problem of the analysis: a bad input, a cell that raises, a
kernel that dies or does not start, a notebook that runs past its timeout all come back as an
:class:`Outcome` with ``status`` ``bad_input`` or ``failed``, so one analysis cannot stop the
others.

Each notebook runs in a new kernel (see :mod:`reanalyse.runner.jupyter`).  A kernel that
fails to start (the start-up races of parallel papermill runs) is started again, up to
``Task.start_attempts`` times.  Study data reach the notebook as file paths, never as
values: papermill's ``-p`` would turn a printed ``8.60`` into ``8.6``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from reanalyse.runner.errors import RunError

__all__ = ["Task", "Outcome", "execute_task", "start_worker", "published_result",
           "result_problem",
           "skip_unused_imports",
           "KERNEL_PRELOAD", "WORKER_PRELOAD", "KERNEL_STARTS", "default_kernel_start", "OK",
           "FAILED", "BAD_INPUT"]

OK, FAILED, BAD_INPUT = "ok", "failed", "bad_input"

#: How a worker starts kernels: ``fork`` from a warm zygote, or ``spawn`` a new interpreter.
KERNEL_STARTS = ("fork", "spawn")


def default_kernel_start() -> str:
    """``fork`` on Linux, ``spawn`` elsewhere (macOS system libraries are not fork-safe)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"

#: Modules the kernel fork server imports once for all kernels (what the templates import).
KERNEL_PRELOAD = ("reanalyse.reports.report", "reanalyse.reports.plots", "reanalyse.claims.assess",
                  "reanalyse.model.analysis", "reanalyse.model.studyfile",
                  "reanalyse.reviews.check", "reanalyse.reports.review")


@dataclass(frozen=True)
class Task:
    """What a worker needs to run one analysis (plain data: it is pickled to the worker).

    Paths are absolute; a worker on another machine must see them at the same place.
    """

    name: str
    analysis_path: str
    study_path: str
    notebook_path: str
    title: str
    parameters: dict = field(default_factory=dict)
    show_code: bool = False
    timeout: float = 600.0
    kernel_start: str = "fork"
    start_attempts: int = 3
    kind: str = "analysis"  # or "review": the review file is both analysis and study path
    #: ``id``, ``citation``, ``path`` of the study when the batch has read it already (a review
    #: file is read once, by the batch); else the worker reads the study file for them.
    study: dict | None = None


@dataclass(frozen=True)
class Outcome:
    """What came of one analysis.

    Attributes
    ----------
    status : str
        ``ok``, ``failed`` (the notebook or its kernel failed) or ``bad_input`` (the analysis,
        study or notebook is not valid; nothing was executed).
    result : dict or None
        The check the notebook published (``StudyCheck.to_dict()``).
    notebook, html : str or None
        The executed notebook (nbformat JSON) and its HTML.
    error : RunError or None
        Why the analysis did not run.
    study : dict or None
        ``id``, ``citation`` and ``path`` of the study, when it could be read.
    """

    name: str
    status: str
    result: dict | None = None
    notebook: str | None = None
    html: str | None = None
    error: RunError | None = None
    study: dict | None = None
    started: float = 0.0
    duration: float = 0.0
    kernel_attempts: int = 0


#: What a worker imports to run analyses (before forking, a pool imports them once for all).
WORKER_PRELOAD = ("papermill", "nbconvert", "nbclient", "jupyter_client", "reanalyse.claims.assess",
                  "reanalyse.model.studyfile", "reanalyse.runner.jupyter", "reanalyse.runner.outputs")


def skip_unused_imports() -> None:
    """Keep a worker from importing what it never uses and is slow to import.

    nbformat imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
    installed; that package compiles a grammar for IRIs at import (about 1 s of CPU).  Notebook
    validation uses no IRI format, and jsonschema does without the package when it cannot be
    imported, so a process that has not imported jsonschema yet is told it is absent.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


class _Worker:
    """Per-process state kept between analyses: where kernels come from.

    ``zygote`` is the address of a kernel fork server: one shared by a whole pool, or (for a
    Dask worker, or when the shared one stops answering) one this worker starts for itself.
    """

    def __init__(self, kernel_start: str, zygote: str | None = None):
        self.kernel_start = kernel_start
        self.pid = os.getpid()  # a forked child inherits this object but does not own it
        self.lock = threading.Lock()
        self.own = None
        self.zygote = zygote
        if kernel_start == "fork" and zygote is None:
            self._start_own()

    def _start_own(self):
        from reanalyse.runner.jupyter import Zygote

        if self.own is not None:
            self.own.close()
        self.own = Zygote(KERNEL_PRELOAD)
        self.zygote = self.own.address

    def replace_zygote(self):
        """After a fork server failed: use one of this worker's own from now on."""
        with self.lock:
            if self.own is None or not self.own.alive:
                self._start_own()

    def ensure_zygote(self):
        """Restart this worker's own fork server if it died (a notebook may kill it)."""
        with self.lock:
            if self.own is not None and not self.own.alive:
                self.own.restart()

    def close(self):
        if self.own is not None and self.pid == os.getpid():
            self.own.close()


_WORKERS: dict[str, _Worker] = {}
_WORKERS_LOCK = threading.Lock()


def start_worker(kernel_start: str = "fork", zygote: str | None = None) -> None:
    """Prepare this process to run analyses (a pool's initializer, a Dask worker plugin).

    Parameters
    ----------
    kernel_start : str
        ``fork`` or ``spawn``.
    zygote : str, optional
        Address of a kernel fork server to share; without one, a ``fork`` worker starts its
        own.
    """
    import importlib
    import logging

    skip_unused_imports()
    for module in WORKER_PRELOAD:
        importlib.import_module(module)
    # Kernel start-up retries and timeouts are reported in each analysis's outcome; papermill's
    # and nbclient's log lines about them would only clutter the run's output.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    with _WORKERS_LOCK:  # state inherited from a parent process is not this worker's
        _WORKERS.pop(kernel_start, None)
    _worker(kernel_start, zygote)


def _worker(kernel_start: str, zygote: str | None = None) -> _Worker:
    with _WORKERS_LOCK:
        if kernel_start not in _WORKERS or _WORKERS[kernel_start].pid != os.getpid():
            import atexit

            worker = _WORKERS[kernel_start] = _Worker(kernel_start, zygote)
            atexit.register(worker.close)
        return _WORKERS[kernel_start]


def execute_task(task: Task) -> Outcome:
    """Run one analysis and return its :class:`Outcome` (never raises for the analysis)."""
    started, clock = time.time(), time.monotonic()

    def outcome(status, **values):
        return Outcome(task.name, status, started=started, duration=time.monotonic() - clock,
                       **values)

    study = None
    try:
        problem, study = _check_inputs(task)
        if problem is not None:
            from reanalyse.runner.outputs import error_page

            return outcome(BAD_INPUT, error=problem, study=study,
                           html=error_page(task.name, problem))
        notebook, error, attempts = _execute(task)
        result = published_result(notebook) if notebook is not None else None
        if error is None and result is None:
            error = RunError.no_result()
        problem = None if result is None else result_problem(result)
        if error is None and problem is not None:
            error, result = RunError.bad_result(problem), None
        html = None
        if notebook is not None:
            from reanalyse.runner.outputs import render_html

            html = render_html(notebook, title=task.title, show_code=task.show_code)
        elif error is not None:
            from reanalyse.runner.outputs import error_page

            html = error_page(task.name, error)
        import nbformat

        text = None if notebook is None else nbformat.writes(notebook)
        return outcome(OK if error is None else FAILED, result=result, notebook=text, html=html,
                       error=error, study=study, kernel_attempts=attempts)
    except Exception as unexpected:  # noqa: BLE001 - one analysis must not stop the batch
        from reanalyse.runner.outputs import error_page

        error = RunError.internal(unexpected)
        return outcome(FAILED, error=error, study=study, html=error_page(task.name, error))


def _check_inputs(task: Task):
    """``(problem, study)``: a :class:`RunError` for bad input (else None) and the study's
    identity.

    The analysis file was read and checked by the batch that made the task (and is read once
    more by the notebook, in its own kernel); here the files must still be there, the study
    must read, and the notebook must take the parameters the task passes.
    """
    import nbformat
    from papermill import inspect_notebook

    from reanalyse.errors import InputFileError
    from reanalyse.model.studyfile import load_study

    for path in (task.analysis_path, task.study_path, task.notebook_path):
        if not os.path.isfile(path):
            return RunError.missing_file(path), None
    study = task.study
    if study is None:
        try:
            loaded = load_study(task.study_path)
        except InputFileError as error:
            return RunError.from_input_error(error), None
        study = {"id": loaded.id, "citation": loaded.citation, "path": task.study_path}
    notebook = nbformat.read(task.notebook_path, as_version=4)
    if not any("parameters" in cell.get("metadata", {}).get("tags", ())
               for cell in notebook.cells):
        return RunError.no_parameters_cell(task.notebook_path), study
    declared = set(inspect_notebook(task.notebook_path))
    unknown = sorted(set(_parameters(task)) - declared)
    if unknown:
        return RunError.unknown_parameters(task.notebook_path, unknown, declared), study
    return None, study


def _parameters(task: Task) -> dict:
    return {"analysis_path": task.analysis_path, "study_path": task.study_path,
            **task.parameters}


class _Attempt(NamedTuple):
    """One execution in a new kernel."""

    notebook: object            # the (partly) executed notebook, or None
    error: RunError | None
    started: bool               # whether any cell began (if not, the kernel may start again)
    fork_server_failed: bool = False  # the kernel fork server, not the kernel, failed


def _execute(task: Task):
    """``(notebook, error, attempts)``: run the notebook in a new kernel, retrying its start."""
    worker = _worker(task.kernel_start)
    deadline = time.monotonic() + task.timeout
    attempt = 0
    while True:
        attempt += 1
        if worker.kernel_start == "fork":
            worker.ensure_zygote()
        run = _attempt(task, worker, deadline)
        if run.started or run.error is None or attempt >= task.start_attempts \
                or time.monotonic() > deadline:
            error = run.error
            if error is not None and not run.started:
                error = replace(error, summary=f"the kernel did not start ({attempt} attempts)")
            return run.notebook, error, attempt
        if run.fork_server_failed and worker.kernel_start == "fork":
            worker.replace_zygote()
        time.sleep(0.2 * attempt)  # let a start-up race settle


def _attempt(task: Task, worker: _Worker, deadline: float) -> _Attempt:
    """One execution of the notebook in a new kernel."""
    import papermill
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from reanalyse.runner.jupyter import (KERNEL_NAME, ZygoteError, new_kernel_manager,
                                          stop_kernel)

    seen = {"cell": None, "notebook": None}

    def cell_started(cell, cell_index):
        seen["cell"] = cell_index

    def notebook_started(notebook):  # the notebook papermill executes, changed in place
        seen["notebook"] = notebook

    km = new_kernel_manager(worker.zygote if worker.kernel_start == "fork" else None)
    try:
        notebook = papermill.execute_notebook(
            task.notebook_path, None, parameters=_parameters(task), kernel_name=KERNEL_NAME,
            progress_bar=False, log_output=False, km=km,
            start_timeout=int(max(1, min(60, deadline - time.monotonic()))),
            timeout_func=lambda cell: max(1.0, deadline - time.monotonic()),
            on_cell_start=cell_started, on_notebook_start=notebook_started,
            resources={"metadata": {"path": str(Path(task.notebook_path).parent)}})
        return _Attempt(notebook, None, True)
    except PapermillExecutionError as error:
        return _Attempt(seen["notebook"], RunError.cell_raised(error), True)
    except CellTimeoutError:
        error = RunError.timeout(seen["cell"], task.timeout)
        return _Attempt(_mark(seen, "TimeoutError", error.summary), error, True)
    except DeadKernelError:
        error = RunError.dead_kernel(seen["cell"], _tail(km.kernel_log))
        return _Attempt(_mark(seen, "DeadKernelError", error.summary), error, True)
    except Exception as failure:  # noqa: BLE001 - e.g. a kernel that did not start
        error = RunError.kernel(seen["cell"], failure, _tail(km.kernel_log))
        return _Attempt(_mark(seen, type(failure).__name__, error.summary), error,
                        seen["cell"] is not None, isinstance(failure, ZygoteError))
    finally:
        run_sync(stop_kernel)(km)
        Path(km.kernel_log).unlink(missing_ok=True)


def _tail(path: str, lines: int = 40) -> str:
    """The last ``lines`` lines a kernel wrote."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(none)"
    return "\n".join(text.splitlines()[-lines:]) or "(none)"


def _mark(seen: dict, ename: str, message: str):
    """The partly executed notebook, with an error output on the cell that was running."""
    import nbformat

    notebook = seen["notebook"]
    if notebook is not None and seen["cell"] is not None:
        cell = notebook.cells[seen["cell"]]
        cell.setdefault("outputs", []).append(
            nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[message]))
    return notebook


def published_result(notebook) -> dict | None:
    """The check result a notebook published (the last output carrying it), or None."""
    from reanalyse.model.vocabulary import CHECK_MIMETYPE

    found = None
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            if output.get("output_type") in ("display_data", "execute_result") \
                    and CHECK_MIMETYPE in output.get("data", {}):
                found = output["data"][CHECK_MIMETYPE]
    return None if found is None else dict(found)


def result_problem(result: dict) -> str | None:
    """What in a published result cannot be recorded (``claims``: a list of mappings, each
    with an ``id`` that is a claim id, :data:`~reanalyse.model.vocabulary.CLAIM_ID`, and a
    ``verdict`` of the vocabulary), or None."""
    from reanalyse.errors import excerpt
    from reanalyse.model.vocabulary import CLAIM_ID, Verdict

    claims = result.get("claims")
    if not isinstance(claims, list):
        return f"claims = {excerpt(claims)!r}, not a list of claims"
    verdicts = {verdict.value for verdict in Verdict}
    for claim in claims:
        if not isinstance(claim, dict):
            return f"a claim {excerpt(claim)!r} that is not a mapping"
        claim_id, verdict = claim.get("id"), claim.get("verdict")
        if not isinstance(claim_id, str) or not CLAIM_ID.match(claim_id):
            return (f"the claim id {excerpt(claim_id)!r}, which is not an id (a letter, digit "
                    "or _, then letters, digits, _ and -, and nothing else)")
        if not isinstance(verdict, str) or verdict not in verdicts:
            return (f"the verdict {excerpt(verdict)!r} for claim {claim_id}, which is not one "
                    f"of {', '.join(sorted(verdicts))}")
    return None
