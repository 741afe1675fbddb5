"""Slips in a study file are said as slips, never read as findings about the paper.

The study here is synthetic (two arms of 90 on the 0-30 EPDS); each test changes one thing.
"""

import math
import re
from pathlib import Path

import pytest

from reanalyse.claims.assess import check_study
from reanalyse.cli import main
from reanalyse.errors import StudyFileError
from reanalyse.kernels.printed import PrintedNumberError, parse_number, parse_p
from reanalyse.model.studyfile import SPREAD_HINT, load_study

README = Path(__file__).resolve().parents[2] / "README.md"

STUDY = """\
id: synthetic-slips
citation: "Synthetic study for tests"
arms:
  - {id: treat, label: Treatment, randomised: 90}
  - {id: control, label: Control, randomised: 90}
outcomes:
  - id: epds
    label: EPDS
    type: continuous
    scale: {min: 0, max: 30, items: 1}
    arms:
      treat: {n: 90, mean: "7.61", sd: "2.18"}
      control: {n: 90, mean: "9.20", sd: "2.04"}
  - id: ppd
    label: PPD
    type: binary
    arms:
      treat: {n: 90, events: 20}
      control: {n: 90, events: 35}
claims:
  - id: lower
    outcome: epds
    text: "Lower EPDS"
    reported: {test: t, p: "< 0.001"}
    significant: true
  - id: fewer
    outcome: ppd
    text: "Fewer with PPD"
    reported: {test: chi2, p: "0.013"}
    significant: true
"""


def write(tmp_path, text=STUDY):
    path = tmp_path / "synthetic-slips.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed(tmp_path, old, new):
    assert old in STUDY, old
    return write(tmp_path, STUDY.replace(old, new, 1))


def refused(tmp_path, old, new) -> StudyFileError:
    with pytest.raises(StudyFileError) as caught:
        load_study(changed(tmp_path, old, new))
    return caught.value


def verdicts(path) -> dict:
    return {c.claim.id: c for c in check_study(load_study(path)).claims}


# --- a printed spread of 0 -------------------------------------------------------------------

@pytest.mark.parametrize("old, new, field", [
    ('sd: "2.18"', "sd: 0", "outcomes[0].arms.treat.sd"),
    ('sd: "2.18"', 'sd: "0"', "outcomes[0].arms.treat.sd"),
    ('sd: "2.18"', "sd: 0.0", "outcomes[0].arms.treat.sd"),
    ('sd: "2.18"', 'sd: "-0.00"', "outcomes[0].arms.treat.sd"),
    ('sd: "2.18"', 'se: "0.00"', "outcomes[0].arms.treat.se"),
])
def test_a_printed_spread_of_zero_is_refused_as_a_slip(tmp_path, old, new, field):
    error = refused(tmp_path, old, new)
    assert error.field == field and error.line == 12
    assert error.problem.endswith("must be positive") and error.hint == SPREAD_HINT


def test_a_ci_of_zero_width_is_refused_as_a_spread_of_zero(tmp_path):
    error = refused(tmp_path, 'sd: "2.18"', 'ci: ["7.61", "7.61"]')
    assert error.field == "outcomes[0].arms.treat.ci" and "zero width" in error.problem
    assert error.hint == SPREAD_HINT


def test_readme_shows_the_message_the_loader_gives_for_sd_zero(tmp_path):
    error = refused(tmp_path, 'sd: "2.18"', "sd: 0")
    readme = README.read_text(encoding="utf-8")
    shown = re.search(r"\$ reanalyse check data/broken\.yaml\n(.*?)\n```", readme, re.S)
    assert shown is not None
    line, hint = shown.group(1).splitlines()
    assert line.endswith(f"outcomes[0].arms.treat.sd = '0': {error.problem}")
    assert hint.strip() == f"hint: {error.hint}"


# --- a derived SD passes every check a printed SD passes ----------------------------------

# The SE 3.43 with n = 90 implies an SD of 3.43 * sqrt(90) = 32.54.  On a 0-30 scale a mean
# printed 7.61 (true mean in [7.605, 7.615]) allows at most sqrt(90/89 * (30 - m)(m - 0)) at the
# m nearest the midpoint, m = 7.615: sqrt(90/89 * 22.385 * 7.615) = 13.13.
LARGEST_SD = math.sqrt(90 / 89 * (30 - 7.615) * 7.615)


