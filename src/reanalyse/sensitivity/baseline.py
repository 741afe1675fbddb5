"""Baseline balance: are the arms as alike at baseline as randomisation makes them?

Under randomisation, each baseline variable's p-value for a difference between the arms is
uniform on [0, 1].  Carlisle (2017, Anaesthesia 72:944-952) combines a trial's baseline p-values
with Stouffer's method: z = sum(z_i) / sqrt(k) with z_i = Phi^-1(1 - p_i), combined p = 1 - Phi(z).
A combined p near 0 says the arms differ more than chance allows (*imbalance*: failed
randomisation, or selective reporting); a combined p near 1 says they are more alike than chance
allows (*similarity*: baseline numbers that were not measured independently, or were invented).

Per-variable p-values: Student's t from each arm's printed n, mean and SD (continuous), and
Pearson's chi-square from counts (binary), each over the rounding of the printed numbers (via
:mod:`reanalyse.rebuild.continuous` and the feasible counts of a printed percentage).  Where the paper
prints only a p-value for a baseline variable, its rounding interval is used.  Stouffer's
combined p increases with every p_i, so its extremes over the rounding are the combination of
the per-variable lower ends and of the upper ends, with the one rule of
:mod:`reanalyse.kernels.combine` for a p of exactly 0 or 1 (a variable whose p can reach 1 makes
the combined p_max 1).  A variable whose printed values give p = 1 exactly (means printed equal)
enters the central combination at the midpoint of its p-interval, as in
:mod:`reanalyse.screens.baseline`, the table-based screen of many trials.

The flag thresholds (combined p below 0.001 for imbalance, above 0.999 for similarity, both
across the whole rounding interval) are those of the table screen's default ``flag_alpha``, far
stricter than the 0.05 bands Carlisle tabulated: a flag becomes a reason on every claim of the
study, and baseline variables are rarely independent, which spreads trial p-values towards 0
and 1 more than chance alone would.
"""

from __future__ import annotations

from dataclasses import dataclass

from reanalyse.kernels.combine import central_pvalue, stouffer
from reanalyse.rebuild.continuous import ArmBox, two_sample_tests
from reanalyse.kernels.printed import PrintedP, Rounding
from reanalyse.kernels.pformat import format_p
from reanalyse.sensitivity._common import clean, record_dict
from reanalyse.kernels.twobytwo import PEARSON_CHI2, pvalue_window
from reanalyse.model import tests

__all__ = ["BaselineVariable", "BaselineBalance", "baseline_variable_continuous",
           "baseline_variable_counts", "baseline_variable_printed", "baseline_balance"]

@dataclass(frozen=True)
class BaselineVariable:
    """One baseline variable's p-value for a difference between the arms.

    Attributes
    ----------
    name : str
        The variable (an outcome id or label).
    test : str
        ``student_t``, ``pearson_chi2`` or ``printed_p``.
    p, p_min, p_max : float
        At the printed values, and its extremes over their rounding.
    """

    name: str
    test: str
    p: float
    p_min: float
    p_max: float

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {key: value for key, value in record_dict(self).items() if key != "explanation"}

    @property
    def p_combined(self) -> float:
        """The p entering the trial's central combination: ``p``, or the midpoint of
        [p_min, p_max] where ``p`` is exactly 0 or 1 (means printed equal: a tie that rounding
        made, whose infinite z would decide the combination on its own):
        :func:`reanalyse.kernels.combine.central_pvalue`, as the table screen uses."""
        return central_pvalue(self.p, self.p_min, self.p_max)

    @property
    def explanation(self) -> str:
        """``name: p = ...``."""
        return f"{self.name}: p = {format_p(self.p)}"


def baseline_variable_continuous(name: str, treat: ArmBox, control: ArmBox) -> BaselineVariable:
    """Student's t-test p (two-sided) over the rounding box of the printed means and SDs."""
    student, _ = two_sample_tests(treat, control)
    return BaselineVariable(name, tests.STUDENT_T, student.p, student.p_min, student.p_max)


