"""Pool a table of studies' printed numbers into a meta-analysis (metafor's escalc and rma).

The table (CSV or .xlsx, read as printed text) has one row per study and either the columns
study,n1,mean1,sd1,n2,mean2,sd2 (for --measure MD or SMD) or study,events1,n1,events2,n2 (for
OR, RR or RD); arm 1 is the treatment, and effects are arm 1 minus (or over) arm 2.  OR and RR
are pooled on the log scale, as metafor's yi and vi.  A table with a zero cell has 0.5 added to
each of its cells, and tables with no events (or only events) in both arms are left out
(RevMan's convention; --zero-cells metafor keeps them, as escalc's default).  --method picks the
pool: FE (common effect, inverse variance), DL, REML or PM (random effects, by the estimator of
tau^2), MH (Mantel-Haenszel) or PETO (Peto's OR); --hksj tests with the Hartung-Knapp-Sidik-
Jonkman t (k - 1 df) instead of z.  --format json prints one object: k, estimate, ci_low,
ci_high, se, z (t under --hksj), p, tau2, i2 (percent), q, q_df, q_p, pi_low, pi_high and
studies [{study, yi, vi, weight}] (weights in percent; null where a value does not exist).
Exit status: 0 when the pool ran; 2 when the table cannot be read or a row is not valid (every
bad cell is named, with its row and column).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

__all__ = ["add_arguments", "run", "COLUMNS", "MAX_STUDIES", "MAX_TABLE_BYTES"]

#: The columns of each kind of table.
COLUMNS = {"continuous": ("study", "n1", "mean1", "sd1", "n2", "mean2", "sd2"),
           "binary": ("study", "events1", "n1", "events2", "n2")}
#: The column behind each role-named argument of the effect-size functions.
_ROLES = {"continuous": {"treat_n": "n1", "treat_mean": "mean1", "treat_sd": "sd1",
                         "control_n": "n2", "control_mean": "mean2", "control_sd": "sd2"},
          "binary": {"treat_events": "events1", "treat_n": "n1", "control_events": "events2",
                     "control_n": "n2"}}
_WHOLE = ("n1", "n2", "events1", "events2")
_MEASURES = {"MD": "continuous", "SMD": "continuous", "OR": "binary", "RR": "binary",
             "RD": "binary"}
_METHODS = ("FE", "DL", "REML", "PM", "MH", "PETO")

#: Largest table accepted: rows, and bytes on disk.
MAX_STUDIES = 100_000
MAX_TABLE_BYTES = 20_000_000
#: At most this many bad cells are listed (the count of the rest is given).
MAX_LISTED = 20


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse meta``."""
    parser.add_argument("table", type=Path, metavar="TABLE", help="a .csv or .xlsx table")
    parser.add_argument("--measure", required=True, type=str.upper, choices=tuple(_MEASURES),
                        help="effect measure: MD, SMD (Hedges' g), OR, RR (log scale) or RD")
    parser.add_argument("--method", default="REML", type=str.upper, choices=_METHODS,
                        help="pooling method (default: REML)")
    parser.add_argument("--hksj", action="store_true",
                        help="Hartung-Knapp-Sidik-Jonkman adjustment: a t test with k - 1 df")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--level", type=float, default=0.95,
                        help="confidence level (default: 0.95)")
    parser.add_argument("--zero-cells", choices=("revman", "metafor"), default="revman",
                        help="zero-cell convention for OR, RR, RD (default: revman)")


def _problem(path, row: int, column: str, value, problem: str, hint: str):
    from reanalyse.errors import InputFileError
    # row 0 is the table's second line (the first holds the column names)
    return InputFileError(path, problem, field=f"row {row + 1}, column {column}", value=value,
                          line=row + 2, hint=hint)


def _raise(problems, path):
    from reanalyse.errors import InputFileError
    if not problems:
        return
    listed = problems[:MAX_LISTED]
    if len(problems) > MAX_LISTED:
        listed.append(InputFileError(path, f"{len(problems) - MAX_LISTED} more bad cells "
                                     "not listed"))
    raise InputFileError.collect(listed)


