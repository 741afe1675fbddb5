"""Progress of a run on the terminal: a bar on a TTY, one plain line per analysis otherwise."""

from __future__ import annotations

import sys

__all__ = ["Progress", "describe"]


def describe(run) -> str:
    """One line about an :class:`~reanalyse.runner.batch.AnalysisRun`."""
    if not run.ok:
        what = "bad input" if run.status == "bad_input" else "FAILED"
        return f"{run.name}: {what}: {(run.error or {}).get('summary', '')}"
    counts: dict[str, int] = {}
    for verdict in run.verdicts.values():
        counts[verdict] = counts.get(verdict, 0) + 1
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    when = "up to date" if run.status == "up_to_date" else f"ran in {run.duration:.1f} s"
    changed = f"; {len(run.changes)} changed" if run.changes else ""
    return f"{run.name}: {when} ({verdicts or 'no claims'}{changed})"


class Progress:
    """A ``progress`` callback for :func:`~reanalyse.runner.batch.run_analyses`.

    On a terminal, a tqdm bar over the analyses to execute, with failures printed above it;
    elsewhere (CI logs), one line per analysis as it is settled.
    """

    def __init__(self, stream=None, *, desc: str = "reanalyse run", unit: str = "analysis",
                 describe=describe):
        self.stream = stream or sys.stderr
        self.desc, self.unit, self.describe = desc, unit, describe
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        self.done = 0
        self.total = 0

    def __call__(self, event: str, value) -> None:
        if event == "planned":
            self.total, executing = value
            if self.tty and executing:
                from tqdm import tqdm

                self.bar = tqdm(total=executing, unit=self.unit, file=self.stream,
                                desc=self.desc, dynamic_ncols=True)
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
