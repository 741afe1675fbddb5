"""A pooled result over the rounding box of its studies' printed numbers.

Each study's printed summary is an interval (a printed 8.60 is [8.595, 8.605]; see
:mod:`reanalyse.kernels.printed`); the box is their product.  :func:`pool_over_rounding_box`
reports, for each pooled quantity (:data:`QUANTITIES`), the least and greatest value it
takes at the points of the box that a bounded search visits.

The search (a bounded number of evaluations, every one a point of the box)
    Let C be the number of printed numbers whose interval has width > 0, x0 the printed
    values (``values``; the box's centre by default), and B the number of study corners
    (sum over studies of 2^(that study's varying numbers); at most 64 k).
    1. Probe: for each varying number, x0 with that number at its low end and at its high
       end (2C evaluations), which gives the direction in which each quantity moves.
    2. Corners: for each searched quantity and each direction (min, max), the corner that
       puts each number at the end the probe found better (2S evaluations, S = 8).
    3. Refinement: at most ``rounds`` times, from each of the 2S current best points, each
       study's varying numbers set to each of their corners, one study at a time (2S B
       evaluations a round); the best move is kept when it improves, and the search stops
       early when no move improves any end.
    In all at most 1 + 2C + 2S + 2S B ``rounds`` evaluations, batched through
    :func:`pool_rows` (for MH and Peto, one pool per point).  The work is bounded by
    :data:`MAX_CELLS` study-cells: the refinement is skipped when it would pass the bound
    (``rounds`` in the result says how many rounds ran), and a box whose probe and corners
    alone would pass it is refused (ValueError).

What is guaranteed
    Every reported end is the value of the quantity at a point of the box that was
    evaluated (its witness is kept), so the true range over the box contains the reported
    range.  The ends are the true extremes when the quantity is monotone in each printed
    number over the box (then the probe finds each number's direction and the corner is
    the extreme); otherwise each end is at least as extreme as the corner and as every
    change of one study's numbers to another corner of that study, repeated ``rounds``
    times.  Extremes inside a number's interval (a quantity not monotone within one
    rounding interval) are not looked for: intervals are narrow, so this is rare, and it
    never makes the reported range wider than the true one.  p is searched through
    |statistic| (p falls as |statistic| grows, at fixed df).  The tests compare the ranges
    with every corner of small boxes (4,096 corners), where they agree exactly.

Counts (events, n) are whole numbers; when their low and high differ (a count rebuilt from a
percentage), the box uses the two ends only.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from reanalyse.errors import OptionError
from reanalyse.kernels import effect_sizes
from reanalyse.kernels.meta.counts import pool_mantel_haenszel, pool_peto
from reanalyse.kernels.meta.inverse_variance import METHODS, pool, pool_rows
from reanalyse.kernels.meta.result import PooledEstimate, PoolingError

__all__ = ["QUANTITIES", "ROLES", "MAX_CELLS", "RoundingRange", "pool_over_rounding_box"]

#: Pooled quantities whose range is reported ("pvalue" is searched through |statistic|).
QUANTITIES = ("estimate", "ci_low", "ci_high", "statistic", "pvalue", "tau2", "q", "i2")
_SEARCHED = ("estimate", "ci_low", "ci_high", "statistic", "abs_statistic", "tau2", "q", "i2")

#: Role-named inputs of each kind of measure.
ROLES = {"binary": ("treat_events", "treat_n", "control_events", "control_n"),
         "continuous": ("treat_mean", "treat_sd", "treat_n", "control_mean", "control_sd",
                        "control_n")}

#: Largest work of one search, in study-cells (points evaluated x studies; a point pooled on
#: its own, as MH and Peto are, counts as at least :data:`ONE_BY_ONE` cells): beyond it the
#: refinement rounds are cut (``rounds`` in the result says how many ran), and a box whose
#: probe and corners alone pass it is refused.
MAX_CELLS = 20_000_000
ONE_BY_ONE = 1000
#: Study-cells evaluated in one batch (bounds the memory of a batch to about 100 MB).
BATCH_CELLS = 500_000


@dataclass(frozen=True, eq=False)
class RoundingRange:
    """Ranges of pooled quantities over a rounding box.

    Attributes
    ----------
    central : PooledEstimate
        The pool at the printed values.
    ranges : dict of str to (float, float)
        (least, greatest) value found for each of :data:`QUANTITIES`.
    witnesses : dict of str to dict
        For each quantity, ``{"min": inputs, "max": inputs}``: the role-named per-study
        values at which its ends were found.
    evaluations : int
        Number of points of the box evaluated.
    rounds : int
        Refinement rounds run.
    """

    central: PooledEstimate
    ranges: dict
    witnesses: dict = field(repr=False)
    evaluations: int
    rounds: int

    def to_dict(self) -> dict:
        """JSON-ready form."""
        def clean(value):
            return None if isinstance(value, float) and math.isnan(value) else value
        return {"central": self.central.to_dict(),
                "ranges": {name: [clean(low), clean(high)]
                           for name, (low, high) in self.ranges.items()},
                "witnesses": self.witnesses, "evaluations": self.evaluations,
                "rounds": self.rounds}


def _kind(measure: str) -> str:
    if measure in effect_sizes.CONTINUOUS_MEASURES:
        return "continuous"
    if measure in effect_sizes.BINARY_MEASURES:
        return "binary"
    raise OptionError(f"measure must be one of {', '.join(effect_sizes.MEASURES)}; got {measure!r}")


class _Evaluator:
    """Pooled quantities at a batch of points (rows of role-named (m, k) arrays)."""

    def __init__(self, measure, method, hksj, level, zero_cells):
        self.measure, self.method, self.hksj, self.level = measure, method, hksj, level
        self.zero_cells = zero_cells
        self.count = 0

    def __call__(self, points: dict) -> dict:
        m = next(iter(points.values())).shape[0]
        self.count += m
        if self.method in METHODS:
            options = {"zero_cells": self.zero_cells} if _kind(self.measure) == "binary" else {}
            es = effect_sizes.effect_sizes(self.measure, **points, **options)
            rows = pool_rows(es.yi, es.vi, method=self.method, hksj=self.hksj, level=self.level)
            out = {name: rows[name] for name in QUANTITIES}
        else:
            results = [self._count_pool({name: column[row] for name, column in points.items()})
                       for row in range(m)]
            out = {name: np.array([getattr(r, name) for r in results]) for name in QUANTITIES}
        out["abs_statistic"] = np.abs(out["statistic"])
        return out

    def _count_pool(self, counts):
        arrays = [counts[name] for name in ROLES["binary"]]
        if self.method == "MH":
            return pool_mantel_haenszel(*arrays, measure=self.measure, level=self.level,
                                        zero_cells=self.zero_cells)
        return pool_peto(*arrays, level=self.level, zero_cells=self.zero_cells)

    def batched(self, points: dict) -> dict:
        m, k = next(iter(points.values())).shape
        size = max(1, BATCH_CELLS // max(k, 1))
        parts = [self({name: column[start:start + size] for name, column in points.items()})
                 for start in range(0, m, size)]
        return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _central(measure, method, hksj, level, zero_cells, values) -> PooledEstimate:
    if method in METHODS:
        options = {"zero_cells": zero_cells} if _kind(measure) == "binary" else {}
        es = effect_sizes.effect_sizes(measure, **values, **options)
        return pool(es.yi, es.vi, method=method, hksj=hksj, level=level, measure=measure)
    arrays = [values[name] for name in ROLES["binary"]]
    if method == "MH":
        return pool_mantel_haenszel(*arrays, measure=measure, level=level, zero_cells=zero_cells)
    return pool_peto(*arrays, level=level, zero_cells=zero_cells)


def pool_over_rounding_box(measure: str, low: dict, high: dict, *, method: str = "REML",
                           hksj: bool = False, level: float = 0.95, zero_cells: str = "revman",
                           values: dict | None = None, rounds: int = 2) -> RoundingRange:
    """Ranges of a pooled result over the rounding box of the studies' printed numbers.

    Parameters
    ----------
    measure : {"MD", "SMD", "OR", "RR", "RD"}
        The effect measure (OR, RR pooled on the log scale).
    low, high : dict of str to array-like
        The role-named per-study ends of each printed number's interval (the keys of
        :data:`ROLES` for the measure's kind); equal ends for an exact number.
    method : {"REML", "DL", "PM", "FE", "MH", "PETO"}
        The pooling method (MH and PETO for binary measures only; PETO for OR only).
    hksj, level, zero_cells
        As :func:`~reanalyse.kernels.meta.pool` and the effect-size functions.
    values : dict of str to array-like, optional
        The printed values (the central point); by default the box's centre (counts
        rounded down to whole numbers).
    rounds : int
        Refinement rounds (module docstring); cut when the work would pass
        :data:`MAX_CELLS`.

    Returns
    -------
    RoundingRange
    """
    measure, method = str(measure).upper(), str(method).upper()
    kind = _kind(measure)
    if method not in METHODS + ("MH", "PETO"):
        raise OptionError(f"method must be one of {', '.join(METHODS + ('MH', 'PETO'))}; "
                         f"got {method!r}")
    if method in ("MH", "PETO") and (kind != "binary" or (method == "PETO" and measure != "OR")):
        raise OptionError(f"{method} pools {'OR' if method == 'PETO' else 'OR, RR or RD'} only")
    roles = ROLES[kind]
    missing = [name for name in roles if name not in low or name not in high]
    if missing:
        raise PoolingError(f"low and high need {', '.join(roles)}; missing {', '.join(missing)}")
    lows = {name: np.atleast_1d(np.asarray(low[name], dtype=float)) for name in roles}
    highs = {name: np.atleast_1d(np.asarray(high[name], dtype=float)) for name in roles}
    k = lows[roles[0]].size
    for name in roles:
        if lows[name].shape != (k,) or highs[name].shape != (k,):
            raise PoolingError(f"every low and high array needs {k} values; {name} differs")
        if np.any(lows[name] > highs[name]):
            raise PoolingError(f"{name}: a low end lies above its high end")
    if values is None:
        values = {name: (lows[name] + highs[name]) / 2 for name in roles}
        if kind == "binary":
            values = {name: np.floor(value) for name, value in values.items()}
    else:
        values = {name: np.atleast_1d(np.asarray(values[name], dtype=float)) for name in roles}
    central = _central(measure, method, hksj, level, zero_cells, values)
    evaluate = _Evaluator(measure, method, hksj, level, zero_cells)
    coordinates = [(name, study) for name in roles for study in range(k)
                   if highs[name][study] > lows[name][study]]
    c = len(coordinates)
    cell_cost = k if method in METHODS else max(k, ONE_BY_ONE)
    if (1 + 2 * c + 2 * len(_SEARCHED)) * cell_cost > MAX_CELLS:
        raise PoolingError(f"a rounding box of {c} printed intervals over {k} studies needs more "
                         f"than {MAX_CELLS:,} study-cells of work; pool fewer studies at once")
    x0 = {name: values[name][None, :] for name in roles}
    extremes = {}                       # quantity -> [min, min point, max, max point]

    def run(points):
        result = evaluate.batched(points)
        for q in QUANTITIES:
            column = result[q]
            if np.all(np.isnan(column)):
                continue
            lowest, highest = int(np.nanargmin(column)), int(np.nanargmax(column))
            entry = extremes.setdefault(q, [math.inf, None, -math.inf, None])
            if column[lowest] < entry[0]:
                entry[0], entry[1] = float(column[lowest]), _point(points, lowest)
            if column[highest] > entry[2]:
                entry[2], entry[3] = float(column[highest]), _point(points, highest)
        return result

    def at(moves):
        """Copies of x0, the j-th with the coordinates in moves[j] set."""
        points = {name: np.repeat(column, len(moves), axis=0) for name, column in x0.items()}
        for row, move in enumerate(moves):
            for (name, study), value in move:
                points[name][row, study] = value
        return points

    run(x0)
    ran = 0
    if c:
        probe = run(at([[((n, s), lows[n][s])] for n, s in coordinates]
                       + [[((n, s), highs[n][s])] for n, s in coordinates]))
        keys = [(q, direction) for q in _SEARCHED for direction in (-1, 1)]
        corner_points = at([[((n, s), lows[n][s] if better else highs[n][s])
                             for (n, s), better in zip(coordinates, direction * probe[q][:c]
                                                       > direction * probe[q][c:])]
                            for q, direction in keys])
        corners = run(corner_points)
        blocks = [[(n, s) for n, s in coordinates if s == study] for study in range(k)]
        moves = [list(zip(block, ends)) for block in blocks if block
                 for ends in itertools.product((0, 1), repeat=len(block))]
        per_key = len(moves)
        if (1 + 2 * c + len(keys) * (1 + per_key * rounds)) * cell_cost > MAX_CELLS:
            rounds = 0
        best = {key: (_point(corner_points, i), _directed(corners[key[0]][i], key[1]))
                for i, key in enumerate(keys)}
        for _ in range(rounds):
            ran += 1
            points = {n: np.concatenate([np.repeat(best[key][0][n][None, :], per_key, axis=0)
                                         for key in keys]) for n in roles}
            for index in range(len(keys)):
                for j, move in enumerate(moves):
                    for (n, s), end in move:
                        points[n][index * per_key + j, s] = highs[n][s] if end else lows[n][s]
            result = run(points)
            improved = False
            for index, (q, direction) in enumerate(keys):
                block = _directed(result[q][index * per_key:(index + 1) * per_key],
                                        direction)
                j = int(np.argmax(block))
                if block[j] > best[q, direction][1]:
                    best[q, direction] = (_point(points, index * per_key + j), block[j])
                    improved = True
            if not improved:
                break
    ranges = {q: (extremes[q][0], extremes[q][2]) if q in extremes else (math.nan, math.nan)
              for q in QUANTITIES}
    witnesses = {q: {"min": _listed(extremes[q][1]), "max": _listed(extremes[q][3])}
                 for q in extremes}
    return RoundingRange(central=central, ranges=ranges, witnesses=witnesses,
                         evaluations=evaluate.count, rounds=ran)


def _directed(values, direction: int):
    """``direction * values`` with NaN as the worst value (so it is never chosen)."""
    return np.where(np.isnan(values), -np.inf, direction * np.asarray(values, dtype=float))


def _point(points: dict, row: int) -> dict:
    return {name: column[row].copy() for name, column in points.items()}


def _listed(point: dict | None):
    return None if point is None else {name: column.tolist() for name, column in point.items()}
