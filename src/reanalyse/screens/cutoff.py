"""Cut-off counts: how many participants can lie beyond a cut-off, given n, mean and SD?

For scores on a bounded scale (``scale_min``..``scale_max``, in steps of ``1 / items``), the
printed n, mean and SD allow finitely many datasets.  Over all of them the count at or above
(``>=``) or at or below (``<=``) a cut-off lies in an exact range ``count_min``..``count_max``
(:func:`reanalyse.kernels.cutoff_bounds.cutoff_bounds`, each end attained by a dataset).
A printed count, or a percentage of n, is *consistent* when a dataset fitting the mean and SD
has that count; a row whose mean and SD fit no dataset at all is *impossible*.

Each row has the kernel's fixed work budget (:data:`~reanalyse.kernels.cutoff_bounds.PROGRAMMES`
integer programmes of at most :data:`~reanalyse.kernels.cutoff_bounds.NODE_LIMIT` nodes), so
a table gets the same answers on every machine.  A row not settled within it is *untestable*,
its reason giving the proven bracket (a printed count outside the bracket is still
*inconsistent*).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from reanalyse.errors import WorkBudgetExceeded
from reanalyse.kernels.cutoff_bounds import Interval, count_witness, cutoff_bounds
from reanalyse.kernels.cutoffs import SPELLINGS
from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import PrintedNumber
from reanalyse.screens.base import BAD_INPUT, CONSISTENT, IMPOSSIBLE, INCONSISTENT, \
    UNTESTABLE, Screen, ScreenResult, Field, table_mapper

__all__ = ["CUTOFF", "cutoff_count", "cutoff_map"]

_DIRECTIONS = {"": ">=", **SPELLINGS}


def _exact(column, i) -> Fraction:
    return Fraction(int(column.scaled[i])) / Fraction(10) ** int(column.decimals[i])


def _interval(column, i, rounding) -> Interval | None:
    """The interval of a printed cell, from the digits the column reader read (the text is
    never read a second time)."""
    if column.text[i] == "":
        return None
    return _printed(int(column.scaled[i]), int(column.decimals[i]), rounding)


@lru_cache(maxsize=4096)
def _printed(scaled: int, decimals: int, rounding) -> Interval:
    return Interval(*PrintedNumber("", scaled, decimals).bounds_exact(rounding))


def _row(columns, i, rounding, cache):
    """(status, reason, count_min, count_max) of row i."""
    n = int(columns["n"][i])
    items = int(columns["items"][i]) or 1  # a blank cell reads as 0: the default
    low, high = _exact(columns["scale_min"], i), _exact(columns["scale_max"], i)
    cutoff = _exact(columns["cutoff"], i)
    direction = columns["direction"][i] or ">="
    mean = _interval(columns["mean"], i, rounding)
    sd = _interval(columns["sd"], i, rounding)
    key = (n, items, low, high, cutoff, direction, mean, sd)
    if key not in cache:
        try:
            cache[key] = cutoff_bounds(n, mean, sd, (low, high, items), cutoff, direction,
                                       rounding=rounding)
        except ValueError as error:
            cache[key] = error
    bounds = cache[key]
    if isinstance(bounds, ValueError):
        return BAD_INPUT, str(bounds), -1, -1
    if bounds.feasible is False:
        what = "mean and SD" if sd is not None else "mean"
        return IMPOSSIBLE, (f"no {n} scores on {low}..{high} (steps of 1/{items}) have a "
                            f"{what} that print as these"), -1, -1
    count_text, percent_text = columns["count"].text[i], columns["percent"].text[i]
    if bounds.determined:
        span = f"{bounds.count_min} to {bounds.count_max} of {n}"
    else:
        span = f"at most {bounds.bracket[1]} and at least {bounds.bracket[0]} of {n}"
    if count_text != "":
        if columns["count"].decimals[i] > 0 and columns["count"].scaled[i] % \
                10 ** int(columns["count"].decimals[i]):
            return BAD_INPUT, f"count = {count_text!r}: must be a whole number", -1, -1
        counts = [int(_exact(columns["count"], i))]
        printed = f"the printed count {counts[0]}"
    elif percent_text != "":
        counts = list(percent_count_range(str(percent_text), n, rounding))
        printed = f"the printed {percent_text}% of {n}"
        if not counts:
            return INCONSISTENT, f"no count out of {n} gives {percent_text}%", \
                *_range(bounds)
    elif bounds.determined:
        return CONSISTENT, None, bounds.count_min, bounds.count_max
    else:
        return UNTESTABLE, _unsettled(bounds, n), -1, -1
    where = f"{direction} {cutoff}"
    low, high = (bounds.count_min, bounds.count_max) if bounds.determined else bounds.bracket
    inside = [c for c in counts if low <= c <= high]
    if inside and not bounds.determined:
        return UNTESTABLE, _unsettled(bounds, n), -1, -1
    unsettled = False
    for c in inside:
        if c in (bounds.count_min, bounds.count_max):
            return CONSISTENT, None, bounds.count_min, bounds.count_max
        try:
            if count_witness(bounds, c) is not None:
                return CONSISTENT, None, bounds.count_min, bounds.count_max
        except WorkBudgetExceeded:
            unsettled = True
    if unsettled:
        return UNTESTABLE, (f"{printed} lies within {span} {where}; whether a dataset with "
                            "the printed mean and SD has exactly that count is not settled "
                            "within the work budget"), bounds.count_min, bounds.count_max
    if inside:
        reason = (f"{printed} lies within {span} {where}, but no dataset with the printed "
                  "mean and SD has exactly that count")
    else:
        reason = f"{printed} {where} is outside what the mean and SD allow: {span}"
    return INCONSISTENT, reason, *_range(bounds)


def _range(bounds) -> tuple:
    return (bounds.count_min, bounds.count_max) if bounds.determined else (-1, -1)


def _unsettled(bounds, n) -> str:
    low, high = bounds.bracket
    return (f"the exact range is not settled within the work budget; every dataset with the "
            f"printed mean and SD has {low} to {high} of {n} beyond the cut-off")


def _run(columns, options):
    rows = len(columns["n"])
    rounding = options["rounding"]
    status = np.zeros(rows, dtype=np.int8)
    reason = np.full(rows, None, dtype=object)
    count_min = np.full(rows, None, dtype=object)
    count_max = np.full(rows, None, dtype=object)
    cache = {}
    for i in range(rows):
        code, why, low, high = _row(columns, i, rounding, cache)
        status[i], reason[i] = code, why
        if low >= 0:
            count_min[i], count_max[i] = low, high
    return {"status": status, "reason": reason, "count_min": count_min,
            "count_max": count_max}


CUTOFF = Screen(
    name="cutoff",
    title="cut-off counts: how many participants can be beyond a cut-off, given n, mean, SD",
    reference="exact bounds over every dataset of scale scores fitting the printed n, mean "
              "and SD (GRIMMER generalised to bounded scales); reanalyse.kernels.cutoff_bounds",
    fields=(
        Field("n", "whole", "number of participants", minimum=1),
        Field("mean", "printed", "the printed mean (text)"),
        Field("sd", "printed", "the printed sample SD (text; blank: not printed)", minimum=0,
              blank_ok=True),
        Field("scale_min", "printed", "the scale's lowest score"),
        Field("scale_max", "printed", "the scale's highest score"),
        Field("items", "whole", "integer items averaged per score (blank: 1)", default="1",
              minimum=1, blank_ok=True),
        Field("cutoff", "printed", "the cut-off score (exact)"),
        Field("direction", "label", "count scores >= (default), >, <= or < the cut-off",
              default=">=", labels=_DIRECTIONS),
        Field("count", "printed", "the printed count beyond the cut-off (optional)",
              default="", minimum=0, blank_ok=True),
        Field("percent", "printed", "or the printed percentage of n (optional)", default="",
              minimum=0, maximum=100, blank_ok=True),
    ),
    outputs={"count_min": "smallest count any fitting dataset has (empty when none fits)",
             "count_max": "largest count any fitting dataset has (empty when none fits)"},
    run=_run,
)

cutoff_map = table_mapper(CUTOFF)


def cutoff_count(n: int, mean: str, sd: str | None, scale_min, scale_max, cutoff, *,
                 items: int = 1, direction: str = ">=", count: int | None = None,
                 percent: str | None = None, rounding: str = "nearest") -> ScreenResult:
    """The range of counts beyond a cut-off, and whether a printed count fits it.

    Parameters
    ----------
    n : int
        Participants.
    mean, sd : str
        As printed (``sd`` None or ``""`` when not printed).
    scale_min, scale_max : str or int
        The scale's ends.
    cutoff : str or int
        The cut-off score.
    items : int
        Integer items averaged per score.
    direction : str
        ``>=`` (default), ``>``, ``<=`` or ``<``.
    count : int, optional
        The printed count beyond the cut-off.
    percent : str, optional
        Or the printed percentage of n.
    rounding : str
        Rounding convention of the printed numbers.

    Returns
    -------
    ScreenResult
        ``status`` ``consistent``, ``inconsistent``, ``impossible`` or ``bad_input``;
        ``details["count_min"]``, ``details["count_max"]``.

    Examples
    --------
    >>> cutoff_count(10, "3.00", "1.05", 0, 10, 4, count=6).status
    'inconsistent'
    """
    values = {"n": n, "mean": mean, "sd": "" if sd is None else sd,
              "scale_min": str(scale_min), "scale_max": str(scale_max), "items": items,
              "cutoff": str(cutoff), "direction": direction,
              "count": "" if count is None else str(count),
              "percent": "" if percent is None else percent}
    return CUTOFF.scalar(values, {"rounding": rounding})
