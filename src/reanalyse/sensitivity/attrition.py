"""Bounds on a result when fewer participants were analysed than randomised.

The missing participants of each arm are imputed under stated, extreme assumptions and the test
is redone on everyone randomised; the claim *survives* when every scenario keeps its decision
(and, for a significant claim, the direction of the difference).

Binary outcomes (:func:`attrition_bounds_binary`): the missing all had the event, none did, and
each arm's extreme (every missing participant of one arm had the event and none of the other).
These four corners hold the largest and smallest risk differences any imputation can give.

Continuous outcomes (:func:`attrition_bounds_continuous`): every missing participant of an arm
is given one value, at the scale's lower or upper bound, or at the arm's observed mean minus or
plus ``k_sd`` SDs (clipped to the scale), in the four combinations of low/high per arm.  Each
arm's mean and SD are then those of its observed and imputed values together:

    M = (n m + r v) / (n + r),   S**2 = ((n - 1) s**2 + n (m - M)**2 + r (v - M)**2) / (n + r - 1)

for n observed values with mean m and SD s, and r imputed values v.  Imputing one value per arm
shrinks the spread of the imputed part, as single imputation does; the scenarios bound the mean
difference, not the variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from reanalyse.model import tests
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.pvalues import significant as p_significant
from reanalyse.sensitivity._common import clean, fmt, record_dict
from reanalyse.text import plural
from reanalyse.kernels.twobytwo import FISHER_EXACT, pvalues

__all__ = ["AttritionScenario", "AttritionResult", "attrition_bounds_binary",
           "attrition_bounds_continuous", "combine_with_imputed"]


@dataclass(frozen=True)
class AttritionScenario:
    """The test redone on everyone randomised under one imputation of the missing.

    Attributes
    ----------
    name : str
        Stable name (``none_had_event``, ``treat_low_control_high``, ...).
    description : str
        The assumption, in words.
    treat_imputed, control_imputed : float
        The imputed value per arm: events among the missing (binary) or the value given to each
        missing participant (continuous).
    treat_estimate, control_estimate : float
        Each arm's proportion (binary) or mean (continuous) after imputation.
    p : float
        The test's p-value after imputation.
    significant : bool
        ``p <= alpha``.
    survives : bool
        Whether the claim's decision (and direction, when significant) holds.
    """

    name: str
    description: str
    treat_imputed: float
    control_imputed: float
    treat_estimate: float
    control_estimate: float
    p: float
    significant: bool
    survives: bool

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {key: value for key, value in record_dict(self).items() if key != "explanation"}

    @property
    def explanation(self) -> str:
        """The scenario and its p."""
        return f"{self.description}: p = {format_p(self.p)}"


@dataclass(frozen=True)
class AttritionResult:
    """Attrition bounds: the scenarios, the range of p over them, and whether the claim survives.

    Attributes
    ----------
    outcome_type : str
        ``binary`` or ``continuous``.
    test : str
        The test redone (``fisher_exact``, ``pearson_chi2``, ``yates_chi2``, ``z_pooled``,
        ``student_t``, ``welch_t``).
    treat_missing, control_missing : int
        Participants randomised but not analysed, per arm.
    observed_p : float
        The test on the participants analysed.
    claimed_significant : bool
        The decision the claim makes.
    scenarios : tuple of AttritionScenario
    arm_labels : tuple of str
    """

    outcome_type: str
    test: str
    treat_missing: int
    control_missing: int
    alpha: float
    observed_p: float
    claimed_significant: bool
    scenarios: tuple[AttritionScenario, ...]
    arm_labels: tuple[str, str] = ("treatment", "control")

    computed = True

    @property
    def p_min(self) -> float:
        """Smallest p over the scenarios."""
        return min(s.p for s in self.scenarios)

    @property
    def p_max(self) -> float:
        """Largest p over the scenarios."""
        return max(s.p for s in self.scenarios)

    @property
    def survives(self) -> bool:
        """Whether the claim's decision holds in every scenario."""
        return all(s.survives for s in self.scenarios)

    @property
    def observed_agrees(self) -> bool:
        """Whether the test on the participants analysed gives the claimed decision."""
        return (self.observed_p <= self.alpha) == self.claimed_significant

    @property
    def failing(self) -> tuple[AttritionScenario, ...]:
        """The scenarios under which the claim does not hold, the furthest from it first."""
        failing = [s for s in self.scenarios if not s.survives]
        return tuple(sorted(failing, key=lambda s: -s.p if self.claimed_significant else s.p))

    def _lost(self) -> str:
        parts = [f"{plural(count, 'participant')} missing from the {label} arm"
                 for count, label in zip((self.treat_missing, self.control_missing),
                                         self.arm_labels) if count]
        return " and ".join(parts)

    @property
    def explanation(self) -> str:
        """One sentence: the range of p and whether the claim survives."""
        test = tests.phrase(self.test) if tests.lookup(self.test) else self.test
        text = (f"Imputing the {self._lost()} under {len(self.scenarios)} extreme assumptions "
                f"gives p from {format_p(self.p_min)} to {format_p(self.p_max)} ({test})")
        claimed = "significant" if self.claimed_significant else "not significant"
        if not self.observed_agrees:
            return text + (f"; the participants analysed already give p = "
                           f"{format_p(self.observed_p)}, so the claim that the difference is "
                           f"{claimed} does not rest on them by this test.")
        if self.survives:
            return text + f", so the claim that the difference is {claimed} survives."
        worst = self.failing[0]
        return text + f"; the claim does not survive if {worst.description} (p = {format_p(worst.p)})."

    @property
    def fragile_reason(self) -> str | None:
        """A clause for the verdict when the claim does not survive, else None (also when the
        analysed participants do not give the claimed decision: that is the rebuilt tests'
        finding, not attrition's)."""
        if self.survives or not self.observed_agrees:
            return None
        worst = self.failing[0]
        outcome = ("would no longer be significant" if self.claimed_significant
                   else "would become significant")
        if self.claimed_significant and worst.significant:
            outcome = "would be significant in the opposite direction"
        return (f"with {self._lost()}, the difference {outcome} if {worst.description} "
                f"(p = {format_p(worst.p)})")

    def to_dict(self) -> dict:
        """JSON-ready form with the range, survival and the explanation."""
        data = record_dict(self)
        data.update(computed=True, p_min=self.p_min, p_max=self.p_max, survives=self.survives,
                    observed_agrees=self.observed_agrees, fragile_reason=self.fragile_reason)
        return clean(data)


