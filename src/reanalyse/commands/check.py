"""Check each claim of study files against their printed numbers.

Prints one row per claim (--format table, the default) or JSON (--format json): for one file
{"study": id, "claims": [...]}, for several a list of such objects in the order the files were
given (a folder gives its .yaml files in name order).  A file that cannot be read is reported
({"study": stem, "error": {...}} in JSON) and the others are still checked.  A summary line
(claims per verdict) ends the output: on standard output after a table, on standard error
after JSON so that standard output stays parseable; --quiet leaves it and the table out.
Verdicts are coloured only on a terminal, and never when NO_COLOR is set.

Exit status: 0 when every file was checked; 1 when a claim got a verdict named by --fail-on
(for CI); 2 when any file was bad input.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import textwrap
from collections import Counter
from pathlib import Path

from reanalyse.claims.labels import VERDICT_LABELS, verdict_from_label, verdict_label
from reanalyse.claims.verdicts import format_p_interval
from reanalyse.io import path_kind
from reanalyse.errors import InputFileError, ReanalyseError
from reanalyse.model.review import is_review_file
from reanalyse.text import plural

__all__ = ["add_arguments", "run", "format_table", "summary_line", "study_files",
           "parse_fail_on", "use_colour"]

#: ANSI colour of each verdict's label on a terminal.
_COLOURS = {"reproduced": "32", "reproduced_with_alternative": "36", "inconsistent": "33",
            "decision_flip": "31", "fragile": "35", "impossible_input": "31;1",
            "insufficient_information": "2"}


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse check``."""
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path,
                        help="study YAML files, or folders of them")
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
    parser.add_argument("--fail-on", metavar="VERDICT[,VERDICT]", default=None,
                        help="exit with status 1 when a claim gets one of these verdicts, e.g. "
                             "decision_flip,impossible_input (for CI)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print no table and no summary line: only errors, the claims "
                             "--fail-on names, and the JSON when asked for")


def parse_fail_on(text: str | None) -> frozenset[str]:
    """The verdicts ``--fail-on`` names (machine names or labels, comma-separated).

    Raises
    ------
    ValueError
        Naming the unknown verdict, with the nearest known one and the list as a hint.
    """
    if not text:
        return frozenset()
    chosen = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        verdict = verdict_from_label(item.replace("-", "_")) or verdict_from_label(item)
        if verdict is None:
            near = difflib.get_close_matches(item.lower().replace(" ", "_").replace("-", "_"),
                                             list(VERDICT_LABELS), n=1)
            hint = (f"did you mean {near[0]}? " if near else "") + \
                "verdicts: " + ", ".join(VERDICT_LABELS)
            raise ValueError(f"--fail-on: unknown verdict {item!r}\n  hint: {hint}")
        chosen.add(verdict)
    return frozenset(chosen)


