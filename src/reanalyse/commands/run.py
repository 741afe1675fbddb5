"""Run every analysis as a papermill notebook and write a folder of shareable HTML reports.

Each analysis file (``analyses/<name>.yaml`` by default) names a study, a notebook template
and options; each is executed in a new kernel, in parallel, and leaves ``<name>.html`` (code
hidden unless --show-code), ``<name>.ipynb`` and ``<name>.json`` in the report folder, with
``index.html`` and ``verdicts.csv`` over all of them.  An analysis whose notebook, study file,
analysis file and software are unchanged since its last good run is not run again.

Exit status: 0 every analysis ran and every verdict is the one recorded under ``expected:``;
1 some verdict changed (the differences are printed); 2 bad input or a failed analysis.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["add_arguments", "run", "format_changes", "format_summary"]


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse run``."""
    from reanalyse.runner.execution import KERNEL_STARTS

    parser.add_argument("analyses", nargs="*", metavar="ANALYSIS", type=Path,
                        help="analysis files or folders of them (default: analyses/)")
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


def format_changes(report) -> str:
    """The changed verdicts as a unified diff: ``-`` recorded, ``+`` now, per analysis."""
    lines = []
    for run in report.changed:
        lines.append(f"--- {run.path} (expected)")
        lines.append("+++ this run")
        lines.append(f"@@ {run.name} @@")
        for claim, expected, now in run.changes:
            if expected is not None:
                lines.append(f"-  {claim}: {expected}")
            else:
                lines.append(f"-  {claim}: (nothing recorded)")
            if now is not None:
                lines.append(f"+  {claim}: {now}")
            else:
                lines.append(f"+  {claim}: (no longer in the study)")
    return "\n".join(lines)


def format_summary(report) -> str:
    """The end-of-run summary: counts, failures, verdict changes, where the index is."""
    ran, fresh = report.count("ran"), report.count("up_to_date")
    failed = len(report.failures)
    lines = [f"{len(report.runs)} analyses: {ran} ran, {fresh} up to date, {failed} failed "
             f"({report.duration:.1f} s)"]
    if report.failures:
        lines.append("Failed:")
        for run in report.failures:
            what = "bad input" if run.status == "bad_input" else "failed"
            lines.append(f"  {run.name}: {what}: {(run.error or {}).get('summary', '')}")
            report_file = run.files.get("failed_html")
            if report_file:
                lines.append(f"    see {report.out / report_file}")
    if report.recorded:
        lines.append("Recorded the current verdicts in:")
        lines.extend(f"  {run.path}" for run in report.recorded)
    elif report.changed:
        count = sum(len(run.changes) for run in report.changed)
        lines.append(f"{count} verdicts differ from the recorded ones "
                     "(reanalyse run --record accepts them):")
        lines.append(format_changes(report))
    lines.append(f"Reports: {report.index}")
    return "\n".join(lines)


def run(args) -> int:
    """Run the analyses; print progress and a summary; return the exit status."""
    from reanalyse.runner import RunOptions, run_analyses
    from reanalyse.runner.progress import Progress

    options = RunOptions(out=args.out, jobs=args.jobs, force=args.force,
                         show_code=args.show_code, record=args.record, timeout=args.timeout,
                         executor=args.executor, scheduler=args.scheduler,
                         kernel_start=args.kernel_start)
    progress = Progress(sys.stderr)
    try:
        report = run_analyses(args.analyses, options, progress=progress)
    except KeyboardInterrupt:
        progress.close()
        print("reanalyse run: interrupted; report files already written are complete",
              file=sys.stderr)
        return 130
    progress.close()
    print(format_summary(report))
    return report.exit_code
