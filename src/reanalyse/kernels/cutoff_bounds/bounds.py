"""The public questions: the range of counts beyond one cut-off (:func:`cutoff_bounds`), at
every cut-off (:func:`cutoff_sweep`), a dataset with a given count (:func:`count_witness`), and
the range of two arms' difference (:func:`count_difference`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from reanalyse.errors import WorkBudgetExceeded
from reanalyse.kernels.cutoff_bounds.bracket import _Arm, _arm, _relaxed, _relaxed_all
from reanalyse.kernels.cutoff_bounds.programme import _extreme, _possible, _threshold, _unmirror
from reanalyse.kernels.cutoff_bounds.scale import (MAX_SWEEP_PAIRS, NODE_LIMIT, PROGRAMMES,
                                                   SWEEP_PROGRAMMES,
                                                   Interval, Scale,
                                                   Witness, _direction, _interval, _programmes)
from reanalyse.kernels.printed import Rounding

__all__ = ["CutoffBounds", "cutoff_bounds", "CutoffSweep", "cutoff_sweep", "count_witness",
           "CountDifference", "count_difference"]


@dataclass(frozen=True)
class CutoffBounds:
    """The range of counts beyond a cut-off over every dataset that fits the printed numbers.

    Attributes
    ----------
    n : int
    scale : Scale
    cutoff : Fraction
    direction : str
        ``>=``, ``>``, ``<=`` or ``<``.
    mean, sd : Interval or None
        The printed numbers' intervals (None: not printed).
    feasible : bool or None
        Whether any dataset fits the mean and SD at all (if not, the printed numbers cannot
        all be true, whatever the cut-off); None when undetermined.
    count_min, count_max : int or None
        The exact extremes (None when nothing fits, or undetermined).
    witness_min, witness_max : Witness or None
        Datasets attaining them.
    bracket : (int, int) or None
        Every dataset that fits has a count in this range (step 1 of the module docstring:
        a proof, though not always attained); None when nothing fits.
    determined : bool
        False when the work budget ran out before the extremes were settled: then only
        ``bracket`` is known.
    """

    n: int
    scale: Scale
    cutoff: Fraction
    direction: str
    mean: Interval | None
    sd: Interval | None
    feasible: bool
    count_min: int | None
    count_max: int | None
    witness_min: Witness | None = field(default=None, repr=False)
    witness_max: Witness | None = field(default=None, repr=False)
    bracket: tuple | None = None
    determined: bool = True

    def verify(self) -> bool:
        """Recompute each witness's n, mean, SD and count exactly and compare."""
        if not self.feasible:
            return self.count_min is None and self.count_max is None
        for witness, count in ((self.witness_min, self.count_min),
                               (self.witness_max, self.count_max)):
            if witness.n != self.n or not witness.matches(self.mean, self.sd) \
                    or witness.count(self.cutoff, self.direction) != count:
                return False
        return True

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"n": self.n, "scale": self.scale.to_dict(), "cutoff": str(self.cutoff),
                "direction": self.direction,
                "mean": None if self.mean is None else self.mean.to_dict(),
                "sd": None if self.sd is None else self.sd.to_dict(),
                "feasible": self.feasible, "count_min": self.count_min,
                "count_max": self.count_max,
                "bracket": None if self.bracket is None else list(self.bracket),
                "determined": self.determined,
                "witness_min": None if self.witness_min is None else self.witness_min.to_dict(),
                "witness_max": None if self.witness_max is None else self.witness_max.to_dict()}


def _bounds_at(arm: _Arm, t: int, mirrored: bool, cutoff, direction, relaxed=None):
    """CutoffBounds for units y >= t of the (possibly mirrored) arm."""
    n, scale = arm.n, arm.scale
    common = dict(n=n, scale=scale, cutoff=Fraction(cutoff), direction=direction,
                  mean=arm.mean, sd=arm.sd)
    if relaxed is None:
        relaxed = _relaxed_all(arm, t)
    rows = np.flatnonzero(relaxed.any(axis=1))
    if not len(rows):
        return CutoffBounds(feasible=False, count_min=None, count_max=None, **common)
    common["bracket"] = (int(rows[0]), int(rows[-1]))
    try:
        high = _extreme(arm, t, True, relaxed)
        low = None if high is None else _extreme(arm, t, False, relaxed)
    except WorkBudgetExceeded:
        return CutoffBounds(feasible=None, count_min=None, count_max=None, determined=False,
                            **common)
    if high is None:
        return CutoffBounds(feasible=False, count_min=None, count_max=None, **common)
    return CutoffBounds(feasible=True, count_min=low[0], count_max=high[0],
                        witness_min=Witness.from_units(scale, _unmirror(low[1], mirrored)),
                        witness_max=Witness.from_units(scale, _unmirror(high[1], mirrored)),
                        **common)


def _scale(scale) -> Scale:
    if isinstance(scale, Scale):
        return scale
    if isinstance(scale, dict):
        return Scale(scale["min"] if "min" in scale else scale["minimum"],
                     scale["max"] if "max" in scale else scale["maximum"],
                     scale.get("items", 1))
    return Scale(*scale)


