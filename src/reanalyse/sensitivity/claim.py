"""Every sensitivity analysis for one claim, from the study model: :func:`claim_sensitivity`.

Which analyses apply, and what they read from the study:

``fragility``
    Binary outcomes with each arm's n and events (or percentage: then over every feasible
    count pair).  Compared with the number lost to follow-up.
``attrition``
    When an arm's analysed n is below the number randomised to it (``Arm.randomised``).
``dichotomisation``
    A binary outcome with ``derived_from`` and ``cutoff`` (or the continuous outcome it is
    derived from), when both outcomes' per-arm numbers are printed.
``cutoff``
    Exact bounds beyond a cut-off (:mod:`reanalyse.sensitivity.cutoff`): a binary outcome
    ``derived_from`` a continuous one whose scale has min, max and items, or such a continuous
    outcome itself (whether any dataset fits its means and SDs).  Its
    :attr:`~reanalyse.sensitivity.cutoff.CutoffAnalysis.impossible_reasons` reach the verdict
    as impossible inputs (:attr:`ClaimSensitivity.impossible_reasons`).
``baseline``
    The study's ``baseline: true`` outcomes (the same for every claim of the study).
``allowance``
    The arm sizes: analysed n, else the number randomised.  What applies to the outcome: the
    smallest significant SMD and the power of a t-test for a continuous outcome, the smallest
    significant count differences for a binary one; both when the outcome's per-arm numbers
    are not printed, since then the sample is all a reader has to judge the claim by.
``bayes_factor``
    Non-significant claims on a continuous outcome (Student's t rebuilt from the printed
    means and SDs, or the printed t).

Each is either a result object or a :class:`NotComputed` that names what is missing.
:attr:`ClaimSensitivity.fragile_reasons` collects the analyses that overturn or undermine the
claim, as clauses the verdict joins into its reason.  Exact analyses only: the dichotomisation
reading is a distributional model, so it reaches the claim as a labelled note
(:attr:`ClaimSensitivity.model_notes`), never as a reason for a verdict; where the exact bounds
beyond the cut-off can be computed they decide (as impossible inputs), and where they cannot,
the model still only adds a note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reanalyse.rebuild.binary import CountPairs
from reanalyse.rebuild.continuous import ArmBox, two_sample_tests
from reanalyse.kernels.printed import Rounding
from reanalyse.rebuild.results import SpecResult
from reanalyse.sensitivity._common import NotComputed, clean
from reanalyse.text import plural
from reanalyse.sensitivity.allowance import minimal_detectable
from reanalyse.sensitivity.bayes_factor import bayes_factor_t
from reanalyse.sensitivity.attrition import attrition_bounds_binary, attrition_bounds_continuous
from reanalyse.sensitivity.cutoff import exact_cutoff
from reanalyse.sensitivity.baseline import (baseline_balance, baseline_variable_continuous,
                                            baseline_variable_counts, baseline_variable_printed)
from reanalyse.kernels.cutoffs import parse_cutoff
from reanalyse.sensitivity.dichotomisation import dichotomisation_coherence
from reanalyse.sensitivity.fragility import fragility_range
from reanalyse.model import tests
from reanalyse.model.study import Claim, ClaimContext, ContinuousArm, Outcome, Study
from reanalyse.kernels.twobytwo import FISHER_EXACT, TESTS as PVALUE_TESTS, Z_POOLED, \
    two_sided_only

__all__ = ["ClaimSensitivity", "claim_sensitivity", "ANALYSES"]

ANALYSES = ("fragility", "attrition", "dichotomisation", "cutoff", "baseline", "allowance",
            "bayes_factor")



@dataclass(frozen=True)
class ClaimSensitivity:
    """The sensitivity analyses of one claim.

    Attributes
    ----------
    claim_id : str
    population : str or None
        ``itt``, ``per_protocol`` or ``completers`` as the study file marks the claim.
    arm_labels : tuple of str
        The compared arms, treatment first.
    randomised, analysed : tuple of (int or None)
        Per arm, as printed.
    fragility, attrition, dichotomisation, cutoff, baseline, allowance, bayes_factor
        Each a result object, or :class:`NotComputed` saying what is missing.
    notes : tuple of str
        What a reader should know (an ITT label with participants missing, n taken from the
        number randomised).
    claimed_significant : bool or None
        The decision the analyses test (the claim's, else the printed p's).
    baseline_claim, derived_outcome : bool
        Whether the claim is about a baseline outcome (it gets no baseline reason), and about
        a binary outcome cut from a continuous one (it gets the dichotomisation reason).
    """

    claim_id: str
    population: str | None
    arm_labels: tuple[str, ...]
    randomised: tuple[int | None, ...]
    analysed: tuple[int | None, ...]
    fragility: object
    attrition: object
    dichotomisation: object
    cutoff: object
    baseline: object
    allowance: object
    bayes_factor: object
    notes: tuple[str, ...] = ()
    claimed_significant: bool | None = None
    baseline_claim: bool = False
    derived_outcome: bool = False

    @property
    def lost(self) -> tuple[int | None, ...]:
        """Per arm, randomised minus analysed (None when either is not printed, or when more
        were analysed than randomised)."""
        return _lost(self.randomised, self.analysed)

    @property
    def lost_total(self) -> int | None:
        """Participants lost over the arms whose loss is known (None when no arm's is)."""
        known = [count for count in self.lost if count is not None]
        return sum(known) if known else None

    def _fragility_reason(self) -> str | None:
        result, lost = self.fragility, self.lost_total
        if not getattr(result, "computed", False) or not lost:
            return None
        at_least = "" if None not in self.lost else "at least "
        index = result.index_min if result.index_min is not None else result.index_any_arm_min
        if index is None or index >= lost:
            return None
        name = "fragility index" if result.kind == "fragility" else "reverse fragility index"
        high = result.index_max
        shown = (f"{index}" if high is None or high == index or len(result.results) == 1
                 else f"{index} to {high} over the count pairs the percentages allow")
        return (f"the {name} ({shown}) is below the {at_least}{plural(lost, 'participant')} "
                f"lost to follow-up")

    @property
    def impossible_reasons(self) -> tuple[str, ...]:
        """Clauses proving that printed numbers cannot all be true (exact bounds)."""
        return tuple(getattr(self.cutoff, "impossible_reasons", ()))

    @property
    def fragile_reasons(self) -> tuple[str, ...]:
        """Clauses (lower-case, no final stop) for the analyses that undermine the claim."""
        reasons = [self._fragility_reason(), getattr(self.attrition, "fragile_reason", None)]
        if not self.baseline_claim:
            reasons.append(getattr(self.baseline, "fragile_reason", None))
        return tuple(reason for reason in reasons if reason)

    @property
    def model_notes(self) -> tuple[str, ...]:
        """Labelled notes from distributional models (the normal and beta readings of a
        dichotomised scale).  A model is a plausibility argument: it never decides a verdict.
        Where the exact bounds beyond the cut-off were computed, they are the proof and the
        note says so."""
        reason = getattr(self.dichotomisation, "fragile_reason", None) \
            if self.derived_outcome else None
        if reason is None:
            return ()
        exact = getattr(self.cutoff, "computed", False)
        return (f"model note (a normal model, not a proof): {reason}"
                + ("; the exact bounds on the scale, not this model, decide whether the "
                   "printed counts fit the printed means and SDs" if exact else
                   "; no exact bounds could be computed (no bounded integer scale), so this "
                   "stays a note"),)

    def to_dict(self) -> dict:
        """JSON-ready form: the ``sensitivity`` object of ``reanalyse check --format json``."""
        return {"claim": self.claim_id, "population": self.population,
                "claimed_significant": self.claimed_significant,
                "arms": list(self.arm_labels), "randomised": list(self.randomised),
                "analysed": list(self.analysed), "lost": list(self.lost),
                **{name: clean(getattr(self, name)) for name in ANALYSES},
                "fragile_reasons": list(self.fragile_reasons),
                "model_notes": list(self.model_notes),
                "impossible_reasons": list(self.impossible_reasons), "notes": list(self.notes)}


def _lost(randomised, analysed) -> tuple[int | None, ...]:
    return tuple(None if r is None or a is None or a > r else r - a
                 for r, a in zip(randomised, analysed))


def _box(summary: ContinuousArm, rounding: Rounding) -> ArmBox | None:
    return None if summary.missing() else ArmBox.from_arm(summary, rounding)


def _lacking(summaries, labels) -> tuple[str, ...]:
    return tuple(f"{' and '.join(summary.missing())} for {label}"
                 for summary, label in zip(summaries, labels) if summary.missing())


def _fragility(outcome, summaries, labels, alpha, claim, significant, pairs):
    if outcome.type != "binary":
        return NotComputed("fragility", "the fragility index is defined for binary outcomes")
    lacking = _lacking(summaries, labels)
    if lacking:
        return NotComputed("fragility", "the per-arm events and n of this outcome are not "
                           "printed", lacking)
    if not pairs.feasible:
        return NotComputed("fragility", "no whole number of participants gives a printed "
                           "percentage")
    return fragility_range(_printed_first(pairs.treat_events, pairs.treat_printed),
                           pairs.treat_n,
                           _printed_first(pairs.control_events, pairs.control_printed),
                           pairs.control_n, alpha=alpha, alternative=claim.alternative,
                           significant=significant, arm_labels=labels)


def _printed_first(options, printed) -> list[int]:
    """Feasible counts with the printed (or closest) one first."""
    return [printed] + [k for k in options if k != printed]


def _attrition(study_arms, outcome, summaries, labels, lost, alpha, claim, significant,
               rounding, pairs):
    if None in lost:
        missing = []
        for arm, summary, label in zip(study_arms, summaries, labels):
            if arm.randomised is None:
                missing.append(f"number randomised to {label}")
            if summary.n is None:
                missing.append(f"number analysed in {label}")
        return NotComputed("attrition", "the numbers randomised and analysed in every arm are "
                           "needed, with no more analysed than randomised", tuple(missing))
    if not any(lost):
        return NotComputed("attrition", "everyone randomised was analysed")
    lacking = _lacking(summaries, labels)
    if lacking:
        return NotComputed("attrition", "the per-arm results of this outcome are not printed",
                           lacking)
    if outcome.type == "binary":
        if not pairs.feasible:
            return NotComputed("attrition", "no whole number of participants gives a printed "
                               "percentage")
        # the test the paper names when its p-values are tabulated for every table, else Fisher's
        named = tests.lookup(claim.reported.test)
        test = named.name if named is not None and named.name in PVALUE_TESTS else FISHER_EXACT
        if claim.alternative != "two-sided" and two_sided_only(test):
            test = Z_POOLED
        return attrition_bounds_binary(pairs.treat_printed, pairs.treat_n, lost[0],
                                       pairs.control_printed, pairs.control_n, lost[1],
                                       alpha=alpha, alternative=claim.alternative, test=test,
                                       significant=significant, arm_labels=labels)
    treat, control = (_box(s, rounding) for s in summaries)
    scale = outcome.scale
    return attrition_bounds_continuous(
        treat.mean, treat.sd, treat.n, lost[0], control.mean, control.sd, control.n, lost[1],
        scale_min=None if scale is None else scale.min,
        scale_max=None if scale is None else scale.max, alpha=alpha,
        alternative=claim.alternative,
        equal_var=tests.lookup(claim.reported.test) is not tests.lookup(tests.WELCH_T),
        significant=significant, arm_labels=labels)


def _score_step(outcome: Outcome) -> float | None:
    """The step between possible scores: 1 / items for scores that are means of ``items``
    integer items (1 for whole-number scores), on a whole-number scale; else None."""
    scale = outcome.scale
    if scale is None or scale.items is None or scale.min is None or scale.max is None:
        return None
    whole = float(scale.min).is_integer() and float(scale.max).is_integer()
    return 1.0 / scale.items if whole else None


def _dichotomisation(study, outcome, arm_ids, labels, rounding):
    if outcome.type == "binary":
        binary, source_id = outcome, outcome.derived_from
        if source_id is None:
            return NotComputed("dichotomisation", "the study file does not say that this binary "
                               "outcome is a cut-off of a continuous one (derived_from)")
        continuous = study.outcome(source_id)
    else:
        derived = [o for o in study.outcomes if o.derived_from == outcome.id]
        if not derived:
            return NotComputed("dichotomisation", "no binary outcome of the study is derived "
                               "from this one")
        binary, continuous = derived[0], outcome
    if binary.cutoff is None:
        return NotComputed("dichotomisation", f"the cut-off of '{binary.id}' is not given",
                           (f"cutoff of {binary.id}",))
    if any(arm_id not in binary.arms or arm_id not in continuous.arms for arm_id in arm_ids):
        return NotComputed("dichotomisation", "the binary and continuous outcomes do not both "
                           "have numbers for the compared arms")
    binary_arms = [binary.arms[a] for a in arm_ids]
    continuous_arms = [continuous.arms[a] for a in arm_ids]
    lacking = (_lacking(binary_arms, [f"{label} ({binary.id})" for label in labels])
               + _lacking(continuous_arms, [f"{label} ({continuous.id})" for label in labels]))
    if lacking:
        return NotComputed("dichotomisation", "the per-arm numbers of both outcomes are needed",
                           lacking)
    pairs = CountPairs.from_summaries(*binary_arms, rounding)
    if not pairs.feasible:
        return NotComputed("dichotomisation", "no whole number of participants gives a printed "
                           "percentage")
    treat, control = (_box(s, rounding) for s in continuous_arms)
    scale = continuous.scale
    return dichotomisation_coherence(
        treat.mean, treat.sd, treat.n, control.mean, control.sd, control.n,
        pairs.treat_printed / pairs.treat_n, pairs.control_printed / pairs.control_n,
        parse_cutoff(binary.cutoff), scale_min=None if scale is None else scale.min,
        scale_max=None if scale is None else scale.max, score_step=_score_step(continuous))


def _cutoff(study, claim, outcome, arm_ids, labels, rounding, alpha):
    if outcome.type == "binary" and outcome.derived_from is None:
        return NotComputed("cutoff", "the study file does not say that this binary outcome is "
                           "a cut-off of a scale (derived_from)")
    return exact_cutoff(study, claim, outcome, arm_ids, labels, rounding=rounding, alpha=alpha)


def _baseline(study: Study, arm_ids, rounding):
    variables, unusable = [], []
    for outcome in (o for o in study.outcomes if o.baseline):
        summaries = [outcome.arms[a] for a in arm_ids if a in outcome.arms]
        variable = None
        if len(summaries) == 2 and not any(s.missing() for s in summaries):
            if outcome.type == "continuous":
                variable = baseline_variable_continuous(outcome.label,
                                                        *(_box(s, rounding) for s in summaries))
            else:
                pairs = CountPairs.from_summaries(*summaries, rounding)
                if pairs.feasible:
                    variable = baseline_variable_counts(
                        outcome.label, _printed_first(pairs.treat_events, pairs.treat_printed),
                        pairs.treat_n, _printed_first(pairs.control_events,
                                                      pairs.control_printed), pairs.control_n)
        if variable is None:
            printed = [c.reported.p for c in study.claims if c.outcome == outcome.id
                       and c.reported.p is not None and set(study.claim_arms(c)) == set(arm_ids)]
            if printed:
                variable = baseline_variable_printed(outcome.label, printed[0], rounding)
        if variable is None:
            unusable.append(f"per-arm numbers (or an exact p) for {outcome.label}")
        else:
            variables.append(variable)
    if not variables:
        if not unusable:
            return NotComputed("baseline", "the study file marks no outcome as baseline")
        return NotComputed("baseline", "no baseline variable has usable numbers", tuple(unusable))
    return baseline_balance(variables)


def _sizes(summaries, study_arms, labels, notes):
    """Analysed n per arm, else the number randomised (with a note), else None."""
    sizes, substituted = [], []
    for summary, arm, label in zip(summaries, study_arms, labels):
        if summary.n is not None:
            sizes.append(summary.n)
        elif arm.randomised is not None:
            sizes.append(arm.randomised)
            substituted.append(f"{arm.randomised} randomised to {label}")
        else:
            sizes.append(None)
    if substituted:
        notes.append("what the sample allows uses the numbers randomised where the numbers "
                     "analysed are not printed (" + "; ".join(substituted) + ")")
    return sizes


def _allowance(outcome, summaries, sizes, labels, alpha, claim, effects):
    if None in sizes or min(sizes) < 2:
        return NotComputed("allowance", "the arm sizes are needed",
                           tuple(f"n for {label}" for label, n in zip(labels, sizes)
                                 if n is None))
    unprinted = bool(_lacking(summaries, labels))
    return minimal_detectable(sizes[0], sizes[1], alpha=alpha, alternative=claim.alternative,
                              effects=tuple(effects),
                              smd=unprinted or outcome.type == "continuous",
                              counts=unprinted or outcome.type == "binary")


def _bayes_factor(outcome, summaries, sizes, claim, significant, rounding, student):
    if significant is not False:
        return NotComputed("bayes_factor", "a Bayes factor is given for claims of no difference")
    if outcome.type != "continuous":
        return NotComputed("bayes_factor", "a Bayes factor from a t statistic needs a "
                           "continuous outcome")
    if not any(summary.missing() for summary in summaries):
        if student is None:
            student, _ = two_sample_tests(*(ArmBox.from_arm(s, rounding) for s in summaries))
        return bayes_factor_t(student.statistic, summaries[0].n, summaries[1].n,
                              t_min=student.statistic_min, t_max=student.statistic_max)
    reported = claim.reported
    if tests.family_of(reported.test) == "t" and reported.statistic is not None \
            and None not in sizes:
        statistic = reported.statistic
        t_min, t_max = statistic.interval(rounding)
        return bayes_factor_t(statistic.value, sizes[0], sizes[1], t_min=t_min, t_max=t_max)
    return NotComputed("bayes_factor", "neither the per-arm means and SDs nor a t statistic "
                       "are printed", _lacking(summaries, ()) or ("means and SDs",))


def claim_sensitivity(study: Study, claim: Claim, *, alpha: float | None = None,
                      rounding: Rounding | str = Rounding.NEAREST,
                      effects: tuple[float, ...] = (0.2, 0.5, 0.8),
                      student: SpecResult | None = None,
                      context: ClaimContext | None = None,
                      pairs: CountPairs | None = None) -> ClaimSensitivity:
    """Run every sensitivity analysis that applies to ``claim``.

    Parameters
    ----------
    study : Study
        The study the claim belongs to.
    claim : Claim
    alpha : float, optional
        Significance level; by default the claim's own, else the study's.
    rounding : Rounding or str
        How printed numbers were rounded.
    effects : tuple of float
        Standardised mean differences at which the power of the trial's arms is reported (for
        the effect a paper's sample-size calculation assumed, pass it here).
    student : SpecResult, optional
        Student's t-test already rebuilt for this claim under the same rounding (as
        :func:`reanalyse.claims.assess.check_claim` has it); the Bayes factor reads t and its rounding
        range from it instead of rebuilding the test.
    context : ClaimContext, optional
        The claim's alpha, arms, outcome and claimed significance as the claim check derived
        them (:meth:`Study.claim_context`); derived here from ``alpha`` when not given.
    pairs : CountPairs, optional
        The count pairs of a binary claim's printed numbers under ``rounding``, as the claim
        check derived them; derived here when not given.

    Returns
    -------
    ClaimSensitivity
        Two-arm claims only; a claim comparing more arms gets every analysis as
        :class:`NotComputed`.
    """
    context = study.claim_context(claim, alpha) if context is None else context
    alpha, outcome, arm_ids = context.alpha, context.outcome, context.arm_ids
    study_arms = tuple(study.arm(arm_id) for arm_id in arm_ids)
    labels = tuple(arm.label for arm in study_arms)
    summaries = [outcome.arms[a] for a in arm_ids]
    randomised = tuple(arm.randomised for arm in study_arms)
    analysed = tuple(summary.n for summary in summaries)
    significant = context.claimed
    common = dict(claim_id=claim.id, population=claim.population, arm_labels=labels,
                  randomised=randomised, analysed=analysed, claimed_significant=significant,
                  baseline_claim=outcome.baseline,
                  derived_outcome=outcome.type == "binary" and outcome.derived_from is not None)
    if len(arm_ids) != 2:
        skipped = NotComputed("all", f"the claim compares {len(arm_ids)} arms; the sensitivity "
                              "analyses compare two (name them with the claim's arms)")
        return ClaimSensitivity(**common, **{name: replace(skipped, analysis=name)
                                             for name in ANALYSES})
    notes = []
    lost = _lost(randomised, analysed)
    for label, r, a in zip(labels, randomised, analysed):
        if r is not None and a is not None and a > r:
            notes.append(f"more participants analysed ({a}) than randomised ({r}) in the "
                         f"{label} arm")
    if claim.population == "itt" and any(lost):
        notes.append(f"the claim is marked intention-to-treat, but "
                     f"{plural(sum(x for x in lost if x), 'participant')} randomised "
                     f"{'was' if sum(x for x in lost if x) == 1 else 'were'} not analysed")
    reported = claim.reported
    named = tests.lookup(reported.test)
    if (named is not None and not named.rebuildable) or (reported.estimate is not None
                                                         and reported.estimate.adjusted):
        notes.append("the claim rests on a model the printed summaries cannot rebuild (adjusted "
                     "or rank-based); these analyses use the unadjusted summaries")
    if claim.population is None and any(lost):
        notes.append("the study file does not mark the analysed population; with participants "
                     "missing it is read as completers")
    sizes = _sizes(summaries, study_arms, labels, notes)
    if pairs is None and outcome.type == "binary" and not _lacking(summaries, labels):
        pairs = CountPairs.from_summaries(*summaries, rounding)
    bayes_factor = _bayes_factor(outcome, summaries, sizes, claim, significant, rounding,
                                 student)
    if bayes_factor.computed and claim.alternative != "two-sided":
        notes.append("the Bayes factor is two-sided; the claim's test is one-sided")
    return ClaimSensitivity(
        **common,
        fragility=_fragility(outcome, summaries, labels, alpha, claim, significant, pairs),
        attrition=_attrition(study_arms, outcome, summaries, labels, lost, alpha, claim,
                             significant, rounding, pairs),
        dichotomisation=_dichotomisation(study, outcome, arm_ids, labels, rounding),
        cutoff=_cutoff(study, claim, outcome, arm_ids, labels, rounding, alpha),
        baseline=_baseline(study, arm_ids, rounding),
        allowance=_allowance(outcome, summaries, sizes, labels, alpha, claim, effects),
        bayes_factor=bayes_factor, notes=tuple(notes))
