"""The ANOVA kernel over rows of rounding boxes, against brute-force enumeration of vertices.

The largest between-group sum of squares over a box of means is at one of its 2**k vertices
(SSB is convex); enumerating them all with itertools is the oracle, and scipy's F distribution
gives p.  The kernel searches O(k) candidate vertices per row, for many rows at once.
"""

import itertools

import numpy as np
import pytest
from scipy import stats

from reanalyse.kernels.anova import anova_pvalues, between_group_ss, ssb_range


def _brute_largest(low, high, n):
    vertices = np.array(list(itertools.product(*zip(low, high))))
    return between_group_ss(vertices, n).max()


def test_rows_of_mixed_sizes_agree_with_every_vertex():
    rng = np.random.default_rng(12)
    rows, width = 300, 8
    present = np.zeros((rows, width), dtype=bool)
    k = rng.integers(2, width + 1, rows)
    for row, size in enumerate(k):
        present[row, rng.choice(width, size, replace=False)] = True
    middle = np.round(rng.normal(10, rng.choice([0.05, 0.5, 2.0], (rows, 1)), (rows, width)), 1)
    half = rng.choice([0.005, 0.05, 0.5], (rows, width))
    sd = np.round(rng.uniform(1, 3, (rows, width)), 1)
    n = np.where(present, rng.integers(2, 60, (rows, width)), 0)
    box = anova_pvalues((middle - half, middle, middle + half), (sd - 0.05, sd, sd + 0.05), n,
                        present)
    assert box.exact.all()
    for row in range(rows):
        at = present[row]
        groups, ns = int(at.sum()), n[row, at].astype(float)
        df1, df2 = groups - 1, ns.sum() - groups
        ssw_low = ((ns - 1) * (sd[row, at] - 0.05) ** 2).sum()
        largest = _brute_largest(middle[row, at] - half[row, at], middle[row, at] + half[row, at],
                                 ns)
        f_max = largest / df1 / (ssw_low / df2)
        assert box.statistic_max[row] == pytest.approx(f_max, rel=1e-9)
        assert box.p_min[row] == pytest.approx(stats.f.sf(f_max, df1, df2), rel=1e-7, abs=1e-300)


def test_a_search_too_large_gives_a_bound_and_says_so():
    # 12 groups with the same printed mean: every band overlaps, so every vertex is a candidate
    low, high = np.full((1, 12), 4.95), np.full((1, 12), 5.05)
    n = np.arange(10, 22, dtype=float)[None]
    smallest, largest, exact = ssb_range(low, high, n, max_vertices=64)
    brute = _brute_largest(low[0], high[0], n[0])
    assert not exact[0] and largest[0] >= brute * (1 - 1e-12) and smallest[0] == 0.0
    smallest, largest, exact = ssb_range(low, high, n, max_vertices=1 << 20)
    assert exact[0] and largest[0] == pytest.approx(brute, rel=1e-12)
