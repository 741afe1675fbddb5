"""The printed-p rule: what a printed p-value says, and whether a rebuilt p-interval fits it.

A p is printed as a value (``= .034``), a bound (``< .05``, ``<= .05``, ``> .05``) or ``ns``.
Arrays of relations (``"="``, ``"<"``, ``"<="``, ``">"``, ``">="``, ``"ns"``) and of the printed
numbers' values and rounding intervals go in; the same rule serves one p
(:class:`reanalyse.kernels.printed.PrintedP`) and a column of them (the screens).  It follows
statcheck's (Nuijten et al. 2016, Behav Res Methods 48:1205-1226), with rounding read under the
named convention:

* **interval** — ``= x`` stands for the rounding interval of x (within [0, 1]); ``< x`` and
  ``<= x`` for [0, x]; ``> x`` and ``>= x`` for [x, 1]; ``ns`` for [alpha, 1].
* **fit** of a rebuilt interval [p_min, p_max]: when it meets the printed p's interval, so
  ``= x`` when it meets x's rounding interval; ``< x`` when ``p_min <= x``; ``> x`` when
  ``p_max >= x``; ``ns`` when ``p_max >= alpha``.  A bound is read as inclusive: the printed
  x is itself a rounded number.
* **p printed as zero** (``= .000``, ``< .000``): no test gives p = 0.  With
  ``p_zero="rounded"`` it reads as a p rounded to zero (``= .000`` is [0, .0005]); with
  ``p_zero="error"`` (statcheck's default) it fits no interval.
* **decision** — the significance the printed p states at alpha: ``= x`` significant when
  x < alpha, and at x = alpha when ``p_equal_alpha="significant"`` (statcheck's default);
  ``< x`` with x <= alpha significant; ``> x`` with x >= alpha and ``ns`` not significant;
  other bounds state none.  A computed p is judged by the same rule
  (:func:`computed_significant`).
"""

from __future__ import annotations

import numpy as np

from reanalyse.errors import OptionError

__all__ = ["P_EQUAL_ALPHA", "P_ZERO", "ALPHA_LIMITS", "alpha_problem", "check_p_options",
           "printed_p_interval", "printed_p_fits", "printed_p_decision", "computed_significant",
           "significant"]

#: How a printed p equal to alpha is read.
P_EQUAL_ALPHA = ("significant", "not_significant")
#: How a p printed as zero is read.
P_ZERO = ("error", "rounded")
#: The significance levels accepted everywhere (study files, options, the command line).
#: Above 0.5 a test would call "significant" what is more likely than not under H0 (and the
#: power of 0.8 the allowance asks for is no longer above alpha); below 1e-10 no trial's
#: printed numbers reach it, while the searches for the smallest significant difference grow
#: with the critical value.
ALPHA_LIMITS = (1e-10, 0.5)


def alpha_problem(alpha) -> str | None:
    """What is wrong with ``alpha`` as a significance level, or None when it is accepted
    (a number within :data:`ALPHA_LIMITS`)."""
    low, high = ALPHA_LIMITS
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, (int, float, np.number)):
        return f"alpha must be a number between {low:g} and {high:g}, not {alpha!r}"
    if not low <= float(alpha) <= high:
        return f"alpha must lie between {low:g} and {high:g}, not {alpha!r}"
    return None


def check_p_options(alpha: float, p_equal_alpha: str = "significant",
                    p_zero: str = "rounded") -> None:
    """Raise :class:`~reanalyse.errors.OptionError` (a ValueError) naming the option when one
    is not of the rule's vocabulary or alpha is not a number within :data:`ALPHA_LIMITS`."""
    if p_equal_alpha not in P_EQUAL_ALPHA:
        raise OptionError(f"p_equal_alpha must be one of {', '.join(P_EQUAL_ALPHA)}, "
                          f"not {p_equal_alpha!r}")
    if p_zero not in P_ZERO:
        raise OptionError(f"p_zero must be one of {', '.join(P_ZERO)}, not {p_zero!r}")
    problem = alpha_problem(alpha)
    if problem:
        raise OptionError(problem)


