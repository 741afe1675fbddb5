"""A failed analysis's pages carry nothing of the machine that made them: a notebook whose cell
raises deep inside NumPy (site-packages) and this package, after printing
a temporary file's path, leaves no absolute path of the machine (its Python's prefixes and
site-packages, this package's source folder, the home folder, the temporary folder, the
project) in any file the run writes."""

import os
import shutil
import site
import sys
import sysconfig
import tempfile
from pathlib import Path

import nbformat

from reanalyse.runner import RunOptions, run_analyses

FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
PACKAGE = Path(__file__).resolve().parents[2] / "src"


def _failing_notebook() -> nbformat.NotebookNode:
    parameters = nbformat.v4.new_code_cell("analysis_path = None\nstudy_path = None")
    parameters.metadata["tags"] = ["parameters"]
    cells = [parameters,
             nbformat.v4.new_code_cell(
                 "import tempfile\n"
                 "handle = tempfile.NamedTemporaryFile(suffix='.txt', delete=False)\n"
                 "print('scratch file:', handle.name)"),
             nbformat.v4.new_code_cell(  # a traceback through NumPy's and this package's files
                 "import numpy as np\n"
                 "from reanalyse.model.studyfile import load_study\n"
                 "np.vectorize(load_study)([handle.name + '.missing.yaml'])")]
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def _machine_folders(project: Path) -> set[str]:
    folders = {*site.getsitepackages(), site.getusersitepackages(), sys.prefix,
               sys.base_prefix, tempfile.gettempdir(), os.path.expanduser("~"), str(project),
               str(PACKAGE), sysconfig.get_paths()["stdlib"]}
    return {os.path.realpath(folder) for folder in folders} | {os.path.abspath(folder)
                                                              for folder in folders}


def test_a_failed_notebook_run_writes_no_path_of_the_machine(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "studies", project / "studies")
    (project / "notebooks").mkdir()
    nbformat.write(_failing_notebook(), project / "notebooks" / "synthetic_fails.ipynb")
    (project / "analyses").mkdir()
    (project / "analyses" / "synthetic-fails.yaml").write_text(
        "study: ../studies/synthetic-clear-difference.yaml\n"
        "notebook: ../notebooks/synthetic_fails.ipynb\n", encoding="utf-8")
    report = run_analyses([project / "analyses"], RunOptions(out=project / "reports", jobs=1))
    assert [run.status for run in report.runs] == ["failed"]
    written = {path.name: path.read_text("utf-8") for path in (project / "reports").iterdir()
               if path.is_file()}
    failed = written["synthetic-fails.failed.html"]
    # the traceback is there, its frames named inside their packages
    assert "FileNotFoundError" in failed or "file not found" in failed
    notebook = written["synthetic-fails.failed.ipynb"]
    assert "numpy/lib/" in notebook and "reanalyse/model/yamltext.py" in notebook
    folders = _machine_folders(project)
    assert all(len(folder) > 1 for folder in folders)
    for name, text in written.items():
        for folder in folders:
            assert folder + os.sep not in text, (name, folder)