def _read(path: Path, measure: str, method: str, hksj: bool):
    """The studies' names and role-named printed values, or every problem at once."""
    from reanalyse.errors import InputFileError
    from reanalyse.kernels.columns import read_printed, read_whole
    from reanalyse.screens import read_table

    if path.is_file() and path.stat().st_size > MAX_TABLE_BYTES:
        raise InputFileError(path, f"the table is larger than {MAX_TABLE_BYTES:,} bytes",
                             hint="split the table")
    table = read_table(path)
    table.columns = [column.strip().lower() for column in table.columns]
    kind = _MEASURES[measure]
    needed = COLUMNS[kind]
    missing = [column for column in needed if column not in table.columns]
    if missing:
        other = "binary" if kind == "continuous" else "continuous"
        fits_other = all(column in table.columns for column in COLUMNS[other])
        hint = (f"the table has {other} columns: use --measure "
                f"{'OR, RR or RD' if other == 'binary' else 'MD or SMD'}" if fits_other
                else f"--measure {measure} reads the columns {','.join(needed)}")
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}", field="columns",
                             value=",".join(table.columns), hint=hint)
    if method in ("MH", "PETO") and kind != "binary" or method == "PETO" and measure != "OR":
        raise InputFileError(path, f"--method {method} does not pool {measure}",
                             field="--method",
                             hint="MH pools OR, RR or RD; PETO pools OR; use FE, DL, REML or PM")
    if method in ("MH", "PETO") and hksj:
        raise InputFileError(path, f"--hksj does not apply to --method {method}",
                             field="--hksj", hint="use --hksj with DL, REML, PM or FE")
    if len(table) > MAX_STUDIES:
        raise InputFileError(path, f"{len(table):,} rows; at most {MAX_STUDIES:,} studies",
                             hint="split the table")
    problems = []
    names = [str(name).strip() for name in table["study"]]
    for row, name in enumerate(names):
        if not name:
            problems.append(_problem(path, row, "study", "", "empty study name",
                                     "name each study (e.g. 'Smith 2010')"))
    values = {}
    for column in needed[1:]:
        read = read_whole if column in _WHOLE else read_printed
        printed = read(table[column].to_numpy())
        for row in range(len(table)):
            if printed.problem[row] is not None:
                problems.append(_problem(path, row, column, printed.text[row],
                                         str(printed.problem[row]),
                                         "write the number as printed, e.g. 12 or 3.40"))
        values[column] = printed.value.astype(float)
    checks = [("n1", values["n1"] <= 0, "an arm size must be positive", "give n > 0"),
              ("n2", values["n2"] <= 0, "an arm size must be positive", "give n > 0")]
    if kind == "continuous":
        checks += [(column, values[column] < 0, "a standard deviation cannot be negative",
                    "give the SD as printed") for column in ("sd1", "sd2")]
        checks.append(("sd1", (values["sd1"] == 0) & (values["sd2"] == 0),
                       "both SDs are 0, so the study has no variance",
                       "check the printed SDs (an SE or CI is not an SD)"))
    else:
        for events, n in (("events1", "n1"), ("events2", "n2")):
            checks.append((events, values[events] < 0, "a count of events cannot be negative",
                           "give the number of participants with the event"))
            checks.append((events, values[events] > values[n],
                           f"more events than participants ({n})", "events must be <= n"))
    read_rows = _rows_read(problems, len(table))
    for column, bad, problem, hint in checks:
        for row in map(int, (bad & read_rows).nonzero()[0]):
            problems.append(_problem(path, row, column, table[column].iloc[row], problem, hint))
    problems.sort(key=lambda error: error.line or 0)
    _raise(problems, path)
    return names, {role: values[column] for role, column in _ROLES[kind].items()}


def _rows_read(problems, rows: int):
    """Whether each row's cells were all read (the range checks look only at those)."""
    import numpy as np
    bad_rows = {error.line - 2 for error in problems if error.line}
    return np.array([row not in bad_rows for row in range(rows)], dtype=bool)


def _pool(path, measure, method, args, names, values):
    from reanalyse.errors import InputFileError
    from reanalyse.kernels import effect_sizes
    from reanalyse.kernels.meta import pool, pool_mantel_haenszel, pool_peto

    options = {"zero_cells": args.zero_cells} if _MEASURES[measure] == "binary" else {}
    if method == "MH":
        counts = [values[role] for role in _ROLES["binary"]]
        return pool_mantel_haenszel(*counts, measure=measure, level=args.level, **options)
    if method == "PETO":
        counts = [values[role] for role in _ROLES["binary"]]
        return pool_peto(*counts, level=args.level, **options)
    effects = effect_sizes.effect_sizes(measure, **values, **options)
    unusable = [row for row in range(len(names)) if not effects.dropped[row]
                and not (math.isfinite(effects.yi[row]) and effects.vi[row] > 0)]
    if unusable:
        _raise([_problem(path, row, "study", names[row], f"no finite {measure} with a positive "
                         "variance can be computed from this row",
                         "check its SDs and counts") for row in unusable], path)
    if effects.dropped.all():
        raise InputFileError(path, "every study was left out (no events, or only events, in "
                             "both arms)", hint="try --zero-cells metafor")
    return pool(effects.yi, effects.vi, method=method, hksj=args.hksj, level=args.level,
                measure=measure)


