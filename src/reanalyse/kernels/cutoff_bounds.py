"""Exact bounds on how many participants lie beyond a cut-off of a bounded integer scale.

A printed n, mean and SD of scores on a bounded scale (EPDS 0..30; means of ``items`` integer
items step by ``1 / items``) allow only finitely many datasets.  Over every one of them whose
true mean and sample SD print as the printed ones (each over its rounding interval), this
module gives the smallest and largest number of participants at or beyond a cut-off, each
with a *witness*: a dataset, as ``{score: frequency}``, that attains it and that anyone can
check by recomputing its mean, SD and count.  This generalises GRIMMER (Anaya 2016) from
"is some dataset possible?" to "how many could be above the cut-off?".

Integer units
-------------
A score ``x`` is held as the integer ``y = (x - scale.minimum) * items`` in ``0..B``,
``B = (maximum - minimum) * items``.  A dataset is a frequency vector ``f_y`` with
``sum f = n``; its sum ``S = sum y f`` and sum of squares ``Q = sum y**2 f`` are integers,
and ``Q`` has the parity of ``S`` (``y**2`` and ``y`` share parity).  The printed mean gives
the integers ``S`` in ``n * items * (mean interval - minimum)``; for each ``S`` the printed
SD gives the integers ``Q`` with ``n Q - S**2`` in ``n (n - 1) items**2 [sd_low**2,
sd_high**2]`` (the sample SD, n - 1 denominator), ends open or closed as the rounding
convention says.  Every comparison is between integers or :class:`fractions.Fraction`.

A cut-off ``>= x`` counts ``y >= t`` with ``t = ceil((x - minimum) * items)``; ``> x``,
``<= x`` and ``< x`` are turned into the same form (``<=`` and ``<`` by reading the scale
backwards, ``y -> B - y``, which keeps every SD).

Algorithm (and why it is exact)
-------------------------------
For a count ``c`` of values at or above ``t`` and a sum ``S``, the datasets split into a low
part (``n - c`` values in ``0..t-1``) and a high part (``c`` values in ``t..B``).

1. *Bracket.*  The smallest ``Q`` such a dataset can have, ``Qmin(c, S)``, is exact in closed
   form: each part as even as it can be (values ``q, q + 1``), with the split of ``S``
   between the parts that of the even spread of all n values, clipped to what the parts
   allow (the sum of the two parts' minima is convex in the split).
   The largest, ``Qmax(c, S)``, is exact too: moving one unit from a value to a larger one,
   ``(u, v) -> (u - 1, v + 1)``, raises ``Q`` by ``2 (v - u + 1) > 0``, so at the maximum each
   part holds at most one value strictly inside its range, and either the low part is all
   zeros or the high part all ``B``.  Every achievable ``Q`` lies in ``[Qmin, Qmax]`` with the
   parity of ``S``, so the pairs ``(c, S)`` whose interval meets the SD's window of ``Q``
   contain every feasible pair: the largest such ``c`` is an upper bound on ``count_max``
   (the smallest a lower bound on ``count_min``), and when no pair meets its window no
   dataset fits the printed mean and SD at all (a proof of impossibility).
2. *Certificate.*  At the bound, a dataset is constructed: the even spread (``Qmin``), the
   extreme one (``Qmax``), a walk from the even spread that applies the largest move
   ``(u, v) -> (u - 1, v + 1)`` that does not overshoot the window, in bulk, until ``Q`` is in
   it, the same walk down from the extreme spread, or (n up to 400) a few walks that take
   the moves one at a time in a seeded random order (when step 3 does not settle the pair).
   A dataset found is checked in exact integers; it proves that the bound is attained, so the
   bound is the answer.  (Not every ``Q`` between the bounds is achievable: two values
   on 0..10 summing to 10 give only ``Q`` in {50, 52, 58, 68, 82, 100}; this is why a found
   dataset, not the interval, is what proves a bound.)
3. *Exact decision near the extreme spread.*  On a stretch of width ``L`` (values ``z`` in
   ``0..L``), ``z**2 = L z - z (L - z)``: a part's sum of squares is ``L k - W``, ``W`` the
   total weight ``z (L - z)`` of its values strictly inside the stretch (the ends weigh
   nothing).  The parts with a given sum are exactly the multisets of inside values whose
   sum is congruent to it modulo ``L`` and fits it, with room for the rest at the ends
   (:func:`_part_weights` gives the conditions and why weight bounds them); a table per
   width (:class:`_Interiors`, built once per process, holding only values whose weight
   fits) lists the weights each sum of inside values reaches, and a small part is instead
   enumerated value by value.  With the low part's sum ``s1``, ``Q = G(s1) - W1 - W2``
   where ``G`` falls by ``B + 1`` per unit of ``s1``, so every split within
   :data:`DEFICIT_LIMIT` of the extreme spread is examined and a pair ``(c, S)`` is either
   given a dataset or proved empty.  The bracket's counts are settled so, pair by pair,
   from its end inwards (at most ``_LEVELS`` counts); brute force over every small case is
   the test of the lemma.
4. *Exact fallback.*  When neither settles a count, each sum ``S`` whose bracket could beat
   the best count found so far is solved as an integer programme with
   :func:`scipy.optimize.milp` (HiGHS): integer ``f_y >= 0``, ``sum f = n``, the sum and the
   sum of squares in their windows, maximise (minimise) the count.  The scores are centred
   on the mean, so that every coefficient is a small integer and every row's value is an
   integer far below 2**53; the solution is rounded and re-checked in exact integers before
   it is returned, and a solution that fails the check is an error, never an answer.

The number of pairs ``(c, S)`` examined is bounded (:data:`MAX_PAIRS`), as are n
(:data:`MAX_N`) and the number of scale points (:data:`MAX_POINTS`); larger inputs are refused
with a :class:`ValueError` naming what is too large.  Nothing lists datasets one by one.

Work budget (never a clock).  Steps 1 to 3 take milliseconds, and are bounded by counts of
steps (:data:`DEFICIT_LIMIT`, ``_SMALL_PART_WORK``, ``_DECISION_WORK``, ``_LEVELS``).  Step 4
is bounded by work, not time: at most ``programmes`` integer programmes per question
(:data:`PROGRAMMES` unless the caller gives fewer; one question is one cut-off, both ends),
each within :data:`NODE_LIMIT` branch-and-bound nodes (HiGHS's node limit; HiGHS's solvers
are deterministic, so runs repeat exactly).  So the same input gets the same answer on every
machine, however loaded.  When the budget runs out before the programmes settle a cut-off,
its :class:`CutoffBounds` is *undetermined* (``determined`` is False, ``feasible`` None): only
the bracket of step 1 is reported, which still proves that no dataset has a count outside
it.  An undetermined cut-off is never reported as an answer, and never as an impossibility.

Each arm is its own dataset: two arms' counts vary independently, so the range of a
difference of counts follows from the two arms' ranges (:func:`count_difference`).

References
----------
Anaya J. The GRIMMER test. PeerJ Preprints 2016;4:e2400v1.
Heathers JA et al. Recovering data from summary statistics: SPRITE. PeerJ Preprints 2018.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from math import ceil, floor, isqrt, sqrt

import numpy as np

from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import Rounding, parse_number

__all__ = [
    "Scale", "Interval", "Witness", "CutoffBounds", "CutoffSweep", "CountReading",
    "CountDifference", "cutoff_bounds", "cutoff_sweep", "count_reading", "count_difference",
    "MAX_N", "MAX_POINTS", "MAX_PAIRS", "DIRECTIONS", "PROGRAMMES", "NODE_LIMIT",
    "DEFICIT_LIMIT",
]

#: Largest n per arm.
MAX_N = 1_000_000
#: Largest number of points a scale may have (``B + 1``).
MAX_POINTS = 1_001
#: Largest number of (count, sum) pairs examined for one arm and cut-off.
MAX_PAIRS = 20_000_000
#: Cut-off directions: at or above, above, at or below, below.
DIRECTIONS = (">=", ">", "<=", "<")
#: Default work budget of one question: integer programmes solved for one cut-off (both
#: ends), one count's witness, or one end of a reverse reading.
PROGRAMMES = 400
#: Branch-and-bound nodes one integer programme may explore (HiGHS ``mip_max_nodes``).
NODE_LIMIT = 10_000
_CHUNK = 1_000_000
#: Largest relaxation (counts x sums) kept with its arm for the next question.
_KEPT_CELLS = 200_000
#: Most sums tried, from each end, for the range of means of a reverse reading.
_MAX_SUMS = 400
#: Counts settled pair by pair from each end of the bracket before the integer programmes.
_LEVELS = 8
#: Random walks tried (up to this n) before an integer programme.
_SHUFFLES = 3
_SHUFFLED_UP_TO = 400


class _OutOfWork(Exception):
    """The work budget (programmes, or one programme's nodes) ran out before an answer."""


def _programmes(programmes) -> int:
    if isinstance(programmes, bool) or int(programmes) != programmes or programmes < 0:
        raise ValueError(f"programmes = {programmes!r}: give a whole number of integer "
                         "programmes, 0 or more")
    return int(programmes)


def _fraction(value, what: str) -> Fraction:
    if isinstance(value, float):
        raise ValueError(f"{what} = {value!r} is a float; give it as text or a Fraction")
    try:
        return Fraction(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} = {value!r} is not a number") from None


@dataclass(frozen=True)
class Scale:
    """A bounded scale whose scores are ``minimum + j / items`` for integer ``j``.

    Attributes
    ----------
    minimum, maximum : Fraction
        The scale's ends (``0`` and ``30`` for the EPDS).
    items : int
        Integer items averaged per score (1: whole-number scores, as for a summed scale).
    """

    minimum: Fraction
    maximum: Fraction
    items: int = 1

    def __post_init__(self):
        object.__setattr__(self, "minimum", _fraction(self.minimum, "scale minimum"))
        object.__setattr__(self, "maximum", _fraction(self.maximum, "scale maximum"))
        if isinstance(self.items, bool) or int(self.items) != self.items or self.items < 1:
            raise ValueError(f"items = {self.items!r}: must be a whole number of at least 1")
        object.__setattr__(self, "items", int(self.items))
        if self.maximum <= self.minimum:
            raise ValueError(f"scale {self.minimum}..{self.maximum}: the maximum must exceed "
                             "the minimum")
        span = (self.maximum - self.minimum) * self.items
        if span.denominator != 1:
            raise ValueError(f"scale {self.minimum}..{self.maximum} with items = {self.items}: "
                             "(maximum - minimum) x items must be a whole number of steps")
        if span + 1 > MAX_POINTS:
            raise ValueError(f"scale {self.minimum}..{self.maximum} with items = {self.items} "
                             f"has {span + 1} points; at most {MAX_POINTS} are supported")

    @property
    def points(self) -> int:
        """``B``: the largest score in integer units (the scale has ``B + 1`` points)."""
        return int((self.maximum - self.minimum) * self.items)

    def unit(self, score) -> Fraction:
        """A score in integer units (a Fraction when it lies between scale points)."""
        return (Fraction(score) - self.minimum) * self.items

    def score(self, unit: int) -> Fraction:
        """The score of integer unit ``unit``."""
        return self.minimum + Fraction(unit, self.items)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"minimum": str(self.minimum), "maximum": str(self.maximum), "items": self.items}


