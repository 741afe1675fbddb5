"""The options of a check: significance level, rounding convention, defensible tests, and when
Boschloo's test is computed.  One record, read from the command line or an analysis file and
handed to every step of the check."""

from __future__ import annotations

from dataclasses import dataclass

from reanalyse.errors import OptionError
from reanalyse.kernels.printed import Rounding
from reanalyse.kernels.pvalues import alpha_problem
from reanalyse.model import tests

__all__ = ["CheckOptions", "BOSCHLOO_POLICIES"]

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
        """Check every option; a bad one is an :class:`~reanalyse.errors.OptionError`."""
        object.__setattr__(self, "rounding", Rounding.parse(self.rounding))
        if self.boschloo not in BOSCHLOO_POLICIES:
            raise OptionError(f"boschloo must be one of {', '.join(BOSCHLOO_POLICIES)}, got "
                              f"{self.boschloo!r}")
        if self.alpha is not None and alpha_problem(self.alpha):
            raise OptionError(f"{alpha_problem(self.alpha)} (e.g. 0.05)")
        if isinstance(self.defensible, str):
            raise OptionError(f"defensible must be a list of test names, got the text "
                              f"{self.defensible!r}; e.g. defensible=['student_t', 'welch_t']")
        unknown = set(self.defensible or ()) - set(tests.spec_names())
        if unknown:
            raise OptionError(f"unknown spec names in defensible: {sorted(unknown)}; "
                              f"known: {', '.join(tests.spec_names())}")

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"alpha": self.alpha, "rounding": self.rounding.value,
                "defensible": None if self.defensible is None else list(self.defensible),
                "boschloo": self.boschloo}
