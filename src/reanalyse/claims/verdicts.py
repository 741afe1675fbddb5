"""One verdict per claim, with a one-sentence reason a commissioner can read.

The rules, in order (the first that applies decides):

1. ``impossible_input``: the printed numbers cannot all be true (a percentage no count of n gives,
   an SD larger than the scale allows, a mean off the granularity of its n; a mean and SD that
   no dataset of scores on the scale fits, or a count beyond a stated cut-off outside the exact
   range such datasets allow: :mod:`reanalyse.sensitivity.cutoff`).
2. ``insufficient_information``: no test can be rebuilt from what was printed; the reason names
   the missing numbers.  A claim about one group (a study with one arm) has no between-group
   test at all; its reason (:func:`single_group_reason`) says what a within-group test needs.
3. ``decision_flip``: no defensible test, anywhere in the rounding box, gives the claimed
   significance; or a printed unadjusted estimate's CI lies on a side of the null (above,
   below, across) that no CI rebuilt from the printed counts or means reaches, by any method
   (:mod:`reanalyse.rebuild.estimates`).
4. ``fragile``: some defensible tests (or some corners of the rounding box) give the claimed
   significance and others do not; or a robustness analysis (fragility index below the number
   lost to follow-up, attrition bounds) overturns it.
5. Every defensible test gives the claimed significance everywhere in the box.  Then:
   ``inconsistent`` when a printed unadjusted estimate or its CI is given by no method over the
   box, or when the printed statistic or p cannot be rebuilt (by any defensible test, or from
   the paper's own statistic or CI); ``reproduced`` when the test the paper named (or the
   default test for the design) rebuilds them; ``reproduced_with_alternative`` when only another
   defensible test does (it is named).

Exact before model: only exact arguments decide.  The exact bounds beyond a cut-off are
proofs (rule 1); the normal or beta reading of a dichotomised scale is a model, a plausibility
argument, and reaches a claim only as a labelled note
(:attr:`reanalyse.sensitivity.ClaimSensitivity.model_notes`), whether or not the exact bounds
could be computed.  ``fragile`` means that the significance depends on the test, the rounding
or a handful of participants, never that a model disagrees.

The p implied by a printed CI is computed from the CI's centre and from the printed estimate
with the CI's width (:func:`reanalyse.rebuild.reported.ci_p`): its significance is the
centre's (the side of the null the printed interval lies on), and a printed p is judged
against both.

"Defensible" tests are the spec roles ``primary`` and ``alternative``; ``reported`` specs
(p from the printed statistic or CI) check the printed p; ``context`` specs are shown, not judged.
"""

from __future__ import annotations

from dataclasses import dataclass

from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.printed import PrintedNumber, PrintedP, Rounding
from reanalyse.rebuild.results import SpecResult
from reanalyse.model import tests
from reanalyse.model.vocabulary import Verdict

__all__ = ["Verdict", "VerdictResult", "Partition", "partition_specs", "decide_verdict",
           "single_group_reason", "format_p_interval"]


@dataclass(frozen=True)
class Partition:
    """The specs a verdict weighs, by name, split by what they say of the claimed significance.

    Attributes
    ----------
    judged : tuple of str
        Defensible specs (roles ``primary`` and ``alternative``) that were computed.
    reported : tuple of str
        Specs rebuilt from the paper's own statistic or CI (role ``reported``), computed.
    agree, against, straddle : tuple of str
        Of the basis (the judged specs, else the reported ones): those significant as claimed
        over the whole rounding box, those not significant as claimed anywhere in it, and those
        whose p-interval crosses alpha.  Empty when no significance is claimed.
    """

    judged: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()
    agree: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    straddle: tuple[str, ...] = ()

    @property
    def basis(self) -> tuple[str, ...]:
        """The specs the verdict rests on: the judged ones, else the reported ones."""
        return self.judged or self.reported

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"judged": list(self.judged), "reported": list(self.reported),
                "agree": list(self.agree), "against": list(self.against),
                "straddle": list(self.straddle)}


