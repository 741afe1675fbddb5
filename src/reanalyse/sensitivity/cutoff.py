"""Exact bounds beyond a cut-off for a claim: what the printed means and SDs allow of the counts.

A binary outcome ``derived_from`` a continuous one on a bounded integer scale (``scale`` with
``min``, ``max`` and ``items``) is a count of the same participants' scores beyond a cut-off.
For each arm with n, mean and SD printed, the exact range ``[count_min, count_max]`` of that
count over every dataset of scale scores whose mean and SD print as the printed ones
(:mod:`reanalyse.kernels.cutoff_bounds`, each end attained by a witness dataset) decides:

* with a stated ``cutoff``: a printed count (or every count a printed percentage allows)
  outside the range cannot coexist with the printed mean and SD.  That makes the binary claim
  ``impossible_input`` (:attr:`CutoffAnalysis.impossible_reasons`, rule 1 of
  :mod:`reanalyse.claims.verdicts`).  A mean and SD that no dataset fits at all is an
  impossible input for the binary and the continuous claim alike.
* with no stated cut-off: every cut-off of the scale is tried (the sweep), and a note names the
  cut-offs at which the printed counts are possible, and what the conventional cut-offs
  (``cutoff_candidates``) allow.  The claim keeps its verdict.
* two arms: the range of the count difference, and for each 2 x 2 test whether any pair of
  counts the bounds allow reaches significance (the tests at every count pair of the two
  ranges: when none is significant, no dataset fitting the means and SDs can be; a significant
  pair at the extremes is attained by the witnesses).

Beside the exact reading, the normal model's expected count (``n`` times the normal tail beyond
the cut-off, continuity-corrected) is given, labelled as a model.

Cost: a work budget, never a clock.  Each exact question of a claim (the bounds at one
cut-off, whether one printed count fits at one cut-off) may solve at most :data:`PROGRAMMES`
integer programmes, each within :data:`reanalyse.kernels.cutoff_bounds.NODE_LIMIT`
branch-and-bound nodes; the constructed certificates that settle most questions cost no
programme.  A cut-off not settled within its budget is reported as undetermined beyond its
bracket (which is still a proof), never guessed; an undetermined cut-off never makes a claim
``impossible_input`` unless the printed count lies outside its bracket.  The same study gets
the same verdicts and notes on every machine, however loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from reanalyse.errors import WorkBudgetExceeded
from reanalyse.rebuild.binary import feasible_events
from reanalyse.kernels import cutoff_bounds as bounds_kernel
from reanalyse.kernels.cutoff_bounds import (CountDifference, CutoffBounds, CutoffSweep, Scale,
                                             count_witness)
from reanalyse.kernels.cutoffs import WORDS, cutoff_text, parse_cutoff, score_runs, score_text
from reanalyse.kernels.printed import Rounding
from reanalyse.kernels.twobytwo import TESTS, pvalue_window, two_sided_only
from reanalyse.model import tests
from reanalyse.model.study import Outcome, Study
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.pvalues import significant
from reanalyse.sensitivity._common import NotComputed, clean
from reanalyse.sensitivity.dichotomisation import implied_proportion

__all__ = ["ArmCutoff", "TestReach", "CutoffAnalysis", "exact_cutoff", "PROGRAMMES",
           "WORDS", "score_runs"]

#: Work budget of one exact question of a claim: integer programmes solved (see above).
PROGRAMMES = 4


@dataclass(frozen=True)
class ArmCutoff:
    """One arm: the printed numbers and what the exact bounds say of its count.

    Attributes
    ----------
    label : str
    n : int
    mean, sd : str
        As printed.
    counts : tuple of int
        The printed count, or every count the printed percentage allows (empty for a
        continuous claim).
    printed : str
        ``15 of 60`` or ``25.0% of 60``.
    feasible : bool or None
        Whether any dataset of scores on the scale fits the mean and SD (None: undetermined).
    stated : CutoffBounds or None
        At the stated cut-off.
    stated_fits : bool or None
        Whether a printed count is possible at the stated cut-off (None: undetermined or no
        cut-off stated).
    candidates : tuple of CutoffBounds
        At each conventional cut-off.
    sweep : CutoffSweep or None
        At every scale point, in the analysis's direction.
    sweep_skipped : str or None
        Why there is no sweep when its work would pass its bound (``MAX_SWEEP_PAIRS``).
    fits : tuple of (bool or None)
        Per row of ``sweep``: whether a printed count is possible there.
    model : tuple of (str, float)
        ``(cut-off, expected count)`` under a normal model with the printed mean and SD, at
        the stated or conventional cut-offs (a model, not a proof).
    """

    label: str
    n: int
    mean: str
    sd: str
    counts: tuple[int, ...] = ()
    printed: str = ""
    feasible: bool | None = None
    stated: CutoffBounds | None = None
    stated_fits: bool | None = None
    candidates: tuple = ()
    sweep: CutoffSweep | None = field(default=None, repr=False)
    fits: tuple = ()
    model: tuple = ()
    sweep_skipped: str | None = None

    def fitting_cutoffs(self) -> list:
        """The sweep's cut-offs at which a printed count is possible (exact)."""
        return [b.cutoff for b, fits in zip(self.sweep.bounds, self.fits) if fits] \
            if self.sweep is not None else []

    def undetermined_cutoffs(self) -> list:
        """The sweep's cut-offs left undetermined by the work budget."""
        return [b.cutoff for b, fits in zip(self.sweep.bounds, self.fits) if fits is None] \
            if self.sweep is not None else []

    def to_dict(self) -> dict:
        """JSON-ready form (the sweep's rows with the fit of the printed count)."""
        sweep = None
        if self.sweep is not None:
            sweep = self.sweep.to_dict()
            for row, fits in zip(sweep["rows"], self.fits):
                row["printed_count_fits"] = fits
        return {"label": self.label, "n": self.n, "mean": self.mean, "sd": self.sd,
                "counts": list(self.counts), "printed": self.printed, "feasible": self.feasible,
                "stated": None if self.stated is None else self.stated.to_dict(),
                "stated_fits": self.stated_fits,
                "candidates": [b.to_dict() for b in self.candidates], "sweep": sweep,
                "sweep_skipped": self.sweep_skipped,
                "normal_model": [{"cutoff": c, "expected_count": v} for c, v in self.model]}


