"""Screen many articles at once: in this process, a pool of processes, or a Dask cluster.

Each article is read and screened by :func:`reanalyse.screens.articles.screen_article` on its
own (a worker process or a Dask worker); the tables come back in the order the articles were
given, whatever order they finish in, so the result does not depend on ``jobs``.  On Dask,
workers must see the articles at the same absolute paths as this machine.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reanalyse.screens.articles import ReadLimits, screen_article, unreadable_row

__all__ = ["ArticleOutcome", "screen_articles", "describe_article"]


@dataclass(frozen=True)
class ArticleOutcome:
    """One article screened: its rows and how long it took."""

    name: str
    rows: pd.DataFrame = field(repr=False)
    duration: float

    @property
    def ok(self) -> bool:
        """Whether the article could be read."""
        return not (len(self.rows) == 1 and self.rows["status"].iat[0] == "unreadable")

    @property
    def status(self) -> str:
        return "screened" if self.ok else "unreadable"

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "results": int(len(self.rows))
                if self.ok else 0, "duration": self.duration}


def describe_article(outcome: ArticleOutcome) -> str:
    """One line about a screened article (a progress line)."""
    if not outcome.ok:
        return f"{outcome.name}: unreadable: {outcome.rows['reason'].iat[0]}"
    counts = outcome.rows["status"].value_counts()
    shown = ", ".join(f"{count} {status}" for status, count in counts.items())
    return f"{outcome.name}: {len(outcome.rows)} results ({shown or 'none found'})"


def _screen_one(path: str, source: str, limits: ReadLimits, options: dict) -> ArticleOutcome:
    start = time.perf_counter()
    rows = screen_article(path, source, limits, **options)
    return ArticleOutcome(source, rows, time.perf_counter() - start)


def screen_articles(articles: list[tuple[Path, str]], *, limits: ReadLimits = ReadLimits(),
                    options: dict | None = None, jobs: int = 1, executor: str = "local",
                    scheduler: str | None = None, progress=None) -> pd.DataFrame:
    """Screen every article and return one table, in the order the articles were given.

    Parameters
    ----------
    articles : list of (Path, str)
        Each article's path and its ``source`` (the name written in the table).
    limits : ReadLimits
    options : dict, optional
        Options of :func:`reanalyse.screens.extract.screen_text`.
    jobs : int
        Worker processes (``local``: 1 screens in this process), or the workers of a local
        Dask cluster.
    executor : {"local", "dask"}
    scheduler : str, optional
        A Dask scheduler's address (``dask`` only; a local cluster without it).
    progress : callable, optional
        Called as ``progress("planned", (total, total))`` and then with each
        :class:`ArticleOutcome` (:class:`reanalyse.runner.progress.Progress`).

    Returns
    -------
    pandas.DataFrame
        The rows of every article, an unreadable article as one ``unreadable`` row.
    """
    options = dict(options or {})
    progress = progress or (lambda event, value: None)
    progress("planned", (len(articles), len(articles)))
    calls = [(str(Path(path).resolve()), source, limits, options) for path, source in articles]
    if executor == "dask":
        outcomes = _on_dask(calls, scheduler, jobs)
    elif jobs > 1 and len(calls) > 1:
        outcomes = _on_pool(calls, jobs)
    else:
        outcomes = ((index, _screen_one(*call)) for index, call in enumerate(calls))
    tables: list = [None] * len(calls)
    for index, outcome in outcomes:
        tables[index] = outcome.rows
        progress("done", outcome)
    if not tables:
        return unreadable_row("", "").iloc[:0]
    return pd.concat(tables, ignore_index=True)


def _failed(call, error) -> ArticleOutcome:
    return ArticleOutcome(call[1], unreadable_row(
        call[1], f"the worker screening it stopped ({type(error).__name__}: {error})"), 0.0)


def _on_pool(calls, jobs):
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls))) as pool:
        futures = {pool.submit(_screen_one, *call): index for index, call in enumerate(calls)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                yield index, future.result()
            except BrokenProcessPool as error:
                yield index, _failed(calls[index], error)


def _on_dask(calls, scheduler, jobs):
    from reanalyse.runner.dask import connect

    with connect(scheduler, jobs) as client:
        import distributed

        futures = {client.submit(_screen_one, *call, pure=False): index
                   for index, call in enumerate(calls)}
        for future in distributed.as_completed(futures):
            index = futures[future]
            try:
                yield index, future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker fails this article only
                yield index, _failed(calls[index], error)
