"""Table columns of printed numbers, read in bulk without a Python loop per row.

A screen reads whole columns of text such as ``"8.60"``, ``"−2.1"``, ``"< .05"`` or ``"n/a"``.
:func:`read_printed` turns a column into exact integers (``scaled``, ``decimals``: the value is
``scaled * 10**-decimals``) with numpy operations over a matrix of character codes, the same
reading :func:`reanalyse.kernels.printed.parse_number` gives one text.  Cells the fast reader does not
accept (a decimal comma, scientific notation, ``"ns"``, text) go to the scalar parsers one by
one, which either read them or say what is wrong; a bad cell becomes a per-row problem, never an
exception for the whole column.

Columns that arrive as floats have lost their trailing zeros (``8.60`` became ``8.6``): they are
read from their shortest decimal form, and :func:`lost_decimals` says so, so that the caller can
warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from reanalyse.kernels.printed import PrintedNumberError, Rounding, half_unit_bounds, parse_number, \
    parse_p

__all__ = ["PrintedColumn", "PColumn", "read_printed", "read_related", "read_p", "read_whole",
           "read_flag", "read_labels", "as_text", "lost_decimals", "format_scaled", "join_text",
           "to_text", "POW10"]

#: Powers of ten that fit an int64.
POW10 = 10 ** np.arange(19, dtype=np.int64)

_EMPTY = "empty cell"
#: Cells looked at to decide whether a column repeats enough to be read per distinct cell.
_SAMPLE = 20_000
#: Longest cell the fast reader scans; longer cells go to the scalar parser.
_MAX_WIDTH = 24
#: Most digits an int64 holds exactly for every value.
_MAX_DIGITS = 18

# Character classes of the scanner.
_BLANK, _DIGIT, _DOT, _MINUS, _PLUS, _OTHER, _P, _LT, _GT, _EQ, _LE, _GE = range(12)
_ASCII_CLASS = np.full(129, _OTHER, dtype=np.int8)
_ASCII_CLASS[[9, 32]] = _BLANK  # a NUL is no blank: parse_number refuses it
_ASCII_CLASS[48:58] = _DIGIT
_ASCII_CLASS[ord(".")] = _DOT
_ASCII_CLASS[ord("-")] = _MINUS
_ASCII_CLASS[ord("+")] = _PLUS
_ASCII_CLASS[[ord("p"), ord("P")]] = _P
_ASCII_CLASS[ord("<")] = _LT
_ASCII_CLASS[ord(">")] = _GT
_ASCII_CLASS[ord("=")] = _EQ
_WIDE_CLASS = {0x2212: _MINUS, 0x2013: _MINUS, 0x2014: _MINUS, 0x2012: _MINUS,
               0xFE63: _MINUS, 0xFF0D: _MINUS, 0x00A0: _BLANK, 0x2009: _BLANK, 0x202F: _BLANK,
               0x2264: _LE, 0x2265: _GE}

# Scanner states: a printed number with an optional "p" and relation in front when allowed.
_START, _AFTER_P, _RELATION, _SIGN, _INTEGER, _FRACTION, _TRAILING, _ERROR = range(8)


def _transitions(prefix: bool) -> np.ndarray:
    table = np.full((8, 12), _ERROR, dtype=np.int8)
    relation_classes = [_LT, _GT, _EQ, _LE, _GE]
    number_start = {_DIGIT: _INTEGER, _DOT: _FRACTION, _MINUS: _SIGN, _PLUS: _SIGN}
    for cls, state in number_start.items():
        table[_START, cls] = state
    table[_START, _BLANK] = _START
    if prefix:
        table[_START, _P] = _AFTER_P
        table[_AFTER_P, _BLANK] = _AFTER_P
        for cls in relation_classes:
            table[_START, cls] = table[_AFTER_P, cls] = table[_RELATION, cls] = _RELATION
        table[_RELATION, _BLANK] = _RELATION
        for cls, state in number_start.items():
            table[_RELATION, cls] = state
    table[_SIGN, _DIGIT] = _INTEGER
    table[_SIGN, _DOT] = _FRACTION
    table[_INTEGER, _DIGIT] = _INTEGER
    table[_INTEGER, _DOT] = _FRACTION
    table[_INTEGER, _BLANK] = _TRAILING
    table[_FRACTION, _DIGIT] = _FRACTION
    table[_FRACTION, _BLANK] = _TRAILING
    table[_TRAILING, _BLANK] = _TRAILING
    return table


_NUMBER_TABLE = _transitions(prefix=False)
_PREFIXED_TABLE = _transitions(prefix=True)


@dataclass(frozen=True)
class PrintedColumn:
    """A column of printed numbers: ``value = scaled * 10**-decimals`` where ``problem`` is None.

    Attributes
    ----------
    text : ndarray of object
        The cells as text (what a reason quotes back).
    scaled, decimals : ndarray of int64
        The digits and the number of decimals (0 where the cell is bad).
    problem : ndarray of object
        None for a good cell, else what is wrong with it.
    """

    text: np.ndarray
    scaled: np.ndarray
    decimals: np.ndarray
    problem: np.ndarray

    @cached_property
    def valid(self) -> np.ndarray:
        """Whether each cell was read."""
        return pd.isna(self.problem)

    @cached_property
    def value(self) -> np.ndarray:
        """The printed values as floats."""
        return self.scaled / 10.0 ** self.decimals

    def bounds(self, rounding: Rounding | str):
        """Interval ends in half units of the last printed place (see ``half_unit_bounds``)."""
        return half_unit_bounds(self.scaled, rounding)

    def interval(self, rounding: Rounding | str) -> tuple[np.ndarray, np.ndarray]:
        """``(lower, upper)`` ends of the interval of true values, as floats."""
        lower, upper, _, _ = self.bounds(rounding)
        unit = 0.5 / 10.0 ** self.decimals
        return lower * unit, upper * unit

    @classmethod
    def of(cls, numbers) -> "PrintedColumn":
        """A column of parsed :class:`~reanalyse.kernels.printed.PrintedNumber` s, with the
        problem :func:`read_printed` would give a number the integer kernels cannot hold
        (more than 18 digits, or a power-of-ten exponent)."""
        numbers = list(numbers)
        fits = [0 <= n.decimals <= _MAX_DIGITS and abs(n.scaled) < 10**_MAX_DIGITS
                for n in numbers]
        problem = np.array([None if ok else "more than 18 digits, or not in plain decimals"
                            for ok in fits], dtype=object)
        return cls(np.array([n.text for n in numbers], dtype=object),
                   np.array([n.scaled if ok else 0 for n, ok in zip(numbers, fits)],
                            dtype=np.int64),
                   np.array([n.decimals if ok else 0 for n, ok in zip(numbers, fits)],
                            dtype=np.int64), problem)

    def take(self, index) -> "PrintedColumn":
        """The cells at ``index`` (an integer or boolean array)."""
        return PrintedColumn(self.text[index], self.scaled[index], self.decimals[index],
                             self.problem[index])


@dataclass(frozen=True)
class PColumn:
    """A column of printed p-values.

    Attributes
    ----------
    relation : ndarray of object
        ``"="``, ``"<"``, ``">"`` or ``"ns"`` (``"<="`` is read as ``"<"``, ``">="`` as ``">"``).
    number : PrintedColumn
        The printed number (``problem`` set where the cell is bad; 0 for ``ns``).
    """

    relation: np.ndarray
    number: PrintedColumn

    @property
    def valid(self) -> np.ndarray:
        """Whether each cell was read."""
        return self.number.valid

    def take(self, index) -> "PColumn":
        """The cells at ``index``."""
        return PColumn(self.relation[index], self.number.take(index))


def as_text(values) -> np.ndarray:
    """Cells as an object array of str; missing cells become ``""``."""
    series = pd.Series(values, copy=False)
    if series.dtype.kind in "iub":
        return series.astype(str).to_numpy(dtype=object)
    if series.dtype.kind == "f":
        # shortest decimal that reads back to the same float; NaN is an empty cell
        text = series.astype(str).to_numpy(dtype=object)
        text[series.isna().to_numpy()] = ""
        return text
    text = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(text, skipna=False) in ("string", "empty"):
        return text  # every cell is already text
    missing = pd.isna(text)
    text = text.copy()
    text[missing] = ""
    if pd.api.types.infer_dtype(text, skipna=False) not in ("string", "empty"):
        text = np.array([str(cell) for cell in text], dtype=object)
    return text


def lost_decimals(values) -> bool:
    """Whether a column holds floats, which keep no trailing zeros (``8.60`` reads ``8.6``)."""
    series = pd.Series(values, copy=False)
    if series.dtype.kind == "f":
        return bool(series.notna().any())
    if series.dtype == object:
        return pd.api.types.infer_dtype(series, skipna=True) in (
            "floating", "mixed-integer-float", "mixed")
    return False


def _scan(text: np.ndarray, *, prefix: bool):
    """Read plain decimals (with a p/relation prefix when ``prefix``) in bulk.

    A small state machine runs over the character codes one position at a time, for every row
    at once: it checks the form, counts digits and decimals, and accumulates the digits into an
    exact int64.  Returns ``scaled, decimals, relation_code, ok, blank`` with
    ``relation_code`` 0 for none or "=", 1 for "<", 2 for ">", and ``blank`` true for empty
    or all-space cells.
    """
    rows = len(text)
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=rows)
    fits = (lengths > 0) & (lengths <= _MAX_WIDTH)
    width = int(lengths[fits].max()) if fits.any() else 1
    cells = (text if fits.all() else np.where(fits, text, "")).astype(f"U{width}")
    # one contiguous row of character codes per position in the cell
    codes = np.ascontiguousarray(cells.view(np.uint32).reshape(rows, width).T)
    classes = _ASCII_CLASS[np.minimum(codes, 128)]
    # past a cell's end numpy pads with NULs (and drops a cell's own trailing NULs, which
    # the lengths still count): padding reads as blank, a NUL inside the cell as other
    classes[np.arange(width)[:, None] >= lengths[None, :]] = _BLANK
    wide = codes > 127
    if wide.any():
        wide_codes = codes[wide]
        wide_classes = np.full(wide_codes.shape, _OTHER, dtype=np.int8)
        for code, cls in _WIDE_CLASS.items():
            wide_classes[wide_codes == code] = cls
        classes[wide] = wide_classes
    flat_table = (_PREFIXED_TABLE if prefix else _NUMBER_TABLE).ravel()
    state = np.full(rows, _START, dtype=np.intp)
    digits = np.zeros(rows, dtype=np.int64)
    decimals = np.zeros(rows, dtype=np.int64)
    scaled = np.zeros(rows, dtype=np.int64)
    for position in range(width):
        cls = classes[position]
        state = flat_table.take(state * 12 + cls)
        is_digit = cls == _DIGIT
        digits += is_digit
        decimals += is_digit & (state == _FRACTION)
        scaled *= 1 + 9 * is_digit
        scaled += (codes[position] - 48) * is_digit
    ok = fits & (state >= _INTEGER) & (state <= _TRAILING) & (digits >= 1) & (
        digits <= _MAX_DIGITS)
    negative = (classes == _MINUS).any(axis=0)
    scaled = np.where(ok, np.where(negative, -scaled, scaled), 0)
    relation = np.zeros(rows, dtype=np.int8)
    if prefix:
        less = ((classes == _LT) | (classes == _LE)).any(axis=0)
        greater = ((classes == _GT) | (classes == _GE)).any(axis=0)
        ok &= ~(less & greater)
        relation[less] = 1
        relation[greater] = 2
    blank = (lengths == 0) | (fits & (state == _START))
    return scaled, decimals, relation, ok, blank


def _by_distinct_cells(text: np.ndarray, prefix: bool, fallback) -> PColumn:
    """:func:`_read_cells`, done once per distinct cell when cells repeat a lot (counts, SDs
    and means printed to few decimals do), and spread back to every row."""
    sample = text[:_SAMPLE]
    if len(text) < 4 * _SAMPLE or len(pd.unique(sample)) * 20 > len(sample):
        return _read_cells(text, prefix, fallback)
    codes, distinct = pd.factorize(text)
    column = _read_cells(np.asarray(distinct, dtype=object), prefix, fallback)
    number = column.number
    return PColumn(column.relation[codes], PrintedColumn(
        text, number.scaled[codes], number.decimals[codes], number.problem[codes]))


def _read_cells(text: np.ndarray, prefix: bool, fallback) -> PColumn:
    """Read cells in bulk (:func:`_scan`), and the cells it does not accept one by one with
    ``fallback(cell) -> (relation, PrintedNumber or None)``."""
    scaled, decimals, code, ok, blank = _scan(text, prefix=prefix)
    relation = _RELATION_NAMES[code]
    problem = np.full(len(text), None, dtype=object)
    problem[blank] = _EMPTY
    for i in np.flatnonzero(~ok & ~blank):
        try:
            relation[i], number = fallback(text[i].strip())
        except PrintedNumberError as error:
            problem[i] = f"{error.problem} ({error.hint})"
            continue
        if number is None:  # "ns"
            continue
        if number.decimals < 0 or number.decimals > _MAX_DIGITS or abs(number.scaled) >= 10**18:
            problem[i] = ("too many or too few digits for a screen (write it out in plain "
                          "decimals, e.g. 1200 or 0.00012)")
            continue
        scaled[i], decimals[i] = number.scaled, number.decimals
    return PColumn(relation, PrintedColumn(text, scaled, decimals, problem))


def _plain_number(cell: str):
    return "=", parse_number(cell)


def _related_number(cell: str):
    match = _LEADING_RELATION.match(cell)
    if not match[2]:
        raise PrintedNumberError(cell, "no number after the relation", "write e.g. '< 1'")
    return _OPERATORS.get(match[1], "="), parse_number(match[2])


def _p_value(cell: str):
    printed = parse_p(cell)
    return printed.relation.rstrip("=") or "=", printed.number


def read_printed(values) -> PrintedColumn:
    """Read a column of printed numbers (text, as printed) into exact integers.

    Parameters
    ----------
    values : array-like
        The cells.  Text keeps its trailing zeros; floats are read from their shortest decimal
        form (see :func:`lost_decimals`).

    Returns
    -------
    PrintedColumn
        ``problem`` names what is wrong with each cell that is empty or not a number.
    """
    return _by_distinct_cells(as_text(values), False, _plain_number).number


_RELATION_NAMES = np.array(["=", "<", ">"], dtype=object)
_OPERATORS = {"<": "<", "<=": "<", "=<": "<", "≤": "<", ">": ">", ">=": ">", "=>": ">", "≥": ">"}
_LEADING_RELATION = re.compile(r"^\s*(<=|>=|=<|=>|==|[=<>≤≥])?\s*(.*)\Z", re.DOTALL)


def read_related(values) -> PColumn:
    """Read a column of printed numbers that may carry a relation: ``"2.20"``, ``"< 1"``.

    A bare number is read as ``= number``.
    """
    return _by_distinct_cells(as_text(values), True, _related_number)


def read_p(values) -> PColumn:
    """Read a column of printed p-values: ``"= .034"``, ``"<.001"``, ``"p > .05"``, ``"ns"``.

    A bare number is read as ``= number``; ``"<="`` counts as ``"<"`` and ``">="`` as ``">"``.
    Cells the fast reader does not accept are read by :func:`reanalyse.kernels.printed.parse_p`.
    """
    column = _by_distinct_cells(as_text(values), True, _p_value)
    number = column.number
    outside = number.valid & ((number.scaled < 0) | (
        number.scaled > POW10[np.minimum(number.decimals, 18)]))
    if outside.any():
        problem = number.problem.copy()
        problem[outside] = ("p-value outside 0 to 1 (a p-value lies between 0 and 1; check the "
                            "source)")
        column = PColumn(column.relation, PrintedColumn(number.text, number.scaled,
                                                        number.decimals, problem))
    return column


def read_whole(values) -> PrintedColumn:
    """Read a column of whole numbers (n, number of items): a decimal part is a problem."""
    column = read_printed(values)
    fractional = column.valid & (column.decimals > 0) & (
        column.scaled % POW10[np.minimum(column.decimals, 18)] != 0)
    problem = column.problem.copy()
    problem[fractional] = "not a whole number (give a count, e.g. 28)"
    whole = column.valid & ~fractional
    exponent = POW10[np.minimum(column.decimals, 18)]
    scaled = np.where(whole, column.scaled // exponent, 0)
    return PrintedColumn(column.text, scaled, np.zeros_like(column.decimals), problem)


_TRUE = {"true", "t", "yes", "y", "1", "one-sided", "one_sided", "one sided", "one-tailed",
         "one tailed"}
_FALSE = {"false", "f", "no", "n", "0", "", "nan", "two-sided", "two_sided", "two sided",
          "two-tailed", "two tailed"}


def _distinct(values) -> tuple[np.ndarray, list[str]]:
    """Codes of each cell and the distinct cells, stripped and lower case."""
    codes, uniques = pd.factorize(as_text(values))
    return codes, [str(u).strip().lower() for u in uniques]


def read_flag(values) -> tuple[np.ndarray, np.ndarray]:
    """Read a yes/no column; returns ``(flag, problem)``."""
    codes, uniques = _distinct(values)
    known = np.array([u in _TRUE or u in _FALSE for u in uniques], dtype=bool)
    truth = np.array([u in _TRUE for u in uniques], dtype=bool)
    problem = np.full(len(codes), None, dtype=object)
    problem[~known[codes]] = "not a yes/no value (write true or false)"
    return truth[codes], problem


def read_labels(values, vocabulary: dict[str, str], what: str) -> tuple[np.ndarray, np.ndarray]:
    """Map a column of labels through ``vocabulary`` (keys lower case).

    Returns ``(label, problem)``.
    """
    codes, uniques = _distinct(values)
    label = np.array([vocabulary.get(u) for u in uniques], dtype=object)[codes]
    problem = np.full(len(codes), None, dtype=object)
    names = ", ".join(sorted(set(vocabulary.values())))
    problem[pd.isna(label)] = f"not a known {what} (use one of: {names})"
    return label, problem


_TEXT = np.dtypes.StringDType()


def to_text(values) -> np.ndarray:
    """An array as numpy variable-width text (for :func:`join_text`)."""
    values = np.asarray(values)
    return values if values.dtype == _TEXT else values.astype(_TEXT)


def join_text(*parts) -> np.ndarray:
    """Concatenate text pieces row by row: arrays (any dtype) and plain strings.

    Built with numpy's string ufuncs, so that a reason can be written for every flagged row
    of a large table without a Python loop.  Returns an object array of str.
    """
    out = None
    for part in parts:
        piece = part if isinstance(part, str) else to_text(part)
        out = piece if out is None else np.strings.add(out, piece)
    return np.asarray(out).astype(object)


def format_scaled(scaled, decimals) -> np.ndarray:
    """Printed text of ``scaled * 10**-decimals`` with exactly ``decimals`` places (numpy
    variable-width text; see :func:`to_text`)."""
    scaled = np.asarray(scaled).astype(np.int64)
    decimals = np.broadcast_to(np.asarray(decimals, dtype=np.int64), scaled.shape)
    out = np.empty(scaled.shape, dtype=_TEXT)
    magnitude = np.abs(scaled)
    sign = np.where(scaled < 0, "-", "").astype(_TEXT)
    for places in np.unique(decimals):
        at = decimals == places
        if places <= 0:
            out[at] = np.strings.add(sign[at], magnitude[at].astype(_TEXT))
            continue
        whole, part = np.divmod(magnitude[at], POW10[places])
        text = np.strings.add(np.strings.add(sign[at], whole.astype(_TEXT)), ".")
        out[at] = np.strings.add(text, np.strings.zfill(part.astype(_TEXT), int(places)))
    return out
