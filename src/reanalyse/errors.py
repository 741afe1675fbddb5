"""The exceptions ``reanalyse`` raises, each with structured fields a program can read."""

from __future__ import annotations

import itertools
from pathlib import Path

__all__ = ["ReanalyseError", "InputFileError", "StudyFileError", "AnalysisFileError",
           "ReviewFileError", "PrintedNumberError", "OptionError", "WorkBudgetExceeded",
           "excerpt"]

#: Longest value an error quotes.
EXCERPT = 80


def excerpt(value):
    """``value`` itself when its text is short; otherwise its first characters, marked as cut.

    Bounded in time and size whatever the value (a whole file's text, a deep or
    self-sharing structure): the text is built piece by piece and stops at the limit.
    """
    pieces: list[str] = []
    _pieces(value, pieces, [0])
    text = "".join(pieces)
    if len(text) <= EXCERPT:
        return value if isinstance(value, (type(None), bool, int, float, list, dict)) \
            and not isinstance(value, str) else str(value) if isinstance(value, str) else text
    return text[:EXCERPT - 3] + "..."


def _pieces(value, pieces: list, used: list) -> None:
    """Append the text of ``value`` to ``pieces`` until ``used[0]`` passes the limit."""
    if used[0] > EXCERPT:
        return
    if isinstance(value, dict):
        parts = [("{", None)] + [(None, item) for item in itertools.islice(value.items(), EXCERPT)] \
            + [("}", None)]
    elif isinstance(value, (list, tuple)):
        parts = [("[", None)] + [(None, (item,)) for item in itertools.islice(value, EXCERPT)] + [("]", None)]
    else:
        text = value if isinstance(value, str) else repr(value)[:EXCERPT + 3]
        pieces.append(text[:EXCERPT + 3])
        used[0] += len(pieces[-1])
        return
    for position, (mark, item) in enumerate(parts):
        if used[0] > EXCERPT:
            return
        if mark is not None:
            pieces.append(mark)
            used[0] += 1
            continue
        if position > 1:
            pieces.append(", ")
            used[0] += 2
        if len(item) == 2:
            _pieces(item[0], pieces, used)
            pieces.append(": ")
            used[0] += 2
            _pieces(item[1], pieces, used)
        else:
            _pieces(item[0], pieces, used)


def _shortened(path: str) -> str:
    """A path as a message quotes it: its first and last characters when it is very long."""
    return path if len(path) <= 200 else path[:100] + "..." + path[-97:]


class ReanalyseError(Exception):
    """Base class: every error this package raises on purpose."""


class InputFileError(ReanalyseError):
    """A file given to ``reanalyse`` is not valid.

    Parameters
    ----------
    path : str or Path
        The file.
    problem : str
        What is wrong, in one sentence.
    field : str, optional
        Where in the file, as a dotted path (``outcomes[0].arms.massage.sd``).
    value : object, optional
        The offending value, as written.
    line : int, optional
        1-based line number in the file.
    hint : str, optional
        How to put it right.

    Attributes
    ----------
    problems : tuple of InputFileError
        Every problem found in the file, this one first (see :meth:`collect`); the fields
        above are those of the first.
    """

    kind = "input file"

    def __init__(self, path, problem: str, *, field: str | None = None, value=None,
                 line: int | None = None, hint: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.field = field
        self.value = excerpt(value)
        self.line = line
        self.hint = hint
        self.problems = (self,)
        super().__init__(self.describe())

    @classmethod
    def collect(cls, errors) -> "InputFileError":
        """One error holding several problems of a file, in the order found.

        The first problem gives the error's own fields; :meth:`describe` lists them all,
        one per line, and :meth:`to_dict` adds them as ``problems``.
        """
        errors = list(errors)
        first = errors[0]
        first.problems = tuple(errors)
        first.args = (first.describe(),)
        return first

    def describe(self) -> str:
        """One readable paragraph per problem: ``file:line: field = value: problem`` and a
        ``hint:`` line."""
        if len(self.problems) > 1:
            return f"{len(self.problems)} problems in {_shortened(str(self.path))}:\n" + "\n".join(
                problem._describe_one() for problem in self.problems)
        return self._describe_one()

    def _describe_one(self) -> str:
        where = _shortened(str(self.path)) + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.field:
            parts.append(f"{self.field}" + ("" if self.value is None else f" = {self.value!r}"))
        text = ": ".join(parts) + f": {self.problem}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict:
        """JSON-ready form of the error (``problems``: every problem, when there are several)."""
        data = {"kind": self.kind, "path": str(self.path), "line": self.line,
                "field": self.field, "value": None if self.value is None else str(self.value),
                "problem": self.problem, "hint": self.hint}
        if len(self.problems) > 1:
            data["problems"] = [problem._one_dict() for problem in self.problems]
        return data

    def _one_dict(self) -> dict:
        return {"line": self.line, "field": self.field,
                "value": None if self.value is None else str(self.value),
                "problem": self.problem, "hint": self.hint}


class StudyFileError(InputFileError):
    """A study file (``data/<study>.yaml``) is not valid."""

    kind = "study file"


class AnalysisFileError(InputFileError):
    """An analysis file (``analyses/<name>.yaml``) is not valid."""

    kind = "analysis file"


class ReviewFileError(InputFileError):
    """A review file (``reviews/<review>.yaml``) is not valid."""

    kind = "review file"


class OptionError(ReanalyseError, ValueError):
    """An option given to ``reanalyse`` is not valid: a rounding convention, a significance
    level, a policy, a test or check name, or a set of columns no check reads.

    The message names the option, the value given and what is allowed.  It is also a
    ``ValueError``, as a bad argument value is in Python.
    """


class PrintedNumberError(ReanalyseError, ValueError):
    """A text that cannot be read as a printed number or p-value.

    Parameters
    ----------
    text : str
        The text as given.
    problem : str
        What is wrong with it.
    hint : str
        How to write it instead.
    """

    def __init__(self, text: str, problem: str, hint: str):
        self.text = text
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}: {text!r} ({hint})")

    def to_dict(self) -> dict:
        """JSON-ready form of the error."""
        return {"kind": "printed number", "text": self.text, "problem": self.problem,
                "hint": self.hint}


class WorkBudgetExceeded(ReanalyseError):
    """A question was not settled within its work budget.

    Budgets count steps or integer programmes, never seconds, so the same input runs out at
    the same place on every machine.  What ran out is in the message; the question is left
    open (undetermined), never answered by a guess.
    """
