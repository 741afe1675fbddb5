"""Screen a table of printed numbers with a consistency check (GRIM, GRIMMER, DEBIT, p-values).

The check follows from the table's columns (--check auto, see docs/screens.md) or is named.
Every row gets a status (consistent, inconsistent, decision_error, bad_input, untestable
where the check cannot fail, or impossible where the printed numbers fit no dataset) and a reason; an empty cell of an optional column means its
default.  --check baseline runs Carlisle's screen of baseline tables, one row per trial (or
per variable with --level variable).  A summary line (rows per status) goes to standard error,
so that standard output holds only the table; --quiet leaves it and the warnings out.
Exit status: 0 when the screen ran, flagged rows or not; 2 when the table cannot be read, lacks
the check's columns or the sheet asked for, or the output cannot be written.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from reanalyse.text import plural

__all__ = ["add_arguments", "run", "summary_line"]

_CHECK_NAMES = ("auto", "grim", "percent", "grimmer", "debit", "statistic", "rebuilt_t",
                "rebuilt_anova", "cutoff", "estimate", "baseline")


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse screen``."""
    parser.add_argument("table", type=Path, metavar="TABLE", help="a .csv or .xlsx table")
    parser.add_argument("--check", choices=_CHECK_NAMES, default="auto",
                        help="the check to run (default: chosen from the table's columns)")
    parser.add_argument("--format", choices=("csv", "json", "html"), default="csv",
                        help="output format (default: csv)")
    parser.add_argument("--output", type=Path, default=None,
                        help="write to this file instead of standard output")
    parser.add_argument("--sheet", default=None,
                        help="Excel sheet: its name, or its position counted from 0 (default: "
                             "the first)")
    parser.add_argument("--rounding", default="nearest",
                        help="how printed numbers were rounded: nearest (default), half_up, "
                             "half_down, half_even, truncate, ceiling, floor")
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="significance level of p-value checks (default: 0.05)")
    parser.add_argument("--p-equal-alpha", choices=("significant", "not_significant"),
                        default="significant",
                        help="how a printed p equal to alpha reads (default: significant, as "
                             "in statcheck)")
    parser.add_argument("--p-zero", choices=("error", "rounded"), default="error",
                        help="p = .000: an error (default, as in statcheck) or p < .0005")
    parser.add_argument("--flag-alpha", type=float, default=0.001,
                        help="baseline screen: flag trials whose p-interval lies below this "
                             "or above 1 minus this (default: 0.001)")
    parser.add_argument("--level", choices=("trial", "variable"), default="trial",
                        help="baseline screen, CSV: one row per trial (default) or variable")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no summary line and no warnings on standard error")


def summary_line(check: str, summary: dict) -> str:
    """``grim: 3 rows: 1 consistent, 1 inconsistent, 1 untestable; 1 flagged`` (statuses with
    no row left out); for the baseline screen, its counts of trials and flags."""
    counts = {key: value for key, value in summary.items()
              if isinstance(value, int) and not isinstance(value, bool)}
    if "rows" in counts:
        rows = counts.pop("rows")
        flagged = counts.pop("flagged", 0)
        parts = [f"{value} {key.replace('_', ' ')}" for key, value in counts.items() if value]
        return (f"{check}: {plural(rows, 'row')}"
                + (": " + ", ".join(parts) if parts else "") + f"; {flagged} flagged")
    return f"{check}: " + ", ".join(f"{key.replace('_', ' ')} {value}"
                                    for key, value in counts.items())


def _options(check: str, args, rounding) -> dict:
    options = {"rounding": rounding}
    if check == "baseline":
        options["flag_alpha"] = args.flag_alpha
    elif check in ("statistic", "rebuilt_t", "rebuilt_anova"):
        options.update(alpha=args.alpha, p_equal_alpha=args.p_equal_alpha, p_zero=args.p_zero)
    return options


def run(args) -> int:
    """Read the table, screen it, write the result; return the exit status."""
    from reanalyse.errors import InputFileError
    from reanalyse.kernels.printed import Rounding
    from reanalyse.screens import ScreenColumnsError, infer_check, read_table, screen, \
        summarise, write_result
    from reanalyse.screens.tables import check_output_path, write_output

    try:
        rounding = Rounding.parse(args.rounding)
    except ValueError as error:
        raise InputFileError(args.table, str(error), field="--rounding") from None
    if args.output is not None:
        check_output_path(args.output)
    table = read_table(args.table, sheet=args.sheet)
    try:
        check = infer_check(table.columns) if args.check == "auto" else args.check
    except ValueError as error:
        raise InputFileError(args.table, str(error), field="columns",
                             hint="rename the columns, or name the check with --check") from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = screen(table, check, **_options(check, args, rounding))
        except ScreenColumnsError as error:
            raise InputFileError(args.table, f"missing column(s) {', '.join(error.missing)} for "
                                 f"the {check} screen", field="columns",
                                 hint=f"the {check} screen reads: {', '.join(error.expected)}"
                                 ) from None
        except ValueError as error:  # an option out of range
            raise InputFileError(args.table, str(error)) from None
    for warning in caught if not args.quiet else ():
        print(f"reanalyse screen: warning: {warning.message}", file=sys.stderr)
    if args.output is None:
        write_result(result, check, args.format, sys.stdout, level=args.level)
    else:
        write_output(result, check, args.format, args.output, level=args.level)
    sys.stdout.flush()  # the table is complete before the summary line on standard error
    if not args.quiet:
        print(f"reanalyse screen: {summary_line(check, summarise(result))}", file=sys.stderr)
    return 0
