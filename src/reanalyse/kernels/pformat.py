"""The one way a p-value is written in a sentence, a reason or a table cell.

The rule: three significant digits, trailing zeros kept (``0.0342``, ``0.510``, ``1.00``,
``0.000264``), so that a p shows which side of 0.05 or 0.01 it falls; below 0.0001 the same
three digits in scientific notation (``2.38e-06``); exactly 0 as ``0``; a missing or undefined
p (None, NaN) as ``not computed``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["format_p", "SMALL_P"]

#: Below this a p is written in scientific notation.
SMALL_P = 1e-4


def format_p(p):
    """p-values as text by the module's rule: a str for one p, an object array for an array.

    Examples
    --------
    >>> format_p(0.034187), format_p(0.5096), format_p(2.376e-06), format_p(None)
    ('0.0342', '0.510', '2.38e-06', 'not computed')
    """
    if p is None:
        return "not computed"
    if isinstance(p, (float, int)) or np.ndim(p) == 0:
        return _format_one(float(p))
    values = np.asarray(p, dtype=float)
    return _format(values.ravel()).reshape(values.shape)


def _places(p: float) -> int:
    """Decimals that show three significant digits of ``p`` (0 < p < 10)."""
    return 2 - math.floor(math.log10(p))


def _format_one(p: float) -> str:
    if not math.isfinite(p) or p < 0:
        return "not computed"
    if p == 0:
        return "0"
    if p < SMALL_P:
        return f"{p:.2e}"
    places = _places(p)
    # 0.09996 rounds to 0.1000: one place fewer keeps three digits
    if round(p, places) >= 10.0 ** (3 - places):
        places -= 1
    return f"{p:.{places}f}"


def _format(p: np.ndarray) -> np.ndarray:
    """The rule for an array, with Python's formatting (as :func:`_format_one`) by groups."""
    text = np.full(p.shape, "not computed", dtype=object)
    text[p == 0] = "0"
    small = np.isfinite(p) & (p > 0) & (p < SMALL_P)
    if small.any():
        text[small] = np.char.mod("%.2e", p[small]).astype(object)
    plain = np.flatnonzero(np.isfinite(p) & (p >= SMALL_P))
    if len(plain):
        places = 2 - np.floor(np.log10(p[plain])).astype(np.int64)
        for count in np.unique(places):
            at = plain[places == count]
            formatted = np.char.mod(f"%.{count}f", p[at])
            carry = formatted.astype(float) >= 10.0 ** (3 - count)
            formatted[carry] = np.char.mod(f"%.{count - 1}f", p[at][carry])
            text[at] = formatted.astype(object)
    return text
