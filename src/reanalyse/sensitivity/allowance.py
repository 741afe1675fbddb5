"""What a trial's sample allows it to show, and how to read a non-significant result.

Given only the arm sizes:

* :func:`smallest_significant_smd`: the smallest standardised mean difference (difference over
  the pooled SD, Cohen's d) that Student's t-test calls significant:
  d* = t_crit(df) * sqrt(1/n1 + 1/n2), df = n1 + n2 - 2, because t = d / sqrt(1/n1 + 1/n2).
* :func:`power_t` and :func:`smd_for_power`: the power of Student's two-sample t-test at a
  given SMD (noncentral t, both rejection tails counted, as ``pwr::pwr.t.test``; R's
  ``power.t.test`` counts only the tail of the effect unless ``strict = TRUE``), and the SMD it
  detects with a given power.  Written on scipy's noncentral t (the ``scipy.special`` ufunc,
  :func:`reanalyse.kernels.distributions.nct_sf`) because statsmodels' ``TTestIndPower`` returns NaN
  for large effects, which breaks the root search.
* :func:`smallest_count_difference`: over every table the arm sizes allow, the smallest
  difference between the arms' event counts that each two-proportion test (Pearson, Yates,
  Fisher, pooled z) calls significant, and the largest such smallest difference over the control
  arm's possible counts (where the test is least sensitive, near 50%).  Differences are ordered
  by the risk difference, which orders count differences when the arms are equal in size.

How to read a non-significant result (the Bayes factor) is :mod:`reanalyse.sensitivity.bayes_factor`.

Everything here depends on the arm sizes, alpha and the alternative only, so results are cached (least recently used, bounded): a batch of claims at recurring arm
sizes pays for each once.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from reanalyse.kernels.distributions import nct_sf, norm_ppf, t_isf
from reanalyse.kernels.pvalues import significant as p_significant
from reanalyse.sensitivity._common import check_sizes, clean, fmt, record_dict
from reanalyse.model import tests
from reanalyse.kernels.twobytwo import (MAX_MATRIX_TABLES, TESTS, pvalue_matrix,
                                        pvalues, two_sided_only)

__all__ = ["smallest_significant_smd", "power_t", "smd_for_power", "SignificantTable",
           "CountDifference", "CountAllowance", "smallest_count_difference", "Allowance",
           "minimal_detectable"]




def _critical_t(treat_n, control_n, alpha, alternative) -> float:
    df = treat_n + control_n - 2
    return float(t_isf(alpha / 2 if alternative == "two-sided" else alpha, df))


def smallest_significant_smd(treat_n: int, control_n: int, *, alpha: float = 0.05,
                             alternative: str = "two-sided") -> float:
    """Smallest |d| that Student's t-test on these arm sizes calls significant at ``alpha``.

    Examples
    --------
    31 vs 31: t_crit(60) = 2.0003 (two-sided 0.05), sqrt(2/31) = 0.2540, so d* = 0.508.

    >>> round(smallest_significant_smd(31, 31), 3)
    0.508
    """
    check_sizes(treat_n, control_n)
    return _critical_t(treat_n, control_n, alpha, alternative) * math.sqrt(
        1 / treat_n + 1 / control_n)


def _power(smd, treat_n, control_n, critical, alternative):
    df = treat_n + control_n - 2
    noncentrality = smd / math.sqrt(1 / treat_n + 1 / control_n)
    if alternative == "greater":
        return nct_sf(critical, df, noncentrality)
    # P(T < -c) as P(-T > c), -T being noncentral t at -noncentrality
    if alternative == "less":
        return nct_sf(critical, df, -noncentrality)
    upper, lower = nct_sf(critical, df, np.array([noncentrality, -noncentrality]))
    return upper + lower


def power_t(smd, treat_n: int, control_n: int, *, alpha: float = 0.05,
            alternative: str = "two-sided"):
    """Power of Student's two-sample t-test when the true SMD is ``smd``.

    Under the SMD d the t statistic is noncentral t with df = n1 + n2 - 2 and noncentrality
    d / sqrt(1/n1 + 1/n2); power is its probability beyond the critical values (both tails for
    a two-sided test).  For one-sided alternatives ``smd`` is signed as treat minus control.

    Parameters
    ----------
    smd : float or array_like
        One SMD, or several (evaluated in one vectorised call).

    Returns
    -------
    float or ndarray
        The power, shaped as ``smd``.
    """
    check_sizes(treat_n, control_n)
    critical = _critical_t(treat_n, control_n, alpha, alternative)
    power = _power(np.asarray(smd, dtype=float), treat_n, control_n, critical, alternative)
    return float(power) if np.ndim(power) == 0 else power


#: Multiples of the normal approximation to the SMD at a given power, around the root.
_NEAR_GUESS = np.array([0.85, 0.95, 0.99, 0.995, 0.998, 0.9997, 1.0005])


def smd_for_power(treat_n: int, control_n: int, *, power: float = 0.8, alpha: float = 0.05,
                  alternative: str = "two-sided") -> float:
    """The SMD (positive; negative for ``less``) Student's t-test detects with ``power``."""
    check_sizes(treat_n, control_n)
    if not alpha < power < 1:
        raise ValueError(f"power must lie between alpha ({alpha}) and 1, got {power!r}")
    sign = -1.0 if alternative == "less" else 1.0
    df = treat_n + control_n - 2
    critical = _critical_t(treat_n, control_n, alpha, alternative)
    scale = math.sqrt(1 / treat_n + 1 / control_n)

    def shortfall(smd):
        return _power(sign * smd, treat_n, control_n, critical, alternative) - power

    # The noncentrality that gives this power lies just below the normal approximation
    # critical + z_power * sqrt(1 + critical**2 / (2 df)): by 0.03% to 2% from 3 per arm, more
    # at 2 per arm or with power near alpha.  Power at multiples of it, in one vectorised
    # call, brackets the root for brentq; failing that, a wide bracket: power rises from
    # about alpha at d = 0 towards 1 as the noncentrality grows, to 1 - 1e-20 once it is 10
    # past the critical value when df is not tiny; with few df and a small alpha (a critical
    # value of thousands) the bracket's end is doubled until the power is reached.
    guess = (critical + norm_ppf(power) * math.sqrt(1 + critical**2 / (2 * df))) * scale
    candidates = guess * _NEAR_GUESS
    below = shortfall(candidates) < 0
    crossing = np.flatnonzero(below[:-1] & ~below[1:])
    if crossing.size:
        low, high = candidates[crossing[0]], candidates[crossing[0] + 1]
    else:
        low, high = 0.0, (critical + 10) * scale
        for _ in range(_DOUBLINGS):
            if float(shortfall(high)) >= 0:
                break
            low, high = high, 2 * high
        else:
            raise ValueError(f"no SMD up to {high:.3g} reaches power {power} with "
                             f"{treat_n} and {control_n} per arm at alpha = {alpha}")
    return sign * float(optimize.brentq(lambda smd: float(shortfall(smd)), low, high,
                                        xtol=1e-12))


