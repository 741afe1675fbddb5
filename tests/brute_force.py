"""Brute-force oracles shared by the tests and the scripts that record oracle values,
written from the definitions and independent of ``reanalyse``."""

from fractions import Fraction
from functools import lru_cache
from math import comb


@lru_cache(maxsize=None)
def exact_fisher(treat_n: int, control_n: int, alternative: str) -> dict:
    """Fisher's p of every table {(a, c): Fraction}, from the hypergeometric definition."""
    total_n = treat_n + control_n
    pvalues = {}
    for total in range(total_n + 1):
        support = range(max(0, total - control_n), min(total, treat_n) + 1)
        probability = {a: Fraction(comb(treat_n, a) * comb(control_n, total - a),
                                   comb(total_n, total)) for a in support}
        for a in support:
            if alternative == "less":
                p = sum(v for x, v in probability.items() if x <= a)
            elif alternative == "greater":
                p = sum(v for x, v in probability.items() if x >= a)
            else:
                p = sum(v for v in probability.values() if v <= probability[a])
            pvalues[a, total - a] = p
    return pvalues
