"""A run over many analyses: decide what must run, run it, write the reports, compare verdicts.

:func:`run_analyses` is the library form of ``reanalyse run``.  For each analysis file it

1. reads the file (a bad file, or any problem in preparing it, is reported as that analysis's
   failure and the others still run), and checks that its study and notebook are inside the
   project and that its name leaves the report files of others alone;
2. computes the run key (:mod:`reanalyse.runner.hashing`) and skips the analysis when its last
   good ``<name>.json`` has the same key (unless ``force``);
3. runs the others on a local pool or a Dask cluster, writing each one's files atomically as
   it finishes (:mod:`reanalyse.runner.outputs`);
4. compares every verdict with the analysis's ``expected:`` block, and with ``record`` writes
   the current verdicts there instead and runs again the analyses whose reports show them;
5. writes ``index.html`` and ``verdicts.csv`` (:mod:`reanalyse.runner.index`).

A report folder that cannot be written (read-only, full) does not stop the run: what cannot be
written is listed in :attr:`RunReport.problems`, everything else is still written, and files
already there stay whole (every write is atomic).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path

from reanalyse.model.analysis import Analysis, find_analyses, load_analysis, record_expected
from reanalyse.model.review import is_review_file, review_analysis
from reanalyse.model.reviewfile import load_review
from reanalyse.errors import AnalysisFileError, ReanalyseError
from reanalyse.runner import hashing
from reanalyse.runner.earlier import earlier_runs, when_ran
from reanalyse.runner.errors import RunError
from reanalyse.model.project import project_root
from reanalyse.reports.paths import scrub, scrub_all
from reanalyse.io import write_atomic
from reanalyse.runner.outputs import failed_files, report_files
from reanalyse.runner.records import (BAD_INPUT, EARLIER, EARLIER_FAILED, EXECUTORS, FAILED,
                                      RAN, UP_TO_DATE, AnalysisRun, RunOptions, RunReport,
                                      default_jobs)

__all__ = ["RunOptions", "AnalysisRun", "RunReport", "run_analyses", "collect_analyses",
           "RAN", "UP_TO_DATE", "FAILED", "BAD_INPUT", "EARLIER", "EARLIER_FAILED", "EXECUTORS",
           "RESERVED_NAMES"]

#: Analysis names that would overwrite the run's own files (``index.html``) or be confused with
#: them (``verdicts``); names ending in ``.failed`` would take another analysis's failure files.
RESERVED_NAMES = ("index", "verdicts")


def collect_analyses(paths=None, default_dir: Path = Path("analyses")) -> list[Path]:
    """The analysis and review files named by ``paths`` (files, folders, or analysis ids:
    ``smith-2020`` for ``analyses/smith-2020.yaml``); if none, the default folder and the
    ``reviews/`` folder beside it (when there is one), reviews first.

    Raises
    ------
    ReanalyseError
        When a path does not exist (with the nearest analysis ids as a hint) or no analysis
        file is found.
    """
    found = []
    reviews = Path(default_dir).parent / "reviews"
    defaults = ([reviews] if reviews.is_dir() else []) + [default_dir]
    for path in (list(paths) if paths else defaults):
        path = Path(path)
        if path.is_dir():
            found.extend(find_analyses(path))  # review files too: the same listing
        elif path.is_file():
            found.append(path)
        elif _by_id(path, default_dir) is not None:
            found.append(_by_id(path, default_dir))
        else:
            hint = ("run from the repository's top folder, or name analysis files"
                    if not paths else _missing_hint(path, default_dir))
            raise ReanalyseError(f"{path}: no such file or folder, and no analysis with that "
                                 f"id in {default_dir}/\n  hint: {hint}")
    if not found:
        raise ReanalyseError("no analysis files found in " + ", ".join(
            str(p) for p in (paths or [default_dir])))
    return [Path(os.path.abspath(p)) for p in found]


def _by_id(path: Path, default_dir: Path) -> Path | None:
    """``analyses/<id>.yaml`` (or ``.yml``) for a bare analysis id, if it exists."""
    if len(path.parts) != 1 or path.suffix in (".yaml", ".yml"):
        return None
    for suffix in (".yaml", ".yml"):
        candidate = default_dir / f"{path.name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _missing_hint(path: Path, default_dir: Path) -> str:
    """Which analysis ids the folder has, the nearest first."""
    import difflib

    try:
        ids = [candidate.stem for candidate in find_analyses(default_dir)]
    except OSError:
        ids = []
    if not ids:
        return (f"give an analysis file, a folder of them, or an id from {default_dir}/ "
                "(reanalyse new ID makes one)")
    near = difflib.get_close_matches(path.stem, ids, n=1)
    shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
    return (f"did you mean {near[0]}? " if near else "") + f"analysis ids in {default_dir}/: " \
        + shown


class _Folder:
    """The report folder: writes and removals that record their failures instead of raising."""

    def __init__(self, out: Path):
        self.out = out
        self.problems: list[str] = []

    def _failed(self, doing: str, path: Path, error: OSError) -> None:
        self.problems.append(f"cannot {doing} {path}: {error.strerror or error}")

    def write(self, path: Path, data) -> bool:
        try:
            write_atomic(path, data)
        except OSError as error:
            self._failed("write", path, error)
            return False
        return True

    def remove(self, path: Path) -> bool:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            self._failed("remove", path, error)
            return False
        return True


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
        Called as ``progress("planned", (total, to_execute, up_to_date))`` once, as soon as
        the analysis files are read (before anything heavy is imported); then
        ``progress("started", to_execute)`` when the workers have started, and
        ``progress("done", run)`` with an :class:`AnalysisRun` as each analysis is settled.
        With ``record``, ``progress("renewing", count)`` before the analyses whose reports
        show the recorded verdicts run again (then ``done`` for each).
    default_dir : Path
        Where to look when no paths are given.

    Returns
    -------
    RunReport

    Raises
    ------
    ReanalyseError
        When no analysis can be found, or the report folder cannot be made.
    KeyboardInterrupt
        Passed on after the workers, the kernel fork server and their files are stopped and
        removed; report files already written are complete.
    """
    from reanalyse.runner.execution import default_kernel_start

    clock = time.monotonic()
    notify = progress or (lambda event, value: None)
    out = Path(os.path.abspath(options.out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReanalyseError(f"cannot make the report folder {out}: "
                             f"{error.strerror or error}") from None
    folder = _Folder(out)
    kernel_start = options.kernel_start or default_kernel_start()
    versions = hashing.environment()
    plan = _Plan(folder, options, kernel_start, versions)
    for path in collect_analyses(paths, default_dir):
        plan.add(path)
    whole = not paths or any(Path(path).is_dir() for path in paths)
    unused = plan.unused_studies() if whole else ()
    notify("planned", (len(plan.order), len(plan.tasks), plan.count(UP_TO_DATE)))
    for run in plan.settled():
        notify("done", run)
    _execute(plan, options, kernel_start, notify)

    runs = [plan.runs[slot] for slot in plan.order]
    recorded = ()
    if options.record:
        runs, recorded = _record(runs, plan, options, kernel_start, versions, notify)
    earlier = earlier_runs(out, [run.path for run in runs],
                           lambda path, result, failed: _earlier_run(out, path, result, failed))
    index, csv = _write_overview(folder, runs + earlier, versions)
    return RunReport(tuple(runs), out, index, csv, time.monotonic() - clock, recorded,
                     tuple(folder.problems), unused, tuple(earlier))


def _earlier_run(out: Path, path: Path, result: dict | None, failed: bool) -> AnalysisRun:
    """An analysis the run did not include, as its last run left it."""
    analysis = (result or {}).get("analysis") or {}
    expected = analysis.get("expected") if isinstance(analysis.get("expected"), dict) else {}
    files = _existing(out, path.stem)
    kind = "review" if is_review_file(path) else "analysis"
    root = project_root(path)
    if result is None or failed:
        return AnalysisRun(path.stem, path, EARLIER_FAILED, expected=dict(expected),
                           study=_study_of(result) if result else None,
                           title=analysis.get("title"), files=files, kind=kind, root=root)
    verdicts, reasons = _verdicts(result)
    return AnalysisRun(path.stem, path, EARLIER, verdicts, reasons, dict(expected),
                       _study_of(result), analysis.get("title"),
                       duration=(result.get("run") or {}).get("duration_s"), files=files,
                       kind=kind, root=root)


def _execute(plan: "_Plan", options: RunOptions, kernel_start: str, notify) -> None:
    """Run the plan's tasks; write each outcome's files as it comes; settle its runs."""
    jobs = options.jobs or default_jobs()
    if options.executor == "dask" or options.scheduler:
        from reanalyse.runner.dask import run_dask

        outcomes = run_dask(plan.tasks, kernel_start=kernel_start, scheduler=options.scheduler,
                            jobs=jobs)
    else:
        from reanalyse.runner.local import run_local

        outcomes = run_local(plan.tasks, jobs, kernel_start)  # workers start now
    try:
        notify("started", len(plan.tasks))
        for outcome in outcomes:
            run = _write_outcome(plan.folder, plan.analyses[outcome.name], outcome,
                                 plan.keys[outcome.name], plan.versions, kernel_start,
                                 options.show_code)
            plan.runs[outcome.name] = run
            notify("done", run)
    finally:  # on an interrupt too: stop the workers now
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()


def _record(runs, plan, options, kernel_start, versions, notify):
    """Write the current verdicts as recorded ones; run again the analyses whose reports show
    the old ones.  ``(runs, recorded)``."""
    recorded = []
    for run in runs:
        if not (run.ok and (run.changes or run.new_claims)):
            continue
        try:
            record_expected(run.path, run.verdicts)
        except OSError as error:
            plan.folder.problems.append(f"cannot record the verdicts in {run.path}: "
                                        f"{error.strerror or error}")
            continue
        recorded.append(run)
    runs = [replace(run, expected=dict(run.verdicts)) if run in recorded else run
            for run in runs]
    if recorded:
        again = _Plan(plan.folder, options, kernel_start, versions)
        for run in recorded:
            again.add(run.path)
        if again.tasks:
            notify("renewing", len(again.tasks))
            _execute(again, options, kernel_start, notify)
        renewed = {again.runs[slot].path: again.runs[slot] for slot in again.order
                   if slot in again.runs}
        runs = [renewed.get(run.path, run) for run in runs]
    recorded_paths = {run.path for run in recorded}
    return runs, tuple(run for run in runs if run.path in recorded_paths)


def _write_overview(folder: _Folder, runs, versions) -> tuple[Path, Path]:
    from reanalyse.runner.index import index_html, verdicts_csv

    index, csv = folder.out / "index.html", folder.out / "verdicts.csv"
    folder.write(csv, verdicts_csv(runs))
    folder.write(index, index_html(runs, versions))
    return index, csv


class _Plan:
    """The analyses of a run: settled at once (bad input, up to date) or to execute."""

    def __init__(self, folder: _Folder, options: RunOptions, kernel_start: str, versions: dict):
        self.folder, self.out, self.options = folder, folder.out, options
        self.kernel_start, self.versions = kernel_start, versions
        self.order: list[str] = []            # one slot per analysis file, in order
        self.runs: dict[str, AnalysisRun] = {}
        self.analyses: dict[str, Analysis] = {}
        self.keys: dict[str, tuple[str, dict]] = {}
        self.tasks: list = []
        self._paths: dict[str, Path] = {}
        self._projects: set[Path] = set()
        self._studies: set[Path] = set()

    def count(self, status: str) -> int:
        """How many analyses are settled with ``status``."""
        return sum(run.status == status for run in self.runs.values())

    def settled(self) -> list[AnalysisRun]:
        """The runs known before anything executes."""
        return [self.runs[slot] for slot in self.order if slot in self.runs]

    def unused_studies(self) -> tuple[Path, ...]:
        """Study files in the projects' ``data/`` folders that no analysis names."""
        unused = set()
        for project in self._projects:
            data = project / "data"
            if data.is_dir():
                unused.update(path for path in data.iterdir()
                              if path.suffix in (".yaml", ".yml") and path.is_file()
                              and path.resolve() not in self._studies)
        return tuple(sorted(unused))

    def add(self, path: Path) -> None:
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
            self._prepare(path)
        except Exception as unexpected:  # noqa: BLE001 - one analysis must not stop the batch
            self.runs[name] = self._bad_input(path, unexpected)

    def _prepare(self, path: Path) -> None:
        from reanalyse.runner.execution import Task

        name = path.stem
        _check_name(path)
        study = None
        if is_review_file(path):
            review = load_review(path)
            analysis = review_analysis(review)
            study = {"id": review.id, "citation": review.citation, "path": str(analysis.study)}
        else:
            analysis = load_analysis(path)
        project = analysis.root
        self._projects.add(project)
        self._studies.update(p.resolve() for p in (analysis.study, *analysis.inputs))
        if not self.options.allow_outside:
            _check_inside(analysis, project)
        inputs = hashing.input_hashes(analysis)
        key = hashing.run_key(inputs, self.versions, {"show_code": self.options.show_code})
        previous = None if self.options.force else _previous(self.out, name)
        if previous is not None and previous.get("run", {}).get("key") == key \
                and report_files(self.out, name)["html"].exists():
            for stale in failed_files(self.out, name).values():
                if stale.exists():
                    self.folder.remove(stale)
            verdicts, reasons = _verdicts(previous)
            self.runs[name] = AnalysisRun(
                name, path, UP_TO_DATE, verdicts, reasons, analysis.expected,
                _study_of(previous), analysis.title,
                duration=previous["run"].get("duration_s"), files=_existing(self.out, name),
                ran_at=when_ran(previous), kind=analysis.kind, root=project)
            return
        self.analyses[name] = analysis
        self.keys[name] = (key, inputs)
        self.tasks.append(Task(
            name=name, analysis_path=str(path), study_path=str(analysis.study),
            notebook_path=str(analysis.notebook), title=_title(analysis),
            parameters=dict(analysis.parameters), show_code=self.options.show_code,
            timeout=self.options.timeout, kernel_start=self.kernel_start, kind=analysis.kind,
            study=study))

    def _bad_input(self, path: Path, problem: BaseException) -> AnalysisRun:
        from reanalyse.runner.outputs import error_page

        error = RunError.bad_analysis(problem)
        kind = "review" if is_review_file(path) else "analysis"
        root = project_root(path)  # the file could not be read, so its path is all there is
        if self._paths.get(path.stem) != path:  # a duplicate name: the files are the other's
            return AnalysisRun(path.stem, path, BAD_INPUT, error=error, kind=kind, root=root)
        self.folder.write(failed_files(self.out, path.stem)["html"],
                          scrub_all(error_page(path.stem, error), root))
        return AnalysisRun(path.stem, path, BAD_INPUT, error=error,
                           files=_existing(self.out, path.stem), kind=kind, root=root)


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _line_of(path: Path, key: str) -> int | None:
    """The line of a top-level ``key:`` in a YAML file (for messages)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), None)


def _check_name(path: Path) -> None:
    """Refuse analysis names whose report files would overwrite or be taken for others'."""
    name = path.stem
    if name in RESERVED_NAMES or name.endswith(".failed"):
        raise AnalysisFileError(
            path, "this name is kept for the run's own files" if name in RESERVED_NAMES
            else "a name ending in '.failed' would take the failure files of another analysis",
            value=path.name, hint="rename the analysis file, e.g. "
            + (f"{name}-study.yaml" if name in RESERVED_NAMES else f"{name[:-7]}-2.yaml"))


def _outside_folders(analysis: Analysis, project: Path) -> tuple[Path, ...]:
    """The folders of the analysis's study and notebook that lie outside ``project`` (with
    --allow-outside), whose paths a report names by file name only."""
    folders = {Path(os.path.abspath(target)).parent
               for target in (analysis.study, analysis.notebook)}
    return tuple(folder for folder in folders
                 if not folder.resolve().is_relative_to(project))


def _check_inside(analysis: Analysis, project: Path) -> None:
    """Refuse an analysis file, study or notebook outside ``project`` (symbolic links
    resolved)."""
    resolved = Path(analysis.path).resolve()
    if not resolved.is_relative_to(project):
        raise AnalysisFileError(
            analysis.path, f"the analysis file links to {resolved}, outside the project "
            f"{project}", hint="keep analysis files inside the project (a copy, not a link); "
                               "pass --allow-outside to use it anyway")
    for key, target in (("study", analysis.study), ("notebook", analysis.notebook)):
        resolved = Path(target).resolve()
        if not resolved.is_relative_to(project):
            raise AnalysisFileError(
                analysis.path, f"the {key} file is outside the project {project}",
                field=key, value=_excerpt(str(target), 120),
                line=_line_of(analysis.path, key),
                hint=f"{key} files come from inside the project (the folder holding analyses/)"
                     + ("" if resolved == Path(target) else f"; it resolves to {resolved}")
                     + "; pass --allow-outside to use it anyway")


def _write_outcome(folder: _Folder, analysis: Analysis, outcome, key_inputs: tuple[str, dict],
                   versions: dict, kernel_start: str, show_code: bool) -> AnalysisRun:
    """Write one analysis's report files; its :class:`AnalysisRun`.

    When its report files cannot all be written, the analysis counts as failed (its verdicts
    are not in the report folder), and the files of its last good run stay as they were
    unless they were replaced: the JSON, which marks a run as good, is written last.
    """
    from reanalyse.runner.execution import OK
    from reanalyse.runner.outputs import error_page

    out = folder.out
    key, inputs = key_inputs
    name = analysis.name
    good, failed = report_files(out, name), failed_files(out, name)
    root = analysis.root
    outside = _outside_folders(analysis, root)
    if outcome.status == OK:
        result = dict(outcome.result)
        result["analysis"] = analysis.to_dict()
        result["run"] = {"key": key, "inputs": inputs, "environment": versions,
                         "started": time.strftime("%Y-%m-%dT%H:%M:%S%z",
                                                  time.localtime(outcome.started)),
                         "duration_s": round(outcome.duration, 3),
                         "kernel_start": kernel_start,
                         "kernel_attempts": outcome.kernel_attempts, "show_code": show_code}
        problems = len(folder.problems)
        # The JSON goes last, and only after the others: it marks the run as good.
        written = folder.write(good["notebook"], scrub(outcome.notebook, root, *outside)) \
            and folder.write(good["html"], scrub(outcome.html, root, *outside)) \
            and folder.write(good["json"], scrub(json.dumps(result, indent=2,
                                                           allow_nan=False), root, *outside))
        if written:
            for stale in failed.values():
                if stale.exists():
                    folder.remove(stale)
        verdicts, reasons = _verdicts(result)
        if written:
            return AnalysisRun(name, analysis.path, RAN, verdicts, reasons, analysis.expected,
                               outcome.study or _study_of(result), analysis.title,
                               duration=outcome.duration, files=_existing(out, name),
                               ran_at=outcome.started, kind=analysis.kind, root=root)
        problem = folder.problems[problems]
        return AnalysisRun(name, analysis.path, FAILED, expected=analysis.expected,
                           study=outcome.study or _study_of(result), title=analysis.title,
                           error=RunError.output(problem),
                           duration=outcome.duration, files=_existing(out, name),
                           kind=analysis.kind, root=root)
    if outcome.notebook is not None:
        folder.write(failed["notebook"], scrub(outcome.notebook, root, *outside))
    elif failed["notebook"].exists():
        folder.remove(failed["notebook"])
    # a notebook that failed shows its failing cell; a lost worker or kernel gets a page
    # saying what happened, so that no older failure page is left in its place
    folder.write(failed["html"], scrub(outcome.html, root, *outside)
                 if outcome.html is not None
                 else scrub_all(error_page(name, outcome.error), root))
    status = BAD_INPUT if outcome.status == BAD_INPUT else FAILED
    return AnalysisRun(name, analysis.path, status, expected=analysis.expected,
                       study=outcome.study, title=analysis.title, error=outcome.error,
                       duration=outcome.duration, files=_existing(out, name),
                       kind=analysis.kind, root=root)
