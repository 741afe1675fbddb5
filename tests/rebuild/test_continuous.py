"""Continuous tests rebuilt from summaries, against R (tests/oracles/r_oracles.json).

Each R value was computed from raw data built to have exactly the printed mean and SD
(``x <- m + s * as.numeric(scale(seq_len(n))))``); the R call is in each record's ``r_call``
and is shown in failure messages.
"""

import itertools

import numpy as np
import pytest
from scipy import stats

from oracle_values import r_oracle
from reanalyse.rebuild.continuous import ArmBox, hedges_g, k_sample_tests, mean_difference, \
    two_sample_tests


def point(n, mean, sd):
    """An arm with no rounding: the box is a single point."""
    return ArmBox(n, mean, mean, mean, sd, sd, sd)


T_CASES = r_oracle("t_two_sample")
ALTERNATIVES = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


@pytest.mark.parametrize("case", T_CASES, ids=lambda c: f"{c['case']}-{c['method']}-{c['alternative']}")
def test_t_tests_match_r(case):
    treat = point(case["treat_n"], case["treat_mean"], case["treat_sd"])
    control = point(case["control_n"], case["control_mean"], case["control_sd"])
    student, welch = two_sample_tests(treat, control,
                                      alternative=ALTERNATIVES[case["alternative"]])
    spec = student if case["method"] == "student" else welch
    assert spec.statistic == pytest.approx(case["statistic"], rel=1e-9), case["r_call"]
    assert spec.df[0] == pytest.approx(case["df"], rel=1e-9), case["r_call"]
    assert spec.p == pytest.approx(case["p_value"], rel=1e-7), case["r_call"]
    if case["alternative"] == "two.sided":
        effect = mean_difference(treat, control, equal_var=case["method"] == "student")
        assert (effect.ci_low, effect.ci_high) == pytest.approx(
            (case["conf_low"], case["conf_high"]), rel=1e-9), case["r_call"]


@pytest.mark.parametrize("case", r_oracle("oneway"), ids=lambda c: f"{c['case']}-{c['method']}")
def test_anova_matches_r_oneway_test(case):
    arms = tuple(point(g["n"], g["mean"], g["sd"]) for g in case["groups"])
    anova, welch = k_sample_tests(arms)
    spec = anova if case["method"] == "fisher_anova" else welch
    assert spec.statistic == pytest.approx(case["statistic"], rel=1e-9), case["r_call"]
    assert spec.df[1] == pytest.approx(case["df_den"], rel=1e-9), case["r_call"]
    assert spec.p == pytest.approx(case["p_value"], rel=1e-7), case["r_call"]


@pytest.mark.parametrize("case", r_oracle("escalc", measure="SMD"), ids=lambda c: c["case"])
def test_hedges_g_matches_metafor(case):
    g = hedges_g(point(case["treat_n"], case["treat_mean"], case["treat_sd"]),
                 point(case["control_n"], case["control_mean"], case["control_sd"]))
    assert g.estimate == pytest.approx(case["yi"], rel=1e-9), case["r_call"]
    assert (g.ci_low, g.ci_high) == pytest.approx((case["conf_low"], case["conf_high"]),
                                                  rel=1e-9), case["r_call"]


def box(n, mean, sd, half_mean=0.005, half_sd=0.005):
    return ArmBox(n, mean, mean - half_mean, mean + half_mean, sd, sd - half_sd, sd + half_sd)


