"""Review files: printed decimals kept, study files resolved, every problem named at once."""

import shutil
import textwrap
from pathlib import Path

import pytest

from reanalyse.errors import ReviewFileError
from reanalyse.model.review import is_review_file, review_analysis
from reanalyse.model.reviewfile import load_review

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "tests" / "fixtures" / "run" / "studies" / "synthetic-clear-difference.yaml"

GOOD = """\
id: {stem}
citation: "Synthetic review for tests"
pools:
  - id: score
    label: Score
    measure: MD
    model: random
    studies:
      - {{id: a, treat: {{n: 20, mean: 8.60, sd: 2.10}}, control: {{n: 20, mean: 10.0, sd: 2.5}}}}
      - {{id: b, treat: {{n: 30, mean: 9.10, sd: 2.0}}, control: {{n: 31, mean: 9.9, sd: 2.4}}}}
    printed: {{estimate: -1.10, ci: [-2.10, -0.10], z: 2.15, p: ".03", i2: 0, chi2: 0.50, df: 1}}
"""


def write(folder, text, stem="synthetic-review"):
    path = folder / f"{stem}.yaml"
    path.write_text(textwrap.dedent(text).format(stem=stem), encoding="utf-8")
    return path


def test_printed_numbers_keep_their_decimals(tmp_path):
    review = load_review(write(tmp_path, GOOD))
    pool = review.pools[0]
    assert pool.measure == "MD" and pool.model == "random" and pool.type == "continuous"
    assert str(pool.studies[0].treat.mean) == "8.60"
    assert pool.studies[0].treat.mean.decimals == 2
    printed = pool.printed
    assert [str(end) for end in printed.ci] == ["-2.10", "-0.10"]
    assert str(printed.estimate) == "-1.10" and str(printed.q) == "0.50" and printed.df == 1
    assert printed.statistic_kind == "z" and printed.p.relation == "="


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, """\
        id: {stem}
        citation: "Synthetic review for tests"
        pools:
          - id: score
            measure: MD
            mesure: MD
            studies:
              - {{id: a, treat: {{n: 20, mean: 8.60, sd: -2.10}}, control: {{n: 20, mean: 10.0, sd: 2.5}}}}
              - {{id: b, treat: {{n: 30, mean: 9.10}}, control: {{n: 31, mean: 9.9, sd: 2.4}}}}
            printed: {{p: "about .03", i2: 140}}
          - id: events
            measure: OR
            estimator: REML
            model: common
            studies:
              - {{id: c, treat: {{n: 20, events: 25}}, control: {{n: 20, events: 3}}}}
            printed: {{estimate: -0.5}}
        expected: {{score: reproducd}}
        """)
    with pytest.raises(ReviewFileError) as caught:
        load_review(path)
    problems = caught.value.problems
    found = {(p.field, p.line) for p in problems}
    assert ("pools[0].mesure", 6) in found                       # unknown key, its line
    assert ("pools[0].studies[0].treat.sd", 8) in found          # a negative SD
    assert ("pools[0].studies[1].treat", 9) in found              # an arm without its SD
    assert ("pools[0].printed.p", 10) in found                    # not a p-value
    assert ("pools[0].printed.i2", 10) in found                   # I² beyond 100
    assert ("pools[1].estimator", 13) in found                    # REML in a common model
    assert ("pools[1].studies[0].treat.events", 16) in found      # more events than n
    assert ("pools[1].printed.estimate", 17) in found             # an OR below zero
    assert ("expected.score", 18) in found                        # a misspelt verdict
    assert len(problems) == 9
    text = str(caught.value)
    assert text.startswith(f"9 problems in {path}")
    assert "did you mean 'measure'?" in text and "did you mean 'reproduced'?" in text
    assert all(p.hint for p in problems)


def test_a_study_file_row_names_its_outcome_and_arms(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(STUDY, data / STUDY.name)
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    good = write(reviews, f"""\
        id: {{stem}}
        citation: "Synthetic review for tests"
        pools:
          - id: score
            measure: MD
            studies:
              - {{{{study: ../data/{STUDY.name}, outcome: score, arms: [treat, control]}}}}
              - {{{{id: b, treat: {{{{n: 30, mean: 9.10, sd: 2.0}}}}, control: {{{{n: 31, mean: 9.9, sd: 2.4}}}}}}}}
        """)
    review = load_review(good)
    row = review.pools[0].studies[0]
    assert row.study_path == data / STUDY.name and row.outcome == "score"
    assert row.arms == ("treat", "control") and row.id == STUDY.stem
    assert review.study_files == (data / STUDY.name,)
    analysis = review_analysis(review)
    assert analysis.kind == "review" and analysis.study == good and \
        analysis.inputs == (data / STUDY.name,)
    assert analysis.notebook == tmp_path / "notebooks" / "review.ipynb"
    assert is_review_file(good)

    bad = write(reviews, f"""\
        id: {{stem}}
        citation: "Synthetic review for tests"
        pools:
          - id: score
            measure: OR
            studies:
              - {{{{study: ../data/{STUDY.name}, outcome: scor}}}}
              - {{{{study: ../data/{STUDY.name}, outcome: score, arms: [treat, placebo]}}}}
              - {{{{study: ../data/missing.yaml, outcome: score}}}}
        """, stem="synthetic-bad-rows")
    with pytest.raises(ReviewFileError) as caught:
        load_review(bad)
    problems = {p.field: p for p in caught.value.problems}
    assert "did you mean 'score'?" in problems["pools[0].studies[0].outcome"].hint
    assert problems["pools[0].studies[1].outcome"].problem.startswith("a continuous outcome")
    assert problems["pools[0].studies[2].study"].problem == "no such file"
    assert problems["pools[0].studies[2].study"].line == 9


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "id: x\n", "pools: 3\n", ": : :\n"])
def test_malformed_files_give_a_review_file_error(tmp_path, text):
    path = tmp_path / "synthetic-malformed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewFileError):
        load_review(path)


def test_the_run_reports_a_bad_review_with_exit_2(tmp_path, capsys):
    from reanalyse.cli import main

    reviews = tmp_path / "reviews"
    reviews.mkdir()
    path = write(reviews, GOOD.replace("measure: MD", "measure: HR"))
    status = main(["run", str(path), "--out", str(tmp_path / "reports")])
    out = capsys.readouterr()
    assert status == 2
    assert "pools[0].measure" in out.out + out.err and "Traceback" not in out.out + out.err
    assert "1 review: 0 ran, 0 up to date, 1 failed" in out.out + out.err  # not "1 analysis"
@pytest.mark.parametrize("name", ["michael-2013", "hahn-2001"])
def test_the_shipped_reviews_load(name):
    review = load_review(ROOT / "reviews" / f"{name}.yaml")
    assert review.id == name and review.pools and all(len(p.studies) == 12
                                                       for p in review.pools)
    assert all(study.source for pool in review.pools for study in pool.studies)




def test_check_says_a_review_file_is_not_a_study_file(capsys):
    from reanalyse.cli import main

    assert main(["check", str(ROOT / "reviews" / "hahn-2001.yaml")]) == 2
    err = capsys.readouterr().err
    assert "a review file, not a study file" in err
    assert "hint: reanalyse run" in err and "Traceback" not in err
