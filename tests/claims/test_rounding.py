"""The rounding convention reaches every printed number: arm boxes, the printed statistic, the
printed CI, the printed p and the sensitivity analyses all read it from the one option."""

import json
import math
from pathlib import Path

import pytest

from reanalyse.claims.assess import CheckOptions, check_file
from reanalyse.cli import main

RAISI = Path(__file__).parents[2] / "data" / "raisi-dehkordi-2019.yaml"
Z_975 = 1.959963984540054          # R: qnorm(0.975)


def chi2_1df_p(x):
    # chi-square on 1 df is a squared standard normal: P(X > x) = erfc(sqrt(x / 2))
    return math.erfc(math.sqrt(x / 2))


def ci_p_range(low_ends, high_ends):
    # Altman & Bland: on the log scale the estimate is the centre of the CI and its SE the
    # width over 2 z, so z = z_975 (ln lo + ln hi) / (ln hi - ln lo); p = erfc(|z| / sqrt 2)
    z = [abs(Z_975 * (math.log(lo) + math.log(hi)) / (math.log(hi) - math.log(lo)))
         for lo in low_ends for hi in high_ends]
    return math.erfc(max(z) / math.sqrt(2)), math.erfc(min(z) / math.sqrt(2))


def estimate_p_range(values, low_ends, high_ends):
    # the printed estimate with the CI's width: z = 2 z_975 ln(v) / (ln hi - ln lo)
    z = [abs(2 * Z_975 * math.log(v) / (math.log(hi) - math.log(lo)))
         for v in values for lo in low_ends for hi in high_ends]
    return math.erfc(max(z) / math.sqrt(2)), math.erfc(min(z) / math.sqrt(2))


def spec(result, claim_id, name):
    claim = next(c for c in result.claims if c.claim.id == claim_id)
    return claim.spec(name)


@pytest.fixture(scope="module")
def checks():
    return {rounding: check_file(RAISI, CheckOptions(rounding=rounding))
            for rounding in ("nearest", "truncate")}


def test_printed_statistic_is_read_under_the_chosen_rounding(checks):
    # chi2 = 4.48 printed: to the nearest it stands for [4.475, 4.485], truncated for
    # [4.48, 4.49); p falls as chi2 grows, so p_min is at the upper end
    nearest = spec(checks["nearest"], "fewer-depressed", "reported_statistic")
    truncated = spec(checks["truncate"], "fewer-depressed", "reported_statistic")
    assert (nearest.statistic_min, nearest.statistic_max) == pytest.approx((4.475, 4.485))
    assert (truncated.statistic_min, truncated.statistic_max) == pytest.approx((4.48, 4.49))
    assert (nearest.p_min, nearest.p_max) == pytest.approx(
        (chi2_1df_p(4.485), chi2_1df_p(4.475)), rel=1e-9)
    assert (truncated.p_min, truncated.p_max) == pytest.approx(
        (chi2_1df_p(4.49), chi2_1df_p(4.48)), rel=1e-9)
    assert (truncated.p_min, truncated.p_max) != pytest.approx((nearest.p_min, nearest.p_max))


def test_printed_ci_is_read_under_the_chosen_rounding(checks):
    # OR 0.5, 95% CI 0.2 to 0.94: to the nearest the ends are [0.15, 0.25] and [0.935, 0.945];
    # truncated [0.2, 0.3) and [0.94, 0.95).  Truncated, from the CI's centre the largest |z| is
    # at (0.3, 0.94): 1.96 * (ln 0.3 + ln 0.94) / (ln 0.94 - ln 0.3) = 1.96 * -1.2658 / 1.1421
    # = -2.1723, p = 0.0298; the smallest at (0.2, 0.95): 1.96 * -1.6607 / 1.5581 = -2.0890,
    # p = 0.0367.  The spec's range also spans the printed 0.5 (nearest [0.45, 0.55], truncated
    # [0.5, 0.6)) with the CI's width as a second reading (p_other), and its range and its
    # significance are the centre's.
    nearest = spec(checks["nearest"], "adjusted-odds", "ci_to_p")
    truncated = spec(checks["truncate"], "adjusted-odds", "ci_to_p")
    for found, value, low, high in ((nearest, (0.45, 0.55), (0.15, 0.25), (0.935, 0.945)),
                                    (truncated, (0.5, 0.6), (0.2, 0.3), (0.94, 0.95))):
        centre = ci_p_range(low, high)
        printed = estimate_p_range(value, low, high)
        assert (found.p_min, found.p_max) == pytest.approx(centre, rel=1e-9)
        assert found.p_other == pytest.approx(printed, rel=1e-9)
        assert found.p_span == pytest.approx(
            (min(centre[0], printed[0]), max(centre[1], printed[1])), rel=1e-9)
        assert found.significant is True  # the centre's p stays below 0.05
    assert ci_p_range((0.2, 0.3), (0.94, 0.95)) == pytest.approx((0.0298, 0.0367), abs=1e-4)
    assert "0.0298 to 0.0367 from the interval's centre" in truncated.note


def _intervals(payload, path=""):
    """Every ``x_min``/``x_max`` pair in a JSON document, by path."""
    found = {}
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key.endswith("_min") and key[:-4] + "_max" in payload \
                    and isinstance(value, (int, float)):
                found[f"{path}.{key[:-4]}"] = (value, payload[key[:-4] + "_max"])
            found.update(_intervals(value, f"{path}.{key}"))
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            name = value.get("name", index) if isinstance(value, dict) else index
            found.update(_intervals(value, f"{path}[{name}]"))
    return found


def test_cli_rounding_reaches_every_interval_in_the_json(capsys):
    payloads = {}
    for rounding in ("nearest", "truncate"):
        assert main(["check", str(RAISI), "--rounding", rounding, "--format", "json"]) == 0
        payloads[rounding] = json.loads(capsys.readouterr().out)
    assert payloads["truncate"]["options"]["rounding"] == "truncate"
    nearest, truncated = (_intervals(payloads[r]) for r in ("nearest", "truncate"))
    assert nearest.keys() == truncated.keys()
    moved = {path for path in nearest if nearest[path] != pytest.approx(truncated[path])}
    # the exact counts beyond each cut-off read the printed mean and SD: some move with the
    # rounding, and none is compared below
    bounds = {path for path in nearest if ".sensitivity.cutoff." in path}
    assert bounds & moved
    moved -= bounds
    # What reads a printed decimal: the t-tests on the printed means and SDs, the printed chi2
    # and OR CI, and the printed baseline p; what reads exact counts (15/60 vs 26/60) or n
    # only does not move.
    rounded_specs = ("student_t", "welch_t", "reported_statistic", "ci_to_p")
    expected = {path for path in nearest if path not in bounds
                and any(f"specs[{name}]" in path for name in rounded_specs)
                or ".sensitivity.baseline." in path}
    assert moved == expected
    assert any("ci_to_p" in path for path in moved) and any("baseline" in path for path in moved)
    # every printed number here is positive, so truncation moves its interval up by half a
    # unit: chi2 4.48 from [4.475, 4.485] to [4.48, 4.49], baseline p 0.46 from
    # [0.455, 0.465] to [0.46, 0.47]
    for path, (low, high) in nearest.items():
        if "reported_statistic" in path and path.endswith(".statistic") \
                or path.endswith("variables[0].p"):
            assert truncated[path] == pytest.approx((low + 0.005, high + 0.005))
