"""The printed-p rule: what a printed p-value says, and whether a rebuilt p-interval fits it.

A p is printed as a value (``= .034``), a bound (``< .05``, ``<= .05``, ``> .05``) or ``ns``.
Arrays of relations (``"="``, ``"<"``, ``"<="``, ``">"``, ``">="``, ``"ns"``) and of the printed
numbers' values and rounding intervals go in; the same rule serves one p
(:class:`reanalyse.kernels.printed.PrintedP`) and a column of them (the screens).  It follows
statcheck's (Nuijten et al. 2016, Behav Res Methods 48:1205-1226), with rounding read under the
named convention:

* **interval** — ``= x`` stands for the rounding interval of x (within [0, 1]); ``< x`` and
  ``<= x`` for [0, x]; ``> x`` and ``>= x`` for [x, 1]; ``ns`` for [alpha, 1].
* **fit** of a rebuilt interval [p_min, p_max]: ``= x`` when the intervals meet; ``< x`` when
  ``p_min <= x``; ``> x`` when ``p_max >= x``; ``ns`` when ``p_max >= alpha``.  A bound is read
  as inclusive: the printed x is itself a rounded number.
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

__all__ = ["P_EQUAL_ALPHA", "P_ZERO", "check_p_options", "printed_p_interval",
           "printed_p_fits", "printed_p_decision", "computed_significant"]

#: How a printed p equal to alpha is read.
P_EQUAL_ALPHA = ("significant", "not_significant")
#: How a p printed as zero is read.
P_ZERO = ("error", "rounded")


def check_p_options(alpha: float, p_equal_alpha: str = "significant",
                    p_zero: str = "rounded") -> None:
    """Raise ValueError naming the option when one is not of the rule's vocabulary."""
    if p_equal_alpha not in P_EQUAL_ALPHA:
        raise ValueError(f"p_equal_alpha must be one of {', '.join(P_EQUAL_ALPHA)}, "
                         f"not {p_equal_alpha!r}")
    if p_zero not in P_ZERO:
        raise ValueError(f"p_zero must be one of {', '.join(P_ZERO)}, not {p_zero!r}")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha!r}")


def _relations(relation):
    relation = np.asarray(relation, dtype=object)
    return (relation == "="), (relation == "<") | (relation == "<="), \
        (relation == ">") | (relation == ">="), (relation == "ns")


def printed_p_interval(relation, value, low, high, alpha: float):
    """The interval of true p-values each printed p stands for.

    Parameters
    ----------
    relation : array of str
        ``"="``, ``"<"``, ``"<="``, ``">"``, ``">="`` or ``"ns"``.
    value, low, high : float arrays
        The printed number and the ends of its rounding interval (anything for ``ns``).
    alpha : float
        The level ``ns`` refers to.

    Returns
    -------
    lower, upper : float arrays
    """
    equal, less, greater, ns = _relations(relation)
    value = np.asarray(value, dtype=float)
    lower = np.select([equal, less, greater, ns], [np.maximum(low, 0.0), 0.0, value, alpha],
                      default=np.nan)
    upper = np.select([equal, less, greater, ns], [np.minimum(high, 1.0), value, 1.0, 1.0],
                      default=np.nan)
    return lower, upper


def printed_p_fits(relation, value, low, high, zero, p_min, p_max, alpha: float,
                   p_zero: str = "rounded"):
    """Whether some p in each rebuilt ``[p_min, p_max]`` could have been printed so.

    ``zero`` marks the printed numbers that are zero (``.000``); ``p_zero`` says how they are
    read (see the module docstring).  Returns a bool array.
    """
    equal, less, greater, ns = _relations(relation)
    value = np.asarray(value, dtype=float)
    fits = np.select(
        [equal, less, greater, ns],
        [(p_min <= np.minimum(high, 1.0)) & (p_max >= np.maximum(low, 0.0)), p_min <= value,
         p_max >= value, p_max >= alpha], default=False)
    if p_zero == "error":
        fits &= ~((equal | less) & np.asarray(zero, dtype=bool))
    return fits


def printed_p_decision(relation, value, alpha: float, p_equal_alpha: str = "significant"):
    """The significance decision each printed p states at ``alpha``.

    Returns
    -------
    significant, not_significant : bool arrays
        Both false where the printed p states no decision (``< .10`` at alpha = .05).
    """
    equal, less, greater, ns = _relations(relation)
    value = np.asarray(value, dtype=float)
    at_alpha = value == alpha
    equal_significant = p_equal_alpha == "significant"
    significant = np.select(
        [equal, less], [(value < alpha) | (equal_significant & at_alpha), value <= alpha],
        default=False)
    not_significant = np.select(
        [equal, greater, ns], [(value > alpha) | ((not equal_significant) & at_alpha),
                               value >= alpha, True], default=False)
    return significant, not_significant


def computed_significant(p, alpha: float, p_equal_alpha: str = "significant"):
    """Whether each computed p is significant at ``alpha`` (p = alpha as the rule says)."""
    p = np.asarray(p, dtype=float)
    return (p < alpha) | ((p_equal_alpha == "significant") & (p == alpha))