@dataclass(frozen=True)
class TestReach:
    """Whether a 2 x 2 test can reach significance with counts the bounds allow.

    ``reachable`` is True when a pair attained by witness datasets (the ends of the two
    ranges) is significant, False when no pair of the two ranges is, None otherwise.
    ``p_min`` is the smallest p over the pairs of the ranges, at ``pair``.
    """

    name: str
    label: str
    reachable: bool | None
    p_min: float
    pair: tuple[int, int]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"name": self.name, "label": self.label, "reachable": self.reachable,
                "p_min": self.p_min, "pair": list(self.pair)}


@dataclass(frozen=True)
class CutoffAnalysis:
    """The exact bounds beyond a cut-off for one claim's arms.

    Attributes
    ----------
    outcome_type : str
        The claim's outcome type (a continuous claim gets the feasibility part only).
    scale : Scale
    scale_label : str
        The continuous outcome's label.
    relation : str
        The direction of the sweep (the stated cut-off's, else the candidates', else ``>=``).
    stated : str or None
        The stated cut-off.
    candidates : tuple of str
        Conventional cut-offs named by the study file.
    arms : tuple of ArmCutoff
    difference : CountDifference or None
        At the stated cut-off, else at the first candidate, when both arms are determined.
    difference_at : str or None
        The cut-off of ``difference``.
    printed_difference : tuple of int
        Treatment minus control printed counts (every difference the percentages allow).
    reach : tuple of TestReach
        At ``difference_at``.
    alpha : float
    """

    outcome_type: str
    scale: Scale
    scale_label: str
    relation: str
    stated: str | None
    candidates: tuple[str, ...]
    arms: tuple[ArmCutoff, ...]
    difference: CountDifference | None = None
    difference_at: str | None = None
    printed_difference: tuple[int, ...] = ()
    reach: tuple[TestReach, ...] = ()
    alpha: float = 0.05

    computed = True

    def _scale_text(self) -> str:
        return (f"the {score_text(self.scale.minimum)} to {score_text(self.scale.maximum)} scale of "
                f"{self.scale_label}")

    def _mean_sd(self, arm: ArmCutoff) -> str:
        return f"a mean of {arm.mean} and an SD of {arm.sd}"

    @property
    def impossible_reasons(self) -> tuple[str, ...]:
        """Clauses (lower-case, no final stop) proving that printed numbers cannot all be
        true: a mean and SD no dataset fits; a count outside the range at the stated cut-off."""
        reasons = []
        for arm in self.arms:
            if arm.feasible is False:
                reasons.append(
                    f"no {arm.n} scores on {self._scale_text()} have {self._mean_sd(arm)} "
                    f"({arm.label}), so these cannot all be true whatever the cut-off")
            elif arm.stated_fits is False:
                bounds = arm.stated
                words = WORDS[bounds.direction]
                if bounds.determined:
                    allowed = (f"those allow {bounds.count_min} to {bounds.count_max}"
                               if bounds.count_min != bounds.count_max
                               else f"those allow exactly {bounds.count_min}")
                    if any(bounds.count_min <= c <= bounds.count_max for c in arm.counts):
                        allowed += ", but not exactly this count"
                else:
                    allowed = (f"those allow at most {bounds.bracket[1]} and at least "
                               f"{bounds.bracket[0]}")
                reasons.append(
                    f"{arm.printed} in {arm.label} {words} {score_text(bounds.cutoff)} cannot "
                    f"coexist with {self._mean_sd(arm)} on {self._scale_text()}: {allowed}")
        return tuple(reasons)

    @property
    def swept(self) -> tuple[ArmCutoff, ...]:
        """The arms swept over every cut-off whose printed mean and SD some dataset fits."""
        return tuple(arm for arm in self.arms if arm.feasible and arm.sweep is not None)

    @property
    def fitting_together(self) -> tuple:
        """The cut-offs at which every swept arm's printed count fits its mean and SD."""
        if not self.swept:
            return ()
        return tuple(sorted(set.intersection(*(set(arm.fitting_cutoffs())
                                               for arm in self.swept))))

    @property
    def notes(self) -> tuple[str, ...]:
        """What the sweep and the bounds add (sentences)."""
        if self.outcome_type != "binary":
            return ()
        notes = []
        words = WORDS[self.relation]
        for arm in self.arms:
            if arm.sweep_skipped is not None:
                notes.append(f"{arm.printed} ({arm.label}): the cut-offs it fits were not "
                             f"sought ({arm.sweep_skipped})")
            if arm.sweep is None or arm.feasible is False:
                continue
            fitting = arm.fitting_cutoffs()
            head = f"{arm.printed} ({arm.label})"
            if fitting:
                text = (f"{head} fits the printed mean and SD only with a cut-off of "
                        f"{score_runs(fitting)} (counting scores {words} it)")
            else:
                text = (f"{head} fits the printed mean and SD with no cut-off of the scale "
                        f"(counting scores {words} it)")
            for bounds in arm.candidates:
                if bounds.determined and bounds.feasible:
                    span = (f"at most {bounds.count_max} could be" if bounds.count_min == 0
                            else f"{bounds.count_min} to {bounds.count_max} could be")
                    cut = cutoff_text(bounds.direction, bounds.cutoff)
                    text += f"; at the conventional {cut} {span}"
            undetermined = arm.undetermined_cutoffs()
            if undetermined:
                text += (f" (undetermined beyond the proven bracket within the work budget "
                         f"at cut-offs "
                         f"{score_runs(undetermined)})")
            notes.append(text)
        if len(self.arms) == 2 and all(a.sweep is not None for a in self.arms):
            both = sorted(set(self.arms[0].fitting_cutoffs())
                          & set(self.arms[1].fitting_cutoffs()))
            if both:
                notes.append(f"Both printed counts fit together only with a cut-off of "
                             f"{score_runs(both)}")
            elif all(a.feasible for a in self.arms):
                notes.append("No single cut-off of the scale fits both printed counts")
        return tuple(notes)

    def _difference_text(self) -> str | None:
        if self.difference is None or self.difference.difference_min is None:
            return None
        d = self.difference
        printed = ", ".join(str(v) for v in self.printed_difference)
        text = (f"at {self.difference_at} the datasets that fit the means and SDs allow a "
                f"count difference from {d.difference_min} to {d.difference_max} "
                f"(printed: {printed})")
        yes = [r for r in self.reach if r.reachable]
        no = [r for r in self.reach if r.reachable is False]
        if yes:
            best = min(yes, key=lambda r: r.p_min)
            text += ("; " + ", ".join(r.label for r in yes) + f" can reach p <= {self.alpha:g} "
                     f"with such datasets (e.g. {best.pair[0]} vs {best.pair[1]}: "
                     f"{best.label} p = {format_p(best.p_min)})")
        if no:
            text += ("; " + ", ".join(f"{r.label} (smallest p {format_p(r.p_min)})" for r in no)
                     + " cannot")
        return text

    @property
    def explanation(self) -> str:
        """What the exact bounds say, then the model's reading, labelled as such."""
        sentences = []
        impossible = self.impossible_reasons
        if impossible:
            sentences.append("Exact bounds: " + "; ".join(impossible) + ".")
        for arm in self.arms:
            if arm.stated is not None and arm.stated.determined and arm.stated.feasible \
                    and arm.stated_fits is not False:
                b = arm.stated
                sentences.append(
                    f"Exact bounds: with {self._mean_sd(arm)} ({arm.label}, n = {arm.n}), "
                    + (f"exactly {b.count_min}" if b.count_min == b.count_max
                       else f"{b.count_min} to {b.count_max}")
                    + f" scores {WORDS[b.direction]} "
                    f"{score_text(b.cutoff)} are possible; {arm.printed} is among them.")
            elif self.outcome_type != "binary" and arm.feasible:
                sentences.append(f"Exact bounds: some dataset of {arm.n} scores on "
                                 f"{self._scale_text()} has {self._mean_sd(arm)} "
                                 f"({arm.label}).")
        sentences += [note + "." for note in self.notes]
        difference = self._difference_text()
        if difference:
            sentences.append(difference[0].upper() + difference[1:] + ".")
        model = [f"{arm.label}: " + ", ".join(f"{v:.1f} of {arm.n} {WORDS[c.split()[0]]} "
                                              f"{c.split()[1]}" for c, v in arm.model)
                 for arm in self.arms if arm.model]
        if model:
            sentences.append("Normal model (a reading, not a proof): expected counts "
                             + "; ".join(model) + ".")
        return " ".join(sentences)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return clean({
            "computed": True, "outcome_type": self.outcome_type, "scale": self.scale.to_dict(),
            "scale_label": self.scale_label, "relation": self.relation, "stated": self.stated,
            "candidates": list(self.candidates), "arms": [a.to_dict() for a in self.arms],
            "difference": None if self.difference is None else self.difference.to_dict(),
            "difference_at": self.difference_at,
            "printed_difference": list(self.printed_difference),
            "reach": [r.to_dict() for r in self.reach], "alpha": self.alpha,
            "impossible_reasons": list(self.impossible_reasons), "notes": list(self.notes),
            "explanation": self.explanation})


