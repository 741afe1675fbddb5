"""Reading a table to screen, choosing its check, and writing what a screen found.

Tables are read as text so that printed numbers keep their trailing zeros: CSV cells are never
converted, and an Excel cell holding a number is written out with the decimals of its number
format (``0.00`` gives ``"5.20"``); numbers in the ``General`` format have lost them, which the
screen reports with :class:`reanalyse.screens.base.LostDecimalsWarning`.
"""

from __future__ import annotations

import csv
import html
import json
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from reanalyse import style
from reanalyse.errors import InputFileError
from reanalyse.io import path_kind
from reanalyse.screens.baseline import BaselineScreen, json_records
from reanalyse.screens.base import STATUSES

__all__ = ["read_table", "infer_check", "summarise", "flagged_rows", "write_result",
           "check_output_path", "write_output", "CHECK_COLUMNS", "FORMATS"]

FORMATS = ("csv", "json", "html")

#: The columns that identify each check's tables, in the order :func:`infer_check` tries them.
#: DEBIT reads the same columns as GRIMMER and is only run when asked for.
CHECK_COLUMNS = {
    "baseline": ("trial", "variable", "n", "mean"),
    "estimate": ("measure", "ci_low", "ci_high", "treat_n", "control_n"),
    "statistic": ("statistic", "value", "p"),
    "rebuilt_t": ("treat_mean", "treat_sd", "treat_n", "control_mean", "control_sd",
                  "control_n", "p"),
    "rebuilt_anova": ("comparison", "mean", "sd", "n", "p"),
    "cutoff": ("mean", "sd", "n", "scale_min", "scale_max", "cutoff"),
    "grimmer": ("mean", "sd", "n"),
    "percent": ("percent", "n"),
    "grim": ("mean", "n"),
}

_DECIMAL_FORMAT = re.compile(r"^[#,]*0(?:\.(0+))?(?:;.*)?\Z")