#: Doublings of the bracket's end tried by :func:`smd_for_power` (a factor of 2**64).
_DOUBLINGS = 64


@dataclass(frozen=True)
class SignificantTable:
    """A table ``treat_events/treat_n`` vs ``control_events/control_n`` and its p."""

    treat_events: int
    control_events: int
    p: float

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"treat_events": self.treat_events, "control_events": self.control_events,
                "p": self.p}


@dataclass(frozen=True)
class CountDifference:
    """For one test (or ``any``): the smallest differences it calls significant.

    Attributes
    ----------
    test : str
        A test name, or ``any`` (significant by at least one of the tests).
    smallest : SignificantTable or None
        The significant table with the smallest risk difference over all tables.
    hardest : SignificantTable or None
        At the control count that needs the largest difference, its smallest significant table.
    needed : tuple of (float or None)
        For each control count 0..control_n (or each of ``control_counts``), the smallest
        |risk difference| of a significant table (None when no table with that control count
        is significant).
    control_counts : tuple of int or None
        The control counts searched, when not all of them (large arm sizes).
    """

    test: str
    smallest: SignificantTable | None
    hardest: SignificantTable | None
    needed: tuple[float | None, ...]
    control_counts: tuple[int, ...] | None = None

    def needed_at(self, control_events: int) -> float | None:
        """The entry of ``needed`` for a control count."""
        if self.control_counts is None:
            return self.needed[control_events]
        return self.needed[self.control_counts.index(control_events)]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = {"test": self.test,
                "smallest": None if self.smallest is None else self.smallest.to_dict(),
                "hardest": None if self.hardest is None else self.hardest.to_dict(),
                "needed_risk_difference_by_control_events": list(self.needed)}
        if self.control_counts is not None:
            data["control_events_searched"] = list(self.control_counts)
        return data


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _count_difference(name, significant, pvalues, risk_gap) -> CountDifference:
    masked = np.where(significant, risk_gap, np.inf)
    best_rows = masked.argmin(axis=0)                     # per control count
    columns = np.arange(significant.shape[1])
    # rounded so that mirror-image tables (4/60 vs 0/60 and 60/60 vs 56/60) tie exactly, and
    # the first (lowest control count) is reported
    gaps = np.round(masked[best_rows, columns], 12)
    reachable = np.isfinite(gaps)
    needed = tuple(float(gap) if ok else None for gap, ok in zip(gaps, reachable))
    if not reachable.any():
        return CountDifference(name, None, None, needed)

    def table(col):
        row = best_rows[col]
        return SignificantTable(int(row), int(col), float(pvalues[row, col]))

    return CountDifference(name, table(int(np.argmin(gaps))),
                           table(int(np.argmax(np.where(reachable, gaps, -np.inf)))), needed)


