"""Tests of binary outcomes rebuilt from each arm's printed n and events (or percentage).

A printed percentage with its n stands for every integer count k whose k / n, rounded as
printed, gives that percentage (:func:`feasible_events`); none means the percentage is
impossible for that n.  Each test is evaluated for every feasible (treat, control) count pair,
and its p-interval spans them all.

Tests of H0: equal event proportions in the two arms (independent binomial samples):

``pearson_chi2``
    Pearson's chi-square on the 2 x 2 table, no continuity correction (R ``chisq.test(correct =
    FALSE)``).
``yates_chi2``
    With Yates' correction, capped at |O - E| as in R and scipy.
``fisher_exact``
    Fisher's exact test, conditional on both margins; two-sided p sums tables no more probable
    than the observed one (R ``fisher.test``).
``boschloo_exact``
    Boschloo's unconditional exact test (more powerful than Fisher's: its p never exceeds
    Fisher's).  Two-sided, its statistic is Fisher's two-sided p, as in R's
    ``Exact::exact.test(method = "boschloo")``; scipy's ``boschloo_exact`` instead doubles the
    smaller one-sided p, which can exceed Fisher's two-sided p (14/15 vs 5/9: Fisher 0.047,
    doubled Boschloo 0.054, this Boschloo 0.028) and would make a Boschloo test that is less
    powerful than the Fisher test it is meant to improve on.  See :mod:`reanalyse.kernels.exact` for
    how it is computed.  With ``boschloo="when_needed"`` it is computed only for count pairs
    whose Fisher p is above alpha: elsewhere it is significant anyway.
``z_pooled``
    The two-proportion z-test with pooled variance (two-sided p equals Pearson's).

One-sided alternatives refer to treat proportion minus control proportion.  The closed-form
tests are also public as vectorised functions over arrays of counts,
:func:`two_proportion_chi2` and :func:`two_proportion_z`, which the sensitivity analyses apply
to every table at given arm sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reanalyse.kernels import exact
from reanalyse.kernels.distributions import norm_cdf, norm_ppf, norm_sf
from reanalyse.kernels.printed import PrintedNumber
from reanalyse.checks.results import Effect, SpecResult, decide
from reanalyse.kernels.columns import PrintedColumn
from reanalyse.kernels.granularity import percent_counts
from reanalyse.model.options import BOSCHLOO_POLICIES
from reanalyse.model.study import ALTERNATIVES

__all__ = ["feasible_events", "CountPairs", "binary_tests", "two_proportion_chi2",
           "two_proportion_z", "risk_effects", "BOSCHLOO_POLICIES"]



def feasible_events(n: int, percent: PrintedNumber, rounding) -> np.ndarray:
    """Every event count k in 0..n whose percentage 100 k / n would print as ``percent`` under
    ``rounding``.

    Exact (integer arithmetic): the percentage screen's count range
    (:func:`reanalyse.kernels.granularity.percent_counts`) for this one number.
    """
    column = PrintedColumn(np.array([percent.text], dtype=object),
                           np.array([percent.scaled], dtype=np.int64),
                           np.array([percent.decimals], dtype=np.int64),
                           np.array([None], dtype=object))
    low, high = percent_counts(column, np.array([n], dtype=np.int64), rounding)
    return np.arange(int(low[0]), int(high[0]) + 1, dtype=np.int64)


@dataclass(frozen=True)
class CountPairs:
    """Feasible event counts of two arms and the pair closest to the printed figures."""

    treat_n: int
    control_n: int
    treat_events: tuple[int, ...]
    control_events: tuple[int, ...]
    treat_printed: int
    control_printed: int

    @classmethod
    def from_summaries(cls, treat, control, rounding) -> "CountPairs":
        """Build from two :class:`~reanalyse.model.study.BinaryArm` summaries, the percentages
        read under ``rounding``."""
        return cls.from_arms(treat.n, treat.events, treat.percent, control.n, control.events,
                             control.percent, rounding=rounding)

    @classmethod
    def from_arms(cls, treat_n, treat_events, treat_percent, control_n, control_events,
                  control_percent, *, rounding=None) -> "CountPairs":
        """Build from printed events (exact) or percentages (reconstructed under ``rounding``,
        which a printed percentage needs)."""
        arms = []
        for n, events, percent in ((treat_n, treat_events, treat_percent),
                                   (control_n, control_events, control_percent)):
            if events is not None:
                arms.append(((events,), events))
                continue
            if rounding is None:
                raise TypeError("a printed percentage is read under a rounding convention: "
                                "pass rounding=")
            options = tuple(int(k) for k in feasible_events(n, percent, rounding))
            closest = min(options, key=lambda k: abs(100 * k / n - percent.value)) if options \
                else None
            arms.append((options, closest))
        (treat_options, treat_closest), (control_options, control_closest) = arms
        return cls(treat_n, control_n, treat_options, control_options, treat_closest,
                   control_closest)

    @property
    def feasible(self) -> bool:
        """Whether both arms have at least one feasible count."""
        return bool(self.treat_events) and bool(self.control_events)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """All pairs as two arrays, the printed pair first."""
        grid_t, grid_c = np.meshgrid(self.treat_events, self.control_events, indexing="ij")
        treat, control = grid_t.ravel(), grid_c.ravel()
        first = np.flatnonzero((treat == self.treat_printed) & (control == self.control_printed))
        order = np.concatenate([first, np.setdiff1d(np.arange(treat.size), first)])
        return treat[order], control[order]


def _tables(treat_events, treat_n, control_events, control_n, alternative):
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    treat_events = np.asarray(treat_events, dtype=float)
    control_events = np.asarray(control_events, dtype=float)
    total = treat_n + control_n
    events = treat_events + control_events
    return treat_events, control_events, total, events, (events == 0) | (events == total)


def _normal_p(z, alternative):
    if alternative == "two-sided":
        return 2 * norm_sf(np.abs(z))
    return norm_sf(z) if alternative == "greater" else norm_cdf(z)


def two_proportion_chi2(treat_events, treat_n, control_events, control_n, *,
                        correction: bool = False, alternative: str = "two-sided"):
    """Pearson's chi-square test of 2 x 2 tables, vectorised over arrays of counts.

    Tests H0: equal event proportions in the two arms.  For the table
    ``[[a, b], [c, d]]`` (``a = treat_events``, ``b = treat_n - a``; ``c = control_events``,
    ``d = control_n - c``) every cell deviates from its expected count by the same
    ``|ad - bc| / N``, so X**2 = N (|ad - bc| - k)**2 / (r1 r2 c1 c2) with ``k = 0``, or with
    Yates' correction ``k = min(N / 2, |ad - bc|)`` (capped at ``|O - E|``, as R's
    ``chisq.test`` and scipy).  Chi-square with one df is a squared standard normal, so the
    two-sided p is ``2 * norm_sf(sqrt(X**2))`` (the normal tail is also far quicker than the
    chi-square one over a whole grid of tables); one-sided alternatives use the root signed as
    treat minus control proportion.  A table with no events or no non-events has X**2 = 0 and
    p = 1.

    Parameters
    ----------
    treat_events, control_events : array_like of int
        Event counts; broadcast together.
    treat_n, control_n : int
    correction : bool
        Yates' continuity correction.
    alternative : {'two-sided', 'greater', 'less'}

    Returns
    -------
    statistic, pvalue : ndarray
        X**2 and its p for every table.
    """
    a, c, total, events, degenerate = _tables(treat_events, treat_n, control_events,
                                              control_n, alternative)
    cross = a * control_n - c * treat_n                       # ad - bc
    excess = np.abs(cross)
    if correction:
        excess = excess - np.minimum(total / 2, excess)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(degenerate, 0.0, total * excess**2
                             / (treat_n * control_n * events * (total - events)))
    pvalue = _normal_p(np.sign(cross) * np.sqrt(statistic), alternative)
    return statistic, np.where(degenerate, 1.0, pvalue)


def two_proportion_z(treat_events, treat_n, control_events, control_n, *,
                     alternative: str = "two-sided"):
    """The pooled two-proportion z-test of 2 x 2 tables, vectorised over arrays of counts.

    Tests H0: equal event proportions, with z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) for
    the pooled proportion p (R ``prop.test(correct = FALSE)``; z**2 is Pearson's X**2).  A
    table with no events or no non-events has z = 0 and p = 1.

    Parameters
    ----------
    treat_events, control_events : array_like of int
        Event counts; broadcast together.
    treat_n, control_n : int
    alternative : {'two-sided', 'greater', 'less'}
        For treat minus control proportion.

    Returns
    -------
    statistic, pvalue : ndarray
        z and its p for every table.
    """
    a, c, total, events, degenerate = _tables(treat_events, treat_n, control_events,
                                              control_n, alternative)
    pooled = events / total
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(degenerate, 0.0, (a / treat_n - c / control_n) / np.sqrt(
            pooled * (1 - pooled) * (1 / treat_n + 1 / control_n)))
    return statistic, np.where(degenerate, 1.0, _normal_p(statistic, alternative))


def binary_tests(pairs: CountPairs, *, alternative: str = "two-sided", alpha: float = 0.05,
                 boschloo: str = "when_needed") -> tuple[SpecResult, ...]:
    """Pearson, Yates, Fisher, Boschloo and pooled-z tests over every feasible count pair.

    Returns
    -------
    tuple of SpecResult
        ``pearson_chi2``, ``yates_chi2``, ``fisher_exact``, ``boschloo_exact``, ``z_pooled``.
    """
    a, c = pairs.pairs()
    n1, n2 = pairs.treat_n, pairs.control_n
    count = a.size
    note = None if count == 1 else f"{count} count pairs are consistent with the printed numbers"
    results = []

    for name, label, correction in (("pearson_chi2", "Pearson's chi-square", False),
                                    ("yates_chi2", "Yates-corrected chi-square", True)):
        x2, p = two_proportion_chi2(a, n1, c, n2, correction=correction,
                                    alternative=alternative)
        results.append(_spec(name, label, x2, p, alpha, (1.0,), count, note))

    fisher_matrix = exact.fisher_pvalues(n1, n2, alternative)
    fisher_p = fisher_matrix[a, c]
    results.append(_spec("fisher_exact", "Fisher's exact test", None, fisher_p, alpha, (), count,
                         note))
    results.append(_boschloo(a, c, n1, n2, fisher_p, alternative, alpha, boschloo, count, note))

    z, p = two_proportion_z(a, n1, c, n2, alternative=alternative)
    results.append(_spec("z_pooled", "two-proportion z-test (pooled)", z, p, alpha, (), count,
                         note))
    return tuple(results)


def _spec(name, label, statistic, p, alpha, df, count, note) -> SpecResult:
    p_min, p_max = float(np.min(p)), float(np.max(p))
    return SpecResult(
        name=name, label=label, statistic=None if statistic is None else float(statistic[0]),
        p=float(p[0]), p_min=p_min, p_max=p_max, significant=decide(p_min, p_max, alpha),
        statistic_min=None if statistic is None else float(np.min(statistic)),
        statistic_max=None if statistic is None else float(np.max(statistic)),
        df=df, tables=count, note=note)


def _boschloo(a, c, n1, n2, fisher_p, alternative, alpha, policy, count, note) -> SpecResult:
    label = "Boschloo's exact test"
    if policy == "never":
        return SpecResult("boschloo_exact", label, None, None, None, None, None, tables=count,
                          note="not computed (switched off)")
    values = np.full(a.size, np.nan)
    for i in range(a.size):
        if policy == "always" or fisher_p[i] > alpha:
            values[i] = exact.boschloo_exact(int(a[i]), n1, int(c[i]), n2, alternative,
                                             two_sided="fisher").pvalue
    skipped = np.isnan(values)
    if not skipped.any():
        return _spec("boschloo_exact", label, None, values, alpha, (), count, note)
    # Where skipped, Fisher's p bounds Boschloo's p from above (Boschloo 1970).
    upper = np.where(skipped, fisher_p, values)
    lower = np.where(skipped, 0.0, values)
    p_min, p_max = float(lower.min()), float(upper.max())
    reason = ("not computed where Fisher's p is at or below alpha: Boschloo's p is never larger, "
              "so the test is significant there; the interval's lower end is then unknown (0)")
    return SpecResult("boschloo_exact", label, None, None if skipped[0] else float(values[0]),
                      p_min, p_max, decide(p_min, p_max, alpha), tables=count,
                      note=reason if note is None else f"{note}; {reason}")


def risk_effects(treat_events: int, treat_n: int, control_events: int, control_n: int, *,
                 confidence_level: float = 0.95) -> tuple[Effect, Effect, Effect]:
    """Risk difference, risk ratio and odds ratio (treat vs control) with Wald intervals.

    RR and OR are the sample ratios with log-scale Wald intervals; when a cell is zero, 0.5 is
    added to every cell for the ratios only (metafor's default ``add = 1/2, to = "only0"``).  The
    OR is the sample odds ratio, not the conditional MLE that R's ``fisher.test`` prints.  The
    risk difference is never corrected (adding 0.5 can flip its sign) and uses the unpooled
    Wald interval.
    """
    z = norm_ppf((1 + confidence_level) / 2)
    a, b = treat_events, treat_n - treat_events
    c, d = control_events, control_n - control_events
    p1, p2 = a / treat_n, c / control_n
    rd = p1 - p2
    rd_half = z * math.sqrt(p1 * (1 - p1) / treat_n + p2 * (1 - p2) / control_n)
    risk_difference = Effect("RD", rd, rd - rd_half, rd + rd_half, confidence_level,
                             "Wald interval, no continuity correction")
    corrected = min(a, b, c, d) == 0
    if corrected:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    method_note = "0.5 added to every cell (a cell is zero)" if corrected else None
    log_rr = math.log((a / (a + b)) / (c / (c + d)))
    se_rr = math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    log_or = math.log(a * d / (b * c))
    se_or = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    ratio = []
    for measure, log_value, se, method in (("RR", log_rr, se_rr, "log-scale Wald interval"),
                                           ("OR", log_or, se_or, "sample OR, Woolf interval")):
        ratio.append(Effect(measure, math.exp(log_value), math.exp(log_value - z * se),
                            math.exp(log_value + z * se), confidence_level, method, method_note))
    return risk_difference, ratio[0], ratio[1]
