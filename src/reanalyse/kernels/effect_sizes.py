"""Per-study effect sizes and sampling variances from printed summaries (metafor's ``escalc``).

Every function takes one array per printed number, named for its role (``treat_events,
treat_n, control_events, control_n`` or ``treat_mean, treat_sd, treat_n, control_mean,
control_sd, control_n``), and returns an :class:`EffectSizes`: ``yi`` and ``vi`` as metafor's
``escalc`` computes them, treatment minus control, ratios on the log scale.

Measures (:data:`MEASURES`)
    ``MD``   mean difference m1 - m2; ``vtype`` "LS" (= "UB") s1^2/n1 + s2^2/n2, "HO" the
             pooled variance times 1/n1 + 1/n2.
    ``SMD``  Hedges' g = J(m) (m1 - m2) / s_pooled, m = n1 + n2 - 2, with the exact
             correction J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)) (Hedges 1981; not the
             approximation 1 - 3/(4m - 1), nor statsmodels' ``effectsize_smd``, which uses
             1 - 3/(4N - 9) and is therefore not used here).  ``vtype`` "LS" (metafor's
             default, large-sample) 1/n1 + 1/n2 + g^2 / (2 (n1 + n2)); "LS2" J^2 (1/n1 + 1/n2 +
             d^2 / (2 (n1 + n2))) with d the uncorrected difference; "UB" (unbiased)
             1/n1 + 1/n2 + (1 - (m - 2) / (m J^2)) g^2; "AV" the "LS" form with the
             n-weighted mean of g over the studies in place of each g.
    ``OR``   log odds ratio, variance 1/a + 1/b + 1/c + 1/d (Woolf).
    ``RR``   log risk ratio, variance 1/a - 1/n1 + 1/c - 1/n2 (Katz).
    ``RD``   risk difference p1 - p2; ``vtype`` "LS" p1 q1/n1 + p2 q2/n2 (Wald), "UB" with
             n - 1 in the denominators, "AV" with the n-weighted mean proportion of each arm.
    ``PETO`` Peto's log odds ratio (O - E) / V, variance 1 / V, with O = a,
             E = (a + c) n1 / N, V = (a + c)(b + d) n1 n2 / (N^2 (N - 1)).

Zero cells (:data:`ZERO_CELLS`, binary measures only)
    ``"revman"`` (the default; Review Manager 5): a table with a zero cell has 0.5 added to
    each of its four cells; a table with no events in either arm, or only events in both,
    is left out (``yi`` and ``vi`` NaN, flagged in ``dropped``).  This is
    ``escalc(..., add=1/2, to="only0", drop00=TRUE)``.
    ``"metafor"``: escalc's default ``add=1/2, to="only0", drop00=FALSE``: the same correction,
    but double-zero (and double-full) tables are kept with the correction.
    ``"none"``: no correction; a zero cell gives an infinite or NaN ``yi``/``vi`` as the
    formulas do.
    The correction applies to RD as well (as in escalc), where it can change the sign of
    the difference when a count is small.

Hypotheses: each arm's count is binomial, or each arm's mean is of independent observations
with the printed SD; the variances are the usual large-sample (delta-method) ones, as in
escalc.  Inputs are validated (counts within 0..n, n > 0, SD >= 0); a violation raises
:class:`EffectSizeError` naming the positions of the offending studies (flat positions when
the inputs are 2-d, one row per set of studies, as the rounding box evaluates them).

Cost: O(k) time and memory for k studies, no loop in Python.

Hedges LV. Distribution theory for Glass's estimator of effect size and related estimators.
J Educ Stat 1981;6:107-128.  Deeks JJ, Higgins JPT. Statistical algorithms in Review Manager 5
(2010).  Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat Softw
2010;36(3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from reanalyse.errors import OptionError, ReanalyseError
from reanalyse.kernels.distributions import norm_ppf

__all__ = ["MEASURES", "BINARY_MEASURES", "CONTINUOUS_MEASURES", "ZERO_CELLS", "VTYPES",
           "EffectSizes", "EffectSizeError", "hedges_correction", "mean_difference",
           "mean_difference_values", "standardised_mean_difference",
           "standardised_mean_difference_values", "odds_ratio", "risk_ratio", "risk_difference",
           "peto_odds_ratio", "effect_sizes"]

BINARY_MEASURES = ("OR", "RR", "RD", "PETO")
CONTINUOUS_MEASURES = ("MD", "SMD")
MEASURES = CONTINUOUS_MEASURES + BINARY_MEASURES

#: Zero-cell conventions: name -> (value added, drop tables without events or non-events).
ZERO_CELLS = {"revman": (0.5, True), "metafor": (0.5, False), "none": (0.0, False)}

#: Variance types each measure accepts (escalc's ``vtype``), the default first.
VTYPES = {"MD": ("LS", "UB", "HO"), "SMD": ("LS", "LS2", "UB", "AV"), "OR": ("LS",),
          "RR": ("LS",), "RD": ("LS", "UB", "AV"), "PETO": ("LS",)}


class EffectSizeError(ReanalyseError, ValueError):
    """Printed summaries from which no effect size can be computed.

    Attributes
    ----------
    rows : tuple of int
        Zero-based positions of the offending studies.
    problem : str
        The rule they break.
    """

    def __init__(self, problem: str, rows):
        self.problem = problem
        self.rows = tuple(int(row) for row in rows)
        shown = ", ".join(str(row) for row in self.rows[:10])
        more = "" if len(self.rows) <= 10 else f" and {len(self.rows) - 10} more"
        super().__init__(f"{problem} (study positions {shown}{more})")

    def to_dict(self) -> dict:
        """JSON-ready form of the error."""
        return {"kind": "effect size", "problem": self.problem, "rows": list(self.rows)}


def _frozen(values) -> np.ndarray:
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class EffectSizes:
    """Effect sizes ``yi`` and sampling variances ``vi`` of k studies (escalc's output).

    Attributes
    ----------
    measure : str
        One of :data:`MEASURES`; OR and RR are on the log scale.
    yi, vi : ndarray of float, shape (k,)
        Effect size and its sampling variance; NaN for a study left out.
    corrected : ndarray of bool
        Studies whose cells had the zero-cell value added.
    dropped : ndarray of bool
        Studies left out (no events in either arm, or only events in both, under
        ``"revman"``).
    zero_cells : str or None
        The zero-cell convention (binary measures), else None.
    vtype : str
        The variance type (escalc's ``vtype``).
    """

    measure: str
    yi: np.ndarray
    vi: np.ndarray
    corrected: np.ndarray
    dropped: np.ndarray
    zero_cells: str | None = None
    vtype: str = "LS"

    def __post_init__(self):
        for name in ("yi", "vi"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        for name in ("corrected", "dropped"):
            flags = np.array(getattr(self, name), dtype=bool)
            flags.setflags(write=False)
            object.__setattr__(self, name, flags)

    @property
    def k(self) -> int:
        """Number of studies given (left-out ones included)."""
        return int(self.yi.size)

    @property
    def se(self) -> np.ndarray:
        """Standard errors sqrt(vi)."""
        return np.sqrt(self.vi)

    @property
    def ratio(self) -> bool:
        """Whether ``yi`` is a log ratio (OR, RR, PETO)."""
        return self.measure in ("OR", "RR", "PETO")

    def confidence_interval(self, confidence_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Wald interval yi -/+ z sqrt(vi) per study, on the scale of ``yi``.

        For OR this is Woolf's interval and for RR Katz's (exponentiate for the ratio);
        for RD the Wald interval; for MD and SMD the normal interval escalc's
        ``summary()`` gives.
        """
        z = norm_ppf((1 + confidence_level) / 2)
        half = z * np.sqrt(self.vi)
        return self.yi - half, self.yi + half

    def to_dict(self) -> dict:
        """JSON-ready form (NaN as None)."""
        def floats(array):
            return [None if np.isnan(value) else float(value) for value in array]
        return {"measure": self.measure, "vtype": self.vtype, "zero_cells": self.zero_cells,
                "yi": floats(self.yi), "vi": floats(self.vi),
                "corrected": self.corrected.tolist(), "dropped": self.dropped.tolist()}


def hedges_correction(df) -> np.ndarray:
    """Exact small-sample correction J(df) = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2)).

    Computed through log-gamma, so it stays finite at any df; NaN for df <= 1 (as
    metafor's ``.cmicalc``).
    """
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2)
                       - special.gammaln((df - 1) / 2))
    return np.where(df > 1, value, np.nan)


