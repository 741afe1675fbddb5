"""Check every claim of a study: rebuild the defensible tests and give one verdict per claim.

The claim check sits above the rebuilt tests (:mod:`reanalyse.rebuild`) and the sensitivity
analyses, calls the granularity kernels (GRIM, GRIMMER) the screens call, and combines them: one
:class:`~reanalyse.claims.records.ClaimCheck` per claim.  A claim about the difference between
two results goes to :func:`reanalyse.claims.comparison.check_comparison`.

>>> from reanalyse.claims.assess import check_file
>>> result = check_file("data/raisi-dehkordi-2019.yaml")
>>> [(c.claim.id, c.verdict.value) for c in result.claims]      # doctest: +NORMALIZE_WHITESPACE
[('baseline-similar', 'insufficient_information'), ('lower-epds', 'reproduced'),
 ('fewer-depressed', 'fragile'), ('adjusted-odds', 'inconsistent')]
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from reanalyse.errors import InputFileError, ReanalyseError, StudyFileError
from reanalyse.rebuild.binary import CountPairs, binary_tests, risk_effects
from reanalyse.rebuild.continuous import ArmBox, hedges_g, k_sample_tests, mean_differences, \
    two_sample_tests
from reanalyse.kernels.columns import PrintedColumn
from reanalyse.kernels.granularity import grim_test
from reanalyse.kernels.grimmer import grimmer_test
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.printed import PrintedNumber, Rounding
from reanalyse.rebuild.estimates import EstimateCheck, check_estimate, continuous_rows
from reanalyse.rebuild.reported import ci_p, statistic_p
from reanalyse.rebuild.results import SpecResult
from reanalyse.sensitivity import claim_sensitivity
from reanalyse.model import tests
from reanalyse.model.options import CheckOptions
from reanalyse.model.study import Claim, ClaimContext, Outcome, Study
from reanalyse.model.studyfile import load_study
from reanalyse.claims.comparison import check_comparison
from reanalyse.claims.records import ClaimCheck, StudyCheck, missing_numbers
from reanalyse.claims.verdicts import Verdict, decide_verdict, format_p_interval, \
    partition_specs, single_group_reason

#: Named tests whose printed result is an adjusted model's (see :func:`_rests_on_adjustment`).
MODELS = ("regression", "ancova", "logistic")
#: Rank tests: a printed difference of means (MD, SMD) is not their estimate, so the p its CI
#: implies speaks to the means, not to what the rank test compares (see :func:`_reported_specs`).
RANK_TESTS = ("mann_whitney",)
MEAN_MEASURES = ("MD", "SMD")

__all__ = ["CheckOptions", "ClaimCheck", "StudyCheck", "check_claim", "check_comparison",
           "check_study", "check_file"]


def _means_beside_rank_test(claim: Claim) -> bool:
    """Whether the claim's printed p is a rank test's and its printed estimate a difference of
    means, whose CI tests another hypothesis than the rank test does."""
    test, estimate = tests.lookup(claim.reported.test), claim.reported.estimate
    return (test is not None and test.name in RANK_TESTS and estimate is not None
            and estimate.measure in MEAN_MEASURES)


def _missing_result(claim: Claim, specs) -> tuple[str, ...]:
    """What the paper would have to print when its test is a model the summaries cannot
    rebuild (or its estimate is adjusted) and nothing of its own result can be checked: every
    rebuilt spec is then context, and none is judged."""
    if any(spec.role != "context" and spec.computed for spec in specs):
        return ()
    reported = claim.reported
    test = tests.lookup(reported.test)
    estimate = reported.estimate
    if estimate is not None and estimate.adjusted:
        what = (f"the confidence interval of the adjusted {estimate.measure} (an adjusted "
                "estimate cannot be rebuilt from summary numbers)")
    elif _means_beside_rank_test(claim):
        what = (f"the test statistic of {test.phrase}, or its own estimate with a confidence "
                f"interval (a shift, not the printed {estimate.measure}, whose CI compares "
                "means; a rank test cannot be rebuilt from summary numbers)")
    elif test is not None and not test.rebuildable:
        what = (f"an estimate with its confidence interval, or the test statistic, of "
                f"{test.phrase} (which cannot be rebuilt from summary numbers)")
    else:
        return ()
    return (what,)


def _sd_impossible(outcome: Outcome, arm_ids, study: Study, rounding: Rounding) -> list[str]:
    """SDs larger than the scale allows (Bhatia-Davis bound on the variance), the printed
    numbers read under ``rounding``.

    The SD is the printed one or the one a printed SE or CI implies (with n), and the mean the
    printed one or a CI's midpoint: a derived number passes the check a printed one would.
    """
    scale = outcome.scale
    if scale is None or scale.min is None or scale.max is None:
        return []
    problems = []
    for arm_id in arm_ids:
        summary = outcome.arms[arm_id]
        sds, means = summary.sd_bounds(rounding), summary.mean_bounds(rounding)
        if sds is None or means is None or summary.n is None or summary.n < 2:
            continue
        # (max - m)(m - min) is concave in m, largest at the scale's midpoint: over the mean's
        # rounding interval, at the point of the interval nearest the midpoint
        _, mean_low, mean_high = means
        mean = min(max((scale.min + scale.max) / 2, mean_low), mean_high)
        mean = min(max(mean, scale.min), scale.max)
        farthest = (scale.max - mean) * (mean - scale.min)
        largest_sd = math.sqrt(summary.n / (summary.n - 1) * farthest)
        if sds[1] > largest_sd:
            problems.append(f"{_spread_phrase(summary)} for {study.arm(arm_id).label} exceeds "
                            f"{largest_sd:.3g}, the largest "
                            + (f"a mean of {summary.mean}" if summary.mean is not None else
                               f"the mean its CI implies ({means[0]:.3g})")
                            + f" allows on a {scale.min:g} to {scale.max:g} scale")
    return problems


def _spread_phrase(summary) -> str:
    """``the SD 2.18``, or the SD a printed SE or CI implies, naming what was printed."""
    if summary.sd is not None:
        return f"the SD {summary.sd}"
    value = summary.sd_bounds(Rounding.NEAREST)[0]
    if summary.se is not None:
        return f"the SD {value:.3g} implied by the SE {summary.se} (n = {summary.n})"
    level = f"{100 * summary.ci_level:g}%"
    return (f"the SD {value:.3g} implied by the {level} CI [{summary.ci[0]}, {summary.ci[1]}] "
            f"(n = {summary.n})")


def _granularity_impossible(outcome: Outcome, arm_ids, study: Study,
                            rounding: Rounding) -> list[str]:
    """Means (GRIM) and SDs (GRIMMER) that no set of whole-number item scores can give.

    Applies only where the study file declares the scale's ``items`` (each participant's score
    is the sum or mean of that many integer items), and to printed means and SDs: both tests
    read a number's printed digits, which a mean taken from a CI's midpoint or an SD implied by
    an SE or a CI does not have (those still meet the scale's bounds, :func:`_sd_impossible`).
    The arms go to the kernels as one column;
    a number the integer kernels cannot hold, and an SD GRIMMER leaves undecided, flag nothing.
    """
    scale = outcome.scale
    if scale is None or scale.items is None:
        return []
    arms = [(study.arm(arm_id).label, outcome.arms[arm_id]) for arm_id in arm_ids
            if outcome.arms[arm_id].mean is not None and outcome.arms[arm_id].n is not None]
    if not arms:
        return []
    means = PrintedColumn.of(summary.mean for _, summary in arms)
    n = np.array([summary.n for _, summary in arms], dtype=np.int64)
    items = np.full(len(arms), scale.items, dtype=np.int64)
    grim = grim_test(means, n, items, rounding)
    grim_fails = means.valid & grim.testable & ~grim.consistent
    with_sd = [k for k, (_, summary) in enumerate(arms)
               if means.valid[k] and not grim_fails[k] and summary.sd is not None
               and summary.n >= 2]
    sds = PrintedColumn.of(arms[k][1].sd for k in with_sd)
    take = np.array(with_sd, dtype=np.int64)
    grimmer = (grimmer_test(means.take(take), sds, n[take], items[take], rounding)
               if with_sd else None)
    problems = []
    for k, (label, summary) in enumerate(arms):
        if grim_fails[k]:
            problems.append(f"the mean {summary.mean} for {label} (n = {summary.n}) fails GRIM: "
                            f"{grim.reason[k]}")
        elif k in with_sd:
            row = with_sd.index(k)
            if sds.valid[row] and sds.value[row] >= 0 and grimmer.decided[row] \
                    and not grimmer.consistent[row]:
                problems.append(f"the SD {summary.sd} for {label} (n = {summary.n}) fails "
                                f"GRIMMER: {grimmer.reason[row]}")
    return problems


def _rebuild(study: Study, context: ClaimContext, options: CheckOptions):
    """Specs, effects and the printed estimate (:class:`EstimateCheck`, or None) rebuilt from
    the arms' summaries, impossibilities found, and a binary claim's count pairs (None for a
    continuous one)."""
    claim, outcome, arm_ids, alpha = context.claim, context.outcome, context.arm_ids, \
        context.alpha
    summaries = outcome.summaries(arm_ids)
    if outcome.type == "continuous":
        boxes = tuple(ArmBox.from_arm(s, options.rounding) for s in summaries)
        impossible = (_sd_impossible(outcome, arm_ids, study, options.rounding)
                      + _granularity_impossible(outcome, arm_ids, study, options.rounding))
        if len(boxes) == 2:
            specs = two_sample_tests(*boxes, alternative=claim.alternative, alpha=alpha)
            printed = claim.reported.estimate
            rows = None
            if printed is not None and printed.measure == "MD" and printed.level == 0.95:
                rows = continuous_rows("MD", boxes)  # row 0 also gives the MD effects
            effects = (*mean_differences(*boxes, rows=rows), hedges_g(*boxes))
            return specs, effects, impossible, _estimate(claim, "continuous", options,
                                                         boxes=boxes, rows=rows), None
        return k_sample_tests(boxes, alpha=alpha), (), impossible, None, None
    treat, control = summaries
    pairs = CountPairs.from_summaries(treat, control, options.rounding)
    impossible = [f"{summary.percent}% of {summary.n} is not a whole number of participants "
                  f"for {study.arm(arm_id).label}"
                  for arm_id, summary, options_ in ((arm_ids[0], treat, pairs.treat_events),
                                                    (arm_ids[1], control, pairs.control_events))
                  if not options_]
    if impossible:
        return (), (), impossible, None, pairs
    specs = binary_tests(pairs, alternative=claim.alternative, alpha=alpha,
                         boschloo=options.boschloo)
    effects = risk_effects(pairs.treat_printed, pairs.treat_n, pairs.control_printed,
                           pairs.control_n)
    return specs, effects, [], _estimate(claim, "binary", options, pairs=pairs), pairs


def _estimate(claim: Claim, outcome_type: str, options: CheckOptions, rows=None, **box):
    """The printed unadjusted estimate rebuilt over the box (None when there is none)."""
    estimate = claim.reported.estimate
    if estimate is None:
        return None
    return check_estimate(estimate, outcome_type, rounding=options.rounding,
                          rows=rows if rows is not None and estimate.measure == "MD" else None,
                          **box)


def _rests_on_adjustment(claim: Claim, specs, claimed: bool | None) -> bool:
    """Whether the claim's result is adjusted (an adjusted estimate, or a regression, ANCOVA
    or logistic model) and every unadjusted test rebuilt from the printed summaries
    disagrees with its claimed significance over the whole rounding box."""
    reported = claim.reported
    adjusted = (reported.estimate is not None and reported.estimate.adjusted) or \
        tests.lookup(reported.test) in tuple(tests.lookup(name) for name in MODELS)
    unadjusted = [spec for spec in specs if spec.role == "context" and spec.computed]
    return bool(adjusted and claimed is not None and unadjusted
                and all(spec.significant is (not claimed) for spec in unadjusted))


def _assign_roles(specs, claim: Claim, options: CheckOptions):
    test = tests.lookup(claim.reported.test)
    adjusted = claim.reported.estimate is not None and claim.reported.estimate.adjusted
    if (test is not None and not test.rebuildable) or adjusted:
        return tuple(replace(spec, role="context") for spec in specs)
    primary = tests.primary_spec(claim.reported.test)
    names = [spec.name for spec in specs]
    if primary not in names:
        primary = names[0] if names else None  # the design's default test comes first
    defensible = set(options.defensible) if options.defensible is not None else set(names)
    return tuple(replace(spec, role="context" if spec.name not in defensible else
                         "primary" if spec.name == primary else "alternative")
                 for spec in specs)


def _reported_specs(claim: Claim, outcome: Outcome, arm_ids, alpha: float, rounding: Rounding,
                    notes: list[str]) -> list[SpecResult]:
    reported = claim.reported
    specs = []
    family = tests.family_of(reported.test)
    if family is None and reported.statistic is not None and reported.test is None:
        family = "t" if outcome.type == "continuous" and len(arm_ids) == 2 else (
            "F" if outcome.type == "continuous" else "chi2")
        notes.append(f"the printed statistic was read as {family} (the study file names no test)")
    if reported.statistic is not None and family is not None:
        df = reported.df
        if not df:
            df = _default_df(family, outcome, arm_ids)
            if df:
                notes.append(f"df for the printed {family} taken from the design: "
                             + ", ".join(d.text for d in df))
        try:
            specs.append(statistic_p(family, reported.statistic, df, rounding=rounding,
                                     alternative=claim.alternative, alpha=alpha))
        except ValueError as error:
            notes.append(f"the printed statistic could not be checked: {error}")
    if reported.estimate is not None and reported.estimate.ci is not None:
        spec = ci_p(reported.estimate, rounding=rounding, alpha=alpha)
        if _means_beside_rank_test(claim):
            # shown, not judged: the printed p is the rank test's, which compares more than
            # the means this CI speaks to
            spec = replace(spec, role="context")
        specs.append(spec)
    if reported.p is not None and reported.p.is_zero:
        notes.append(f"p printed as {reported.p}: no test gives p = 0; read as p < 0.0005")
    return specs


def _default_df(family: str, outcome: Outcome, arm_ids) -> tuple[PrintedNumber, ...]:
    ns = [outcome.arms[arm_id].n for arm_id in arm_ids]
    if family == "chi2" and outcome.type == "binary":
        return (PrintedNumber("1", 1, 0),)
    if None in ns:
        return ()
    total, k = sum(ns), len(ns)
    if family == "t" and k == 2:
        return (PrintedNumber(str(total - 2), total - 2, 0),)
    if family == "F":
        return (PrintedNumber(str(k - 1), k - 1, 0), PrintedNumber(str(total - k), total - k, 0))
    return ()


def check_claim(study: Study, claim: Claim, options: CheckOptions = CheckOptions()) -> ClaimCheck:
    """Rebuild every defensible test for ``claim`` and decide its verdict."""
    if claim.compares:
        return check_comparison(study, claim, options)
    context = study.claim_context(claim, options.alpha)
    alpha, outcome, arm_ids = context.alpha, context.outcome, context.arm_ids
    if len(arm_ids) == 1:
        return ClaimCheck(claim, Verdict.INSUFFICIENT_INFORMATION,
                          single_group_reason(study.arm(arm_ids[0]).label,
                                              outcome.arms[arm_ids[0]].n),
                          alpha, options,
                          missing=("a comparison group, or the within-group correlation "
                                   "(or the SD of the change)",), context=context)
    # the file's own disagreements about this claim come first: they may be slips
    notes = [remark.note() for remark in study.remarks
             if remark.claim == claim.id and remark.kind == "conflict"]
    missing = missing_numbers(outcome, arm_ids, study)
    specs, effects, impossible, estimate, pairs = (), (), [], None, None
    if not missing:
        specs, effects, impossible, estimate, pairs = _rebuild(study, context, options)
        specs = _assign_roles(specs, claim, options)
    specs = tuple(specs) + tuple(_reported_specs(claim, outcome, arm_ids, alpha,
                                                 options.rounding, notes))
    if not missing:
        missing = _missing_result(claim, specs)
    claimed, printed_p = context.claimed, claim.reported.p
    if context.claimed_from_p:
        notes.append(f"the claimed significance was read from the printed p ({printed_p})")
    student = next((spec for spec in specs if spec.name == tests.STUDENT_T), None)
    sensitivity = claim_sensitivity(study, claim, rounding=options.rounding, student=student,
                                    context=context, pairs=pairs)
    if claimed is None:
        return ClaimCheck(claim, Verdict.INSUFFICIENT_INFORMATION,
                          "The study file does not say whether the paper claims a significant "
                          "result; add 'significant: true' or 'false' to the claim.", alpha,
                          options, specs, tuple(effects), missing, tuple(impossible),
                          sensitivity=sensitivity, notes=tuple(notes),
                          partition=partition_specs(specs, None), context=context, pairs=pairs)
    if not impossible:
        impossible = list(sensitivity.impossible_reasons)
    family = tests.family_of(claim.reported.test) or ("chi2" if outcome.type == "binary"
                                                      else "t")
    result = decide_verdict(
        claimed=claimed, specs=specs, alpha=alpha, rounding=options.rounding,
        printed_p=printed_p,
        printed_statistic=claim.reported.statistic,
        statistic_specs=tests.same_family(family), impossible=tuple(impossible),
        missing=missing, fragile_reasons=sensitivity.fragile_reasons,
        squared_specs=tests.squared_specs(family), estimate=estimate)
    reason = result.reason
    if estimate is not None and estimate.note is not None:
        notes.append(estimate.note)
        reason += f" The printed {estimate.measure} is read as {_direction(estimate)}."
    notes.extend(sensitivity.model_notes)
    adjustment = _rests_on_adjustment(claim, specs, claimed)
    if adjustment:
        crude = [spec for spec in specs if spec.role == "context" and spec.computed]
        # a test only bounded (Boschloo's, not run where Fisher's p decides) has no p of its
        # own: its unknown lower end (0) is left out of the range quoted
        quoted = [spec for spec in crude if spec.p is not None] or crude
        low, high = min(s.p_min for s in quoted), max(s.p_max for s in quoted)
        bounded = "".join(f", {spec.label} at most {format_p(spec.p_max)}"
                          for spec in crude if spec not in quoted)
        what = "significance" if claimed else "lack of significance"
        reason += (f" Its {what} rests on the adjustment: every unadjusted test rebuilt "
                   f"from the printed summaries says the opposite ({format_p_interval(crude[0])}"
                   f" for {crude[0].label}; p {format_p(low)} to {format_p(high)} over all"
                   f"{bounded}).")
    return ClaimCheck(claim, result.verdict, reason, alpha, options, specs,
                      tuple(effects), missing,
                      tuple(impossible), result.matched_spec, sensitivity, tuple(notes),
                      result.partition, context, estimate, adjustment, pairs)


def _direction(estimate: EstimateCheck) -> str:
    return ("control over treatment (its reciprocal is what the numbers give)"
            if estimate.direction == "reciprocal" else
            "control minus treatment (its negation is what the numbers give)")


def check_study(study: Study, options: CheckOptions = CheckOptions()) -> StudyCheck:
    """Check every claim of ``study``."""
    return StudyCheck(study, options, tuple(check_claim(study, claim, options)
                                            for claim in study.claims))


def check_file(path, options: CheckOptions = CheckOptions()) -> StudyCheck:
    """Load the study file at ``path`` and check every claim.

    Raises
    ------
    StudyFileError
        When the file is not valid, or when a claim's printed numbers ask for more work than
        the tests are bounded to (too many count pairs): named by the claim's line and field,
        every such claim at once.
    """
    study = load_study(path)
    checks, problems = [], []
    for index, claim in enumerate(study.claims):
        try:
            checks.append(check_claim(study, claim, options))
        except InputFileError:
            raise
        except ReanalyseError as error:
            problems.append(StudyFileError(
                path, str(error), field=f"claims[{index}]", value=claim.id, line=claim.line,
                hint="give the numbers that settle it (event counts beside percentages)"))
    if problems:
        raise StudyFileError.collect(problems)
    return StudyCheck(study, options, tuple(checks))
