"""Effect sizes against metafor's escalc on metadat's real datasets.

Expected values: tests/oracles/meta_oracles.json, each with its R call."""

import math

import numpy as np
import pytest

from meta_oracle_values import dataset, floats, records
from reanalyse.kernels import effect_sizes as es

ESCALC = records("escalc")


def _compute(record):
    data = dataset(record["dataset"])
    options = {"vtype": record["vtype"]} if record["measure"] in ("MD", "SMD", "RD") else {}
    if data["kind"] == "binary":
        options["zero_cells"] = record["zero_cells"]
        columns = ("treat_events", "treat_n", "control_events", "control_n")
    else:
        columns = ("treat_mean", "treat_sd", "treat_n", "control_mean", "control_sd", "control_n")
    return es.effect_sizes(record["measure"], **{name: floats(data[name]) for name in columns},
                           **options)


@pytest.mark.parametrize("record", ESCALC, ids=lambda r: f"{r['dataset']}-{r['measure']}-"
                         f"{r['zero_cells']}-{r['vtype']}")
def test_agrees_with_escalc(record):
    result = _compute(record)
    expected_yi, expected_vi = floats(record["yi"]), floats(record["vi"])
    # escalc's NA (a table left out) is NaN here, at the same positions
    np.testing.assert_array_equal(np.isnan(result.yi), np.isnan(expected_yi), record["r_call"])
    np.testing.assert_allclose(result.yi, expected_yi, rtol=1e-10, atol=1e-15,
                               err_msg=record["r_call"])
    np.testing.assert_allclose(result.vi, expected_vi, rtol=1e-10, atol=1e-15,
                               err_msg=record["r_call"])


def test_oracle_covers_every_measure_and_convention():
    seen = {(r["measure"], r["zero_cells"], r["vtype"]) for r in ESCALC}
    for measure in ("OR", "RR", "RD"):
        assert {(measure, "revman", "LS"), (measure, "metafor", "LS")} <= seen
    assert {("SMD", None, v) for v in ("LS", "LS2", "UB", "AV")} <= seen
    assert {("MD", None, "LS"), ("MD", None, "HO"), ("RD", "revman", "UB"),
            ("RD", "revman", "AV")} <= seen
    assert len({r["dataset"] for r in ESCALC}) >= 10


def test_zero_cell_conventions_by_hand():
    # tables: [0/10 v 0/12] (no events), [0/10 v 3/12], [10/10 v 12/12] (all events), [2/10 v 3/12]
    args = ([0, 0, 10, 2], [10, 10, 10, 10], [0, 3, 12, 3], [12, 12, 12, 12])
    revman = es.odds_ratio(*args, zero_cells="revman")
    assert revman.dropped.tolist() == [True, False, True, False]
    assert revman.corrected.tolist() == [False, True, False, False]
    # second table corrected: (0.5 * 9.5) / (10.5 * 3.5)
    assert revman.yi[1] == pytest.approx(math.log(0.5 * 9.5 / (10.5 * 3.5)))
    assert revman.vi[1] == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 3.5 + 1 / 9.5)
    assert revman.yi[3] == pytest.approx(math.log(2 * 9 / (8 * 3)))
    metafor = es.odds_ratio(*args, zero_cells="metafor")
    assert metafor.dropped.tolist() == [False] * 4
    assert metafor.corrected.tolist() == [True, True, True, False]
    # a double-zero table kept with 0.5 added: OR = (0.5 * 12.5) / (10.5 * 0.5)
    assert metafor.yi[0] == pytest.approx(math.log(0.5 * 12.5 / (10.5 * 0.5)))
    none = es.odds_ratio(*args, zero_cells="none")
    assert np.isinf(none.yi[1]) and not none.corrected.any()


def test_risk_difference_sign_can_change_with_correction():
    # 0/1 v 1/30: RD -0.0333 uncorrected; corrected 0.5/2 - 1.5/31 = +0.2016
    plain = es.risk_difference([0], [1], [1], [30], zero_cells="none")
    corrected = es.risk_difference([0], [1], [1], [30], zero_cells="revman")
    assert plain.yi[0] == pytest.approx(-1 / 30)
    assert corrected.yi[0] == pytest.approx(0.5 / 2 - 1.5 / 31)


def test_hedges_correction_exact_and_finite_for_large_df():
    # J(m) for m = 10 by hand: Gamma(5) / (sqrt(5) Gamma(4.5)) = 24 / (sqrt(5) * 11.631728...)
    assert es.hedges_correction(10.0) == pytest.approx(24 / (math.sqrt(5) * math.gamma(4.5)))
    assert np.isfinite(es.hedges_correction(1e7))
    assert np.isnan(es.hedges_correction(1.0))


def test_confidence_interval_is_woolf():
    # 15/60 v 26/60: log OR = log(15 * 34 / (45 * 26)); Woolf SE sqrt(1/15 + 1/45 + 1/26 + 1/34)
    result = es.odds_ratio(15, 60, 26, 60)
    low, high = result.confidence_interval(0.95)
    se = math.sqrt(1 / 15 + 1 / 45 + 1 / 26 + 1 / 34)
    centre = math.log(15 * 34 / (45 * 26))
    assert low[0] == pytest.approx(centre - 1.959963984540054 * se)
    assert high[0] == pytest.approx(centre + 1.959963984540054 * se)


@pytest.mark.parametrize("args, problem", [
    (([5], [4], [1], [10]), "exceed"),
    (([-1], [4], [1], [10]), "negative"),
    (([1], [0], [1], [10]), "n > 0"),
])
def test_bad_counts_are_named(args, problem):
    with pytest.raises(es.EffectSizeError, match=problem) as caught:
        es.risk_ratio(*args)
    assert caught.value.rows == (0,)


def test_negative_sd_refused_and_options_checked():
    with pytest.raises(es.EffectSizeError, match="negative"):
        es.mean_difference([1, 2], [1, -1], [10, 10], [1, 1], [1, 1], [10, 10])
    with pytest.raises(ValueError, match="vtype"):
        es.standardised_mean_difference(1, 1, 10, 0, 1, 10, vtype="HO")
    with pytest.raises(ValueError, match="zero_cells"):
        es.odds_ratio(1, 10, 1, 10, zero_cells="cochrane")
    with pytest.raises(ValueError, match="measure"):
        es.effect_sizes("HR", treat_events=1)


def test_result_is_frozen_and_serialisable():
    result = es.odds_ratio([0, 2], [10, 10], [0, 3], [12, 12])
    with pytest.raises(ValueError):
        result.yi[0] = 1.0
    data = result.to_dict()
    assert data["yi"][0] is None and data["dropped"] == [True, False]
