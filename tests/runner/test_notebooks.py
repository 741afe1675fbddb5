"""The notebook templates in notebooks/: committed clean, parameterised, runnable by papermill."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reanalyse.model.vocabulary import CHECK_MIMETYPE

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
#: What the runner passes to every template (reanalyse.runner.execution).
RUNNER_PARAMETERS = {"analysis_path", "study_path"}


def template_problems(path: Path, *, for_runner: bool = True) -> list[str]:
    """What is wrong with a notebook as a committed template (empty when nothing).

    ``for_runner``: the template is named by an analysis file, so it must declare the
    parameters ``reanalyse run`` passes.
    """
    from papermill import inspect_notebook

    notebook = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has outputs (clear them before committing)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count")
    tagged = [cell for cell in notebook.cells
              if "parameters" in cell.get("metadata", {}).get("tags", ())]
    if len(tagged) != 1:
        problems.append(f"{len(tagged)} cells are tagged 'parameters' (need exactly one)")
    elif for_runner:
        declared = set(inspect_notebook(str(path)))
        missing = RUNNER_PARAMETERS - declared
        if missing:
            problems.append("the parameters cell does not declare " + ", ".join(sorted(missing)))
    if notebook.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("the kernel is not python3")
    return problems


def used_by_analyses() -> set[Path]:
    """The templates the shipped analysis files name."""
    from reanalyse.model.analysis import find_analyses, load_analysis

    return {load_analysis(path).notebook for path in find_analyses(ROOT / "analyses")}


def test_there_are_templates():
    assert ROOT / "notebooks" / "claim_check.ipynb" in TEMPLATES
    assert ROOT / "notebooks" / "claim_check.ipynb" in used_by_analyses()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_template_is_committed_clean_and_parameterised(path):
    assert template_problems(path, for_runner=path in used_by_analyses()) == []


def test_the_check_finds_outputs_and_a_missing_parameters_cell(tmp_path):
    notebooks = FIXTURES / "notebooks"
    assert template_problems(notebooks / "synthetic_with_outputs.ipynb") == [
        "cell 2 has outputs (clear them before committing)", "cell 2 has an execution count"]
    assert template_problems(notebooks / "synthetic_no_parameters.ipynb") == [
        "0 cells are tagged 'parameters' (need exactly one)"]
    assert template_problems(notebooks / "synthetic_minimal.ipynb") == []
    undeclared = nbformat.read(notebooks / "synthetic_minimal.ipynb", as_version=4)
    undeclared.cells[1].source = "analysis_path = None"
    nbformat.write(undeclared, tmp_path / "synthetic_undeclared.ipynb")
    assert template_problems(tmp_path / "synthetic_undeclared.ipynb") == [
        "the parameters cell does not declare study_path"]


@pytest.mark.skipif(shutil.which("papermill") is None and not (
    Path(sys.executable).parent / "papermill").exists(), reason="the papermill CLI is not on PATH")
def test_plain_papermill_cli_runs_the_template(tmp_path):
    """The documented plain-papermill use: parameters are file paths (relative to the
    working directory), and the executed notebook carries the check's verdicts."""
    shutil.copytree(FIXTURES / "studies", tmp_path / "studies")
    output = tmp_path / "out.ipynb"
    papermill = shutil.which("papermill") or str(Path(sys.executable).parent / "papermill")
    result = subprocess.run(
        [papermill, str(ROOT / "notebooks" / "claim_check.ipynb"), str(output),
         "-p", "study_path", "studies/synthetic-counts.yaml", "--cwd", str(tmp_path),
         "--no-progress-bar"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(output, as_version=4)
    published = [output["data"][CHECK_MIMETYPE] for cell in executed.cells
                 for output in cell.get("outputs", ()) if CHECK_MIMETYPE in output.get("data", {})]
    assert len(published) == 1
    # 15/60 vs 26/60: Pearson p = 0.0342, Yates p = 0.0543 (R chisq.test): fragile
    assert [(c["id"], c["verdict"]) for c in published[0]["claims"]] == [
        ("fewer-relapses", "fragile")]
    assert json.dumps(published[0])  # JSON-ready
