"""``reanalyse run --record`` records only ids that read back: a claim id with a trailing line
break (in a study file, a review file, or published by a notebook) is refused where it comes
in, and the analysis files it would have been written into still parse, unchanged."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reanalyse.errors import ReanalyseError
from reanalyse.model.analysis import load_analysis, record_expected
from reanalyse.model.reviewfile import load_review
from reanalyse.model.vocabulary import CHECK_MIMETYPE

FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
REVIEWS = Path(__file__).parents[1] / "reviews"


def _notebook_publishing(claim_id: str) -> nbformat.NotebookNode:
    """A notebook with a parameters cell that publishes one claim under ``claim_id``."""
    parameters = nbformat.v4.new_code_cell("analysis_path = None\nstudy_path = None")
    parameters.metadata["tags"] = ["parameters"]
    result = {"study": "synthetic-clear-difference",
              "claims": [{"id": claim_id, "verdict": "reproduced"}]}
    publish = nbformat.v4.new_code_cell(
        "from IPython.display import display\n"
        f"display({{{CHECK_MIMETYPE!r}: {result!r}, 'text/plain': 'verdicts'}}, raw=True)")
    return nbformat.v4.new_notebook(cells=[parameters, publish], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture
def project(tmp_path):
    for part in ("studies", "notebooks"):
        shutil.copytree(FIXTURES / part, tmp_path / part)
    (tmp_path / "analyses").mkdir()
    study = (tmp_path / "studies" / "synthetic-clear-difference.yaml").read_text("utf-8")
    (tmp_path / "studies" / "synthetic-newline-id.yaml").write_text(
        study.replace("id: synthetic-clear-difference", "id: synthetic-newline-id")
        .replace("  - id: lower-score", '  - id: "lower-score\\n"'), encoding="utf-8")
    nbformat.write(_notebook_publishing("lower-score\n"),
                   tmp_path / "notebooks" / "synthetic_newline_id.ipynb")
    for name, study, notebook in (
            ("synthetic-good", "synthetic-clear-difference", "synthetic_minimal"),
            ("synthetic-study-id", "synthetic-newline-id", "synthetic_minimal"),
            ("synthetic-notebook-id", "synthetic-clear-difference", "synthetic_newline_id")):
        (tmp_path / "analyses" / f"{name}.yaml").write_text(
            f"study: ../studies/{study}.yaml\nnotebook: ../notebooks/{notebook}.ipynb\n",
            encoding="utf-8")
    return tmp_path


def test_run_record_refuses_ids_with_a_line_break_and_keeps_files_parsing(project):
    analyses = project / "analyses"
    before = {path.name: path.read_text("utf-8") for path in analyses.iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "reanalyse", "run", "--record", "--jobs", "1",
         str(analyses), "--out", str(project / "reports")], capture_output=True, text=True,
        timeout=600, cwd=project, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    # the study file's id is refused with its file, line, field and value
    assert "synthetic-newline-id.yaml:16: claims[0].id = 'lower-score\\n'" in output
    # the notebook's published id is refused as a result that cannot be recorded
    assert "the notebook published the claim id 'lower-score\\n'" in output
    # the good analysis is recorded; the others are left as they were, and every file parses
    good = load_analysis(analyses / "synthetic-good.yaml")
    assert good.expected == {"lower-score": "reproduced"}
    for name in ("synthetic-study-id.yaml", "synthetic-notebook-id.yaml"):
        assert (analyses / name).read_text("utf-8") == before[name]
        assert load_analysis(analyses / name).expected == {}


def test_a_review_pool_id_with_a_line_break_is_refused(tmp_path):
    source = (REVIEWS / "synthetic-survives-impossible.yaml").read_text("utf-8")
    pool_line = next(line for line in source.splitlines() if line.lstrip().startswith("- id:")
                     and "pools" not in line)
    indent, pool_id = pool_line.split("- id:")
    (tmp_path / "reviews").mkdir()
    shutil.copytree(REVIEWS.parent / "studies", tmp_path / "studies")  # the rows' study files
    path = tmp_path / "reviews" / "synthetic-survives-impossible.yaml"
    path.write_text(source.replace(pool_line, f'{indent}- id: "{pool_id.strip()}\\n"', 1),
                    encoding="utf-8")
    load_review(REVIEWS / "synthetic-survives-impossible.yaml")  # the file as it is loads
    with pytest.raises(ReanalyseError, match=r"id = '.*\\n'"):
        load_review(path)


@pytest.mark.parametrize("claim_id", ["x\n", 'a"b\\c', "true", "a: b #c", "é", "\u2028", "-x"])
def test_recorded_keys_read_back_as_the_same_text(tmp_path, claim_id):
    path = tmp_path / "synthetic.yaml"
    path.write_text("study: ../studies/s.yaml\n", encoding="utf-8")
    record_expected(path, {claim_id: "reproduced", "plain-id": "fragile"})
    import yaml

    assert yaml.safe_load(path.read_text("utf-8"))["expected"] == {
        claim_id: "reproduced", "plain-id": "fragile"}


def test_a_draft_refuses_a_study_id_with_a_line_break():
    from reanalyse.drafting import draft

    text = ("Sixty women were randomised to massage (n = 30) or routine care (n = 30). "
            "Scores were lower after massage (8.1 vs 10.2, P = .01).")
    with pytest.raises(ReanalyseError, match="is not a study id"):
        draft(text, "smith-2020\n")
