"""The reverse reading: what a printed count (or percentage) beyond a cut-off allows of the
mean and the SD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import sqrt

import numpy as np

from reanalyse.errors import WorkBudgetExceeded
from reanalyse.kernels.cutoff_bounds.bounds import _scale
from reanalyse.kernels.cutoff_bounds.bracket import _CHUNK, _Arm, _q_max, _q_min, _relaxed
from reanalyse.kernels.cutoff_bounds.programme import _possible, _threshold, _unmirror
from reanalyse.kernels.cutoff_bounds.scale import (PROGRAMMES, Witness, _direction,
                                                   _interval, _programmes)
from reanalyse.kernels.cutoff_bounds.walks import _even_spread, _extreme_spread
from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import Rounding

__all__ = ["CountReading", "count_reading"]

#: Most sums tried, from each end, for the range of means of a reverse reading.
_MAX_SUMS = 400


@dataclass(frozen=True)
class CountReading:
    """What a printed count beyond a cut-off allows of the mean and the SD (the reverse reading).

    Attributes
    ----------
    counts : tuple of int
        The counts read (one for a printed count; those a printed percentage allows).
    feasible : bool
        Whether any dataset has such a count and the printed statistics.
    mean_min, mean_max : Fraction or None
        The exact range of means (over datasets that also fit the printed SD, if any).
    sd_min, sd_max : float or None
        The range of SDs (over datasets that also fit the printed mean, if any); exact
        variances in ``variance_min``, ``variance_max``.
    witnesses : dict
        ``mean_min``, ``mean_max``, ``sd_min``, ``sd_max`` -> Witness.
    """

    counts: tuple
    feasible: bool
    mean_min: Fraction | None
    mean_max: Fraction | None
    variance_min: Fraction | None
    variance_max: Fraction | None
    witnesses: dict = field(default_factory=dict, repr=False)

    @property
    def sd_min(self) -> float | None:
        """Smallest SD (float of the exact :attr:`variance_min`)."""
        return None if self.variance_min is None else sqrt(self.variance_min)

    @property
    def sd_max(self) -> float | None:
        """Largest SD (float of the exact :attr:`variance_max`)."""
        return None if self.variance_max is None else sqrt(self.variance_max)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return {"counts": list(self.counts), "feasible": self.feasible,
                "mean_min": text(self.mean_min), "mean_max": text(self.mean_max),
                "variance_min": text(self.variance_min),
                "variance_max": text(self.variance_max),
                "sd_min": self.sd_min, "sd_max": self.sd_max,
                "witnesses": {k: w.to_dict() for k, w in self.witnesses.items()}}


def count_reading(n: int, scale, cutoff, direction: str = ">=", *, count: int | None = None,
                  percent=None, mean=None, sd=None,
                  rounding: "Rounding | str" = Rounding.NEAREST,
                  programmes: int = PROGRAMMES) -> CountReading:
    """The range of means and of SDs that datasets with a printed count can have.

    Hypotheses as for :func:`cutoff_bounds`.  The mean range is over datasets with the count
    whose SD prints as ``sd`` (when given); the SD range over those whose mean prints as
    ``mean`` (when given).  Both are exact, each end with a witness.

    Parameters
    ----------
    n, scale, cutoff, direction, rounding
        As for :func:`cutoff_bounds`.
    count : int, optional
        The printed count beyond the cut-off.
    percent : str, optional
        Or the printed percentage of n (read under ``rounding``).
    mean, sd : str or Interval, optional
        The other printed statistics.
    programmes : int
        Work budget of each end of the range of means (as for :func:`cutoff_bounds`).

    Returns
    -------
    CountReading

    Raises
    ------
    ValueError
        For an input out of range.
    WorkBudgetExceeded
        When the work budget runs out before the range of means is settled.
    """
    scale = _scale(scale)
    direction = _direction(direction)
    if (count is None) == (percent is None):
        raise ValueError("give either count or percent")
    counts = range(int(count), int(count) + 1) if count is not None else \
        percent_count_range(percent, int(n), rounding)
    counts = tuple(c for c in counts if 0 <= c <= n)
    t, mirrored = _threshold(scale, cutoff, direction)
    budget = _programmes(programmes)
    mean_iv, sd_iv = _interval(mean, rounding, "mean"), _interval(sd, rounding, "sd")
    free_mean = _Arm(n, None, sd_iv, scale, mirrored, counts=len(counts),
                     what="the range of means")
    free_sd = _Arm(n, mean_iv, None, scale, mirrored, counts=len(counts),
                   what="the range of SDs")
    B = scale.points
    found = {}

    def keep(name, value, freq, better):
        if freq is not None and (name not in found or better(value, found[name][0])):
            found[name] = (value, freq)

    for c in counts:
        c_arr = np.array([c], dtype=np.int64)
        # means: the sums whose bracket meets their window, tried from either end
        columns = np.arange(len(free_mean.sums))
        row = np.zeros(len(columns), dtype=bool)
        for start in range(0, len(columns), _CHUNK):
            part = columns[start:start + _CHUNK]
            row[part] = _relaxed(free_mean, t, c_arr, part)[0]
        candidates = np.flatnonzero(row)
        for name, order, better in (("mean_min", candidates, lambda a, b: a < b),
                                    ("mean_max", candidates[::-1], lambda a, b: a > b)):
            free_mean.programmes = budget
            try:
                for column in order[:_MAX_SUMS]:
                    one = np.zeros(len(columns), dtype=bool)
                    one[column] = True
                    freq = _possible(free_mean, t, c, one)
                    if freq is not None:
                        keep(name, int(free_mean.sums[column]), freq, better)
                        break
                else:
                    if len(order) > _MAX_SUMS:
                        raise WorkBudgetExceeded(f"more than {_MAX_SUMS} sums")
            except WorkBudgetExceeded:
                raise WorkBudgetExceeded(f"n = {n}: the range of means is not settled within "
                                 f"{_MAX_SUMS} sums and {budget} integer programmes; print "
                                 "the SD to more decimals") from None
        # SDs: the even and the extreme spread at each sum the mean allows
        sums = free_sd.sums
        every = np.full(len(sums), c, dtype=np.int64)
        q_min, feasible, _ = _q_min(n, t, B, every, sums)
        q_max = _q_max(n, t, B, every, sums)
        if not feasible.any():
            continue
        kept = sums[feasible]
        spread_min = [n * int(q) - int(s) ** 2 for q, s in zip(q_min[feasible], kept)]
        spread_max = [n * int(q) - int(s) ** 2 for q, s in zip(q_max[feasible], kept)]
        i, j = int(np.argmin(spread_min)), int(np.argmax(spread_max))
        keep("sd_min", spread_min[i], _even_spread(n, t, B, c, int(kept[i])),
             lambda a, b: a < b)
        keep("sd_max", spread_max[j], _extreme_spread(n, t, B, c, int(kept[j])),
             lambda a, b: a > b)
    witnesses = {name: Witness.from_units(scale, _unmirror(freq, mirrored))
                 for name, (_, freq) in found.items()}
    feasible = "mean_min" in witnesses and ("sd_min" in witnesses)
    if not feasible:
        return CountReading(counts, False, None, None, None, None, {})
    return CountReading(
        counts, True, witnesses["mean_min"].mean, witnesses["mean_max"].mean,
        witnesses["sd_min"].variance if n > 1 else None,
        witnesses["sd_max"].variance if n > 1 else None, witnesses)