def partition_specs(specs, claimed: bool | None) -> Partition:
    """Split ``specs`` as :class:`Partition` describes (by ``claimed``, None: no split)."""
    judged = tuple(s.name for s in specs if s.role in ("primary", "alternative") and s.computed)
    reported = tuple(s.name for s in specs if s.role == "reported" and s.computed)
    if claimed is None:
        return Partition(judged, reported)
    roles = ("primary", "alternative") if judged else ("reported",)
    basis = [s for s in specs if s.computed and s.role in roles]
    return Partition(judged, reported,
                     agree=tuple(s.name for s in basis if s.significant is claimed),
                     against=tuple(s.name for s in basis if s.significant is (not claimed)),
                     straddle=tuple(s.name for s in basis if s.significant is None))


@dataclass(frozen=True)
class VerdictResult:
    """A verdict, its reason, the spec that matched the printed result (if any), and how the
    specs it weighed fell (:class:`Partition`)."""

    verdict: Verdict
    reason: str
    matched_spec: str | None = None
    partition: Partition = Partition()


def format_p_interval(spec: SpecResult) -> str:
    """``p = 0.034`` or ``p 0.031 to 0.037`` for a spec."""
    if spec.p_min is None:
        return "p not computed"
    low, high = format_p(spec.p_min), format_p(spec.p_max)
    return f"p = {low}" if low == high else f"p {low} to {high}"


def _other_reading(spec: SpecResult) -> str:
    """`` (p 0.018 to 0.20 from the printed estimate with the CI's width)`` when the spec has
    a second reading (:attr:`SpecResult.p_other`), else ''."""
    if spec.p_other is None:
        return ""
    low, high = (format_p(end) for end in spec.p_other)
    span = f"p = {low}" if low == high else f"p {low} to {high}"
    return f" ({span} from the printed estimate with the CI's width)"


def single_group_reason(group: str, n: int | None) -> str:
    """Why a claim about one group gets ``insufficient_information``, and what would help."""
    size = "n" if n is None else f"n = {n}"
    return (f"The study has one group ({group}), so no between-group test is possible: a "
            "change over time can only be tested within the group, and a paired test of the "
            "change needs the correlation between the before and after scores (beside both "
            f"means and SDs), or the mean and SD of the change, with {size}; the study file "
            "has neither.")


def _listed(items) -> str:
    """``a``, ``a and b``, ``a, b and c``: never empty (a caller with nothing to list says so
    in its own words)."""
    items = list(items)
    if not items:
        raise ValueError("nothing to list")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_SIDES = {1: "above", -1: "below", 0: "across"}

#: How many times apart the p implied by a printed CI and every rebuilt test's p must be for
#: the reason to say so: a Wald interval's p and a score or exact test's p differ by less at
#: the sample sizes of trials, so a gap this wide says the CI was not made from these numbers.
CI_P_FOLD = 10.0


def _ci_disagreement(reported, judged) -> str:
    """A clause when the p implied by the printed CI and the rebuilt tests' p-intervals do not
    meet (how many times apart), else ''."""
    ci = next((s for s in reported if s.name == tests.CI_TO_P), None)
    if ci is None or not judged:
        return ""
    low = min(s.p_min for s in judged)
    high = max(s.p_max for s in judged)
    ci_low, ci_high = ci.p_span
    if ci_high < low:
        fold = low / max(ci_high, 1e-300)
    elif ci_low > high:
        fold = ci_low / max(high, 1e-300)
    else:
        fold = 1.0
    if fold < CI_P_FOLD:  # within what the choice between a Wald and another test explains
        return ""
    return (f"; the printed CI implies {format_p_interval(ci)}, while the rebuilt tests give "
            f"p {format_p(low)} to {format_p(high)} ({_fold(fold)} apart)")


def _fold(ratio: float) -> str:
    return "over a hundredfold" if ratio >= 100 else "over tenfold"


def _names(specs) -> str:
    return _listed(f"{spec.label} ({format_p_interval(spec)})" for spec in specs)


def _every(claimed: bool) -> str:
    return "every" if claimed else "no"


def _verb(specs, singular: str, plural: str) -> str:
    return singular if len(specs) == 1 else plural


