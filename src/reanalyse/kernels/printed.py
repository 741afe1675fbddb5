"""Printed numbers: text as it stands in a paper, parsed once into value, decimals and interval.

A printed ``"8.60"`` is not the float 8.6: it says the true value lies in [8.595, 8.605]
(under the rounding convention in force), while ``"8.6"`` says [8.55, 8.65].  Everything in
this module keeps the digits exact: a printed number is held as an integer ``scaled`` and a
power of ten ``decimals`` (value = scaled * 10**-decimals), so interval ends are exact
rationals and granularity checks can be done in integer arithmetic.

Rounding conventions (:class:`Rounding`)
----------------------------------------
``nearest`` (default)
    Rounded to the nearest printed unit, a tie (an exact half) rounded either way:
    the closed interval [v - h, v + h], h = half a unit in the last printed place.
``half_up`` / ``half_down``
    Ties away from / towards zero: half-open intervals (a printed 0 is open at both ends under
    ``half_up``, closed at both under ``half_down``).
``half_even``
    Ties to the even last digit (IEEE, R's ``round``): closed when the last digit is even,
    open when odd.
``truncate``
    Digits beyond the last printed place dropped: [v, v + 2h) for v > 0, (v - 2h, v] for
    v < 0 and (-2h, 2h) for a printed 0.
``ceiling`` / ``floor``
    Rounded up: (v - 2h, v]; rounded down: [v, v + 2h).
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from reanalyse.errors import OptionError, PrintedNumberError
from reanalyse.kernels.pvalues import printed_p_decision, printed_p_fits, printed_p_interval

__all__ = [
    "Rounding",
    "PrintedNumber",
    "PrintedP",
    "PrintedNumberError",
    "parse_number",
    "parse_p",
    "half_unit_bounds",
]


class Rounding(str, enum.Enum):
    """How a printed number was rounded from the true value (see the module docstring)."""

    NEAREST = "nearest"
    HALF_UP = "half_up"
    HALF_DOWN = "half_down"
    HALF_EVEN = "half_even"
    TRUNCATE = "truncate"
    CEILING = "ceiling"
    FLOOR = "floor"

    @classmethod
    def parse(cls, name: "str | Rounding") -> "Rounding":
        """Return the convention called ``name``, with the list of names on failure."""
        if isinstance(name, Rounding):
            return name
        try:
            return cls(str(name).strip().lower().replace("-", "_"))
        except ValueError:
            names = ", ".join(member.value for member in cls)
            raise OptionError(f"unknown rounding convention {name!r}; use one of: {names}") \
                from None


def half_unit_bounds(scaled, rounding: "Rounding | str" = Rounding.NEAREST):
    """Exact interval of true values for printed numbers, in half units of the last place.

    Vectorised over numpy integer arrays (or plain ints).  The interval of true values for the
    printed ``scaled * 10**-decimals`` is ``[lower, upper] * 10**-decimals / 2`` with the ends
    included where ``lower_closed`` / ``upper_closed`` are true; it does not depend on
    ``decimals`` otherwise.

    Parameters
    ----------
    scaled : int or array of int
        The printed digits as an integer (``"8.60"`` -> 860).
    rounding : Rounding or str
        The convention.

    Returns
    -------
    lower, upper : array of int
        Interval ends in half units.
    lower_closed, upper_closed : array of bool
        Whether each end belongs to the interval.
    """
    scaled = np.asarray(scaled, dtype=np.int64)
    twice = 2 * scaled
    positive = scaled > 0
    negative = scaled < 0
    true = np.ones_like(scaled, dtype=bool)
    if rounding == Rounding.NEAREST:
        return twice - 1, twice + 1, true, true.copy()
    if rounding == Rounding.HALF_EVEN:
        even = scaled % 2 == 0
        return twice - 1, twice + 1, even, even.copy()
    if rounding == Rounding.HALF_UP:  # ties away from zero
        return twice - 1, twice + 1, positive, negative
    if rounding == Rounding.HALF_DOWN:  # ties towards zero
        return twice - 1, twice + 1, negative | (scaled == 0), ~negative | (scaled == 0)
    if rounding == Rounding.CEILING:
        return twice - 2, twice, ~true, true
    if rounding == Rounding.FLOOR:
        return twice, twice + 2, true, ~true
    if rounding != Rounding.TRUNCATE:
        raise ValueError(f"unknown rounding convention {rounding!r}; use one of: "
                         + ", ".join(member.value for member in Rounding))
    # towards zero; a printed 0 came from (-1, 1) units.
    lower = np.where(positive, twice, twice - 2)
    upper = np.where(negative, twice, twice + 2)
    lower_closed = positive
    upper_closed = negative
    return lower, upper, lower_closed, upper_closed


_NUMBER = re.compile(
    r"""^(?P<sign>[-+]?)
        (?P<int>\d*)
        (?:\.(?P<frac>\d*))?
        (?:[eE](?P<exp>[-+]?\d+))?\Z""",
    re.VERBOSE,
)
_MINUS_SIGNS = "\u2212\u2013\u2014\u2012\ufe63\uff0d"
#: Longest text read as one printed number (longer text is refused before it is scanned).
MAX_TEXT = 200
#: Most significant digits in a printed number: its digits fit an int64, as the interval
#: arithmetic and the column readers need (a paper prints a handful).
MAX_DIGITS = 18
#: Largest |power of ten| of a printed value: 1e-300 .. 1e300 keeps every value, its square
#: root and its half unit finite, non-zero floats.
MAX_MAGNITUDE = 300


def _normalise_text(text: str) -> str:
    cleaned = text.strip()
    for sign in _MINUS_SIGNS:
        cleaned = cleaned.replace(sign, "-")
    cleaned = cleaned.replace(" ", "").replace("\u00a0", "").replace("\u2009", "")
    # "1.2 x 10^-5" and "1.2×10−5" scientific notation
    cleaned = re.sub(r"[x×·]10\^?", "e", cleaned)
    if "," in cleaned:
        head, _, tail = cleaned.partition(",")
        # "0,026" cannot group thousands (no grouped number starts with 0); "7,610" can
        grouped = len(tail) == 3 and head.lstrip("+-") not in ("", "0")
        if "," in tail or "." in cleaned or not tail.isdigit() or grouped:
            example = (f"{head}{tail} or {head}.{tail}" if grouped and head.lstrip("+-")
                       .isdigit() else "2.1 or 2100")
            raise PrintedNumberError(
                text,
                "ambiguous comma in a number" if grouped else "a comma that is not a decimal "
                "comma",
                "a comma before exactly three digits may separate thousands; write the number "
                f"with a decimal point as the source means it, e.g. {example}" if grouped else
                "a decimal comma stands alone between digits ('7,61' is 7.61); write the "
                "number with a decimal point, e.g. 2.1 or 2100",
            )
        cleaned = f"{head}.{tail}"
    return cleaned


def _ratio(scaled: int, decimals: int) -> float:
    """``scaled * 10**-decimals`` correctly rounded to a float (integer true division is)."""
    if decimals >= 0:
        return scaled / 10**decimals
    return float(scaled * 10**-decimals)


@functools.lru_cache(maxsize=4096)
def _interval(scaled: int, decimals: int, rounding: Rounding) -> tuple[float, float]:
    lower, upper, _, _ = half_unit_bounds(scaled, rounding)
    return _ratio(int(lower), decimals) / 2, _ratio(int(upper), decimals) / 2


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed.  It carries no rounding convention: the interval of true values it
    stands for is read under the convention given to :meth:`interval`, :meth:`bounds_exact` or
    :meth:`contains`.

    Attributes
    ----------
    text : str
        The text as written in the source (kept for reports).
    scaled : int
        The printed digits as an integer, sign included.
    decimals : int
        Power of ten: ``value = scaled * 10**-decimals`` (negative for "1.2e3").

    Examples
    --------
    >>> number = parse_number("8.60")
    >>> number.interval("nearest")
    (8.595, 8.605)
    >>> number.interval("truncate")
    (8.6, 8.61)
    """

    text: str
    scaled: int
    decimals: int

    @cached_property
    def value(self) -> float:
        """The printed value as a float (correctly rounded, as ``float(self.exact)``)."""
        return _ratio(self.scaled, self.decimals)

    @property
    def exact(self) -> Fraction:
        """The printed value as an exact fraction."""
        return Fraction(self.scaled) / Fraction(10) ** self.decimals

    @property
    def unit(self) -> Fraction:
        """One unit in the last printed place."""
        return Fraction(1) / Fraction(10) ** self.decimals

    def bounds_exact(self, rounding: "Rounding | str") -> tuple[Fraction, Fraction, bool, bool]:
        """Exact interval ``(lower, upper, lower_closed, upper_closed)`` of true values that
        print as this number under ``rounding``."""
        lower, upper, lower_closed, upper_closed = half_unit_bounds(self.scaled, rounding)
        half = self.unit / 2
        return int(lower) * half, int(upper) * half, bool(lower_closed), bool(upper_closed)

    def interval(self, rounding: "Rounding | str") -> tuple[float, float]:
        """``(lower, upper)`` as floats under ``rounding``; whether the ends are included is in
        :meth:`bounds_exact`."""
        return _interval(self.scaled, self.decimals, rounding)

    @property
    def is_integer(self) -> bool:
        """Whether the printed value is a whole number (``"60"``, not ``"60.5"``)."""
        return self.decimals <= 0 or self.scaled % 10**self.decimals == 0

    def contains(self, true_value: float | Fraction, rounding: "Rounding | str") -> bool:
        """Whether ``true_value`` would print as this number under ``rounding``."""
        lower, upper, lower_closed, upper_closed = self.bounds_exact(rounding)
        x = Fraction(true_value)
        above = x > lower or (lower_closed and x == lower)
        below = x < upper or (upper_closed and x == upper)
        return above and below

    def __str__(self) -> str:
        return self.text

    def to_dict(self, rounding: "Rounding | str") -> dict:
        """JSON-ready form: the text, value, decimals and interval under ``rounding``."""
        lower, upper = self.interval(rounding)
        return {"text": self.text, "value": self.value, "decimals": self.decimals,
                "lower": lower, "upper": upper, "rounding": Rounding(rounding).value}


