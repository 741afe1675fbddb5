"""Which 2 x 2 tests call each pair of event counts significant, over a window of counts
around the printed pair: the numbers behind a report's significance map.

The closed-form tests and Fisher's come from one vectorised call a test over the window
(:func:`reanalyse.kernels.twobytwo.pvalue_window`), so the cost does not grow with n;
Boschloo's test, at arm sizes its exact p is computed for (:func:`boschloo_within_size`), by
bisection on Fisher's p, on which its p is nondecreasing (a few searches, not one a pair).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.exact import boschloo_statistic_pvalue
from reanalyse.kernels.pvalues import significant
from reanalyse.kernels.twobytwo import FISHER_EXACT, TESTS, pvalue_window
from reanalyse.model import tests
from reanalyse.rebuild.binary import CountPairs, boschloo_within_size

__all__ = ["SignificanceGrid", "significance_window"]

_BOSCHLOO = tests.lookup("boschloo").name


@dataclass(frozen=True)
class SignificanceGrid:
    """Which tests call each pair of event counts significant, at the printed arm sizes.

    Attributes
    ----------
    treat_n, control_n : int
        The arm sizes.
    treat_label, control_label : str
    treat_events, control_events : tuple of int
        The counts in the window (rows, columns).
    tests : tuple of (str, str)
        ``(name, label)`` of each test, in the check's order.
    significant : dict
        Test name -> array of shape (rows, columns): 1 significant, 0 not.
    printed : tuple of int
        The count pair closest to the printed figures.
    feasible : tuple of (int, int)
        Every pair the printed numbers allow.
    alpha : float
    """

    treat_n: int
    control_n: int
    treat_label: str
    control_label: str
    treat_events: tuple[int, ...]
    control_events: tuple[int, ...]
    tests: tuple[tuple[str, str], ...]
    significant: dict
    printed: tuple[int, int]
    feasible: tuple[tuple[int, int], ...]
    alpha: float


def significance_window(pairs: CountPairs, labels: dict, arm_labels: tuple[str, str], *,
                        alternative: str, alpha: float, half_width: int = 6) -> SignificanceGrid:
    """Each test's decision at every count pair within ``half_width`` of the printed pair.

    Parameters
    ----------
    pairs : CountPairs
        The claim's count pairs (feasible).
    labels : dict
        Test name -> label, in the check's order: the tests to decide.
    arm_labels : (str, str)
        Treatment's and control's labels.
    alternative : str
    alpha : float
    half_width : int
        Counts either side of the printed count in each arm.
    """
    n1, n2 = pairs.treat_n, pairs.control_n
    rows = tuple(range(max(0, pairs.treat_printed - half_width),
                       min(n1, pairs.treat_printed + half_width) + 1))
    columns = tuple(range(max(0, pairs.control_printed - half_width),
                          min(n2, pairs.control_printed + half_width) + 1))
    decided = {}
    for name in TESTS:
        if name in labels:
            p = pvalue_window(name, n1, n2, rows, columns, alternative)
            decided[name] = significant(p, alpha).astype(float)
    if _BOSCHLOO in labels and boschloo_within_size(n1, n2):
        # the largest Fisher p whose Boschloo p is significant: bisection on the window's
        # sorted Fisher p above alpha (below it Boschloo's p, never larger, is significant)
        fisher = pvalue_window(FISHER_EXACT, n1, n2, rows, columns, alternative)
        values = np.unique(fisher[~significant(fisher, alpha)])
        low, high = 0, values.size            # values[:low] significant, values[high:] not
        while low < high:
            middle = (low + high) // 2
            if significant(boschloo_statistic_pvalue(float(values[middle]), n1, n2,
                                                     alternative), alpha):
                low = middle + 1
            else:
                high = middle
        cut = values[low - 1] if low else alpha
        decided[_BOSCHLOO] = (fisher <= cut).astype(float)
    names = [name for name in labels if name in decided]
    feasible = tuple((a, c) for a in pairs.treat_events for c in pairs.control_events)
    return SignificanceGrid(n1, n2, arm_labels[0], arm_labels[1], rows, columns,
                            tuple((name, labels[name]) for name in names), decided,
                            (pairs.treat_printed, pairs.control_printed), feasible, alpha)
