"""The exceptions ``reanalyse`` raises, each with structured fields a program can read."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ReanalyseError", "InputFileError", "StudyFileError", "AnalysisFileError",
           "PrintedNumberError"]


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
    """

    kind = "input file"

    def __init__(self, path, problem: str, *, field: str | None = None, value=None,
                 line: int | None = None, hint: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.field = field
        self.value = value
        self.line = line
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """One readable paragraph: ``file:line: field = value: problem (hint: ...)``."""
        where = str(self.path) + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.field:
            parts.append(f"{self.field}" + ("" if self.value is None else f" = {self.value!r}"))
        text = ": ".join(parts) + f": {self.problem}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict:
        """JSON-ready form of the error."""
        return {"kind": self.kind, "path": str(self.path), "line": self.line, "field": self.field,
                "value": None if self.value is None else str(self.value),
                "problem": self.problem, "hint": self.hint}


class StudyFileError(InputFileError):
    """A study file (``data/<study>.yaml``) is not valid."""

    kind = "study file"


class AnalysisFileError(InputFileError):
    """An analysis file (``analyses/<name>.yaml``) is not valid."""

    kind = "analysis file"


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
