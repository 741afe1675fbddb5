"""Run every analysis as a papermill notebook and write a folder of shareable HTML reports.

Each analysis file (``analyses/<name>.yaml`` by default) names a study, a notebook template
and options; each is executed in a new kernel, in parallel, and leaves ``<name>.html`` (code
hidden unless --show-code), ``<name>.ipynb`` and ``<name>.json`` in the report folder, with
``index.html`` and ``verdicts.csv`` over all of them.  An analysis whose notebook, study file,
analysis file and software are unchanged since its last good run is not run again.

Study files and notebooks must be inside the project (the folder holding ``analyses/``)
unless --allow-outside is given.  Ctrl-C (SIGINT) or SIGTERM stops the run: workers and
kernels are stopped, temporary files removed, and report files already written stay complete.

Exit status: 0 every analysis ran and every recorded verdict is unchanged (claims with no
recorded verdict are listed as new); 1 some recorded verdict changed (the differences are
printed); 2 bad input, a failed analysis, or a report file that could not be written;
130 stopped by SIGINT; 143 stopped by SIGTERM.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

__all__ = ["add_arguments", "run", "format_changes", "format_summary"]


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse run``."""
    from reanalyse.runner.execution import KERNEL_STARTS

    parser.add_argument("analyses", nargs="*", metavar="ANALYSIS", type=Path,
                        help="analysis files, folders of them, or analysis ids (smith-2020 "
                             "for analyses/smith-2020.yaml); default: analyses/")
    parser.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR",
                        help="report folder (default: reports/)")
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="analyses run at a time (default: the number of cores)")
    parser.add_argument("--force", action="store_true",
                        help="run analyses that are up to date too")
    parser.add_argument("--show-code", action="store_true",
                        help="keep the notebooks' code in the HTML reports")
    parser.add_argument("--record", action="store_true",
                        help="write the current verdicts into each analysis's expected: block")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help="time one notebook may take, kernel start included "
                             "(default: 600)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="local: a pool of processes (default); dask: a Dask cluster "
                             "(a local one unless --scheduler is given)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                             "(implies --executor dask)")
    parser.add_argument("--kernel-start", choices=KERNEL_STARTS, default=None,
                        help="fork kernels from a warm process (default on Linux) or spawn a "
                             "new interpreter for each")
    parser.add_argument("--allow-outside", action="store_true",
                        help="accept study files and notebooks outside the project (the "
                             "folder holding analyses/)")


def format_changes(report) -> str:
    """The changed verdicts as a unified diff: ``-`` recorded, ``+`` now, per analysis (in the
    reader's labels)."""
    from reanalyse.claims.labels import verdict_label

    lines = []
    for run in report.changed:
        lines.append(f"--- {run.path} (expected)")
        lines.append("+++ this run")
        lines.append(f"@@ {run.name} @@")
        for claim, expected, now in run.changes:
            if expected is not None:
                lines.append(f"-  {claim}: {verdict_label(expected)}")
            else:
                lines.append(f"-  {claim}: (nothing recorded)")
            if now is not None:
                lines.append(f"+  {claim}: {verdict_label(now)}")
            else:
                lines.append(f"+  {claim}: (no longer in the study)")
    return "\n".join(lines)


def format_summary(report) -> str:
    """The end-of-run summary: counts, failures, verdict changes, new claims, files that could
    not be written, study files no analysis names, where the index is."""
    from reanalyse.runner.progress import describe
    from reanalyse.runner.records import runs_phrase
    from reanalyse.text import plural

    ran, fresh = report.count("ran"), report.count("up_to_date")
    failed = len(report.failures)
    lines = [f"{runs_phrase(report.runs)}: {ran} ran, {fresh} up to "
             f"date, {failed} failed ({report.duration:.1f} s)"]
    if report.failures:
        lines.append("Failed:")
        for run in report.failures:
            lines.append("  " + describe(run).replace("\n", "\n  "))
            report_file = run.files.get("failed_html")
            if report_file:
                lines.append(f"    see {report.out / report_file}")
    if report.problems:
        lines.append("Could not write to the report folder (nothing already there was "
                     "changed in part):")
        lines.extend(f"  {problem}" for problem in report.problems)
    if report.recorded:
        lines.append("Recorded the current verdicts (and renewed the reports) of:")
        lines.extend(f"  {run.path}" for run in report.recorded)
    else:
        if report.changed:
            count = sum(len(run.changes) for run in report.changed)
            lines.append(f"{plural(count, 'verdict')} differ{'s' if count == 1 else ''} from "
                         "the recorded ones (reanalyse run --record accepts them):")
            lines.append(format_changes(report))
        if report.new:
            count = sum(len(run.new_claims) for run in report.new)
            lines.append(f"{plural(count, 'claim')} with no recorded verdict yet (new; "
                         "reanalyse run --record records them): " + ", ".join(
                             f"{run.name}: {claim}" for run in report.new
                             for claim, _ in run.new_claims))
    for study in report.unused_studies:
        lines.append(f"warning: no analysis names the study file {study}")
    if report.earlier:
        from reanalyse.runner.earlier import age

        lines.append(f"The index also lists {runs_phrase(report.earlier)}"
                     " not in this run, as last run: " + ", ".join(
                         f"{run.name} ({age(run.ran_at)}"
                         + (", failed" if run.status == "earlier_failed" else "") + ")"
                         for run in report.earlier))
    lines.append(f"Reports: {report.index}")
    return "\n".join(lines)


class _Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: stop the run."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame):
    # Later signals are ignored while the run stops its workers and removes its files.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stopped(signum)


def run(args) -> int:
    """Run the analyses; print progress and a summary; return the exit status."""
    from reanalyse.runner import RunOptions, run_analyses
    from reanalyse.runner.progress import Progress

    from reanalyse.runner.lifetime import EXIT_SIGINT, EXIT_SIGTERM

    options = RunOptions(out=args.out, jobs=args.jobs, force=args.force,
                         show_code=args.show_code, record=args.record, timeout=args.timeout,
                         executor=args.executor, scheduler=args.scheduler,
                         kernel_start=args.kernel_start, allow_outside=args.allow_outside)
    progress = Progress(sys.stderr)
    # Ctrl-C stops the run even when the shell started it with SIGINT ignored.  (Handlers can
    # only be set from the main thread; elsewhere the caller's handling stays.)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, _stop) for signum in (signal.SIGINT,
                                                                         signal.SIGTERM)}
    try:
        report = run_analyses(args.analyses, options, progress=progress)
    except KeyboardInterrupt as stopped:
        progress.close()
        signum = getattr(stopped, "signum", signal.SIGINT)
        print(f"reanalyse run: stopped by {signal.Signals(signum).name}; report files already "
              "written are complete", file=sys.stderr)
        return EXIT_SIGTERM if signum == signal.SIGTERM else EXIT_SIGINT
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    progress.close()
    print(format_summary(report))
    return report.exit_code
