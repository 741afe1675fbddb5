"""Claims about the difference between two results of a study (``compares``), judged by the
test of the difference (:mod:`reanalyse.rebuild.differences`), never by the two results'
p-values."""

from __future__ import annotations

from reanalyse.rebuild.binary import CountPairs
from reanalyse.rebuild.continuous import ArmBox
from reanalyse.rebuild.differences import DIFFERENCE_MEASURES, difference_test
from reanalyse.rebuild.results import Effect
from reanalyse.model.options import CheckOptions
from reanalyse.model.study import Claim, Study
from reanalyse.claims.records import ClaimCheck, missing_numbers
from reanalyse.claims.verdicts import Verdict, format_p_interval, partition_specs

__all__ = ["check_comparison"]


def _result_box(study: Study, claim: Claim, options: CheckOptions):
    """``("binary", CountPairs)`` or ``("continuous", (ArmBox, ArmBox))`` for a two-arm claim
    whose per-arm numbers are printed, else None with what is missing."""
    context = study.claim_context(claim)
    outcome, arm_ids = context.outcome, context.arm_ids
    if len(arm_ids) != 2:
        return None, (f"two compared arms for {claim.id}",)
    missing = missing_numbers(outcome, arm_ids, study)
    if missing:
        return None, tuple(f"{gap} ({claim.id})" for gap in missing)
    summaries = outcome.summaries(arm_ids)
    if outcome.type == "binary":
        pairs = CountPairs.from_summaries(*summaries, options.rounding)
        return (("binary", pairs), ()) if pairs.feasible else \
            (None, (f"a percentage a whole count gives ({claim.id})",))
    return ("continuous", tuple(ArmBox.from_arm(s, options.rounding) for s in summaries)), ()


def check_comparison(study: Study, claim: Claim,
                     options: CheckOptions = CheckOptions()) -> ClaimCheck:
    """Judge a claim about the difference between two results (``compares``) by the test of
    the difference (:mod:`reanalyse.rebuild.differences`), never by the two results' p-values."""
    context = study.claim_context(claim, options.alpha)
    alpha, claimed = context.alpha, context.claimed
    compared = [next(c for c in study.claims if c.id == claim_id) for claim_id in claim.compares]
    boxes, missing = [], []
    for other in compared:
        box, gaps = _result_box(study, other, options)
        boxes.append(box)
        missing += gaps
    printed = [other.reported.estimate for other in compared]
    measure = next((e.measure for e in printed if e is not None
                    and e.measure in DIFFERENCE_MEASURES),
                   "OR" if context.outcome.type == "binary" else "MD")
    if missing:
        return ClaimCheck(claim, Verdict.INSUFFICIENT_INFORMATION,
                          "The difference cannot be tested: the study file lacks "
                          + ", ".join(missing) + ".", alpha, options,
                          missing=tuple(missing), context=context)
    outcomes = [study.claim_context(other).outcome for other in compared]
    arms = [study.claim_arms(other) for other in compared]
    test = difference_test(measure, *boxes, same_participants=outcomes[0].id != outcomes[1].id
                           and set(arms[0]) == set(arms[1]))
    spec = test.spec(alpha)
    effects = tuple(Effect(measure, *effect, method=f"{other.id}, escalc estimate, normal "
                           "interval") for effect, other in zip(test.effects, compared))
    effects += (Effect(DIFFERENCE_MEASURES[measure], *test.difference,
                       method="Altman & Bland"),)
    shown = (f"the {DIFFERENCE_MEASURES[measure]} {test.difference[0]:#.3g} (95% CI "
             f"{test.difference[1]:#.3g} to {test.difference[2]:#.3g}), "
             f"{format_p_interval(spec)}")
    if claimed is None:
        verdict, reason = Verdict.INSUFFICIENT_INFORMATION, (
            "The study file does not say whether the paper claims the difference is "
            "significant; add 'significant: true' or 'false' to the claim.")
    elif spec.significant is claimed:
        verdict = Verdict.REPRODUCED
        reason = (f"The test of the difference between {' and '.join(claim.compares)} gives "
                  f"{shown}: {'significant' if claimed else 'not significant'}, as claimed.")
    elif spec.significant is None:
        verdict = Verdict.FRAGILE
        reason = (f"Whether the difference between {' and '.join(claim.compares)} is "
                  f"significant depends on the rounding of the printed numbers: {shown}.")
    else:
        verdict = Verdict.DECISION_FLIP
        reason = (f"The paper reads the two results as different, but the test of their "
                  f"difference gives {shown}: an effect that is significant in one and not in "
                  "the other is not a significant difference." if claimed else
                  f"The paper reads the two results as alike, but the test of their difference "
                  f"gives {shown}.")
    return ClaimCheck(claim, verdict, reason, alpha, options, (spec,), effects,
                      matched_spec=spec.name if verdict is Verdict.REPRODUCED else None,
                      notes=(() if test.note is None else (test.note,)),
                      partition=partition_specs((spec,), claimed), context=context)
