"""Run analyses on a Dask cluster: a scheduler's address, or a local cluster.

Needs the ``dask`` extra (``pip install 'reanalyse[dask]'``).  Each Dask worker runs analyses
exactly as a local worker does (:func:`~reanalyse.runner.execution.execute_task`) and sends
back the executed notebook, its HTML and its verdicts; this process writes the report files.
Workers must see the analysis, study and notebook files at the same absolute paths as this
machine (a shared file system or the same checkout at the same place), and have reanalyse
installed.
"""

from __future__ import annotations

import contextlib
import logging
import uuid

from reanalyse.errors import ReanalyseError
from reanalyse.runner.errors import RunError
from reanalyse.runner.execution import FAILED, Outcome, Task, execute_task, start_worker

__all__ = ["run_dask", "connect", "CONNECT_TIMEOUT"]

#: Seconds to wait for a scheduler to answer.
CONNECT_TIMEOUT = 10


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ReanalyseError("running on Dask needs the dask extra: "
                             "pip install 'reanalyse[dask]'") from None
    return distributed


def _warm_up_plugin(kernel_start: str):
    """A worker plugin that prepares each worker (fork server, imports) when it joins."""
    distributed = _distributed()

    class WarmUp(distributed.WorkerPlugin):
        name = f"reanalyse-warm-up-{kernel_start}"

        def setup(self, worker):
            start_worker(kernel_start)

    return WarmUp()


def run_dask(tasks: list[Task], *, kernel_start: str, scheduler: str | None = None,
             jobs: int = 1):
    """Yield the :class:`Outcome` of each task as it finishes on a Dask cluster.

    Parameters
    ----------
    tasks : list of Task
    kernel_start : str
        How workers start kernels (``fork`` or ``spawn``).
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).  Without it a local cluster of
        ``jobs`` single-threaded worker processes is started and stopped.
    jobs : int
        Workers of the local cluster.
    """
    if not tasks:
        return
    distributed = _distributed()
    with connect(scheduler, jobs) as client:
        client.register_plugin(_warm_up_plugin(kernel_start))
        run = uuid.uuid4().hex[:8]
        futures = {client.submit(execute_task, task, key=f"reanalyse-{task.name}-{run}",
                                 pure=False): task for task in tasks}
        for future in distributed.as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker fails this analysis only
                yield Outcome(task.name, FAILED, error=RunError.lost(
                    error, f"the Dask task failed: {error}"))


@contextlib.contextmanager
def connect(scheduler: str | None = None, jobs: int = 1):
    """A Dask client: of the scheduler at ``scheduler``, or of a local cluster of ``jobs``
    single-threaded worker processes, started here and stopped on leaving."""
    distributed = _distributed()
    cluster = None
    try:
        if scheduler is None:
            cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=logging.ERROR)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, RuntimeError) as error:
        # RuntimeError: a worker's nanny that fails to start ("Nanny failed to start")
        if cluster is not None:
            cluster.close()
        where = ("cannot start a local Dask cluster" if scheduler is None
                 else f"cannot reach the Dask scheduler at {scheduler}")
        raise ReanalyseError(f"{where}: {type(error).__name__}: {error}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
