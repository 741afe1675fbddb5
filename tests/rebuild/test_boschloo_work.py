"""Boschloo's exact test is computed only within a bound on its work: the tables of its sample
space and the binomial matrix its search evaluates (grid points x (n1 + n2 + 1)).  A generated
study with arms of 666,667 and 2 asked for a 65 GB matrix."""

from reanalyse.kernels.exact import default_grid_points
from reanalyse.rebuild.binary import (BOSCHLOO_GRID_CELLS, CountPairs, binary_tests,
                                      boschloo_within_size)


def test_very_unequal_arms_do_not_reach_the_search():
    # 666,667 + 2: 2,000,010 tables (within the table bound) but
    # (33 + 16 * ceil(sqrt(666669))) * 666670 = 13105 * 666670 = 8.7e9 matrix cells
    assert default_grid_points(666_669) == 13_105
    assert not boschloo_within_size(666_667, 2)
    # 7,000 + 1: (33 + 16 * 84) * 7002 = 1377 * 7002 = 9,641,754 cells > 8,000,000
    assert default_grid_points(7_001) * 7_002 == 9_641_754 > BOSCHLOO_GRID_CELLS
    assert not boschloo_within_size(7_000, 1)


def test_balanced_arms_at_the_table_bound_are_still_computed():
    # 1,100 per arm: 2201 * 1101 = 2,423,301 tables; (33 + 16 * 47) * 2201 = 1,728,886 cells
    assert boschloo_within_size(1_100, 1_100)


def test_the_spec_says_why_boschloo_was_not_computed():
    pairs = CountPairs.from_arms(7_000, 3_500, None, 1, 0, None)
    specs = {spec.name: spec for spec in binary_tests(pairs, boschloo="always")}
    boschloo = specs["boschloo_exact"]
    assert boschloo.p is None
    assert "9,641,754 binomial probabilities" in boschloo.note
    assert "never above Fisher's p" in boschloo.note
    assert specs["fisher_exact"].p is not None
