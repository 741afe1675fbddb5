"""Exact integer arithmetic shared by the granularity checks (GRIM, percentages, GRIMMER, DEBIT).

A printed number is an interval of true values in half units of its last place
(:func:`reanalyse.kernels.printed.half_unit_bounds`); a mean of integer data is a ratio of integers.
Whether some ratio falls in the interval is decided by comparing integer products, so no
floating-point tolerance enters a verdict.  Products are formed in int64 where they fit and
in Python integers (numpy object arrays, same code) for the rare rows where they would not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from reanalyse.kernels.columns import POW10, PrintedColumn, format_scaled, join_text, to_text
from reanalyse.kernels.printed import PrintedNumber, half_unit_bounds, parse_number

__all__ = ["GrimTest", "grim_test", "grim_sums", "percent_counts", "split_exact", "exact_product", "sum_range", "round_ratio", "ceil_div", "floor_div",
           "representable", "isqrt", "is_square", "interval_bounds", "printed_ratio", "pow10",
           "least_squares", "percent_count_range"]

#: Largest magnitude of an intermediate product computed in int64.
_INT64_SAFE = 2.0**62


def floor_div(numerator, denominator):
    """Floor of ``numerator / denominator`` (denominator > 0), exact for int64 or object."""
    return numerator // denominator


def ceil_div(numerator, denominator):
    """Ceiling of ``numerator / denominator`` (denominator > 0), exact for int64 or object."""
    return -((-numerator) // denominator)


def round_ratio(numerator, denominator):
    """``numerator / denominator`` rounded to the nearest integer, halves up (denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def isqrt(value):
    """Floor of the square root of each non-negative integer, exact for int64 or object arrays.

    int64 values are estimated in floating point (off by one near 2**53 and above) and then
    corrected in integers; Python ints go through :func:`math.isqrt`.
    """
    value = np.asarray(value)
    if (value < 0).any():
        raise ValueError("isqrt takes non-negative integers")
    if value.dtype == object:
        return np.array([math.isqrt(v) for v in value.ravel()], dtype=object).reshape(value.shape)
    root = np.floor(np.sqrt(value.astype(np.float64))).astype(np.int64)
    while True:
        high = root * root > value
        low = (root + 1) * (root + 1) <= value
        if not (high.any() or low.any()):
            return root
        root = root - high + low


def is_square(value):
    """Whether each integer (int64 or Python ints) is a perfect square."""
    value = np.asarray(value)
    negative = value < 0
    root = isqrt(np.where(negative, 0, value))
    return (root * root == value) & ~negative


def interval_bounds(column: PrintedColumn, rounding):
    """Half-unit bounds of a printed column as int64 arrays (see ``half_unit_bounds``)."""
    lower, upper, lower_closed, upper_closed = column.bounds(rounding)
    return (np.asarray(lower, dtype=np.int64), np.asarray(upper, dtype=np.int64),
            np.asarray(lower_closed, dtype=bool), np.asarray(upper_closed, dtype=bool))


def split_exact(magnitude: np.ndarray, compute: Callable[..., dict], *arrays) -> dict:
    """Run ``compute(*arrays)`` in int64 where ``magnitude`` fits, in Python ints elsewhere.

    Parameters
    ----------
    magnitude : ndarray of float
        A bound on the largest intermediate product of each row.
    compute : callable
        Takes the arrays (int64 or object) and returns a dict of equally long arrays.

    Returns
    -------
    dict
        The outputs, merged in row order (object arrays where any row needed Python ints).
    """
    big = ~(np.asarray(magnitude, dtype=np.float64) < _INT64_SAFE)
    if not big.any():
        return compute(*arrays)
    small_out = compute(*(a[~big] for a in arrays))
    big_out = compute(*(_as_python_ints(a[big]) for a in arrays))
    merged = {}
    for name, small in small_out.items():
        small = np.asarray(small)
        large = np.asarray(big_out[name])
        dtype = small.dtype if small.dtype == large.dtype else object
        out = np.empty(len(big), dtype=dtype)
        out[~big] = small
        out[big] = large
        merged[name] = out
    return merged


def exact_product(left, right):
    """Elementwise product of two int arrays: int64 where every product fits, else Python ints
    (an object array) for every row, rather than an int64 product that wraps around."""
    left, right = np.asarray(left), np.asarray(right)
    if (np.abs(left.astype(np.float64)) * np.abs(right.astype(np.float64)) < _INT64_SAFE).all():
        return left * right
    return _as_python_ints(left) * _as_python_ints(right)


def _as_python_ints(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind in "iu":
        return np.array([int(v) for v in array], dtype=object)
    return array


def sum_range(lower, upper, lower_closed, upper_closed, decimals, count, scale=1):
    """Smallest and largest integer sum k with ``scale * k / count`` in the printed interval.

    The interval is ``[lower, upper] / (2 * 10**decimals)`` (half units), ends included where
    ``lower_closed`` / ``upper_closed``.  No such k exists where ``k_low > k_high``.

    Parameters
    ----------
    lower, upper : int arrays
        Interval ends in half units of the last printed place.
    lower_closed, upper_closed : bool arrays
    decimals : int array
        Printed decimals (0 to 18).
    count : int array
        Number of integer values averaged (n, or n x items).
    scale : int
        100 when the printed number is a percentage of the count.

    Returns
    -------
    k_low, k_high : int arrays
    """
    unit = 2 * scale * pow10(decimals, lower)
    low_num = lower * count
    high_num = upper * count
    k_low = np.where(lower_closed, ceil_div(low_num, unit), floor_div(low_num, unit) + 1)
    k_high = np.where(upper_closed, floor_div(high_num, unit), ceil_div(high_num, unit) - 1)
    return k_low, k_high


def percent_count_range(percent, n: int, rounding) -> range:
    """The event counts k in 0..n whose percentage ``100 k / n`` prints as ``percent``.

    The scalar form of :func:`sum_range` with ``scale=100`` (the percentage screen's and the
    claim check's count range), in Python integers.

    Parameters
    ----------
    percent : PrintedNumber or str
        The printed percentage (text keeps its decimals).
    n : int
        The denominator.
    rounding : Rounding or str
        How the percentage was rounded.

    Returns
    -------
    range
        Empty when no count of n prints as ``percent``.
    """
    number = percent if isinstance(percent, PrintedNumber) else parse_number(str(percent))
    if number.decimals < 0:
        raise ValueError(f"percentage {number.text!r}: write it with its printed digits, "
                         "not in powers of ten")
    lower, upper, lower_closed, upper_closed = half_unit_bounds(number.scaled, rounding)
    exact = lambda value: np.array([int(value)], dtype=object)  # noqa: E731
    low, high = sum_range(exact(lower), exact(upper), np.array([bool(lower_closed)]),
                          np.array([bool(upper_closed)]), np.array([number.decimals]),
                          exact(n), scale=100)
    return range(max(int(low[0]), 0), min(int(high[0]), int(n)) + 1)


def pow10(decimals, like):
    """10**decimals as int64, or as Python ints when ``like`` holds Python ints."""
    if np.asarray(like).dtype == object:
        return np.array([10 ** int(d) for d in decimals], dtype=object)
    return POW10[decimals]


def printed_ratio(numerator, denominator, decimals, scale=1):
    """The printed digits of ``scale * numerator / denominator`` at ``decimals`` places
    (halves up)."""
    return round_ratio(scale * numerator * pow10(decimals, numerator), denominator)


def least_squares(n, total):
    """Smallest sum of squares of n integers summing to ``total``: as even a spread as can be,
    q + 1 for r of them and q for the rest (``total = q n + r``, 0 <= r < n).  Exact for int64
    or object (Python int) arrays."""
    quotient = total // n
    remainder = total - quotient * n
    return quotient * quotient * n + remainder * (2 * quotient + 1)


def representable(n, total, squares):
    """Whether some n integers have sum ``total`` and sum of squares ``squares``.

    Exact.  Necessary for every n: ``squares >= q**2 n + r (2 q + 1)`` (the spread-out minimum,
    ``total = q n + r``) and ``squares`` of the parity of ``total`` (y**2 and y share parity);
    for n >= 5 these suffice.  Below five values the lattice has gaps, closed by:

    * n = 2: ``2 squares - total**2`` is a perfect square (the squared difference);
    * n = 3: ``(3 squares - total**2) / 2`` is of the form x**2 + x w + w**2 (the three pairwise
      differences a - b, b - c, a - c);
    * n = 4: for even totals, ``squares - (total / 2)**2`` is a sum of three squares, i.e. not
      of the form 4**a (8 b + 7) (Legendre); odd totals have no further condition.

    These were checked against enumeration of every integer vector (tests/screens/test_granularity.py).
    """
    n, total, squares = np.asarray(n), np.asarray(total), np.asarray(squares)
    ok = (squares >= least_squares(n, total)) & ((squares - total) % 2 == 0)
    two = ok & (n == 2)
    if two.any():
        ok[two] = is_square(2 * squares[two] - total[two] ** 2)
    three = ok & (n == 3)
    if three.any():
        ok[three] = _loeschian((3 * squares[three] - total[three] ** 2) // 2)
    four = ok & (n == 4) & (total % 2 == 0)
    if four.any():
        rest = squares[four] - (total[four] // 2) ** 2
        ok[four] = ~_three_square_exception(rest)
    return ok


#: Most (row, x) pairs tried at once by :func:`_loeschian`.
_LOESCHIAN_BLOCK = 1 << 20


def _loeschian(m):
    """Whether each m >= 0 is x**2 + x w + w**2 for integers x, w.

    m = x**2 + x w + w**2 has an integer w for a given x exactly when 4 m - 3 x**2 is a square,
    and |x| <= sqrt(4 m / 3); blocks of x (growing fourfold) are tried together for every row.
    """
    m = np.asarray(m)
    found = m == 0
    x, width = 0, 1
    while True:
        rows = np.flatnonzero(~found & (4 * m >= 3 * x * x))
        if not len(rows):
            return found
        xs = x + np.arange(width, dtype=np.int64)
        if m.dtype == object:
            xs = xs.astype(object)
        rest = 4 * m[rows, None] - 3 * xs[None, :] ** 2
        found[rows] = (is_square(rest.ravel()).reshape(rest.shape)).any(axis=1)
        x += width
        width = max(1, min(4 * width, _LOESCHIAN_BLOCK // len(rows)))


def _three_square_exception(value):
    """Whether each value >= 0 has the form 4**a (8 b + 7) (not a sum of three squares)."""
    value = np.array(value, copy=True)
    positive = value > 0
    while True:
        divisible = positive & (value % 4 == 0)
        if not divisible.any():
            break
        value[divisible] //= 4
    return positive & (value % 8 == 7)


def grim_sums(mean, count, rounding, *, scale: int = 1):
    """Smallest and largest integer sums whose mean over ``count`` values prints as ``mean``.

    Parameters
    ----------
    mean : PrintedColumn
        The printed means (percentages with ``scale=100``).
    count : int array
        Number of integer values averaged (n x items; Python ints where beyond int64).
    rounding : Rounding
    scale : int
        What the printed number is the mean times: 100 for a percentage.

    Returns
    -------
    sum_low, sum_high : int arrays (object where int64 would overflow)
        No sum fits where ``sum_low > sum_high``.
    """
    lower, upper, lower_closed, upper_closed = interval_bounds(mean, rounding)
    magnitude = (np.abs(lower) + np.abs(upper) + 4.0) * np.asarray(count, dtype=np.float64) * 4

    def compute(lower, upper, lower_closed, upper_closed, decimals, count):
        low, high = sum_range(lower, upper, lower_closed, upper_closed, decimals, count, scale)
        return {"low": low, "high": high}

    out = split_exact(magnitude, compute, lower, upper, lower_closed, upper_closed,
                      mean.decimals, np.asarray(count))
    return out["low"], out["high"]


def percent_counts(percent, n, rounding):
    """Event counts 0..n whose percentage of n prints as the printed percentage.

    Parameters
    ----------
    percent : PrintedColumn
        Printed percentages.
    n : int array
        Denominators.
    rounding : Rounding

    Returns
    -------
    count_low, count_high : int arrays
        The consistent counts (none where ``count_low > count_high``).
    """
    low, high = grim_sums(percent, n, rounding, scale=100)
    return np.maximum(low, 0).astype(np.int64), np.minimum(high, n).astype(np.int64)


@dataclass(frozen=True)
class GrimTest:
    """GRIM over rows of printed means.

    Attributes
    ----------
    consistent : ndarray of bool
        Some integer sum of n x items values has a mean that prints as the printed mean.
    testable : ndarray of bool
        Whether n x items < 10**decimals, so that GRIM can fail at all.
    reason : ndarray of object
        Why a row is inconsistent (the nearest possible means) or untestable; None elsewhere.
    """

    consistent: np.ndarray
    testable: np.ndarray
    reason: np.ndarray


def grim_test(mean: PrintedColumn, n, items, rounding) -> GrimTest:
    """GRIM (Brown & Heathers 2017) for rows of printed means.

    Hypothesis tested, row by row: some integer total T of n responses, each the sum or mean of
    ``items`` integer items, gives T / (n x items) inside the printed mean's rounding interval.

    Parameters
    ----------
    mean : PrintedColumn
        The printed means (cells read, ``problem`` None).
    n, items : int arrays
        Participants and integer items per score (at least 1 each).
    rounding : Rounding or str

    Returns
    -------
    GrimTest
    """
    count = exact_product(n, items)
    low, high = grim_sums(mean, count, rounding)
    consistent = np.asarray(low <= high, dtype=bool)
    reason = np.full(len(count), None, dtype=object)
    bad = ~consistent
    if bad.any():
        # no sum fits: high is the sum just below the interval and low the one just above
        below, above = _nearest_means(mean.take(bad), count[bad], high[bad], low[bad])
        total = to_text(count[bad])
        reason[bad] = join_text(
            "no sum of ", total, " integer values has a mean that rounds to ", mean.text[bad],
            "; nearest possible means ", below, " (", high[bad], "/", total, ") and ", above,
            " (", low[bad], "/", total, ")")
    testable = np.asarray(count < POW10[np.minimum(mean.decimals, 18)], dtype=bool)
    if not testable.all():
        untestable = ~testable
        reason[untestable] = join_text(
            "n x items = ", to_text(count[untestable]), " is not below 10^",
            to_text(mean.decimals[untestable]), ": every mean printed to ",
            to_text(mean.decimals[untestable]), " decimal(s) is possible, so GRIM cannot test it")
    return GrimTest(consistent, testable, reason)


def _nearest_means(mean, count, below, above):
    """Text of the means of the sums ``below`` and ``above``, at the mean's decimals."""
    magnitude = (np.abs(below).astype(float) + np.abs(above) + 2) * 2 * 10.0 ** mean.decimals

    def compute(below, above, count, decimals):
        return {"below": printed_ratio(below, count, decimals),
                "above": printed_ratio(above, count, decimals)}

    out = split_exact(magnitude, compute, below, above, count, mean.decimals)
    return (format_scaled(out["below"], mean.decimals),
            format_scaled(out["above"], mean.decimals))
