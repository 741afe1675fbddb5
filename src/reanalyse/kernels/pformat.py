"""The one way a p-value is written in a sentence, a reason or a table cell.

The rule: three significant digits, trailing zeros kept (``0.0342``, ``0.510``, ``1.00``,
``0.000264``), so that a p shows which side of 0.05 or 0.01 it falls; below 0.0001 the same
three digits in scientific notation (``2.38e-06``); exactly 0 as ``0``; a missing or undefined
p (None, NaN) as ``not computed``.
"""

from __future__ import annotations

import numpy as np

from reanalyse.kernels.columns import format_scaled, join_text

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
    values = np.asarray(p, dtype=float)
    text = _format(values.ravel()).reshape(values.shape)
    return str(text[()]) if values.ndim == 0 else text


def _format(p: np.ndarray) -> np.ndarray:
    known = np.isfinite(p) & (p > 0)
    filled = np.where(known, p, 1.0)
    exponent = np.floor(np.log10(filled)).astype(np.int64)
    small = filled < SMALL_P
    # three significant digits: p * 10**(2 - exponent) rounded; 999.6 carries to 100 (one
    # place fewer)
    places = 2 - exponent
    scaled = np.where(small, 10.0 ** (np.log10(filled) + np.where(small, places, 0)),
                      filled * 10.0 ** np.where(small, 0, places))
    carry = np.rint(scaled) >= 1000
    places[carry] -= 1
    exponent[carry] += 1
    scaled = np.where(carry, scaled / 10, scaled)
    mantissa = np.rint(scaled).astype(np.int64)
    plain = format_scaled(mantissa, np.where(small, 2, places))
    power = join_text("e", np.where(exponent < 0, "-", "+"),
                      np.char.zfill(np.abs(exponent).astype(str), 2))
    text = np.where(small, join_text(plain, power), plain.astype(object))
    text[p == 0] = "0"
    text[~np.isfinite(p) | (p < 0)] = "not computed"
    return text
