"""Exact tests for two independent binomial arms: Fisher's and Boschloo's.

Both tests compare the event proportion of a treatment arm, ``treat_events / treat_n``, with
that of a control arm, ``control_events / control_n``.  The arms are the *rows* of the 2x2
table (``[[treat_events, treat_n - treat_events], [control_events, control_n -
control_events]]``); scipy's ``boschloo_exact`` takes its groups from the *columns*, so its
table is the transpose of this one.

``alternative`` has scipy's meaning throughout, with p1 the treatment and p2 the control
proportion: ``"two-sided"`` tests H0: p1 = p2 against p1 != p2, ``"less"`` against p1 < p2 and
``"greater"`` against p1 > p2.

Fisher's exact test (:func:`fisher_pvalues`)
    Conditions on both margins: given the total number of events s, the treatment arm's events
    are hypergeometric.  One-sided p-values are the hypergeometric tails; the two-sided p-value
    sums the probabilities of all tables with the same margins that are no more probable than
    the observed one, a table counting as "equally probable" within a relative tolerance of
    :data:`RELATIVE_TOLERANCE` (as R's ``fisher.test`` does).  The function returns the p-value
    of every table with the given arm sizes at once.

Boschloo's exact test (:func:`boschloo_exact`)
    Conditions only on the arm sizes.  The test statistic is Fisher's p-value T; the p-value is
    ``sup over pi in [0, 1] of P_pi(T <= t_obs)``, pi being the common event probability under
    H0.  Because T is a conditional p-value, P_pi(T <= t | s) <= t for every total s and hence
    Boschloo's p never exceeds Fisher's (Boschloo 1970).

How the supremum is found
    Given the total s = a + c the table's distribution does not depend on pi (that is the
    hypergeometric law above), so with h(s) = P(T <= t_obs | s)

        P_pi(T <= t_obs) = sum_s  C(N, s) pi^s (1 - pi)^(N - s)  h(s),       N = n1 + n2,

    a polynomial of degree N in pi.  It is evaluated on a grid of pi equally spaced on the
    arcsine scale, pi = sin(theta)^2 with theta equally spaced in [0, pi/2]: the polynomial's
    features are about sqrt(pi (1 - pi) / N) wide, which that scale spaces evenly, and the
    grid contains both ends, pi = 0 and pi = 1.  The best local maxima of the grid are then
    polished by a bounded scalar optimiser between their grid neighbours.  (scipy's
    ``boschloo_exact`` searches with ``shgo`` instead, which can stop short of the supremum.)

Costs
    For arm sizes n1, n2 (N = n1 + n2, m = min(n1, n2)), the first call with a pair of arm
    sizes builds the conditional probabilities and the Fisher p-values of every table:
    O(N m) time and memory for one-sided p-values, O(N m log m) for two-sided ones (a sort
    within each total).  They are cached (least recently used, for :data:`CACHE_SIZE` pairs
    of arm sizes) and reused by every later table with the same arm sizes, as are the
    binomial probabilities of the grid (per N).  Each Boschloo table then costs O(N m) to
    mark its rejection region, O(G N) for the grid of G points (G grows as sqrt(N), see
    :func:`default_grid_points`) and a few dozen O(N) polynomial evaluations for the
    refinement.  The two-sided "doubled" p-value runs the search twice.  Measured by
    ``benchmarks/exact.py`` on one core at 200 per arm: about 0.75 ms per one-sided table,
    0.6 ms per two-sided table with Fisher's p as statistic and 1.5 ms doubled, once the arm
    sizes are cached; 4 to 5 ms for the first table at new arm sizes, 3 to 6 ms for the
    two-sided :func:`fisher_pvalues` matrix; at 500 per arm about 1.8, 1.6, 4, 30 to 45 and 35
    to 55 ms.

References
----------
R. D. Boschloo (1970). Raised conditional level of significance for the 2 x 2-table when
testing the equality of two probabilities. Statistica Neerlandica 24(1), 1-9.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import gammaln

from reanalyse.kernels.caching import array_cache

__all__ = [
    "ALTERNATIVES",
    "TWO_SIDED_METHODS",
    "RELATIVE_TOLERANCE",
    "STATISTIC_TOLERANCE",
    "CACHE_SIZE",
    "BoschlooResult",
    "fisher_pvalues",
    "boschloo_exact",
    "boschloo_statistic_pvalue",
    "default_grid_points",
    "clear_caches",
]

#: The alternatives every test here accepts (scipy's vocabulary).
ALTERNATIVES = ("two-sided", "less", "greater")

#: How :func:`boschloo_exact` defines its two-sided p-value (see there).
TWO_SIDED_METHODS = ("doubled", "fisher")

#: Two conditional table probabilities within this relative distance count as equal in
#: Fisher's two-sided p-value: R's ``fisher.test`` uses ``1 + 1e-7`` to keep tables that are
#: equally probable in exact arithmetic but differ by rounding error.
RELATIVE_TOLERANCE = 1e-7

#: Two values of Boschloo's statistic (Fisher p-values) within this relative distance count
#: as equal.  The Fisher p-values here carry relative rounding errors below 3e-12 up to 500
#: per arm (checked against exact rational arithmetic), so 1e-9 keeps every tie that exact
#: arithmetic would keep; it is tighter than 1e-7 because one-sided Fisher p-values crowd
#: together near 1 (at 15 per arm two distinct ones differ by 6.4e-9) and a looser tolerance
#: would merge them.  (scipy's ``boschloo_exact`` uses 1e-13.)
STATISTIC_TOLERANCE = 1e-9

#: How many pairs of arm sizes (and totals, for the grid) the matrices are kept for.
CACHE_SIZE = 16

# How many of the grid's local maxima are polished by the bounded optimiser.
_REFINED_MAXIMA = 3


@dataclass(frozen=True)
class BoschlooResult:
    """Result of :func:`boschloo_exact`.

    Attributes
    ----------
    statistic : float
        The test statistic: Fisher's exact p-value of the observed table (one-sided in the
        direction of ``side``, or two-sided under ``two_sided="fisher"``).
    pvalue : float
        Boschloo's p-value.
    nuisance : float
        The common event probability pi at which P_pi(T <= statistic) is largest (for a
        ``"doubled"`` two-sided test, of the one-sided test that was doubled).
    alternative : str
        The alternative hypothesis tested.
    two_sided : str or None
        How the two-sided p-value was defined (``"doubled"`` or ``"fisher"``); None for a
        one-sided test.
    side : str
        The one-sided alternative whose statistic was used (``"less"`` or ``"greater"``), or
        ``"two-sided"`` when the statistic is Fisher's two-sided p-value.
    grid_points : int
        Number of pi values in the grid, both ends included.
    refined : int
        Number of grid maxima polished by the bounded optimiser.
    search : str
        How the supremum was found, in words.
    """

    statistic: float
    pvalue: float
    nuisance: float
    alternative: str
    two_sided: str | None
    side: str
    grid_points: int
    refined: int
    search: str

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)


def fisher_pvalues(treat_n: int, control_n: int, alternative: str = "two-sided") -> np.ndarray:
    """Fisher's exact p-value of every 2x2 table with the given arm sizes.

    Parameters
    ----------
    treat_n, control_n : int
        Number of participants in the treatment and control arms (at least 1 each).
    alternative : {"two-sided", "less", "greater"}, optional
        The alternative to H0: p1 = p2 (treatment vs control event proportion):
        ``"less"`` is p1 < p2, ``"greater"`` p1 > p2, ``"two-sided"`` p1 != p2.

    Returns
    -------
    ndarray, shape (treat_n + 1, control_n + 1)
        Element ``[a, c]`` is the p-value of the table with ``a`` treatment events and ``c``
        control events.  ``"less"`` gives P(A <= a | A + C = a + c), ``"greater"``
        P(A >= a | A + C = a + c), A being hypergeometric; ``"two-sided"`` the sum of the
        conditional probabilities of the tables no more probable than the observed one, up
        to a relative tolerance of :data:`RELATIVE_TOLERANCE` (R's ``fisher.test``; scipy's
        ``fisher_exact`` uses 1e-14).  The array is cached and read-only.

    Raises
    ------
    ValueError
        If an arm size is not a positive integer or ``alternative`` is unknown.

    Notes
    -----
    Cost for the first call with a pair of arm sizes: O(N m) time and memory for a one-sided
    alternative, O(N m log m) for two-sided (N = n1 + n2, m = min(n1, n2)); 3 to 6 ms for
    two-sided at 200 per arm, about 40 ms at 500 (``benchmarks/exact.py``).  Later calls while
    the pair is among the :data:`CACHE_SIZE` most recently used cost nothing.

    Examples
    --------
    >>> p = fisher_pvalues(12, 12, "greater")
    >>> round(float(p[7, 2]), 4)   # 7/12 vs 2/12; R: fisher.test(..., alternative = "greater")
    0.0447
    """
    treat_n = _check_size("treat_n", treat_n)
    control_n = _check_size("control_n", control_n)
    _check_alternative(alternative)
    return _fisher_matrix(treat_n, control_n, alternative)


def boschloo_exact(treat_events: int, treat_n: int, control_events: int, control_n: int,
                   alternative: str = "two-sided", *, grid: int | None = None,
                   two_sided: str = "doubled") -> BoschlooResult:
    """Boschloo's exact unconditional test of two independent binomial proportions.

    Tests H0: p1 = p2, p1 being the treatment and p2 the control arm's event probability,
    against p1 != p2 (``"two-sided"``), p1 < p2 (``"less"``) or p1 > p2 (``"greater"``),
    conditioning only on the arm sizes.  The statistic T is Fisher's exact p-value; the
    p-value is the largest probability, over the common event probability pi in [0, 1], of a
    table whose T is at most the observed one (a table whose T equals the observed one within
    a relative tolerance of :data:`STATISTIC_TOLERANCE` counts as at most).

    Parameters
    ----------
    treat_events, treat_n : int
        Events and participants in the treatment arm (0 <= treat_events <= treat_n, n >= 1).
    control_events, control_n : int
        Events and participants in the control arm.
    alternative : {"two-sided", "less", "greater"}, optional
        The alternative hypothesis (scipy's vocabulary, treatment vs control).
    grid : int, optional
        Number of pi values in the search grid (at least 3; both ends included).  Default
        :func:`default_grid_points` of the total sample size.
    two_sided : {"doubled", "fisher"}, optional
        How a two-sided p-value is defined.  ``"doubled"`` (default) is scipy's
        ``boschloo_exact``: run the ``"less"`` and the ``"greater"`` test, each with its
        one-sided Fisher p as statistic, and return twice the smaller p-value, capped at 1
        (the statistic and nuisance reported are those of that smaller side; when both are
        equal, ``"greater"``).  ``"fisher"`` uses Fisher's two-sided p-value (see
        :func:`fisher_pvalues`) as the statistic, as R's ``Exact::exact.test(method =
        "boschloo")`` does.  Ignored for one-sided alternatives.

    Returns
    -------
    BoschlooResult
        ``statistic``, ``pvalue``, ``nuisance`` (the maximising pi) and how the supremum was
        found.

    Raises
    ------
    ValueError
        If a count or arm size is not an integer in range, ``alternative`` or ``two_sided``
        is unknown, or ``grid`` is below 3.

    Notes
    -----
    The p-value never exceeds the Fisher p-value used as its statistic: the one-sided Fisher
    p for a one-sided alternative, Fisher's two-sided p for ``two_sided="fisher"``, and twice
    the smaller one-sided Fisher p (capped at 1) for ``"doubled"``.  The ``"doubled"``
    p-value can therefore exceed Fisher's two-sided p-value as R's ``fisher.test`` (and
    :func:`fisher_pvalues`) define it: for 14/15 vs 5/9, Fisher's two-sided p is 0.047,
    the doubled Boschloo p 0.054 and the ``"fisher"`` Boschloo p 0.028.

    Cost at arm sizes n1, n2: the Fisher p-values of every table once per pair of arm sizes
    (cached, shared with :func:`fisher_pvalues`), then O(N m + G N) per table and side, with
    N = n1 + n2, m = min(n1, n2) and G grid points: about 0.6 ms (``"fisher"``) or 1.5 ms
    (``"doubled"``) per two-sided table at 200 per arm; see the module docstring.

    scipy's ``boschloo_exact`` gives the same test on the transposed table,
    ``[[treat_events, control_events], [treat_n - treat_events, control_n -
    control_events]]``, but it searches pi with ``shgo`` and may stop short of the supremum,
    and its tie tolerance (1e-13) is tighter, so its p-value can be smaller.

    Examples
    --------
    >>> res = boschloo_exact(7, 12, 2, 12, "greater")
    >>> res.pvalue < res.statistic   # never above Fisher's one-sided p (0.0447)
    True
    """
    treat_n = _check_size("treat_n", treat_n)
    control_n = _check_size("control_n", control_n)
    treat_events = _check_events("treat_events", treat_events, "treat_n", treat_n)
    control_events = _check_events("control_events", control_events, "control_n", control_n)
    _check_alternative(alternative)
    if two_sided not in TWO_SIDED_METHODS:
        raise ValueError(f"two_sided = {two_sided!r} is not one of {TWO_SIDED_METHODS}")
    total_n = treat_n + control_n
    if grid is None:
        grid = default_grid_points(total_n)
    elif isinstance(grid, bool) or not isinstance(grid, numbers.Integral) or grid < 3:
        raise ValueError(f"grid = {grid!r} must be an integer of at least 3 (the grid includes "
                         "pi = 0 and pi = 1)")
    grid = int(grid)

    observed_total = treat_events + control_events
    observed_rank = treat_events - int(_layout(treat_n, control_n).lowest[observed_total])

    def one_search(statistic_alternative: str):
        statistic = float(_fisher_by_total(treat_n, control_n, statistic_alternative)
                          [observed_total, observed_rank])
        region_probability = _region_probability_by_total(treat_n, control_n,
                                                          statistic_alternative, statistic)
        pvalue, nuisance, refined = _supremum(region_probability, grid)
        return statistic, pvalue, nuisance, refined

    if alternative != "two-sided":
        side, two_sided = alternative, None
        statistic, pvalue, nuisance, refined = one_search(alternative)
    elif two_sided == "fisher":
        side = "two-sided"
        statistic, pvalue, nuisance, refined = one_search("two-sided")
    else:
        less, greater = one_search("less"), one_search("greater")
        # scipy keeps "less" only when its p-value is strictly smaller
        side, chosen = ("less", less) if less[1] < greater[1] else ("greater", greater)
        statistic, pvalue, nuisance, refined = chosen
        pvalue = min(1.0, 2.0 * pvalue)
        refined = less[3] + greater[3]

    search = (f"grid of {grid} values of pi equally spaced on the arcsine scale, both ends "
              f"included; {refined} local maxima polished by bounded Brent")
    return BoschlooResult(statistic=statistic, pvalue=pvalue, nuisance=nuisance,
                          alternative=alternative, two_sided=two_sided, side=side,
                          grid_points=grid, refined=refined, search=search)


def boschloo_statistic_pvalue(statistic: float, treat_n: int, control_n: int,
                              alternative: str = "two-sided") -> float:
    """Boschloo's p for a value of its statistic: sup over pi of P_pi(T <= statistic).

    T is Fisher's p for ``alternative`` (two-sided: Fisher's two-sided p, as
    ``boschloo_exact(..., two_sided="fisher")``).  The p depends on the observed table only
    through its statistic, and is nondecreasing in it (a larger value only widens the region
    T <= statistic), so a set of tables needs one search per distinct Fisher p.  Same search
    and costs as :func:`boschloo_exact`.
    """
    treat_n = _check_size("treat_n", treat_n)
    control_n = _check_size("control_n", control_n)
    _check_alternative(alternative)
    region_probability = _region_probability_by_total(treat_n, control_n, alternative,
                                                      float(statistic))
    pvalue, _, _ = _supremum(region_probability, default_grid_points(treat_n + control_n))
    return pvalue


def clear_caches() -> None:
    """Forget every cached matrix (to free memory, or to time the first call for some n)."""
    for cached in (_layout, _fisher_by_total, _fisher_matrix, _log_choose, _grid):
        cached.cache_clear()


def default_grid_points(total_n: int) -> int:
    """Default number of pi values in Boschloo's search grid for a total sample size.

    ``33 + 16 * ceil(sqrt(total_n))``: about five grid points across each feature of the
    power polynomial (features are about sqrt(pi (1 - pi) / N) wide), e.g. 193 points at
    N = 100, 353 at N = 400, 545 at N = 1000.
    """
    return 33 + 16 * math.ceil(math.sqrt(total_n))


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------

def _check_integer(name: str, value) -> int:
    if not isinstance(value, bool):
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(value)
    raise ValueError(f"{name} = {value!r} is not a whole number")


def _check_size(name: str, value) -> int:
    size = _check_integer(name, value)
    if size < 1:
        raise ValueError(f"{name} = {value!r}: an arm needs at least 1 participant")
    return size


def _check_events(name: str, value, size_name: str, size: int) -> int:
    events = _check_integer(name, value)
    if events < 0:
        raise ValueError(f"{name} = {value!r}: a count of events cannot be negative")
    if events > size:
        raise ValueError(f"{name} = {value!r} is larger than {size_name} = {size}: "
                         f"events must lie in 0..{size_name}")
    return events


def _check_alternative(alternative) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative = {alternative!r} is not one of {ALTERNATIVES}")


# --------------------------------------------------------------------------------------------
# Fisher: every table with the given arm sizes at once
# --------------------------------------------------------------------------------------------
#
# The tables are laid out by total and rank, (s, j): row s = a + c holds the tables with s
# events in all, j = a - lo(s) counting them from the fewest treatment events possible,
# lo(s) = max(0, s - control_n).  Each row is then one conditional (hypergeometric)
# distribution, so tails are cumulative sums along rows, and a row is at most
# min(treat_n, control_n) + 1 long, short for unequal arms.  Entries past a row's support
# are padding.

@dataclass(frozen=True)
class _Layout:
    lowest: np.ndarray        # lo(s), the fewest treatment events with s events in all
    feasible: np.ndarray      # (N + 1, K) bool: entry (s, j) is a table
    pmf: np.ndarray           # (N + 1, K) P(A = lo(s) + j | A + C = s), 0 on padding


@array_cache(CACHE_SIZE)
def _layout(treat_n: int, control_n: int) -> _Layout:
    """The conditional distributions of every total, in the (s, j) layout.

    Probabilities are written with log-gamma rather than ``scipy.stats.hypergeom.pmf``, which
    evaluates the same numbers one by one and takes about 200 times longer over all the tables
    (130 ms against 0.6 ms at 200 per arm); relative error is below 3e-12 up to 500 per arm.
    """
    total_n = treat_n + control_n
    total = np.arange(total_n + 1)[:, None]
    lowest = np.maximum(0, total - control_n)
    treat = lowest + np.arange(min(treat_n, control_n) + 1)[None, :]
    feasible = treat <= np.minimum(total, treat_n)
    treat = np.where(feasible, treat, lowest)
    log_pmf = (_log_choose(treat_n)[treat] + _log_choose(control_n)[total - treat]
               - _log_choose(total_n)[total])
    pmf = np.where(feasible, np.exp(log_pmf), 0.0)
    lowest = lowest.ravel()
    for array in (lowest, feasible, pmf):
        array.flags.writeable = False
    return _Layout(lowest=lowest, feasible=feasible, pmf=pmf)


@array_cache(3 * CACHE_SIZE)
def _fisher_by_total(treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    """Fisher's p of every table in the (s, j) layout; +inf on padding."""
    layout = _layout(treat_n, control_n)
    if alternative == "less":
        tails = np.cumsum(layout.pmf, axis=1)
    elif alternative == "greater":
        tails = np.cumsum(layout.pmf[:, ::-1], axis=1)[:, ::-1]
    else:
        tails = _no_more_probable(np.where(layout.feasible, layout.pmf, np.inf))
    pvalues = np.where(layout.feasible, np.minimum(tails, 1.0), np.inf)
    pvalues.flags.writeable = False
    return pvalues


