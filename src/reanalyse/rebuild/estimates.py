"""A printed effect estimate and its CI, rebuilt from the counts or the means and SDs.

A printed OR, RR or RD beside each arm's events and n, or an MD or SMD beside each arm's n,
mean and SD, is a printed number like a p-value: :func:`check_estimate` rebuilds it by every
method a paper could defensibly have used, over the rounding box, and says which methods give
the printed value and which give both printed CI ends.

Methods (the intervals are kernels: :mod:`reanalyse.kernels.binary_intervals`,
:mod:`reanalyse.kernels.mean_intervals`):

====  ==========================================================================================
OR    sample OR with Woolf's interval (0.5 added to every cell when one is zero); conditional
      MLE with the exact interval (R ``fisher.test``); conditional MLE with the mid-p interval
RR    sample RR with Katz's log interval (0.5 added when a cell is zero); Koopman's score
      interval
RD    Wald; Newcombe's hybrid score (Wilson) interval; Agresti-Caffo
MD    pooled-variance t, Welch t, normal (escalc) intervals
SMD   Hedges' g with escalc's LS, LS2 and UB variances; Cohen's d
====  ==========================================================================================

Arms so large that the conditional intervals would exceed
:data:`reanalyse.kernels.binary_intervals.MAX_CONDITIONAL_CELLS` are judged by the other
methods (the conditional ones then differ from Woolf's in the fourth digit at most).

The box: every count pair the printed percentages allow (each pair's estimate and CI judged
together), or every corner of the means' and SDs' rounding intervals.  Over the corners each
printed number is compared with the range its method takes (the mean difference is linear in
the means and its half-width increases with each SD; |g| falls as either SD grows; so the
corners give each quantity's extremes).  A printed number *fits* a method when its own
rounding interval meets the method's value (or range); the estimate and the CI are judged
separately, since papers print the sample estimate beside whichever interval they computed.

A risk difference printed in percentage points (``percent: true``) is compared on that scale.

Direction: a printed estimate that fits only as control over treatment (the reciprocal of a
ratio, the negated difference) is read that way, and :attr:`EstimateCheck.note` says so.

HR and IRR need time-to-event or person-time data that summary counts do not hold: they are
context only (their CI's implied p is still checked).  Adjusted estimates are not rebuilt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.binary_intervals import BINARY_METHODS, IntervalTooLargeError, \
    binary_intervals
from reanalyse.kernels.mean_intervals import MD_METHODS, SMD_METHODS, md_intervals, \
    smd_intervals
from reanalyse.kernels.printed import Rounding
from reanalyse.rebuild.continuous import box_corners
from reanalyse.rebuild.results import fields_dict

__all__ = ["MethodFit", "EstimateCheck", "check_estimate", "continuous_rows", "REBUILT_MEASURES",
           "CONTEXT_MEASURES", "MAX_EXACT_PAIRS"]

#: Measures rebuilt from summary numbers, by outcome type.
REBUILT_MEASURES = {"binary": ("OR", "RR", "RD"), "continuous": ("MD", "SMD")}

#: Measures shown as context only (their CI's p is checked, the estimate is not rebuilt).
CONTEXT_MEASURES = ("HR", "IRR")

#: Count pairs at which the conditional (exact and mid-p) intervals are computed; beyond, at
#: the printed pair and the four corners of the counts' ranges, where the limits, monotone in
#: each count, take their extremes.
MAX_EXACT_PAIRS = 64

_LABELS = {**{name: label for name, label in BINARY_METHODS.items()}, **MD_METHODS,
           **SMD_METHODS}


@dataclass(frozen=True)
class MethodFit:
    """One method's rebuilt estimate and CI over the box, and which printed numbers it gives.

    ``estimate``, ``low`` and ``high`` are (smallest, largest) over the box; ``at_printed`` is
    (estimate, low, high) at the printed numbers (the pair closest to printed percentages).
    ``sides`` are the sides of the null the rebuilt CI takes somewhere in the box (1 above,
    -1 below, 0 across).
    """

    method: str
    label: str
    estimate: tuple[float, float]
    low: tuple[float, float]
    high: tuple[float, float]
    at_printed: tuple[float, float, float]
    estimate_fits: bool
    ci_fits: bool
    sides: tuple[int, ...]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return fields_dict(self)


@dataclass(frozen=True)
class EstimateCheck:
    """A printed estimate judged against every method, as printed or in the other direction.

    Attributes
    ----------
    measure : str
    printed : str
        The estimate as printed (``OR 3.50 (95% CI 1.40 to 8.60)``).
    direction : str
        ``as printed``, ``reciprocal`` (a ratio read as control over treatment) or ``negated``.
    methods : tuple of MethodFit
        In the direction read.
    has_value, has_ci : bool
        Whether the paper printed the estimate, and its CI.
    printed_side : int or None
        The printed CI's side of the null (1 above, -1 below, 0 across), in the direction read.
    pairs : int
        Count pairs (binary) or corners (continuous) evaluated.
    """

    measure: str
    printed: str
    direction: str
    methods: tuple[MethodFit, ...]
    has_value: bool
    has_ci: bool
    printed_side: int | None
    pairs: int = 1
    level: float = 0.95
    source: str = "counts"

    @property
    def estimate_methods(self) -> tuple[str, ...]:
        """Methods whose estimate gives the printed value."""
        return tuple(m.method for m in self.methods if m.estimate_fits)

    @property
    def ci_methods(self) -> tuple[str, ...]:
        """Methods whose interval gives both printed CI ends."""
        return tuple(m.method for m in self.methods if m.ci_fits)

    @property
    def rebuilt(self) -> bool:
        """Whether some method gives the printed value and some gives the printed CI."""
        return (not self.has_value or bool(self.estimate_methods)) and \
            (not self.has_ci or bool(self.ci_methods))

    @property
    def flips(self) -> bool:
        """Whether the printed CI lies on a side of the null that no rebuilt CI reaches."""
        if not self.has_ci or self.rebuilt or self.printed_side is None:
            return False
        return not any(self.printed_side in m.sides for m in self.methods)

    @property
    def note(self) -> str | None:
        """Says so when the estimate was read in the other direction."""
        if self.direction == "as printed":
            return None
        way = ("its reciprocal (control over treatment)" if self.direction == "reciprocal"
               else "the negated difference (control minus treatment)")
        return (f"the printed {self.printed} fits the numbers only as {way}, and is read "
                "that way")

    def given(self) -> str:
        """What the printed numbers give instead: ``the counts give OR 2.67, 95% CI 1.09 to
        6.52 (Woolf), ...`` (every method's interval at the printed numbers)."""
        intervals = [f"{_fmt(m.at_printed[1])} to {_fmt(m.at_printed[2])} ({m.label})"
                     for m in self.methods if all(map(math.isfinite, m.at_printed[1:]))]
        return (f"the {self.source} give {self.measure} {_fmt(self.methods[0].at_printed[0])}"
                + (f", {self.level:.0%} CI {', '.join(intervals)}" if intervals else ""))

    def failure(self) -> str | None:
        """A clause naming the printed numbers no method rebuilds and what the numbers give
        instead, by which method (None when rebuilt)."""
        if self.rebuilt:
            return None
        value_failed = self.has_value and not self.estimate_methods
        ci_failed = self.has_ci and not self.ci_methods
        which = ("neither its value nor its CI" if value_failed and ci_failed else
                 "its value" if value_failed else "its CI")
        return f"the printed {self.printed} is rebuilt by no method ({which}): {self.given()}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = fields_dict(self)
        data.update(estimate_methods=list(self.estimate_methods), given=self.given(),
                    ci_methods=list(self.ci_methods), rebuilt=self.rebuilt, flips=self.flips,
                    note=self.note, failure=self.failure())
        return data


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf" if x < 0 else "undefined"
    return f"{x:#.3g}".rstrip(".") if abs(x) >= 0.001 or x == 0 else f"{x:.2g}"


def _printed_text(estimate) -> str:
    parts = [estimate.measure]
    if estimate.value is not None:
        parts.append(estimate.value.text)
    if estimate.ci is not None:
        parts.append(f"({estimate.level:.0%} CI {estimate.ci[0].text} to {estimate.ci[1].text})")
    return " ".join(parts)


def _targets(estimate, rounding, direction):
    """(value interval, low-end interval, high-end interval) in ``direction`` (None: not
    printed)."""
    value = None if estimate.value is None else estimate.value.interval(rounding)
    ends = None if estimate.ci is None else tuple(end.interval(rounding) for end in estimate.ci)
    if direction == "as printed":
        return value, ends
    if direction == "reciprocal":
        def flip(interval):
            low, high = interval
            return (1 / high if high > 0 else math.inf, 1 / low if low > 0 else math.inf)
    else:
        def flip(interval):
            return (-interval[1], -interval[0])
    value = None if value is None else flip(value)
    ends = None if ends is None else (flip(ends[1]), flip(ends[0]))
    return value, ends


def _meets(values, interval) -> np.ndarray:
    return (values >= interval[0]) & (values <= interval[1])


def _sides(low, high, null) -> np.ndarray:
    return np.where(low > null, 1, np.where(high < null, -1, 0))


def _spans(values: np.ndarray) -> list[tuple[float, float]]:
    """(smallest, largest) of each row of ``values``, finite or infinite, NaN left out."""
    low, high = values.min(axis=1), values.max(axis=1)
    unknown = np.isnan(low) | np.isnan(high)
    if unknown.any():
        low[unknown], high[unknown] = (np.nanmin(values[unknown], axis=1),
                                       np.nanmax(values[unknown], axis=1))
    return list(zip(low.tolist(), high.tolist()))


def _method_values(rows: dict) -> dict:
    """Each method's estimate, low and high as the rows of one array, with their spans
    (:func:`_spans`; one reduction for all methods when they share their pairs or corners)."""
    if len({len(row[0]) for row in rows.values()}) == 1:
        values = np.array(list(rows.values()), dtype=float)
        spans = _spans(values.reshape(-1, values.shape[-1]))
        return {name: (values[k], spans[3 * k:3 * k + 3]) for k, name in enumerate(rows)}
    return {name: (values, _spans(values)) for name, values in
            ((name, np.array(row, dtype=float)) for name, row in rows.items())}


def _fits(name, values, spans, value, ends, null, ranged) -> MethodFit:
    if ranged:  # continuous corners: each quantity's range over the box
        estimate_fits = value is not None and spans[0][0] <= value[1] and spans[0][1] >= value[0]
        ci_fits = ends is not None and all(span[0] <= end[1] and span[1] >= end[0]
                                           for span, end in zip(spans[1:], ends))
        sides = set()
        if spans[1][1] > null:
            sides.add(1)
        if spans[2][0] < null:
            sides.add(-1)
        if spans[1][0] <= null <= spans[2][1]:
            sides.add(0)
    else:  # count pairs: each pair's estimate and CI together
        est, low, high = values
        estimate_fits = value is not None and bool(_meets(est, value).any())
        ci_fits = ends is not None and bool((_meets(low, ends[0]) & _meets(high, ends[1])).any())
        sides = set(int(s) for s in np.unique(_sides(low, high, null)))
    return MethodFit(name, _LABELS[name], spans[0], spans[1], spans[2],
                     tuple(values[:, 0].tolist()), estimate_fits, ci_fits,
                     tuple(sorted(sides)))


def _binary_rows(estimate, pairs):
    a, c = pairs.pairs()
    try:
        rows = binary_intervals(estimate.measure, a, pairs.treat_n, c, pairs.control_n,
                                confidence_level=estimate.level, exact_limit=MAX_EXACT_PAIRS)
    except IntervalTooLargeError:  # arms too large for the conditional intervals: the rest
        methods = tuple(m for m in BINARY_METHODS if m not in ("conditional", "mid_p"))
        rows = binary_intervals(estimate.measure, a, pairs.treat_n, c, pairs.control_n,
                                confidence_level=estimate.level, methods=methods)
    if estimate.percent:  # a risk difference printed in percentage points
        rows = {name: tuple(100 * np.asarray(x) for x in row) for name, row in rows.items()}
    return rows, a.size


def continuous_rows(measure: str, boxes, confidence_level: float = 0.95) -> dict:
    """Every interval method of ``measure`` (MD or SMD) at the printed numbers (row 0) and at
    each corner of the means' and SDs' rounding box: ``{method: (estimate, low, high)}``."""
    treat, control = boxes
    m1, s1, m2, s2 = box_corners(treat, control)
    function = md_intervals if measure == "MD" else smd_intervals
    return function(m1, s1, treat.n, m2, s2, control.n, confidence_level=confidence_level)


def check_estimate(estimate, outcome_type: str, *, pairs=None, boxes=None,
                   rounding: Rounding | str = Rounding.NEAREST,
                   rows: dict | None = None) -> EstimateCheck | None:
    """Rebuild a printed unadjusted estimate by every method over the box.

    Parameters
    ----------
    estimate : Estimate
        As printed (measure, value, CI, level).
    outcome_type : {"binary", "continuous"}
    pairs : CountPairs, optional
        The feasible count pairs (binary outcomes).
    boxes : (ArmBox, ArmBox), optional
        Treatment and control rounding boxes (continuous outcomes).
    rows : dict, optional
        :func:`continuous_rows` of the estimate's measure and level, when the caller has them.

    Returns
    -------
    EstimateCheck or None
        None when the estimate is adjusted, is a context measure (HR, IRR), prints neither a
        value nor a CI, or does not belong to the outcome type.
    """
    if estimate.adjusted or estimate.measure not in REBUILT_MEASURES.get(outcome_type, ()) \
            or (estimate.value is None and estimate.ci is None):
        return None
    if outcome_type == "binary":
        rows, count = _binary_rows(estimate, pairs)
        ranged = False
    else:
        if rows is None:
            rows = continuous_rows(estimate.measure, boxes, estimate.level)
        count = len(next(iter(rows.values()))[0])
        ranged = True
    null = 1.0 if estimate.is_ratio else 0.0
    other = "reciprocal" if estimate.is_ratio else "negated"
    rows = _method_values(rows)

    def judged(direction):
        value, ends = _targets(estimate, rounding, direction)
        side = None
        if ends is not None:
            side = 1 if ends[0][0] > null else -1 if ends[1][1] < null else 0
        methods = tuple(_fits(name, values, spans, value, ends, null, ranged)
                        for name, (values, spans) in rows.items())
        return EstimateCheck(estimate.measure, _printed_text(estimate), direction, methods,
                             estimate.value is not None, estimate.ci is not None, side, count,
                             estimate.level,
                             "counts" if outcome_type == "binary" else "means and SDs")

    as_printed = judged("as printed")
    if as_printed.rebuilt:
        return as_printed
    reversed_ = judged(other)
    return reversed_ if reversed_.rebuilt else as_printed