def brute_force_p(treat, control, equal_var, alternative="two-sided", points=7):
    """p over a dense grid of the rounding box, with scipy's ttest_ind_from_stats."""
    grid = itertools.product(np.linspace(treat.mean_low, treat.mean_high, points),
                             np.linspace(treat.sd_low, treat.sd_high, points),
                             np.linspace(control.mean_low, control.mean_high, points),
                             np.linspace(control.sd_low, control.sd_high, points))
    return np.array([stats.ttest_ind_from_stats(m1, s1, treat.n, m2, s2, control.n,
                                                equal_var=equal_var,
                                                alternative=alternative).pvalue
                     for m1, s1, m2, s2 in grid])


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_rounding_box_extremes_bound_a_brute_force_grid(alternative):
    # Means printed to 1 decimal, SDs to 2; small n so the box matters.
    treat, control = box(12, 5.1, 1.30, 0.05), box(9, 4.2, 2.90, 0.05)
    student, welch = two_sample_tests(treat, control, alternative=alternative)
    for spec, equal_var in ((student, True), (welch, False)):
        grid = brute_force_p(treat, control, equal_var, alternative)
        assert spec.p_min <= grid.min() * (1 + 1e-9)
        assert spec.p_max >= grid.max() * (1 - 1e-9)
        # the extremes are attained at grid vertices, so they are not loose either
        assert spec.p_min == pytest.approx(grid.min(), rel=1e-6)
        assert spec.p_max == pytest.approx(grid.max(), rel=1e-6)


def test_overlapping_mean_intervals_give_p_max_of_one():
    # printed means 4.2 and 4.2 (1 decimal): the true difference can be 0, so t = 0, p = 1
    student, welch = two_sample_tests(box(20, 4.2, 1.0, 0.05), box(20, 4.2, 1.0, 0.05))
    assert student.p_max == pytest.approx(1.0) and welch.p_max == pytest.approx(1.0)


def test_anova_box_minimum_is_exact_against_brute_force():
    arms = (box(15, 10.0, 2.0, 0.05), box(15, 10.4, 2.2, 0.05), box(15, 11.2, 2.1, 0.05))
    anova, _ = k_sample_tests(arms)
    grid = itertools.product(*[np.linspace(a.mean_low, a.mean_high, 9) for a in arms])
    ssw_high = sum((a.n - 1) * a.sd_high**2 for a in arms)
    ssw_low = sum((a.n - 1) * a.sd_low**2 for a in arms)
    n = np.array([a.n for a in arms])
    f_values = []
    for means in grid:
        means = np.array(means)
        ssb = n @ (means - means @ n / n.sum()) ** 2
        f_values.append((ssb / 2, ssb))
    ssb = np.array([v[1] for v in f_values])
    df2 = n.sum() - 3
    grid_p_max = stats.f.sf((ssb.min() / 2) / (ssw_high / df2), 2, df2)
    grid_p_min = stats.f.sf((ssb.max() / 2) / (ssw_low / df2), 2, df2)
    assert anova.p_max >= grid_p_max * (1 - 1e-9)
    assert anova.p_min == pytest.approx(grid_p_min, rel=1e-9)


def test_sd_from_a_standard_error_and_from_a_ci():
    from reanalyse.kernels.printed import parse_number
    from reanalyse.model.study import ContinuousArm

    # SE 0.50 with n = 25: SD = 0.50 * 5 = 2.5, over [0.495, 0.505] * 5 = [2.475, 2.525]
    arm = ContinuousArm(n=25, mean=parse_number("10.0"), se=parse_number("0.50"))
    assert arm.sd_bounds("nearest") == pytest.approx((2.5, 2.475, 2.525))
    # 95% CI 9.0 to 11.0 with n = 16: SD = (11 - 9) / (2 * qt(0.975, 15)) * 4, and
    # R: qt(0.975, 15) = 2.131450, so SD = 1.876654; the mean is the CI's midpoint, 10.0
    arm = ContinuousArm(n=16, ci=(parse_number("9.0"), parse_number("11.0")))
    assert arm.sd_bounds("nearest")[0] == pytest.approx(2 / (2 * 2.131450) * 4, rel=1e-6)
    assert arm.mean_bounds("nearest")[0] == pytest.approx(10.0)
    # rounding: the ends are [8.95, 9.05] and [10.95, 11.05], so the width is 1.9 to 2.1
    assert arm.sd_bounds("nearest")[1:] == pytest.approx((1.9 / (2 * 2.131450) * 4,
                                                  2.1 / (2 * 2.131450) * 4), rel=1e-6)
