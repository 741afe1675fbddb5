"""The interval kernels of printed estimates against R (recorded calls in
tests/oracles/r_estimate_oracles.json), scipy, statsmodels and hand calculations."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats.contingency import odds_ratio

from reanalyse.kernels.binary_intervals import agresti_caffo_difference, binary_intervals, \
    conditional_odds_ratio, koopman_ratio, newcombe_difference
from reanalyse.kernels.mean_intervals import md_intervals, smd_intervals

ORACLES = Path(__file__).resolve().parents[1] / "oracles" / "r_estimate_oracles.json"


def _floats(row):
    """The first value of each array of an (estimate, low, high) row, as floats."""
    return [float(np.ravel(x)[0]) for x in row]


def _records(block):
    data = json.loads(ORACLES.read_text(encoding="utf-8"))
    found = [r for r in data["records"] if r["block"] == block]
    assert found, block
    for record in found:
        record["value"] = [float(v) if isinstance(v, str) else v for v in record["value"]]
    return found


def _table(record):
    return (record["treat_events"], record["treat_n"], record["control_events"],
            record["control_n"])


def _summary(record):
    return tuple(record[k] for k in ("treat_mean", "treat_sd", "treat_n", "control_mean",
                                     "control_sd", "control_n"))


@pytest.mark.parametrize("record", _records("conditional_or"), ids=str)
def test_conditional_or_matches_fisher_test(record):
    # R's fisher.test solves with uniroot's default tolerance (about 1e-4): compare to 2e-4
    got = [float(x) for x in conditional_odds_ratio(*_table(record))]
    np.testing.assert_allclose(got, record["value"], rtol=2e-4, atol=1e-4)


@pytest.mark.parametrize("record", _records("conditional_or"), ids=str)
def test_conditional_or_matches_scipy_closely(record):
    a, n1, c, n2 = _table(record)
    result = odds_ratio([[a, n1 - a], [c, n2 - c]], kind="conditional")
    interval = result.confidence_interval()
    got = [float(x) for x in conditional_odds_ratio(a, n1, c, n2)]
    np.testing.assert_allclose(got, [result.statistic, interval.low, interval.high],
                               rtol=1e-9)


@pytest.mark.parametrize("record", _records("mid_p_or"), ids=str)
def test_mid_p_interval_matches_r(record):
    _, low, high = conditional_odds_ratio(*_table(record), mid_p=True)
    np.testing.assert_allclose([float(low), float(high)], record["value"], rtol=1e-8)


@pytest.mark.parametrize("record", _records("koopman_rr"), ids=str)
def test_koopman_interval_matches_r(record):
    _, low, high = koopman_ratio(*_table(record))
    np.testing.assert_allclose([float(low), float(high)], record["value"], rtol=1e-6)


def test_koopman_both_arms_full():
    # every participant an event in both arms: the score interval's lower limit is
    # n1 / (n1 + z**2) (Koopman 1984), here 5 / (5 + 1.959964**2) = 0.565518
    _, low, _ = koopman_ratio(5, 5, 5, 5)
    assert float(low) == pytest.approx(5 / (5 + 1.959963984540054**2), rel=1e-9)


@pytest.mark.parametrize("record", _records("newcombe_rd"), ids=str)
def test_newcombe_interval_matches_r(record):
    _, low, high = newcombe_difference(*_table(record))
    np.testing.assert_allclose([float(low), float(high)], record["value"], rtol=1e-9)


@pytest.mark.parametrize("record", _records("agresti_caffo_rd"), ids=str)
def test_agresti_caffo_interval_matches_r(record):
    _, low, high = agresti_caffo_difference(*_table(record))
    np.testing.assert_allclose([float(low), float(high)], record["value"], rtol=1e-9)


def test_synthetic_woolf_katz_newcombe_by_hand():
    # 20/50 v 10/50 (synthetic).  Woolf: OR = 20*40 / (30*10) = 2.6667, SE(log OR) =
    # sqrt(1/20 + 1/30 + 1/10 + 1/40) = 0.456435, exp(0.980829 -+ 1.959964 * 0.456435) =
    # 1.0901 to 6.5237.  Katz: RR = 2, SE = sqrt(1/20 - 1/50 + 1/10 - 1/50) = 0.331662,
    # exp(0.693147 -+ 0.650046) = 1.0440 to 3.8311.  Newcombe: Wilson 0.4 (n 50) =
    # 0.27609 to 0.53819, 0.2 (n 50) = 0.11244 to 0.33038; RD 0.2 - sqrt(0.12391**2 +
    # 0.13038**2) = 0.02013, 0.2 + sqrt(0.13819**2 + 0.08756**2) = 0.36360.
    odds = binary_intervals("OR", 20, 50, 10, 50)["woolf"]
    risk = binary_intervals("RR", 20, 50, 10, 50)["katz"]
    difference = binary_intervals("RD", 20, 50, 10, 50)["newcombe"]
    np.testing.assert_allclose(_floats(odds), [2.6667, 1.0901, 6.5237], atol=2e-4)
    np.testing.assert_allclose(_floats(risk), [2.0, 1.0440, 3.8311], atol=2e-4)
    np.testing.assert_allclose(_floats(difference), [0.2, 0.02013, 0.36360],
                               atol=5e-5)


def _wald_cases():
    # escalc adds 1/2 to every cell of a table with a zero cell, RD included; the Wald RD is
    # never corrected (0.5 can flip its sign), so zero-cell tables are compared for OR and RR
    for measure in ("OR", "RR", "RD"):
        for record in _records(f"escalc_{measure}"):
            a, n1, c, n2 = _table(record)
            if measure != "RD" or min(a, n1 - a, c, n2 - c) > 0:
                yield pytest.param(measure, record, id=f"{measure}-{a}/{n1}-{c}/{n2}")


@pytest.mark.parametrize("measure,escalc", list(_wald_cases()))
def test_wald_family_is_escalc(measure, escalc):
    yi, vi = escalc["value"]
    name = {"OR": "woolf", "RR": "katz", "RD": "wald"}[measure]
    estimate, low, high = _floats(binary_intervals(measure, *_table(escalc))[name])
    half = 1.959963984540054 * math.sqrt(vi)
    back = (lambda x: x) if measure == "RD" else math.exp
    np.testing.assert_allclose([estimate, low, high], [back(yi), back(yi - half),
                                                       back(yi + half)], rtol=1e-9)


def test_conditional_intervals_over_many_pairs_keep_the_corners():
    a = np.repeat(np.arange(10, 20), 10)
    c = np.tile(np.arange(5, 15), 10)
    rows = binary_intervals("OR", a, 60, c, 60, exact_limit=8)
    estimate, low, high = rows["conditional"]
    assert estimate.size == 4  # the first pair (itself a corner) and the other corners
    full = conditional_odds_ratio(a, 60, c, 60)
    assert float(low.min()) == pytest.approx(float(full[1].min()), rel=1e-9)
    assert float(high.max()) == pytest.approx(float(full[2].max()), rel=1e-9)


@pytest.mark.parametrize("method,block", [("pooled_t", "md_pooled_t"),
                                          ("welch_t", "md_welch_t")])
@pytest.mark.parametrize("index", range(3))
def test_mean_difference_intervals_match_t_test(method, block, index):
    record = _records(block)[index]
    got = md_intervals(*_summary(record))[method]
    np.testing.assert_allclose(_floats(got), record["value"], rtol=1e-9)


@pytest.mark.parametrize("record", _records("escalc_MD"), ids=str)
def test_normal_md_interval_is_escalc(record):
    yi, vi = record["value"]
    got = md_intervals(*_summary(record))["normal"]
    half = 1.959963984540054 * math.sqrt(vi)
    np.testing.assert_allclose(_floats(got), [yi, yi - half, yi + half], rtol=1e-9)


@pytest.mark.parametrize("vtype", ["LS", "LS2", "UB"])
@pytest.mark.parametrize("index", range(3))
def test_hedges_g_intervals_are_escalc(vtype, index):
    record = _records(f"escalc_SMD_{vtype}")[index]
    yi, vi = record["value"]
    got = smd_intervals(*_summary(record))[f"hedges_{vtype.lower()}"]
    half = 1.959963984540054 * math.sqrt(vi)
    np.testing.assert_allclose(_floats(got), [yi, yi - half, yi + half], rtol=1e-9)


def test_cohen_d_by_hand():
    # 10.0 (3.0) v 8.5 (2.8), n = 50 each (synthetic): s_p = sqrt((9 + 7.84) / 2) = 2.901724,
    # d = 1.5 / 2.901724 = 0.516933; v = 2/50 + 0.516933**2 / 200 = 0.041336,
    # d -+ 1.959964 * 0.203313 = 0.118448 to 0.915418
    got = smd_intervals(10.0, 3.0, 50, 8.5, 2.8, 50)["cohen_d"]
    np.testing.assert_allclose(_floats(got), [0.516933, 0.118448, 0.915418],
                               atol=2e-6)
