"""Find APA-style results (t, F, chi2, r, z with df and p) in a text file and screen them.

Each result found ("t(28) = 2.20, p = .06") becomes a row: where it was (line), what was
printed, and the status of the printed p against the p its statistic gives over the
statistic's rounding (statcheck's rules; see docs/screens.md).  A result whose sentence says
"one-sided" or "one-tailed" is checked one-sided unless ``--two-sided-only``.  Exit status: 0
when the file was read (whatever was found), 2 when it could not be read or the output cannot be
written.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse extract``."""
    parser.add_argument("file", type=Path, metavar="FILE", help="a UTF-8 plain-text file")
    parser.add_argument("--format", choices=("csv", "json", "html"), default="csv",
                        help="output format (default: csv)")
    parser.add_argument("--output", type=Path, default=None,
                        help="write to this file instead of standard output")
    parser.add_argument("--rounding", default="nearest",
                        help="how printed numbers were rounded (default: nearest)")
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="significance level for decision errors (default: 0.05)")
    parser.add_argument("--p-equal-alpha", choices=("significant", "not_significant"),
                        default="significant",
                        help="how a printed p equal to alpha reads (default: significant)")
    parser.add_argument("--p-zero", choices=("error", "rounded"), default="error",
                        help="p = .000: an error (default) or p < .0005")
    parser.add_argument("--two-sided-only", action="store_true",
                        help="ignore one-sided declarations in the text")


def run(args) -> int:
    """Extract, screen and write the results; return the exit status."""
    from reanalyse.errors import InputFileError
    from reanalyse.screens.extract import read_text, screen_text
    from reanalyse.screens import summarise, write_result
    from reanalyse.screens.tables import check_output_path, write_output

    if args.output is not None:
        check_output_path(args.output)
    text = read_text(args.file)
    try:
        result = screen_text(text, source=args.file.name, one_sided=not args.two_sided_only,
                             rounding=args.rounding, alpha=args.alpha,
                             p_equal_alpha=args.p_equal_alpha, p_zero=args.p_zero)
    except ValueError as error:  # an option out of range
        raise InputFileError(args.file, str(error)) from None
    if args.output is None:
        write_result(result, "statistic", args.format, sys.stdout)
    else:
        write_output(result, "statistic", args.format, args.output)
    summary = summarise(result)
    shown = ", ".join(f"{key} {value}" for key, value in summary.items())
    print(f"reanalyse extract: {args.file.name}: {shown}", file=sys.stderr)
    return 0
