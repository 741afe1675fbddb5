"""Study files: numbers keep their printed decimals; every bad input names file, line, field, value."""

import textwrap

import pytest

from reanalyse.cli import main
from reanalyse.errors import StudyFileError
from reanalyse.model.studyfile import load_study

GOOD = """\
id: {stem}
citation: "Synthetic study for tests"
arms:
  - {{id: treat, label: Treatment, randomised: 20}}
  - {{id: control, label: Control, randomised: 20}}
outcomes:
  - id: score
    label: Score
    type: continuous
    scale: {{min: 0, max: 30}}
    arms:
      treat: {{n: 20, mean: 8.60, sd: 2.10}}
      control: {{n: 20, mean: 10.0, sd: 2.5}}
  - id: event
    label: Event
    type: binary
    arms:
      treat: {{n: 20, events: 5}}
      control: {{n: 20, percent: 45.0}}
claims:
  - id: lower-score
    outcome: score
    reported: {{test: t, statistic: -1.92, df: 38, p: "0.062"}}
    significant: false
"""


def write(tmp_path, text, stem="synthetic-study"):
    path = tmp_path / f"{stem}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_unquoted_numbers_keep_their_decimals(tmp_path):
    study = load_study(write(tmp_path, GOOD.format(stem="synthetic-study")))
    treat = study.outcome("score").arms["treat"]
    assert treat.mean.text == "8.60" and treat.mean.decimals == 2
    assert treat.sd.text == "2.10"
    assert study.outcome("event").arms["control"].percent.text == "45.0"
    assert study.claims[0].reported.p.text == "0.062"


def bad(tmp_path, old, new):
    text = GOOD.format(stem="synthetic-study")
    assert old in text, old
    path = write(tmp_path, text.replace(old, new))
    with pytest.raises(StudyFileError) as caught:
        load_study(path)
    error = caught.value
    assert error.path == path and error.hint
    return error


@pytest.mark.parametrize("old, new, field, value, line, problem", [
    ("mean: 8.60, sd: 2.10", "mean: 8.60, sd: -2.10", "outcomes[0].arms.treat.sd", "-2.10", 12,
     "SD must be positive"),
    ("treat: {n: 20, mean", "treat: {n: 1, mean", "outcomes[0].arms.treat.n", "1", 12,
     "needs at least two participants"),
    # the control arm's line removed: the claim's outcome line moves up to 21
    ("      control: {n: 20, mean: 10.0, sd: 2.5}\n", "", "claims[0].outcome", "score", 21,
     "needs two or more arms"),
    ("    type: binary\n", "    type: binary\n    derived_from: event\n    cutoff: \">= 13\"\n",
     "outcomes[1].derived_from", "event", 17, "must name a continuous outcome"),
    ("    type: continuous\n", "    type: continuous\n    derived_from: event\n",
     "outcomes[0].derived_from", "event", 10, "only a binary outcome"),
    ("mean: 8.60, sd: 2.10", "mean: 8.60, sd: -1.2", "outcomes[0].arms.treat.sd", "-1.2", 12,
     "SD must be positive"),
    ("treat: {n: 20, mean", "treat: {n: 0, mean", "outcomes[0].arms.treat.n", "0", 12,
     "at least 1"),
    ("{n: 20, events: 5}", "{n: 20, events: 25}", "outcomes[1].arms.treat.events", "25", 18,
     "more events than participants"),
    ("percent: 45.0", "percent: 104.5", "outcomes[1].arms.control.percent", "104.5", 19,
     "percentage outside 0 to 100"),
    ('p: "0.062"', 'p: "1.20"', "claims[0].reported.p", "1.20", 23, "p-value outside 0 to 1"),
    ("outcome: score", "outcome: scroe", "claims[0].outcome", "scroe", 22,
     "names no outcome"),
    ("      control: {n: 20, mean: 10.0", "      contrl: {n: 20, mean: 10.0",
     "outcomes[0].arms.contrl", "contrl", 13, "names no arm"),
    ("    significant: false", "    signficant: false", "claims[0].signficant", "signficant",
     24, "unknown key"),
    ("mean: 8.60, sd", "mean: 8.6O, sd", "outcomes[0].arms.treat.mean", "8.6O", 12,
     "not a number"),
])
def test_bad_values_are_named(tmp_path, old, new, field, value, line, problem):
    error = bad(tmp_path, old, new)
    assert error.field == field
    assert str(error.value) == value
    assert error.line == line
    assert problem in error.problem


