"""GRIMMER: can a printed mean and SD both come from n integer responses (Anaya 2016)?

The column declaration and table I/O of the screen; the exact integer search is the kernel
:func:`reanalyse.kernels.grimmer.grimmer_test`, which the claim check calls too.  A row with
n = 3 whose SD window is too narrow for its size to be decided within the kernel's budget is
``untestable``, never called either way.

Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
variability. PeerJ Preprints 2016;4:e2400v1.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.grimmer import grimmer_test
from reanalyse.screens.base import UNTESTABLE, Screen, ScreenResult, Field, status_codes, \
    table_mapper

__all__ = ["GRIMMER", "grimmer", "grimmer_map"]


def _run(columns, options):
    result = grimmer_test(columns["mean"], columns["sd"], columns["n"], columns["items"],
                          options["rounding"])
    status = np.where(result.decided, status_codes(result.consistent), UNTESTABLE)
    return {"status": status.astype(np.int8), "reason": result.reason}


GRIMMER = Screen(
    name="grimmer",
    title="GRIMMER: are a printed mean and SD possible for n integer responses",
    reference="Anaya (2016), PeerJ Preprints 4:e2400v1, with exact conditions for n <= 4",
    fields=(
        Field("mean", "printed", "the printed mean (text)"),
        Field("sd", "printed", "the printed sample SD (text)", minimum=0),
        Field("n", "whole", "number of participants", minimum=2),
        Field("items", "whole", "number of integer items per participant's score",
              default="1", minimum=1),
    ),
    outputs={},
    run=_run,
)

grimmer_map = table_mapper(GRIMMER)


def grimmer(mean: str, sd: str, n: int, *, items: int = 1,
            rounding: str = "nearest") -> ScreenResult:
    """GRIMMER for one printed mean and SD.

    Tests whether some n integer responses (scores that are means of ``items`` integer items)
    have a mean and a sample SD that round to the printed ones.

    Parameters
    ----------
    mean, sd : str
        As printed (text keeps trailing zeros).
    n : int
        Number of participants (at least 2).
    items : int
        Items per participant's score.
    rounding : str
        Rounding convention (:class:`reanalyse.kernels.printed.Rounding`).

    Returns
    -------
    ScreenResult
        ``reason`` gives the nearest possible SDs when the SD is impossible.

    Examples
    --------
    >>> grimmer("5.21", "1.60", 28).status
    'consistent'
    """
    return GRIMMER.scalar({"mean": mean, "sd": sd, "n": n, "items": items},
                          {"rounding": rounding})
