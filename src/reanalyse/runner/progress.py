"""Progress of a run on the terminal: a bar on a TTY, one plain line per analysis otherwise."""

from __future__ import annotations

import sys

from reanalyse.text import plural

__all__ = ["Progress", "describe", "plan_line", "verdict_counts"]


def verdict_counts(verdicts) -> str:
    """``2 impossible numbers, 1 fragile``: how many claims got each verdict, in the reader's
    labels and the vocabulary's order (a label is a verdict's name, not a noun to pluralise)."""
    from reanalyse.claims.labels import VERDICT_LABELS

    counts: dict[str, int] = {}
    for verdict in verdicts:
        verdict = getattr(verdict, "value", verdict)
        counts[verdict] = counts.get(verdict, 0) + 1
    order = list(VERDICT_LABELS) + sorted(set(counts) - set(VERDICT_LABELS))
    return ", ".join(f"{counts[name]} {VERDICT_LABELS.get(name, name)}" for name in order
                     if name in counts)


def plan_line(total: int, executing: int, up_to_date: int) -> str:
    """What a run is about to do: ``4 analyses: 2 to run, 1 up to date, 1 bad input``."""
    text = f"{plural(total, 'analysis', 'analyses')}: {executing} to run, {up_to_date} up to date"
    bad = total - executing - up_to_date
    return text + (f", {bad} bad input" if bad else "")


def describe(run) -> str:
    """One line about an :class:`~reanalyse.runner.batch.AnalysisRun` (for bad input, also
    where in which file the problem is, and the hint)."""
    if not run.ok:
        what = "bad input" if run.status == "bad_input" else "failed"
        error = run.error
        line = f"{run.name}: {what}: {error.summary if error else ''}"
        if error and error.path and error.message:
            line += "\n" + "\n".join("    " + part for part in error.message.splitlines())
        return line
    verdicts = verdict_counts(run.verdicts.values())
    when = "up to date" if run.status == "up_to_date" else f"ran in {run.duration:.1f} s"
    notes = ""
    if run.changes:
        notes += f"; {plural(len(run.changes), 'changed verdict')}"
    if run.new_claims:
        notes += f"; {plural(len(run.new_claims), 'new claim')}"
    return f"{run.name}: {when} ({verdicts or 'no claims'}{notes})"


class Progress:
    """A ``progress`` callback for :func:`~reanalyse.runner.batch.run_analyses`.

    Prints the plan at once; then, on a terminal, a tqdm bar over the items to execute, with
    failures printed above it; elsewhere (CI logs), one line per item as it is settled.
    A run's plan is ``(total, executing, up_to_date)`` and its bar starts only once the workers
    have started (its thread would keep them from being forked); a plan of ``(total,
    executing)`` (``reanalyse extract`` over files) starts the bar at once.  ``desc``, ``unit``
    and ``describe`` name what is counted and how a settled item is told.
    """

    def __init__(self, stream=None, *, desc: str = "reanalyse run", unit: str = "analysis",
                 describe=describe):
        self.stream = stream or sys.stderr
        self.desc, self.unit, self.describe = desc, unit, describe
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        self.done = 0
        self.total = 0

    def _bar(self, executing: int, description: str) -> None:
        self.close()
        if self.tty and executing:
            from tqdm import tqdm

            self.bar = tqdm(total=executing, unit=self.unit, file=self.stream,
                            desc=description, dynamic_ncols=True)

    def __call__(self, event: str, value) -> None:
        if event == "planned":
            self.total, executing, *up_to_date = value
            if up_to_date:
                print(plan_line(self.total, executing, *up_to_date), file=self.stream, flush=True)
            else:
                self._bar(executing, self.desc)
            return
        if event == "started":
            self._bar(value, self.desc)
            return
        if event == "renewing":
            print(f"Renewing {plural(value, 'report')} that show the recorded verdicts",
                  file=self.stream, flush=True)
            self.done, self.total = 0, value
            self._bar(value, "renewing")
            return
        self.done += 1
        line = f"[{self.done}/{self.total}] {self.describe(value)}"
        executed = value.status != "up_to_date" and value.duration is not None
        if self.bar is not None and executed:
            self.bar.update(1)
            if not value.ok:
                self.bar.write(line, file=self.stream)
        elif not self.tty or not value.ok:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
