"""Find APA-style results (t, F, chi2, Q, r, z with df and p) in articles and screen them.

Takes plain-text, PDF and HTML articles, and folders of them (searched recursively for
``.txt``, ``.pdf``, ``.html``, ``.htm`` and ``.xhtml`` files), and writes one table: each result
found ("t(28) = 2.20, p = .06") is a row with its ``source`` (the file's path relative to the
folder given), where it was (``page`` for PDFs, ``line``), what was printed, and the status of
the printed p against the p its statistic gives over the statistic's rounding (statcheck's
rules; see docs/screens.md).  A result whose sentence says "one-sided" or "one-tailed" is judged
under both readings and flagged only when neither fits (``reading`` says which one the row
reports), unless ``--two-sided-only``.  A result without degrees of freedom is ``untestable``;
a file that cannot be read is one ``unreadable`` row with the reason, and the others go on.
A summary line (rows per status, as ``reanalyse screen`` writes it) goes to standard error after
the table, so that standard output holds only the table; ``--quiet`` leaves it and the progress
out.

Exit status: 0 when the screen ran (whatever was found or unreadable), 2 when a path does not
exist, a folder holds no articles, an option is out of range, or the output cannot be written.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from reanalyse.io import path_kind

__all__ = ["add_arguments", "run", "find_articles"]


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse extract``."""
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                        help="articles (.txt, .pdf, .html) or folders of them")
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
                        help="judge every result two-sided, whatever the text declares")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="articles screened at a time by worker processes (default: 1)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="local: this machine (default); dask: a Dask cluster (a local "
                             "one of --jobs workers unless --scheduler is given)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                             "(implies --executor dask)")
    parser.add_argument("--max-size", type=float, default=256, metavar="MIB",
                        help="skip files larger than this many MiB (default: 256)")
    parser.add_argument("--max-pages", type=int, default=2000, metavar="N",
                        help="skip PDFs with more pages (default: 2000)")
    parser.add_argument("--max-chars", type=int, default=50_000_000, metavar="N",
                        help="skip articles whose text is longer (default: 50,000,000)")
    parser.add_argument("--max-tokens", type=int, default=200_000, metavar="N",
                        help="skip PDFs whose content streams hold more tokens, the work "
                             "their text extraction does (default: 200,000)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress and no summary line on standard error")


def find_articles(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each article to screen and its ``source`` name, in a fixed order.

    A file given is screened whatever its suffix, named by its file name; a folder gives its
    articles (by suffix, recursively, sorted), named by their path relative to it, prefixed
    with the folder's name when more than one path is given.

    Raises
    ------
    InputFileError
        If a path does not exist or a folder holds no articles.
    """
    from reanalyse.errors import InputFileError
    from reanalyse.screens.articles import ARTICLE_SUFFIXES

    suffixes = ", ".join(ARTICLE_SUFFIXES)
    articles = []
    for path in paths:
        kind = path_kind(path)
        if kind == "folder":
            found = sorted((item.relative_to(path).as_posix(), item)
                           for item in _files_under(path, ARTICLE_SUFFIXES))
            if not found:
                raise InputFileError(path, f"the folder holds no articles ({suffixes})",
                                     hint="give a folder of articles, or the files themselves")
            prefix = f"{path.resolve().name}/" if len(paths) > 1 else ""
            articles.extend((item, prefix + name) for name, item in found)
        elif kind is not None:
            articles.append((path, path.name))
        else:
            raise InputFileError(path, "no such file or folder",
                                 hint=f"give articles ({suffixes}) or folders of them")
    return articles


def _files_under(folder: Path, suffixes) -> list[Path]:
    """The regular files under ``folder`` (recursively, symbolic links to folders not followed)
    whose names end in one of ``suffixes``; entries that vanish or cannot be read while the
    tree is walked (as under /proc) are left out."""
    found = []
    for parent, _, names in os.walk(folder, onerror=lambda error: None):
        for name in names:
            item = Path(parent) / name
            if item.suffix.lower() in suffixes and path_kind(item, quiet=True) == "file":
                found.append(item)
    return found


def run(args) -> int:
    """Extract, screen and write the results; return the exit status."""
    from reanalyse.commands.screen import summary_line
    from reanalyse.errors import InputFileError, ReanalyseError
    from reanalyse.runner.articles import describe_article, screen_articles
    from reanalyse.runner.progress import Progress
    from reanalyse.screens.articles import ReadLimits
    from reanalyse.screens.extract import screen_text
    from reanalyse.screens import summarise, write_result
    from reanalyse.screens.tables import check_output_path, write_output

    if args.output is not None:
        check_output_path(args.output)
    for name, value in (("--jobs", args.jobs), ("--max-size", args.max_size),
                        ("--max-pages", args.max_pages), ("--max-chars", args.max_chars),
                        ("--max-tokens", args.max_tokens)):
        if not 1 <= value < math.inf:  # refuses NaN too
            raise ReanalyseError(f"{name} must be a finite number of at least 1, not {value}")
    options = {"one_sided": not args.two_sided_only, "rounding": args.rounding,
               "alpha": args.alpha, "p_equal_alpha": args.p_equal_alpha, "p_zero": args.p_zero}
    articles = find_articles(args.paths)
    try:  # options out of range stop here, before any article is read
        screen_text("t(10) = 2.0, p = .07", **options)
    except ValueError as error:
        raise InputFileError(args.paths[0], str(error), hint="see reanalyse extract --help") \
            from None
    limits = ReadLimits(max_bytes=int(args.max_size * 2**20), max_pages=args.max_pages,
                        max_chars=args.max_chars, max_tokens=args.max_tokens)
    executor = "dask" if args.scheduler else args.executor
    progress = Progress(sys.stderr, desc="reanalyse extract", unit="file",
                        describe=describe_article) \
        if len(articles) > 1 and not args.quiet else None
    try:
        result = screen_articles(articles, limits=limits, options=options, jobs=args.jobs,
                                 executor=executor, scheduler=args.scheduler,
                                 progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if args.output is None:
        write_result(result, "statistic", args.format, sys.stdout)
    else:
        write_output(result, "statistic", args.format, args.output)
    sys.stdout.flush()  # the table is complete before the summary line on standard error
    if not args.quiet:
        files = f"{len(articles)} files" if len(articles) > 1 else articles[0][1]
        print(f"reanalyse extract: {summary_line(files, summarise(result))}", file=sys.stderr)
    return 0
