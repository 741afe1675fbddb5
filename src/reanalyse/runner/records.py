"""What a run is asked and what it reports: the options of a run (:class:`RunOptions`), one
analysis's outcome (:class:`AnalysisRun`) and the whole run's (:class:`RunReport`), and the
statuses an analysis can end in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reanalyse.errors import ReanalyseError
from reanalyse.runner.errors import RunError
from reanalyse.text import plural

__all__ = ["RunOptions", "AnalysisRun", "RunReport", "default_jobs", "runs_phrase", "RAN",
           "UP_TO_DATE", "FAILED", "BAD_INPUT", "EARLIER", "EARLIER_FAILED", "EXECUTORS"]

RAN, UP_TO_DATE, FAILED, BAD_INPUT = "ran", "up_to_date", "failed", "bad_input"
#: Analyses a partial run did not include, listed from their last run (good, or failed).
EARLIER, EARLIER_FAILED = "earlier", "earlier_failed"
EXECUTORS = ("local", "dask")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def runs_phrase(runs) -> str:
    """How many analyses and reviews ``runs`` (of :class:`AnalysisRun`) hold.

    Examples
    --------
    >>> from pathlib import Path
    >>> runs = [AnalysisRun("a", Path("a.yaml"), RAN), AnalysisRun("b", Path("b.yaml"), RAN),
    ...         AnalysisRun("r", Path("r.yaml"), RAN, kind="review")]
    >>> runs_phrase(runs), runs_phrase(runs[:1]), runs_phrase(runs[2:]), runs_phrase([])
    ('2 analyses and 1 review', '1 analysis', '1 review', '0 analyses')
    """
    reviews = sum(run.kind == "review" for run in runs)
    analyses = len(runs) - reviews
    parts = [plural(analyses, "analysis", "analyses")] if analyses or not reviews else []
    return " and ".join(parts + ([plural(reviews, "review")] if reviews else []))


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
        ``fork`` or ``spawn`` (see :mod:`reanalyse.runner.jupyter`); None: the platform's
        default.
    allow_outside : bool
        Accept study files and notebooks outside the project
        (:func:`~reanalyse.model.project.project_root`).
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
    allow_outside: bool = False

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
        ``ran``, ``up_to_date``, ``failed`` or ``bad_input``; for an analysis of the project
        that the run did not include (:mod:`reanalyse.runner.earlier`), ``earlier`` (its last
        run was good) or ``earlier_failed``.
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
    error : RunError or None
        For failures: why the analysis did not run.
    duration : float or None
        Seconds the analysis took on its worker (for ``up_to_date``: in its last run).
    files : dict
        Kind (``html``, ``notebook``, ``json``, ``failed_html``, ``failed_notebook``) -> file
        name in the report folder, for the files that exist.
    ran_at : float or None
        When its verdicts were computed (seconds since the epoch; for ``up_to_date`` and
        ``earlier``: in its last run).
    kind : str
        ``analysis``, or ``review`` for a review file (its claims are its pooled lines).
    root : Path or None
        The project of the file (:attr:`reanalyse.model.analysis.Analysis.root`; for a file
        that could not be read, derived from its path), the folder shared pages name files
        relative to.
    """

    name: str
    path: Path
    status: str
    verdicts: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    study: dict | None = None
    title: str | None = None
    error: RunError | None = None
    duration: float | None = None
    files: dict = field(default_factory=dict)
    ran_at: float | None = None
    kind: str = "analysis"
    root: Path | None = None

    @property
    def ok(self) -> bool:
        """Whether the analysis has verdicts (it ran now, is up to date, or, not in this run,
        its last run was good)."""
        return self.status in (RAN, UP_TO_DATE, EARLIER)

    @property
    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """``(claim, expected, now)`` for each recorded claim whose verdict is not the recorded
        one; a recorded claim the study no longer has has ``now`` None.

        Claims with no recorded verdict are not changes but :attr:`new_claims`.
        """
        if not self.ok:
            return []
        changed = [(claim, self.expected[claim], verdict)
                   for claim, verdict in self.verdicts.items()
                   if claim in self.expected and self.expected[claim] != verdict]
        changed += [(claim, verdict, None) for claim, verdict in self.expected.items()
                    if claim not in self.verdicts]
        return changed

    @property
    def new_claims(self) -> list[tuple[str, str]]:
        """``(claim, now)`` for each claim with no recorded verdict."""
        if not self.ok:
            return []
        return [(claim, verdict) for claim, verdict in self.verdicts.items()
                if claim not in self.expected]


@dataclass(frozen=True)
class RunReport:
    """The result of :func:`run_analyses`.

    Attributes
    ----------
    runs : tuple of AnalysisRun
    out, index, csv : Path
        The report folder, ``index.html`` and ``verdicts.csv``.
    duration : float
        Seconds.
    recorded : tuple of AnalysisRun
        The analyses whose ``expected:`` block ``record`` wrote.
    problems : tuple of str
        Files that could not be written or removed (a read-only or full report folder), each
        with the reason.
    unused_studies : tuple of Path
        Study files in the projects' ``data/`` folders that no analysis names (looked for when
        a folder of analyses is run).
    earlier : tuple of AnalysisRun
        The analyses of the run's folders that it did not include, from their last run: the
        index and ``verdicts.csv`` list them too (they never change the exit status).
    """

    runs: tuple[AnalysisRun, ...]
    out: Path
    index: Path
    csv: Path
    duration: float
    recorded: tuple[AnalysisRun, ...] = ()
    problems: tuple[str, ...] = ()
    unused_studies: tuple[Path, ...] = ()
    earlier: tuple[AnalysisRun, ...] = ()

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
    def new(self) -> tuple[AnalysisRun, ...]:
        """Analyses with claims that have no recorded verdict."""
        return tuple(run for run in self.runs if run.new_claims)

    @property
    def exit_code(self) -> int:
        """2 when an analysis failed or had bad input or a report file could not be written,
        else 1 when a recorded verdict changed, else 0 (claims with no recorded verdict yet
        are new, not changed)."""
        if self.failures or self.problems:
            return 2
        return 1 if self.changed else 0