def _arrays(*values) -> list[np.ndarray]:
    arrays = np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in values))
    return [np.atleast_1d(array).astype(float) for array in arrays]


def _check(condition: np.ndarray, problem: str) -> None:
    if np.any(condition):
        raise EffectSizeError(problem, np.flatnonzero(condition))


def _check_vtype(measure: str, vtype: str) -> str:
    if vtype not in VTYPES[measure]:
        raise OptionError(f"vtype for {measure} must be one of {', '.join(VTYPES[measure])}; "
                         f"got {vtype!r}")
    return vtype


def _continuous(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n):
    m1, s1, n1, m2, s2, n2 = _arrays(treat_mean, treat_sd, treat_n, control_mean, control_sd,
                                     control_n)
    _check((n1 <= 0) | (n2 <= 0), "every arm needs n > 0")
    _check((s1 < 0) | (s2 < 0), "standard deviations cannot be negative")
    return m1, s1, n1, m2, s2, n2


def mean_difference(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n, *,
                    vtype: str = "LS") -> EffectSizes:
    """Mean difference treat - control and its variance (``escalc("MD")``).

    Parameters
    ----------
    treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n : array-like
        Each arm's mean, SD and size, one value per study (broadcast together).
    vtype : {"LS", "UB", "HO"}
        "LS" and "UB" (the same here) s1^2/n1 + s2^2/n2; "HO" assumes equal variances and
        uses the pooled variance.
    """
    _check_vtype("MD", vtype)
    m1, s1, n1, m2, s2, n2 = _continuous(treat_mean, treat_sd, treat_n, control_mean,
                                         control_sd, control_n)
    yi, vi = mean_difference_values(m1, s1, n1, m2, s2, n2, vtype=vtype)
    none = np.zeros(m1.shape, dtype=bool)
    return EffectSizes("MD", yi, vi, none, none, vtype=vtype)