@dataclass(frozen=True)
class Interval:
    """An interval of true values with open or closed ends (exact Fractions).

    Attributes
    ----------
    lower, upper : Fraction
    lower_closed, upper_closed : bool
    """

    lower: Fraction
    upper: Fraction
    lower_closed: bool = True
    upper_closed: bool = True

    @classmethod
    def printed(cls, text, rounding: "Rounding | str" = Rounding.NEAREST) -> "Interval":
        """The true values a printed number stands for under ``rounding``."""
        return cls(*parse_number(text).bounds_exact(rounding))

    @classmethod
    def exact(cls, value) -> "Interval":
        """The single value ``value``."""
        value = _fraction(value, "value")
        return cls(value, value, True, True)

    def contains(self, value) -> bool:
        """Whether ``value`` (exact) lies in the interval."""
        value = Fraction(value)
        above = value > self.lower or (self.lower_closed and value == self.lower)
        below = value < self.upper or (self.upper_closed and value == self.upper)
        return above and below

    def contains_root(self, square: Fraction) -> bool:
        """Whether ``sqrt(square)`` (``square >= 0``) lies in the interval, decided exactly."""
        if self.lower < 0 or (self.lower == 0 and self.lower_closed):
            above = True
        elif self.lower == 0:
            above = square > 0
        else:
            above = square > self.lower ** 2 or (self.lower_closed and square == self.lower ** 2)
        if self.upper < 0:
            return False
        below = square < self.upper ** 2 or (self.upper_closed and square == self.upper ** 2)
        return above and below

    def to_dict(self) -> dict:
        """JSON-ready form (ends as exact text)."""
        return {"lower": str(self.lower), "upper": str(self.upper),
                "lower_closed": self.lower_closed, "upper_closed": self.upper_closed}


@lru_cache(maxsize=64)
def _scores(scale: Scale) -> tuple:
    """Every score of the scale, by integer unit (exact)."""
    return tuple(scale.score(y) for y in range(scale.points + 1))


