"""The public face: ``import reanalyse as ra``; ra.check, its table, frame and prose; ra.screen."""

from pathlib import Path

import pandas as pd
import pytest

import reanalyse as ra

RAISI = Path(__file__).parent.parent / "data" / "raisi-dehkordi-2019.yaml"


@pytest.fixture(scope="module")
def result():
    return ra.check(RAISI, rounding="half_up")


def test_check_takes_the_options_and_shows_the_verdict_table(result):
    assert result.options == ra.CheckOptions(rounding=ra.Rounding.HALF_UP)
    assert [claim.id for claim in result] == ["baseline-similar", "lower-epds",
                                              "fewer-depressed", "adjusted-odds"]
    text = repr(result)
    assert text == str(result) and "rounding: half_up" in text
    # the chi2 claim: Pearson (p = 0.034) supports it, Yates and Fisher (0.054) do not
    assert any(line.split()[:2] == ["fewer-depressed", "fragile"] for line in text.splitlines())
    html = result._repr_html_()
    assert "<table" in html and "fewer-depressed" in html


def test_to_frame_has_one_row_per_claim_and_test(result):
    frame = result.to_frame()
    assert list(frame.columns) == ["claim", "verdict", "test", "role", "statistic", "p",
                                   "p_min", "p_max", "significant"]
    assert len(frame) == sum(max(len(c.check.specs), 1) for c in result)
    pearson = frame[(frame.claim == "fewer-depressed") & (frame.test == "pearson_chi2")]
    # 15/60 vs 26/60 are printed counts, so no rounding: R chisq.test(matrix(c(15, 45, 26, 34),
    # 2), correct = FALSE): X-squared = 4.4829, p-value = 0.03424
    assert pearson.p.item() == pytest.approx(0.03424, abs=5e-6)
    assert pearson.statistic.item() == pytest.approx(4.4829, abs=5e-5)
    assert pearson.role.item() == "primary" and bool(pearson.significant.item())
    assert set(frame[frame.claim == "fewer-depressed"].verdict) == {"fragile"}


def test_a_claim_by_id_explains_itself(result):
    claim = result["fewer-depressed"]
    assert claim.verdict == "fragile" and claim.reason.startswith("Whether the result")
    prose = claim.explain()
    assert prose.startswith("The paper presents this result as statistically significant")
    assert "Verdict:" in prose
    assert list(claim.to_frame().test)[:2] == ["pearson_chi2", "yates_chi2"]
    with pytest.raises(KeyError, match="claims: baseline-similar"):
        result["no-such-claim"]


def test_check_accepts_a_loaded_study_and_reports_bad_files(tmp_path):
    study = ra.load_study(RAISI)
    assert ra.check(study).options.rounding is ra.Rounding.NEAREST
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\n")
    with pytest.raises(ra.ReanalyseError):
        ra.check(bad)


def test_screen_runs_a_check_over_a_table():
    # n = 10 whole-number scores: nine 5s and one 6 have mean 5.1 and SD sqrt(0.9 / 9) = 0.316,
    # so "5.10" / "0.32" is possible; no sum of 10 whole numbers has a mean in [5.145, 5.155]
    table = pd.DataFrame({"mean": ["5.10", "5.15"], "sd": ["0.32", "0.32"], "n": [10, 10]})
    screened = ra.screen(table, check="grimmer")
    assert list(screened.status) == ["consistent", "inconsistent"]


def test_import_is_cheap_and_names_are_listed():
    assert {"check", "screen", "load_study", "CheckOptions", "Rounding"} <= set(dir(ra))
    with pytest.raises(AttributeError):
        ra.no_such_name