# ----------------------------------------------------------------------------------------
# cached exact computations (pure functions of the printed texts and the fixed work budget)

_CACHE: dict = {}
_CACHE_SIZE = 512


def _cached(key, compute):
    """``compute()``, kept: with a fixed work budget the answer depends on the key only."""
    if key in _CACHE:
        return _CACHE[key]
    result = compute()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def _bounds(n, mean, sd, scale, cutoff, relation, rounding, programmes):
    return _cached(("bounds", n, mean, sd, scale, cutoff, relation, rounding, programmes),
                   lambda: bounds_kernel.cutoff_bounds(n, mean, sd, scale, cutoff, relation,
                                                       rounding=rounding,
                                                       programmes=programmes))


def _sweep(n, mean, sd, scale, relation, rounding, programmes):
    return _cached(("sweep", n, mean, sd, scale, relation, rounding, programmes),
                   lambda: bounds_kernel.cutoff_sweep(n, mean, sd, scale, relation,
                                                      rounding=rounding,
                                                      programmes=programmes))


def _scale_of(outcome: Outcome) -> Scale | None:
    scale = outcome.scale
    if scale is None or None in (scale.min, scale.max, scale.items):
        return None
    return Scale(Fraction(repr(float(scale.min))), Fraction(repr(float(scale.max))),
                 scale.items)