def parse_number(text) -> PrintedNumber:
    """Parse a printed number, keeping its decimals.

    Accepts a plain decimal (``"8.60"``, ``".034"``, ``"-2.1"``), a unicode minus
    (``"−2.1"``), and scientific notation (``"2.3e-5"``, ``"2.3 × 10^-5"``).

    The decimal comma rule: one comma between digits is a decimal comma (``"7,61"`` is 7.61,
    ``"0,026"`` is 0.026) unless it could separate thousands, that is unless exactly three
    digits follow it and a digit other than a lone 0 precedes it (``"7,610"``, ``"1,234"``
    are refused as ambiguous).  A comma beside a decimal point, two commas, or a comma not
    between digits is refused.  Each refusal names the comma.

    Parameters
    ----------
    text : str or int
        The number as printed.  Floats are refused: they have already lost trailing zeros.

    The cost of reading is bounded: text longer than ``MAX_TEXT`` characters, more than
    ``MAX_DIGITS`` significant digits, or a magnitude outside 1e-300 .. 1e300 (``MAX_MAGNITUDE``) is
    refused before any large power of ten is formed.

    Raises
    ------
    PrintedNumberError
        If the text is not a number, a float was given, or it is too long or too large.
    """
    if isinstance(text, bool) or isinstance(text, float):
        raise PrintedNumberError(
            str(text), "a float has lost its printed decimals",
            "pass the number as text exactly as printed, e.g. '8.60'",
        )
    if isinstance(text, (int, np.integer)):
        if abs(int(text)).bit_length() > 63:
            raise PrintedNumberError(f"an integer of {abs(int(text)).bit_length()} bits",
                                     f"more than {MAX_DIGITS} significant digits",
                                     "a printed number has a few significant digits")
        text = str(int(text))
    if not isinstance(text, str):
        raise PrintedNumberError(repr(text), "not a number", "give the number as printed text")
    if len(text) > MAX_TEXT:
        raise PrintedNumberError(text[:40] + "...", f"longer than {MAX_TEXT} characters",
                                 "a printed number is a few digits; check the source")
    cleaned = _normalise_text(text)
    match = _NUMBER.match(cleaned)
    if not match or not (match["int"] or match["frac"]):
        hint = ("write the number without '%' (a percentage field takes the number alone)"
                if cleaned.endswith("%") else
                "write digits with an optional sign and decimal point, e.g. '-2.10' or '.034'")
        raise PrintedNumberError(text, "not a number", hint)
    digits = (match["int"] or "") + (match["frac"] or "")
    significant = digits.lstrip("0")
    if len(significant) > MAX_DIGITS:
        raise PrintedNumberError(text, f"more than {MAX_DIGITS} significant digits",
                                 "a printed number has a few significant digits; check the "
                                 "source")
    exponent = match["exp"] or "0"
    # the order of magnitude of the leading digit, checked before any power of ten is formed
    if len(exponent.lstrip("+-").lstrip("0")) > 4 or (significant and not (
            -MAX_MAGNITUDE <= len(significant) - len(match["frac"] or "") + int(exponent) - 1
            <= MAX_MAGNITUDE)):
        raise PrintedNumberError(text, f"magnitude beyond 1e{MAX_MAGNITUDE} or below "
                                 f"1e-{MAX_MAGNITUDE}",
                                 "a printed summary lies far inside these limits; check the "
                                 "exponent")
    decimals = len(match["frac"] or "") - int(exponent)
    if not -MAX_MAGNITUDE <= decimals <= MAX_MAGNITUDE + MAX_DIGITS:
        # zero printed with an absurd exponent ("0e-99999", "0e309"): its unit, and so its
        # rounding interval, would not be a finite, non-zero float
        raise PrintedNumberError(text, "exponent out of range",
                                 "write the number in plain decimals, e.g. 0.000")
    scaled = int(digits) * (-1 if match["sign"] == "-" else 1)
    return PrintedNumber(text.strip(), scaled, decimals)