@array_cache(3 * CACHE_SIZE)
def _fisher_matrix(treat_n: int, control_n: int, alternative: str) -> np.ndarray:
    """Fisher's p of every table, element [a, c]."""
    layout = _layout(treat_n, control_n)
    treat = np.arange(treat_n + 1)[:, None]
    total = treat + np.arange(control_n + 1)[None, :]
    pvalues = _fisher_by_total(treat_n, control_n, alternative)[total,
                                                               treat - layout.lowest[total]]
    pvalues.flags.writeable = False
    return pvalues


def _no_more_probable(probabilities: np.ndarray) -> np.ndarray:
    """For each entry, the sum of its row's entries <= it times (1 + RELATIVE_TOLERANCE).

    Padding entries are +inf: they sort last and are never summed.
    """
    order = np.argsort(probabilities, axis=1)
    ascending = np.take_along_axis(probabilities, order, axis=1)
    finite = np.isfinite(ascending)
    running = np.cumsum(np.where(finite, ascending, 0.0), axis=1)
    threshold = ascending * (1.0 + RELATIVE_TOLERANCE)
    # In ascending order an entry's "no more probable" set runs from the start of its row to
    # the last entry at or below its threshold: itself, then any ties just after it (rarely
    # more than one).  Zeros (underflowed probabilities) sum to 0 whatever their ties.
    sums_ascending = running.copy()
    for step in range(1, probabilities.shape[1]):
        tied = ((ascending[:, step:] <= threshold[:, :-step]) & finite[:, step:]
                & (ascending[:, :-step] > 0.0))
        if not tied.any():
            break
        sums_ascending[:, :-step] = np.where(tied, running[:, step:], sums_ascending[:, :-step])
    sums = np.empty_like(sums_ascending)
    np.put_along_axis(sums, order, sums_ascending, axis=1)
    return sums


