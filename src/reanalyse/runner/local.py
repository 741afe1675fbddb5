"""Run analyses on this machine: a bounded pool of warm worker processes.

Start-up is paid once per run, not once per notebook or per worker:

- one kernel fork server (:mod:`~reanalyse.runner.zygote`) imports ipykernel and the library
  and forks a new kernel for every notebook, for all workers;
- this process imports papermill, nbconvert and the library, then forks the workers (on
  Linux, while it has no other thread), so they start with everything imported; elsewhere
  workers are spawned and import for themselves.

Each worker runs one analysis at a time (:func:`~reanalyse.runner.execution.execute_task`).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from reanalyse.runner.execution import (FAILED, KERNEL_PRELOAD, WORKER_PRELOAD, Outcome, Task,
                                        execute_task, start_worker)

__all__ = ["run_local"]


def _context():
    """``fork`` where it is safe (Linux, a single thread), else ``spawn``."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_local(tasks: list[Task], jobs: int, kernel_start: str):
    """Start the pool and submit every task; iterate over the result for their outcomes.

    The workers are started before this returns (before a progress bar starts a thread), and
    an :class:`Outcome` is yielded as each analysis finishes.  A worker process that dies (it
    runs no notebook code, so this takes a crash of the interpreter itself) fails the
    analyses it had not finished; the others still run.
    """
    if not tasks:
        return iter(())
    import importlib

    from reanalyse.runner.kernels import Zygote

    zygote = Zygote(KERNEL_PRELOAD) if kernel_start == "fork" else None
    context = _context()
    if context.get_start_method() == "fork":
        for module in WORKER_PRELOAD:  # inherited by every worker
            importlib.import_module(module)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                               initializer=start_worker,
                               initargs=(kernel_start, zygote and zygote.address))
    futures = {pool.submit(execute_task, task): task for task in tasks}
    return _outcomes(pool, futures, zygote)


def _outcomes(pool, futures, zygote):
    try:
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except BrokenProcessPool as error:
                yield Outcome(task.name, FAILED, error={
                    "kind": "worker", "summary": "the worker process stopped unexpectedly",
                    "message": f"{type(error).__name__}: {error}"})
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if zygote is not None:
            zygote.close()
