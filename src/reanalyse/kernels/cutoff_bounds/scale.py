"""The scale, the intervals of printed numbers, the witness datasets, and the limits of every
question (see :mod:`reanalyse.kernels.cutoff_bounds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import sqrt

from reanalyse.kernels.cutoffs import RELATIONS, beyond, relation
from reanalyse.kernels.printed import Rounding, parse_number

__all__ = ["MAX_N", "MAX_POINTS", "MAX_PAIRS", "MAX_SWEEP_PAIRS", "DIRECTIONS", "PROGRAMMES", "NODE_LIMIT", "Scale",
           "Interval", "Witness"]

#: Largest n per arm.
MAX_N = 1_000_000

#: Largest number of points a scale may have (``B + 1``).
MAX_POINTS = 1_001

#: Largest number of (count, sum) pairs examined for one arm and cut-off.
MAX_PAIRS = 20_000_000

#: Largest number of (count, sum) pairs a sweep of every cut-off of the scale examines for one
#: arm, over all its cut-offs (a sweep of 1,001 scale points would otherwise examine up to
#: 1,001 times :data:`MAX_PAIRS`).
MAX_SWEEP_PAIRS = 10_000_000

#: Cut-off directions: at or above, above, at or below, below.
DIRECTIONS = RELATIONS

#: Default work budget of one question: integer programmes solved for one cut-off (both
#: ends), one count's witness, or one end of a reverse reading.
PROGRAMMES = 400

#: Integer programmes a sweep of every cut-off of the scale solves in all, over its cut-offs
#: (each cut-off still at most ``programmes``).  Most cut-offs are settled before any
#: programme; where a small arm on a fine scale leaves many to programmes, the cut-offs
#: reached after these are spent are undetermined (their bracket stands) instead of costing
#: minutes.
SWEEP_PROGRAMMES = 4

#: Branch-and-bound nodes one integer programme may explore (HiGHS ``mip_max_nodes``).
NODE_LIMIT = 10_000


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
        direction = _direction(direction)
        return sum(f for score, f in self.frequencies.items()
                   if beyond(score, cutoff, direction))

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
    return relation(direction)