def read_table(path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV or Excel table with every cell as text.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (or ``.txt``, ``.tsv``: separator sniffed) or ``.xlsx``.
    sheet : str or int, optional
        Excel sheet (the first by default): a name, or a position counted from 0.  A text of
        digits that is no sheet's name is read as a position, so that a sheet named ``"2020"``
        is still found by its name.

    Raises
    ------
    InputFileError
        If the file cannot be read, has no such sheet, or has no rows.
    """
    path = Path(path)
    if path_kind(path) != "file":
        raise InputFileError(path, "no such file", hint="give the path of a .csv or .xlsx table")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            table = _read_excel(path, sheet)
        elif suffix in (".csv", ".tsv", ".txt"):
            _check_header(path)
            table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None,
                                engine="python", encoding="utf-8-sig")
        else:
            raise InputFileError(path, f"cannot read a {suffix or 'suffix-less'} file as a table",
                                 hint="give a .csv or .xlsx file")
    except InputFileError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, pd.errors.ParserError,
            pd.errors.EmptyDataError, csv.Error, UnicodeDecodeError) as error:
        raise InputFileError(path, f"cannot read the table: {error}",
                             hint="save it as UTF-8 CSV or as .xlsx") from None
    if table.empty:
        raise InputFileError(path, "the table has no rows", hint="one row per result to screen")
    table.columns = [str(c).strip() for c in table.columns]
    return table


#: Most columns a table to screen may have (a screen reads a handful).
MAX_COLUMNS = 1_000
#: Most cells (rows x columns, empty ones included) an Excel sheet to screen may span.
MAX_CELLS = 5_000_000
#: Most rows an Excel sheet to screen may have, empty rows between them included (openpyxl
#: yields each row of a gap, so that a cell at row 1,048,576 costs a million steps).
MAX_SHEET_ROWS = 200_000
#: Longest header line of a CSV table, in bytes.
MAX_HEADER = 1_000_000


def _check_header(path: Path) -> None:
    """Refuse, before pandas parses it, a CSV table whose header line is too long or has more
    than :data:`MAX_COLUMNS` columns by any of the separators the sniffer may choose."""
    with open(path, "rb") as stream:
        header = stream.readline(MAX_HEADER + 1)
    if not header.strip():
        raise InputFileError(path, "the file is empty (no header line)",
                             hint="a header of column names, then one row per result to "
                                  "screen")
    if len(header) > MAX_HEADER:
        raise InputFileError(path, f"the header line is longer than {MAX_HEADER:,} bytes",
                             hint="one line of column names, e.g. mean,sd,n")
    columns = max(header.count(separator) for separator in (b",", b";", b"\t", b"|")) + 1
    if columns > MAX_COLUMNS:
        raise InputFileError(path, f"the header has {columns:,} columns, more than the "
                             f"{MAX_COLUMNS:,} a screen reads",
                             hint="keep the columns the check reads (e.g. mean, sd, n)")


def _read_excel(path: Path, sheet) -> pd.DataFrame:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet_name = _sheet_name(path, book.sheetnames, sheet)
        rows = _sheet_rows(path, book[sheet_name])
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    header, body = rows[0], rows[1:]
    frame = pd.DataFrame(body, columns=[h if h != "" else f"column {i + 1}"
                                        for i, h in enumerate(header)], dtype=object)
    return frame


def _sheet_rows(path: Path, worksheet) -> list[list]:
    """The sheet's rows as text, read one row at a time without trusting the size the file
    declares (a single cell at XFD1048576 would make a dense sheet of 17 billion cells):
    reading stops as soon as the rows so far times the widest row pass :data:`MAX_CELLS`, or
    the rows pass :data:`MAX_SHEET_ROWS`."""
    worksheet.reset_dimensions()  # rows are not padded to the declared dimension
    rows, width = [], 0
    for row in worksheet.iter_rows():
        width = max(width, len(row))
        if width > MAX_COLUMNS or (len(rows) + 1) * width > MAX_CELLS \
                or len(rows) >= MAX_SHEET_ROWS:
            raise InputFileError(path, f"the sheet spans more than {MAX_CELLS:,} cells (or "
                                 f"{MAX_COLUMNS:,} columns, or {MAX_SHEET_ROWS:,} rows) by row "
                                 f"{len(rows) + 1:,}",
                                 hint="clear far-away cells, or copy the table to a new sheet "
                                      "(a larger table reads faster as CSV)")
        rows.append([_cell_text(cell) for cell in row])
    return [row + [""] * (width - len(row)) for row in rows]


def _sheet_name(path: Path, names: list[str], sheet) -> str:
    """The name of the sheet ``sheet`` (None, a name, or a position from 0) asks for."""
    if sheet is None:
        return names[0]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    listing = ", ".join(f"{i}: {name!r}" for i, name in enumerate(names))
    position = int(sheet) if isinstance(sheet, int) or sheet.strip().isdigit() else None
    if position is None:
        raise InputFileError(path, "the workbook has no sheet of that name", field="sheet",
                             value=sheet, hint=f"its sheets are {listing}")
    if not 0 <= position < len(names):
        raise InputFileError(path, f"the workbook has {len(names)} sheet(s), counted from 0",
                             field="sheet", value=sheet, hint=f"its sheets are {listing}")
    return names[position]


def _cell_text(cell):
    """A cell as text; a number with its number format's decimals, or as a float when the
    format does not say (the screen then warns that trailing zeros may be lost)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value).strip()
    match = _DECIMAL_FORMAT.match(cell.number_format or "")
    if match:
        return f"{value:.{len(match[1] or '')}f}"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return float(value)


def infer_check(columns) -> str:
    """The check a table's columns call for (see :data:`CHECK_COLUMNS`).

    Raises
    ------
    OptionError
        If no check's columns are all present; the message lists each check's columns.
    """
    from reanalyse.errors import OptionError

    present = set(columns)
    for name, needed in CHECK_COLUMNS.items():
        if present.issuperset(needed):
            return name
    listing = "; ".join(f"{name}: {', '.join(needed)}" for name, needed in CHECK_COLUMNS.items())
    raise OptionError(f"no screen matches the columns {', '.join(map(str, columns))}; "
                      f"expected one of these sets of columns: {listing}")


