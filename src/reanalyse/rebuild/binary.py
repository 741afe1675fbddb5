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

One-sided alternatives refer to treat proportion minus control proportion.  The tests are
computed at the feasible pairs directly (:mod:`reanalyse.kernels.twobytwo`: closed forms, and
Fisher's p from one hypergeometric distribution per table), so time and memory grow with the
number of pairs, never with (n1 + 1)(n2 + 1).  Boschloo's p is a nondecreasing function of its
statistic (Fisher's p) at fixed arm sizes, since a larger statistic only widens the rejection
region; its extremes over the pairs are therefore those at the pairs with the smallest and
largest Fisher p, and it is computed at those and at the printed pair only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reanalyse.kernels import exact, twobytwo
from reanalyse.kernels.binary_intervals import binary_intervals
from reanalyse.kernels.twobytwo import TableTooLargeError, two_proportion_chi2, two_proportion_z
from reanalyse.kernels.printed import PrintedNumber
from reanalyse.kernels.pvalues import significant
from reanalyse.kernels.granularity import percent_count_range
from reanalyse.rebuild.results import Effect, SpecResult, decide
from reanalyse.model import tests
from reanalyse.model.options import BOSCHLOO_POLICIES

__all__ = ["feasible_events", "CountPairs", "binary_tests", "risk_effects", "boschloo_pvalues",
           "boschloo_within_size", "BOSCHLOO_POLICIES", "MAX_COUNT_PAIRS",
           "BOSCHLOO_EXACT_TABLES", "BOSCHLOO_GRID_CELLS"]


#: Most count pairs a claim's printed numbers may allow: every test is evaluated at each
#: (Fisher's test in O(log n) a pair), so this bounds a claim's time (about 20 s for Fisher's
#: test at 100,000 per arm) and memory.  More pairs stop the check with
#: :class:`~reanalyse.kernels.twobytwo.TableTooLargeError`.
MAX_COUNT_PAIRS = 1_000_000

#: Largest (n1 + n2 + 1)(min(n1, n2) + 1) at which Boschloo's test is computed.  Its p needs
#: Fisher's p of every table of the sample space (:mod:`reanalyse.kernels.exact`), about
#: 0.5 s and 150 MB at this size (1,100 per arm); above it the spec says it was not computed
#: and why, and only Fisher's p, which bounds Boschloo's from above (Boschloo 1970), is shown.
BOSCHLOO_EXACT_TABLES = 2_500_000
#: Largest binomial matrix (grid points x (n1 + n2 + 1), :func:`kernels.exact.default_grid_points`)
#: Boschloo's search over the nuisance parameter evaluates: 64 MB.  Balanced arms reach
#: :data:`BOSCHLOO_EXACT_TABLES` first (1.8 million cells at 1,100 per arm); this bounds very
#: unequal arms (a 666,667-person arm beside a 2-person one would need 65 GB).
BOSCHLOO_GRID_CELLS = 8_000_000


def _boschloo_work(treat_n: int, control_n: int) -> tuple[int, int]:
    """(tables of the sample space, cells of the search's binomial matrix)."""
    total = treat_n + control_n
    return ((total + 1) * (min(treat_n, control_n) + 1),
            exact.default_grid_points(total) * (total + 1))


def boschloo_within_size(treat_n: int, control_n: int) -> bool:
    """Whether Boschloo's exact p is computed at these arm sizes: the tables of its sample
    space, ``(n1 + n2 + 1) (min(n1, n2) + 1)``, are at most :data:`BOSCHLOO_EXACT_TABLES` and
    its search's binomial matrix at most :data:`BOSCHLOO_GRID_CELLS` cells."""
    tables, cells = _boschloo_work(treat_n, control_n)
    return tables <= BOSCHLOO_EXACT_TABLES and cells <= BOSCHLOO_GRID_CELLS


def feasible_events(n: int, percent: PrintedNumber, rounding) -> np.ndarray:
    """Every event count k in 0..n whose percentage 100 k / n would print as ``percent`` under
    ``rounding`` (exact: :func:`reanalyse.kernels.granularity.percent_count_range`)."""
    counts = percent_count_range(percent, n, rounding)
    return np.arange(counts.start, counts.stop, dtype=np.int64)


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


def binary_tests(pairs: CountPairs, *, alternative: str = "two-sided", alpha: float = 0.05,
                 boschloo: str = "when_needed") -> tuple[SpecResult, ...]:
    """Pearson, Yates, Fisher, Boschloo and pooled-z tests over every feasible count pair.

    Returns
    -------
    tuple of SpecResult
        ``pearson_chi2``, ``yates_chi2``, ``fisher_exact``, ``boschloo_exact``, ``z_pooled``.
    """
    n1, n2 = twobytwo.check_sizes(pairs.treat_n, pairs.control_n)
    count = len(pairs.treat_events) * len(pairs.control_events)
    if count > MAX_COUNT_PAIRS:
        raise TableTooLargeError(
            f"the printed numbers allow {count:,} count pairs ({len(pairs.treat_events):,} "
            f"treatment x {len(pairs.control_events):,} control event counts), more than the "
            f"{MAX_COUNT_PAIRS:,} the binary tests evaluate; give the event counts, or the "
            "percentages to more decimals")
    a, c = pairs.pairs()
    note = None if count == 1 else f"{count} count pairs are consistent with the printed numbers"
    results = []

    for name, correction in ((twobytwo.PEARSON_CHI2, False), (twobytwo.YATES_CHI2, True)):
        x2, p = two_proportion_chi2(a, n1, c, n2, correction=correction,
                                    alternative=alternative)
        results.append(_spec(name, x2, p, alpha, (1.0,), count, note))

    fisher_p = twobytwo.fisher_exact_pvalues(a, n1, c, n2, alternative)
    results.append(_spec(twobytwo.FISHER_EXACT, None, fisher_p, alpha, (), count, note))
    results.append(_boschloo(a, c, n1, n2, fisher_p, alternative, alpha, boschloo, count, note))

    z, p = two_proportion_z(a, n1, c, n2, alternative=alternative)
    results.append(_spec(twobytwo.Z_POOLED, z, p, alpha, (), count, note))
    return tuple(results)


def _spec(name, statistic, p, alpha, df, count, note) -> SpecResult:
    p_min, p_max = float(np.min(p)), float(np.max(p))
    return SpecResult(
        name=name, label=tests.label(name),
        statistic=None if statistic is None else float(statistic[0]),
        p=float(p[0]), p_min=p_min, p_max=p_max, significant=decide(p_min, p_max, alpha),
        statistic_min=None if statistic is None else float(np.min(statistic)),
        statistic_max=None if statistic is None else float(np.max(statistic)),
        df=df, tables=count, note=note)


def boschloo_pvalues(statistics, treat_n: int, control_n: int, alternative: str) -> dict:
    """Boschloo's p (statistic: Fisher's p, two-sided as in R's ``Exact``) for each distinct
    Fisher p in ``statistics``, as a dict; one search per value, not per table."""
    # the observed table does not enter the search beyond its statistic: any table with that
    # Fisher p gives the same Boschloo p
    return {float(t): exact.boschloo_statistic_pvalue(float(t), treat_n, control_n, alternative)
            for t in np.unique(statistics)}


def _boschloo(a, c, n1, n2, fisher_p, alternative, alpha, policy, count, note) -> SpecResult:
    label = tests.label(tests.BOSCHLOO_EXACT)
    if policy == "never":
        return SpecResult(tests.BOSCHLOO_EXACT, label, None, None, None, None, None, tables=count,
                          note="not computed (switched off)")
    if not boschloo_within_size(n1, n2):
        size, cells = _boschloo_work(n1, n2)
        work = (f"Fisher's p of all {size:,} tables of the sample space, above the "
                f"{BOSCHLOO_EXACT_TABLES:,} computed" if size > BOSCHLOO_EXACT_TABLES else
                f"a search over {cells:,} binomial probabilities (arms of {n1:,} and {n2:,}), "
                f"above the {BOSCHLOO_GRID_CELLS:,} computed")
        return SpecResult(
            tests.BOSCHLOO_EXACT, label, None, None, None, None, None, tables=count,
            note=(f"not computed: its p needs {work}; it is never above "
                  f"Fisher's p ({fisher_p[0]:.4g} at the printed counts)"))
    wanted = np.ones(a.size, dtype=bool) if policy == "always" else ~significant(fisher_p, alpha)
    # Boschloo's p is nondecreasing in Fisher's p: only the printed pair and the pairs with the
    # smallest and largest Fisher p among those computed decide p, p_min and p_max.
    values = np.full(a.size, np.nan)
    if wanted.any():
        chosen = np.flatnonzero(wanted)
        extremes = {int(chosen[np.argmin(fisher_p[chosen])]),
                    int(chosen[np.argmax(fisher_p[chosen])])}
        if wanted[0]:
            extremes.add(0)
        found = boschloo_pvalues(fisher_p[sorted(extremes)], n1, n2, alternative)
        for i in extremes:
            values[i] = found[float(fisher_p[i])]
        lowest, highest = (values[i] for i in (int(chosen[np.argmin(fisher_p[chosen])]),
                                                int(chosen[np.argmax(fisher_p[chosen])])))
    skipped = ~wanted
    if not skipped.any():
        return SpecResult(tests.BOSCHLOO_EXACT, label, None, float(values[0]), float(lowest),
                          float(highest), decide(float(lowest), float(highest), alpha),
                          tables=count, note=note)
    # Where skipped, Fisher's p bounds Boschloo's p from above (Boschloo 1970).
    p_min = 0.0
    p_max = float(fisher_p[skipped].max())
    if wanted.any():
        p_max = max(p_max, float(highest))
    reason = ("not computed where Fisher's p is at or below alpha: Boschloo's p is never larger, "
              "so the test is significant there; the interval's lower end is then unknown (0)")
    return SpecResult(tests.BOSCHLOO_EXACT, label, None, None if skipped[0] else float(values[0]),
                      p_min, p_max, decide(p_min, p_max, alpha), tables=count,
                      note=reason if note is None else f"{note}; {reason}")


def risk_effects(treat_events: int, treat_n: int, control_events: int, control_n: int, *,
                 confidence_level: float = 0.95) -> tuple[Effect, Effect, Effect]:
    """Risk difference, risk ratio and odds ratio (treat vs control) with Wald intervals.

    RR and OR are the sample ratios with log-scale Wald intervals (Katz, Woolf); when a cell
    is zero, 0.5 is added to every cell for the ratios only (metafor's default ``add = 1/2,
    to = "only0"``).  The OR is the sample odds ratio, not the conditional MLE that R's
    ``fisher.test`` prints.  The risk difference is never corrected (adding 0.5 can flip its
    sign) and uses the unpooled Wald interval.  The intervals are those of
    :func:`reanalyse.kernels.binary_intervals.binary_intervals`.
    """
    corrected = min(treat_events, treat_n - treat_events, control_events,
                    control_n - control_events) == 0
    note = "0.5 added to every cell (a cell is zero)" if corrected else None
    effects = []
    for measure, method, label, method_note in (
            ("RD", "wald", "Wald interval, no continuity correction", None),
            ("RR", "katz", "log-scale Wald interval", note),
            ("OR", "woolf", "sample OR, Woolf interval", note)):
        rows = binary_intervals(measure, treat_events, treat_n, control_events, control_n,
                                confidence_level=confidence_level, methods=(method,))
        estimate, low, high = (float(x[0]) for x in rows[method])
        effects.append(Effect(measure, estimate, low, high, confidence_level, label,
                              method_note))
    return tuple(effects)
