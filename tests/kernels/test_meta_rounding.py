"""The rounding-box search against brute force over every corner of small boxes.

Synthetic studies (made up for these tests; printed to one decimal, so each mean and SD is
an interval of width 0.1).  The oracle is the pooled quantity at every one of the 2^C
corners of the box, computed by :func:`pool_rows` (itself checked against metafor in
test_kernels_meta.py); the search must find the same least and greatest values.
"""

import itertools
import math

import numpy as np
import pytest

from reanalyse.kernels import effect_sizes as es
from reanalyse.kernels.meta import pool_mantel_haenszel, pool_over_rounding_box
from reanalyse.kernels.meta.inverse_variance import pool_rows
from reanalyse.kernels.meta.rounding import QUANTITIES

VALUES = {"treat_mean": [5.2, 6.1, 4.4], "treat_sd": [1.3, 2.2, 1.1], "treat_n": [12, 20, 15],
          "control_mean": [4.1, 6.3, 3.2], "control_sd": [1.5, 1.9, 1.0],
          "control_n": [11, 22, 14]}
VALUES = {name: np.array(value, dtype=float) for name, value in VALUES.items()}
LOW = {n: v - 0.05 if not n.endswith("_n") else v for n, v in VALUES.items()}
HIGH = {n: v + 0.05 if not n.endswith("_n") else v for n, v in VALUES.items()}
VARYING = [(n, s) for n in ("treat_mean", "treat_sd", "control_mean", "control_sd")
           for s in range(3)]


def _corners():
    corners = {n: np.repeat(v[None, :], 2 ** len(VARYING), axis=0) for n, v in VALUES.items()}
    for row, ends in enumerate(itertools.product((0, 1), repeat=len(VARYING))):
        for (n, s), end in zip(VARYING, ends):
            corners[n][row, s] = (HIGH if end else LOW)[n][s]
    return corners


CORNERS = _corners()


@pytest.mark.parametrize("measure", ["MD", "SMD"])
@pytest.mark.parametrize("method", ["FE", "DL", "REML", "PM"])
@pytest.mark.parametrize("hksj", [False, True])
def test_search_finds_the_extremes_over_every_corner(measure, method, hksj):
    found = pool_over_rounding_box(measure, LOW, HIGH, method=method, hksj=hksj,
                                   values=VALUES)
    effects = es.effect_sizes(measure, **CORNERS)
    brute = pool_rows(effects.yi, effects.vi, method=method, hksj=hksj)
    for q in QUANTITIES:
        low, high = found.ranges[q]
        assert low == pytest.approx(np.min(brute[q]), rel=1e-12, abs=1e-15), q
        assert high == pytest.approx(np.max(brute[q]), rel=1e-12, abs=1e-15), q
    assert found.ranges["estimate"][0] <= found.central.estimate <= found.ranges["estimate"][1]


def test_witnesses_reproduce_their_ends():
    found = pool_over_rounding_box("SMD", LOW, HIGH, method="REML", values=VALUES)
    for q in ("estimate", "ci_low", "pvalue"):
        for end, label in zip(found.ranges[q], ("min", "max")):
            point = {n: np.array(v) for n, v in found.witnesses[q][label].items()}
            for n in point:
                assert np.all((LOW[n] <= point[n]) & (point[n] <= HIGH[n]))
            effects = es.effect_sizes("SMD", **point)
            assert pool_rows(effects.yi, effects.vi, method="REML")[q][0] == end


def test_exact_numbers_give_a_point_range():
    found = pool_over_rounding_box("MD", VALUES, VALUES, method="DL")
    assert found.ranges["estimate"] == (found.central.estimate, found.central.estimate)
    assert found.evaluations == 1 and found.rounds == 0


def test_counts_from_percentages_mantel_haenszel_against_every_corner():
    # synthetic: study 1's treatment events known only as 11 or 12 (a printed percentage),
    # study 3's control events as 4 or 5
    low = {"treat_events": [11, 3, 7], "treat_n": [40, 25, 30],
           "control_events": [18, 6, 4], "control_n": [41, 24, 30]}
    high = dict(low, treat_events=[12, 3, 7], control_events=[18, 6, 5])
    for measure in ("OR", "RR", "RD"):
        found = pool_over_rounding_box(measure, low, high, method="MH",
                                       values=dict(low))
        estimates = []
        for a1, c3 in itertools.product((11, 12), (4, 5)):
            table = dict(low, treat_events=[a1, 3, 7], control_events=[18, 6, c3])
            estimates.append(pool_mantel_haenszel(**table, measure=measure).estimate)
        assert found.ranges["estimate"] == pytest.approx((min(estimates), max(estimates)))


def test_bad_boxes_are_refused():
    with pytest.raises(ValueError, match="missing"):
        pool_over_rounding_box("MD", {"treat_mean": [1]}, {"treat_mean": [1]})
    with pytest.raises(ValueError, match="above"):
        pool_over_rounding_box("MD", HIGH, LOW)
    with pytest.raises(ValueError, match="PETO"):
        pool_over_rounding_box("MD", LOW, HIGH, method="PETO")
    result = pool_over_rounding_box("MD", LOW, HIGH, method="FE", values=VALUES).to_dict()
    assert set(result["ranges"]) == set(QUANTITIES)
    assert math.isnan(pool_over_rounding_box("MD", LOW, HIGH, method="FE").central.pi_low)


def test_work_is_bounded(monkeypatch):
    from reanalyse.kernels.meta import rounding
    # probe and corners: (1 + 2 x 12 + 16) points x 3 studies = 123 cells
    monkeypatch.setattr(rounding, "MAX_CELLS", 200)
    cut = pool_over_rounding_box("MD", LOW, HIGH, method="DL", values=VALUES)
    assert cut.rounds == 0 and cut.evaluations == 1 + 24 + 16
    monkeypatch.setattr(rounding, "MAX_CELLS", 100)
    with pytest.raises(ValueError, match="study-cells"):
        pool_over_rounding_box("MD", LOW, HIGH, method="DL", values=VALUES)