def _interval(value, rounding, what: str) -> Interval | None:
    if value is None or isinstance(value, Interval):
        return value
    if isinstance(value, float):
        raise ValueError(f"{what} = {value!r} is a float, which has lost its printed decimals; "
                         f"give it as text, e.g. '{value}'")
    return Interval.printed(value, rounding)


@dataclass(frozen=True)
class Witness:
    """A dataset of scale scores, as ``{score: frequency}``, that proves a bound.

    Attributes
    ----------
    scale : Scale
    frequencies : dict
        Score (Fraction) -> number of participants with that score (zeros left out).
    """

    scale: Scale
    frequencies: dict

    @classmethod
    def from_units(cls, scale: Scale, counts) -> "Witness":
        """The dataset with ``counts[y]`` participants at integer unit ``y``."""
        scores = _scores(scale)
        return cls(scale, {scores[y]: int(f) for y, f in enumerate(counts) if f})

    @property
    def n(self) -> int:
        """Number of participants."""
        return sum(self.frequencies.values())

    @property
    def mean(self) -> Fraction:
        """The exact mean score."""
        return sum(score * f for score, f in self.frequencies.items()) / self.n

    @property
    def variance(self) -> Fraction | None:
        """The exact sample variance (n - 1 denominator); None for one participant."""
        n = self.n
        if n < 2:
            return None
        mean = self.mean
        return sum(f * (score - mean) ** 2 for score, f in self.frequencies.items()) / (n - 1)

    @property
    def sd(self) -> float | None:
        """The sample SD as a float (for display; checks use :attr:`variance`)."""
        variance = self.variance
        return None if variance is None else sqrt(variance)

    def count(self, cutoff, direction: str = ">=") -> int:
        """Participants whose score is ``direction`` ``cutoff`` (``>=``, ``>``, ``<=``, ``<``)."""
        cutoff = _fraction(cutoff, "cutoff")
        tests = {">=": lambda s: s >= cutoff, ">": lambda s: s > cutoff,
                 "<=": lambda s: s <= cutoff, "<": lambda s: s < cutoff}
        test = tests[_direction(direction)]
        return sum(f for score, f in self.frequencies.items() if test(score))

    def matches(self, mean: Interval | None = None, sd: Interval | None = None) -> bool:
        """Whether the exact mean and SD lie in the given intervals (None: not checked)."""
        if any(not (self.scale.minimum <= score <= self.scale.maximum)
               or self.scale.unit(score).denominator != 1 for score in self.frequencies):
            return False
        if mean is not None and not mean.contains(self.mean):
            return False
        if sd is not None:
            variance = self.variance
            if variance is None or not sd.contains_root(variance):
                return False
        return True

    def to_dict(self) -> dict:
        """JSON-ready form: scores as exact text, with the recomputed n, mean and SD."""
        variance = self.variance
        return {"frequencies": {str(score): f for score, f in sorted(self.frequencies.items())},
                "n": self.n, "mean": str(self.mean),
                "variance": None if variance is None else str(variance), "sd": self.sd}


def _direction(direction: str) -> str:
    text = str(direction).strip() if direction is not None else ">="
    text = {"": ">=", "≥": ">=", "≤": "<=", "=>": ">=", "=<": "<="}.get(text, text)
    if text not in DIRECTIONS:
        raise ValueError(f"direction = {direction!r}: use one of {', '.join(DIRECTIONS)}")
    return text


