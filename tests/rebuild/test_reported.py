"""p from a printed statistic or CI: against R's distribution functions and statcheck 1.4.0."""

import pytest
from scipy.stats import norm

from oracle_values import r_oracle
from reanalyse.kernels.printed import parse_number, parse_p
from reanalyse.rebuild.reported import ci_estimate_z, ci_p, statistic_p
from reanalyse.model.study import Estimate

R_KIND = {"t": "t", "F": "F", "chisq": "chi2", "z": "z", "r": "r"}


def printed_df(*values):
    return tuple(parse_number(str(int(v))) for v in values if v is not None)


@pytest.mark.parametrize("case", [c for c in r_oracle("p_from_statistic") if c["kind"] in R_KIND],
                         ids=lambda c: c["r_call"])
def test_p_from_statistic_matches_r(case):
    # statistic_p's p is at the printed value; a printed "2.2" is exactly 2.2 at its centre
    family = R_KIND[case["kind"]]
    statistic = parse_number(repr(case["statistic"]))
    df = printed_df(case["df1"], case["df2"]) if family == "F" else printed_df(case["df1"])
    result = statistic_p(family, statistic, df, rounding="nearest")
    assert result.p == pytest.approx(case["p_value"], rel=1e-9), case["r_call"]


def statcheck_cases():
    for case in r_oracle("statcheck"):
        for result in case["results"]:
            if result["test_type"] in ("t", "F", "Chi2", "r", "Z") and case["options"] == "default" \
                    and not result["one_tailed_in_txt"]:
                yield pytest.param(result, id=result["raw"])


STATCHECK_FAMILY = {"t": "t", "F": "F", "Chi2": "chi2", "r": "r", "Z": "z"}


@pytest.mark.parametrize("result", list(statcheck_cases()))
def test_consistency_agrees_with_statcheck(result):
    """statcheck's ``error`` flag: the printed p cannot come from the printed statistic."""
    family = STATCHECK_FAMILY[result["test_type"]]
    raw = result["raw"]
    statistic_text = raw.rsplit(", p", 1)[0].rsplit("=", 1)[1].strip()
    df = {"t": (result["df2"],), "r": (result["df2"],), "chi2": (result["df1"],),
          "F": (result["df1"], result["df2"]), "z": ()}[family]
    spec = statistic_p(family, parse_number(statistic_text), printed_df(*df),
                       rounding="nearest")
    p_text = f"{result['p_comp']} {raw.rsplit(result['p_comp'], 1)[1].strip()}"
    printed_p = parse_p(p_text)
    consistent = printed_p.consistent_with(spec.p_min, spec.p_max, 0.05, "nearest")
    if printed_p.is_zero:
        # documented difference: statcheck calls p = .000 an error; we read it as p < .0005
        assert result["error"] is True
        return
    assert consistent is (not result["error"]), (raw, spec.p_min, spec.p_max)
    # statcheck's decision error: an inconsistent p whose decision differs from that of the p
    # recomputed at the printed statistic (the verdicts use the whole rounding interval instead)
    decision_error = not consistent and printed_p.significant(0.05) is not None \
        and printed_p.significant(0.05) != (spec.p <= 0.05)
    assert decision_error is result["decision_error"], raw


def test_ci_implied_p_for_the_raisi_dehkordi_odds_ratio():
    # Hand calculation (Altman & Bland 2011): log(0.2) = -1.6094, log(0.94) = -0.0619;
    # SE = (-0.0619 + 1.6094) / (2 * 1.95996) = 0.39478; centre = -0.83565;
    # z = 2.1167; p = 2 * pnorm(-2.1167) = 0.0343.
    estimate = Estimate("OR", parse_number("0.5"), (parse_number("0.2"), parse_number("0.94")))
    spec = ci_p(estimate, rounding="nearest")
    assert spec.p == pytest.approx(0.0343, abs=5e-5)
    # rounding: 0.2 is [0.15, 0.25], 0.94 is [0.935, 0.945]; from the centre p stays
    # within 0.0308 to 0.0375, significant; the printed p 0.003 is outside
    assert spec.significant is True
    assert spec.p_min == pytest.approx(0.0308, abs=5e-5)
    assert spec.p_max == pytest.approx(0.0375, abs=5e-5)
    assert not parse_p("0.003").consistent_with(*spec.p_span, 0.05, "nearest")
    # From the printed 0.5 with the interval's width (Altman & Bland 2011): z = log(0.5) /
    # 0.39478 = -1.7558, p = 2 * pnorm(-1.7558) = 0.0791; the printed 0.5 is not the centre
    # (0.43), and both ways are spanned by the spec's range
    (z_printed, *_) = ci_estimate_z(estimate, "nearest")
    assert 2 * norm.sf(abs(z_printed)) == pytest.approx(0.0791, abs=5e-5)
    # that second reading is kept apart (it judges a printed p, never the significance),
    # and the range a printed p is judged against spans both
    low, high = spec.p_other
    assert low < 0.0308 and high > 0.0791
    assert spec.p_span == (low, high)
    assert "from the printed OR with the interval's width" in spec.note


def test_difference_ci_uses_the_raw_scale():
    # MD 2.0 (95% CI 0.04 to 3.96): SE = 3.92 / 3.91993 = 1.00002, z = 2.0, p = 0.0455
    estimate = Estimate("MD", parse_number("2.0"), (parse_number("0.04"), parse_number("3.96")))
    assert ci_p(estimate, rounding="nearest").p == pytest.approx(0.0455, abs=1e-4)
