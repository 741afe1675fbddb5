"""Analysis files: loading, the errors for bad ones, notebook parameters, recording verdicts."""

from pathlib import Path

import pytest

from reanalyse.model.analysis import (Analysis, analysis_from_parameters, find_analyses,
                                load_analysis, record_expected)
from reanalyse.errors import AnalysisFileError, ReanalyseError
from reanalyse.kernels.printed import Rounding

FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
STUDY = FIXTURES / "studies" / "synthetic-clear-difference.yaml"
NOTEBOOK = FIXTURES / "notebooks" / "synthetic_minimal.ipynb"


def write(tmp_path, text, name="synthetic-analysis.yaml"):
    """An analysis file in tmp_path whose study and notebook are the fixtures (absolute)."""
    path = tmp_path / name
    path.write_text(text.format(study=STUDY, notebook=NOTEBOOK), encoding="utf-8")
    return path


def test_load_resolves_paths_relative_to_the_file():
    analysis = load_analysis(FIXTURES / "analyses" / "synthetic-clear-difference.yaml")
    assert analysis.name == "synthetic-clear-difference"
    assert analysis.study == STUDY.resolve()
    assert analysis.notebook == NOTEBOOK.resolve()
    assert analysis.path.is_absolute()
    # no options: the check's defaults
    options = analysis.options
    assert (options.alpha, options.rounding, options.defensible, options.boschloo) == \
        (None, Rounding.NEAREST, None, "when_needed")
    assert analysis.expected == {}


def test_load_reads_options_parameters_and_expected(tmp_path):
    path = write(tmp_path, """
study: {study}
notebook: {notebook}
title: A synthetic title
options:
  alpha: 0.01
  rounding: half-up
  defensible: [student_t, welch_t]
  boschloo: never
parameters:
  points: 21
  scale: 0.50
  label: text
expected:
  lower-score: reproduced
""")
    analysis = load_analysis(path)
    assert analysis.title == "A synthetic title"
    assert analysis.options.alpha == 0.01
    assert analysis.options.rounding is Rounding.HALF_UP
    assert analysis.options.defensible == ("student_t", "welch_t")
    assert analysis.parameters == {"points": 21, "scale": 0.5, "label": "text"}
    assert isinstance(analysis.parameters["points"], int)
    assert analysis.expected == {"lower-score": "reproduced"}
    options = analysis.options
    assert (options.alpha, options.rounding, options.defensible, options.boschloo) == \
        (0.01, Rounding.HALF_UP, ("student_t", "welch_t"), "never")


@pytest.mark.parametrize("body, field, line, words", [
    ("notebook: {notebook}\n", "study", 1, "missing required field"),
    ("study: nowhere.yaml\nnotebook: {notebook}\n", "study", 1, "file not found"),
    ("study: {study}\nnotebook: {notebook}\nexpectd: {{}}\n", "expectd", 3, "unknown key"),
    ("study: {study}\nnotebook: {notebook}\noptions:\n  alpha: 5\n", "options.alpha", 4,
     "between 1e-10 and 0.5"),
    ("study: {study}\nnotebook: {notebook}\noptions:\n  rounding: sideways\n",
     "options.rounding", 4, "unknown rounding"),
    ("study: {study}\nnotebook: {notebook}\noptions:\n  defensible: welch_t\n",
     "options.defensible", 4, "list of test names"),
    ("study: {study}\nnotebook: {notebook}\nexpected:\n  lower-score: reproducd\n",
     "expected.lower-score", 4, "unknown verdict"),
    ("study: {study}\nnotebook: {notebook}\nparameters:\n  analysis_path: x\n",
     "parameters.analysis_path", 4, "set by the runner"),
    ("study: {study}\nnotebook: {study}\n", "notebook", 2, "expected a .ipynb file"),
    # YAML 1.1 reads 12:30 (base 60) and 0x10 as numbers, which Python's int() and float() do not
    ("study: {study}\nnotebook: {notebook}\nparameters:\n  start: 12:30\n",
     "parameters.start", 4, "a number Python cannot read"),
    ("study: {study}\nnotebook: {notebook}\nparameters:\n  mask: 0x10\n",
     "parameters.mask", 4, "a number Python cannot read"),
])
def test_bad_files_name_field_line_and_problem(tmp_path, body, field, line, words):
    path = write(tmp_path, body)
    with pytest.raises(AnalysisFileError) as raised:
        load_analysis(path)
    error = raised.value
    assert error.path == path
    assert error.field == field
    assert error.line == line
    assert words in error.problem
    assert str(path) in str(error)


