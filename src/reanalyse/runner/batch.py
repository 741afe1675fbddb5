"""A run over many analyses: decide what must run, run it, write the reports, compare verdicts.

:func:`run_analyses` is the library form of ``reanalyse run``.  For each analysis file it

1. reads the file (a bad file is reported and the others still run);
2. computes the run key (:mod:`reanalyse.runner.hashing`) and skips the analysis when its last
   good ``<name>.json`` has the same key (unless ``force``);
3. runs the others on a local pool or a Dask cluster, writing each one's files atomically as
   it finishes (:mod:`reanalyse.runner.outputs`);
4. compares every verdict with the analysis's ``expected:`` block, and with ``record`` writes
   the current verdicts there instead;
5. writes ``index.html`` and ``verdicts.csv`` (:mod:`reanalyse.runner.index`).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from reanalyse.model.analysis import Analysis, find_analyses, load_analysis, record_expected
from reanalyse.errors import InputFileError, ReanalyseError
from reanalyse.runner import hashing
from reanalyse.reports.paths import project_root, scrub
from reanalyse.runner.outputs import failed_files, report_files, write_atomic

__all__ = ["RunOptions", "AnalysisRun", "RunReport", "run_analyses", "collect_analyses",
           "RAN", "UP_TO_DATE", "FAILED", "BAD_INPUT", "EXECUTORS"]

RAN, UP_TO_DATE, FAILED, BAD_INPUT = "ran", "up_to_date", "failed", "bad_input"
EXECUTORS = ("local", "dask")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class RunOptions:
    """Options of a run (the flags of ``reanalyse run``).

    Attributes
    ----------
    out : Path
        The report folder (created if needed).
    jobs : int or None
        Analyses run at a time; None: the number of cores.
    force : bool
        Run analyses that are up to date too.
    show_code : bool
        Keep the notebooks' code in the HTML.
    record : bool
        Write the current verdicts into each analysis's ``expected:`` block.
    timeout : float
        Seconds one notebook may run (start-up included).
    executor : str
        ``local`` (a pool of processes) or ``dask``.
    scheduler : str or None
        A Dask scheduler's address (implies ``executor="dask"``).
    kernel_start : str or None
        ``fork`` or ``spawn`` (see :mod:`reanalyse.runner.kernels`); None: the platform's
        default.
    """

    out: Path = Path("reports")
    jobs: int | None = None
    force: bool = False
    show_code: bool = False
    record: bool = False
    timeout: float = 600.0
    executor: str = "local"
    scheduler: str | None = None
    kernel_start: str | None = None

    def __post_init__(self):
        from reanalyse.runner.execution import KERNEL_STARTS

        if self.jobs is not None and self.jobs < 1:
            raise ReanalyseError(f"jobs must be at least 1, got {self.jobs}")
        if not self.timeout > 0:
            raise ReanalyseError(f"timeout must be positive, got {self.timeout}")
        if self.executor not in EXECUTORS:
            raise ReanalyseError(f"unknown executor {self.executor!r}; use one of "
                                 + ", ".join(EXECUTORS))
        if self.kernel_start is not None and self.kernel_start not in KERNEL_STARTS:
            raise ReanalyseError(f"unknown kernel start {self.kernel_start!r}; use one of "
                                 + ", ".join(KERNEL_STARTS))


@dataclass(frozen=True)
class AnalysisRun:
    """What became of one analysis in a run.

    Attributes
    ----------
    name : str
    path : Path
        The analysis file.
    status : str
        ``ran``, ``up_to_date``, ``failed`` or ``bad_input``.
    verdicts : dict
        Claim id -> verdict (empty when the analysis failed).
    reasons : dict
        Claim id -> the verdict's reason.
    expected : dict
        Claim id -> recorded verdict, as the analysis file had it before the run.
    study : dict or None
        ``id``, ``citation``, ``path`` of the study when known.
    title : str or None
        The analysis file's ``title``.
    error : dict or None
        For failures: ``summary``, ``message`` and more (see
        :class:`~reanalyse.runner.execution.Outcome`).
    duration : float or None
        Seconds the analysis took on its worker (for ``up_to_date``: in its last run).
    files : dict
        Kind (``html``, ``notebook``, ``json``, ``failed_html``, ``failed_notebook``) -> file
        name in the report folder, for the files that exist.
    """

    name: str
    path: Path
    status: str
    verdicts: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    study: dict | None = None
    title: str | None = None
    error: dict | None = None
    duration: float | None = None
    files: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the analysis has current verdicts (it ran now or is up to date)."""
        return self.status in (RAN, UP_TO_DATE)

    @property
    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """``(claim, expected, now)`` for each claim whose verdict is not the recorded one.

        A claim with no recorded verdict has ``expected`` None; a recorded claim the study no
        longer has, ``now`` None.
        """
        if not self.ok:
            return []
        changed = [(claim, self.expected.get(claim), verdict)
                   for claim, verdict in self.verdicts.items()
                   if self.expected.get(claim) != verdict]
        changed += [(claim, verdict, None) for claim, verdict in self.expected.items()
                    if claim not in self.verdicts]
        return changed


