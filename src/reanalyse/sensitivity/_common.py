"""Pieces shared by the sensitivity analyses: JSON cleaning, wording, and the record of an
analysis that could not be run."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from reanalyse.rebuild.results import clean, fields_dict

__all__ = ["NotComputed", "clean", "fmt", "check_sizes"]


def record_dict(record) -> dict:
    """A frozen record's fields, cleaned, plus its ``explanation``."""
    data = fields_dict(record)
    data["explanation"] = record.explanation
    return data


def fmt(value: float, digits: int = 3) -> str:
    """A number for a sentence, to ``digits`` significant digits."""
    return f"{value:.{digits}g}"


@dataclass(frozen=True)
class NotComputed:
    """An analysis that could not be run, and which printed numbers it lacks.

    Attributes
    ----------
    analysis : str
        Which analysis (``fragility``, ``attrition``, ``dichotomisation``, ``baseline``,
        ``allowance``, ``bayes_factor``).
    missing : tuple of str
        The numbers that were not printed (empty when the analysis does not apply).
    reason : str
        Why, in one sentence.
    """

    analysis: str
    reason: str
    missing: tuple[str, ...] = ()

    computed = False

    @property
    def explanation(self) -> str:
        """``Not computed: <reason> (missing: ...).``"""
        missing = f" (missing: {'; '.join(self.missing)})" if self.missing else ""
        return f"Not computed: {self.reason}{missing}."

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"analysis": self.analysis, "computed": False, "missing": list(self.missing),
                "reason": self.reason, "explanation": self.explanation}


def check_sizes(treat_n, control_n, minimum=2):
    """Refuse arm sizes that are not whole numbers of at least ``minimum`` (naming the arm)."""
    for name, n in (("treat_n", treat_n), ("control_n", control_n)):
        if not ((type(n) is int or isinstance(n, numbers.Integral)) and n >= minimum):
            raise ValueError(f"{name} must be a whole number of at least {minimum}, got {n!r}")