def cutoff_bounds(n: int, mean, sd, scale, cutoff, direction: str = ">=", *,
                  rounding: "Rounding | str" = Rounding.NEAREST,
                  programmes: int = PROGRAMMES) -> CutoffBounds:
    """Smallest and largest count beyond a cut-off over every dataset fitting the mean and SD.

    Hypotheses: the n scores are on the scale (``minimum + j / items``), their true mean and
    sample SD (n - 1 denominator) print as ``mean`` and ``sd`` under ``rounding``.  Nothing
    else is assumed: no distribution.

    Parameters
    ----------
    n : int
        Participants (1 to :data:`MAX_N`).  With n = 1 there is no sample SD: give ``sd=None``.
    mean, sd : str, Interval or None
        As printed (text keeps trailing zeros), or exact intervals; None when not printed.
    scale : Scale, (minimum, maximum[, items]) or {"min", "max", "items"}
    cutoff : str, int or Fraction
        The cut-off score (exact; ``"12.5"`` is read as 25/2, not as a printed number).
    direction : str
        ``>=`` (default), ``>``, ``<=`` or ``<``.
    rounding : Rounding or str
        How the mean and SD were rounded.
    programmes : int
        Work budget: the most integer programmes solved for this cut-off (both ends), each
        within :data:`NODE_LIMIT` branch-and-bound nodes.  When it runs out the result is
        undetermined beyond its bracket, never a guess; the same input always gets the same
        answer, whatever the machine or its load.

    Returns
    -------
    CutoffBounds
        ``feasible``, ``count_min``, ``count_max`` and a witness dataset for each.

    Raises
    ------
    ValueError
        For an input out of range or too large to examine (the message names it).

    Examples
    --------
    >>> bounds = cutoff_bounds(10, "3.00", "1.05", (0, 10), 4)
    >>> bounds.count_min, bounds.count_max, bounds.verify()
    (2, 5, True)
    """
    scale = _scale(scale)
    direction = _direction(direction)
    t, mirrored = _threshold(scale, cutoff, direction)
    arm = _arm(n, _interval(mean, rounding, "mean"), _interval(sd, rounding, "sd"), scale,
               mirrored, f"the cut-off {direction} {cutoff}")
    arm.programmes = _programmes(programmes)
    return _bounds_at(arm, t, mirrored, cutoff, direction)


@dataclass(frozen=True)
class CutoffSweep:
    """:class:`CutoffBounds` at every cut-off the scale allows (each scale point).

    Attributes
    ----------
    direction : str
    bounds : tuple of CutoffBounds
        One per scale point, from the lowest cut-off to the highest.
    """

    direction: str
    bounds: tuple

    @property
    def feasible(self) -> bool | None:
        """Whether any dataset fits the printed mean and SD (None: undetermined)."""
        if any(b.feasible is False for b in self.bounds):
            return False
        return True if all(b.feasible for b in self.bounds) else None

    def count_fits(self, count: int, *, programmes: int = PROGRAMMES) -> tuple:
        """Per cut-off, whether a dataset with exactly ``count`` participants beyond it fits
        the mean and SD: True (a witness exists), False (proved impossible) or None (the
        cut-off is undetermined, or its work budget of ``programmes`` ran out first)."""
        out = []
        for bounds in self.bounds:
            low, high = bounds.bracket if bounds.bracket is not None else (1, 0)
            if bounds.feasible is False or not low <= count <= high:
                out.append(False)
            elif not bounds.determined:
                out.append(None)
            elif not bounds.count_min <= count <= bounds.count_max:
                out.append(False)
            elif count in (bounds.count_min, bounds.count_max):
                out.append(True)
            else:
                try:
                    out.append(_count_witness(bounds, count, programmes) is not None)
                except WorkBudgetExceeded:
                    out.append(None)
        return tuple(out)

    def possible_cutoffs(self, count: int) -> list:
        """The cut-offs at which exactly ``count`` participants beyond them is possible
        (exact: a dataset with that count fits the mean and SD)."""
        return [b.cutoff for b, fits in zip(self.bounds, self.count_fits(count)) if fits]

    def to_dict(self) -> dict:
        """JSON-ready form: one row per cut-off (witnesses left out)."""
        return {"direction": self.direction, "feasible": self.feasible,
                "rows": [{"cutoff": str(b.cutoff), "count_min": b.count_min,
                          "count_max": b.count_max, "determined": b.determined,
                          "bracket": None if b.bracket is None else list(b.bracket)}
                         for b in self.bounds]}


