"""The test of a difference between two results of a study (two subgroups, two outcomes).

A paper that finds an effect "in one subgroup and not in the other" has compared two p-values,
which says nothing about whether the effects differ.  The test such a claim needs is the test
of the difference itself (Altman & Bland, BMJ 2003;326:219): with two independent estimates
y1, y2 on the scale where they are approximately normal (log OR, log RR, RD, MD, SMD) and their
variances v1, v2,

    z = (y1 - y2) / sqrt(v1 + v2),

whose exponential (for ratios) is the ratio of ORs (or RRs) with its CI.  For subgroups of one
trial printed as per-subgroup summaries this is the arm-by-subgroup interaction test on the
printed summaries.  Each estimate and its variance is metafor's ``escalc`` (the kernel
:mod:`reanalyse.kernels.effect_sizes`), evaluated over the rounding box of each result (every
count pair, every corner of the means and SDs), and z over every combination of the two.

Two outcomes measured on the same participants are not independent: with a positive
correlation between them (the usual case) the variance of the difference is smaller than
v1 + v2, so the test is conservative; the result's note says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.distributions import norm_ppf, norm_sf
from reanalyse.kernels.effect_sizes import effect_sizes
from reanalyse.rebuild.continuous import box_corners
from reanalyse.rebuild.results import SpecResult, decide, fields_dict

__all__ = ["DifferenceTest", "difference_test", "DIFFERENCE_MEASURES", "MAX_COMBINATIONS"]

#: The scale each measure's difference is tested on, and what the difference is called.
DIFFERENCE_MEASURES = {"OR": "ratio of ORs", "RR": "ratio of RRs", "RD": "difference of RDs",
                       "MD": "difference of MDs", "SMD": "difference of SMDs"}

#: Combinations of the two results' boxes evaluated; beyond, each result keeps the rows with
#: its smallest and largest estimate and variance.
MAX_COMBINATIONS = 1_000_000


@dataclass(frozen=True)
class DifferenceTest:
    """The test of the difference between two results.

    Attributes
    ----------
    measure : str
        OR, RR, RD, MD or SMD (ratios are compared on the log scale).
    effects : tuple of (float, float, float)
        Each result's estimate and 95% CI at the printed numbers.
    difference : (float, float, float)
        The ratio (or difference) of the two estimates with its CI at the printed numbers.
    p, p_min, p_max : float
        Two-sided p of the difference at the printed numbers and over the boxes.
    note : str or None
    """

    measure: str
    effects: tuple[tuple[float, float, float], ...]
    difference: tuple[float, float, float]
    z: float
    p: float
    p_min: float
    p_max: float
    combinations: int
    note: str | None = None

    @property
    def label(self) -> str:
        """``test of the ratio of ORs`` and the like."""
        return f"test of the {DIFFERENCE_MEASURES[self.measure]} (Altman & Bland)"

    def spec(self, alpha: float) -> SpecResult:
        """As a rebuilt spec (role ``primary``), to weigh like any test."""
        return SpecResult("difference_z", self.label, self.z, self.p, self.p_min, self.p_max,
                          decide(self.p_min, self.p_max, alpha), tables=self.combinations,
                          note=self.note)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = fields_dict(self)
        data["label"] = self.label
        return data


def _rows(measure, result) -> tuple[np.ndarray, np.ndarray]:
    """(yi, vi) over one result's box, the printed numbers first.  ``result`` is
    ``("binary", CountPairs)`` or ``("continuous", (ArmBox, ArmBox))``."""
    kind, box = result
    if kind == "binary":
        a, c = box.pairs()
        effect = effect_sizes(measure, treat_events=a, treat_n=box.treat_n, control_events=c,
                              control_n=box.control_n, zero_cells="metafor")
        return effect.yi, effect.vi
    treat, control = box
    m1, s1, m2, s2 = box_corners(treat, control)
    effect = effect_sizes(measure, treat_mean=m1, treat_sd=s1, treat_n=treat.n,
                          control_mean=m2, control_sd=s2, control_n=control.n)
    return effect.yi, effect.vi


def _extremes(y, v):
    keep = sorted({0, int(np.argmin(y)), int(np.argmax(y)), int(np.argmin(v)),
                   int(np.argmax(v))})
    return y[keep], v[keep]


def difference_test(measure: str, first, second, *, confidence_level: float = 0.95,
                    same_participants: bool = False) -> DifferenceTest:
    """Test H0: the two results' effects are equal (on the log scale for ratios).

    Parameters
    ----------
    measure : {"OR", "RR", "RD", "MD", "SMD"}
    first, second : tuple
        ``("binary", CountPairs)`` or ``("continuous", (treat ArmBox, control ArmBox))``.
    same_participants : bool
        Whether both results are measured on the same participants (the note then says the
        test treats them as independent, which is conservative for positively correlated
        outcomes).
    """
    (y1, v1), (y2, v2) = _rows(measure, first), _rows(measure, second)
    note = []
    if y1.size * y2.size > MAX_COMBINATIONS:
        (y1, v1), (y2, v2) = _extremes(y1, v1), _extremes(y2, v2)
        note.append("each result's box reduced to its extreme estimates and variances")
    combined_y = (y1[:, None] - y2[None, :]).ravel()
    combined_v = (v1[:, None] + v2[None, :]).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = combined_y / np.sqrt(combined_v)
    p = 2 * norm_sf(np.abs(z))
    p_min, p_max = float(np.nanmin(p)), float(np.nanmax(p))
    if np.nanmin(z) < 0 < np.nanmax(z):
        p_max = 1.0
    crit = norm_ppf((1 + confidence_level) / 2)
    back = math.exp if measure in ("OR", "RR") else float

    def interval(y, v):
        half = crit * math.sqrt(v)
        return back(y), back(y - half), back(y + half)

    if same_participants:
        note.append("both results are measured on the same participants; the test treats "
                    "them as independent, which is conservative when they are positively "
                    "correlated")
    return DifferenceTest(measure, (interval(y1[0], v1[0]), interval(y2[0], v2[0])),
                          interval(combined_y[0], combined_v[0]), float(z[0]), float(p[0]),
                          p_min, p_max, int(z.size), "; ".join(note) or None)