def _printed_result(statistic: PrintedNumber | None, p: PrintedP | None) -> str:
    """``statistic 2.02 and p = .05`` as printed."""
    parts = [] if statistic is None else [f"statistic {statistic}"]
    if p is not None:
        text = p.text.lstrip().lower()
        parts.append(("p " if text[:1] in "=<>≤≥" else "p = ") + p.text.strip()
                     if not text.startswith("p") else p.text.strip())
    return " and ".join(parts)


def _statistic_matches(spec: SpecResult, printed: PrintedNumber | None, rounding: Rounding,
                       squared: bool = False) -> bool:
    """Whether the printed statistic's interval meets the spec's range (sign ignored); with
    ``squared``, the spec's statistic squared (a t-test's t against a printed F = t**2)."""
    if printed is None or spec.statistic_min is None:
        return True
    low, high = sorted((abs(spec.statistic_min), abs(spec.statistic_max)))
    if spec.statistic_min < 0 < spec.statistic_max:
        low = 0.0
    if squared:
        low, high = low**2, high**2
    lower, upper = printed.interval(rounding)
    printed_low, printed_high = sorted((abs(lower), abs(upper)))
    if lower < 0 < upper:
        printed_low = 0.0
    return printed_low <= high and printed_high >= low


def _p_matches(spec: SpecResult, printed: PrintedP | None, alpha: float,
               rounding: Rounding) -> bool:
    return printed is None or printed.consistent_with(*spec.p_span, alpha, rounding)


