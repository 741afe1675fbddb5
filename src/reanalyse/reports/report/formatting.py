"""Numbers as a report prints them: significant digits in sentences, one number of decimals
per table column, p-values in the one p format.
"""

from __future__ import annotations

import math

from reanalyse.kernels.pformat import format_p

__all__ = ["format_number"]


def format_number(value: float | None, digits: int = 3) -> str:
    """A number for a sentence: ``digits`` significant digits, ``–`` when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}g}"


def _absent(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _decimals_for(values, digits: int = 3, most: int = 4) -> int:
    """The decimals that show every value of a column to ``digits`` significant digits (at
    most ``most``): one number of decimals per column, so that the column lines up."""
    needed = [0]
    for value in values:
        if _absent(value) or value == 0:
            continue
        magnitude = math.floor(math.log10(abs(value)))
        needed.append(min(most, max(0, digits - 1 - magnitude)))
    return max(needed)


def _fixed(value, decimals: int) -> str:
    if _absent(value):
        return "–"
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 and value == 0 else text


def _p_decimals(values) -> int:
    """One number of decimals for every p-value of a table.

    :func:`reanalyse.kernels.pformat.format_p` writes three significant digits; a table takes
    the most decimals any of its p-values needs for them (at least 3, up to 6), so that its
    p-values line up.
    """
    needed = [3]
    for value in values:
        if _absent(value) or value <= 0:
            continue
        needed.append(min(6, 2 - math.floor(math.log10(value))))
    return max(needed)


def _p_cell(value, decimals: int) -> str:
    if _absent(value):
        return "–"
    if 0 < value < 10 ** -decimals:
        return f"< {10 ** -decimals:.{decimals}f}"
    return f"{value:.{decimals}f}"


def _p(value: float | None) -> str:
    return "–" if value is None else format_p(value)


def _p_range(spec, decimals: int | None = None) -> str:
    if spec.p_min is None or spec.p_max is None:
        return "not computed"
    show = _p if decimals is None else (lambda value: _p_cell(value, decimals))
    if spec.p is None and spec.p_min == 0 < spec.p_max:
        # only bounded (Boschloo's test, not run where Fisher's p decides): its lower end is
        # unknown, not 0
        return f"at most {show(spec.p_max)}"
    low, high = show(spec.p_min), show(spec.p_max)
    return low if low == high else f"{low} to {high}"


def _printed_p(text: str) -> str:
    text = text.strip()
    return f"p {text}" if text[:1] in "=<>≤≥" else f"p = {text}"
