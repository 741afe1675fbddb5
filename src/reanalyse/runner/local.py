"""Run analyses on this machine: a bounded pool of warm worker processes.

Start-up is paid once per run, not once per notebook or per worker:

- one kernel fork server (:mod:`~reanalyse.runner.zygote`) imports ipykernel and the library
  and forks a new kernel for every notebook, for all workers;
- this process imports papermill, nbconvert and the library, then forks the workers (on
  Linux, while it has no other thread), so they start with everything imported; elsewhere
  workers are spawned and import for themselves.

Each worker runs one analysis at a time (:func:`~reanalyse.runner.execution.execute_task`).

Lifetimes: workers ignore SIGINT (the run decides when to stop), and die with this process
even when it is killed (:mod:`~reanalyse.runner.lifetime`).  A fork server that dies (a notebook
may kill it) is started again at the same address, so that the analyses that had yet to start
a kernel wait for it instead of failing; kernels already running do not depend on it.  When the
caller stops iterating early (an interrupt), the workers are killed at once, not waited for.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from reanalyse.runner.execution import (FAILED, KERNEL_PRELOAD, WORKER_PRELOAD, Outcome, Task,
                                        execute_task, skip_unused_imports, start_worker)
from reanalyse.runner.errors import RunError
from reanalyse.runner.lifetime import die_with_parent

__all__ = ["run_local", "ZYGOTE_RESTARTS"]

#: How many times a run starts its kernel fork server again after it died.
ZYGOTE_RESTARTS = 5
#: Seconds between checks that the fork server is alive.
_POLL = 0.25


def _context():
    """``fork`` where it is safe (Linux, a single thread), else ``spawn``."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start_pool_worker(parent: int, kernel_start: str, zygote: str | None) -> None:
    """A pool worker's initializer: tie it to the run, then :func:`start_worker`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(signal.SIGKILL, parent)
    start_worker(kernel_start, zygote)


def run_local(tasks: list[Task], jobs: int, kernel_start: str):
    """Start the pool and submit every task; iterate over the result for their outcomes.

    The workers are started before this returns (before a progress bar starts a thread), and
    an :class:`Outcome` is yielded as each analysis finishes.  A worker process that dies (it
    runs no notebook code, so this takes a crash of the interpreter itself) fails the
    analyses it had not finished; the others still run.  Close the iterator (or stop it with
    an exception) to stop the workers and the fork server.
    """
    if not tasks:
        return iter(())
    import importlib

    from reanalyse.runner.jupyter import Zygote

    zygote = Zygote(KERNEL_PRELOAD) if kernel_start == "fork" else None
    context = _context()
    if context.get_start_method() == "fork":  # imported once, inherited by every worker
        skip_unused_imports()
        for module in WORKER_PRELOAD:
            importlib.import_module(module)
        from reanalyse.runner.outputs import prepare_exporter

        for show_code in {task.show_code for task in tasks}:
            prepare_exporter(show_code)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                               initializer=_start_pool_worker,
                               initargs=(os.getpid(), kernel_start, zygote and zygote.address))
    futures = {pool.submit(execute_task, task): task for task in tasks}
    return _outcomes(pool, futures, zygote)


def _outcomes(pool, futures, zygote):
    finished = False
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            if zygote is not None and not zygote.alive and zygote.restarts < ZYGOTE_RESTARTS:
                zygote.restart()
            for future in done:
                task = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool as error:
                    yield Outcome(task.name, FAILED, error=RunError.lost(error))
        finished = True
    finally:
        if not finished:
            _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        if zygote is not None:
            zygote.close()


def _kill_workers(pool) -> None:
    """Kill the pool's workers (their kernels follow them) without waiting for their work."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