_P_RELATIONS = {"=": "=", "==": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
                "≤": "<=", "≥": ">=", "=<": "<=", "=>": ">="}
_NOT_SIGNIFICANT = {"ns", "n.s.", "n.s", "nonsignificant", "non-significant", "not significant"}
_P_TEXT = re.compile(r"^\s*(?:p\s*)?(?P<rel>==|<=|>=|=<|=>|[=<>≤≥])?\s*(?P<num>.+?)\s*\Z",
                     re.IGNORECASE)


@dataclass(frozen=True)
class PrintedP:
    """A printed p-value: an exact value (``= .034``), a bound (``< .05``) or ``ns``.

    Attributes
    ----------
    text : str
        The text as printed.
    relation : str
        One of ``"="``, ``"<"``, ``"<="``, ``">"``, ``">="``, ``"ns"``.
    number : PrintedNumber or None
        The printed number (None for ``ns``).
    """

    text: str
    relation: str
    number: PrintedNumber | None

    @property
    def value(self) -> float | None:
        """The printed number as a float (None for ``ns``)."""
        return None if self.number is None else self.number.value

    @property
    def is_zero(self) -> bool:
        """Whether the p was printed as zero (``".000"``), which no test can give."""
        return self.number is not None and self.number.scaled == 0

    @functools.lru_cache(maxsize=4096)
    def interval(self, alpha: float, rounding: "Rounding | str") -> tuple[float, float]:
        """Interval of true p-values the printed p stands for, its number read under
        ``rounding`` (the rule of :func:`reanalyse.kernels.pvalues.printed_p_interval`).

        ``= .034`` gives its rounding interval; ``< .05`` gives [0, .05]; ``> .05`` gives
        [.05, 1]; ``ns`` gives [alpha, 1].  ``= .000`` is read as ``< .0005`` (a p rounded
        to zero), with :attr:`is_zero` set so that a report can say it was misprinted.
        """
        if self.number is None:
            value = low = high = np.nan
        else:
            value, (low, high) = self.number.value, self.number.interval(rounding)
        lower, upper = printed_p_interval(self.relation, value, low, high, alpha)
        return float(lower), float(upper)

    @functools.lru_cache(maxsize=4096)
    def significant(self, alpha: float, p_equal_alpha: str = "significant") -> bool | None:
        """The decision the printed p states at ``alpha`` (None when it does not state one),
        by :func:`reanalyse.kernels.pvalues.printed_p_decision`.

        ``= alpha`` counts as significant, as statcheck does (``p_equal_alpha``); ``< x`` with
        x <= alpha is significant, ``> x`` with x >= alpha is not, ``ns`` is not.
        """
        significant, not_significant = printed_p_decision(
            self.relation, np.nan if self.number is None else self.number.value, alpha,
            p_equal_alpha)
        return True if significant else False if not_significant else None

    def consistent_with(self, p_low: float, p_high: float, alpha: float,
                        rounding: "Rounding | str", p_zero: str = "rounded") -> bool:
        """Whether some true p in ``[p_low, p_high]`` could have been printed as this p (its
        number read under ``rounding``), by :func:`reanalyse.kernels.pvalues.printed_p_fits`:
        a printed bound is inclusive, and ``= .000`` reads as a p rounded to zero unless
        ``p_zero="error"``."""
        lower, upper = self.interval(alpha, rounding)
        return bool(printed_p_fits(self.relation, lower, upper, self.is_zero, p_low, p_high,
                                   p_zero))

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"text": self.text, "relation": self.relation,
                "value": None if self.number is None else self.number.value}