def summarise(result) -> dict:
    """Counts of a screen's outcome: per status for a check's table (the checks' statuses, then
    any other a table holds, such as an article's ``unreadable``), or the baseline summary."""
    if isinstance(result, BaselineScreen):
        return result.summary()
    counts = result["status"].value_counts(sort=False)
    summary = {"rows": int(len(result))}
    summary.update({status: int(counts.get(status, 0)) for status in STATUSES})
    summary.update({status: int(count) for status, count in counts.items()
                    if status not in summary})
    summary["flagged"] = summary["inconsistent"] + summary["decision_error"] + \
        summary["impossible"]
    return summary


def flagged_rows(result) -> pd.DataFrame:
    """The rows a screen flags: inconsistent, decision errors or impossible, or flagged
    trials."""
    if isinstance(result, BaselineScreen):
        return result.trials[result.trials["flagged"]]
    return result[result["status"].isin(("inconsistent", "decision_error", "impossible"))]


def write_result(result, check: str, fmt: str, stream, *, level: str = "trial") -> None:
    """Write a screen's result to ``stream`` as CSV, JSON or HTML.

    For the baseline screen, ``level`` picks the ``trial`` table or the ``variable`` table
    (CSV); JSON and HTML hold both.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if isinstance(result, BaselineScreen):
        tables = {"trials": result.trials, "variables": result.variables}
        main = tables["trials" if level == "trial" else "variables"]
    else:
        tables = {"rows": result}
        main = result
    if fmt == "csv":
        frame = _csv_frame(main)
        # lines end in LF, or in CRLF (RFC 4180) when a cell holds a carriage return, which
        # the csv module quotes only when it is part of the line ending
        carriage = any(frame[name].map(lambda cell: isinstance(cell, str) and "\r" in cell).any()
                       for name in frame.columns if _is_text_column(frame[name]))
        frame.to_csv(stream, index=False, lineterminator="\r\n" if carriage else "\n")
        return
    summary = summarise(result)
    if fmt == "json":
        document = {"check": check, "summary": summary}
        document.update({name: json_records(frame) for name, frame in tables.items()})
        json.dump(document, stream, indent=1, ensure_ascii=False)
        stream.write("\n")
        return
    stream.write(_html_page(check, summary, flagged_rows(result), tables))


def check_output_path(path) -> None:
    """Check, before any work, that ``path`` can be written as an output file.

    Parameters
    ----------
    path : str or Path
        The ``--output`` file.

    Raises
    ------
    InputFileError
        If its folder does not exist (or is a file), or it is itself a folder.
    """
    path = Path(path)
    if not path.parent.exists():
        raise InputFileError(path, f"the folder {str(path.parent)!r} does not exist",
                             field="--output", hint="create the folder first, or write elsewhere")
    if not path.parent.is_dir():
        raise InputFileError(path, f"{str(path.parent)!r} is a file, not a folder",
                             field="--output", hint="write into a folder")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file", field="--output",
                             hint="give a file name inside it")


def write_output(result, check: str, fmt: str, path, *, level: str = "trial") -> None:
    """:func:`write_result` into the file ``path`` (UTF-8).

    Parameters
    ----------
    result, check, fmt, level
        As for :func:`write_result`.
    path : str or Path
        The file, created or replaced.

    Raises
    ------
    InputFileError
        If the file cannot be written (its folder is missing, permission denied, ...).
    """
    check_output_path(path)
    try:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            write_result(result, check, fmt, stream, level=level)
    except OSError as error:
        raise InputFileError(path, f"cannot write the output: {error.strerror or error}",
                             field="--output", hint="choose a path you can write to") from None


def _is_bool_column(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column.dtype):
        return True
    if column.dtype != object:
        return False
    present = column.dropna()
    return len(present) > 0 and all(isinstance(value, (bool, np.bool_)) for value in present)


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for CSV: booleans as ``true``/``false`` (as in JSON), missing cells empty,
    and text a spreadsheet would run as a formula guarded (:func:`_guarded`)."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if _is_bool_column(column):
            columns[name] = column.astype(object).map(
                lambda value: "" if value is None or value is pd.NA else
                ("true" if value else "false"))
        elif _is_text_column(column):
            columns[name] = column.map(_guarded).astype(object)
    return frame.assign(**columns) if columns else frame


def _is_text_column(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# a printed number or p, which a spreadsheet reads as that number (``-2.1``, ``= .034``)
_PLAIN_NUMBER = re.compile(r"[=<>]?\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _guarded(cell):
    """A text cell that a spreadsheet reads as text: one that begins with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return, and is not a plain number, gets a single quote in
    front (OWASP's advice against CSV formula injection)."""
    if isinstance(cell, str) and cell[:1] in _FORMULA_STARTS \
            and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _cell(value, decimals: int | None = None) -> str:
    """A table cell for HTML: empty when missing, ``yes``/``no`` for booleans, a float with
    ``decimals`` decimals (its column's) or six significant digits."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:.6g}"
    return html.escape(str(value))


#: Columns whose values are machine names (``decision_error``): shown with spaces in HTML.
_WORD_COLUMNS = ("status", "reading", "statistic", "test", "direction")
#: Significant digits of a float column in HTML (one number of decimals per column).
_DIGITS = 4


def _float_decimals(column: pd.Series) -> int | None:
    """The decimals that show every value of a float column to :data:`_DIGITS` significant
    digits (at most 8): one number of decimals per column, so that it lines up."""
    values = [float(v) for v in column if isinstance(v, float) and math.isfinite(v) and v != 0]
    if not values:
        return None
    if all(v.is_integer() for v in values):
        return 0
    needed = [max(0, _DIGITS - 1 - math.floor(math.log10(abs(v)))) for v in values]
    return min(8, max(needed))


def _html_column(name: str, column: pd.Series) -> list[str]:
    """The HTML cells of one column: booleans (or ``true``/``false`` text) as yes/no, machine
    names with spaces, floats with one number of decimals."""
    values = list(column.astype(object))
    present = [v for v in values if not (v is None or v is pd.NA
                                         or (isinstance(v, float) and math.isnan(v)))]
    if present and all(isinstance(v, str) and v in ("true", "false") for v in present):
        values = [v == "true" if isinstance(v, str) else v for v in values]
    decimals = _float_decimals(column)
    cells = []
    for value in values:
        text = _cell(value, decimals)
        if name in _WORD_COLUMNS and isinstance(value, str):
            text = text.replace("_", " ")
        cells.append(text)
    return cells


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(name).replace('_', ' '))}</th>"
                   for name in frame.columns)
    columns = [_html_column(str(name), frame[name]) for name in frame.columns]
    rows = []
    for cells in zip(*columns):
        rows.append("<tr>" + "".join(
            f'<td class="{"prose" if len(text) > 40 else "short"}">{text}</td>'
            for text in cells) + "</tr>")
    return (f'<div class="table-scroll"><table class="rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _html_page(check: str, summary: dict, flagged: pd.DataFrame, tables: dict) -> str:
    summary_rows = "".join(f"<tr><th>{html.escape(str(k).replace('_', ' '))}</th>"
                           f"<td>{_cell(v)}</td></tr>" for k, v in summary.items())
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Consistency screen: {html.escape(check)}</title>",
        f"<style>{style.PAGE_STYLE}</style></head><body>",
        f"<h1>Consistency screen: {html.escape(check)}</h1>",
        f'<h2>Summary</h2><div class="table-scroll"><table class="summary">{summary_rows}'
        "</table></div>",
        f"<h2>Flagged ({len(flagged)})</h2>",
        _html_table(flagged) if len(flagged) else "<p>Nothing flagged.</p>",
    ]
    for name, frame in tables.items():
        parts.append(f"<h2>All {html.escape(name)} ({len(frame)})</h2>")
        parts.append(_html_table(frame))
    parts.append("</body></html>\n")
    return "\n".join(parts)