def mean_difference_values(treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n,
                           *, vtype: str = "LS") -> tuple[np.ndarray, np.ndarray]:
    """``(yi, vi)`` of :func:`mean_difference`, without its checks of the inputs and of
    ``vtype`` and without the record: for callers whose summaries are checked already (the
    corners of a claim's rounding box), where the checks cost more than the formula.  Arrays
    or floats, broadcast together by the arithmetic.
    """
    if vtype == "HO":
        pooled = ((treat_n - 1) * treat_sd ** 2 + (control_n - 1) * control_sd ** 2) / (
            treat_n + control_n - 2)
        vi = pooled * (1 / treat_n + 1 / control_n)
    else:
        vi = treat_sd ** 2 / treat_n + control_sd ** 2 / control_n
    return treat_mean - control_mean, vi


def standardised_mean_difference(treat_mean, treat_sd, treat_n, control_mean, control_sd,
                                 control_n, *, vtype: str = "LS") -> EffectSizes:
    """Hedges' g (treat - control) and its variance (``escalc("SMD")``).

    Parameters
    ----------
    treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n : array-like
        Each arm's mean, SD and size, one value per study.
    vtype : {"LS", "LS2", "UB", "AV"}
        metafor's variance types (module docstring); "LS" is metafor's default.

    Notes
    -----
    Assumes normal outcomes with equal variances in the two arms (the pooled SD
    standardises).  A study with n1 + n2 <= 3 has no correction (NaN), as in metafor.
    """
    _check_vtype("SMD", vtype)
    m1, s1, n1, m2, s2, n2 = _continuous(treat_mean, treat_sd, treat_n, control_mean,
                                         control_sd, control_n)
    g, vi = standardised_mean_difference_values(m1, s1, n1, m2, s2, n2, vtype=vtype)
    none = np.zeros(m1.shape, dtype=bool)
    return EffectSizes("SMD", g, vi, none, none, vtype=vtype)


