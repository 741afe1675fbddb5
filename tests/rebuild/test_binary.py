"""Binary tests rebuilt from counts or percentages, against R (tests/oracles/r_oracles.json)."""

from fractions import Fraction

import numpy as np
import pytest

from oracle_values import r_oracle
from reanalyse.rebuild.binary import (CountPairs, binary_tests, feasible_events, risk_effects,
                              two_proportion_chi2, two_proportion_z)
from reanalyse.kernels.printed import Rounding, parse_number
from reanalyse.model.study import BinaryArm

ALTERNATIVES = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


def pairs_of(treat_events, treat_n, control_events, control_n):
    return CountPairs.from_arms(treat_n, treat_events, None, control_n, control_events, None)


def spec(results, name):
    return next(result for result in results if result.name == name)


@pytest.mark.parametrize("case", r_oracle("two_by_two", test="chisq_pearson"),
                         ids=lambda c: c["case"])
def test_pearson_chi_square_matches_r(case):
    results = binary_tests(pairs_of(case["treat_events"], case["treat_n"],
                                    case["control_events"], case["control_n"]), boschloo="never")
    pearson = spec(results, "pearson_chi2")
    if case["p_value"] is None or case["p_value"] != case["p_value"]:  # R: NaN (a zero margin)
        assert pearson.p == 1.0
        return
    assert pearson.statistic == pytest.approx(case["statistic"], rel=1e-9), case["r_call"]
    assert pearson.p == pytest.approx(case["p_value"], rel=1e-9), case["r_call"]
    # the pooled z-test's two-sided p equals Pearson's (prop.test(correct = FALSE))
    assert spec(results, "z_pooled").p == pytest.approx(case["p_value"], rel=1e-9)


@pytest.mark.parametrize("case", r_oracle("two_by_two", test="chisq_yates"),
                         ids=lambda c: c["case"])
def test_yates_chi_square_matches_r(case):
    results = binary_tests(pairs_of(case["treat_events"], case["treat_n"],
                                    case["control_events"], case["control_n"]), boschloo="never")
    yates = spec(results, "yates_chi2")
    if case["p_value"] is None or case["p_value"] != case["p_value"]:
        assert yates.p == 1.0
        return
    # R's statistic can be an exact 0 where ours is ~1e-33: compare with an absolute tolerance
    assert yates.statistic == pytest.approx(case["statistic"], rel=1e-9, abs=1e-12), case["r_call"]
    assert yates.p == pytest.approx(case["p_value"], rel=1e-9), case["r_call"]


@pytest.mark.parametrize("case", r_oracle("two_by_two", test="fisher"),
                         ids=lambda c: f"{c['case']}-{c['alternative']}")
def test_fisher_matches_r(case):
    results = binary_tests(pairs_of(case["treat_events"], case["treat_n"],
                                    case["control_events"], case["control_n"]),
                           alternative=ALTERNATIVES[case["alternative"]], boschloo="never")
    assert spec(results, "fisher_exact").p == pytest.approx(case["p_value"], rel=1e-7), \
        case["r_call"]


@pytest.mark.parametrize("case", [c for c in r_oracle("escalc") if c["measure"] in ("OR", "RR", "RD")
                                  and c["variant"] == "default"],
                         ids=lambda c: f"{c['case']}-{c['measure']}")
def test_risk_effects_match_metafor(case):
    rd, rr, odds = risk_effects(case["treat_events"], case["treat_n"], case["control_events"],
                                case["control_n"])
    effect = {"RD": rd, "RR": rr, "OR": odds}[case["measure"]]
    if case["measure"] == "RD" and case["has_zero_cell"]:
        # metafor adds 1/2 to every cell for RD too (which can flip its sign); we never correct
        # RD, so compare with the raw proportions instead: a hand calculation.
        raw = case["treat_events"] / case["treat_n"] - case["control_events"] / case["control_n"]
        assert effect.estimate == pytest.approx(raw, rel=1e-12)
        return
    expected = case["yi"] if case["measure"] == "RD" else np.exp(case["yi"])
    assert effect.estimate == pytest.approx(expected, rel=1e-9), case["r_call"]
    assert (effect.ci_low, effect.ci_high) == pytest.approx(
        (case["conf_low"], case["conf_high"]), rel=1e-9), case["r_call"]


