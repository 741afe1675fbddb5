"""A review checked: each pooled line rebuilt from its studies' printed numbers and judged.

For each pooled analysis of a review (:class:`~reanalyse.model.review.Pool`):

1. each included study given as a study file is checked like any study (the claim check,
   GRIM/GRIMMER, the exact bounds beyond a cut-off, attrition); its claims about the pooled
   outcome give the study its own verdict, and a study with ``impossible_input`` among them is
   an *impossible* study;
2. the pool is rebuilt by every defensible estimator (:func:`reanalyse.reviews.pooling.estimators_for`),
   at the printed numbers and over their rounding box;
3. leave-one-out and the pool without the impossible studies are rebuilt with the primary
   estimator (:func:`reanalyse.reviews.pooling.primary_estimator`);
4. :func:`reanalyse.reviews.verdicts.decide_pool_verdict` gives the verdict and its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reanalyse.claims.assess import StudyCheck, check_study
from reanalyse.kernels.meta import ConvergenceError
from reanalyse.kernels.printed import Rounding
from reanalyse.kernels.pvalues import significant as is_significant
from reanalyse.model.options import CheckOptions
from reanalyse.model.review import Pool, Review
from reanalyse.model.reviewfile import load_review
from reanalyse.model.studyfile import load_study
from reanalyse.model.vocabulary import Verdict
from reanalyse.rebuild.results import decide
from reanalyse.reviews import pooling
from reanalyse.reviews.verdicts import (ESTIMATOR_LABELS, EstimatorFacts, PoolFacts,
                                        decide_pool_verdict)

__all__ = ["StudyInPool", "EstimatorResult", "LeftOut", "PoolCheck", "ReviewCheck",
           "check_review", "check_pool"]

#: Verdicts from worst to best: a study's own verdict is the worst of its claims on the outcome.
_SEVERITY = (Verdict.IMPOSSIBLE_INPUT, Verdict.DECISION_FLIP, Verdict.FRAGILE,
             Verdict.INCONSISTENT, Verdict.INSUFFICIENT_INFORMATION,
             Verdict.REPRODUCED_WITH_ALTERNATIVE, Verdict.REPRODUCED)


@dataclass(frozen=True)
class StudyInPool:
    """One included study: its effect, its weight under the primary estimator, and its own
    verdict when it is a study file (None for printed rows, which are not checked)."""

    id: str
    label: str
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    weight: float | None
    verdict: str | None = None
    reason: str | None = None
    impossible: bool = False
    source: str | None = None
    printed: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"id": self.id, "label": self.label, "effect": self.effect,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "weight": self.weight,
                "verdict": self.verdict, "reason": self.reason, "impossible": self.impossible,
                "source": self.source, "printed": dict(self.printed)}


@dataclass(frozen=True)
class EstimatorResult:
    """One estimator's rebuilt pool: at the printed numbers, and its range over the box."""

    name: str
    fit: pooling.Fit
    ranges: dict
    side: str | None
    fits: dict

    @property
    def label(self) -> str:
        """The estimator's name for a reader."""
        return ESTIMATOR_LABELS.get(self.name, self.name)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"name": self.name, "label": self.label, "fit": self.fit.to_dict(),
                "ranges": {key: list(value) for key, value in self.ranges.items()},
                "side": self.side, "fits": dict(self.fits)}


@dataclass(frozen=True)
class LeftOut:
    """The primary estimator's pool with one study left out, and its decision at alpha
    (:func:`reanalyse.kernels.pvalues.significant`)."""

    study: str
    fit: pooling.Fit
    significant: bool

    def to_dict(self) -> dict:
        """JSON-ready form: the study, the fit's fields, and the decision."""
        return {"study": self.study, **self.fit.to_dict(), "significant": self.significant}