def standardised_mean_difference_values(treat_mean, treat_sd, treat_n, control_mean,
                                        control_sd, control_n, *, vtype: str = "LS"
                                        ) -> tuple[np.ndarray, np.ndarray]:
    """``(yi, vi)`` of :func:`standardised_mean_difference` (Hedges' g and its variance),
    without its checks and record, as :func:`mean_difference_values`; ``"AV"`` needs 1-d
    arrays.
    """
    m1, s1, n1, m2, s2, n2 = treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n
    df = n1 + n2 - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled_sd = np.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / df)
        d = (m1 - m2) / pooled_sd
        correction = hedges_correction(df)
        g = correction * d
        base = 1 / n1 + 1 / n2
        if vtype == "LS":
            vi = base + g ** 2 / (2 * (n1 + n2))
        elif vtype == "LS2":
            vi = correction ** 2 * (base + d ** 2 / (2 * (n1 + n2)))
        elif vtype == "UB":
            vi = base + (1 - (df - 2) / (df * correction ** 2)) * g ** 2
        else:
            usable = ~np.isnan(g)
            mean_g = np.sum(g[usable] * (n1 + n2)[usable]) / np.sum((n1 + n2)[usable])
            vi = base + mean_g ** 2 / (2 * (n1 + n2))
    return g, vi


def _cells(treat_events, treat_n, control_events, control_n, zero_cells: str):
    """The four cells after the zero-cell convention, with the corrected and dropped flags."""
    if zero_cells not in ZERO_CELLS:
        raise OptionError(f"zero_cells must be one of {', '.join(ZERO_CELLS)}; got {zero_cells!r}")
    a, n1, c, n2 = _arrays(treat_events, treat_n, control_events, control_n)
    _check((n1 <= 0) | (n2 <= 0), "every arm needs n > 0")
    _check((a < 0) | (c < 0), "event counts cannot be negative")
    _check((a > n1) | (c > n2), "event counts cannot exceed the arm size")
    b, d = n1 - a, n2 - c
    add, drop = ZERO_CELLS[zero_cells]
    dropped = ((a == 0) & (c == 0)) | ((b == 0) & (d == 0)) if drop else np.zeros(a.shape, bool)
    corrected = ((a == 0) | (b == 0) | (c == 0) | (d == 0)) & ~dropped & (add > 0)
    shift = np.where(corrected, add, 0.0)
    cells = [np.where(dropped, np.nan, cell + shift) for cell in (a, b, c, d)]
    return cells, corrected, dropped


