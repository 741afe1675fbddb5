"""The scipy.special shortcuts equal scipy.stats' distributions."""

import numpy as np
import pytest
from scipy import stats

from reanalyse.kernels import distributions as d

X = np.array([0.0, 0.5, 1.96, 3.7, 12.0])


@pytest.mark.parametrize("df", [1, 3.5, 28, 118])
def test_t(df):
    assert d.t_sf(X, df) == pytest.approx(stats.t.sf(X, df), rel=1e-12)
    assert d.t_cdf(-X, df) == pytest.approx(stats.t.cdf(-X, df), rel=1e-12)
    assert d.t_ppf(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-12)


def test_f_chi2_norm():
    assert d.f_sf(X, 2, 57) == pytest.approx(stats.f.sf(X, 2, 57), rel=1e-12)
    assert d.chi2_sf(X, 1) == pytest.approx(stats.chi2.sf(X, 1), rel=1e-12)
    assert d.norm_sf(X) == pytest.approx(stats.norm.sf(X), rel=1e-12)
    assert d.norm_cdf(-X) == pytest.approx(stats.norm.cdf(-X), rel=1e-12)
    assert d.norm_ppf(0.975) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)


def test_t_isf():
    assert d.t_isf(0.025, 60) == pytest.approx(stats.t.isf(0.025, 60), rel=1e-12)
    assert d.t_isf(np.array([0.05, 0.5, 0.975]), 7.5) == pytest.approx(
        stats.t.isf([0.05, 0.5, 0.975], 7.5), rel=1e-12)


def test_nct_sf_over_both_tails():
    # power-calculation values (critical t of 60 df, noncentralities up to 45 either way) and
    # extremes where scipy.special.nctdtr gives NaN and the answer is 0 or 1 to double precision
    x = np.array([-19.6, -2.0, 0.0, 1.2, 2.0003, 3.7, 12.7])[:, None, None]
    df = np.array([2, 6.5, 60, 398, 5000])[None, :, None]
    noncentrality = np.linspace(-45, 45, 181)[None, None, :]
    expected = stats.nct.sf(x, df, noncentrality)
    assert d.nct_sf(x, df, noncentrality) == pytest.approx(expected, rel=1e-12, abs=0)
    assert d.nct_sf(2.0, 60, 0.5) == pytest.approx(stats.nct.sf(2.0, 60, 0.5), rel=1e-12)
    assert np.isnan(d.nct_sf(np.nan, 60, 45.0))
