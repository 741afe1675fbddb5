"""The one factory every consistency check is made by: a scalar function and a table mapper.

A check is a :class:`Screen`: the fields it reads (each a column of the table), its options,
the columns it adds, and one vectorised ``run`` function over whole columns.  From it,
:func:`table_mapper` makes ``<check>_map(table, ...) -> DataFrame`` and :meth:`Screen.scalar`
answers for one set of printed numbers with a :class:`ScreenResult`.  Adding a check is one small
module that declares a :class:`Screen`.

What the factory does for every check
-------------------------------------
* finds the columns (``columns={"mean": "Mean (SD)"}`` renames), and raises
  :class:`ScreenColumnsError` naming the missing ones and listing what the check reads;
* reads each column in bulk (:mod:`reanalyse.kernels.columns`), keeping trailing zeros, and
  warns with :class:`LostDecimalsWarning` when a column arrived as floats;
* turns every bad cell (empty, ``"n/a"``, text, a negative n) into a ``bad_input`` row whose
  ``reason`` names the column and the value, and runs the check on the other rows only;
* adds ``status``, ``consistent`` and ``reason`` (plus the check's own columns) to the table.

Statuses
--------
``consistent``
    Some true values that round to the printed ones satisfy the check.
``inconsistent``
    None do; ``reason`` says why and gives the nearest consistent values.
``decision_error``
    Inconsistent, and the printed p states the other significance decision (p-value checks).
``bad_input``
    A cell could not be read or is out of range; ``reason`` names it.
``untestable``
    The check cannot fail on this row (GRIM with n x items at or above ``10**decimals``, a
    percentage whose n allows every printed value): the row is neither confirmed nor flagged.
``impossible``
    The printed numbers themselves fit no dataset, so the question the check asks has no
    answer (the cut-off check, when no dataset fits the mean and SD).

An empty cell of an optional column (``items``, ``one_sided``, ...) reads as the column's
default, as if the column were absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from reanalyse.errors import OptionError, ReanalyseError
from reanalyse.kernels.printed import PrintedNumberError, Rounding
from reanalyse.kernels import columns as readers
from reanalyse.kernels.columns import join_text
from reanalyse.screens.floats import LostDecimalsWarning, warn_lost_decimals

__all__ = ["Field", "Screen", "ScreenResult", "ScreenColumnsError", "LostDecimalsWarning",
           "table_mapper", "resolve_columns", "read_fields", "describe_problems", "group_layout",
           "first_by_group",
           "status_codes", "STATUSES", "FIELD_KINDS", "CONSISTENT", "INCONSISTENT",
           "DECISION_ERROR", "BAD_INPUT", "UNTESTABLE", "IMPOSSIBLE"]

STATUSES = ("consistent", "inconsistent", "decision_error", "bad_input", "untestable",
            "impossible")
#: Codes of :data:`STATUSES`, as a check's ``run`` returns them.
CONSISTENT, INCONSISTENT, DECISION_ERROR, BAD_INPUT, UNTESTABLE, IMPOSSIBLE = range(len(STATUSES))

#: How a field's column is read.
FIELD_KINDS = {
    "printed": "a number as printed, as text (trailing zeros kept)",
    "related": "a number as printed, optionally after a relation (\"< 1\")",
    "whole": "a whole number (a count)",
    "p": "a p-value as printed (\"= .034\", \"< .05\", \"ns\")",
    "flag": "true or false",
    "label": "a name from a fixed vocabulary",
    "key": "an identifier shared by the rows of one comparison",
}

#: Options every check takes.
COMMON_OPTIONS = {"rounding": "nearest"}


class ScreenColumnsError(ReanalyseError):
    """A table lacks columns a check needs.

    Attributes
    ----------
    check : str
        The check's name.
    missing : tuple of str
        The required columns not found.
    expected : tuple of str
        Every column the check reads (required first).
    """

    def __init__(self, check: str, missing: tuple[str, ...], expected: tuple[str, ...],
                 available: tuple[str, ...]):
        self.check = check
        self.missing = missing
        self.expected = expected
        self.available = available
        super().__init__(
            f"the {check} screen needs column(s) {', '.join(missing)}; it reads "
            f"{', '.join(expected)}; the table has {', '.join(available) or 'no columns'} "
            "(rename columns, or map them with columns={'role': 'your column'})")


@dataclass(frozen=True)
class Field:
    """One column a check reads.

    Attributes
    ----------
    name : str
        Column name (and role) in the table.
    kind : str
        One of :data:`FIELD_KINDS`.
    description : str
        What the column holds, for documentation and error messages.
    default : str or None
        Text used when the column is absent; None makes the column required.
    minimum, maximum : float or None
        Allowed range of the printed value (a cell outside is ``bad_input``).
    labels : mapping or None
        For ``label`` fields: accepted lower-case spellings -> canonical name.
    per_group : bool
        For grouped checks: one value per comparison (the first non-empty cell).
    blank_ok : bool
        An empty cell is not a problem (the check decides whether it needs the value); such
        cells read as text ``""``.
    """

    name: str
    kind: str
    description: str
    default: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    labels: Mapping[str, str] | None = None
    per_group: bool = False
    blank_ok: bool = False

    @property
    def required(self) -> bool:
        """Whether the table must have this column."""
        return self.default is None


@dataclass(frozen=True)
class ScreenResult:
    """The outcome of a check for one row (or one comparison).

    Attributes
    ----------
    check : str
        The check's name.
    status : str
        One of :data:`STATUSES`.
    reason : str or None
        Why the row is not consistent (None when it is).
    details : dict
        The check's other outputs (nearest consistent values, p-interval, ...).
    """

    check: str
    status: str
    reason: str | None
    details: dict = field(default_factory=dict)

    @property
    def consistent(self) -> bool | None:
        """True when consistent, False when not, None for bad input or an untestable row."""
        return (None if self.status in ("bad_input", "untestable")
                else self.status == "consistent")

    def __getitem__(self, name: str):
        return self.details[name]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"check": self.check, "status": self.status, "consistent": self.consistent,
                "reason": self.reason, **self.details}


@dataclass(frozen=True)
class Screen:
    """A consistency check: what it reads, what it adds, and the vectorised rule.

    Attributes
    ----------
    name : str
        Short name (``grim``); the table mapper is ``<name>_map``.
    title : str
        One line for help texts.
    reference : str
        The published definition the check follows.
    fields : tuple of Field
        The columns it reads.
    outputs : mapping
        Column it adds -> description (besides ``status``, ``consistent``, ``reason``).
    run : callable
        ``run(columns, options) -> dict of arrays`` over the readable rows only: ``columns``
        maps field names to read columns (``PrintedColumn``, ``PColumn``, int64 or bool or
        label arrays), ``options`` holds the options with ``rounding`` as a :class:`Rounding`.
        It returns ``status`` (codes into :data:`STATUSES`) and ``reason`` arrays and one
        array per output; it may set ``BAD_INPUT`` itself (a combination of cells that
        cannot be checked).
    options : mapping
        Option name -> default, besides ``rounding``.
    group_key : str or None
        For checks over comparisons spanning several rows (one per group): the key field.
        ``run`` then receives 2-D columns (comparison x group) and a boolean ``present``.
    """

    name: str
    title: str
    reference: str
    fields: tuple[Field, ...]
    outputs: Mapping[str, str]
    run: Callable[[dict, dict], dict]
    options: Mapping[str, Any] = field(default_factory=dict)
    group_key: str | None = None

    def field_named(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)

    def resolve_options(self, given: Mapping[str, Any]) -> dict:
        """Options with defaults filled in; unknown names raise OptionError."""
        allowed = {**COMMON_OPTIONS, **self.options}
        unknown = sorted(set(given) - set(allowed))
        if unknown:
            raise OptionError(f"the {self.name} screen has no option(s) {', '.join(unknown)}; "
                              f"options are {', '.join(sorted(allowed))}")
        options = {**allowed, **given}
        options["rounding"] = Rounding.parse(options["rounding"])
        return options

    def scalar(self, values: Mapping[str, Any], options: Mapping[str, Any]) -> ScreenResult:
        """Run the check on one set of printed numbers (see each check's scalar function).

        Printed numbers must be text (or int): a float has lost its trailing zeros.
        """
        for name, value in values.items():
            if isinstance(value, float) and self.field_named(name).kind in (
                    "printed", "related", "p"):
                raise PrintedNumberError(str(value), f"{name} is a float, which has lost its "
                                         "printed decimals", f"pass it as text, e.g. '{value}'")
        if self.group_key is None:
            table = pd.DataFrame({name: [value] for name, value in values.items()}, dtype=object)
        else:
            lengths = {len(v) for v in values.values() if isinstance(v, (list, tuple))}
            rows = max(lengths)
            table = pd.DataFrame({
                name: list(value) if isinstance(value, (list, tuple)) else [value] * rows
                for name, value in values.items()}, dtype=object)
            table[self.group_key] = "1"
        result = table_mapper(self)(table, **options)
        row = result.iloc[-1]
        details = {name: _plain(row[name]) for name in self.outputs}
        return ScreenResult(self.name, row["status"], _plain(row["reason"]), details)


def status_codes(consistent: np.ndarray) -> np.ndarray:
    """``CONSISTENT`` where true, ``INCONSISTENT`` elsewhere."""
    return np.where(consistent, CONSISTENT, INCONSISTENT).astype(np.int8)


def _plain(value):
    """A table cell as a plain Python value (None for missing)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _read(field_spec: Field, values) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """Read one column as its kind says; returns ``(column, problem, bad, text)``."""
    kind = field_spec.kind
    if kind == "printed":
        column = readers.read_printed(values)
        return column, *_range_problems(column, field_spec), column.text
    if kind == "related":
        column = readers.read_related(values)
        return column, *_range_problems(column.number, field_spec), column.number.text
    if kind == "p":
        column = readers.read_p(values)
        return column, column.number.problem.copy(), ~column.valid, column.number.text
    if kind == "whole":
        column = readers.read_whole(values)
        return column.scaled, *_range_problems(column, field_spec), column.text
    text = readers.as_text(values)
    if kind == "flag":
        column, problem = readers.read_flag(text)
    elif kind == "label":
        column, problem = readers.read_labels(text, dict(field_spec.labels),
                                              field_spec.description)
    else:
        column, problem = text, np.full(len(text), None, dtype=object)
        problem[text == ""] = "empty cell"
    return column, problem, ~pd.isna(problem), text


def _range_problems(column: readers.PrintedColumn, field_spec: Field):
    """The column's problems with out-of-range values added, and where there are any."""
    problem = column.problem.copy()
    value = column.value
    valid = column.valid
    bad = ~valid
    if field_spec.minimum is not None:
        below = valid & (value < field_spec.minimum)
        problem[below] = f"must be at least {field_spec.minimum:g}"
        bad |= below
    if field_spec.maximum is not None:
        above = valid & (value > field_spec.maximum)
        problem[above] = f"must be at most {field_spec.maximum:g}"
        bad |= above
    return problem, bad


def _blank_as_default(values, default: str):
    """An optional column with its empty cells (blank text, NaN, None) read as the default."""
    series = pd.Series(values)
    blank = np.array(series.isna(), dtype=bool)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        blank = blank | np.array(series.astype(str).str.strip().eq(""), dtype=bool)
    if not blank.any():
        return values
    series = series.astype(object).copy()
    series[blank] = default
    return series


def _repeat(column, rows: int):
    """A read column of one cell, repeated ``rows`` times."""
    if isinstance(column, readers.PColumn):
        return readers.PColumn(_repeat(column.relation, rows), _repeat(column.number, rows))
    if isinstance(column, readers.PrintedColumn):
        return readers.PrintedColumn(*(_repeat(part, rows) for part in (
            column.text, column.scaled, column.decimals, column.problem)))
    return np.full(rows, column[0], dtype=column.dtype)


def _take(column, index):
    if isinstance(column, (readers.PrintedColumn, readers.PColumn)):
        return column.take(index)
    return column[index]


def describe_problems(names, texts, problems, bads=None) -> np.ndarray:
    """``reason`` for each row: every bad cell as ``column = 'value': problem``.

    ``bads`` (optional) holds where each ``problems`` array is set, when already known.
    """
    rows = len(problems[0]) if problems else 0
    reason = np.full(rows, None, dtype=object)
    if bads is None:
        bads = [~pd.isna(problem) for problem in problems]
    for name, text, problem, bad in zip(names, texts, problems, bads):
        if not bad.any():
            continue
        quoted = pd.Series(text[bad]).map(repr).to_numpy(dtype=object)
        message = name + " = " + quoted + ": " + problem[bad].astype(object)
        earlier = reason[bad]
        reason[bad] = np.where(pd.isna(earlier), message, earlier.astype(str) + "; " + message)
    return reason


def table_mapper(check: Screen) -> Callable[..., pd.DataFrame]:
    """The table mapper of ``check``: ``mapper(table, *, columns=None, **options)``."""

    def mapper(table: pd.DataFrame, *, columns: Mapping[str, str] | None = None,
               **options) -> pd.DataFrame:
        options = check.resolve_options(options)
        names = resolve_columns(check.name, check.fields, table, columns or {})
        if check.group_key is None:
            return _map_rows(check, table, names, options)
        return _map_groups(check, table, names, options)

    mapper.__name__ = f"{check.name}_map"
    mapper.__doc__ = _mapper_doc(check)
    return mapper


def resolve_columns(name: str, fields: tuple[Field, ...], table: pd.DataFrame,
                    renames: Mapping[str, str]) -> dict:
    """Field name -> table column, or :class:`ScreenColumnsError` naming the missing ones."""
    unknown = sorted(set(renames) - {f.name for f in fields})
    if unknown:
        raise OptionError(f"the {name} screen reads no field(s) {', '.join(unknown)} (in "
                          f"columns=...); it reads {', '.join(f.name for f in fields)}")
    names = {f.name: renames.get(f.name, f.name) for f in fields}
    missing = tuple(f.name for f in fields if f.required and names[f.name] not in table)
    if missing:
        expected = tuple(f.name for f in fields if f.required) + tuple(
            f"{f.name} (optional)" for f in fields if not f.required)
        raise ScreenColumnsError(name, missing, expected, tuple(str(c) for c in table.columns))
    return names


def read_fields(fields: tuple[Field, ...], table: pd.DataFrame, names: Mapping[str, str]):
    """Read every field's column.

    Returns ``(read, problems, bads, texts)``: the read columns by field name, and by field
    the problem of each cell, where there is one, and the cells' text.
    """
    read, problems, bads, texts = {}, [], [], []
    rows = len(table)
    for field_spec in fields:
        column = names[field_spec.name]
        if column in table:
            values = table[column]
            if not field_spec.required and not field_spec.blank_ok:
                values = _blank_as_default(values, field_spec.default)
            if field_spec.kind in ("printed", "related", "p") and readers.lost_decimals(values):
                warn_lost_decimals(column, values)
            read[field_spec.name], problem, bad, text = _read(field_spec, values)
        else:  # the default, read once and repeated
            default, problem, bad, text = _read(field_spec, [field_spec.default])
            read[field_spec.name] = _repeat(default, rows)
            problem, bad, text = _repeat(problem, rows), _repeat(bad, rows), _repeat(text, rows)
        if field_spec.blank_ok:
            blank = text == ""
            problem[blank] = None
            bad &= ~blank
        problems.append(problem)
        bads.append(bad)
        texts.append(text)
    return read, problems, bads, texts


def _outputs_frame(check: Screen, index, rows: int, ok_index: np.ndarray, outputs: dict,
                   bad_reason: np.ndarray) -> pd.DataFrame:
    codes = np.full(rows, BAD_INPUT, dtype=np.int8)
    reason = bad_reason.copy()
    codes[ok_index] = outputs["status"]
    reason[ok_index] = outputs["reason"]
    missing = codes == BAD_INPUT
    frame = {"status": pd.Categorical.from_codes(codes, categories=STATUSES),
             "consistent": pd.arrays.BooleanArray(codes == CONSISTENT,
                                                  missing | (codes == UNTESTABLE)),
             "reason": pd.Series(reason, index=index, dtype=object)}
    for name in check.outputs:
        masked = np.ma.getmaskarray(outputs[name])  # a masked output cell is missing
        computed = np.ma.getdata(outputs[name])
        if computed.dtype.kind in "iub":
            values = np.zeros(rows, dtype=np.int64 if computed.dtype.kind != "b" else bool)
            values[ok_index] = computed
            absent = missing.copy()
            absent[ok_index] |= masked
            array_type = pd.arrays.BooleanArray if computed.dtype.kind == "b" else \
                pd.arrays.IntegerArray
            frame[name] = array_type(values, absent)
            continue
        column = np.full(rows, np.nan) if computed.dtype.kind == "f" else np.full(
            rows, None, dtype=object)
        column[ok_index] = computed
        frame[name] = column
    return pd.DataFrame(frame, index=index)


def _map_rows(check, table, names, options) -> pd.DataFrame:
    read, problems, bads, texts = read_fields(check.fields, table, names)
    bad_reason = describe_problems([names[f.name] for f in check.fields], texts, problems, bads)
    ok = ~np.logical_or.reduce(bads)
    ok_index = np.flatnonzero(ok)
    if not ok.all():  # the check sees the readable rows only
        read = {name: _take(column, ok_index) for name, column in read.items()}
    outputs = check.run(read, options)
    added = _outputs_frame(check, table.index, len(table), ok_index, outputs, bad_reason)
    return _join(table, added)


def _join(table: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """The input table with the check's columns (replacing input columns of the same name)."""
    kept = table.drop(columns=[c for c in added.columns if c in table.columns])
    return pd.concat([kept, added], axis=1)


def group_layout(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Place rows sharing a key into a (comparison x group) grid, keeping first-seen order.

    Returns
    -------
    uniques : ndarray
        One key per comparison.
    row, column : ndarray of int
        Each input row's place in the grid.
    counts : ndarray of int
        Rows per comparison.
    """
    codes, uniques = pd.factorize(pd.Series(keys, copy=False), sort=False)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(uniques))
    starts = np.cumsum(counts) - counts
    position = np.empty(len(codes), dtype=np.int64)
    position[order] = np.arange(len(codes)) - np.repeat(starts, counts)
    return np.asarray(uniques, dtype=object), codes, position, counts


def first_by_group(group_of_row: np.ndarray, chosen: np.ndarray, groups: int) -> np.ndarray:
    """Per group, the first of its rows where ``chosen`` is true (-1 where none is)."""
    rows = np.flatnonzero(chosen)
    first = np.full(groups, -1, dtype=np.int64)
    first[group_of_row[rows][::-1]] = rows[::-1]  # the last write, the earliest row, wins
    return first


def _grid(column, row, col, shape):
    """A read column scattered into a 2-D grid (missing places hold zeros / None)."""
    if isinstance(column, readers.PColumn):
        return readers.PColumn(_grid(column.relation, row, col, shape),
                               _grid(column.number, row, col, shape))
    if isinstance(column, readers.PrintedColumn):
        return readers.PrintedColumn(*(_grid(part, row, col, shape) for part in (
            column.text, column.scaled, column.decimals, column.problem)))
    grid = np.zeros(shape, dtype=column.dtype) if column.dtype != object else np.full(
        shape, None, dtype=object)
    grid[row, col] = column
    return grid


def _map_groups(check, table, names, options) -> pd.DataFrame:
    key_field = check.field_named(check.group_key)
    read, problems, bads, texts = read_fields(check.fields, table, names)
    keys = read[key_field.name]
    uniques, row, col, counts = group_layout(keys)
    groups = len(uniques)
    shape = (groups, int(counts.max()) if groups else 0)
    per_row = [f for f in check.fields if not f.per_group and f.name != check.group_key]
    per_group = [f for f in check.fields if f.per_group]
    described = [key_field] + per_row
    places = [check.fields.index(f) for f in described]
    row_reason = describe_problems([names[f.name] for f in described],
                                   [texts[i] for i in places], [problems[i] for i in places],
                                   [bads[i] for i in places])
    # a comparison is bad when any of its rows is; the first bad row's reason is given
    first_bad = first_by_group(row, ~pd.isna(row_reason), groups)
    group_reason = np.full(groups, None, dtype=object)
    has_bad = first_bad >= 0
    group_reason[has_bad] = join_text("row ", first_bad[has_bad] + 1, ": ",
                                      row_reason[first_bad[has_bad]])
    # per-comparison fields: the first non-empty cell of each comparison
    chosen = {}
    for f in per_group:
        index = check.fields.index(f)
        first = first_by_group(row, texts[index] != "", groups)
        empty = first < 0
        pick = np.maximum(first, 0)
        chosen[f.name] = _take(read[f.name], pick)
        problem = problems[index][pick].copy()
        problem[empty] = "empty cell"
        text = texts[index][pick].copy()
        text[empty] = ""
        message = describe_problems([names[f.name]], [text], [problem])
        group_reason = np.where(pd.isna(group_reason), message, group_reason)
    ok_groups = np.flatnonzero(pd.isna(group_reason))
    columns = {f.name: _take(_grid(read[f.name], row, col, shape), ok_groups) for f in per_row}
    columns.update({name: _take(column, ok_groups) for name, column in chosen.items()})
    present = np.zeros(shape, dtype=bool)
    present[row, col] = True
    columns["present"] = present[ok_groups]
    outputs = check.run(columns, options)
    added = _outputs_frame(check, pd.RangeIndex(groups), groups, ok_groups, outputs, group_reason)
    added.insert(0, "groups", counts)
    added.insert(0, names[key_field.name], uniques)
    return added


def _mapper_doc(check: Screen) -> str:
    fields = "\n".join(
        f"    ``{f.name}``{'' if f.required else ' (optional, default ' + repr(f.default) + ')'}"
        f"\n        {f.description}" for f in check.fields)
    outputs = "\n".join(f"    ``{name}``\n        {text}" for name, text in check.outputs.items())
    options = ", ".join(f"{k}={v!r}" for k, v in {**COMMON_OPTIONS, **check.options}.items())
    return f"""{check.title}, over every row of a table.

Follows {check.reference}.

Parameters
----------
table : pandas.DataFrame
    One row per {'group of a comparison' if check.group_key else 'result'}; printed numbers as
    text.  Columns read:

{fields}
columns : mapping, optional
    Field name -> column name, for tables whose columns are named otherwise.
**options
    {options}.

Returns
-------
pandas.DataFrame
    The table with ``status``, ``consistent`` and ``reason`` added, and:

{outputs}
"""