def study_files(paths) -> list[Path]:
    """The study files ``paths`` name, in the order given; a folder gives its ``.yaml`` and
    ``.yml`` files sorted by name.  A folder without any is an error (a path that does not
    exist is left for the loader to report)."""
    files = []
    for path in paths:
        path = Path(path)
        if path_kind(path) == "folder":
            found = sorted(p for p in path.iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise InputFileError(path, "the folder holds no study files (.yaml)",
                                     hint="give study files, or a folder such as data/")
            files.extend(found)
        else:
            files.append(path)
    return files


def use_colour(stream) -> bool:
    """Whether to colour ``stream``: only a terminal, and never when ``NO_COLOR`` is set
    (https://no-color.org) or ``TERM`` is ``dumb``."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _label(verdict: str, colour: bool) -> str:
    text = verdict_label(verdict)
    return f"\033[{_COLOURS[verdict]}m{text}\033[0m" if colour and verdict in _COLOURS else text


def format_table(results, width: int = 100, *, colour: bool = False) -> str:
    """A plain-text table: one block per claim with its verdict, best p and reason."""
    lines = []
    for result in results:
        study = result.study
        lines.append(f"{study.id}  ({study.citation})")
        for remark in study.remarks:  # the file's own disagreements first: they may be slips
            lines.extend(textwrap.wrap(remark.describe(), width=width, initial_indent="  ! ",
                                       subsequent_indent="    "))
        column = max([28] + [len(claim.claim.id) + 1 for claim in result.claims])
        for claim in result.claims:
            shown = [s for role in ("primary", "reported") for s in claim.specs
                     if s.role == role and s.computed]
            primary = shown[0] if shown else None
            p_text = ""
            if primary is not None:
                p_text = f"  [{primary.label}: {format_p_interval(primary)}]"
            lines.append(f"  {claim.claim.id:<{column}} {_label(claim.verdict.value, colour)}"
                         f"{p_text}")
            lines.extend(textwrap.wrap(claim.reason, width=width, initial_indent="      ",
                                       subsequent_indent="      "))
        lines.append("")
    return "\n".join(lines)


def summary_line(results, failed: int = 0) -> str:
    """``2 studies, 5 claims: 1 reproduced, 2 fragile, ...`` (verdicts in the vocabulary's
    order), and the files that could not be read."""
    counts = Counter(claim.verdict.value for result in results for claim in result.claims)
    claims = sum(counts.values())
    studies = len(results)
    parts = [f"{count} {VERDICT_LABELS[verdict]}" for verdict in VERDICT_LABELS
             if (count := counts.get(verdict))]
    text = f"{plural(studies, 'study', 'studies')}, {plural(claims, 'claim')}"
    if parts:
        text += ": " + ", ".join(parts)
    if failed:
        text += f"; {plural(failed, 'file')} could not be read"
    return text


def run(args) -> int:
    """Check each file; print results; return the exit status."""
    from reanalyse.claims.assess import CheckOptions, check_file

    try:
        options = CheckOptions(alpha=args.alpha, rounding=args.rounding, boschloo=args.boschloo)
    except ValueError as error:
        print(f"reanalyse check: {error}", file=sys.stderr)
        return 2
    try:
        fail_on = parse_fail_on(args.fail_on)
        files = study_files(args.files)
    except (ValueError, InputFileError) as error:
        print(f"reanalyse check: {error}", file=sys.stderr)
        return 2
    outcomes = []  # (path, result or error), in the order given
    for path in files:
        try:
            if is_review_file(path):
                raise InputFileError(path, "a review file, not a study file",
                                     hint=f"reanalyse run {path} judges its pooled lines "
                                          "(ra.check_review in Python)")
            outcomes.append((path, check_file(path, options)))
        except ReanalyseError as error:  # this file's error; the other files go on
            if not isinstance(error, InputFileError):
                error = InputFileError(path, str(error), hint="see the message above")
            outcomes.append((path, error))
            print(f"reanalyse check: {error}", file=sys.stderr)
    results = [item for _, item in outcomes if not isinstance(item, InputFileError)]
    failed = len(outcomes) - len(results)
    if args.format == "json":
        items = [item.to_dict() if not isinstance(item, InputFileError)
                 else {"study": path.stem, "error": item.to_dict()} for path, item in outcomes]
        single = len(args.files) == 1 and not args.files[0].is_dir() and items
        print(json.dumps(items[0] if single else items, indent=2, allow_nan=False))
        sys.stdout.flush()
        if not args.quiet:
            print(f"reanalyse check: {summary_line(results, failed)}", file=sys.stderr)
    elif not args.quiet:
        print(format_table(results, colour=use_colour(sys.stdout)), end="")
        print(summary_line(results, failed))
    hits = [(result.study.id, claim) for result in results for claim in result.claims
            if claim.verdict.value in fail_on]
    for study, claim in hits:  # even with --quiet: a CI log names what failed
        print(f"reanalyse check: --fail-on: {study}/{claim.claim.id} "
              f"({verdict_label(claim.verdict.value)})", file=sys.stderr)
    if failed:
        return 2
    return 1 if hits else 0
