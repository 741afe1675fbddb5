"""Binary claims at large arm sizes, and the direct 2 x 2 computations against independent ones.

Expected values come from scipy (``scipy.stats.chi2_contingency`` with and without Yates'
correction, ``scipy.stats.fisher_exact``) and from brute force in exact rational arithmetic
(Fisher's p as a sum of hypergeometric probabilities written with ``math.comb``; the fragility
indices by walking every table).
"""

import math
import textwrap
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from reanalyse.rebuild.binary import CountPairs, binary_tests
from reanalyse.claims.assess import check_file
from reanalyse.cli import main
from reanalyse.errors import ReanalyseError
from reanalyse.kernels import exact, twobytwo
from reanalyse.sensitivity import allowance, fragility
from reanalyse.sensitivity import fragility_index, smallest_count_difference

LARGE_STUDY = """
id: synthetic-large-trial
citation: "Synthetic study for the large-trial tests (no real trial)"
arms:
  - {id: treat, label: treatment, randomised: 100400}
  - {id: control, label: control, randomised: 100300}
outcomes:
  - id: event
    label: Event by one year
    type: binary
    arms:
      treat: {n: 100000, percent: 45.0}
      control: {n: 100000, events: 45500}
claims:
  - id: fewer-events
    outcome: event
    reported: {test: chi2, p: "0.03"}
    significant: true
"""


def _write(tmp_path, text, name="synthetic-large-trial"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_claim_at_100000_per_arm_completes_and_agrees_with_scipy(tmp_path):
    result = check_file(_write(tmp_path, LARGE_STUDY))
    claim = result.claims[0]
    specs = {spec.name: spec for spec in claim.specs}
    # 45.0% of 100,000 stands for [44.95, 45.05)%: 44,950..45,050 events; the printed pair is 45,000 vs 45,500.
    assert specs["pearson_chi2"].tables == 101
    table = [[45000, 55000], [45500, 54500]]
    for name, correction in (("pearson_chi2", False), ("yates_chi2", True)):
        expected = stats.chi2_contingency(table, correction=correction).pvalue
        assert specs[name].p == pytest.approx(expected, rel=1e-9)
    assert specs["z_pooled"].p == pytest.approx(
        stats.chi2_contingency(table, correction=False).pvalue, rel=1e-9)
    assert specs["fisher_exact"].p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)
    # the ends of Fisher's interval are those of the extreme pairs
    for events in (44950, 45050):
        p = stats.fisher_exact([[events, 100000 - events], [45500, 54500]]).pvalue
        assert specs["fisher_exact"].p_min <= p * (1 + 1e-9)
        assert specs["fisher_exact"].p_max >= p * (1 - 1e-9)
    assert "not computed" in specs["boschloo_exact"].note
    assert claim.verdict is not None
    sensitivity = claim.sensitivity.to_dict()
    assert sensitivity["fragility"]["computed"] is True