@dataclass(frozen=True)
class RunReport:
    """The result of :func:`run_analyses`."""

    runs: tuple[AnalysisRun, ...]
    out: Path
    index: Path
    csv: Path
    duration: float
    recorded: tuple[AnalysisRun, ...] = ()

    def count(self, status: str) -> int:
        """How many analyses ended with ``status``."""
        return sum(run.status == status for run in self.runs)

    @property
    def failures(self) -> tuple[AnalysisRun, ...]:
        """Analyses that failed or had bad input."""
        return tuple(run for run in self.runs if not run.ok)

    @property
    def changed(self) -> tuple[AnalysisRun, ...]:
        """Analyses with a verdict that differs from ``expected:`` (after ``record``: none)."""
        return tuple(run for run in self.runs if run.changes)

    @property
    def exit_code(self) -> int:
        """2 when an analysis failed or had bad input, else 1 when a verdict changed, else 0."""
        if self.failures:
            return 2
        return 1 if self.changed else 0


def collect_analyses(paths=None, default_dir: Path = Path("analyses")) -> list[Path]:
    """The analysis files named by ``paths`` (files or folders); the default folder if none.

    Raises
    ------
    ReanalyseError
        When a path does not exist or no analysis file is found.
    """
    found = []
    for path in (list(paths) if paths else [default_dir]):
        path = Path(path)
        if path.is_dir():
            found.extend(find_analyses(path))
        elif path.is_file():
            found.append(path)
        else:
            hint = (" (run from the repository's top folder, or name analysis files)"
                    if not paths else "")
            raise ReanalyseError(f"{path}: no such file or folder{hint}")
    if not found:
        raise ReanalyseError("no analysis files found in " + ", ".join(
            str(p) for p in (paths or [default_dir])))
    return [Path(os.path.abspath(p)) for p in found]


def _existing(out: Path, name: str) -> dict:
    kinds = {**report_files(out, name),
             **{f"failed_{kind}": path for kind, path in failed_files(out, name).items()}}
    return {kind: path.name for kind, path in kinds.items() if path.exists()}


