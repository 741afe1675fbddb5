"""The last results of analyses a run did not run, so that a partial run keeps the shared index.

``reanalyse run analyses/one.yaml`` runs one analysis, but the index and ``verdicts.csv`` it
writes are what the team shares: every other analysis whose report is in the report folder
keeps its row, marked with when it last ran.  An analysis counts as one of the project's while
its analysis file is still there (in a folder of the analyses this run named); the report of an
analysis whose file is gone is left on disk and out of the index, as a full run leaves it.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from reanalyse.model.analysis import find_analyses
from reanalyse.runner.outputs import failed_files, report_files

__all__ = ["earlier_runs", "when_ran", "age"]

_STAMP = "%Y-%m-%dT%H:%M:%S%z"


def when_ran(result: dict | None) -> float | None:
    """The time (seconds since the epoch) a report's JSON says its run started, or None."""
    try:
        return time.mktime(time.strptime(result["run"]["started"], _STAMP))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def age(then: float | None, now: float | None = None) -> str:
    """``2026-12-07 16:30, 2 h ago``: when, and how long before ``now``."""
    if then is None:
        return "time unknown"
    seconds = max((time.time() if now is None else now) - then, 0.0)
    if seconds < 60:
        ago = "just now"
    elif seconds < 3600:
        ago = f"{int(seconds // 60)} min ago"
    elif seconds < 2 * 86400:
        ago = f"{int(seconds // 3600)} h ago"
    else:
        ago = f"{int(seconds // 86400)} days ago"
    return f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(then))}, {ago}"


def earlier_runs(out: Path, run_paths, make_run) -> list:
    """Rows for the analyses of the run's folders that this run did not include.

    Parameters
    ----------
    out : Path
        The report folder.
    run_paths : iterable of Path
        The analysis files of this run; their folders are searched for the others.
    make_run : callable
        ``make_run(path, result, failed_page)`` -> an :class:`AnalysisRun` for an analysis
        file, its last good JSON (or None) and whether a failure page is newer than it.

    Returns
    -------
    list of AnalysisRun
        In name order, each with ``ran_at`` set (its last run, or its failure page's time).
    """
    run_paths = [Path(path) for path in run_paths]
    names = {path.stem for path in run_paths}
    found: dict[str, Path] = {}
    for folder in sorted({path.parent for path in run_paths}):
        try:
            candidates = find_analyses(folder)
        except OSError:
            continue
        for path in candidates:
            if path.stem not in names and path.stem not in found:
                found[path.stem] = path
    rows = []
    for name, path in sorted(found.items()):
        good, failed = report_files(out, name)["json"], failed_files(out, name)["html"]
        result = _read(good)
        failed_at = _mtime(failed)
        if result is None and failed_at is None:
            continue  # never run into this folder
        ran = when_ran(result)
        run = make_run(path, result, failed_at is not None and (ran is None or failed_at >= ran))
        rows.append(replace(run, ran_at=failed_at if run.status != "earlier" and failed_at
                            else ran))
    return rows


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None
