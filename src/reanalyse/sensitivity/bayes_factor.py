"""How to read a non-significant result: the JZS Bayes factor from a summary t statistic
(Rouder et al. 2009; ``pingouin.bayesfactor_ttest``, as R's ``BayesFactor::ttest.tstat``), so
that "no difference" can be read as evidence of absence (BF10 <= 1/3), absence of evidence
(1/3 < BF10 < 3) or, despite p > alpha, evidence of a difference (BF10 >= 3); the thresholds
are Jeffreys' (1961) "moderate" bands.  Results are cached (least recently used, bounded).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from reanalyse.sensitivity._common import check_sizes, clean, fmt, record_dict

__all__ = ["READINGS", "BayesFactorResult", "bayes_factor_t"]

#: How a Bayes factor BF10 reads (Jeffreys' bands at 1/3 and 3).
READINGS = {"evidence_of_absence": "evidence of no difference",
            "absence_of_evidence": "too little evidence either way",
            "evidence_of_difference": "evidence of a difference"}


def _reading(bf10: float) -> str:
    if bf10 <= 1 / 3:
        return "evidence_of_absence"
    if bf10 >= 3:
        return "evidence_of_difference"
    return "absence_of_evidence"


@dataclass(frozen=True)
class BayesFactorResult:
    """The JZS Bayes factor of a two-sample t statistic (two-sided).

    Attributes
    ----------
    t, t_min, t_max : float
        The t statistic at the printed values and its range over their rounding.
    treat_n, control_n : int
    r : float
        Scale of the Cauchy prior on the standardised effect (0.707: "medium").
    bf10, bf10_min, bf10_max : float
        Evidence for a difference over no difference, and its range over the t range.
        Each is a numerical integral (pingouin's ``bayesfactor_ttest``, about 0.1 ms), made
        on first read and kept: a batch that reads only verdicts does not pay for them.
    """

    t: float
    t_min: float
    t_max: float
    treat_n: int
    control_n: int
    r: float

    computed = True

    @functools.cached_property
    def bf10(self) -> float:
        """BF10 at the printed t."""
        return _bf10(abs(self.t), self.treat_n, self.control_n, self.r)

    @functools.cached_property
    def bf10_min(self) -> float:
        """BF10 at the smallest |t| of the range (0 when the range holds 0)."""
        low = (0.0 if self.t_min <= 0 <= self.t_max
               else min(abs(self.t_min), abs(self.t_max)))
        return _bf10(low, self.treat_n, self.control_n, self.r)

    @functools.cached_property
    def bf10_max(self) -> float:
        """BF10 at the largest |t| of the range."""
        high = max(abs(self.t_min), abs(self.t_max))
        return _bf10(high, self.treat_n, self.control_n, self.r)

    @property
    def reading(self) -> str:
        """``evidence_of_absence``, ``absence_of_evidence`` or ``evidence_of_difference``
        (at the printed values)."""
        return _reading(self.bf10)

    @property
    def reading_stable(self) -> bool:
        """Whether the reading is the same over the whole rounding range."""
        return _reading(self.bf10_min) == _reading(self.bf10_max)

    @property
    def explanation(self) -> str:
        """One sentence."""
        span = ("" if fmt(self.bf10_min, 2) == fmt(self.bf10_max, 2)
                else f", {fmt(self.bf10_min, 2)} to {fmt(self.bf10_max, 2)} over the rounding")
        return (f"The Bayes factor for a difference is BF10 = {fmt(self.bf10, 2)}{span} "
                f"(t = {self.t:.2f}, Cauchy prior scale {self.r:g}): "
                f"{READINGS[self.reading]}.")

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = record_dict(self)
        explanation = data.pop("explanation")
        data.update(bf10=self.bf10, bf10_min=self.bf10_min, bf10_max=self.bf10_max,
                    explanation=explanation, computed=True,
                    bf01=1 / self.bf10 if self.bf10 else None,
                    reading=self.reading, reading_stable=self.reading_stable)
        return clean(data)


def bayes_factor_t(t: float, treat_n: int, control_n: int, *, t_min: float | None = None,
                   t_max: float | None = None, r: float = 0.707) -> BayesFactorResult:
    """JZS Bayes factor BF10 for a two-sample t statistic (two-sided), via pingouin.

    Compares H1: standardised effect ~ Cauchy(0, r) with H0: no effect (Rouder et al. 2009).
    BF10 grows with |t|, so over a range [t_min, t_max] its extremes are at the smallest |t|
    (0 when the range contains 0) and the largest.  The integrals are made when the result's
    ``bf10``, ``bf10_min`` or ``bf10_max`` is first read.

    Parameters
    ----------
    t : float
        Student's t at the printed values.
    treat_n, control_n : int
    t_min, t_max : float, optional
        The t range over the rounding of the printed numbers (default: ``t`` itself).
    r : float
        Prior scale.
    """
    check_sizes(treat_n, control_n)
    t_min = t if t_min is None else t_min
    t_max = t if t_max is None else t_max
    return BayesFactorResult(float(t), float(t_min), float(t_max), int(treat_n), int(control_n),
                             float(r))


@functools.lru_cache(maxsize=4096)
def _bf10(abs_t: float, treat_n: int, control_n: int, r: float) -> float:
    """pingouin's BF10, which depends on t through t**2 only (hence cached on |t|)."""
    # imported here: pingouin takes about two seconds to import, which every `reanalyse check`
    # would otherwise pay whether or not a Bayes factor is needed
    import pingouin

    try:
        return float(pingouin.bayesfactor_ttest(abs_t, treat_n, control_n, r=r))
    except ZeroDivisionError:  # the null's density at t underflows: BF10 is unbounded
        return math.inf