def _previous(out: Path, name: str) -> dict | None:
    """The last good run's JSON, or None."""
    try:
        return json.loads(report_files(out, name)["json"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _verdicts(result: dict) -> tuple[dict, dict]:
    claims = result.get("claims", ())
    return ({claim["id"]: claim["verdict"] for claim in claims},
            {claim["id"]: claim.get("reason", "") for claim in claims})


def _study_of(result: dict) -> dict:
    return {"id": result.get("study"), "citation": result.get("citation"),
            "path": result.get("path")}


def _title(analysis: Analysis) -> str:
    return analysis.title or f"{analysis.name}: claim check"


def run_analyses(paths=None, options: RunOptions = RunOptions(), *, progress=None,
                 default_dir: Path = Path("analyses")) -> RunReport:
    """Run the analyses named by ``paths`` (default: every file in ``analyses/``).

    Parameters
    ----------
    paths : list of path, optional
        Analysis files or folders of them.
    options : RunOptions
    progress : callable, optional
        Called as ``progress("planned", (total, to_execute))`` once, then
        ``progress("done", run)`` with an :class:`AnalysisRun` as each analysis is settled.
    default_dir : Path
        Where to look when no paths are given.

    Returns
    -------
    RunReport

    Raises
    ------
    ReanalyseError
        When no analysis can be found, or the report folder cannot be made.
    """
    from reanalyse.runner.index import write_index, write_verdicts_csv
    from reanalyse.runner.execution import default_kernel_start

    clock = time.monotonic()
    notify = progress or (lambda event, value: None)
    out = Path(os.path.abspath(options.out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReanalyseError(f"cannot make the report folder {out}: {error}") from None
    kernel_start = options.kernel_start or default_kernel_start()
    versions = hashing.environment()
    plan = _Plan(out, options, kernel_start, versions)
    for path in collect_analyses(paths, default_dir):
        plan.add(path)
    jobs = options.jobs or default_jobs()
    if options.executor == "dask" or options.scheduler:
        from reanalyse.runner.dask import run_dask

        outcomes = run_dask(plan.tasks, kernel_start=kernel_start, scheduler=options.scheduler,
                            jobs=jobs)
    else:
        from reanalyse.runner.local import run_local

        outcomes = run_local(plan.tasks, jobs, kernel_start)  # workers start now
    notify("planned", (len(plan.order), len(plan.tasks)))
    for run in plan.settled():
        notify("done", run)
    for outcome in outcomes:
        run = _write_outcome(out, plan.analyses[outcome.name], outcome, plan.keys[outcome.name],
                             versions, kernel_start, options.show_code)
        plan.runs[outcome.name] = run
        notify("done", run)

    runs = [plan.runs[slot] for slot in plan.order]
    recorded = ()
    if options.record:
        recorded = tuple(run for run in runs if run.ok and run.changes)
        for run in recorded:
            record_expected(run.path, run.verdicts)
        runs = [replace(run, expected=dict(run.verdicts)) if run in recorded else run
                for run in runs]
    index, csv = out / "index.html", out / "verdicts.csv"
    write_verdicts_csv(csv, runs)
    write_index(index, runs, versions)
    return RunReport(tuple(runs), out, index, csv, time.monotonic() - clock, recorded)


class _Plan:
    """The analyses of a run: settled at once (bad input, up to date) or to execute."""

    def __init__(self, out: Path, options: RunOptions, kernel_start: str, versions: dict):
        self.out, self.options = out, options
        self.kernel_start, self.versions = kernel_start, versions
        self.order: list[str] = []            # one slot per analysis file, in order
        self.runs: dict[str, AnalysisRun] = {}
        self.analyses: dict[str, Analysis] = {}
        self.keys: dict[str, tuple[str, dict]] = {}
        self.tasks: list = []
        self._paths: dict[str, Path] = {}

    def settled(self) -> list[AnalysisRun]:
        """The runs known before anything executes."""
        return [self.runs[slot] for slot in self.order if slot in self.runs]

    def add(self, path: Path) -> None:
        from reanalyse.runner.execution import Task

        name = path.stem
        if name in self._paths:
            slot = f"{name}@{path}"
            self.order.append(slot)
            self.runs[slot] = self._bad_input(path, ReanalyseError(
                f"{path}: {self._paths[name]} has the same name; report files are named "
                "after the analysis file, so names must be unique"))
            return
        self._paths[name] = path
        self.order.append(name)
        try:
            analysis = load_analysis(path)
        except InputFileError as error:
            self.runs[name] = self._bad_input(path, error)
            return
        self.analyses[name] = analysis
        inputs = hashing.input_hashes(analysis)
        key = hashing.run_key(inputs, self.versions, {"show_code": self.options.show_code})
        self.keys[name] = (key, inputs)
        previous = None if self.options.force else _previous(self.out, name)
        if previous is not None and previous.get("run", {}).get("key") == key \
                and report_files(self.out, name)["html"].exists():
            for stale in failed_files(self.out, name).values():
                stale.unlink(missing_ok=True)
            verdicts, reasons = _verdicts(previous)
            self.runs[name] = AnalysisRun(
                name, path, UP_TO_DATE, verdicts, reasons, analysis.expected,
                _study_of(previous), analysis.title,
                duration=previous["run"].get("duration_s"), files=_existing(self.out, name))
            return
        self.tasks.append(Task(
            name=name, analysis_path=str(path), study_path=str(analysis.study),
            notebook_path=str(analysis.notebook), title=_title(analysis),
            parameters=dict(analysis.parameters), show_code=self.options.show_code,
            timeout=self.options.timeout, kernel_start=self.kernel_start))

    def _bad_input(self, path: Path, error) -> AnalysisRun:
        from reanalyse.runner.outputs import error_page

        details = error.to_dict() if isinstance(error, InputFileError) else {}
        problem = getattr(error, "problem", str(error))
        error = {**details, "summary": f"bad analysis file: {problem}", "message": str(error)}
        if self._paths.get(path.stem) != path:  # a duplicate name: the files are the other's
            return AnalysisRun(path.stem, path, BAD_INPUT, error=error)
        write_atomic(failed_files(self.out, path.stem)["html"],
                     scrub(error_page(path.stem, error), project_root(path)))
        return AnalysisRun(path.stem, path, BAD_INPUT, error=error,
                           files=_existing(self.out, path.stem))


def _write_outcome(out: Path, analysis: Analysis, outcome, key_inputs: tuple[str, dict],
                   versions: dict, kernel_start: str, show_code: bool) -> AnalysisRun:
    """Write one analysis's report files; its :class:`AnalysisRun`."""
    from reanalyse.runner.execution import OK
    from reanalyse.runner.outputs import error_page

    key, inputs = key_inputs
    name = analysis.name
    good, failed = report_files(out, name), failed_files(out, name)
    if outcome.status == OK:
        result = dict(outcome.result)
        result["analysis"] = analysis.to_dict()
        result["run"] = {"key": key, "inputs": inputs, "environment": versions,
                         "started": time.strftime("%Y-%m-%dT%H:%M:%S%z",
                                                  time.localtime(outcome.started)),
                         "duration_s": round(outcome.duration, 3), "worker": outcome.worker,
                         "kernel_start": kernel_start,
                         "kernel_attempts": outcome.kernel_attempts, "show_code": show_code}
        root = project_root(analysis.path)
        write_atomic(good["notebook"], scrub(outcome.notebook, root))
        write_atomic(good["html"], scrub(outcome.html, root))
        # The JSON goes last: it marks the run as good and up to date.
        write_atomic(good["json"], scrub(json.dumps(result, indent=2, allow_nan=False), root))
        for stale in failed.values():
            stale.unlink(missing_ok=True)
        verdicts, reasons = _verdicts(result)
        return AnalysisRun(name, analysis.path, RAN, verdicts, reasons, analysis.expected,
                           outcome.study or _study_of(result), analysis.title,
                           duration=outcome.duration, files=_existing(out, name))
    root = project_root(analysis.path)
    if outcome.notebook is not None:
        write_atomic(failed["notebook"], scrub(outcome.notebook, root))
    else:
        failed["notebook"].unlink(missing_ok=True)
    # a notebook that failed shows its failing cell; a lost worker or kernel gets a page
    # saying what happened, so that no older failure page is left in its place
    write_atomic(failed["html"], scrub(outcome.html if outcome.html is not None
                                       else error_page(name, outcome.error or {}), root))
    status = BAD_INPUT if outcome.status == BAD_INPUT else FAILED
    return AnalysisRun(name, analysis.path, status, expected=analysis.expected,
                       study=outcome.study, title=analysis.title, error=outcome.error,
                       duration=outcome.duration, files=_existing(out, name))