@dataclass(frozen=True)
class CountAllowance:
    """The smallest count differences each two-proportion test calls significant at given n."""

    treat_n: int
    control_n: int
    alpha: float
    alternative: str
    by_test: tuple[CountDifference, ...]

    computed = True

    def test(self, name: str) -> CountDifference:
        """The entry for ``name`` (a test name or ``any``)."""
        return next(entry for entry in self.by_test if entry.test == name)

    def _difference(self, table: SignificantTable) -> str:
        if self.treat_n == self.control_n:
            return str(abs(table.treat_events - table.control_events))
        gap = abs(table.treat_events / self.treat_n - table.control_events / self.control_n)
        return f"{100 * gap:.0f} percentage points"

    def _table(self, table: SignificantTable) -> str:
        return (f"{table.treat_events}/{self.treat_n} vs {table.control_events}/"
                f"{self.control_n}")

    @property
    def explanation(self) -> str:
        """One sentence on the ``any`` entry (counts for equal arms, else percentage points)."""
        any_test = self.test("any")
        sizes = f"{self.treat_n} vs {self.control_n}"
        if any_test.smallest is None:
            return f"With {sizes}, no table is significant by any of the tests."
        small, hard = any_test.smallest, any_test.hardest
        which = [entry.test for entry in self.by_test
                 if entry.test != "any" and entry.smallest is not None
                 and entry.needed_at(entry.smallest.control_events) is not None
                 and np.isclose(min(x for x in entry.needed if x is not None),
                                any_test.needed_at(small.control_events))]
        unit = "in counts" if self.treat_n == self.control_n else "in proportions"
        return (f"With {sizes}, the smallest difference {unit} that any of the tests calls "
                f"significant is {self._difference(small)} ({self._table(small)}, by "
                f"{_and(tests.phrase(name) for name in which)}); at the least favourable event "
                f"rate a difference of {self._difference(hard)} is needed "
                f"({self._table(hard)}).")

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return clean({"computed": True, "treat_n": self.treat_n, "control_n": self.control_n,
                      "alpha": self.alpha, "alternative": self.alternative,
                      "by_test": [entry.to_dict() for entry in self.by_test],
                      "explanation": self.explanation})


@functools.lru_cache(maxsize=256)
def smallest_count_difference(treat_n: int, control_n: int, *, alpha: float = 0.05,
                              alternative: str = "two-sided") -> CountAllowance:
    """Smallest count differences that Pearson, Yates, Fisher and the pooled z-test call
    significant, over every table with these arm sizes.

    Each test is of H0: equal event proportions (against ``alternative``; the chi-square tests
    are two-sided only and are left out of a one-sided search).  Up to
    :data:`~reanalyse.kernels.twobytwo.MAX_MATRIX_TABLES` tables, all (treat_n + 1) x
    (control_n + 1) are evaluated at once (a few milliseconds at 200 per arm); above, each
    test is searched by bisection at :data:`SEARCHED_CONTROL_COUNTS` control counts (see
    :func:`_searched_count_difference`).  The result is cached.

    Returns
    -------
    CountAllowance
        Per test and for ``any`` of them.
    """
    check_sizes(treat_n, control_n, minimum=1)
    tests = [test for test in TESTS if alternative == "two-sided" or not two_sided_only(test)]
    if (treat_n + 1) * (control_n + 1) > MAX_MATRIX_TABLES:
        return _searched_count_difference(treat_n, control_n, alpha, alternative, tests)
    matrices = {test: pvalue_matrix(test, treat_n, control_n, alternative) for test in tests}
    risk_gap = np.abs(np.arange(treat_n + 1)[:, np.newaxis] / treat_n
                      - np.arange(control_n + 1)[np.newaxis, :] / control_n)
    entries = [_count_difference(test, p_significant(matrix, alpha), matrix, risk_gap)
               for test, matrix in matrices.items()]
    smallest_p = np.minimum.reduce(list(matrices.values()))
    entries.append(_count_difference("any", p_significant(smallest_p, alpha), smallest_p,
                                     risk_gap))
    return CountAllowance(treat_n, control_n, alpha, alternative, tuple(entries))