def decide_verdict(*, claimed: bool, specs: tuple[SpecResult, ...], alpha: float,
                   rounding: Rounding | str, printed_p: PrintedP | None, printed_statistic: PrintedNumber | None,
                   statistic_specs: tuple[str, ...], impossible: tuple[str, ...],
                   missing: tuple[str, ...], fragile_reasons: tuple[str, ...],
                   squared_specs: tuple[str, ...] = (), estimate=None) -> VerdictResult:
    """Apply the rules of the module docstring.

    Parameters
    ----------
    claimed : bool
        The significance the paper claims.
    specs : tuple of SpecResult
        Every rebuilt spec, with roles.
    rounding : Rounding or str
        How the printed p and statistic were rounded.
    printed_p, printed_statistic
        The paper's printed p and statistic (None when not printed).
    statistic_specs : tuple of str
        Names of the specs whose statistic is of the printed statistic's kind (a printed chi2 is
        compared with Pearson's and Yates' chi-square, not with Fisher's test).
    impossible : tuple of str
        Sentences saying which printed numbers cannot be true.
    missing : tuple of str
        The numbers that were not printed.
    fragile_reasons : tuple of str
        Sentences from robustness analyses that overturn the claim.
    squared_specs : tuple of str
        Those of ``statistic_specs`` whose statistic is the square root of the printed one
        (two-arm t-tests against a printed F = t**2).
    estimate : EstimateCheck, optional
        The printed unadjusted estimate rebuilt by every method over the box
        (:func:`reanalyse.rebuild.estimates.check_estimate`).
    """
    claim_word = "significant" if claimed else "not significant"
    partition = partition_specs(specs, claimed)

    def result(verdict, reason, matched=None):
        return VerdictResult(verdict, reason, matched, partition)

    if impossible:
        return result(Verdict.IMPOSSIBLE_INPUT, "The printed numbers cannot all be true: "
                      + "; ".join(impossible) + ".")
    by_name = {s.name: s for s in specs}
    judged = [by_name[name] for name in partition.judged]
    reported = [by_name[name] for name in partition.reported]
    if not partition.basis:
        reason = ("No test can be rebuilt: the study file lacks " + _listed(missing) + "."
                  if missing else "No test can be rebuilt from the printed numbers.")
        if any(s.role == "context" and s.computed for s in specs):
            reason += (" The tests rebuilt from the printed summaries are shown as context, "
                       "not judged.")
        failure = None if estimate is None else estimate.failure()
        if failure is not None:
            reason += f" Besides, {failure}."
        return result(Verdict.INSUFFICIENT_INFORMATION, reason)
    agree, against, straddle = ([by_name[name] for name in names] for names in
                                (partition.agree, partition.against, partition.straddle))
    what = "defensible test" if judged else "rebuilt p"
    failure = None if estimate is None else estimate.failure()
    besides = "" if failure is None else f" Besides, {failure}."
    if not agree and not straddle:
        return result(Verdict.DECISION_FLIP,
                      f"The claim is {claim_word} at alpha = {alpha:g}, but no {what} "
                      f"gives that over the rounding of the printed numbers: "
                      f"{_names(against)}.{besides}")
    if failure is not None and estimate.flips:
        return result(Verdict.DECISION_FLIP,
                      f"The printed {estimate.printed} lies {_SIDES[estimate.printed_side]} "
                      f"the null, where no CI rebuilt from the printed {estimate.source} lies, "
                      f"by any method: {estimate.given()}.")
    if against or straddle:
        parts = []
        if agree:
            parts.append(f"{_names(agree)} {_verb(agree, 'supports', 'support')} it")
        if against:
            parts.append(f"{_names(against)} {_verb(against, 'does', 'do')} not")
        if straddle:
            parts.append(f"{_names(straddle)} {_verb(straddle, 'crosses', 'cross')} alpha "
                  "within the rounding of the printed numbers")
        if against and straddle:
            cause = "the choice of test and the rounding of the printed numbers"
        elif against:
            cause = "the choice of test"
        else:
            cause = "the rounding of the printed numbers"
        return result(Verdict.FRAGILE,
                      f"Whether the result is {claim_word} depends on {cause}: "
                      + "; ".join(parts) + "." + besides)
    if fragile_reasons:
        return result(Verdict.FRAGILE, "Every rebuilt test agrees, but "
                      + "; ".join(fragile_reasons) + ".")

    def matches(spec):
        statistic_ok = spec.name not in statistic_specs or _statistic_matches(
            spec, printed_statistic, rounding, squared=spec.name in squared_specs)
        return statistic_ok and _p_matches(spec, printed_p, alpha, rounding)

    if failure is not None:
        return result(Verdict.INCONSISTENT, f"The decision holds, but {failure}"
                      + _ci_disagreement(reported, judged) + ".")
    unreproducible = [s for s in reported if not _p_matches(s, printed_p, alpha, rounding)]
    if unreproducible:
        spec = unreproducible[0]
        return result(Verdict.INCONSISTENT,
                      f"The decision holds, but the printed {_printed_result(None, printed_p)} "
                      f"does not follow from the paper's own numbers: the {spec.label} gives "
                      f"{format_p_interval(spec)}{_other_reading(spec)}.")
    if not judged:
        if printed_p is None:
            return result(Verdict.REPRODUCED, f"No p is printed; the paper's own "
                          f"{reported[0].label} gives {format_p_interval(reported[0])}, "
                          f"{claim_word} as claimed{_other_reading(reported[0])}.",
                          reported[0].name)
        return result(Verdict.REPRODUCED, f"The printed p follows from the paper's own "
                      f"{' and '.join(s.label for s in reported)}, and is {claim_word}.",
                      reported[0].name)
    primary = [s for s in judged if s.role == "primary" and matches(s)]
    if primary:
        return result(Verdict.REPRODUCED,
                      f"{_names(primary[:1])} rebuilds the printed result, and "
                      f"{_every(claimed)} defensible test is significant.", primary[0].name)
    alternative = [s for s in judged if s.role == "alternative" and matches(s)]
    if alternative:
        return result(Verdict.REPRODUCED_WITH_ALTERNATIVE,
                      f"Only {_names(alternative[:1])} rebuilds the printed result (not "
                      f"the test the paper names); {_every(claimed)} defensible test is "
                      "significant.", alternative[0].name)
    return result(Verdict.INCONSISTENT,
                  f"{_every(claimed).capitalize()} defensible test is significant, as "
                  "claimed, but none rebuilds "
                  f"the printed {_printed_result(printed_statistic, printed_p)}: "
                  f"{_names(judged)}.")
