"""Columns of printed numbers that arrived as floats: the warning that says which rows.

A float keeps no trailing zeros: a table read without ``dtype=str`` turns a printed ``1.20`` into
1.2, whose rounding interval is ten times wider, and GRIMMER can then find consistent what the
printed text makes inconsistent.  The digits that were printed are gone, so no screen can tell
which cells lost a zero; what it can tell is which cells show fewer decimals than the column's
others, the usual sign of a zero lost at the end.  :func:`warn_lost_decimals` names those rows,
and points the warning at the caller's own line (the first frame outside this package), not
into the library.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["LostDecimalsWarning", "shortened_rows", "warn_lost_decimals", "caller_stacklevel"]

#: Most rows a warning names.
SHOWN = 5
_PACKAGE = str(Path(__file__).resolve().parents[1])


class LostDecimalsWarning(UserWarning):
    """A column of printed numbers arrived as floats, which keep no trailing zeros."""


def shortened_rows(values) -> tuple[list, int]:
    """``(rows, most)``: ``(index label, text)`` of the float cells shown with fewer decimals
    than ``most``, the largest number of decimals among the column's float cells (cells in
    exponent form are left out).

    Parameters
    ----------
    values : pandas.Series or array-like
        The column as given.
    """
    series = pd.Series(values, copy=False)
    floats = series[series.map(lambda value: isinstance(value, (float, np.floating)))
                    if series.dtype.kind != "f" else series.notna()].dropna().astype(float)
    if floats.empty:
        return [], 0
    text = floats.map(repr)
    plain = ~text.str.contains("e|n|i", regex=True)
    decimals = text[plain].str.partition(".")[2].str.len()
    most = int(decimals.max()) if len(decimals) else 0
    short = decimals[decimals < most]
    return [(label, text[label]) for label in short.index], most


def caller_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside the ``reanalyse`` package, counted from
    the function that calls this one (so that a warning points at the user's line)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def warn_lost_decimals(column, values) -> None:
    """Warn that ``column`` arrived as floats, naming the rows whose reading may have changed.

    The warning points at the first line outside the package (the notebook cell or script
    that called the screen).
    """
    rows, most = shortened_rows(values)
    if rows:
        listed = ", ".join(f"row {label!r} ({text}, perhaps printed "
                           f"{float(text):.{most}f})" for label, text in rows[:SHOWN])
        more = f" and {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
        which = (f"rows read with fewer decimals than the column's {most}, each now read with "
                 f"a wider rounding interval: {listed}{more}")
    else:
        which = (f"every cell shows {most} decimals, so no row is known to have lost one, but "
                 "a printed trailing zero on every row would be lost too")
    warnings.warn(LostDecimalsWarning(
        f"column {column!r} holds numbers, not text: trailing zeros may have been lost (8.60 "
        f"reads as 8.6, a wider rounding interval); {which}; read the table as text, e.g. "
        "pandas.read_csv(path, dtype=str)"), stacklevel=caller_stacklevel())
