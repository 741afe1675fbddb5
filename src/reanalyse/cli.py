"""The ``reanalyse`` command line: one sub-command per module in :mod:`reanalyse.commands`.

Each module ``reanalyse.commands.<name>`` has a docstring whose first line is the command's
help, ``add_arguments(parser)`` and ``run(args) -> int``.  Command modules keep heavy imports
(papermill, pandas) inside ``run``, so that building the parser stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from reanalyse._version import __version__
from reanalyse.errors import ReanalyseError, excerpt

#: Sub-command name -> one-line help.  The module is ``reanalyse.commands.<name>``.
COMMANDS = {
    "check": "check each claim of study files against their printed numbers",
    "run": "run every analysis as a notebook and write shareable HTML reports",
    "screen": "screen a table of printed numbers (GRIM, GRIMMER, DEBIT, p-values, baseline)",
    "extract": "find APA-style results in articles (text, PDF, HTML) and screen their p-values",
    "new": "write a study file and its analysis from a commented template, ready to fill in",
    "meta": "pool a table of studies' printed numbers (MD, SMD, OR, RR, RD; FE, DL, REML, PM, "
            "MH, Peto)",
}

EXIT_OK, EXIT_CHANGED, EXIT_BAD_INPUT = 0, 1, 2


def plain_text(text: str | None) -> str | None:
    """A docstring as ``--help`` shows it: reST roles (``:func:`x` ``) and literals
    (````x````) as plain text."""
    if text is None:
        return None
    text = re.sub(r":[a-z]+:`(~?)([^`]+)`",
                  lambda match: match.group(2).rsplit(".", 1)[-1] if match.group(1)
                  else match.group(2), text)
    return re.sub(r"``([^`]+)``", r"\1", text)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every sub-command's arguments."""
    parser = argparse.ArgumentParser(
        prog="reanalyse",
        description="Rebuild the tests behind trials' published claims from their printed numbers.",
        epilog="Run 'reanalyse COMMAND --help' for a command's options. Without a command, "
               "this help is printed and the exit status is 2.",
    )
    parser.add_argument("--version", action="version", version=f"reanalyse {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"reanalyse.commands.{name}")
        sub = subparsers.add_parser(name, help=help_text,
                                    description=plain_text(module.__doc__),
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ran, 1 verdicts changed, 2 bad input).

    A deliberate error (:class:`ReanalyseError`) or a refusal of the file system (``OSError``:
    a name too long, permission denied) is one message on standard error and exit code 2.

    With no command at all, the help is printed to standard output and the exit code is 2.
    """
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()
        return EXIT_BAD_INPUT
    args = parser.parse_args(argv)
    try:
        return args._module.run(args)
    except ReanalyseError as error:
        print(f"reanalyse: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
    except OSError as error:  # the file system refused: a name too long, permission denied
        name = "" if error.filename is None else f"{excerpt(str(error.filename))}: "
        print(f"reanalyse: {name}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
