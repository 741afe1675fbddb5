"""What the claim-check notebook presents: tables, badges, plain words, the plots' numbers."""

import io
from dataclasses import replace
from pathlib import Path

import pytest

from reanalyse.reports import plots, report
from reanalyse.checks.check import CheckOptions, check_study
from reanalyse.runner.batch import AnalysisRun
from reanalyse.runner.progress import Progress
from reanalyse.model.studyfile import load_study

STUDIES = Path(__file__).parent / "fixtures" / "run" / "studies"


@pytest.fixture(scope="module")
def counts():
    """15/60 vs 26/60 (tests/fixtures/run/studies/synthetic-counts.yaml)."""
    study = load_study(STUDIES / "synthetic-counts.yaml")
    return study, check_study(study)


def test_significance_map_cells_match_r(counts):
    """R, for matrix(c(a, 60 - a, c, 60 - c), 2):
    (15, 26): chisq.test(correct = FALSE) p = 0.0342, chisq.test() p = 0.0543, fisher 0.0536
    (14, 26): 0.0201, 0.0332, 0.0325 - all three significant at 0.05
    (16, 26): 0.0556, 0.0850, 0.0844 - none significant."""
    study, result = counts
    check = result.claims[0]
    grid = plots.significance_grid(check, study, result.options)
    assert grid.printed == (15, 26)
    assert grid.feasible == ((15, 26),)
    assert (grid.treat_events[0], grid.treat_events[-1]) == (9, 21)  # 6 either side
    names = [name for name, _ in grid.tests]
    assert names == ["pearson_chi2", "yates_chi2", "fisher_exact", "boschloo_exact", "z_pooled"]

    def cell(name, a, c):
        return grid.significant[name][grid.treat_events.index(a), grid.control_events.index(c)]

    expected = {(15, 26): (1, 0, 0), (14, 26): (1, 1, 1), (16, 26): (0, 0, 0)}
    for (a, c), (pearson, yates, fisher) in expected.items():
        assert (cell("pearson_chi2", a, c), cell("yates_chi2", a, c),
                cell("fisher_exact", a, c)) == (pearson, yates, fisher)
        # the pooled z-test's two-sided p equals Pearson's (z**2 = X**2)
        assert cell("z_pooled", a, c) == pearson
    figure = plots.significance_map(grid)
    assert [axes.get_title() for axes in figure.axes] == [label for _, label in grid.tests]


def test_no_significance_map_for_continuous_claims():
    study = load_study(STUDIES / "synthetic-clear-difference.yaml")
    result = check_study(study)
    assert plots.significance_grid(result.claims[0], study, result.options) is None


def test_p_interval_plot_draws_every_computed_test(counts):
    _, result = counts
    check = result.claims[0]
    figure = plots.p_interval_plot(check)
    axes = figure.axes[0]
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    computed = [spec for spec in check.specs if spec.computed]
    assert len(labels) == len(computed)
    assert labels[-1].startswith(computed[0].label)  # the first test is drawn on top
    assert axes.get_xscale() == "log"
    assert 0.05 in [line.get_xdata()[0] for line in axes.get_lines()]  # alpha is marked


def test_verdict_table_carries_the_check_and_marks_changes(counts):
    _, result = counts
    table = report.verdict_table(result, expected={"fewer-relapses": "reproduced"})
    bundle = table._repr_mimebundle_()
    assert bundle[report.CHECK_MIMETYPE] == result.to_dict()
    assert bundle["text/plain"] == "fewer-relapses: fragile"
    html = bundle["text/html"]
    assert 'rea-v-fragile' in html and ">fragile<" in html
    assert "changed" in html
    unchanged = report.verdict_table(result, expected={"fewer-relapses": "fragile"})
    assert "changed" not in unchanged.text


def test_text_from_study_files_is_escaped(counts):
    study, result = counts
    hostile = "<script>alert('x')</script>"
    study = replace(study, citation=hostile)
    claim = replace(result.claims[0].claim, text=hostile)
    check = replace(result.claims[0], claim=claim)
    result = replace(result, claims=(check,))
    for html in (report.study_header(study).text, report.verdict_table(result).text,
                 report.explanation(check, study).text):
        assert hostile not in html
        assert "&lt;script&gt;" in html


def test_plain_words_say_which_tests_support_the_claim(counts):
    study, result = counts
    text = report.explain(result.claims[0], study)
    assert "significant at alpha = 0.05 (printed p 0.034)" in text
    assert "rebuilt 5 tests" in text
    # Pearson p = 0.0342 supports it; Yates p = 0.0543 and Fisher p = 0.0536 (R) do not
    supporting, against = text.split(" do not: ")
    assert "Pearson's chi-square (p = 0.0342)" in supporting
    assert "Yates-corrected chi-square (p = 0.0543)" in against
    assert "Fisher's exact test (p = 0.0536)" in against
    assert "Verdict: fragile" in text


def test_plain_words_for_a_decision_flip_and_missing_numbers():
    study = load_study(STUDIES / "synthetic-no-difference.yaml")
    result = check_study(study)
    text = report.explain(result.claims[0], study)
    # t <= 0.13 over the rounding box (tests/test_run.py): p > 0.89 for both t-tests
    assert "2 tests do not:" in text
    assert "Verdict: decision flips" in text
    assert "no defensible test gives the claimed significance" in text

    bare = replace(study, outcomes=(replace(study.outcomes[0], arms={
        "treat": replace(study.outcomes[0].arms["treat"], sd=None),
        "control": study.outcomes[0].arms["control"]}),))
    check = check_study(bare, CheckOptions()).claims[0]
    assert check.verdict.value == "insufficient_information"
    assert "does not print sd for Treatment" in report.explain(check, bare)


def test_badges_have_a_label_and_a_meaning_for_every_verdict():
    from reanalyse.checks.verdicts import Verdict

    for verdict in Verdict:
        html = report.badge(verdict)
        assert f"rea-v-{verdict.value}" in html
        assert report.VERDICT_LABELS[verdict.value] in html
        assert f".rea-v-{verdict.value} " in report.BADGE_STYLE


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_counts_every_executed_analysis_and_skips_the_rest():
    # planned: 4 analyses, 3 to execute; the settled ones are an executed success, an
    # executed analysis the worker found bad (unknown parameter), an executed failure, and
    # an up-to-date one: the bar must reach 3 of 3
    stream = _Terminal()
    progress = Progress(stream)
    progress("planned", (4, 3, 1))
    progress("started", 3)
    for status, duration in (("ran", 1.0), ("bad_input", 0.2), ("failed", 0.5),
                             ("up_to_date", 1.0)):
        progress("done", AnalysisRun(status, Path(f"{status}.yaml"), status, duration=duration,
                                     error={"summary": "x"} if status in ("bad_input", "failed")
                                     else None))
    assert (progress.bar.n, progress.bar.total) == (3, 3)
    progress.close()