@pytest.mark.parametrize("spread, phrase", [
    ('sd: "32.5"', "the SD 32.5 for Treatment"),
    ('se: "3.43"', "the SD 32.5 implied by the SE 3.43 (n = 90) for Treatment"),
    # a 95% t-interval of half-width 6.80 on 89 df: SD = 6.80 * sqrt(90) / t(0.975, 89)
    # = 6.80 * 9.487 / 1.987 = 32.5
    ('ci: ["0.81", "14.41"]', "the SD 32.5 implied by the 95% CI [0.81, 14.41] (n = 90)"),
])
def test_a_derived_sd_meets_the_scales_bound_as_a_printed_one(tmp_path, spread, phrase):
    assert LARGEST_SD == pytest.approx(13.13, abs=0.005)
    check = verdicts(changed(tmp_path, 'sd: "2.18"', spread))["lower"]
    assert check.verdict.value == "impossible_input"
    assert phrase in check.reason and "exceeds 13.1," in check.reason


def test_a_ci_whose_midpoint_leaves_the_scale_is_refused(tmp_path):
    error = refused(tmp_path, 'mean: "7.61", sd: "2.18"', 'ci: ["29.0", "33.0"]')
    assert error.field == "outcomes[0].arms.treat.ci" and "midpoint" in error.problem


# --- a study file that contradicts itself --------------------------------------------------

def remarks(path):
    return [remark for remark in load_study(path).remarks if remark.kind == "conflict"]


@pytest.mark.parametrize("old, new, fields, words", [
    ('reported: {test: t, p: "< 0.001"}\n    significant: true',
     'reported: {test: t, p: "0.026"}\n    significant: false',
     [("claims[0].significant", 25), ("claims[0].reported.p", 24)], ["'0.026'", "below"]),
    ('reported: {test: t, p: "< 0.001"}', 'reported: {test: t, p: "ns"}',
     [("claims[0].significant", 25), ("claims[0].reported.p", 24)], ["'ns'"]),
    ('reported: {test: t, p: "< 0.001"}', 'reported: {test: t, p: "> .05"}',
     [("claims[0].significant", 25), ("claims[0].reported.p", 24)], ["'> .05'"]),
    # the template's example df with 90 + 90: Student's df is 178, Welch's at least 89
    ('reported: {test: t, p: "< 0.001"}', 'reported: {test: t, df: [58], p: "< 0.001"}',
     [("claims[0].reported.df", 24), ("outcomes[0].arms.treat.n", 12),
      ("outcomes[0].arms.control.n", 13)], ["df = 58", "178", "89"]),
    ('reported: {test: chi2, p: "0.013"}', 'reported: {test: chi2, df: 2, p: "0.013"}',
     [("claims[1].reported.df", 29)], ["df = 2", "df = 1"]),
    ('reported: {test: chi2, p: "0.013"}', 'reported: {test: t, p: "0.013"}',
     [("claims[1].reported.test", 29), ("outcomes[1].type", 16)], ["binary"]),
    ('text: "Lower EPDS"', 'text: "Lower EPDS (P = 0.002)"',
     [("claims[0].text", 23), ("claims[0].reported.p", 24)], ["'= 0.002'", "'< 0.001'"]),
    ("treat: {n: 90, events: 20}", "treat: {n: 90, events: 20, percent: 25.6}",
     [("outcomes[1].arms.treat.events", 18), ("outcomes[1].arms.treat.percent", 18)],
     ["20 events", "25.6%"]),
    ('treat: {n: 90, mean: "7.61"', 'treat: {n: 92, mean: "7.61"',
     [("outcomes[0].arms.treat.n", 12), ("arms[0].randomised", 4)], ["n = 92", "90"]),
])
def test_fields_that_disagree_are_named_with_their_lines(tmp_path, old, new, fields, words):
    found = remarks(changed(tmp_path, old, new))
    assert len(found) == 1
    remark = found[0]
    assert list(remark.fields) == fields
    assert all(word in remark.message for word in words), remark.message
    assert remark.describe().startswith(f"{tmp_path / 'synthetic-slips.yaml'}:{fields[0][1]}: ")


def test_an_estimate_outside_its_own_ci_is_named(tmp_path):
    path = changed(tmp_path, 'reported: {test: chi2, p: "0.013"}',
                   'reported: {estimate: {measure: OR, value: "0.3", ci: ["0.4", "0.9"]}}')
    (remark,) = remarks(path)
    assert "outside its own CI [0.4, 0.9]" in remark.message
    assert [field for field, _ in remark.fields] == ["claims[1].reported.estimate.value",
                                                     "claims[1].reported.estimate.ci"]