@dataclass(frozen=True)
class PoolCheck:
    """A pooled line's verdict, its reason, and everything it rests on."""

    pool: Pool
    verdict: Verdict
    reason: str
    alpha: float
    claimed: bool | None
    primary: str
    studies: tuple[StudyInPool, ...]
    estimators: tuple[EstimatorResult, ...]
    leave_one_out: tuple[LeftOut, ...] = ()
    without_impossible: pooling.Fit | None = None
    survives_without_impossible: bool | None = None
    notes: tuple[str, ...] = ()

    def estimator(self, name: str) -> EstimatorResult | None:
        """The result of the estimator called ``name``."""
        return next((e for e in self.estimators if e.name == name), None)

    def to_dict(self) -> dict:
        """JSON-ready form; ``id``, ``verdict`` and ``reason`` as a claim's."""
        return {"id": self.pool.id, "label": self.pool.label, "text": self.pool.printed.text,
                "verdict": self.verdict.value, "reason": self.reason, "alpha": self.alpha,
                "claimed_significant": self.claimed, "primary": self.primary,
                "measure": self.pool.measure, "printed": self.pool.printed.to_dict(),
                "studies": [s.to_dict() for s in self.studies],
                "estimators": [e.to_dict() for e in self.estimators],
                "leave_one_out": [left.to_dict() for left in self.leave_one_out],
                "without_impossible": None if self.without_impossible is None
                else self.without_impossible.to_dict(),
                "survives_without_impossible": self.survives_without_impossible,
                "notes": list(self.notes)}


@dataclass(frozen=True)
class ReviewCheck:
    """Every pooled line of a review, checked; the study checks of its study files."""

    review: Review
    rounding: Rounding
    pools: tuple[PoolCheck, ...]
    study_checks: dict = field(default_factory=dict)

    @property
    def claims(self) -> tuple[PoolCheck, ...]:
        """The pooled lines (the runner reads them as a study's claims)."""
        return self.pools

    def to_dict(self) -> dict:
        """The shape of a study check's JSON (``study``, ``citation``, ``claims``), with
        ``kind: review``."""
        return {"kind": "review", "study": self.review.id, "citation": self.review.citation,
                "doi": self.review.doi, "title": self.review.title,
                "path": str(self.review.path), "rounding": self.rounding.value,
                "claims": [pool.to_dict() for pool in self.pools],
                "studies": {path: check.to_dict() for path, check in self.study_checks.items()}}


def check_review(review, *, rounding: Rounding | str = Rounding.NEAREST) -> ReviewCheck:
    """Check every pooled line of ``review`` (a :class:`Review` or a review file's path).

    Raises
    ------
    ReviewFileError
        When the review file is not valid.
    """
    if isinstance(review, (str, Path)):
        review = load_review(review)
    options = CheckOptions(rounding=rounding)      # the options record reads the convention
    rounding = options.rounding
    study_checks = {}
    for path in review.study_files:
        study_checks[str(path)] = check_study(load_study(path), options)
    pools = tuple(check_pool(pool, review.alpha, rounding, study_checks)
                  for pool in review.pools)
    return ReviewCheck(review, rounding, pools, study_checks)


def _study_verdict(check: StudyCheck, outcome: str) -> tuple[str | None, str | None]:
    """The worst verdict of the study's claims on ``outcome`` (or a cut-off of it)."""
    related = {outcome} | {o.id for o in check.study.outcomes if o.derived_from == outcome}
    found = [claim for claim in check.claims if claim.claim.outcome in related]
    if not found:
        return None, None
    worst = min(found, key=lambda claim: _SEVERITY.index(claim.verdict))
    return worst.verdict.value, f"{worst.claim.id}: {worst.reason}"


def _side(p_range, claimed: bool | None, alpha: float) -> str | None:
    """Whether an estimator's p over the rounding box agrees with the claimed significance
    everywhere, nowhere, or straddles alpha (the rule of :func:`reanalyse.rebuild.results.decide`)."""
    if claimed is None:
        return None
    decided = decide(*p_range, alpha)
    if decided is None:
        return "straddle"
    return "agree" if decided == claimed else "against"


def _claimed(pool: Pool, alpha: float) -> bool | None:
    printed = pool.printed
    if printed.significant is not None:
        return printed.significant
    if printed.p is not None and printed.p.significant(alpha) is not None:
        return printed.p.significant(alpha)
    if printed.ci is not None:
        null = 1.0 if pool.measure in ("OR", "RR") else 0.0
        low, high = printed.ci
        return not low.value <= null <= high.value
    return None


