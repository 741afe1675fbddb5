"""Check each claim of study files against their printed numbers.

Prints one row per claim (``--format table``, the default) or JSON (``--format json``): for one
file ``{"study": id, "claims": [...]}``, for several a list of such objects.  A file that cannot
be read is reported (``{"study": stem, "error": {...}}`` in JSON) and the others are still
checked.  Exit status: 0 when every file was checked, 2 when any file was bad input.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from reanalyse.errors import InputFileError
from reanalyse.checks.verdicts import format_p_interval

__all__ = ["add_arguments", "run", "format_table"]


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse check``."""
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="study YAML files")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--alpha", type=float, default=None,
                        help="significance level for every claim (default: each claim's own, "
                             "else the study's, else 0.05)")
    parser.add_argument("--rounding", default="nearest",
                        help="how printed numbers were rounded: nearest (default), half_up, "
                             "half_down, half_even, truncate, ceiling, floor")
    parser.add_argument("--boschloo", choices=("when_needed", "always", "never"),
                        default="when_needed",
                        help="when to compute Boschloo's exact test (default: only where "
                             "Fisher's p is above alpha, since Boschloo's p is never larger)")


def format_table(results, width: int = 100) -> str:
    """A plain-text table: one block per claim with its verdict, best p and reason."""
    lines = []
    for result in results:
        study = result.study
        lines.append(f"{study.id}  ({study.citation})")
        for claim in result.claims:
            shown = [s for role in ("primary", "reported") for s in claim.specs
                     if s.role == role and s.computed]
            primary = shown[0] if shown else None
            p_text = ""
            if primary is not None:
                p_text = f"  [{primary.name}: {format_p_interval(primary)}]"
            lines.append(f"  {claim.claim.id:<28} {claim.verdict.value}{p_text}")
            lines.extend(textwrap.wrap(claim.reason, width=width, initial_indent="      ",
                                       subsequent_indent="      "))
        lines.append("")
    return "\n".join(lines)


def run(args) -> int:
    """Check each file; print results; return the exit status."""
    from reanalyse.claims.check import CheckOptions, check_file

    try:
        options = CheckOptions(alpha=args.alpha, rounding=args.rounding, boschloo=args.boschloo)
    except ValueError as error:
        print(f"reanalyse check: {error}", file=sys.stderr)
        return 2
    results, failed = [], []
    for path in args.files:
        try:
            results.append(check_file(path, options))
        except InputFileError as error:
            failed.append(error)
            print(f"reanalyse check: {error}", file=sys.stderr)
    if args.format == "json":
        items = [result.to_dict() for result in results]
        items += [{"study": error.path.stem, "error": error.to_dict()} for error in failed]
        payload = items[0] if len(args.files) == 1 and items else items
        print(json.dumps(payload, indent=2, allow_nan=False))
    else:
        print(format_table(results), end="")
    return 2 if failed else 0