@pytest.mark.parametrize("arm_size, message", [
    (1_000_000_000, "more than 100,000,000"),     # refused by the study file's reader
    (50_000_000, "largest arm size"),            # read, then refused by the 2 x 2 kernel
])
def test_an_arm_too_large_stops_with_a_clear_message(tmp_path, capsys, arm_size, message):
    text = LARGE_STUDY.replace("100400", str(arm_size + 400)).replace(
        "n: 100000, percent: 45.0", f"n: {arm_size}, events: 450")
    path = _write(tmp_path, text)
    with pytest.raises(ReanalyseError, match=message):
        check_file(path)
    assert main(["check", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_too_many_count_pairs_stop_with_a_clear_message(tmp_path):
    text = (LARGE_STUDY.replace("100400", "9000400").replace("100300", "9000300")
            .replace("n: 100000, percent: 45.0", "n: 9000000, percent: 45.0")
            .replace("n: 100000, events: 45500", "n: 9000000, percent: 46.0"))
    with pytest.raises(ReanalyseError, match="count pairs"):
        check_file(_write(tmp_path, text))


def _fisher_brute(a, n1, c, n2, alternative):
    """Fisher's p in exact rational arithmetic."""
    s = a + c
    support = range(max(0, s - n2), min(s, n1) + 1)
    pmf = {k: Fraction(math.comb(n1, k) * math.comb(n2, s - k), math.comb(n1 + n2, s))
           for k in support}
    if alternative == "less":
        return float(sum(p for k, p in pmf.items() if k <= a))
    if alternative == "greater":
        return float(sum(p for k, p in pmf.items() if k >= a))
    return float(sum(p for p in pmf.values() if p <= pmf[a]))


@pytest.mark.parametrize("treat_n, control_n", [(1, 1), (6, 6), (9, 14), (25, 11)])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_direct_fisher_equals_exact_rational_fisher(treat_n, control_n, alternative):
    a, c = np.indices((treat_n + 1, control_n + 1))
    direct = twobytwo.fisher_exact_pvalues(a, treat_n, c, control_n, alternative)
    for i in range(treat_n + 1):
        for j in range(control_n + 1):
            assert direct[i, j] == pytest.approx(
                _fisher_brute(i, treat_n, j, control_n, alternative), rel=1e-10, abs=1e-300)


def test_closed_form_window_equals_scipy():
    window = twobytwo.pvalue_window("yates_chi2", 30, 40, [3, 10, 17], [0, 20, 39])
    for i, a in enumerate([3, 10, 17]):
        for j, c in enumerate([0, 20, 39]):
            expected = stats.chi2_contingency([[a, 30 - a], [c, 40 - c]]).pvalue
            assert window[i, j] == pytest.approx(expected, rel=1e-9)


def test_boschloo_over_pairs_equals_every_pair_searched():
    # 43% of 60 and of 61 allow several counts each; Boschloo's p at every pair, one search
    # each (boschloo_exact, statistic Fisher's two-sided p), against the check's three searches
    pairs = CountPairs(60, 61, (23, 24, 25, 26), (12, 13, 14), 25, 13)
    spec = {s.name: s for s in binary_tests(pairs, boschloo="always")}["boschloo_exact"]
    every = [exact.boschloo_exact(a, 60, c, 61, two_sided="fisher").pvalue
             for a in pairs.treat_events for c in pairs.control_events]
    assert spec.p_min == pytest.approx(min(every), rel=1e-9)
    assert spec.p_max == pytest.approx(max(every), rel=1e-9)
    assert spec.p == pytest.approx(exact.boschloo_exact(25, 60, 13, 61, two_sided="fisher")
                                   .pvalue, rel=1e-9)


def _brute_fragility(a, n1, c, n2, alpha, alternative):
    """Walsh's index and the any-arm index by testing every table (exact rationals)."""
    p = {(i, j): _fisher_brute(i, n1, j, n2, alternative)
         for i in range(n1 + 1) for j in range(n2 + 1)}
    significant = p[a, c] <= alpha
    lower = fragility._lower_arm(a, n1, c, n2, alternative)
    step = 1 if significant else -1
    walsh = None
    for k in range(1, max(n1, n2) + 1):
        table = (a + step * k, c) if lower == "treat" else (a, c + step * k)
        if table not in p:
            break
        if (p[table] <= alpha) != significant:
            walsh = k
            break
    distances = [abs(i - a) + abs(j - c) for (i, j), value in p.items()
                 if (value <= alpha) != significant]
    return walsh, min(distances) if distances else None


@pytest.mark.parametrize("table", [(1, 30, 9, 30), (15, 40, 6, 40), (3, 12, 9, 12),
                                   (2, 20, 8, 20), (12, 25, 4, 31), (0, 9, 0, 11)])
@pytest.mark.parametrize("alternative", ["two-sided", "less"])
def test_restricted_fragility_search_equals_brute_force(monkeypatch, table, alternative):
    expected = _brute_fragility(*table, 0.05, alternative)
    monkeypatch.setattr(fragility, "MAX_MATRIX_TABLES", 0)      # force the restricted search
    result = fragility_index(*table, alternative=alternative)
    assert result.search_limit is None
    assert (result.index, result.index_any_arm) == expected


@pytest.mark.parametrize("treat_n, control_n", [(20, 20), (15, 24)])
def test_restricted_count_difference_equals_scipy_over_every_table(monkeypatch, treat_n,
                                                                   control_n):
    def scipy_p(test, a, c):
        table = [[a, treat_n - a], [c, control_n - c]]
        if a + c in (0, treat_n + control_n):
            return 1.0
        if test == "fisher_exact":
            return stats.fisher_exact(table).pvalue
        return stats.chi2_contingency(table, correction=test == "yates_chi2").pvalue

    expected = {}
    for test in ("pearson_chi2", "yates_chi2", "fisher_exact"):
        needed = []
        for c in range(control_n + 1):
            gaps = [abs(a / treat_n - c / control_n) for a in range(treat_n + 1)
                    if scipy_p(test, a, c) <= 0.05 * (1 + 1e-9)]
            needed.append(round(min(gaps), 12) if gaps else None)
        expected[test] = needed
    monkeypatch.setattr(allowance, "MAX_MATRIX_TABLES", 0)
    monkeypatch.setattr(allowance, "SEARCHED_CONTROL_COUNTS", control_n + 1)
    smallest_count_difference.cache_clear()
    try:
        result = smallest_count_difference(treat_n, control_n)
    finally:
        smallest_count_difference.cache_clear()
    for test, needed in expected.items():
        entry = result.test(test)
        assert entry.control_counts == tuple(range(control_n + 1))
        assert [None if x is None else pytest.approx(x, abs=1e-9) for x in entry.needed] == needed