# --------------------------------------------------------------------------------------------
# Boschloo: the power polynomial and its supremum
# --------------------------------------------------------------------------------------------

def _region_probability_by_total(treat_n: int, control_n: int, statistic_alternative: str,
                                 statistic: float) -> np.ndarray:
    """h(s) = P(T <= statistic | A + C = s), s = 0..N, T Fisher's p for the alternative."""
    fisher = _fisher_by_total(treat_n, control_n, statistic_alternative)
    in_region = fisher <= statistic * (1.0 + STATISTIC_TOLERANCE)
    return np.where(in_region, _layout(treat_n, control_n).pmf, 0.0).sum(axis=1)


@array_cache(3 * CACHE_SIZE)
def _log_choose(n: int) -> np.ndarray:
    """log C(n, k) for k = 0..n."""
    log_factorial = gammaln(np.arange(n + 1) + 1.0)
    log_choose = log_factorial[n] - log_factorial - log_factorial[::-1]
    log_choose.flags.writeable = False
    return log_choose


def _binomial_pmf(total_n: int, nuisance: np.ndarray) -> np.ndarray:
    """Binomial(total_n, pi) probabilities of 0..total_n, one row per pi.

    Written out rather than calling ``scipy.stats.binom.pmf``, which takes about 8 times
    longer over a grid and whose per-call argument handling (about 75 us) would dominate the
    optimiser's single evaluations (see :func:`_supremum`); agrees with it to about 1e-12
    relative.
    """
    successes = np.arange(total_n + 1)
    pmf = np.zeros((nuisance.size, total_n + 1))
    pmf[nuisance == 0.0, 0] = 1.0
    pmf[nuisance == 1.0, total_n] = 1.0
    inside = (nuisance > 0.0) & (nuisance < 1.0)
    pi = nuisance[inside][:, None]
    pmf[inside] = np.exp(_log_choose(total_n) + np.log(pi) * successes
                         + np.log1p(-pi) * (total_n - successes))
    return pmf