def baseline_variable_counts(name: str, treat_events, treat_n: int, control_events,
                             control_n: int) -> BaselineVariable:
    """Pearson's chi-square p over every feasible count pair (printed or closest pair first)."""
    p = pvalue_window(PEARSON_CHI2, treat_n, control_n, list(treat_events), list(control_events))
    return BaselineVariable(name, PEARSON_CHI2, float(p[0, 0]), float(p.min()), float(p.max()))


def baseline_variable_printed(name: str, printed: PrintedP,
                              rounding: Rounding | str) -> BaselineVariable | None:
    """The interval a printed baseline p stands for under ``rounding``; None when it is a bound
    (``< .05``, ``ns``)."""
    if printed.relation != "=":
        return None
    low, high = printed.interval(0.05, rounding)
    return BaselineVariable(name, "printed_p", printed.value, low, high)


@dataclass(frozen=True)
class BaselineBalance:
    """Carlisle's check over a trial's baseline variables.

    Attributes
    ----------
    variables : tuple of BaselineVariable
    combined_p, combined_p_min, combined_p_max : float
        Stouffer's combination at the printed values and over the rounding.
    imbalance_below, similarity_above : float
        The flag thresholds.
    """

    variables: tuple[BaselineVariable, ...]
    combined_p: float
    combined_p_min: float
    combined_p_max: float
    imbalance_below: float = 0.001
    similarity_above: float = 0.999

    computed = True

    @property
    def flag(self) -> str | None:
        """``imbalance``, ``similarity`` or None (only when the whole interval is beyond)."""
        if self.combined_p_max < self.imbalance_below:
            return "imbalance"
        if self.combined_p_min > self.similarity_above:
            return "similarity"
        return None

    def _combined_text(self) -> str:
        if format_p(self.combined_p_min) == format_p(self.combined_p_max):
            return f"p = {format_p(self.combined_p)}"
        return f"p = {format_p(self.combined_p)}, {format_p(self.combined_p_min)} to " \
               f"{format_p(self.combined_p_max)} over the rounding"

    @property
    def explanation(self) -> str:
        """One sentence."""
        count = len(self.variables)
        text = (f"Combining the {count} baseline p-value{'s' if count != 1 else ''} by "
                f"Stouffer's method gives {self._combined_text()}")
        if self.flag == "imbalance":
            return text + ": the arms differ at baseline more than randomisation usually allows."
        if self.flag == "similarity":
            return text + ": the arms are more alike at baseline than randomisation usually gives."
        return text + ", as randomisation would give."

    @property
    def fragile_reason(self) -> str | None:
        """A clause for the verdict when the baseline is suspicious, else None."""
        if self.flag == "imbalance":
            return (f"the arms differ at baseline more than randomisation usually allows "
                    f"(Stouffer's combined {self._combined_text()})")
        if self.flag == "similarity":
            return (f"the arms are more alike at baseline than randomisation usually gives "
                    f"(Stouffer's combined {self._combined_text()})")
        return None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = record_dict(self)
        data.update(computed=True, flag=self.flag, fragile_reason=self.fragile_reason)
        return clean(data)


def baseline_balance(variables, *, imbalance_below: float = 0.001,
                     similarity_above: float = 0.999) -> BaselineBalance:
    """Stouffer's combination of baseline p-values (Carlisle 2017), with its rounding interval.

    Tests H0: the arms are samples from one population at baseline (randomisation worked and the
    numbers were measured), with every variable's two-sided p-value uniform under H0.

    Parameters
    ----------
    variables : sequence of BaselineVariable
        At least one.
    imbalance_below, similarity_above : float
        Flag thresholds for the combined p (see the module docstring).

    Returns
    -------
    BaselineBalance
    """
    variables = tuple(variables)
    if not variables:
        raise ValueError("baseline_balance needs at least one baseline variable")
    return BaselineBalance(variables, stouffer([v.p_combined for v in variables]).pvalue,
                           stouffer([v.p_min for v in variables]).pvalue,
                           stouffer([v.p_max for v in variables]).pvalue, imbalance_below,
                           similarity_above)