def _number(value):
    return None if value is None or not math.isfinite(value) else float(value)


def result_dict(result, names) -> dict:
    """The JSON object ``reanalyse meta --format json`` prints."""
    statistic = "t" if result.hksj else "z"
    return {"k": result.k, "estimate": _number(result.estimate),
            "ci_low": _number(result.ci_low), "ci_high": _number(result.ci_high),
            "se": _number(result.se), statistic: _number(result.statistic),
            "p": _number(result.pvalue), "tau2": _number(result.tau2),
            "i2": _number(result.i2), "q": _number(result.q), "q_df": result.q_df,
            "q_p": _number(result.q_pvalue), "pi_low": _number(result.pi_low),
            "pi_high": _number(result.pi_high),
            "studies": [{"study": name, "yi": _number(yi), "vi": _number(vi),
                         "weight": _number(weight)}
                        for name, yi, vi, weight in zip(names, result.yi, result.vi,
                                                        result.weights)]}


def _fmt(value, digits: int = 4) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.{digits}g}"


def _write_table(result, names, measure, method, out) -> None:
    scale = " (log scale)" if result.ratio else ""
    label = f"{measure}{scale} by {method}" + (" with HKSJ" if result.hksj else "")
    out.write(f"{label}: {result.k} studies\n")
    width = max([len(name) for name in names] + [5])
    out.write(f"  {'study':<{width}}  {'yi':>10}  {'vi':>10}  {'weight %':>8}\n")
    for name, yi, vi, weight in zip(names, result.yi, result.vi, result.weights):
        out.write(f"  {name:<{width}}  {_fmt(yi):>10}  {_fmt(vi):>10}  {_fmt(weight):>8}\n")
    level = f"{100 * result.level:g}%"
    statistic = f"t({result.df})" if result.hksj else "z"
    out.write(f"pooled {measure}: {_fmt(result.estimate)}  {level} CI {_fmt(result.ci_low)} to "
              f"{_fmt(result.ci_high)}  {statistic} = {_fmt(result.statistic)}, p = "
              f"{_fmt(result.pvalue, 3)}\n")
    if result.ratio:
        ratio = result.exp()
        out.write(f"  as a ratio: {_fmt(ratio['estimate'])}  {level} CI {_fmt(ratio['ci_low'])} "
                  f"to {_fmt(ratio['ci_high'])}\n")
    out.write(f"heterogeneity: Q = {_fmt(result.q)}, df = {result.q_df}, p = "
              f"{_fmt(result.q_pvalue, 3)}; I2 = {_fmt(result.i2, 3)}%")
    if result.method not in ("FE", "MH", "PETO"):     # common-effect pools assume tau2 = 0
        out.write(f"; tau2 = {_fmt(result.tau2)} ({level} CI {_fmt(result.tau2_ci_low)} to "
                  f"{_fmt(result.tau2_ci_high)})")
    out.write("\n")
    if math.isfinite(result.pi_low):
        out.write(f"prediction interval: {_fmt(result.pi_low)} to {_fmt(result.pi_high)}\n")


def _write_csv(result, names, out) -> None:
    data = result_dict(result, names)
    pooled = [key for key in data if key not in ("studies", "k")]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "study", "yi", "vi", "weight", "k"] + pooled)
    for study in data["studies"]:
        writer.writerow(["study", study["study"], *(_cell(study[key])
                                                    for key in ("yi", "vi", "weight"))]
                        + [""] * (1 + len(pooled)))
    writer.writerow(["pooled", "", "", "", "", data["k"]] + [_cell(data[key]) for key in pooled])


def _cell(value) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def run(args) -> int:
    """Read the table, pool it, write the result; return the exit status."""
    from reanalyse.errors import InputFileError, ReanalyseError

    if not 0 < args.level < 1:
        raise InputFileError(args.table, "the confidence level must lie between 0 and 1",
                             field="--level", value=args.level, hint="e.g. --level 0.95")
    names, values = _read(args.table, args.measure, args.method, args.hksj)
    try:
        result = _pool(args.table, args.measure, args.method, args, names, values)
    except InputFileError:
        raise
    except (ReanalyseError, ValueError) as error:     # e.g. REML not converging
        raise InputFileError(args.table, str(error), hint="check the table's numbers, or try "
                             "another --method") from None
    if args.format == "json":
        json.dump(result_dict(result, names), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(result, names, sys.stdout)
    else:
        _write_table(result, names, args.measure, args.method, sys.stdout)
    return 0