@pytest.mark.parametrize("n, percent, expected", [
    (60, "43.3", [26]),            # 26/60 = 43.33%
    (60, "25", [15]),              # 15/60 = 25%
    (60, "43", [26]),              # 25/60 = 41.7, 26/60 = 43.3: only 26 rounds to 43
    (7, "50", []),                 # 3/7 = 42.9%, 4/7 = 57.1%: no count gives 50%
    (200, "43", [85, 86, 87]),     # 42.5% (tie: either way), 43.0%, 43.5% (tie)
    (31, "0", [0]),
    (31, "100", [31]),
])
def test_feasible_counts(n, percent, expected):
    assert list(feasible_events(n, parse_number(percent), "nearest")) == expected


def test_tie_handling_depends_on_the_rounding_convention():
    # 85/200 = 42.5% and 87/200 = 43.5% are ties; half-even rounds both to even (42, 44)
    assert list(feasible_events(200, parse_number("43"), "half_even")) == [86]
    assert list(feasible_events(200, parse_number("43"), "half_up")) == [85, 86]


@pytest.mark.parametrize("rounding", list(Rounding))
def test_feasible_counts_by_enumeration(rounding):
    # Every k in 0..n, its exact percentage 100 k / n as a fraction, kept when the printed
    # number's exact interval (ends included as the convention says) holds it.
    for n in (1, 3, 7, 30, 61, 200):
        for percent in ("0", "12.5", "33.3", "33.33", "43", "50", "66.7", "99.9", "100"):
            number = parse_number(percent)
            low, high, low_closed, high_closed = number.bounds_exact(rounding)
            exact = [Fraction(100 * k, n) for k in range(n + 1)]
            expected = [k for k, x in enumerate(exact)
                        if (low < x or low_closed and low == x)
                        and (x < high or high_closed and high == x)]
            assert list(feasible_events(n, number, rounding)) == expected, (n, percent)


def test_every_feasible_pair_is_evaluated():
    # "43%" of 200 admits 85, 86 or 87 events; 25/60 is printed exactly
    pairs = CountPairs.from_arms(200, None, parse_number("43"), 60, 25, None, rounding="nearest")
    results = binary_tests(pairs, boschloo="never")
    assert all(result.tables == 3 for result in results)
    pearson = spec(results, "pearson_chi2")
    assert pearson.p_min <= pearson.p <= pearson.p_max and pearson.p_min < pearson.p_max


def test_boschloo_is_never_above_fisher_and_skipping_says_so():
    pairs = pairs_of(3, 31, 11, 31)   # Fisher's p about 0.03: at or below alpha
    results = binary_tests(pairs)
    boschloo, fisher = spec(results, "boschloo_exact"), spec(results, "fisher_exact")
    assert boschloo.p is None and "not computed" in boschloo.note
    assert boschloo.p_max == fisher.p and boschloo.significant is True
    computed = spec(binary_tests(pairs, boschloo="always"), "boschloo_exact")
    assert computed.p <= fisher.p


@pytest.mark.parametrize("test, correction", [("chisq_pearson", False), ("chisq_yates", True)])
def test_vectorised_chi_square_over_every_oracle_table_at_once(test, correction):
    cases = [c for c in r_oracle("two_by_two", test=test) if c["p_value"] == c["p_value"]
             and c["p_value"] is not None]
    columns = {key: np.array([case[key] for case in cases])
               for key in ("treat_events", "treat_n", "control_events", "control_n")}
    statistic, p = two_proportion_chi2(columns["treat_events"], columns["treat_n"],
                                       columns["control_events"], columns["control_n"],
                                       correction=correction)
    # R: chisq.test(m, correct = FALSE / TRUE), one call per table (r_call of each record)
    assert statistic == pytest.approx([case["statistic"] for case in cases], rel=1e-9,
                                      abs=1e-12)
    assert p == pytest.approx([case["p_value"] for case in cases], rel=1e-9)