def check_pool(pool: Pool, alpha: float, rounding: Rounding,
               study_checks: dict | None = None) -> PoolCheck:
    """Rebuild and judge one pooled line (the module docstring's steps)."""
    study_checks = study_checks or {}
    inputs = pooling.pool_inputs(pool, rounding)
    claimed = _claimed(pool, alpha)
    results = []
    usable = inputs.usable
    if usable.sum() < 2:
        verdict, reason = decide_pool_verdict(PoolFacts(int(usable.sum()), claimed,
                                                        pooling.named_estimator(pool), ()))
        studies = tuple(StudyInPool(s.id, s.label, *pooling.study_effect(inputs, i),
                                    weight=None, source=s.source,
                                    printed=pooling.printed_row(s))
                        for i, s in enumerate(pool.studies))
        return PoolCheck(pool, verdict, reason, alpha, claimed,
                         pooling.primary_estimator(pool, ()), studies, ())
    notes = []
    for name in pooling.estimators_for(pool.measure):
        try:
            fit = pooling.fit(inputs, name, level=pool.printed.level)
            ranges = pooling.fit_ranges(inputs, name, level=pool.printed.level)
        except ConvergenceError as error:  # an iterative tau² that does not settle
            notes.append(f"{ESTIMATOR_LABELS.get(name, name)} left out: {error}")
            continue
        fits = pooling.printed_fits(pool.printed, fit, ranges, alpha, rounding)
        results.append(EstimatorResult(name, fit, ranges,
                                       _side(ranges["p"], claimed, alpha), fits))
    named = pooling.named_estimator(pool)
    primary = pooling.primary_estimator(pool, [r.name for r in results
                                               if all(r.fits.values())])
    main = next((r for r in results if r.name == primary), results[0])
    primary = main.name

    verdicts = {}
    for study in pool.studies:
        if study.study_path is not None and str(study.study_path) in study_checks:
            verdicts[study.id] = _study_verdict(study_checks[str(study.study_path)],
                                                study.outcome)
    impossible = tuple(s.id for s in pool.studies
                       if verdicts.get(s.id, (None,))[0] == Verdict.IMPOSSIBLE_INPUT.value)
    significant = is_significant(main.fit.pvalue, alpha)
    loo, flipping = [], []
    for index, left in pooling.leave_one_out(inputs, primary, level=pool.printed.level):
        loo.append(LeftOut(pool.studies[index].id, left, is_significant(left.pvalue, alpha)))
        if loo[-1].significant != significant:
            flipping.append(pool.studies[index].id)
    without, survives = None, None
    if impossible:
        keep = usable & ~np.isin([s.id for s in pool.studies], impossible)
        if keep.sum() >= 1:
            without = pooling.fit(inputs, primary, keep=keep, level=pool.printed.level)
            reference = claimed if claimed is not None else significant
            survives = is_significant(without.pvalue, alpha) == reference

    facts = PoolFacts(
        k=int(usable.sum()), claimed=claimed, named=named,
        estimators=tuple(EstimatorFacts(r.name, r.side, r.fits) for r in results),
        flipping_studies=tuple(flipping), impossible=impossible,
        survives_without_impossible=survives,
        printed_any=any(value is not None for value in (
            pool.printed.estimate, pool.printed.ci, pool.printed.statistic, pool.printed.p,
            pool.printed.tau2, pool.printed.q, pool.printed.i2)),
        primary=primary, primary_values=pooling.describe_fit(main.fit))
    verdict, reason = decide_pool_verdict(facts)
    studies = []
    for index, study in enumerate(pool.studies):
        own = verdicts.get(study.id, (None, None))
        effect, low, high = pooling.study_effect(inputs, index, pool.printed.level)
        studies.append(StudyInPool(
            id=study.id, label=study.label, effect=effect, ci_low=low, ci_high=high,
            weight=pooling.weight_of(main.fit, inputs, index), verdict=own[0], reason=own[1],
            impossible=study.id in impossible, source=study.source,
            printed=pooling.printed_row(study)))
    return PoolCheck(pool, verdict, reason, alpha, claimed, primary, tuple(studies),
                     tuple(results), tuple(loo), without, survives, tuple(notes))

