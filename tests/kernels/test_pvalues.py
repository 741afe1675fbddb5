"""The printed-p rule, read by one printed p (PrintedP) and by a column of them (the screens).

Expected values are the rule as documented in kernels/pvalues.py (statcheck's, Nuijten et al.
2016): hand-worked cases, and the scalar and column readings of the same cells agreeing.
"""

import pandas as pd
import pytest

from reanalyse.kernels.printed import parse_p
from reanalyse.screens.statistic import statistic_map


def test_a_printed_bound_is_inclusive():
    # p < .05 against a rebuilt interval [0.05, 0.2]: the printed .05 is itself rounded, so
    # a p of exactly .05 fits (the screens' reading, now the claim check's too)
    assert parse_p("< .05").consistent_with(0.05, 0.2, 0.05, "nearest")
    assert parse_p("> .05").consistent_with(0.01, 0.05, 0.05, "nearest")
    assert not parse_p("< .05").consistent_with(0.0501, 0.2, 0.05, "nearest")


def test_p_equal_alpha_and_p_zero_are_parameters_of_the_one_rule():
    assert parse_p("= .05").significant(0.05) is True
    assert parse_p("= .05").significant(0.05, p_equal_alpha="not_significant") is False
    assert parse_p("< .10").significant(0.05) is None
    zero = parse_p(".000")
    assert zero.consistent_with(0.0, 0.0004, 0.05, "nearest")
    assert not zero.consistent_with(0.0, 0.0004, 0.05, "nearest", p_zero="error")


@pytest.mark.parametrize("p_zero", ["rounded", "error"])
def test_scalar_and_column_readings_agree(p_zero):
    # z statistics (no df): two-sided p = 2 * pnorm(-|z|) over the rounding of z
    texts = ["= .034", "< .05", "<= .05", "> .05", "ns", "= .000", "< .001", "= .05", "= .20"]
    values = ["2.12", "1.96", "0.50", "3.90", "1.0", "4.20"]
    rows = [(v, p) for v in values for p in texts]
    table = pd.DataFrame({"statistic": "z", "value": [v for v, _ in rows],
                          "p": [p for _, p in rows]})
    got = statistic_map(table, p_zero=p_zero)
    for (_, text), (_, row) in zip(rows, got.iterrows()):
        scalar = parse_p(text).consistent_with(row["p_min"], row["p_max"], 0.05, "nearest",
                                               p_zero=p_zero)
        assert scalar is (row["status"] == "consistent"), (text, row["p_min"], row["p_max"])