def test_agreeing_fields_give_no_remark(tmp_path):
    # Student's df for 90 + 90 is 178; Welch's df 120.5 lies in [89, 178]; 20/90 = 22.2%
    path = changed(tmp_path, 'reported: {test: t, p: "< 0.001"}',
                   'reported: {test: t, df: [178], p: "< 0.001"}')
    assert remarks(path) == []
    assert remarks(changed(tmp_path, 'reported: {test: t, p: "< 0.001"}',
                           'reported: {test: welch_t, df: "120.5", p: "< 0.001"}')) == []
    assert remarks(changed(tmp_path, "treat: {n: 90, events: 20}",
                           "treat: {n: 90, events: 20, percent: 22.2}")) == []
    # a printed p = 0.05 could have rounded from either side of alpha: no decision stated
    assert remarks(changed(tmp_path, 'reported: {test: t, p: "< 0.001"}\n    significant: true',
                           'reported: {test: t, p: "0.05"}\n    significant: false')) == []


def test_the_verdict_stands_and_its_note_names_the_disagreeing_numbers(tmp_path, capsys):
    # A paper may itself print "not significant" beside p = 0.026: the verdict is the one the
    # file as written gives (a claim of no difference against the arms' numbers), and the
    # remark is said before it.
    path = changed(tmp_path, 'reported: {test: t, p: "< 0.001"}\n    significant: true',
                   'reported: {test: t, p: "0.026"}\n    significant: false')
    (tmp_path / "clean").mkdir()
    clean = write(tmp_path / "clean")
    check = verdicts(path)["lower"]
    assert check.verdict.value == "decision_flip"   # |t| = 7.6 on 178 df: p < 1e-11
    assert check.notes[0].startswith("The study file disagrees with itself: significant: "
                                     "false, but the printed p '0.026'")
    assert verdicts(clean)["lower"].verdict.value == "reproduced"
    assert main(["check", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.index(f"{path}:25: claim lower: significant: false") < out.index(
        " lower decision flips")


def test_json_carries_the_remarks(tmp_path, capsys):
    import json

    path = changed(tmp_path, 'reported: {test: t, p: "< 0.001"}', 'reported: {test: t, p: "ns"}')
    assert main(["check", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    (remark,) = data["file_remarks"]
    assert remark["kind"] == "conflict" and remark["claim"] == "lower" and remark["line"] == 25


# --- decimal commas --------------------------------------------------------------------------

def test_the_decimal_comma_rule():
    assert parse_number("7,61").exact == parse_number("7.61").exact
    assert parse_number("0,026").decimals == 3           # no grouped number starts with 0
    assert parse_p("0,026").number.exact == parse_p("0.026").number.exact
    for text in ("7,610", "1,234"):                       # thousands or decimals: refused
        with pytest.raises(PrintedNumberError, match="ambiguous comma") as caught:
            parse_number(text)
        assert text.replace(",", "") in caught.value.hint  # names both readings
    with pytest.raises(PrintedNumberError, match="comma"):
        parse_number("1,2,3")
    with pytest.raises(PrintedNumberError, match="comma"):
        parse_p("0,0,26")


def test_a_quoted_decimal_comma_is_read_and_said(tmp_path):
    path = changed(tmp_path, 'mean: "7.61"', 'mean: "7,61"')
    study = load_study(path)
    assert study.outcomes[0].arms["treat"].mean.exact == parse_number("7.61").exact
    (reading,) = study.remarks
    assert reading.kind == "reading" and reading.fields == (("outcomes[0].arms.treat.mean", 12),)
    assert "'7,61' was read with a decimal comma as 7.61" in reading.message


def test_a_p_with_a_decimal_comma_is_a_p_not_thousands(tmp_path):
    path = changed(tmp_path, 'p: "0.013"', 'p: "0,013"')
    study = load_study(path)
    assert study.claims[1].reported.p.number.exact == parse_number("0.013").exact
    (reading,) = study.remarks
    assert reading.fields == (("claims[1].reported.p", 29),) and "as 0.013" in reading.message


def test_an_unquoted_decimal_comma_inside_braces_names_the_comma(tmp_path):
    error = refused(tmp_path, 'mean: "7.61"', "mean: 7,61")
    assert error.field == "outcomes[0].arms.treat.mean" and error.value == "7,61"
    assert "decimal comma" in error.problem and error.line == 12
    assert "'7,61'" in error.hint and "7.61" in error.hint
    assert "unknown key" not in str(error)


def test_an_interval_split_by_decimal_commas_says_so(tmp_path):
    error = refused(tmp_path, 'sd: "2.18"', "ci: [7,1, 8,2]")
    assert error.field == "outcomes[0].arms.treat.ci" and "decimal comma" in error.hint


def test_an_ambiguous_comma_in_a_study_file_names_the_comma(tmp_path):
    error = refused(tmp_path, 'mean: "7.61"', 'mean: "7,610"')
    assert error.field == "outcomes[0].arms.treat.mean" and "comma" in error.problem