def odds_ratio(treat_events, treat_n, control_events, control_n, *,
               zero_cells: str = "revman") -> EffectSizes:
    """Log odds ratio and Woolf's variance 1/a + 1/b + 1/c + 1/d (``escalc("OR")``).

    Parameters
    ----------
    treat_events, treat_n, control_events, control_n : array-like
        Events and arm sizes, one value per study.
    zero_cells : {"revman", "metafor", "none"}
        The zero-cell convention (module docstring).
    """
    (a, b, c, d), corrected, dropped = _cells(treat_events, treat_n, control_events,
                                              control_n, zero_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = np.log(a) - np.log(b) - np.log(c) + np.log(d)
        vi = 1 / a + 1 / b + 1 / c + 1 / d
    return EffectSizes("OR", yi, vi, corrected, dropped, zero_cells=zero_cells)


def risk_ratio(treat_events, treat_n, control_events, control_n, *,
               zero_cells: str = "revman") -> EffectSizes:
    """Log risk ratio and Katz's variance 1/a - 1/n1 + 1/c - 1/n2 (``escalc("RR")``).

    Parameters as :func:`odds_ratio`; the arm sizes after correction are a + b and c + d.
    """
    (a, b, c, d), corrected, dropped = _cells(treat_events, treat_n, control_events,
                                              control_n, zero_cells)
    n1, n2 = a + b, c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = np.log(a / n1) - np.log(c / n2)
        vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    return EffectSizes("RR", yi, vi, corrected, dropped, zero_cells=zero_cells)


def risk_difference(treat_events, treat_n, control_events, control_n, *,
                    zero_cells: str = "revman", vtype: str = "LS") -> EffectSizes:
    """Risk difference p1 - p2 and its variance (``escalc("RD")``).

    Parameters
    ----------
    treat_events, treat_n, control_events, control_n : array-like
        Events and arm sizes, one value per study.
    zero_cells : {"revman", "metafor", "none"}
        The zero-cell convention; as in escalc it changes yi as well as vi.
    vtype : {"LS", "UB", "AV"}
        "LS" p q / n per arm (Wald), "UB" p q / (n - 1), "AV" the n-weighted mean
        proportion of each arm over the studies kept in place of each p.
    """
    _check_vtype("RD", vtype)
    (a, b, c, d), corrected, dropped = _cells(treat_events, treat_n, control_events,
                                              control_n, zero_cells)
    n1, n2 = a + b, c + d
    p1, p2 = a / n1, c / n2
    with np.errstate(divide="ignore", invalid="ignore"):
        if vtype == "LS":
            vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
        elif vtype == "UB":
            vi = p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1)
        else:
            kept = ~np.isnan(p1)
            mean_p1 = np.sum(p1[kept] * n1[kept]) / np.sum(n1[kept])
            mean_p2 = np.sum(p2[kept] * n2[kept]) / np.sum(n2[kept])
            vi = mean_p1 * (1 - mean_p1) / n1 + mean_p2 * (1 - mean_p2) / n2
    return EffectSizes("RD", p1 - p2, vi, corrected, dropped, zero_cells=zero_cells, vtype=vtype)


def peto_odds_ratio(treat_events, treat_n, control_events, control_n, *,
                    zero_cells: str = "revman") -> EffectSizes:
    """Peto's log odds ratio (O - E) / V and its variance 1 / V (``escalc("PETO")``).

    Parameters as :func:`odds_ratio`; the convention applies to the cells as there (escalc
    applies it to PETO too).  A table with V = 0 (no events or no non-events at all) has
    ``yi`` and ``vi`` NaN or infinite, as in escalc, unless left out.
    """
    (a, b, c, d), corrected, dropped = _cells(treat_events, treat_n, control_events,
                                              control_n, zero_cells)
    n1, n2 = a + b, c + d
    total = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (a + c) * (b + d) * (n1 / total) * (n2 / total) / (total - 1)
        yi = (a - (a + c) * n1 / total) / variance
        vi = 1 / variance
    return EffectSizes("PETO", yi, vi, corrected, dropped, zero_cells=zero_cells)


_BINARY = {"OR": odds_ratio, "RR": risk_ratio, "RD": risk_difference, "PETO": peto_odds_ratio}
_CONTINUOUS = {"MD": mean_difference, "SMD": standardised_mean_difference}


def effect_sizes(measure: str, **summaries) -> EffectSizes:
    """Effect sizes of one measure from role-named summaries (escalc's dispatcher).

    ``effect_sizes("OR", treat_events=..., treat_n=..., control_events=..., control_n=...,
    zero_cells="revman")`` or ``effect_sizes("SMD", treat_mean=..., treat_sd=...,
    treat_n=..., control_mean=..., control_sd=..., control_n=..., vtype="LS")``; the keyword
    options are those of the measure's function.
    """
    measure = str(measure).upper()
    function = _BINARY.get(measure) or _CONTINUOUS.get(measure)
    if function is None:
        raise OptionError(f"measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    return function(**summaries)