@pytest.mark.parametrize("table, correction, alternative, expected", [
    # R: prop.test(x = c(15, 26), n = c(60, 60), alternative = "less", correct = FALSE)
    ((15, 60, 26, 60), False, "less", (4.482865081815375, 0.017118140942892)),
    # R: prop.test(x = c(15, 26), n = c(60, 60), alternative = "less", correct = TRUE)
    ((15, 60, 26, 60), True, "less", (3.7048471750540291, 0.0271273198531412)),
    # R: prop.test(x = c(7, 2), n = c(12, 12), alternative = "greater", correct = TRUE)
    ((7, 12, 2, 12), True, "greater", (2.8444444444444441, 0.0458451407747146)),
])
def test_one_sided_chi_square_is_the_signed_root_as_prop_test(table, correction, alternative,
                                                               expected):
    statistic, p = two_proportion_chi2(*table, correction=correction, alternative=alternative)
    assert (statistic, p) == pytest.approx(expected, rel=1e-9)


def test_pooled_z_over_arrays_of_tables():
    # R: prop.test(x = c(15, 26), n = c(60, 60), alternative = "less", correct = FALSE):
    #   X-squared = 4.482865, p = 0.01711814, and z is minus its root (fewer treat events);
    #   prop.test(x = c(7, 2), n = c(12, 12), alternative = "greater", correct = FALSE):
    #   X-squared = 4.444444, p = 0.01750749, so against "less" p = 1 - 0.01750749
    z, p = two_proportion_z(np.array([15, 7]), np.array([60, 12]), np.array([26, 2]),
                            np.array([60, 12]), alternative="less")
    assert z == pytest.approx([-np.sqrt(4.482865081815375), np.sqrt(4.4444444444444446)],
                              rel=1e-12)
    assert p[0] == pytest.approx(0.017118140942892, rel=1e-9)
    assert p[1] == pytest.approx(1 - 0.0175074905098313, rel=1e-9)


def test_tables_without_variation_have_p_one():
    # 0/10 vs 0/12 and 10/10 vs 12/12: no events or no non-events at all, nothing to test
    for alternative in ("two-sided", "greater", "less"):
        z, p = two_proportion_z(np.array([0, 10]), 10, np.array([0, 12]), 12,
                                alternative=alternative)
        assert list(z) == [0.0, 0.0] and list(p) == [1.0, 1.0]
    statistic, p = two_proportion_chi2(np.array([0, 10]), 10, np.array([0, 12]), 12,
                                       correction=True)
    assert list(statistic) == [0.0, 0.0] and list(p) == [1.0, 1.0]


def test_unknown_alternative_is_refused():
    with pytest.raises(ValueError, match="alternative"):
        two_proportion_z(3, 10, 5, 10, alternative="two.sided")


def test_binary_arm_read_under_another_rounding():
    # "43" % of 200: 85/200 = 42.5% and 87/200 = 43.5% are ties that half-even rounding sends
    # to 42 and 44, so only 86 remains (hand calculation, as in the tie test above).  The arm
    # keeps the printed text; the convention is an argument of whatever reads it.
    arm = BinaryArm(200, percent=parse_number("43"))
    assert arm.percent.text == "43"
    assert list(feasible_events(arm.n, arm.percent, Rounding.HALF_EVEN)) == [86]
    pairs = CountPairs.from_summaries(arm, BinaryArm(200, events=86), "half_even")
    assert pairs.treat_events == (86,) and pairs.control_events == (86,)


def test_two_sided_boschloo_uses_fishers_p_as_statistic_so_it_never_exceeds_fisher():
    # 14/15 vs 5/9.  Fisher's two-sided p, by exact enumeration of the hypergeometric
    # tables with 19 events: R fisher.test(matrix(c(14, 1, 5, 4), 2, byrow = TRUE))$p.value
    # = 0.04743.  scipy.stats.boschloo_exact (doubled one-sided p) gives 0.0537 for the same
    # table, above alpha; a Boschloo p above Fisher's would make the when_needed policy (skip
    # Boschloo where Fisher is significant) wrong.
    specs = {spec.name: spec for spec in binary_tests(
        pairs_of(14, 15, 5, 9), boschloo="always")}
    assert specs["fisher_exact"].p == pytest.approx(0.04743083, rel=1e-6)
    assert specs["boschloo_exact"].p <= specs["fisher_exact"].p
    assert specs["boschloo_exact"].significant is True
