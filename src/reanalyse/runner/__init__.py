"""``reanalyse run``: execute every analysis as a papermill notebook and write shareable reports.

Modules:

:mod:`~reanalyse.runner.batch`
    :func:`run_analyses`: what runs, the report folder, verdicts compared with ``expected:``.
:mod:`~reanalyse.runner.records`
    :class:`RunOptions`, :class:`AnalysisRun`, :class:`RunReport`: what a run is asked and
    what it reports.
:mod:`~reanalyse.runner.execution`
    One analysis in a worker: input checks, papermill, the HTML.
:mod:`~reanalyse.runner.errors`
    :class:`RunError`: why an analysis did not run, one constructor per kind of failure.
:mod:`~reanalyse.runner.jupyter`, :mod:`~reanalyse.runner.zygote`
    New kernels of this interpreter, forked from a warm process or spawned.
:mod:`~reanalyse.runner.local`, :mod:`~reanalyse.runner.dask`
    A pool of worker processes on this machine, or a Dask cluster.
:mod:`~reanalyse.runner.lifetime`
    Worker, fork server and kernel processes that end with the process they serve.
:mod:`~reanalyse.runner.outputs`, :mod:`~reanalyse.runner.index`
    Report files written atomically; ``index.html`` and ``verdicts.csv``.
:mod:`~reanalyse.runner.hashing`
    Content hashes that make runs incremental.

Importing this package does not import papermill, nbconvert or scipy.
"""

from reanalyse.runner.batch import run_analyses
from reanalyse.runner.records import AnalysisRun, RunOptions, RunReport
from reanalyse.runner.errors import RunError

__all__ = ["run_analyses", "RunOptions", "RunReport", "AnalysisRun", "RunError"]
