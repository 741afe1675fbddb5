"""The ``reanalyse`` command line: one sub-command per module in :mod:`reanalyse.commands`.

Each module ``reanalyse.commands.<name>`` has a docstring whose first line is the command's
help, ``add_arguments(parser)`` and ``run(args) -> int``.  Command modules keep heavy imports
(papermill, pandas) inside ``run``, so that building the parser stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from reanalyse._version import __version__
from reanalyse.errors import ReanalyseError

#: Sub-command name -> one-line help.  The module is ``reanalyse.commands.<name>``.
COMMANDS = {
    "check": "check each claim of study files against their printed numbers",
    "run": "run every analysis as a notebook and write shareable HTML reports",
    "screen": "screen a table of printed numbers (GRIM, GRIMMER, DEBIT, p-values, baseline)",
    "extract": "find APA-style results in articles (text, PDF, HTML) and screen their p-values",
}

EXIT_OK, EXIT_CHANGED, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every sub-command's arguments."""
    parser = argparse.ArgumentParser(
        prog="reanalyse",
        description="Rebuild the tests behind trials' published claims from their printed numbers.",
    )
    parser.add_argument("--version", action="version", version=f"reanalyse {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"reanalyse.commands.{name}")
        sub = subparsers.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ran, 1 verdicts changed, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return args._module.run(args)
    except ReanalyseError as error:
        print(f"reanalyse: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