def test_typo_in_a_key_suggests_the_right_one(tmp_path):
    error = bad(tmp_path, "    significant: false", "    signficant: false")
    assert "significant" in error.hint


def test_yaml_syntax_error_names_the_line(tmp_path):
    error = bad(tmp_path, "    label: Score\n", "    label: [Score\n")
    assert "YAML syntax error" in error.problem and error.line is not None


def test_duplicate_keys_are_refused(tmp_path):
    error = bad(tmp_path, "    significant: false", "    significant: false\n    significant: true")
    assert error.problem == "duplicate key" and error.line == 25


def test_claim_arm_without_numbers_is_refused(tmp_path):
    error = bad(tmp_path, "    outcome: score\n", "    outcome: score\n    arms: [treat, placebo]\n")
    assert error.field == "claims[0].arms" and error.value == "placebo"


def test_id_must_match_the_file_name(tmp_path):
    path = write(tmp_path, GOOD.format(stem="other-name"))
    with pytest.raises(StudyFileError, match="id differs from the file name"):
        load_study(path)


def test_cli_reports_bad_input_without_a_traceback(tmp_path, capsys):
    path = write(tmp_path, GOOD.format(stem="synthetic-study").replace("sd: 2.10", "sd: -2.10"))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:12" in err and "outcomes[0].arms.treat.sd" in err and "hint:" in err
    assert "Traceback" not in err


def test_binary_claim_over_three_arms_must_name_two(tmp_path):
    text = GOOD.format(stem="synthetic-study").replace(
        "  - {id: control, label: Control, randomised: 20}",
        "  - {id: control, label: Control, randomised: 20}\n  - {id: third, label: Third}").replace(
        "      control: {n: 20, percent: 45.0}",
        "      control: {n: 20, percent: 45.0}\n      third: {n: 20, events: 3}").replace(
        "    outcome: score", "    outcome: event")
    with pytest.raises(StudyFileError, match="two arms at a time") as caught:
        load_study(write(tmp_path, text))
    assert caught.value.field == "claims[0].arms"


@pytest.mark.parametrize("text", [
    "- just\n- a list\n",
    "plain text\n",
    "",
    "id: synthetic-study\ncitation: x\narms: {a: 1}\noutcomes: []\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: a}]\noutcomes: []\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: ordinal, arms: {}}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: binary, arms: [a, b]}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: continuous, arms: {a: {n: 2.5}}}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: continuous, arms: {a: {sd: 1, se: 2}}}]\n",
    "id: synthetic-study\ncitation: x\nalpha: 5\narms: [{id: a}, {id: b}]\noutcomes: []\n",
    "id: Bad_ID\ncitation: x\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: []\nclaims: [{id: c, outcome: o}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: continuous, arms: {a: {}, b: {}}}]\nclaims: [{id: c, outcome: o, reported: {df: [1, 2, 3]}}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: continuous, arms: {a: {}, b: {}}}]\nclaims: [{id: c, outcome: o, reported: {estimate: {measure: OR, ci: [0.9, 0.2]}}}]\n",
    "id: synthetic-study\ncitation: x\narms: [{id: a}, {id: b}]\noutcomes: [{id: o, type: continuous, arms: {a: {}, b: {}}}]\nclaims: [{id: c, outcome: o, significant: maybe}]\n",
])
def test_malformed_files_give_a_study_file_error(tmp_path, text):
    with pytest.raises(StudyFileError) as caught:
        load_study(write(tmp_path, text))
    assert caught.value.problem and caught.value.hint
