"""Pooling against metafor (rma, rma.mh, rma.peto, predict, confint) on metadat's real datasets.

Every expected value is recorded with its R call in tests/oracles/meta_oracles.json
(written by tests/oracles/make_meta_oracles.R).  Agreement is required to 1e-6 relative
(1e-10 absolute for values that are 0 in R, such as a truncated tau^2).  metafor's REML
stops when tau^2 changes by less than its threshold (1e-14 in most recorded calls); at a
maximum on the boundary it stops at a tiny positive tau^2 (about 1e-14) where the exact
estimate is 0, so I^2 = 100 tau^2 / (tau^2 + s^2), in percent, is compared to 1e-8 absolute.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import combine_effects

from meta_oracle_values import dataset, dataset_names, floats, records
from reanalyse.kernels import effect_sizes as es
from reanalyse.kernels.meta import (PooledEstimate, leave_one_out, pool, pool_mantel_haenszel,
                                    pool_peto)

RTOL, ATOL = 1e-6, 1e-10
COUNTS = ("treat_events", "treat_n", "control_events", "control_n")
MEANS = ("treat_mean", "treat_sd", "treat_n", "control_mean", "control_sd", "control_n")


def _close(actual, expected, what, call, atol=ATOL):
    if expected is None:        # NA in R
        assert actual is None or math.isnan(actual), f"{what}: R gives NA\n{call}"
        return
    assert actual == pytest.approx(expected, rel=RTOL, abs=atol), f"{what}\n{call}"


def _effects(record):
    data = dataset(record["dataset"])
    if data["kind"] == "precomputed":
        return floats(data["yi"]), floats(data["vi"])
    columns = COUNTS if data["kind"] == "binary" else MEANS
    options = {"zero_cells": record["zero_cells"]} if data["kind"] == "binary" else {}
    result = es.effect_sizes(record["measure"], **{c: floats(data[c]) for c in columns},
                             **options)
    return result.yi, result.vi


RMA = records("rma")


@pytest.mark.parametrize("record", RMA, ids=lambda r: f"{r['dataset']}-{r['measure']}-"
                         f"{r['method']}-{r['test']}")
def test_pool_agrees_with_rma(record):
    yi, vi = _effects(record)
    result = pool(yi, vi, method=record["method"], hksj=record["test"] == "knha")
    call = record["r_call"]
    assert result.k == record["k"]
    for ours, theirs in [("estimate", "beta"), ("se", "se"), ("statistic", "zval"),
                         ("pvalue", "pval"), ("ci_low", "ci_lb"), ("ci_high", "ci_ub"),
                         ("tau2", "tau2"), ("i2", "I2"), ("h2", "H2"), ("q", "QE"),
                         ("q_pvalue", "QEp")]:
        _close(getattr(result, ours), record[theirs], ours, call,
               atol=1e-8 if ours == "i2" else ATOL)
    np.testing.assert_allclose(result.weights[result.included], floats(record["weights"]),
                               rtol=RTOL, err_msg=record["weights_r_call"])
    _close(result.pi_low, record["predict_default"]["pi_lb"], "pi_low",
           record["predict_default"]["r_call"])
    _close(result.pi_high, record["predict_default"]["pi_ub"], "pi_high",
           record["predict_default"]["r_call"])
    if record["method"] != "FE":
        higgins = pool(yi, vi, method=record["method"], hksj=record["test"] == "knha",
                       prediction="higgins")
        riley = record["predict_riley"]
        _close(higgins.pi_low, riley["pi_lb"], "pi_low (t, k - 2)", riley["r_call"])
        _close(higgins.pi_high, riley["pi_ub"], "pi_high (t, k - 2)", riley["r_call"])
        confint = record["confint"]
        _close(result.tau2_ci_low, confint["tau2_lb"], "tau2_ci_low", confint["r_call"])
        _close(result.tau2_ci_high, confint["tau2_ub"], "tau2_ci_high", confint["r_call"])


MH = records("rma_mh")


@pytest.mark.parametrize("record", MH, ids=lambda r: f"{r['dataset']}-{r['measure']}")
def test_mantel_haenszel_agrees_with_rma_mh(record):
    data = dataset(record["dataset"])
    result = pool_mantel_haenszel(*(floats(data[c]) for c in COUNTS), measure=record["measure"])
    _check_fixed(result, record)


PETO = records("rma_peto")


@pytest.mark.parametrize("record", PETO, ids=lambda r: r["dataset"])
def test_peto_agrees_with_rma_peto(record):
    data = dataset(record["dataset"])
    _check_fixed(pool_peto(*(floats(data[c]) for c in COUNTS)), record)


def _check_fixed(result, record):
    call = record["r_call"]
    assert result.k == record["k"]
    assert result.q_df == record["k_yi"] - 1
    for ours, theirs in [("estimate", "beta"), ("se", "se"), ("statistic", "zval"),
                         ("pvalue", "pval"), ("ci_low", "ci_lb"), ("ci_high", "ci_ub"),
                         ("i2", "I2"), ("h2", "H2"), ("q", "QE"), ("q_pvalue", "QEp")]:
        _close(getattr(result, ours), record[theirs], ours, call)
    # tables with a missing count are left out, as R's na.omit
    np.testing.assert_allclose(result.weights[~np.isnan(result.weights)],
                               floats(record["weights"]), rtol=RTOL, atol=1e-12,
                               err_msg=record["weights_r_call"])


def test_oracles_cover_ten_real_datasets_and_every_estimator():
    assert len({r["dataset"] for r in RMA}) >= 10
    assert {(r["method"], r["test"]) for r in RMA} == {
        (m, t) for m in ("FE", "DL", "REML", "PM") for t in ("z", "knha")}
    assert {r["measure"] for r in MH} == {"OR", "RR", "RD"}
    assert len(PETO) == len(dataset_names("binary"))
    # the recorded datasets include zero cells (the conventions matter) and tau^2 = 0 fits
    assert any(r["tau2"] == 0 for r in RMA if r["method"] != "FE")


def test_dersimonian_laird_agrees_with_statsmodels():
    # an independent implementation: statsmodels' combine_effects (method_re="dl")
    data = dataset("normand1999")
    result = es.mean_difference(*(floats(data[c]) for c in MEANS))
    ours = pool(result.yi, result.vi, method="DL")
    theirs = combine_effects(result.yi, result.vi, method_re="dl")
    assert ours.estimate == pytest.approx(theirs.mean_effect_re, rel=1e-12)
    assert ours.tau2 == pytest.approx(theirs.tau2, rel=1e-12)
    assert ours.q == pytest.approx(theirs.q, rel=1e-12)
    # Paule-Mandel: statsmodels iterates the same Newton steps, to 1e-5 in Q by default
    paule_mandel = pool(result.yi, result.vi, method="PM")
    iterated = combine_effects(result.yi, result.vi, method_re="pm", atol=1e-13, maxiter=200)
    assert paule_mandel.tau2 == pytest.approx(iterated.tau2, rel=1e-10)


def test_leave_one_out_matches_pools_without_each_study():
    data = dataset("bcg")
    result = es.risk_ratio(*(floats(data[c]) for c in COUNTS))
    loo = leave_one_out(pool, result.yi, result.vi, method="DL")
    assert len(loo) == result.k and all(isinstance(r, PooledEstimate) for r in loo)
    for i in (0, 7):
        keep = np.arange(result.k) != i
        assert loo[i].estimate == pool(result.yi[keep], result.vi[keep], method="DL").estimate
        assert loo[i].k == result.k - 1
    counts = [floats(data[c]) for c in COUNTS]
    mh = leave_one_out(pool_mantel_haenszel, *counts, measure="RR")
    keep = np.arange(result.k) != 3
    assert mh[3].estimate == pool_mantel_haenszel(*(c[keep] for c in counts),
                                                  measure="RR").estimate


def test_rows_without_a_finite_effect_are_left_out_and_flagged():
    result = pool([0.1, np.nan, 0.3, 0.2], [0.04, 0.05, 0.02, 0.03], method="REML")
    assert result.k == 3 and result.included.tolist() == [True, False, True, True]
    assert math.isnan(result.weights[1])
    assert np.nansum(result.weights) == pytest.approx(100)


def test_one_study_and_bad_arguments():
    single = pool([0.5], [0.04], method="REML")
    # one study: the pool is the study (hand calculation: se = sqrt(0.04) = 0.2)
    assert single.estimate == 0.5 and single.se == pytest.approx(0.2)
    assert single.q == 0 and single.q_df == 0 and single.tau2 == 0
    with pytest.raises(ValueError, match="method"):
        pool([0.1, 0.2], [0.1, 0.1], method="SJ")
    with pytest.raises(ValueError, match="positive"):
        pool([0.1, 0.2], [0.1, 0.0])
    with pytest.raises(ValueError, match="no study"):
        pool([np.nan], [0.1])


def test_ratio_scale_and_dict():
    result = pool([math.log(0.5), math.log(0.8)], [0.1, 0.2], method="FE", measure="OR")
    ratio = result.exp()
    assert ratio["estimate"] == pytest.approx(math.exp(result.estimate))
    data = result.to_dict()
    assert data["pi_low"] is None and data["measure"] == "OR" and len(data["weights"]) == 2
    with pytest.raises(ValueError):
        pool([0.1, 0.2], [0.1, 0.1], measure="MD").exp()


_STUDIES = st.integers(2, 12).flatmap(lambda k: st.tuples(
    st.lists(st.floats(-3, 3), min_size=k, max_size=k),
    st.lists(st.floats(0.01, 2), min_size=k, max_size=k)))


@settings(max_examples=40, deadline=None)
@given(studies=_STUDIES, method=st.sampled_from(["FE", "DL", "REML", "PM"]),
       hksj=st.booleans(), shift=st.floats(-5, 5), scale=st.floats(0.2, 5),
       seed=st.integers(0, 2 ** 16))
def test_pool_is_equivariant_and_ignores_study_order(studies, method, hksj, shift, scale, seed):
    # synthetic effects: the pool of (a y + b, a^2 v) is a mu + b with tau^2 scaled by a^2,
    # and the same z, p, Q and I^2 (location-scale equivariance of every estimator here)
    yi, vi = np.array(studies[0]), np.array(studies[1])
    base = pool(yi, vi, method=method, hksj=hksj)
    order = np.random.default_rng(seed).permutation(yi.size)
    shuffled = pool(yi[order], vi[order], method=method, hksj=hksj)
    moved = pool(scale * yi + shift, scale ** 2 * vi, method=method, hksj=hksj)
    assert shuffled.estimate == pytest.approx(base.estimate, rel=1e-9, abs=1e-12)
    assert shuffled.tau2 == pytest.approx(base.tau2, rel=1e-7, abs=1e-12)
    assert np.allclose(shuffled.weights, base.weights[order], rtol=1e-7, atol=1e-10)
    assert moved.estimate == pytest.approx(scale * base.estimate + shift, rel=1e-8, abs=1e-9)
    assert moved.tau2 == pytest.approx(scale ** 2 * base.tau2, rel=1e-7, abs=1e-12)
    assert moved.q == pytest.approx(base.q, rel=1e-9, abs=1e-12)
    assert moved.i2 == pytest.approx(base.i2, rel=1e-6, abs=1e-8)
    assert moved.ci_high - moved.ci_low == pytest.approx(scale * (base.ci_high - base.ci_low),
                                                         rel=1e-7)
    assert base.ci_low <= base.estimate <= base.ci_high
    if method != "FE":
        assert base.tau2_ci_low <= base.tau2 <= base.tau2_ci_high
        assert base.pi_low <= base.ci_low and base.ci_high <= base.pi_high


@pytest.mark.parametrize("record", records("rma_synthetic"), ids=lambda r: r["case"])
def test_reml_where_fisher_scoring_swings(record):
    # metafor's default REML fit fails here ("did not converge"); with halved steps it
    # settles, and the bracketed search used here must find the same root
    assert record["default_fit_fails"]
    result = pool(floats(record["yi"]), floats(record["vi"]), method="REML")
    for ours, theirs in [("estimate", "beta"), ("se", "se"), ("tau2", "tau2"), ("i2", "I2")]:
        _close(getattr(result, ours), record[theirs], ours, record["r_call"])


def test_mantel_haenszel_without_control_events_is_undefined_not_an_error():
    # no control events anywhere: sum(c n1 / N) = 0, so the MH RR and its weights are
    # undefined (metafor's rma.mh gives NA), with no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = pool_mantel_haenszel([2, 1], [10, 10], [0, 0], [10, 12], measure="RR")
    assert math.isnan(result.estimate) and np.isnan(result.weights).all()