class _Arm:
    """One arm's printed numbers in integer units: the sums S allowed and, per S, the window
    of sums of squares Q (parity-adjusted, clipped to what the scale allows)."""

    def __init__(self, n, mean: Interval | None, sd: Interval | None, scale: Scale,
                 mirrored: bool = False, *, counts: int | None = None, what: str = "a cut-off"):
        if isinstance(n, bool) or int(n) != n or n < 1:
            raise ValueError(f"n = {n!r}: must be a whole number of at least 1")
        n = int(n)
        if n > MAX_N:
            raise ValueError(f"n = {n} is too large: at most {MAX_N} participants per arm")
        if sd is not None and n == 1:
            raise ValueError("n = 1 has no sample SD (n - 1 = 0); give the mean only")
        if sd is not None and sd.upper < 0:
            raise ValueError(f"sd interval {sd.lower}..{sd.upper} is negative")
        self.n, self.scale, self.B = n, scale, scale.points
        self.mean, self.sd = mean, sd
        self.programmes = PROGRAMMES  # integer programmes this question may still solve
        self.relaxations = {}  # t -> _relaxed_all(self, t)
        B, items = self.B, scale.items
        if mean is None:
            low, high = 0, n * B
        else:
            a = n * items * (mean.lower - scale.minimum)
            b = n * items * (mean.upper - scale.minimum)
            low = ceil(a) if mean.lower_closed else floor(a) + 1
            high = floor(b) if mean.upper_closed else ceil(b) - 1
            low, high = max(low, 0), min(high, n * B)
            if mirrored:
                low, high = n * B - high, n * B - low
        self.sums = np.arange(low, high + 1, dtype=np.int64) if low <= high else \
            np.zeros(0, dtype=np.int64)
        pairs = (n + 1 if counts is None else counts) * len(self.sums)
        if pairs > MAX_PAIRS:
            raise ValueError(
                f"n = {n} with a mean that allows {len(self.sums)} sums gives {pairs} "
                f"(count, sum) pairs for {what}; at most {MAX_PAIRS} are examined (a mean "
                "printed to more decimals, or a smaller n, narrows them)")
        top = n * B * B + 1
        if sd is None:
            self.q_low = np.full(len(self.sums), -1, dtype=np.int64)
            self.q_high = np.full(len(self.sums), top, dtype=np.int64)
            return
        scale2 = n * (n - 1) * items * items
        if sd.lower < 0 or (sd.lower == 0 and sd.lower_closed):
            d_low, low_closed = Fraction(0), True
        else:
            d_low, low_closed = scale2 * sd.lower ** 2, sd.lower_closed
        d_high, high_closed = scale2 * sd.upper ** 2, sd.upper_closed
        q_low, q_high = [], []
        pl, ql = d_low.numerator, d_low.denominator
        ph, qh = d_high.numerator, d_high.denominator
        for s in self.sums.tolist():
            square = s * s
            num, den = square * ql + pl, n * ql
            lo = -((-num) // den) if low_closed else num // den + 1
            num, den = square * qh + ph, n * qh
            hi = num // den if high_closed else -((-num) // den) - 1
            lo += (lo - s) % 2
            hi -= (hi - s) % 2
            q_low.append(min(max(lo, -1), top))
            q_high.append(max(min(hi, top), -2))
        self.q_low = np.array(q_low, dtype=np.int64)
        self.q_high = np.array(q_high, dtype=np.int64)


_ARMS: dict = {}
_ARMS_KEPT = 32


def _arm(n, mean, sd, scale, mirrored, what) -> _Arm:
    """An :class:`_Arm`, kept for the next question on the same printed numbers (a screen's
    count after its bounds, a sweep's cut-offs); its relaxations are kept with it."""
    key = (n, mean, sd, scale, mirrored)
    arm = _ARMS.get(key)
    if arm is None:
        arm = _Arm(n, mean, sd, scale, mirrored, what=what)
        if len(_ARMS) >= _ARMS_KEPT:
            _ARMS.pop(next(iter(_ARMS)))
        _ARMS[key] = arm
    return arm


# ----------------------------------------------------------------------------------------
# closed forms over arrays (int64: Q <= n B**2 <= 1e6 * 1e6)

def _balanced(m, k):
    """Smallest sum of squares of m integers summing to k (0 where m = 0)."""
    safe = np.maximum(m, 1)
    q = k // safe
    r = k - q * safe
    return np.where(m > 0, q * q * safe + r * (2 * q + 1), 0)


def _ranges(n, t, B, c, S):
    """The low part's sums s1 allowed for count c and sum S: [lo, hi]."""
    lo = np.maximum(0, S - c * B)
    hi = np.minimum((n - c) * (t - 1), S - c * t)
    return lo, hi


def _split_min(n, c, S, lo, hi):
    """The low part's sum at which the even spreads of both parts give the least Q.

    The sum of the two parts' least Q is convex in the low part's sum s1; its unconstrained
    minimum is at the even spread of all n values (``S = q n + r``: r values at q + 1), of
    which the low part can take ``(n - c) q + max(0, r - c)``; clipped into [lo, hi], that is
    a minimum over [lo, hi].
    """
    q, r = S // n, S % n
    return np.clip((n - c) * q + np.maximum(0, r - c), lo, np.maximum(lo, hi))


def _q_min(n, t, B, c, S):
    lo, hi = _ranges(n, t, B, c, S)
    s1 = _split_min(n, c, S, lo, hi)
    return _balanced(n - c, s1) + _balanced(c, S - s1), lo <= hi, s1


def _q_max(n, t, B, c, S):
    """Largest Q (exact): the low part all zeros (S <= c B) or the high part all B, and each
    part with at most one value inside its range."""
    l1, l2 = t - 1, B - t
    k2 = S - c * t
    if l2 > 0:
        q, r = k2 // l2, k2 % l2
        high_spread = q * B * B + (c - q) * t * t + np.where(r > 0, (t + r) ** 2 - t * t, 0)
    else:
        high_spread = c * t * t
    k1 = S - c * B
    if l1 > 0:
        q, r = k1 // l1, k1 % l1
        low_spread = c * B * B + q * l1 * l1 + r * r
    else:
        low_spread = c * B * B
    return np.where(S <= c * B, high_spread, low_spread)


def _relaxed(arm: _Arm, t: int, counts: np.ndarray, columns: np.ndarray):
    """Whether each (count, sum) pair's [Qmin, Qmax] meets the sum's window of Q:
    a boolean (len(counts), len(columns)) array."""
    n, B = arm.n, arm.B
    S = arm.sums[columns][None, :]
    c = counts[:, None]
    q_min, feasible, _ = _q_min(n, t, B, c, S)
    q_max = _q_max(n, t, B, c, S)
    low = np.maximum(arm.q_low[columns][None, :], q_min)
    high = np.minimum(arm.q_high[columns][None, :], q_max)
    return feasible & (low <= high)


def _relaxed_all(arm: _Arm, t: int) -> np.ndarray:
    """:func:`_relaxed` over every count 0..n and every sum, in chunks (kept per t)."""
    kept = arm.relaxations.get(t)
    if kept is not None:
        return kept
    counts = np.arange(arm.n + 1, dtype=np.int64)
    columns = np.arange(len(arm.sums))
    out = np.zeros((arm.n + 1, len(arm.sums)), dtype=bool)
    step = max(1, _CHUNK // (arm.n + 1))
    for start in range(0, len(columns), step):
        part = columns[start:start + step]
        out[:, part] = _relaxed(arm, t, counts, part)
    if out.size <= _KEPT_CELLS:
        arm.relaxations[t] = out
    return out


# ----------------------------------------------------------------------------------------
# datasets

def _even_spread(n, t, B, c, s):
    """The dataset of least Q for count c and sum s (as a frequency list)."""
    lo, hi = max(0, s - c * B), min((n - c) * (t - 1), s - c * t)
    q, r = divmod(s, n)
    s1 = min(max((n - c) * q + max(0, r - c), lo), max(lo, hi))  # as in _split_min
    freq = [0] * (B + 1)
    for m, total in ((n - c, s1), (c, s - s1)):
        if m:
            q, r = divmod(total, m)
            freq[q] += m - r
            if r:
                freq[q + 1] += r
    return freq


def _extreme_spread(n, t, B, c, s):
    """The dataset of largest Q for count c and sum s."""
    freq = [0] * (B + 1)
    if s <= c * B:  # low part all zeros
        freq[0] += n - c
        k, width, m, base = s - c * t, B - t, c, t
    else:  # high part all B
        freq[B] += c
        k, width, m, base = s - c * B, t - 1, n - c, 0
    if m:
        if width == 0:
            freq[base] += m
        else:
            q, r = divmod(k, width)
            freq[base + width] += q
            freq[base] += m - q - (1 if r else 0)
            if r:
                freq[base + r] += 1
    return freq


def _walk(freq, t, B, q, q_low, q_high):
    """Raise Q from ``q`` into [q_low, q_high] by moves (u, v) -> (u - 1, v + 1) that keep the
    count at or above t and the sum, largest first, in bulk.  Returns the frequencies or None."""
    freq = list(freq)
    for _ in range(4 * (B + 1) ** 2 + 64):
        if q >= q_low:
            return freq
        gap = q_high - q
        widest = gap // 2 - 1  # v - u may be at most this
        if widest < 0:
            return None
        present = [y for y, f in enumerate(freq) if f]
        ups = [v for v in present if v != B and v != t - 1]
        best, span = None, -1
        for u in present:
            if u == 0 or u == t:
                continue
            i = bisect.bisect_right(ups, u + widest) - 1
            while i >= 0 and ups[i] >= u:
                v = ups[i]
                if v != u or freq[u] >= 2:
                    if v - u > span:
                        best, span = (u, v), v - u
                    break
                i -= 1
            if span == widest:
                break
        if best is None:
            return None
        u, v = best
        size = 2 * (v - u + 1)
        times = min(freq[u], freq[v]) if u != v else freq[u] // 2
        times = min(times, gap // size)
        freq[u] -= times
        freq[u - 1] += times
        freq[v] -= times
        freq[v + 1] += times
        q += times * size
    return None


def _walk_down(freq, t, B, q, q_low, q_high):
    """Lower Q from ``q`` into [q_low, q_high] by moves (u, v) -> (u + 1, v - 1), u < v - 1,
    that keep the count at or above t and the sum, largest first, in bulk."""
    freq = list(freq)
    for _ in range(4 * (B + 1) ** 2 + 64):
        if q <= q_high:
            return freq
        widest = (q - q_low) // 2 + 1  # v - u may be at most this
        if widest < 2:
            return None
        ups = [u for u in range(0, B) if freq[u] and u != t - 1]
        downs = [v for v in range(1, B + 1) if freq[v] and v != t]
        best = None
        for u in ups:
            i = bisect.bisect_right(downs, u + widest) - 1
            if i >= 0 and downs[i] >= u + 2 and (best is None or downs[i] - u > best[1] - best[0]):
                best = (u, downs[i])
        if best is None:
            return None
        u, v = best
        size = 2 * (v - u - 1)
        times = min(freq[u], freq[v], (q - q_low) // size)
        freq[u] -= times
        freq[u + 1] += times
        freq[v] -= times
        freq[v - 1] += times
        q -= times * size
    return None


def _shuffled_walk(freq, t, B, q, q_low, q_high, rng):
    """As :func:`_walk`, one move at a time, each drawn at random among the moves that do not
    overshoot the window (another path through the same moves)."""
    freq = list(freq)
    for _ in range(2 * sum(freq) * (B + 1)):
        if q >= q_low:
            return freq
        gap = q_high - q
        present = [y for y in range(B + 1) if freq[y]]
        moves = [(u, v) for u in present if u not in (0, t) for v in present
                 if u <= v and v not in (t - 1, B) and 2 * (v - u + 1) <= gap
                 and (u != v or freq[u] >= 2)]
        if not moves:
            return None
        u, v = moves[rng.randrange(len(moves))]
        freq[u] -= 1
        freq[u - 1] += 1
        freq[v] -= 1
        freq[v + 1] += 1
        q += 2 * (v - u + 1)
    return None


def _stats(freq):
    n = sum(freq)
    s = sum(y * f for y, f in enumerate(freq))
    q = sum(y * y * f for y, f in enumerate(freq))
    return n, s, q


def _q_bounds(n, t, B, c, s):
    """``(Qmin, Qmax)`` for one count and sum (Python ints; the pair is feasible)."""
    lo, hi = max(0, s - c * B), min((n - c) * (t - 1), s - c * t)
    q, r = divmod(s, n)
    s1 = min(max((n - c) * q + max(0, r - c), lo), max(lo, hi))

    def even(m, k):
        if m == 0:
            return 0
        a, b = divmod(k, m)
        return a * a * m + b * (2 * a + 1)

    q_min = even(n - c, s1) + even(c, s - s1)
    if s <= c * B:
        width, k = B - t, s - c * t
        if width > 0:
            a, b = divmod(k, width)
            q_max = a * B * B + (c - a) * t * t + ((t + b) ** 2 - t * t if b else 0)
        else:
            q_max = c * t * t
    else:
        width, k = t - 1, s - c * B
        a, b = divmod(k, width) if width > 0 else (0, 0)
        q_max = c * B * B + a * width * width + b * b
    return q_min, q_max


# ----------------------------------------------------------------------------------------
# exact decision near the largest Q (the interior-value lemma)

#: Largest deficit below the extreme spread that the exact decision examines.
DEFICIT_LIMIT = 3_000
#: Most steps (values x sums x scale points) of the direct enumeration of one small part.
_SMALL_PART_WORK = 200_000
#: Most steps of one pair's exact decision (enumerations and weights examined, all splits).
_DECISION_WORK = 400_000


class _Interiors:
    """Per width L: ``reach[s]``, the set (bits of an int) of weights ``sum x (L - x)`` of
    the multisets of interior values ``x`` in ``1..L-1`` that sum to exactly ``s``, for
    ``s`` and the weights up to ``limit``; ``union[s]`` joins ``reach[s - j L]``, j >= 0."""

    _tables: dict = {}

    def __init__(self, L: int, limit: int):
        mask = (1 << (limit + 1)) - 1
        reach, union = [1], [1]
        # an interior value weighs at least L - 1: only the few near the ends fit the limit
        weights = [(x, x * (L - x)) for x in range(1, L) if x * (L - x) <= limit]
        for s in range(1, limit + 1):
            bits = 0
            for x, w in weights:
                if x > s:
                    break
                bits |= reach[s - x] << w
            bits &= mask
            reach.append(bits)
            union.append(bits | union[s - L] if s >= L else bits)
        self.L, self.limit, self.reach, self.union = L, limit, reach, union
        self.weights = weights

    @classmethod
    def of(cls, L: int, limit: int) -> "_Interiors":
        table = cls._tables.get(L)
        if table is None or table.limit < limit:
            size = max(limit, 2 * table.limit if table is not None else 256)
            table = cls._tables[L] = cls(L, min(size, DEFICIT_LIMIT))
        return table

    def decompose(self, s: int, weight: int) -> list:
        """Interior values summing to ``s`` with total weight ``weight`` (one such multiset)."""
        values = []
        while s:
            for x, w in self.weights:
                if x <= s and w <= weight and (self.reach[s - x] >> (weight - w)) & 1:
                    values.append(x)
                    s, weight = s - x, weight - w
                    break
            else:  # pragma: no cover - the tables are built so that this cannot happen
                raise ArithmeticError("interior decomposition failed")
        return values


def _part_weights(m: int, L: int, k: int, limit: int):
    """The weights W <= limit of the parts of m values in 0..L summing to k, where the sum of
    squares of a part is ``L k - W``: ``(bits, flip)``; None when the lemma does not settle it.

    Lemma: ``z**2 = L z - z (L - z)``, so a part's sum of squares is ``L k - W`` with
    ``W = sum w(z)``, ``w(z) = z (L - z)``, zero exactly at the ends.  The parts are the
    multisets I of interior values (``1..L-1``) with ``sum I = s``, ``s = k (mod L)``,
    ``s <= k`` (the rest of k in values at L) and ``|I| L - s <= m L - k`` (room for the rest
    at 0).  As ``w(z) >= z`` and ``w(z) >= L - z``, any I of weight W has ``s <= W`` and
    ``|I| L - s <= W``: for ``W <= m L - k`` the second condition holds by itself, and
    mirroring ``z -> L - z`` (which keeps every w) swaps the two.  ``flip`` says the sets
    are those of the mirrored part (k read as ``m L - k``).  A small part for which neither
    holds (``m L < 2 limit``) is settled by direct enumeration over its values, one value at
    a time (``layers``), within :data:`_SMALL_PART_WORK` steps.
    """
    if m == 0 or L <= 1:
        return 1, False, None  # no interior value: W = 0 only
    mask = (1 << (limit + 1)) - 1
    if limit <= m * L - k:
        flip, k_eff = False, k
    elif limit <= k:
        flip, k_eff = True, m * L - k
    else:
        flip = 2 * k > m * L
        k_eff = m * L - k if flip else k
        if m * (k_eff + 1) * (L + 1) > _SMALL_PART_WORK:
            return None
        weights = [z * (L - z) for z in range(L + 1)]
        layer = [1] + [0] * k_eff
        layers = [layer]
        for _ in range(m):
            layer = [mask & _join(layer, weights, total) for total in range(k_eff + 1)]
            layers.append(layer)
        return layers[m][k_eff], flip, layers
    top = min(k_eff, limit)
    s = top - (top - k_eff) % L
    if s < 0:
        return 0, flip, None
    table = _Interiors.of(L, limit)
    return table.union[s] & mask, flip, None


def _join(layer, weights, total) -> int:
    """Weights of one more value z (0..L) added to the layer's parts summing to total - z."""
    bits = 0
    for z, w in enumerate(weights[:total + 1]):
        bits |= layer[total - z] << w
    return bits


def _build_part(m: int, L: int, k: int, weight: int, flip: bool, limit: int,
                layers=None) -> list:
    """The values (0..L) of one part of m values summing to k with weight ``weight``."""
    if m == 0:
        return []
    if L <= 1:
        return [1] * k + [0] * (m - k) if L == 1 else [0] * m
    k_eff = m * L - k if flip else k
    if layers is not None:
        values, total = [], k_eff
        for j in range(m, 0, -1):
            z = next(z for z in range(min(L, total) + 1)
                     if z * (L - z) <= weight
                     and (layers[j - 1][total - z] >> (weight - z * (L - z))) & 1)
            values.append(z)
            total, weight = total - z, weight - z * (L - z)
        return [L - z for z in values] if flip else values
    table = _Interiors.of(L, limit)
    top = min(k_eff, limit)
    s = top - (top - k_eff) % L
    while not (table.reach[s] >> weight) & 1:
        s -= L
    values = table.decompose(s, weight)
    ends = (k_eff - s) // L
    values += [L] * ends + [0] * (m - len(values) - ends)
    return [L - z for z in values] if flip else values


def _near_top(n: int, t: int, B: int, c: int, s: int, low: int, high: int):
    """Exact: a dataset with count c (values >= t), sum s and Q in [low, high], or None when
    none exists; ``...`` (Ellipsis) when the window lies too far below the extreme spread for
    the lemma of :func:`_part_weights` within :data:`DEFICIT_LIMIT`.

    With the low part's sum ``s1`` (values in 0..t-1) and the high part's ``k2 = s - s1 - c t``
    (values ``t + z``, z in 0..B-t), ``Q = G(s1) - W1 - W2`` where
    ``G(s1) = (t - 1) s1 + c t**2 + (t + B) k2`` falls by B + 1 per unit of s1: every s1
    with ``G(s1) >= low`` is examined, each for weights with ``W1 + W2`` in
    ``[G - high, G - low]``.
    """
    m1, m2, L1, L2 = n - c, c, t - 1, B - t
    lo, hi = max(0, s - c * B), min(m1 * max(L1, 0), s - c * t)
    if lo > hi:
        return None

    def G(s1):
        return max(L1, 0) * s1 + c * t * t + (t + B) * (s - s1 - c * t)

    if G(lo) - low > DEFICIT_LIMIT:
        return ...
    spent = 0
    for s1 in range(lo, hi + 1):
        g = G(s1)
        if g < low:
            break
        a, b = max(g - high, 0), g - low
        k2 = s - s1 - c * t
        one = _part_weights(m1, L1, s1, b)
        two = _part_weights(m2, L2, k2, b)
        if one is None or two is None:
            return ...
        spent += b + sum(m * (min(k, m * L - k) + 1) * (L + 1) for (_, _, layers), m, L, k
                         in ((one, m1, L1, s1), (two, m2, L2, k2)) if layers is not None)
        if spent > _DECISION_WORK:
            return ...
        (bits1, flip1, layers1), (bits2, flip2, layers2) = one, two
        while bits1:
            bit = bits1 & -bits1
            bits1 ^= bit
            w1 = bit.bit_length() - 1
            start = max(a - w1, 0)
            window = (bits2 >> start) & ((1 << (b - w1 - start + 1)) - 1)
            if window:
                w2 = start + (window & -window).bit_length() - 1
                freq = [0] * (B + 1)
                for z in _build_part(m1, L1, s1, w1, flip1, b, layers1):
                    freq[z] += 1
                for z in _build_part(m2, L2, k2, w2, flip2, b, layers2):
                    freq[t + z] += 1
                return freq
    return None


def _certificate(arm: _Arm, t: int, c: int, column: int):
    """A dataset with count c and the column's sum whose Q is in the window; None when none
    exists (proved); ``...`` when neither a construction nor the exact decision near the
    extreme spread (:func:`_near_top`) settles it."""
    n, B = arm.n, arm.B
    s = int(arm.sums[column])
    q_min, q_max = _q_bounds(n, t, B, c, s)
    low = max(int(arm.q_low[column]), q_min)
    high = min(int(arm.q_high[column]), q_max)
    if low > high:
        return None
    if q_max == low or q_max == high:
        return _extreme_spread(n, t, B, c, s)
    found = _walk(_even_spread(n, t, B, c, s), t, B, q_min, low, high)
    if found is None:
        found = _walk_down(_extreme_spread(n, t, B, c, s), t, B, q_max, low, high)
    if found is None:
        found = _near_top(n, t, B, c, s, low, high)
    if found is ... and n <= _SHUFFLED_UP_TO:
        rng = random.Random(n * 1_000_003 + s * 31 + c)  # the same path on every run
        start = _even_spread(n, t, B, c, s)
        for _ in range(_SHUFFLES):
            walked = _shuffled_walk(start, t, B, q_min, low, high, rng)
            if walked is not None:
                return walked
    return found


def _programme(arm: _Arm, t: int, column: int, *, count=None, maximise=None, bound=None):
    """Solve one sum's integer programme with HiGHS; returns a checked dataset or None.

    ``count`` fixes the count at or above t; otherwise ``maximise`` (True/False) optimises it
    within ``bound`` (an upper bound when maximising, lower when minimising).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, B = arm.n, arm.B
    s = int(arm.sums[column])
    q_low = max(int(arm.q_low[column]), 0)
    q_high = int(arm.q_high[column])
    y = np.arange(B + 1)
    centre = (2 * s + n) // (2 * n)
    z = y - centre
    shift = -2 * centre * s + n * centre * centre
    above = (y >= t).astype(float)
    rows = [np.ones(B + 1), z.astype(float), (z * z).astype(float), above]
    lows = [n, s - n * centre, q_low + shift, 0]
    highs = [n, s - n * centre, q_high + shift, n]
    if count is not None:
        lows[3] = highs[3] = count
    elif bound is not None:
        if maximise:
            highs[3] = bound
        else:
            lows[3] = bound
    objective = np.zeros(B + 1) if count is not None else (-above if maximise else above)
    if arm.programmes <= 0:
        raise _OutOfWork
    arm.programmes -= 1
    result = milp(objective, integrality=np.ones(B + 1),
                  bounds=Bounds(np.zeros(B + 1), np.full(B + 1, float(n))),
                  constraints=LinearConstraint(np.array(rows), np.array(lows, dtype=float),
                                               np.array(highs, dtype=float)),
                  options={"mip_rel_gap": 0.0, "node_limit": NODE_LIMIT})
    if result.status == 2:  # infeasible
        return None
    if result.status == 1:  # the node limit: not settled within the work budget
        raise _OutOfWork
    if result.status != 0 or result.x is None:
        raise ArithmeticError(f"the integer programme for n = {n}, sum {s} did not finish: "
                              f"{result.message}")
    freq = [int(v) for v in np.rint(result.x)]
    got_n, got_s, got_q = _stats(freq)
    got_count = sum(freq[t:])
    if (got_n, got_s) != (n, s) or not (arm.q_low[column] <= got_q <= arm.q_high[column]) \
            or (count is not None and got_count != count):
        raise ArithmeticError(f"the integer programme's solution for n = {n}, sum {s} fails "
                              "the exact check; the bound is not reported")
    return freq


def _extreme(arm: _Arm, t: int, maximise: bool, relaxed: np.ndarray):
    """(count, frequencies) of the largest (smallest) count, or None when nothing fits.

    The counts of the bracket are settled from its end inwards, each (count, sum) pair by a
    certificate or a proof (:func:`_certificate`), for at most :data:`_LEVELS` counts; what
    they leave open goes to the integer programmes, capped at the first count not proved
    impossible.
    """
    rows = np.flatnonzero(relaxed.any(axis=1))
    if not len(rows):
        return None
    order = rows[::-1] if maximise else rows
    cap = None
    for top in order[:_LEVELS].tolist():
        cap = top
        unsettled = False
        for column in np.flatnonzero(relaxed[top]):
            freq = _certificate(arm, t, top, int(column))
            if freq is ...:
                unsettled = True
            elif freq is not None:
                return top, freq
        if unsettled:
            break
    else:
        if len(order) <= _LEVELS:
            return None  # every pair of the bracket proved impossible
        cap = int(order[_LEVELS])
    # exact fallback: each sum's integer programme, most promising first
    columns = np.flatnonzero(relaxed.any(axis=0))
    bounds = []
    for column in columns:
        counts = np.flatnonzero(relaxed[:, column])
        bound = int(counts[-1] if maximise else counts[0])
        bound = min(bound, cap) if maximise else max(bound, cap)
        if (counts <= bound).any() if maximise else (counts >= bound).any():
            bounds.append((bound, int(column)))
    bounds.sort(reverse=maximise)
    best = None
    for bound, column in bounds:
        if best is not None and (bound <= best[0] if maximise else bound >= best[0]):
            break
        freq = _programme(arm, t, column, maximise=maximise, bound=bound)
        if freq is not None:
            found = sum(freq[t:])
            if best is None or (found > best[0] if maximise else found < best[0]):
                best = (found, freq)
    return best


def _possible(arm: _Arm, t: int, count: int, relaxed_row: np.ndarray):
    """A dataset with exactly ``count`` values at or above t, or None (exact)."""
    open_columns = []
    for column in np.flatnonzero(relaxed_row).tolist():
        freq = _certificate(arm, t, count, column)
        if freq is ...:
            open_columns.append(column)
        elif freq is not None:
            return freq
    for column in open_columns:
        freq = _programme(arm, t, column, count=count)
        if freq is not None:
            return freq
    return None


# ----------------------------------------------------------------------------------------
# cut-offs

def _threshold(scale: Scale, cutoff, direction: str) -> tuple[int, bool]:
    """``(t, mirrored)``: the count is of units ``y >= t``, read backwards when mirrored."""
    unit = scale.unit(_fraction(cutoff, "cutoff"))
    B = scale.points
    if direction == ">=":
        t, mirrored = ceil(unit), False
    elif direction == ">":
        t, mirrored = floor(unit) + 1, False
    elif direction == "<=":
        t, mirrored = B - floor(unit), True
    else:
        t, mirrored = B - (ceil(unit) - 1), True
    # t = 0: every value counts (the low part is empty); t = B + 1: none does
    return min(max(t, 0), B + 1), mirrored


def _unmirror(freq, mirrored: bool):
    return list(reversed(freq)) if mirrored else list(freq)


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
    n, B, scale = arm.n, arm.B, arm.scale
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
    except _OutOfWork:
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
                except _OutOfWork:
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
                 programmes: int = PROGRAMMES) -> CutoffSweep:
    """:func:`cutoff_bounds` at every scale point as the cut-off (sums and windows shared).

    ``programmes`` is the work budget of each cut-off (as for :func:`cutoff_bounds`), so that
    every row is the answer :func:`cutoff_bounds` gives with the same budget.
    """
    budget = _programmes(programmes)
    scale = _scale(scale)
    direction = _direction(direction)
    mean_iv, sd_iv = _interval(mean, rounding, "mean"), _interval(sd, rounding, "sd")
    arms = {}
    out = []
    for j in range(scale.points + 1):
        cutoff = scale.score(j)
        t, mirrored = _threshold(scale, cutoff, direction)
        if mirrored not in arms:
            arms[mirrored] = _arm(n, mean_iv, sd_iv, scale, mirrored, "each cut-off")
        arms[mirrored].programmes = budget
        out.append(_bounds_at(arms[mirrored], t, mirrored, cutoff, direction))
    return CutoffSweep(direction, tuple(out))


def _count_witness(bounds: CutoffBounds, count: int, programmes: int = PROGRAMMES):
    """A dataset fitting ``bounds``' printed numbers with exactly ``count`` beyond the
    cut-off, or None (exact); raises _OutOfWork when ``programmes`` do not settle it."""
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
    ValueError
        When the work budget (``programmes``, as for :func:`cutoff_bounds`) runs out before
        the question is settled.
    """
    try:
        return _count_witness(bounds, count, programmes)
    except _OutOfWork:
        raise ValueError(f"n = {bounds.n}: whether exactly {count} can lie "
                         f"{bounds.direction} {bounds.cutoff} is not settled within "
                         f"{programmes} integer programmes of at most {NODE_LIMIT} nodes "
                         "each") from None


__all__.append("count_witness")


@dataclass(frozen=True)
class CountReading:
    """What a printed count beyond a cut-off allows of the mean and the SD (the reverse reading).

    Attributes
    ----------
    counts : tuple of int
        The counts read (one for a printed count; those a printed percentage allows).
    feasible : bool
        Whether any dataset has such a count and the printed statistics.
    mean_min, mean_max : Fraction or None
        The exact range of means (over datasets that also fit the printed SD, if any).
    sd_min, sd_max : float or None
        The range of SDs (over datasets that also fit the printed mean, if any); exact
        variances in ``variance_min``, ``variance_max``.
    witnesses : dict
        ``mean_min``, ``mean_max``, ``sd_min``, ``sd_max`` -> Witness.
    """

    counts: tuple
    feasible: bool
    mean_min: Fraction | None
    mean_max: Fraction | None
    variance_min: Fraction | None
    variance_max: Fraction | None
    witnesses: dict = field(default_factory=dict, repr=False)

    @property
    def sd_min(self) -> float | None:
        """Smallest SD (float of the exact :attr:`variance_min`)."""
        return None if self.variance_min is None else sqrt(self.variance_min)

    @property
    def sd_max(self) -> float | None:
        """Largest SD (float of the exact :attr:`variance_max`)."""
        return None if self.variance_max is None else sqrt(self.variance_max)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return {"counts": list(self.counts), "feasible": self.feasible,
                "mean_min": text(self.mean_min), "mean_max": text(self.mean_max),
                "variance_min": text(self.variance_min),
                "variance_max": text(self.variance_max),
                "sd_min": self.sd_min, "sd_max": self.sd_max,
                "witnesses": {k: w.to_dict() for k, w in self.witnesses.items()}}


def count_reading(n: int, scale, cutoff, direction: str = ">=", *, count: int | None = None,
                  percent=None, mean=None, sd=None,
                  rounding: "Rounding | str" = Rounding.NEAREST,
                  programmes: int = PROGRAMMES) -> CountReading:
    """The range of means and of SDs that datasets with a printed count can have.

    Hypotheses as for :func:`cutoff_bounds`.  The mean range is over datasets with the count
    whose SD prints as ``sd`` (when given); the SD range over those whose mean prints as
    ``mean`` (when given).  Both are exact, each end with a witness.

    Parameters
    ----------
    n, scale, cutoff, direction, rounding
        As for :func:`cutoff_bounds`.
    count : int, optional
        The printed count beyond the cut-off.
    percent : str, optional
        Or the printed percentage of n (read under ``rounding``).
    mean, sd : str or Interval, optional
        The other printed statistics.
    programmes : int
        Work budget of each end of the range of means (as for :func:`cutoff_bounds`).

    Returns
    -------
    CountReading

    Raises
    ------
    ValueError
        For an input out of range, or when the work budget runs out (the message says so).
    """
    scale = _scale(scale)
    direction = _direction(direction)
    if (count is None) == (percent is None):
        raise ValueError("give either count or percent")
    counts = range(int(count), int(count) + 1) if count is not None else \
        percent_count_range(percent, int(n), rounding)
    counts = tuple(c for c in counts if 0 <= c <= n)
    t, mirrored = _threshold(scale, cutoff, direction)
    budget = _programmes(programmes)
    mean_iv, sd_iv = _interval(mean, rounding, "mean"), _interval(sd, rounding, "sd")
    free_mean = _Arm(n, None, sd_iv, scale, mirrored, counts=len(counts),
                     what="the range of means")
    free_sd = _Arm(n, mean_iv, None, scale, mirrored, counts=len(counts),
                   what="the range of SDs")
    B = scale.points
    found = {}

    def keep(name, value, freq, better):
        if freq is not None and (name not in found or better(value, found[name][0])):
            found[name] = (value, freq)

    for c in counts:
        c_arr = np.array([c], dtype=np.int64)
        # means: the sums whose bracket meets their window, tried from either end
        columns = np.arange(len(free_mean.sums))
        row = np.zeros(len(columns), dtype=bool)
        for start in range(0, len(columns), _CHUNK):
            part = columns[start:start + _CHUNK]
            row[part] = _relaxed(free_mean, t, c_arr, part)[0]
        candidates = np.flatnonzero(row)
        for name, order, better in (("mean_min", candidates, lambda a, b: a < b),
                                    ("mean_max", candidates[::-1], lambda a, b: a > b)):
            free_mean.programmes = budget
            try:
                for column in order[:_MAX_SUMS]:
                    one = np.zeros(len(columns), dtype=bool)
                    one[column] = True
                    freq = _possible(free_mean, t, c, one)
                    if freq is not None:
                        keep(name, int(free_mean.sums[column]), freq, better)
                        break
                else:
                    if len(order) > _MAX_SUMS:
                        raise _OutOfWork
            except _OutOfWork:
                raise ValueError(f"n = {n}: the range of means is not settled within "
                                 f"{_MAX_SUMS} sums and {budget} integer programmes; print "
                                 "the SD to more decimals") from None
        # SDs: the even and the extreme spread at each sum the mean allows
        sums = free_sd.sums
        every = np.full(len(sums), c, dtype=np.int64)
        q_min, feasible, _ = _q_min(n, t, B, every, sums)
        q_max = _q_max(n, t, B, every, sums)
        if not feasible.any():
            continue
        kept = sums[feasible]
        spread_min = [n * int(q) - int(s) ** 2 for q, s in zip(q_min[feasible], kept)]
        spread_max = [n * int(q) - int(s) ** 2 for q, s in zip(q_max[feasible], kept)]
        i, j = int(np.argmin(spread_min)), int(np.argmax(spread_max))
        keep("sd_min", spread_min[i], _even_spread(n, t, B, c, int(kept[i])),
             lambda a, b: a < b)
        keep("sd_max", spread_max[j], _extreme_spread(n, t, B, c, int(kept[j])),
             lambda a, b: a > b)
    witnesses = {name: Witness.from_units(scale, _unmirror(freq, mirrored))
                 for name, (_, freq) in found.items()}
    feasible = "mean_min" in witnesses and ("sd_min" in witnesses)
    if not feasible:
        return CountReading(counts, False, None, None, None, None, {})
    return CountReading(
        counts, True, witnesses["mean_min"].mean, witnesses["mean_max"].mean,
        witnesses["sd_min"].variance if n > 1 else None,
        witnesses["sd_max"].variance if n > 1 else None, witnesses)


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