def _relations(relation):
    """Masks of the relations: bools for one printed p, bool arrays for a column."""
    if isinstance(relation, str):
        return relation == "=", relation in ("<", "<="), relation in (">", ">="), \
            relation == "ns"
    relation = np.asarray(relation, dtype=object)
    return (relation == "="), (relation == "<") | (relation == "<="), \
        (relation == ">") | (relation == ">="), (relation == "ns")


def printed_p_interval(relation, value, low, high, alpha: float):
    """The interval of true p-values each printed p stands for.

    Parameters
    ----------
    relation : str or array of str
        ``"="``, ``"<"``, ``"<="``, ``">"``, ``">="`` or ``"ns"``.
    value, low, high : float or float arrays
        The printed number and the ends of its rounding interval (anything for ``ns``).
    alpha : float
        The level ``ns`` refers to.

    Returns
    -------
    lower, upper : float arrays (0-d for one printed p)
    """
    equal, less, greater, ns = _relations(relation)
    lower = np.where(equal, np.maximum(low, 0.0), np.where(
        less, 0.0, np.where(greater, value, np.where(ns, alpha, np.nan))))
    upper = np.where(equal, np.minimum(high, 1.0), np.where(
        less, value, np.where(greater | ns, 1.0, np.nan)))
    return lower, upper


def printed_p_fits(relation, lower, upper, zero, p_min, p_max, p_zero: str = "rounded"):
    """Whether some p in each rebuilt ``[p_min, p_max]`` could have been printed so.

    ``lower, upper`` are the printed p's interval (:func:`printed_p_interval`): for every
    relation the rule of the module docstring is that the two intervals meet (``< x``:
    ``p_min <= x``; ``> x``: ``p_max >= x``; ``ns``: ``p_max >= alpha``).  ``zero`` marks the
    printed numbers that are zero (``.000``), which fit nothing when ``p_zero="error"`` (for
    ``=`` and ``<``).  Returns a bool array (0-d for one printed p).
    """
    fits = np.logical_and(np.less_equal(p_min, upper), np.greater_equal(p_max, lower))
    if p_zero == "error":
        equal, less, _, _ = _relations(relation)
        fits = np.logical_and(fits, np.logical_not(np.logical_and(np.logical_or(equal, less),
                                                                  zero)))
    return fits


def printed_p_decision(relation, value, alpha: float, p_equal_alpha: str = "significant"):
    """The significance decision each printed p states at ``alpha``.

    Returns
    -------
    significant, not_significant : bool arrays (0-d for one printed p)
        Both false where the printed p states no decision (``< .10`` at alpha = .05).
    """
    equal, less, greater, ns = _relations(relation)
    value = np.asarray(value, dtype=float)
    equal_significant = p_equal_alpha == "significant"
    below = (value < alpha) | (equal_significant & (value == alpha))
    above = (value > alpha) | ((not equal_significant) & (value == alpha))
    significant = (equal & below) | (less & (value <= alpha))
    not_significant = (equal & above) | (greater & (value >= alpha)) | ns
    return significant, not_significant


def computed_significant(p, alpha: float, p_equal_alpha: str = "significant"):
    """Whether each computed p is significant at ``alpha`` (p = alpha as the rule says)."""
    p = np.asarray(p, dtype=float)
    return (p < alpha) | ((p_equal_alpha == "significant") & (p == alpha))


def significant(p, alpha: float):
    """Whether p is significant at ``alpha``: at or below it (a p equal to alpha counts, as
    statcheck's default reads it).  Scalars give a bool, arrays an array of them; a NaN p is
    not significant.

    >>> significant(0.05, 0.05), significant(0.0501, 0.05)
    (True, False)
    """
    return p <= alpha
