"""A cut-off of a scale as a paper prints it: ``">= 13"``, ``"> 12"``, ``"<= 9.5"``, ``"≥13"``.

One parser for the study loader (``cutoff``, ``cutoff_candidates``), the normal-model reading
of a dichotomised outcome and the exact bounds beyond a cut-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from reanalyse.kernels.printed import MAX_TEXT, PrintedNumberError, parse_number

__all__ = ["Cutoff", "parse_cutoff", "RELATIONS", "SPELLINGS", "WORDS", "relation", "beyond",
           "score_text", "cutoff_text", "score_runs"]

#: The relations of a cut-off: at or above, above, at or below, below.
RELATIONS = (">=", ">", "<=", "<")
#: Every way a relation is written, and the relation it is.
SPELLINGS = {**{name: name for name in RELATIONS}, "≥": ">=", "=>": ">=", "≤": "<=", "=<": "<="}
#: How a relation reads in a sentence.
WORDS = {">=": "at or above", ">": "above", "<=": "at or below", "<": "below"}

_CUTOFF = re.compile(r"^\s*(>=|<=|>|<|≥|≤)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*\Z")


@dataclass(frozen=True)
class Cutoff:
    """A cut-off as printed: ``relation`` (``>=``, ``>``, ``<=``, ``<``) and ``value``."""

    relation: str
    value: float

    @property
    def upper_tail(self) -> bool:
        """Whether the binary outcome counts scores above the cut-off."""
        return self.relation in (">=", ">")

    @property
    def exact(self) -> Fraction:
        """The cut-off as an exact number (``12.5`` -> 25/2), from its shortest decimal text."""
        return Fraction(repr(float(self.value)))

    def threshold(self, score_step: float | None = None) -> float:
        """The point on a continuous scale that separates the two groups.

        Without ``score_step`` it is the cut-off itself.  With whole-step scores the boundary
        lies half a step beyond the last excluded score: ``>= 13`` -> 12.5, ``> 12`` -> 12.5,
        ``<= 9`` -> 9.5, ``< 10`` -> 9.5.
        """
        if not score_step:
            return self.value
        half = score_step / 2
        inclusive = self.relation in (">=", "<=")
        if self.upper_tail:
            return self.value - half if inclusive else self.value + half
        return self.value + half if inclusive else self.value - half

    def __str__(self) -> str:
        return f"{self.relation} {self.value:g}"


def parse_cutoff(text: str) -> Cutoff:
    """Read ``">= 13"``, ``"> 12"``, ``"<= 9.5"``, ``"≥13"``.

    Raises
    ------
    PrintedNumberError
        A ``ValueError`` naming the accepted forms, when the text is not a cut-off (its
        number is read by :func:`~reanalyse.kernels.printed.parse_number`, with its bounds).
    """
    match = _CUTOFF.match(str(text)[:MAX_TEXT + 1])
    if not match:
        raise PrintedNumberError(str(text)[:80], "cannot read the cut-off",
                                 "write it as '>= 13', '> 12', '<= 9' or '< 10'")
    return Cutoff(SPELLINGS[match[1]], parse_number(match[2]).value)


def relation(text) -> str:
    """The relation ``text`` spells (``"≥"`` -> ``">="``); an empty text or None is ``>=``.

    Raises
    ------
    ValueError
        Naming the relations, when ``text`` spells none.
    """
    text = ">=" if text is None else str(text).strip() or ">="
    if text not in SPELLINGS:
        raise ValueError(f"direction = {text!r}: use one of {', '.join(RELATIONS)}")
    return SPELLINGS[text]


def beyond(score, cutoff, relation: str) -> bool:
    """Whether ``score`` lies beyond ``cutoff`` in the sense of ``relation`` (``>=`` ...).

    >>> beyond(13, 13, ">="), beyond(13, 13, ">"), beyond(9, 10, "<")
    (True, False, True)
    """
    return {">=": score >= cutoff, ">": score > cutoff, "<=": score <= cutoff,
            "<": score < cutoff}[relation]


def score_text(value: Fraction) -> str:
    """A scale score as printed: ``8`` for a whole score, ``8.5`` for a fraction of one."""
    return str(value) if value.denominator == 1 else f"{float(value):g}"


def cutoff_text(relation: str, value: Fraction) -> str:
    """A cut-off as printed: ``>= 13``."""
    return f"{relation} {score_text(value)}"


def score_runs(values) -> str:
    """``8 to 11, 14`` for the scores 8, 9, 10, 11, 14 (consecutive scale points joined).

    Examples
    --------
    >>> score_runs([Fraction(8), Fraction(9), Fraction(10), Fraction(11), Fraction(14)])
    '8 to 11, 14'
    >>> score_runs([Fraction(1, 2), Fraction(1), Fraction(3, 2)])
    '0.5 to 1.5'
    """
    if not values:
        return ""
    parts, start, previous = [], values[0], values[0]
    step = None
    for value in values[1:]:
        gap = value - previous
        if step is None or gap == step:
            step, previous = gap, value
            continue
        parts.append((start, previous))
        start = previous = value
    parts.append((start, previous))
    return ", ".join(score_text(a) if a == b else f"{score_text(a)} to {score_text(b)}"
                     for a, b in parts)