def cutoff_sweep(n: int, mean, sd, scale, direction: str = ">=", *,
                 rounding: "Rounding | str" = Rounding.NEAREST,
                 programmes: int = PROGRAMMES,
                 sweep_programmes: int = SWEEP_PROGRAMMES) -> CutoffSweep:
    """:func:`cutoff_bounds` at every scale point as the cut-off (sums and windows shared).

    ``programmes`` is the work budget of each cut-off (as for :func:`cutoff_bounds`) and
    ``sweep_programmes`` that of the whole sweep, spent from the lowest cut-off up: a row is
    the answer :func:`cutoff_bounds` gives with the budget left to it, so a row the spent
    budget leaves unsettled is undetermined (only its bracket), never a different answer.

    Raises
    ------
    WorkBudgetExceeded
        Before any work, when the cut-offs together would examine more than
        :data:`MAX_SWEEP_PAIRS` (count, sum) pairs: (n + 1) x the sums the mean allows x the
        scale's points.
    """
    budget, left = _programmes(programmes), _programmes(sweep_programmes)
    scale = _scale(scale)
    direction = _direction(direction)
    mean_iv, sd_iv = _interval(mean, rounding, "mean"), _interval(sd, rounding, "sd")
    arms = {}
    rows = []
    for j in range(scale.points + 1):
        cutoff = scale.score(j)
        t, mirrored = _threshold(scale, cutoff, direction)
        if mirrored not in arms:
            arms[mirrored] = _arm(n, mean_iv, sd_iv, scale, mirrored, "each cut-off")
        rows.append((cutoff, t, mirrored))
    pairs = sum((n + 1) * len(arms[mirrored].sums) for _, _, mirrored in rows)
    if pairs > MAX_SWEEP_PAIRS:
        raise WorkBudgetExceeded(
            f"n = {n}: every cut-off of the scale ({len(rows)}) together would examine "
            f"{pairs:,} (count, sum) pairs, more than the {MAX_SWEEP_PAIRS:,} a sweep examines")
    out = []
    for cutoff, t, mirrored in rows:
        given = arms[mirrored].programmes = min(budget, left)
        out.append(_bounds_at(arms[mirrored], t, mirrored, cutoff, direction))
        left -= given - arms[mirrored].programmes
    return CutoffSweep(direction, tuple(out))


def _count_witness(bounds: CutoffBounds, count: int, programmes: int = PROGRAMMES):
    """A dataset fitting ``bounds``' printed numbers with exactly ``count`` beyond the
    cut-off, or None (exact); raises WorkBudgetExceeded when ``programmes`` do not settle it."""
    scale = bounds.scale
    t, mirrored = _threshold(scale, bounds.cutoff, bounds.direction)
    if not 0 <= count <= bounds.n:
        return None
    arm = _arm(bounds.n, bounds.mean, bounds.sd, scale, mirrored, "a count")
    arm.programmes = _programmes(programmes)
    kept = arm.relaxations.get(t)
    row = kept[count] if kept is not None else \
        _relaxed(arm, t, np.array([count], dtype=np.int64), np.arange(len(arm.sums)))[0]
    freq = _possible(arm, t, count, row)
    return None if freq is None else Witness.from_units(scale, _unmirror(freq, mirrored))


def count_witness(bounds: CutoffBounds, count: int, *,
                  programmes: int = PROGRAMMES) -> Witness | None:
    """A dataset that fits the printed mean and SD of ``bounds`` and has exactly ``count``
    participants beyond its cut-off, or None when none exists (exact).

    Raises
    ------
    WorkBudgetExceeded
        When the work budget (``programmes``, as for :func:`cutoff_bounds`) runs out before
        the question is settled.
    """
    try:
        return _count_witness(bounds, count, programmes)
    except WorkBudgetExceeded:
        raise WorkBudgetExceeded(f"n = {bounds.n}: whether exactly {count} can lie "
                         f"{bounds.direction} {bounds.cutoff} is not settled within "
                         f"{programmes} integer programmes of at most {NODE_LIMIT} nodes "
                         "each") from None


@dataclass(frozen=True)
class CountDifference:
    """The range of a count difference, treatment minus control, at one cut-off.

    Attributes
    ----------
    difference_min, difference_max : int or None
        None when either arm's printed numbers fit no dataset, or either is undetermined.
    witnesses_min, witnesses_max : tuple of Witness
        (treatment, control) datasets attaining each end.
    """

    difference_min: int | None
    difference_max: int | None
    witnesses_min: tuple = field(default=(), repr=False)
    witnesses_max: tuple = field(default=(), repr=False)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"difference_min": self.difference_min, "difference_max": self.difference_max,
                "witnesses_min": [w.to_dict() for w in self.witnesses_min],
                "witnesses_max": [w.to_dict() for w in self.witnesses_max]}


def count_difference(treat: CutoffBounds, control: CutoffBounds) -> CountDifference:
    """Range of ``treat count - control count`` the two arms' printed numbers allow.

    The arms are separate datasets, so any treatment dataset can go with any control
    dataset: the smallest difference is ``treat.count_min - control.count_max`` and the
    largest ``treat.count_max - control.count_min``, each attained by the arms' witnesses.
    """
    if (treat.cutoff, treat.direction) != (control.cutoff, control.direction):
        raise ValueError("the two arms' bounds are for different cut-offs")
    if not (treat.feasible and control.feasible and treat.determined and control.determined):
        return CountDifference(None, None)
    return CountDifference(treat.count_min - control.count_max,
                           treat.count_max - control.count_min,
                           (treat.witness_min, control.witness_max),
                           (treat.witness_max, control.witness_min))
