"""Common-effect pooling of 2 x 2 tables: Mantel-Haenszel (OR, RR, RD) and Peto (OR).

Model: one common effect across the studies' 2 x 2 tables (a events of n1 in the treatment
arm, c of n2 in the control arm, b = n1 - a, d = n2 - c, N = n1 + n2); tests of H0: effect
0 (log OR, log RR, RD) against the standard normal.  As metafor's ``rma.mh`` and
``rma.peto``, the pooled estimate uses the raw counts (no zero-cell correction; a table
with no events or no non-events contributes nothing to the OR's sums), while Cochran's Q
about the pooled estimate uses each study's ``yi`` and ``vi`` under the zero-cell
convention (RevMan's by default, which is metafor's default for these functions:
``add=1/2, to="only0", drop00=TRUE``).

Mantel-Haenszel
    OR = sum(a d / N) / sum(b c / N) with the Robins-Breslow-Greenland (1986) variance of
    its log; RR = sum(a n2 / N) / sum(c n1 / N) with Greenland & Robins' (1985) variance;
    RD = sum(a n2 / N - c n1 / N) / sum(n1 n2 / N) with the Sato, Greenland & Robins (1989)
    variance (metafor's; Review Manager uses Greenland & Robins' RD variance, which can
    differ slightly).  Weights in percent: b c / N (OR), c n1 / N (RR), n1 n2 / N (RD).
Peto
    log OR = sum(O - E) / sum V, se = 1 / sqrt(sum V), with O = a, E = (a + c) n1 / N and
    V = (a + c)(b + d) n1 n2 / (N^2 (N - 1)); Q = sum (O - E)^2 / V - (sum(O - E))^2 / sum V
    over tables with V > 0; weights V / sum V in percent.

Neither is in statsmodels (``statsmodels.stats.contingency_tables.StratifiedTable`` gives the
MH odds ratio and the RBG variance, but not the RR, RD, Peto or a meta-analysis Q), so both
are written here from the formulas above.

Q's degrees of freedom are the number of studies with a ``yi`` minus 1, and I^2 and H^2 are
computed from Q as for a common-effect model (metafor).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from reanalyse.errors import OptionError
from reanalyse.kernels import effect_sizes
from reanalyse.kernels.meta.inverse_variance import inference
from reanalyse.kernels.meta.result import PooledEstimate, PoolingError

__all__ = ["MH_MEASURES", "pool_mantel_haenszel", "pool_peto"]

MH_MEASURES = ("OR", "RR", "RD")


def _tables(treat_events, treat_n, control_events, control_n):
    """The complete tables' cells (rows with a missing count are left out, as metafor's
    ``na.omit``), their position among the rows given, and the number of rows."""
    # the same validation as the effect sizes (counts within 0..n, n > 0)
    effect_sizes.odds_ratio(treat_events, treat_n, control_events, control_n, zero_cells="none")
    a, n1, c, n2 = (np.atleast_1d(np.asarray(x, dtype=float))
                    for x in np.broadcast_arrays(treat_events, treat_n, control_events, control_n))
    complete = np.isfinite(a) & np.isfinite(n1) & np.isfinite(c) & np.isfinite(n2)
    if not complete.any():
        raise PoolingError("no study has all four counts")
    a, n1, c, n2 = a[complete], n1[complete], c[complete], n2[complete]
    return (a, n1 - a, c, n2 - c, n1, n2, n1 + n2), complete


def _spread(values, complete) -> np.ndarray:
    out = np.full(complete.shape, np.nan)
    out[complete] = values
    return out


def _heterogeneity_from(q: float, k_yi: int):
    if k_yi < 2:
        return 0.0, 0, 1.0, 0.0, 1.0
    df = k_yi - 1
    q = max(0.0, q)
    i2 = max(0.0, 100 * (q - df) / q) if q > 0 else 0.0
    return q, df, float(stats.chi2.sf(q, df)), i2, q / df


def _result(method, measure, estimate, se, level, q_parts, yi, vi, weights, complete):
    q, q_df, q_pvalue, i2, h2 = q_parts
    yi, vi, weights = (_spread(x, complete) for x in (yi, vi, weights))
    statistic, pvalue, ci_low, ci_high = (float(x) for x in inference(estimate, se, level))
    included = np.isfinite(yi)
    return PooledEstimate(
        method=method, measure=measure, hksj=False, level=level, k=int(complete.sum()),
        estimate=float(estimate), se=float(se), statistic=statistic, statistic_name="z",
        df=None, pvalue=pvalue, ci_low=ci_low, ci_high=ci_high, tau2=0.0,
        tau2_ci_low=math.nan, tau2_ci_high=math.nan, q=q, q_df=q_df, q_pvalue=q_pvalue,
        i2=i2, h2=h2, pi_low=math.nan, pi_high=math.nan, yi=yi, vi=vi, weights=weights,
        included=included)


def pool_mantel_haenszel(treat_events, treat_n, control_events, control_n, *,
                         measure: str = "OR", level: float = 0.95,
                         zero_cells: str = "revman") -> PooledEstimate:
    """Mantel-Haenszel common effect (metafor's ``rma.mh``).

    Parameters
    ----------
    treat_events, treat_n, control_events, control_n : array-like of int
        Each study's 2 x 2 table.
    measure : {"OR", "RR", "RD"}
        OR and RR are pooled on the log scale.
    level : float
        Confidence level.
    zero_cells : {"revman", "metafor", "none"}
        Convention for the per-study ``yi``/``vi`` behind Q (not for the pooled estimate).

    Returns
    -------
    PooledEstimate
        ``k`` counts every table; ``included`` marks the studies with a ``yi`` (those in Q).
        The estimate is NaN when the sums leave it undefined (no events in one arm of every
        table, for OR and RR).
    """
    measure = str(measure).upper()
    if measure not in MH_MEASURES:
        raise OptionError(f"measure must be one of {', '.join(MH_MEASURES)}; got {measure!r}")
    (a, b, c, d, n1, n2, total), complete = _tables(treat_events, treat_n, control_events,
                                                    control_n)
    es = effect_sizes.effect_sizes(measure, treat_events=a, treat_n=n1, control_events=c,
                                   control_n=n2, zero_cells=zero_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            r, s = a * d / total, b * c / total
            big_r, big_s = r.sum(), s.sum()
            p, q = (a + d) / total, (b + c) / total
            estimate = math.log(big_r / big_s) if big_r > 0 and big_s > 0 else math.nan
            se = math.sqrt(0.5 * (np.sum(p * r) / big_r ** 2 + np.sum(p * s + q * r)
                                  / (big_r * big_s) + np.sum(q * s) / big_s ** 2))
            weights = s
        elif measure == "RR":
            big_r, big_s = np.sum(a * n2 / total), np.sum(c * n1 / total)
            estimate = math.log(big_r / big_s) if a.sum() > 0 and c.sum() > 0 else math.nan
            se = math.sqrt(np.sum(n1 / total * n2 / total * (a + c) - a / total * c)
                           / (big_r * big_s))
            weights = c * n1 / total
        else:
            denominator = np.sum(n1 * n2 / total)
            estimate = float(np.sum(a * n2 / total - c * n1 / total) / denominator)
            se = math.sqrt((estimate * np.sum(c * (n1 / total) ** 2 - a * (n2 / total) ** 2
                                              + n1 / total * n2 / total * (n2 - n1) / 2)
                            + np.sum(a * (n2 - c) / total + c * (n1 - a) / total) / 2)
                           / denominator ** 2)
            weights = n1 * n2 / total
    kept = np.isfinite(es.yi)
    w = 1.0 / es.vi[kept]
    q = float(np.dot(w, (es.yi[kept] - estimate) ** 2)) if kept.any() else 0.0
    # no table carries weight (e.g. no control events for RR): the weights are undefined
    percent = 100 * weights / weights.sum() if weights.sum() > 0 else np.full(a.shape, np.nan)
    return _result("MH", measure, estimate, se, level,
                   _heterogeneity_from(q, int(kept.sum())), es.yi, es.vi, percent, complete)


def pool_peto(treat_events, treat_n, control_events, control_n, *, level: float = 0.95,
              zero_cells: str = "revman") -> PooledEstimate:
    """Peto's one-step common log odds ratio (metafor's ``rma.peto``).

    Parameters as :func:`pool_mantel_haenszel` (no measure: the Peto OR).  The pooled
    estimate and Q use the raw counts' O - E and V; ``yi`` and ``vi`` are each study's Peto
    log OR and variance under ``zero_cells`` (as escalc's "PETO"), and the studies with a
    ``yi`` give Q's degrees of freedom.  ``estimate`` is NaN when no table has V > 0.
    """
    (a, b, c, d, n1, n2, total), complete = _tables(treat_events, treat_n, control_events,
                                                    control_n)
    observed_minus_expected = a - (a + c) * n1 / total
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (a + c) * (b + d) * (n1 / total) * (n2 / total) / (total - 1)
    variance = np.where(np.isfinite(variance), variance, 0.0)
    informative = variance > 0
    total_v = variance.sum()
    if total_v > 0:
        estimate = float(observed_minus_expected.sum() / total_v)
        se = math.sqrt(1 / total_v)
    else:
        estimate = se = math.nan
    om, v = observed_minus_expected[informative], variance[informative]
    q = float(np.sum(om ** 2 / v) - om.sum() ** 2 / v.sum()) if informative.any() else 0.0
    # each study's yi and vi, and the count behind Q's df, as rma.peto: escalc("PETO")
    # under the zero-cell convention
    es = effect_sizes.peto_odds_ratio(a, n1, c, n2, zero_cells=zero_cells)
    kept = np.isfinite(es.yi)
    return _result("PETO", "OR", estimate, se, level, _heterogeneity_from(q, int(kept.sum())),
                   es.yi, es.vi,
                   100 * variance / total_v if total_v > 0 else np.full(a.shape, np.nan),
                   complete)
