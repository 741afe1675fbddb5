"""p from a printed statistic: one kernel for the claim check and the statistic screen.

Oracle: scipy.stats' t and F tails over a fine grid of the statistic's and the df's rounding
intervals (p is monotone in |t| for fixed df, and smooth in df, so the grid's extremes approach
the kernel's from inside).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from reanalyse.rebuild.reported import statistic_p
from reanalyse.kernels.printed import parse_number
from reanalyse.screens.statistic import statistic_map


def _grid_p(t_low, t_high, df_low, df_high):
    t = np.linspace(t_low, t_high, 41)[:, None]
    df = np.linspace(df_low, df_high, 41)[None, :]
    return 2 * stats.t.sf(np.abs(t), df)


@pytest.mark.parametrize("df_text, df_low, df_high", [("27.3", 27.25, 27.35),
                                                      ("28.0", 27.95, 28.05),
                                                      ("28", 28, 28)])
def test_df_printed_with_decimals_is_a_rounding_interval(df_text, df_low, df_high):
    # "28.0" is printed with a decimal, so it stands for [27.95, 28.05], as "27.3" does
    spec = statistic_p("t", parse_number("2.20"), (parse_number(df_text),), rounding="nearest")
    grid = _grid_p(2.195, 2.205, df_low, df_high)
    assert spec.p_min <= grid.min() + 1e-15 and spec.p_max >= grid.max() - 1e-15
    assert grid.min() - spec.p_min < 1e-9 and spec.p_max - grid.max() < 1e-9


def test_claim_check_and_screen_give_the_same_interval():
    cases = [("t", "2.20", "27.3", ""), ("F", "4.61", "2", "40.5"), ("z", "-1.96", "", ""),
             ("r", ".30", "48", ""), ("chi2", "3.84", "1", "")]
    table = pd.DataFrame({"statistic": [c[0] for c in cases], "value": [c[1] for c in cases],
                          "df1": [c[2] for c in cases], "df2": [c[3] for c in cases],
                          "p": "= .05"})
    screen = statistic_map(table)
    for (family, value, df1, df2), (_, row) in zip(cases, screen.iterrows()):
        df = tuple(parse_number(d) for d in (df1, df2) if d)
        spec = statistic_p(family, parse_number(value), df, rounding="nearest")
        assert (spec.p_min, spec.p, spec.p_max) == pytest.approx(
            (row["p_min"], row["p_computed"], row["p_max"]), rel=1e-12)