def _sign(value: float) -> int:
    value = float(value)  # a NumPy number's comparisons give NumPy booleans, which cannot subtract
    return (value > 0) - (value < 0)


def _check_missing(name: str, missing: int) -> None:
    if not (isinstance(missing, int) and missing >= 0):
        raise ValueError(f"{name}_missing must be a whole number of participants, at least 0; "
                         f"got {missing!r}")


def attrition_bounds_binary(treat_events: int, treat_n: int, treat_missing: int,
                            control_events: int, control_n: int, control_missing: int, *,
                            alpha: float = 0.05, alternative: str = "two-sided",
                            test: str = FISHER_EXACT, significant: bool | None = None,
                            arm_labels: tuple[str, str] = ("treatment", "control")
                            ) -> AttritionResult:
    """Best- and worst-case imputation of a binary outcome's missing participants.

    Tests H0: equal event proportions in the two arms (``test``, against ``alternative`` for
    treat minus control) on the table of everyone randomised, under four imputations of the
    missing: none had the event; all had it; every missing treatment participant had it and no
    missing control participant did; and the reverse.

    Parameters
    ----------
    treat_events, treat_n, control_events, control_n : int
        Events and participants analysed per arm.
    treat_missing, control_missing : int
        Participants randomised to each arm but not analysed.
    test : str
        ``fisher_exact`` (default), ``pearson_chi2``, ``yates_chi2`` or ``z_pooled``.
    significant : bool, optional
        The claimed decision; by default the test's decision on the analysed participants.

    Returns
    -------
    AttritionResult

    Notes
    -----
    Each scenario is one table, tested directly (:func:`reanalyse.kernels.twobytwo.pvalues`):
    O(log n) per table, whatever the arm sizes.
    """
    _check_missing("treat", treat_missing)
    _check_missing("control", control_missing)
    observed = float(pvalues(test, treat_events, treat_n, control_events, control_n, alternative))
    claimed = bool(p_significant(observed, alpha)) if significant is None else bool(significant)
    direction = _sign(treat_events / treat_n - control_events / control_n)
    full_t, full_c = treat_n + treat_missing, control_n + control_missing
    treat_label, control_label = arm_labels
    corners = (
        ("none_had_event", "none of the missing participants had the event", 0, 0),
        ("all_had_event", "all the missing participants had the event",
         treat_missing, control_missing),
        ("treat_all_control_none", f"every missing participant of the {treat_label} arm had the "
         f"event and none of those of the {control_label} arm did", treat_missing, 0),
        ("treat_none_control_all", f"no missing participant of the {treat_label} arm had the "
         f"event and every one of the {control_label} arm did", 0, control_missing),
    )
    scenarios, seen = [], set()
    for name, description, extra_t, extra_c in corners:
        if (extra_t, extra_c) in seen:
            continue  # an arm with nobody missing makes corners coincide
        seen.add((extra_t, extra_c))
        events_t, events_c = treat_events + extra_t, control_events + extra_c
        p = float(pvalues(test, events_t, full_t, events_c, full_c, alternative))
        moved = _sign(events_t / full_t - events_c / full_c)
        significant_here = p_significant(p, alpha)
        survives = (significant_here and moved == direction) if claimed else not significant_here
        scenarios.append(AttritionScenario(name, description, extra_t, extra_c,
                                           events_t / full_t, events_c / full_c, p,
                                           significant_here, survives))
    return AttritionResult("binary", test, treat_missing, control_missing, alpha,
                           float(observed), claimed, tuple(scenarios), tuple(arm_labels))


