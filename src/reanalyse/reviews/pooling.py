"""The pooling kernels as a review's pooled line needs them: one place that calls them.

The statistics are :mod:`reanalyse.kernels.effect_sizes` (escalc's ``yi`` and ``vi``) and
:mod:`reanalyse.kernels.meta` (inverse-variance, DerSimonian-Laird, REML and Paule-Mandel
pools, the Hartung-Knapp adjustment, Mantel-Haenszel and Peto, and each one's range over the
rounding box).  This module turns a pool's printed rows into the kernels' role-named arrays,
names the estimators a measure can be pooled with, and compares a rebuilt pool with the
printed line.  Ratios are pooled on the log scale and compared on the printed (ratio) scale.

Zero cells follow Review Manager: 0.5 is added to each cell of a table with a zero cell, and a
study without events in either arm gives no effect (it is left out of every inverse-variance
pool; Mantel-Haenszel and Peto use its counts as they are).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reanalyse.kernels import meta
from reanalyse.kernels.effect_sizes import effect_sizes
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.printed import Rounding
from reanalyse.model.review import RATIO_MEASURES, IncludedStudy, Pool, PrintedPool

__all__ = ["DEFAULT_ESTIMATOR", "Fit", "PoolInputs", "estimators_for", "named_estimator",
           "primary_estimator", "pool_inputs", "fit", "leave_one_out", "fit_ranges",
           "printed_fits", "describe_fit", "study_effect", "weight_of", "printed_row"]

#: The primary estimator when the review names none and none rebuilds its line: Review
#: Manager's random-effects default.
DEFAULT_ESTIMATOR = "DL"
_RANDOM = ("DL", "REML", "PM")
_COUNTS = {"OR": ("MH", "PETO"), "RR": ("MH",), "RD": ("MH",)}
_CONTINUOUS_ROLES = ("treat_mean", "treat_sd", "treat_n", "control_mean", "control_sd",
                     "control_n")
_BINARY_ROLES = ("treat_events", "treat_n", "control_events", "control_n")


def estimators_for(measure: str) -> tuple[str, ...]:
    """Every defensible estimator of ``measure``: the common effect, the counts-based ones for
    binary measures, the random-effects ones, with and without the Hartung-Knapp adjustment."""
    return (("FE",) + _COUNTS.get(measure, ()) + _RANDOM
            + tuple(f"{name}+HKSJ" for name in _RANDOM))


def named_estimator(pool: Pool) -> str | None:
    """The estimator the review names (``+HKSJ`` under the Hartung-Knapp adjustment)."""
    if pool.estimator is None:
        return None
    return f"{pool.estimator}+HKSJ" if pool.hksj and pool.estimator in _RANDOM \
        else pool.estimator


def primary_estimator(pool: Pool, fitting) -> str:
    """The estimator a pool's leave-one-out, weights and reason use: the one the review names;
    else the first of ``fitting`` (the estimators that rebuild the printed line) of the kind
    of model the review names (``model:``); else DerSimonian-Laird for a random-effects or
    unnamed model (Review Manager's default) and the common effect for a common-effect one.
    """
    named = named_estimator(pool)
    if named is not None:
        return named
    common = ("FE",) + _COUNTS.get(pool.measure, ())
    allowed = common if pool.model == "common" else \
        tuple(name for name in estimators_for(pool.measure) if name not in common) \
        if pool.model == "random" else estimators_for(pool.measure)
    chosen = next((name for name in fitting if name in allowed), None)
    return chosen or ("FE" if pool.model == "common" else DEFAULT_ESTIMATOR)


@dataclass(frozen=True, eq=False)
class PoolInputs:
    """A pool's printed rows as arrays: at the printed values and at each end of their
    rounding intervals (role name -> array, one value per study)."""

    measure: str
    value: dict
    low: dict
    high: dict
    usable: np.ndarray

    @property
    def ratio(self) -> bool:
        """Whether the measure is a ratio (pooled on the log scale)."""
        return self.measure in RATIO_MEASURES

    @property
    def exact(self) -> bool:
        """Whether every input is exact (counts): the rounding box is a point."""
        return all(np.array_equal(self.low[role], self.high[role]) for role in self.low)


def pool_inputs(pool: Pool, rounding: Rounding) -> PoolInputs:
    """The printed rows of ``pool`` as role-named arrays (SDs from SEs or CIs as the claim
    check reads them)."""
    rows = [(study.treat, study.control) for study in pool.studies]
    value, low, high = {}, {}, {}
    if pool.type == "continuous":
        for prefix, position in (("treat", 0), ("control", 1)):
            means = [arms[position].mean_bounds(rounding) for arms in rows]
            sds = [arms[position].sd_bounds(rounding) for arms in rows]
            n = np.array([arms[position].n for arms in rows], dtype=float)
            for role, triples in ((f"{prefix}_mean", means), (f"{prefix}_sd", sds)):
                value[role], low[role], high[role] = (np.array(column, dtype=float)
                                                      for column in zip(*triples))
            value[f"{prefix}_n"] = low[f"{prefix}_n"] = high[f"{prefix}_n"] = n
    else:
        for prefix, position in (("treat", 0), ("control", 1)):
            events = np.array([arms[position].events for arms in rows], dtype=float)
            n = np.array([arms[position].n for arms in rows], dtype=float)
            for role, column in ((f"{prefix}_events", events), (f"{prefix}_n", n)):
                value[role] = low[role] = high[role] = column
    sizes = effect_sizes(pool.measure, **value)
    usable = np.isfinite(sizes.yi) & np.isfinite(sizes.vi) & ~sizes.dropped
    usable.setflags(write=False)
    return PoolInputs(pool.measure, value, low, high, usable)


@dataclass(frozen=True, eq=False)
class Fit:
    """A rebuilt pool on the printed scale (ratios exponentiated).

    ``weights`` holds each study's weight in percent (NaN for a study left out), in the
    order of the pool's studies.
    """

    estimator: str
    k: int
    estimate: float
    ci_low: float
    ci_high: float
    statistic: float
    statistic_kind: str
    pvalue: float
    tau2: float
    q: float
    q_df: int
    i2: float
    weights: np.ndarray

    def to_dict(self) -> dict:
        """JSON-ready form (NaN as None)."""
        def number(value):
            return None if value is None or not math.isfinite(value) else float(value)
        return {"estimator": self.estimator, "k": self.k, "estimate": number(self.estimate),
                "ci_low": number(self.ci_low), "ci_high": number(self.ci_high),
                "statistic": number(self.statistic), "statistic_kind": self.statistic_kind,
                "p": number(self.pvalue), "tau2": number(self.tau2), "q": number(self.q),
                "q_df": self.q_df, "i2": number(self.i2),
                "weights": [number(w) for w in self.weights]}


def _split(name: str) -> tuple[str, bool]:
    base, _, adjustment = name.partition("+")
    return base, adjustment == "HKSJ"


def _kernel(inputs: PoolInputs, summaries: dict, name: str, keep: np.ndarray, level: float):
    """The kernel's pool of the kept studies under estimator ``name``."""
    base, hksj = _split(name)
    if base == "MH":
        counts = {role: column[keep] for role, column in summaries.items()}
        return meta.pool_mantel_haenszel(**counts, measure=inputs.measure, level=level)
    if base == "PETO":
        counts = {role: column[keep] for role, column in summaries.items()}
        return meta.pool_peto(**counts, level=level)
    sizes = effect_sizes(inputs.measure, **summaries)
    return meta.pool(sizes.yi[keep], sizes.vi[keep], method=base, hksj=hksj, level=level,
                     measure=inputs.measure)


def _kept(inputs: PoolInputs, name: str, keep: np.ndarray | None) -> np.ndarray:
    base, _ = _split(name)
    chosen = np.ones(inputs.usable.shape, bool) if keep is None else np.asarray(keep, bool)
    if base in ("MH", "PETO"):  # counts-based pools take double-zero tables as they are
        both_zero = (inputs.value["treat_events"] == 0) & (inputs.value["control_events"] == 0)
        return chosen & (inputs.usable | both_zero)
    return chosen & inputs.usable


def _fit(name: str, ratio: bool, result, kept: np.ndarray) -> Fit:
    transform = math.exp if ratio else float
    weights = np.full(kept.shape, np.nan)
    weights[kept] = np.asarray(result.weights, dtype=float)
    return Fit(name, int(result.k), transform(result.estimate), transform(result.ci_low),
               transform(result.ci_high), float(result.statistic), result.statistic_name,
               float(result.pvalue), float(result.tau2 or 0.0), float(result.q),
               int(result.q_df), float(result.i2), weights)


def fit(inputs: PoolInputs, name: str, *, keep: np.ndarray | None = None,
        level: float = 0.95) -> Fit:
    """The pool under estimator ``name`` at the printed numbers (``keep``: the studies in
    it)."""
    kept = _kept(inputs, name, keep)
    return _fit(name, inputs.ratio, _kernel(inputs, inputs.value, name, kept, level), kept)


def leave_one_out(inputs: PoolInputs, name: str, *, level: float = 0.95):
    """``(index, Fit)`` for each study in the pool under ``name``: the pool without it (the
    kernel's :func:`~reanalyse.kernels.meta.leave_one_out`)."""
    kept = _kept(inputs, name, None)
    indices = np.flatnonzero(kept)
    if indices.size < 2:
        return []
    base, hksj = _split(name)
    if base in ("MH", "PETO"):
        arrays = [inputs.value[role][kept] for role in _BINARY_ROLES]
        function = meta.pool_mantel_haenszel if base == "MH" else meta.pool_peto
        options = {"measure": inputs.measure} if base == "MH" else {}
    else:
        sizes = effect_sizes(inputs.measure, **inputs.value)
        arrays = [sizes.yi[kept], sizes.vi[kept]]
        function, options = meta.pool, {"method": base, "hksj": hksj,
                                        "measure": inputs.measure}
    results = meta.leave_one_out(function, *arrays, level=level, **options)
    found = []
    for index, result in zip(indices, results):
        without = kept.copy()
        without[index] = False
        found.append((int(index), _fit(name, inputs.ratio, result, without)))
    return found


def fit_ranges(inputs: PoolInputs, name: str, *, keep: np.ndarray | None = None,
               level: float = 0.95) -> dict:
    """Each number of the pool under ``name`` as a range over the rounding box of the
    printed rows: ``{"estimate": (low, high), "ci_low": ..., "ci_high": ..., "statistic": ...,
    "p": ..., "tau2": ..., "q": ..., "i2": ...}``, ratios on the printed scale.

    Counts are exact, so a pool of counts is its own range; a pool of printed means and SDs
    is searched by the kernel (:func:`reanalyse.kernels.meta.pool_over_rounding_box`).
    """
    if inputs.exact:
        at = fit(inputs, name, keep=keep, level=level)
        return {"estimate": (at.estimate,) * 2, "ci_low": (at.ci_low,) * 2,
                "ci_high": (at.ci_high,) * 2, "statistic": (at.statistic,) * 2,
                "p": (at.pvalue,) * 2, "tau2": (at.tau2,) * 2, "q": (at.q,) * 2,
                "i2": (at.i2,) * 2}
    kept = _kept(inputs, name, keep)
    base, hksj = _split(name)
    low = {role: column[kept] for role, column in inputs.low.items()}
    high = {role: column[kept] for role, column in inputs.high.items()}
    values = {role: column[kept] for role, column in inputs.value.items()}
    found = meta.pool_over_rounding_box(inputs.measure, low, high, method=base, hksj=hksj,
                                        level=level, values=values).ranges
    ranges = {"p" if key == "pvalue" else key: (float(a), float(b))
              for key, (a, b) in found.items()}
    if inputs.ratio:
        for key in ("estimate", "ci_low", "ci_high"):
            ranges[key] = tuple(math.exp(end) for end in ranges[key])
    return ranges


def _meets(number, rounding: Rounding, low: float, high: float) -> bool:
    """Whether the rounding interval of a printed number meets [low, high] (a relative
    1e-9 allowance for floating point)."""
    a, b = number.interval(rounding)
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return a <= high + slack and low - slack <= b


def printed_fits(printed: PrintedPool, at: Fit, ranges: dict, alpha: float,
                 rounding: Rounding) -> dict:
    """Printed number name -> whether the rebuilt pool gives it (only numbers printed).

    The statistic compares in absolute value when its sign is not printed the way the
    estimate's is (Review Manager prints Z without a sign).  I² is accepted as Review
    Manager's (Q - df) / Q as well as the estimator's own.
    """
    fits = {}
    if printed.estimate is not None:
        fits["estimate"] = _meets(printed.estimate, rounding, *ranges["estimate"])
    if printed.ci is not None:
        fits["ci_low"] = _meets(printed.ci[0], rounding, *ranges["ci_low"])
        fits["ci_high"] = _meets(printed.ci[1], rounding, *ranges["ci_high"])
    if printed.statistic is not None:
        low, high = ranges["statistic"]
        magnitude = (0.0 if low <= 0 <= high else min(abs(low), abs(high)), max(abs(low),
                                                                                abs(high)))
        kind_ok = printed.statistic_kind == at.statistic_kind
        fits["statistic"] = kind_ok and (_meets(printed.statistic, rounding, low, high)
                                         or _meets(printed.statistic, rounding, *magnitude))
    if printed.p is not None:
        fits["p"] = printed.p.consistent_with(*ranges["p"], alpha, rounding)
    if printed.tau2 is not None:
        fits["tau2"] = _meets(printed.tau2, rounding, *ranges["tau2"])
    if printed.q is not None:
        fits["q"] = _meets(printed.q, rounding, *ranges["q"])
    if printed.df is not None:
        fits["df"] = printed.df == at.q_df
    if printed.i2 is not None:
        q_low, q_high = ranges["q"]
        df = max(at.q_df, 1)
        revman = tuple(100 * max(0.0, (q - df) / q) if q > 0 else 0.0 for q in (q_low, q_high))
        fits["i2"] = _meets(printed.i2, rounding, *ranges["i2"]) \
            or _meets(printed.i2, rounding, *revman)
    return fits


def describe_fit(at: Fit) -> dict:
    """Printed number name -> the rebuilt value as text, for a reason."""
    def g(value):
        return f"{value:.3g}"
    return {"estimate": g(at.estimate), "ci_low": g(at.ci_low), "ci_high": g(at.ci_high),
            "statistic": f"{at.statistic_kind} = {at.statistic:.2f}",
            "p": f"p = {format_p(at.pvalue)}", "tau2": g(at.tau2), "q": f"{at.q:.2f}",
            "df": str(at.q_df), "i2": f"{at.i2:.0f}%"}


def study_effect(inputs: PoolInputs, index: int, level: float = 0.95):
    """``(effect, ci_low, ci_high)`` of one study on the printed scale (None for a study
    that gives no effect)."""
    if not inputs.usable[index]:
        return None, None, None
    one = {role: column[index:index + 1] for role, column in inputs.value.items()}
    sizes = effect_sizes(inputs.measure, **one)
    low, high = sizes.confidence_interval(level)
    transform = math.exp if inputs.ratio else float
    return transform(sizes.yi[0]), transform(low[0]), transform(high[0])


def weight_of(at: Fit, inputs: PoolInputs, index: int) -> float | None:
    """A study's weight in percent under ``at`` (None when it is not in the pool)."""
    weight = at.weights[index]
    return None if not math.isfinite(weight) else float(weight)


def printed_row(study: IncludedStudy) -> dict:
    """The printed numbers of a study's two arms, as text (``treat_mean`` -> ``"2.86"``)."""
    row = {}
    for prefix, arm in (("treat", study.treat), ("control", study.control)):
        for key in ("n", "mean", "sd", "se", "events", "percent"):
            value = getattr(arm, key, None)
            if value is not None:
                row[f"{prefix}_{key}"] = str(value)
    return row