def test_unknown_key_suggests_the_close_one(tmp_path):
    path = write(tmp_path, "study: {study}\nnotebook: {notebook}\nexpectd: {{}}\n")
    with pytest.raises(AnalysisFileError, match="did you mean 'expected'"):
        load_analysis(path)


def test_unknown_defensible_test_is_named_when_the_file_is_read(tmp_path):
    path = write(tmp_path, "study: {study}\nnotebook: {notebook}\n"
                           "options:\n  defensible: [welch_tt]\n")
    with pytest.raises(AnalysisFileError, match="did you mean 'welch_t'") as raised:
        load_analysis(path)
    assert raised.value.field == "options.defensible"
    assert raised.value.value == "welch_tt"
    assert raised.value.line == 4


def test_unknown_boschloo_policy_is_named_when_the_file_is_read(tmp_path):
    path = write(tmp_path, "study: {study}\nnotebook: {notebook}\n"
                           "options:\n  boschloo: sometimes\n")
    with pytest.raises(AnalysisFileError, match="when_needed") as raised:
        load_analysis(path)
    assert (raised.value.field, raised.value.value, raised.value.line) == \
        ("options.boschloo", "sometimes", 4)


def test_file_name_must_make_report_names(tmp_path):
    path = write(tmp_path, "study: {study}\nnotebook: {notebook}\n", name="Bad Name.yaml")
    with pytest.raises(AnalysisFileError, match="cannot name report files"):
        load_analysis(path)


def test_yaml_syntax_error_is_an_analysis_file_error(tmp_path):
    path = write(tmp_path, "study: [unclosed\n")
    with pytest.raises(AnalysisFileError, match="YAML syntax error"):
        load_analysis(path)


def test_find_analyses_lists_yaml_files_sorted(tmp_path):
    for name in ("b.yaml", "a.yml", "notes.txt", ".hidden.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in find_analyses(tmp_path)] == ["a.yml", "b.yaml"]


def test_parameters_analysis_path_study_path_or_both(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    by_file = analysis_from_parameters("analyses/synthetic-clear-difference.yaml")
    assert by_file.study == STUDY.resolve()
    by_study = analysis_from_parameters(study_path="studies/synthetic-counts.yaml")
    assert by_study == Analysis(name="synthetic-counts", path=None,
                                study=(FIXTURES / "studies" / "synthetic-counts.yaml").resolve())
    both = analysis_from_parameters("analyses/synthetic-clear-difference.yaml",
                                    "studies/synthetic-counts.yaml")
    assert both.name == "synthetic-clear-difference"
    assert both.study.name == "synthetic-counts.yaml"
    with pytest.raises(ReanalyseError, match="-p analysis_path"):
        analysis_from_parameters()


def test_record_replaces_the_block_and_keeps_comments(tmp_path):
    path = write(tmp_path, """# leading comment
study: {study}   # the study
expected:
  old-claim: fragile   # a comment that goes with the old block
  other: reproduced

# trailing comment about the notebook
notebook: {notebook}
""")
    assert record_expected(path, {"lower-score": "reproduced", "2nd": "decision_flip"})
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# leading comment\n")
    assert "# the study" in text and "# trailing comment about the notebook" in text
    assert "old-claim" not in text
    assert '"2nd": decision_flip' in text  # a key YAML would not read as text is quoted
    analysis = load_analysis(path)
    assert analysis.expected == {"lower-score": "reproduced", "2nd": "decision_flip"}
    assert not record_expected(path, {"lower-score": "reproduced", "2nd": "decision_flip"})


def test_record_appends_a_block_when_there_is_none(tmp_path):
    path = write(tmp_path, "study: {study}\nnotebook: {notebook}")  # no final newline
    record_expected(path, {"lower-score": "reproduced"})
    assert load_analysis(path).expected == {"lower-score": "reproduced"}
    assert path.read_text(encoding="utf-8").endswith("expected:\n  lower-score: reproduced\n")


def test_the_project_is_derived_from_the_analysis_file_and_again_when_it_changes(tmp_path):
    from dataclasses import replace

    from reanalyse.model.analysis import Analysis

    one, two = tmp_path / "one", tmp_path / "two"
    analysis = Analysis(name="x", path=one / "analyses" / "x.yaml", study=one / "data" / "s.yaml")
    assert analysis.root == one.resolve()
    assert replace(analysis, path=two / "analyses" / "x.yaml").root == two.resolve()
    assert replace(analysis, study=two / "data" / "s.yaml").root == one.resolve()
    assert Analysis(name="x", path=None, study=one / "data" / "s.yaml").root is None