def combine_with_imputed(mean: float, sd: float, n: int, value: float,
                         missing: int) -> tuple[float, float, int]:
    """Mean, SD and size of ``n`` observed values joined by ``missing`` copies of ``value``."""
    total = n + missing
    combined = (n * mean + missing * value) / total
    squares = (n - 1) * sd**2 + n * (mean - combined) ** 2 + missing * (value - combined) ** 2
    return combined, math.sqrt(squares / (total - 1)), total


def attrition_bounds_continuous(treat_mean: float, treat_sd: float, treat_n: int,
                                treat_missing: int, control_mean: float, control_sd: float,
                                control_n: int, control_missing: int, *,
                                scale_min: float | None = None, scale_max: float | None = None,
                                k_sd: float = 1.0, alpha: float = 0.05,
                                alternative: str = "two-sided", equal_var: bool = True,
                                significant: bool | None = None,
                                arm_labels: tuple[str, str] = ("treatment", "control")
                                ) -> AttritionResult:
    """Extreme single-value imputations of a continuous outcome's missing participants.

    Tests H0: equal means (Student's t, or Welch's with ``equal_var=False``, against
    ``alternative`` for treat minus control) on everyone randomised, with each arm's missing
    participants all given the arm's low or high value: the scale's bounds (when both are given)
    and the observed mean -/+ ``k_sd`` SDs (clipped to the scale), in the four low/high
    combinations of the two arms.

    Parameters
    ----------
    treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n : float, int
        Each arm's analysed summary.
    treat_missing, control_missing : int
        Participants randomised to each arm but not analysed.
    scale_min, scale_max : float, optional
        Bounds of the measurement scale.
    k_sd : float
        How many SDs from the observed mean the mean-based scenarios impute.
    significant : bool, optional
        The claimed decision; by default the test's decision on the analysed participants.

    Returns
    -------
    AttritionResult
    """
    _check_missing("treat", treat_missing)
    _check_missing("control", control_missing)
    test = tests.STUDENT_T if equal_var else tests.WELCH_T

    def t_test(m1, s1, n1, m2, s2, n2) -> float:
        return float(stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal_var,
                                                alternative=alternative).pvalue)

    observed = t_test(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n)
    claimed = p_significant(observed, alpha) if significant is None else bool(significant)
    direction = _sign(treat_mean - control_mean)
    low_bound = -math.inf if scale_min is None else scale_min
    high_bound = math.inf if scale_max is None else scale_max

    def clip(value):
        return min(max(value, low_bound), high_bound)

    methods = []
    if scale_min is not None and scale_max is not None:
        methods.append(("scale", ("the scale's minimum", "the scale's maximum"),
                        (scale_min, scale_max), (scale_min, scale_max)))
    methods.append((f"mean_{k_sd:g}sd", (f"{k_sd:g} SD below their arm's mean",
                                         f"{k_sd:g} SD above their arm's mean"),
                    (clip(treat_mean - k_sd * treat_sd), clip(treat_mean + k_sd * treat_sd)),
                    (clip(control_mean - k_sd * control_sd),
                     clip(control_mean + k_sd * control_sd))))
    treat_label, control_label = arm_labels
    scenarios, seen = [], set()
    for method, words, treat_values, control_values in methods:
        for t_side, c_side in ((0, 0), (1, 1), (0, 1), (1, 0)):
            value_t, value_c = treat_values[t_side], control_values[c_side]
            key = (value_t if treat_missing else None, value_c if control_missing else None)
            if key in seen:
                continue  # an arm with nobody missing makes scenarios coincide
            seen.add(key)
            sides = ("low", "high")
            name = f"{method}_treat_{sides[t_side]}_control_{sides[c_side]}"
            parts = [f"those missing from the {label} arm scored {words[side]} ({fmt(value)})"
                     for label, side, value, missing in (
                         (treat_label, t_side, value_t, treat_missing),
                         (control_label, c_side, value_c, control_missing)) if missing]
            description = " and ".join(parts)
            m1, s1, n1 = combine_with_imputed(treat_mean, treat_sd, treat_n, value_t,
                                              treat_missing)
            m2, s2, n2 = combine_with_imputed(control_mean, control_sd, control_n, value_c,
                                              control_missing)
            p = t_test(m1, s1, n1, m2, s2, n2)
            significant_here = p_significant(p, alpha)
            survives = ((significant_here and _sign(m1 - m2) == direction) if claimed
                        else not significant_here)
            scenarios.append(AttritionScenario(name, description, value_t, value_c, m1, m2, p,
                                               significant_here, survives))
    return AttritionResult("continuous", test, treat_missing, control_missing, alpha, observed,
                           claimed, tuple(scenarios), tuple(arm_labels))
