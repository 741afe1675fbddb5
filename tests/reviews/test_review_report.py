"""Reviews through the runner: the review notebook's report opens with its bottom line and a
forest plot, the JSON carries the pooled lines' verdicts, the index lists reviews first, and
an unchanged review is not run again."""

import json
import re
import shutil
from pathlib import Path

import pytest

from reanalyse.reviews import check_review
from reanalyse.runner import RunOptions, run_analyses

ROOT = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).parents[1]
REVIEW = "synthetic-rests-on-impossible"


def review_workspace(folder: Path) -> Path:
    """A project with one synthetic review, its study file, one analysis and the templates."""
    (folder / "reviews").mkdir()
    shutil.copy(TESTS / "reviews" / f"{REVIEW}.yaml", folder / "reviews")
    (folder / "studies").mkdir()
    shutil.copy(TESTS / "studies" / "synthetic-impossible-mean.yaml", folder / "studies")
    shutil.copy(TESTS / "fixtures" / "run" / "studies" / "synthetic-clear-difference.yaml",
                folder / "studies")
    (folder / "notebooks").mkdir()
    for name in ("review.ipynb", "claim_check.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, folder / "notebooks")
    (folder / "analyses").mkdir()
    (folder / "analyses" / "synthetic-clear-difference.yaml").write_text(
        "study: ../studies/synthetic-clear-difference.yaml\n"
        "notebook: ../notebooks/claim_check.ipynb\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    workspace = review_workspace(tmp_path_factory.mktemp("review-run"))
    paths = [workspace / "analyses", workspace / "reviews"]
    report = run_analyses(paths, RunOptions(out=workspace / "reports", jobs=2))
    return workspace, report


def test_the_review_runs_beside_the_analysis(ran):
    workspace, report = ran
    runs = {run.name: run for run in report.runs}
    assert {run.status for run in report.runs} == {"ran"}
    assert runs[REVIEW].kind == "review" and runs["synthetic-clear-difference"].kind == "analysis"
    expected = check_review(workspace / "reviews" / f"{REVIEW}.yaml").pools[0]
    assert runs[REVIEW].verdicts == {"score": expected.verdict.value}
    assert runs[REVIEW].reasons["score"] == expected.reason
    assert report.exit_code == 0  # nothing recorded yet: new, not changed


def test_the_report_opens_with_its_bottom_line_then_the_forest_plot(ran):
    workspace, _ = ran
    page = (workspace / "reports" / f"{REVIEW}.html").read_text(encoding="utf-8")
    bottom, forest = page.index("Bottom line"), page.index('aria-label="Forest plot of')
    assert bottom < forest
    assert page.index("Bottom line") < page.index("Pooled line by pooled line")
    for text in ("Leave one out", "whose own numbers are impossible", "Printed",
                 "impossible numbers", "Provenance"):
        assert text in page, text
    data = json.loads((workspace / "reports" / f"{REVIEW}.json").read_text(encoding="utf-8"))
    assert data["kind"] == "review" and data["claims"][0]["id"] == "score"
    assert data["claims"][0]["survives_without_impossible"] is False
    assert data["path"] == f"reviews/{REVIEW}.yaml"


def test_the_index_lists_reviews_first_with_their_bottom_line(ran):
    workspace, report = ran
    index = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr class=\"[^\"]*\"><td data-label=\"Analysis\"><strong>([^<]+)",
                      index)
    assert rows == [REVIEW, "synthetic-clear-difference"]
    reason = next(run for run in report.runs if run.name == REVIEW).reasons["score"]
    assert reason.split(":")[0] in index
    # one analysis file and one review file: counted as what they are
    assert "<span>1 analysis and 1 review</span>" in index


def test_an_unchanged_review_is_not_run_again_and_a_changed_study_file_runs_it(ran):
    workspace, _ = ran
    paths = [workspace / "reviews"]
    again = run_analyses(paths, RunOptions(out=workspace / "reports", jobs=1))
    assert [run.status for run in again.runs] == ["up_to_date"]
    study = workspace / "studies" / "synthetic-impossible-mean.yaml"
    study.write_text(study.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    changed = run_analyses(paths, RunOptions(out=workspace / "reports", jobs=1))
    assert [run.status for run in changed.runs] == ["ran"]