@array_cache(CACHE_SIZE)
def _grid(total_n: int, points: int) -> tuple[np.ndarray, np.ndarray]:
    """The grid of pi (arcsine-spaced, ends included) and its binomial pmf matrix."""
    nuisance = np.sin(np.linspace(0.0, np.pi / 2, points)) ** 2
    nuisance[0], nuisance[-1] = 0.0, 1.0
    pmf = _binomial_pmf(total_n, nuisance)
    nuisance.flags.writeable = False
    pmf.flags.writeable = False
    return nuisance, pmf


def _supremum(region_probability: np.ndarray, points: int) -> tuple[float, float, int]:
    """Max over pi in [0, 1] of sum_s Binomial(s; N, pi) h(s): (value, argmax, maxima refined)."""
    total_n = region_probability.size - 1
    nuisance, pmf = _grid(total_n, points)
    values = pmf @ region_probability
    best = int(np.argmax(values))
    best_value, best_nuisance = float(values[best]), float(nuisance[best])
    if best_value == 0.0:
        return 0.0, best_nuisance, 0

    padded = np.concatenate([[-np.inf], values, [-np.inf]])
    is_peak = (values >= padded[:-2]) & (values >= padded[2:])
    peaks = np.flatnonzero(is_peak)
    peaks = peaks[np.argsort(values[peaks], kind="stable")[::-1][:_REFINED_MAXIMA]]

    log_choose = _log_choose(total_n)
    successes = np.arange(total_n + 1)
    failures = total_n - successes

    def negative_power(pi):
        if 0.0 < pi < 1.0:   # always, as the bounded method stays inside its bounds
            pmf_at_pi = np.exp(log_choose + math.log(pi) * successes
                               + math.log1p(-pi) * failures)
        else:
            pmf_at_pi = _binomial_pmf(total_n, np.array([pi]))[0]
        return -float(pmf_at_pi @ region_probability) / best_value

    for peak in peaks:
        low = float(nuisance[max(peak - 1, 0)])
        high = float(nuisance[min(peak + 1, points - 1)])
        found = minimize_scalar(negative_power, bounds=(low, high), method="bounded",
                                options={"xatol": 1e-10 * max(high - low, 1e-300)})
        value = -float(found.fun) * best_value
        if value > best_value:
            best_value, best_nuisance = value, float(found.x)
    return min(best_value, 1.0), best_nuisance, int(peaks.size)