def _printed_counts(summary, rounding) -> tuple[tuple[int, ...], str]:
    if summary.events is not None:
        return (summary.events,), f"{summary.events} of {summary.n}"
    counts = tuple(int(k) for k in feasible_events(summary.n, summary.percent, rounding))
    return counts, f"{summary.percent}% of {summary.n}"


def _fits(bounds: CutoffBounds, counts, programmes) -> bool | None:
    """Whether some printed count is possible at ``bounds``' cut-off (exact; None when the
    work budget runs out or the bounds are undetermined inside their bracket)."""
    if bounds.feasible is False:
        return False
    low, high = bounds.bracket
    inside = [c for c in counts if low <= c <= high]
    if not inside:
        return False
    if not bounds.determined:
        return None
    inside = [c for c in inside if bounds.count_min <= c <= bounds.count_max]
    if not inside:
        return False
    if any(c in (bounds.count_min, bounds.count_max) for c in inside):
        return True
    unsettled = False
    for count in inside:
        try:
            if count_witness(bounds, count, programmes=programmes) is not None:
                return True
        except WorkBudgetExceeded:
            unsettled = True
    return None if unsettled else False


def _model(mean: float, sd: float, cutoffs, n: int, scale, step) -> tuple:
    out = []
    for cutoff in cutoffs:
        implied = implied_proportion(mean, sd, cutoff, scale_min=scale.min,
                                     scale_max=scale.max, score_step=step)
        out.append((str(cutoff), n * implied.normal))
    return tuple(out)


