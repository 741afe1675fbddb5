"""GRIM: can a printed mean be the mean of n integer values (Brown & Heathers 2017)?

The mean of n responses on an integer scale, each the sum of ``items`` integer items, is an
integer sum divided by ``n * items``.  A printed mean is *consistent* when some integer sum
gives a true mean inside the printed number's rounding interval.  With ``n * items`` at least
``10**decimals`` every printed mean is possible (the check is not ``testable``).  The rule is the
kernel :func:`reanalyse.kernels.granularity.grim_test`, which the claim check calls too; this
module declares the screen's columns.

Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in the
reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-369.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.granularity import grim_sums, grim_test
from reanalyse.screens.base import UNTESTABLE, Screen, ScreenResult, Field, status_codes, \
    table_mapper

__all__ = ["GRIM", "grim", "grim_map", "grim_sums"]


def _run(columns, options):
    result = grim_test(columns["mean"], columns["n"], columns["items"], options["rounding"])
    status = np.where(result.testable, status_codes(result.consistent), UNTESTABLE)
    return {"status": status.astype(np.int8), "reason": result.reason,
            "testable": result.testable}


GRIM = Screen(
    name="grim",
    title="GRIM: is a printed mean possible for n integer responses",
    reference="Brown & Heathers (2017), Soc Psychol Personal Sci 8:363-369",
    fields=(
        Field("mean", "printed", "the printed mean (text, trailing zeros kept)"),
        Field("n", "whole", "number of participants", minimum=1),
        Field("items", "whole", "number of integer items summed or averaged per participant",
              default="1", minimum=1),
    ),
    outputs={"testable": "whether n x items < 10**decimals, so that GRIM can fail at all"},
    run=_run,
)

grim_map = table_mapper(GRIM)


def grim(mean: str, n: int, *, items: int = 1, rounding: str = "nearest") -> ScreenResult:
    """GRIM for one printed mean.

    Tests whether a mean printed as ``mean`` can arise from ``n`` responses that are each the
    mean (or sum) of ``items`` integer items: some integer total T must give T / (n x items)
    inside the printed mean's rounding interval.

    Parameters
    ----------
    mean : str
        The mean as printed (text keeps trailing zeros: ``"5.20"``).
    n : int
        Number of participants.
    items : int
        Items per participant's score.
    rounding : str
        Rounding convention of the printed mean (:class:`reanalyse.kernels.printed.Rounding`).

    Returns
    -------
    ScreenResult
        ``status`` ``consistent`` or ``inconsistent`` (with the nearest possible means in
        ``reason``), ``details["testable"]``.

    Examples
    --------
    >>> grim("5.19", 28).status
    'inconsistent'
    """
    return GRIM.scalar({"mean": mean, "n": n, "items": items}, {"rounding": rounding})
