"""The options of a check: significance level, rounding convention, defensible tests, and when
Boschloo's test is computed.  One record, read from the command line or an analysis file and
handed to every step of the check."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reanalyse.errors import OptionError
from reanalyse.kernels.printed import Rounding
from reanalyse.kernels.pvalues import ALPHA_LIMITS, alpha_problem
from reanalyse.model import tests

__all__ = ["CheckOptions", "BOSCHLOO_POLICIES", "option_problem"]

#: ``when_needed``: compute Boschloo's p only where Fisher's p is above alpha (where it is at or
#: below, Boschloo's decision is known: its p is no larger); ``always``; ``never``.
BOSCHLOO_POLICIES = ("when_needed", "always", "never")


@dataclass(frozen=True)
class CheckOptions:
    """Options of a check.

    Attributes
    ----------
    alpha : float or None
        Significance level; None uses each claim's own, else the study's.
    rounding : Rounding
        How printed numbers were rounded.
    defensible : tuple of str or None
        Spec names counted as defensible tests; the others are shown as context.  None: all.
    boschloo : str
        ``when_needed`` (default), ``always`` or ``never``; see :mod:`reanalyse.rebuild.binary`.
    """

    alpha: float | None = None
    rounding: Rounding = Rounding.NEAREST
    defensible: tuple[str, ...] | None = None
    boschloo: str = "when_needed"

    def __post_init__(self):
        """Check every option by :func:`option_problem`; a bad one is an
        :class:`~reanalyse.errors.OptionError`."""
        for name in ("alpha", "rounding", "defensible", "boschloo"):
            value = getattr(self, name)
            if name == "alpha" and value is None:
                continue
            found = option_problem(name, value)
            if found is not None:
                problem, hint = found
                raise OptionError(f"{name}: {problem}, got {value!r}; {hint}")
        object.__setattr__(self, "rounding", Rounding.parse(self.rounding))

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"alpha": self.alpha, "rounding": self.rounding.value,
                "defensible": None if self.defensible is None else list(self.defensible),
                "boschloo": self.boschloo}


def option_problem(name: str, value) -> tuple[str, str] | None:
    """What is wrong with one option's value, as ``(problem, hint)``, or None when it is good.

    The one rule for each option, read by :class:`CheckOptions` and by the analysis file loader
    (which names the file, line and field beside it).

    >>> option_problem("boschloo", "sometimes")
    ('unknown Boschloo policy', 'one of when_needed, always, never')
    >>> option_problem("alpha", 0.05) is None
    True
    """
    if name == "alpha":
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else None
        if number is None or alpha_problem(number):
            return (f"alpha must be a number between {ALPHA_LIMITS[0]:g} and "
                    f"{ALPHA_LIMITS[1]:g}", "e.g. alpha: 0.05")
        return None
    if name == "rounding":
        try:
            Rounding.parse(value)
        except OptionError as error:
            return "unknown rounding convention", str(error).split("; ")[-1]
        return None
    if name == "defensible":
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value \
                or not all(isinstance(item, str) for item in value):
            return ("defensible must be a list of test names",
                    "e.g. defensible: [student_t, welch_t]")
        for item in value:
            if item not in tests.spec_names():
                close = difflib.get_close_matches(item, tests.spec_names(), n=1)
                return (f"unknown test name {item!r} in defensible",
                        (f"did you mean '{close[0]}'? " if close else "")
                        + "known tests: " + ", ".join(tests.spec_names()))
        return None
    if name == "boschloo":
        if value not in BOSCHLOO_POLICIES:
            return "unknown Boschloo policy", "one of " + ", ".join(BOSCHLOO_POLICIES)
        return None
    raise OptionError(f"unknown option {name!r}; known: alpha, rounding, defensible, boschloo")