def _reach(treat: CutoffBounds, control: CutoffBounds, alternative, alpha) -> tuple:
    rows = np.arange(treat.count_min, treat.count_max + 1)
    columns = np.arange(control.count_min, control.count_max + 1)
    corners = {(treat.count_min, control.count_max), (treat.count_max, control.count_min),
               (treat.count_min, control.count_min), (treat.count_max, control.count_max)}
    out = []
    for name in TESTS:
        if alternative != "two-sided" and two_sided_only(name):
            continue  # the chi-square tests have no one-sided form
        p = pvalue_window(name, treat.n, control.n, rows, columns, alternative)
        i, j = np.unravel_index(int(np.argmin(p)), p.shape)
        corner = min((float(pvalue_window(name, treat.n, control.n, [a], [c],
                                          alternative)[0, 0]), (a, c)) for a, c in corners)
        if significant(corner[0], alpha):
            reachable, p_min, pair = True, corner[0], corner[1]
        else:
            reachable = None if significant(float(p[i, j]), alpha) else False
            p_min, pair = float(p[i, j]), (int(rows[i]), int(columns[j]))
        out.append(TestReach(name, tests.label(name), reachable, p_min, pair))
    return tuple(out)


def exact_cutoff(study: Study, claim, outcome: Outcome, arm_ids, labels, *,
                 rounding: Rounding | str = Rounding.NEAREST, alpha: float = 0.05,
                 programmes: int = PROGRAMMES):
    """The exact bounds beyond a cut-off for one claim (see the module docstring).

    Parameters
    ----------
    study, claim, outcome
        The claim and its outcome (binary derived from a scale, or continuous on one).
    arm_ids, labels : sequence of str
        The compared arms, treatment first.
    rounding : Rounding or str
        How the printed numbers were rounded.
    alpha : float
        For the tests' reach.
    programmes : int
        Work budget of each exact question (see the module docstring).

    Returns
    -------
    CutoffAnalysis or NotComputed
    """
    if outcome.type == "binary":
        if outcome.derived_from is None:
            return NotComputed("cutoff", "the study file does not say that this binary outcome "
                               "is a cut-off of a scale (derived_from)")
        binary, continuous = outcome, study.outcome(outcome.derived_from)
    else:
        binary, continuous = None, outcome
    try:
        scale = _scale_of(continuous)
    except ValueError as error:  # a scale finer than the exact bounds' work is bounded for
        return NotComputed("cutoff", f"no exact bounds for the scale of '{continuous.id}': "
                           f"{error}")
    if scale is None:
        return NotComputed("cutoff", f"the scale of '{continuous.id}' needs min, max and items "
                           "for exact bounds", (f"scale min, max and items of {continuous.id}",))
    stated = None if binary is None or binary.cutoff is None else parse_cutoff(binary.cutoff)
    texts = (binary.cutoff_candidates if binary is not None and binary.cutoff_candidates
             else (continuous.scale.cutoff_candidates if binary is not None else ()))
    candidates = tuple(parse_cutoff(text) for text in texts)
    relation = (stated.relation if stated is not None else
                candidates[0].relation if candidates else ">=")
    step = 1.0 / scale.items
    arms, skipped = [], []
    for arm_id, label in zip(arm_ids, labels):
        summary = continuous.arms.get(arm_id)
        if summary is None or summary.n is None or summary.mean is None or summary.sd is None \
                or summary.n < 2:
            derived = summary is not None and (summary.se is not None or summary.ci is not None)
            # the exact bounds read a printed SD's digits, which an SD implied by an SE or a
            # CI does not have
            skipped.append(f"n, mean and SD of {continuous.id} for {label}" + (
                " (printed as an SD: one implied by an SE or a CI has no printed digits to "
                "bound)" if derived else ""))
            continue
        n, mean, sd = summary.n, summary.mean.text, summary.sd.text
        common = dict(label=label, n=n, mean=mean, sd=sd)
        try:
            if binary is None:
                low = _bounds(n, mean, sd, scale, scale.minimum, ">=", rounding, programmes)
                arms.append(ArmCutoff(**common, feasible=low.feasible))
                continue
            count_arm = binary.arms.get(arm_id)
            if count_arm is None or count_arm.missing() or count_arm.n != n:
                skipped.append(f"{binary.id} for {label} with the same n as {continuous.id}")
                continue
            counts, printed = _printed_counts(count_arm, rounding)
            at_stated = stated_fits = None
            if stated is not None:
                at_stated = _bounds(n, mean, sd, scale, stated.exact, stated.relation,
                                    rounding, programmes)
                stated_fits = _fits(at_stated, counts, programmes)
            at_candidates = tuple(_bounds(n, mean, sd, scale, c.exact, c.relation, rounding,
                                          programmes) for c in candidates)
            try:
                sweep, skipped_sweep = _sweep(n, mean, sd, scale, relation, rounding,
                                              programmes), None
                fits, feasible = tuple(_fits(b, counts, programmes) for b in sweep.bounds), \
                    sweep.feasible
            except WorkBudgetExceeded as error:  # the bounds at stated cut-offs still stand
                sweep, skipped_sweep, fits = None, str(error), ()
                feasible = next((b.feasible for b in (at_stated, *at_candidates)
                                 if b is not None and b.determined), None)
            model = _model(summary.mean.value, summary.sd.value,
                           ((stated,) if stated else ()) + candidates, n, continuous.scale,
                           step)
            arms.append(ArmCutoff(**common, counts=counts, printed=printed, feasible=feasible,
                                  stated=at_stated, stated_fits=stated_fits,
                                  candidates=at_candidates, sweep=sweep, fits=fits,
                                  model=model, sweep_skipped=skipped_sweep))
        except ValueError as error:
            skipped.append(f"exact bounds for {label} ({error})")
    if not arms:
        return NotComputed("cutoff", "no arm has the numbers exact bounds need",
                           tuple(skipped))
    analysis = CutoffAnalysis(outcome.type, scale, continuous.label, relation,
                              None if stated is None else str(stated),
                              tuple(str(c) for c in candidates), tuple(arms),
                              alpha=alpha)
    if binary is None or len(arms) != 2:
        return analysis
    at, pair = None, None
    if stated is not None:
        at, pair = str(stated), (arms[0].stated, arms[1].stated)
    elif candidates:
        at, pair = str(candidates[0]), (arms[0].candidates[0], arms[1].candidates[0])
    if pair is None or not all(b.determined and b.feasible for b in pair):
        return analysis
    difference = bounds_kernel.count_difference(*pair)
    printed = tuple(sorted({a - c for a in arms[0].counts for c in arms[1].counts}))
    reach = _reach(*pair, claim.alternative, alpha)
    return CutoffAnalysis(outcome.type, scale, continuous.label, relation, analysis.stated,
                          analysis.candidates, analysis.arms, difference, at, printed, reach,
                          alpha)
