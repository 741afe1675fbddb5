"""The scipy.special shortcuts equal scipy.stats' distributions."""

import numpy as np
import pytest
from scipy import stats

from reanalyse import distributions as d

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
