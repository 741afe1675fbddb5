"""Generated command lines for ``reanalyse``, and the in-process call that runs one.

:func:`cli_arguments` writes the files one call needs (a study file, a table, an article) into a
folder and returns the arguments.  :func:`run_main` calls ``reanalyse.cli.main(argv)`` in this
process, with standard input empty and standard output and error captured, and returns the exit
code and what was written to standard error; the process-per-call surface runs the same
arguments as ``reanalyse`` processes.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import sys
from pathlib import Path

import generators


def _meta_table(rng: random.Random, folder: Path) -> Path:
    """A CSV table for ``reanalyse meta``: continuous or binary columns, some cells broken."""
    binary = rng.random() < 0.5
    columns = (["study", "events1", "n1", "events2", "n2"] if binary
               else ["study", "n1", "mean1", "sd1", "n2", "mean2", "sd2"])
    if rng.random() < 0.1:
        columns = rng.sample(columns, len(columns) - 1)
    rows = []
    for index in range(rng.choice([0, 1, 2, 3, 5, 20])):
        row = []
        for column in columns:
            if column == "study":
                cell = rng.choice([f"s{index}", "", "=HYPERLINK(1)", "a\nb", "s1"])
            elif rng.random() < 0.15:
                cell = generators.printed_number(rng)
            elif column.startswith("n"):
                cell = str(rng.choice([0, 1, 2, 10, 50, 1000, 10**9]))
            elif column.startswith("events"):
                cell = str(rng.choice([0, 0, 1, 5, 10, 60]))
            elif column.startswith("sd"):
                cell = rng.choice(["1.2", "0", "1e-300", "3.5", "1e300"])
            else:
                cell = rng.choice(["5.19", "-2", "0", "1e300", "12.10"])
            row.append(cell)
        rows.append(row)
    path = folder / "meta.csv"
    text = ",".join(columns) + "\n" + "".join(
        ",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def cli_arguments(rng: random.Random, folder: Path) -> list[str]:
    """Arguments for one ``reanalyse`` call, with files written into ``folder``."""
    command = rng.choice(["check", "screen", "extract", "new", "meta", "check", "screen",
                          "extract", "meta"])
    options = {"check": [["--alpha", rng.choice(["0.9", "1e-300", "nan", "0.05", "x"])],
                         ["--rounding", rng.choice(["bad", "half_up"])], ["--format", "json"],
                         ["--fail-on", rng.choice(["fragile", "nonsense", ""])], ["--quiet"],
                         ["--boschloo", rng.choice(["always", "never"])]],
               "screen": [["--check", rng.choice(["grim", "cutoff", "nonsense", "statistic"])],
                          ["--format", rng.choice(["csv", "json", "html"])],
                          ["--alpha", rng.choice(["0.9", "inf", "0.05"])],
                          ["--level", "variable"]],
               "extract": [["--max-size", rng.choice(["inf", "nan", "0", "1", "-1", "1e300"])],
                           ["--max-pages", rng.choice(["0", "1", "x"])],
                           ["--max-tokens", rng.choice(["0", "10", "-5"])],
                           ["--format", rng.choice(["csv", "json", "html"])],
                           ["--two-sided-only"], ["--jobs", rng.choice(["0", "1", "-3"])]],
               "new": [["--root", str(folder)], ["--check"]],
               "meta": [["--method", rng.choice(["FE", "DL", "REML", "PM", "MH", "PETO", "x"])],
                        ["--hksj"], ["--format", rng.choice(["table", "json", "csv"])],
                        ["--level", rng.choice(["0.95", "1", "0", "nan", "0.999999"])],
                        ["--zero-cells", rng.choice(["revman", "metafor"])]]}[command]
    arguments = [command]
    for option in rng.sample(options, rng.randrange(len(options) + 1)):
        arguments += option
    if command == "new":
        if "--root" not in arguments:
            arguments += ["--root", str(folder)]
        arguments.append(rng.choice(["ok-id", "a" * 300, "nl\n", "Bad Id", "x" * 100, "-x",
                                     f"id-{rng.randrange(10**9)}"]))
        return arguments
    if command == "meta":
        arguments += ["--measure", rng.choice(["MD", "SMD", "OR", "RR", "RD", "md", "x"])]
    roll = rng.random()
    if roll < 0.15:
        arguments.append(rng.choice(["a/" * 2500, "/dev/zero", "/nonexistent", "", ".",
                                     "/proc/self/status", str(folder)]))
    elif command == "check":
        text, stem = generators.study_text(rng)
        path = folder / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        arguments.append(str(path))
    elif command == "screen":
        arguments.append(str(generators.table_file(rng, folder)))
    elif command == "meta":
        arguments.append(str(_meta_table(rng, folder)))
    else:
        kind = rng.choice(["txt", "html", "pdf"])
        path = folder / f"article.{kind}"
        if kind == "txt":
            path.write_text(generators.article_text(rng), encoding="utf-8")
        elif kind == "html":
            path.write_bytes(generators.article_html(rng))
        else:
            path.write_bytes(generators.article_pdf(rng))
        arguments.append(str(path))
    return arguments


def run_main(arguments: list[str], folder: Path) -> tuple[object, str]:
    """``reanalyse.cli.main(arguments)`` in this process, in ``folder``: (exit code, standard
    error).  A ``SystemExit`` (argparse's refusals, ``--version``) gives its code; any other
    exception propagates (it is a finding)."""
    from reanalyse.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace")
    here = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            saved_stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(b""))
            try:
                code = main(arguments)
            except SystemExit as stop:
                code = 0 if stop.code is None else stop.code
            finally:
                sys.stdin = saved_stdin
    finally:
        os.chdir(here)
    err.flush()
    return code, err.buffer.getvalue().decode("utf-8", "replace")
