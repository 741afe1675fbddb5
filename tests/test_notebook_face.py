"""The notebook face: every deliberate error is a ``ra.ReanalyseError``; a float column's warning
points at the caller's line and names the rows whose reading changed."""

import warnings
from pathlib import Path

import pandas as pd
import pytest

import reanalyse as ra

RAISI = Path(__file__).resolve().parents[1] / "data" / "raisi-dehkordi-2019.yaml"


@pytest.mark.parametrize("options, named", [
    ({"rounding": "bad"}, "rounding"),
    ({"alpha": 2}, "alpha"),
    ({"alpha": 0}, "alpha"),
    ({"alpha": "0.05"}, "alpha"),
    ({"boschloo": "sometimes"}, "boschloo"),
    ({"defensible": ["student"]}, "defensible"),
    ({"defensible": "student_t"}, "defensible"),
])
def test_a_bad_check_option_is_a_reanalyse_error(options, named):
    with pytest.raises(ra.ReanalyseError, match=named) as caught:
        ra.check(RAISI, **options)
    assert isinstance(caught.value, ra.OptionError)


def test_check_of_something_that_is_not_a_study_is_a_reanalyse_error():
    with pytest.raises(ra.OptionError, match="path or a Study"):
        ra.check(42)


TEXT = pd.DataFrame({"mean": ["5.19"], "sd": ["1.20"], "n": ["21"]})
STATISTIC = pd.DataFrame({"statistic": ["t"], "df1": ["28"], "value": ["2.20"], "p": ["0.06"]})


@pytest.mark.parametrize("table, options, words", [
    (TEXT, {"check": "grimm"}, ["unknown check 'grimm'", "did you mean 'grim'"]),
    (pd.DataFrame({"x": ["1"]}), {}, ["no screen matches the columns x"]),
    (TEXT, {"check": "grimmer", "rounding": "x"}, ["rounding"]),
    (TEXT, {"check": "grimmer", "alpha": 0.05}, ["no option(s) alpha"]),
    (TEXT, {"check": "grimmer", "columns": {"average": "mean"}}, ["reads no field(s) average"]),
    (STATISTIC, {"alpha": 3}, ["alpha must lie between 1e-10 and 0.5"]),
    (STATISTIC, {"alpha": "x"}, ["alpha must be a number between 1e-10 and 0.5"]),
    (STATISTIC, {"p_zero": "x"}, ["p_zero must be one of"]),
    (TEXT, {"check": "statistic"}, ["needs column(s) statistic"]),
    ([["5.19", "1.20", "21"]], {}, ["pandas DataFrame"]),
])
def test_a_bad_screen_request_is_a_reanalyse_error(table, options, words):
    with pytest.raises(ra.ReanalyseError) as caught:
        ra.screen(table, **options)
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_the_float_warning_points_at_the_callers_line_and_names_the_rows():
    # n = 21 whole scores with mean 5.19: the sum is 109 (108.9 to 109.2).  SD printed 1.20:
    # variance in [1.195**2, 1.205**2], so the sum of squares Q = 20 v + 109**2 / 21 lies in
    # [594.32, 594.80], which holds no integer: inconsistent.  Read from the float 1.2 the SD
    # interval is [1.15, 1.25], Q in [592.21, 597.01], and an odd Q (Q has the parity of the
    # sum, 109) such as 593 fits: consistent.  Row 0 changed reading, row 1 (1.25) did not.
    floats = pd.DataFrame({"mean": [5.19, 5.19], "sd": [1.2, 1.25], "n": [21, 21]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ra.screen(floats, check="grimmer"); line = _line()  # noqa: E702
    assert ra.screen(TEXT, check="grimmer").status.tolist() == ["inconsistent"]
    assert result.status.tolist() == ["consistent", "consistent"]
    (sd,) = [w for w in caught if "'sd'" in str(w.message)]
    assert sd.filename == __file__ and sd.lineno == line
    assert "row 0 (1.2, perhaps printed 1.20)" in str(sd.message)
    assert "row 1" not in str(sd.message)


def _line() -> int:
    import inspect

    return inspect.currentframe().f_back.f_lineno


def test_the_float_warning_points_at_the_caller_of_a_mapper_too():
    from reanalyse.screens import LostDecimalsWarning, grim_map

    with pytest.warns(LostDecimalsWarning) as caught:
        grim_map(pd.DataFrame({"mean": [5.2, 5.19], "n": [21, 21]})); line = _line()  # noqa: E702
    assert caught[0].filename == __file__ and caught[0].lineno == line
    assert "row 0 (5.2, perhaps printed 5.20)" in str(caught[0].message)


def test_explain_says_the_printed_statistic_check_and_the_cutoff_finding():
    from scipy import stats

    result = ra.check(RAISI)
    text = result["fewer-depressed"].explain()
    # chi2 = 4.48 printed: true values 4.475 to 4.485 on 1 df give p from
    # chi2.sf(4.485, 1) = 0.0342 to chi2.sf(4.475, 1) = 0.0344
    low, high = (f"{stats.chi2.sf(value, 1):.3g}" for value in (4.485, 4.475))
    assert (f"The paper's own result: p from the printed chi2 statistic gives p from {low} to "
            f"{high}, beside the printed p = 0.034.") in text
    # README's worked figures: 15 of 60 and 26 of 60 fit only cut-offs 9 to 11
    assert "only if the cut-off is 9 to 11" in text and "at most 8 of 60" in text
    assert text.index("Verdict: fragile") < text.index("Beyond the cut-off")
    # the second claim on the same outcome says the finding too, not a pointer to the first
    assert "only if the cut-off is 9 to 11" in result["adjusted-odds"].explain()


def test_explain_opens_with_the_files_own_disagreement(tmp_path):
    study = RAISI.read_text(encoding="utf-8").replace(
        'reported: {test: chi2, statistic: 4.48, df: 1, p: "0.034"}',
        'reported: {test: chi2, statistic: 4.48, df: 1, p: "0.34"}')
    path = tmp_path / RAISI.name
    path.write_text(study, encoding="utf-8")
    text = ra.check(path)["fewer-depressed"].explain()
    assert text.startswith("The study file disagrees with itself: significant: true, but the "
                           "printed p '0.34' states a result not significant")