def parse_p(text) -> PrintedP:
    """Parse a p-value as printed: ``"0.034"``, ``"= .034"``, ``"< .05"``, ``"<.001"``,
    ``"> .05"``, ``"ns"``, ``".000"``, ``"P = 0.034"``, ``"p ≤ .05"``.

    Raises
    ------
    PrintedNumberError
        If the text is not a p-value, or the number lies outside [0, 1].
    """
    if isinstance(text, float) or isinstance(text, bool):
        raise PrintedNumberError(str(text), "a float has lost its printed decimals",
                                 "pass the p-value as text exactly as printed, e.g. '0.030'")
    raw = str(text).strip()
    if len(raw) > MAX_TEXT:
        raise PrintedNumberError(raw[:40] + "...", f"longer than {MAX_TEXT} characters",
                                 "a printed p-value is a few characters; check the source")
    if raw.lower().rstrip(".") in {s.rstrip(".") for s in _NOT_SIGNIFICANT}:
        return PrintedP(raw, "ns", None)
    match = _P_TEXT.match(raw)
    if not match:
        raise PrintedNumberError(raw, "not a p-value", "write it as printed, e.g. '= .034', "
                                 "'< .05' or 'ns'")
    try:
        number = parse_number(match["num"])
    except PrintedNumberError as error:
        if error.problem != "not a number":  # too long, too many digits, out of range
            raise PrintedNumberError(raw[:80], error.problem, error.hint) from None
        raise PrintedNumberError(raw[:80], "not a p-value", "write it as printed, e.g. "
                                 "'= .034', '< .05' or 'ns'") from None
    if not 0 <= number.exact <= 1:
        raise PrintedNumberError(raw, "p-value outside 0 to 1",
                                 "a p-value lies between 0 and 1; check the source")
    relation = _P_RELATIONS[match["rel"] or "="]
    return PrintedP(raw, relation, number)
