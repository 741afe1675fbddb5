"""The caches of large matrices keep a bounded memory: a process meeting many large trials
(here Fisher's matrices of 20 pairs of arm sizes, 7.7 MB and more each) keeps at most CACHE_BYTES of them,
the most recently used, and still returns every result."""

import numpy as np

from reanalyse.kernels import exact, twobytwo
from reanalyse.kernels.caching import CACHE_BYTES, array_cache, nbytes


def test_fisher_matrices_of_many_sizes_keep_a_bounded_memory():
    exact.clear_caches()
    try:
        for n in range(980, 1000):
            # (n + 1) x (n + 1) float64: 981 * 981 * 8 = 7,698,888 bytes and more
            matrix = twobytwo.pvalue_matrix(twobytwo.FISHER_EXACT, n, n)
            assert matrix.shape == (n + 1, n + 1)
        for cache in (exact._fisher_matrix, exact._fisher_by_total, exact._layout,
                      twobytwo._matrix):
            assert cache.bytes <= CACHE_BYTES
            assert cache.bytes == sum(nbytes(value) for value, _ in cache.kept.values())
        # 20 matrices of at least 8 MB are more than the budget: the oldest were let go
        assert 20 * 7_698_888 > CACHE_BYTES
        assert (999, 999, "two-sided") in exact._fisher_matrix.kept
        assert (980, 980, "two-sided") not in exact._fisher_matrix.kept
    finally:
        exact.clear_caches()


def test_a_result_larger_than_the_budget_is_returned_and_not_kept():
    calls = []

    @array_cache(4)
    def big(n):
        calls.append(n)
        return np.zeros(n, dtype=np.uint8)

    assert big(CACHE_BYTES + 1).size == CACHE_BYTES + 1
    assert big.bytes == 0 and not big.kept
    big(10), big(10)
    assert calls == [CACHE_BYTES + 1, 10] and big.bytes == 10