#: Control counts searched above the matrix size (evenly spaced, both ends included).
SEARCHED_CONTROL_COUNTS = 101


def _searched_count_difference(treat_n, control_n, alpha, alternative, tests):
    """Above the matrix size: per control count of an even grid, the significant treatment
    counts nearest equal proportions, found by bisection on each side of c n1 / n2.

    The bisection takes p as nonincreasing away from equal proportions along a column, true
    of the closed-form tests (X**2 grows with |a n2 - c n1| at a fixed total of events, and
    checked for all four tests against the every-table search up to 60 per arm by the
    tests); the grid makes ``smallest`` and ``hardest`` the best over the counts searched.
    """
    counts = np.unique(np.linspace(0, control_n, SEARCHED_CONTROL_COUNTS).round()
                       .astype(np.int64))
    centre = counts * treat_n / control_n
    up_low = np.ceil(centre).astype(np.int64)
    down_high = np.floor(centre).astype(np.int64)
    candidates = {}
    for test in tests:
        def significant(a, columns):
            return p_significant(pvalues(test, a, treat_n, columns, control_n, alternative),
                                 alpha)
        # above: smallest a >= centre with p <= alpha; below: largest a <= centre
        low, high = up_low.copy(), np.full(counts.size, treat_n + 1)
        while (low < high).any():
            open_ = low < high
            middle = np.where(open_, (low + high) // 2, 0)
            holds = significant(np.minimum(middle, treat_n), counts) & open_
            high = np.where(holds, middle, high)
            low = np.where(open_ & ~holds, middle + 1, low)
        above = low
        low, high = np.full(counts.size, -1), down_high.copy()
        while (low < high).any():
            open_ = low < high
            middle = np.where(open_, (low + high + 1) // 2, 0)
            holds = significant(np.maximum(middle, 0), counts) & open_
            low = np.where(holds, middle, low)
            high = np.where(open_ & ~holds, middle - 1, high)
        below = low
        candidates[test] = (above, below)

    def entry(name, above, below):
        gap_above = np.where(above <= treat_n, np.abs(above / treat_n - counts / control_n),
                             np.inf)
        gap_below = np.where(below >= 0, np.abs(below / treat_n - counts / control_n), np.inf)
        rows = np.where(gap_below <= gap_above, below, above)
        gaps = np.round(np.minimum(gap_above, gap_below), 12)
        reachable = np.isfinite(gaps)
        needed = tuple(float(g) if ok else None for g, ok in zip(gaps, reachable))
        if not reachable.any():
            return CountDifference(name, None, None, needed, tuple(int(c) for c in counts))

        def table(i):
            p = float(min(pvalues(t, rows[i], treat_n, counts[i], control_n, alternative)
                          for t in tests)) if name == "any" else float(
                pvalues(name, rows[i], treat_n, counts[i], control_n, alternative))
            return SignificantTable(int(rows[i]), int(counts[i]), p)

        return CountDifference(name, table(int(np.argmin(gaps))),
                               table(int(np.argmax(np.where(reachable, gaps, -np.inf)))),
                               needed, tuple(int(c) for c in counts))

    entries = [entry(test, *candidates[test]) for test in tests]
    # any test: the nearest significant count on each side over the tests
    above = np.minimum.reduce([candidates[t][0] for t in tests])
    below = np.maximum.reduce([candidates[t][1] for t in tests])
    entries.append(entry("any", above, below))
    return CountAllowance(treat_n, control_n, alpha, alternative, tuple(entries))


@dataclass(frozen=True)
class Allowance:
    """What the arm sizes allow: smallest significant SMD, SMD for a given power, power at
    stated SMDs, and the smallest significant count differences.

    A part that was not asked for is None (``power_at`` empty): :func:`claim_sensitivity`
    gives a continuous outcome the SMD part, a binary one the counts, and both when the
    outcome's per-arm numbers are not printed.

    The SMD part is made when first read and kept, as the Bayes factors are: the SMD at
    ``power`` is a root search over the noncentral t (about 0.1 ms, the most of a
    continuous claim's sensitivity analyses), and no verdict reads it, so a batch that reads
    only verdicts does not pay for it.

    Attributes
    ----------
    treat_n, control_n : int
    alpha : float
    alternative : str
    power : float
        The power level of ``smd_at_power``.
    effects : tuple of float
        The SMDs of ``power_at``.
    smd : bool
        Whether the SMD part was asked for.
    counts : CountAllowance or None
    smallest_smd : float or None
        See :func:`smallest_significant_smd`.
    smd_at_power : float or None
        See :func:`smd_for_power`.
    power_at : tuple of (float, float)
        ``(smd, power)`` pairs.
    """

    treat_n: int
    control_n: int
    alpha: float
    alternative: str
    power: float
    effects: tuple[float, ...] = ()
    smd: bool = False
    counts: CountAllowance | None = None

    computed = True

    @functools.cached_property
    def _smd_part(self) -> dict:
        if not self.smd:
            return {"smallest_smd": None, "smd_at_power": None, "power_at": ()}
        return _smd_allowance(self.treat_n, self.control_n, self.alpha, self.alternative,
                              self.power, self.effects)

    @property
    def smallest_smd(self) -> float | None:
        """See :func:`smallest_significant_smd` (None without the SMD part)."""
        return self._smd_part["smallest_smd"]

    @property
    def smd_at_power(self) -> float | None:
        """See :func:`smd_for_power` (None without the SMD part)."""
        return self._smd_part["smd_at_power"]

    @property
    def power_at(self) -> tuple[tuple[float, float], ...]:
        """``(smd, power)`` at each of ``effects`` (empty without the SMD part)."""
        return self._smd_part["power_at"]

    @property
    def explanation(self) -> str:
        """One sentence on the continuous allowance, then the counts."""
        sentences = []
        if self.smallest_smd is not None:
            powers = ", ".join(f"{power:.0%} at {fmt(smd, 2)}" for smd, power in self.power_at)
            sentences.append(
                f"A t-test on {self.treat_n} vs {self.control_n} calls a standardised mean "
                f"difference significant only from {self.smallest_smd:.2f} SD and detects "
                f"{self.smd_at_power:.2f} SD with {self.power:.0%} power"
                + (f" (power {powers})." if powers else "."))
        if self.counts is not None:
            sentences.append(self.counts.explanation)
        return " ".join(sentences)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = {"treat_n": self.treat_n, "control_n": self.control_n, "alpha": self.alpha,
                "alternative": self.alternative, "power": self.power,
                "smallest_smd": self.smallest_smd, "smd_at_power": self.smd_at_power,
                "power_at": [{"smd": smd, "power": power} for smd, power in self.power_at],
                "counts": self.counts, "explanation": self.explanation, "computed": True}
        return clean(data)


@functools.lru_cache(maxsize=1024)
def _smd_allowance(treat_n, control_n, alpha, alternative, power, effects):
    powers = power_t(np.array(effects, dtype=float), treat_n, control_n, alpha=alpha,
                     alternative=alternative)
    return dict(smallest_smd=smallest_significant_smd(treat_n, control_n, alpha=alpha,
                                                      alternative=alternative),
                smd_at_power=smd_for_power(treat_n, control_n, power=power, alpha=alpha,
                                           alternative=alternative),
                power_at=tuple((smd, float(value)) for smd, value in zip(effects, powers)))


def minimal_detectable(treat_n: int, control_n: int, *, alpha: float = 0.05,
                       alternative: str = "two-sided", power: float = 0.8,
                       effects: tuple[float, ...] = (0.2, 0.5, 0.8), smd: bool = True,
                       counts: bool = True) -> Allowance:
    """What :class:`Allowance` holds, for two arms of these sizes.

    ``effects`` are the SMDs at which power is reported (Cohen's small, medium and large by
    default).  ``smd`` and ``counts`` choose the parts: the continuous one (smallest
    significant SMD, SMD at ``power``, power at ``effects``; made when first read) and the
    smallest significant count differences.  Both parts are cached per arm sizes, alpha and
    alternative.
    """
    if not (smd or counts):
        raise ValueError("ask for at least one part: smd=True or counts=True")
    check_sizes(treat_n, control_n)
    if smd and not alpha < power < 1:
        raise ValueError(f"power must lie between alpha ({alpha}) and 1, got {power!r}")
    allowance_counts = None
    if counts:
        allowance_counts = smallest_count_difference(int(treat_n), int(control_n), alpha=alpha,
                                                     alternative=alternative)
    return Allowance(int(treat_n), int(control_n), alpha, alternative, power,
                     tuple(float(effect) for effect in effects) if smd else (), bool(smd),
                     allowance_counts)
