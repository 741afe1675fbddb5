"""Meta-analysis of per-study printed summaries (metafor's ``rma``, ``rma.mh``, ``rma.peto``).

:func:`pool` (inverse variance: FE, DL, REML, PM, with HKSJ), :func:`pool_mantel_haenszel`,
:func:`pool_peto`, :func:`leave_one_out` and :func:`pool_over_rounding_box` each return a
frozen :class:`PooledEstimate` (or a tuple / range of them); the hypotheses are stated in
each module's docstring.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.meta.counts import MH_MEASURES, pool_mantel_haenszel, pool_peto
from reanalyse.kernels.meta.inverse_variance import METHODS, PREDICTIONS, pool
from reanalyse.kernels.meta.result import RATIO_MEASURES, PooledEstimate, PoolingError
from reanalyse.kernels.meta.rounding import RoundingRange, pool_over_rounding_box
from reanalyse.kernels.meta.tau2 import ConvergenceError

__all__ = ["METHODS", "MH_MEASURES", "PREDICTIONS", "RATIO_MEASURES", "PooledEstimate",
           "ConvergenceError", "PoolingError", "RoundingRange", "pool", "pool_mantel_haenszel", "pool_peto",
           "leave_one_out", "pool_over_rounding_box"]


def leave_one_out(pool_function, *arrays, **options) -> tuple[PooledEstimate, ...]:
    """The pool recomputed without each study in turn (metafor's ``leave1out``).

    Parameters
    ----------
    pool_function : callable
        :func:`pool`, :func:`pool_mantel_haenszel` or :func:`pool_peto`.
    *arrays : array-like
        The per-study arrays that function takes positionally (``yi, vi`` or the four
        counts), all of one length k >= 2.
    **options
        Its keyword options (``method``, ``hksj``, ``measure``, ``level`` ...).

    Returns
    -------
    tuple of PooledEstimate
        Element i is the pool of every study but the i-th; its per-study arrays have k - 1
        rows (the i-th removed).
    """
    columns = [np.atleast_1d(np.asarray(array, dtype=float)) for array in arrays]
    k = columns[0].size
    if k < 2 or any(column.size != k for column in columns):
        raise PoolingError("leave_one_out needs at least two studies and arrays of one length")
    keep = ~np.eye(k, dtype=bool)
    return tuple(pool_function(*(column[keep[i]] for column in columns), **options)
                 for i in range(k))
