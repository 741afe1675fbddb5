"""What the claim-check notebook presents: tables, badges, plain words, the plots' numbers."""

import html as html_module
import io
from dataclasses import replace
from pathlib import Path

import pytest

from reanalyse.reports import plots, report
from reanalyse.claims.assess import CheckOptions, check_study
from reanalyse.runner.batch import AnalysisRun
from reanalyse.runner.errors import RunError
from reanalyse.runner.progress import Progress
from reanalyse.model.studyfile import load_study

STUDIES = Path(__file__).parents[1] / "fixtures" / "run" / "studies"


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
    grid = plots.significance_grid(check, study)
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
    # titles wrapped to the panel's width
    assert [axes.get_title().replace("\n", " ") for axes in figure.axes] == [
        label for _, label in grid.tests]


def test_no_significance_map_for_continuous_claims():
    study = load_study(STUDIES / "synthetic-clear-difference.yaml")
    result = check_study(study)
    assert plots.significance_grid(result.claims[0], study) is None


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
    # t <= 0.13 over the rounding box (tests/runner/test_run.py): p > 0.89 for both t-tests
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
    from reanalyse.claims.verdicts import Verdict

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
        failed = status in ("bad_input", "failed")
        progress("done", AnalysisRun(status, Path(f"{status}.yaml"), status, duration=duration,
                                     error=RunError(None, "x", "") if failed else None))
    assert (progress.bar.n, progress.bar.total) == (3, 3)
    progress.close()


def test_the_terminal_speaks_in_labels_with_plurals_right():
    from reanalyse.commands.run import format_changes
    from reanalyse.runner.batch import RunReport
    from reanalyse.runner.progress import describe

    verdicts = {"a": "impossible_input", "b": "fragile", "c": "impossible_input"}
    run = AnalysisRun("eradi-2024", Path("eradi-2024.yaml"), "ran", duration=1.23,
                      verdicts=verdicts, expected=verdicts)
    # counted in the vocabulary's order, whatever the claims' order
    assert describe(run) == "eradi-2024: ran in 1.2 s (1 fragile, 2 impossible numbers)"
    changed = replace(run, verdicts={"a": "insufficient_information", "b": "decision_flip"},
                      expected={"a": "reproduced", "b": "reproduced"})
    assert describe(changed) == ("eradi-2024: ran in 1.2 s (1 decision flips, 1 insufficient "
                                 "information; 2 changed verdicts)")
    new = replace(run, verdicts={"a": "reproduced"}, expected={})
    assert describe(new) == "eradi-2024: ran in 1.2 s (1 reproduced; 1 new claim)"
    diff = format_changes(RunReport(runs=(changed,), out=Path("r"), index=Path("r/index.html"),
                                    csv=Path("r/verdicts.csv"), duration=1.0))
    assert "-  a: reproduced\n+  a: insufficient information" in diff
    assert "_" not in diff.replace("eradi-2024", "")


def test_one_reader_label_per_verdict():
    from reanalyse.claims.labels import VERDICT_LABELS, verdict_from_label
    from reanalyse.claims.verdicts import Verdict

    assert set(VERDICT_LABELS) == {verdict.value for verdict in Verdict}
    labels = list(VERDICT_LABELS.values())
    assert len(set(labels)) == len(labels)
    assert all("_" not in label and label == label.lower() for label in labels)
    assert VERDICT_LABELS["insufficient_information"] == "insufficient information"
    for name, label in VERDICT_LABELS.items():
        assert verdict_from_label(label) == name == verdict_from_label(name)


def test_summary_opens_with_one_sentence_per_claim_and_the_legend(counts):
    study, result = counts
    summary = report.summary(result, study)
    html = summary.text
    body = html.split("</style>", 1)[1]
    assert body.index('<h1 class="rea-title"') < body.index('class="rea-bottom-line"') \
        < body.index('class="rea-table rea-verdicts') < body.index('class="rea-legend"')
    assert html_module.escape(result.claims[0].reason) in html  # the verdict's own reason
    assert summary._repr_mimebundle_()[report.CHECK_MIMETYPE]["claims"] == \
        result.to_dict()["claims"]
    assert report.short_title(study) == "synthetic-counts"  # no author and year to read


def test_short_title_from_a_vancouver_citation():
    study = load_study(Path(__file__).parents[2] / "data" / "raisi-dehkordi-2019.yaml")
    assert report.short_title(study) == "Raisi Dehkordi et al. 2019"


def test_provenance_is_collapsed_and_relative_to_the_project(tmp_path):
    from reanalyse.model.analysis import load_analysis

    for folder in ("data", "analyses"):
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "synthetic-counts.yaml").write_text(
        (STUDIES / "synthetic-counts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "analyses" / "synthetic-counts.yaml").write_text(
        "study: ../data/synthetic-counts.yaml\nnotebook: "
        f"{Path(__file__).parents[2] / 'notebooks' / 'claim_check.ipynb'}\n", encoding="utf-8")
    analysis = load_analysis(tmp_path / "analyses" / "synthetic-counts.yaml")
    study = load_study(analysis.study)
    html = report.provenance(study, analysis).text
    assert html.count("<details") == 1 and "<details open" not in html
    assert "<code>data/synthetic-counts.yaml</code>" in html
    assert "<code>analyses/synthetic-counts.yaml</code>" in html
    assert str(tmp_path) not in html
    summary = report.summary(check_study(study), study, analysis)
    assert summary.data["path"] == "data/synthetic-counts.yaml"


def test_scrub_takes_the_project_and_home_folders_out(tmp_path, monkeypatch):
    from reanalyse.reports.paths import display_path, scrub

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "home" / "project"
    text = f'"{root}/data/x.yaml" and {tmp_path}/home/notes.txt; {root}2/y'
    assert scrub(text, root) == '"data/x.yaml" and ~/notes.txt; ~/project2/y'
    assert display_path(root / "data" / "x.yaml", root) == "data/x.yaml"
    assert display_path(tmp_path / "elsewhere.yaml", root) == "elsewhere.yaml"


def test_printed_numbers_read_as_a_sentence(counts):
    study, result = counts
    text = report.printed_numbers(result.claims[0], study).text
    assert "The paper reports a chi-square test: p = 0.034." in text
    assert "It calls the result significant (alpha = 0.05)." in text
    bare = replace(result.claims[0].claim, reported=replace(result.claims[0].claim.reported,
                                                            test=None, p=None))
    text = report.printed_numbers(replace(result.claims[0], claim=bare), study).text
    assert "The paper prints no test statistic, p-value or estimate" in text
    assert "none." not in text and "test: " not in text


def test_a_table_shows_its_p_values_with_one_number_of_decimals(counts):
    import re

    _, result = counts
    html = report.tests_table(result.claims[0]).text
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', html)
    p_values = [value for cell in cells for value in re.findall(r"\d+\.\d+", cell)
                if cell.startswith("0.")]
    assert p_values and len({len(value.split(".")[1]) for value in p_values}) == 1
    # R: chisq.test(matrix(c(15, 45, 26, 34), 2), correct = FALSE)$p.value = 0.03423628
    assert "0.0342" in p_values


def test_continuous_claims_show_no_count_based_lines_and_baseline_once():
    study = load_study(STUDIES / "synthetic-clear-difference.yaml")
    result = check_study(study)
    from reanalyse.reports.report.robustness import _robustness_lines

    lines = _robustness_lines(result.claims[0], study)
    assert lines and not any("count" in line for line in lines)
    assert all(line[0].isupper() and line.endswith(".") for line in lines)
    section = report.robustness_section(result, study).text
    assert section.count("Baseline balance") <= 1


def test_one_significance_map_for_two_claims_on_one_outcome(counts, monkeypatch):
    import IPython.display

    study, _ = counts
    second = replace(study.claims[0], id="fewer-relapses-again")
    study = replace(study, claims=(study.claims[0], second))
    result = check_study(study)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda item: shown.append(str(item)))
    report.show_claims(result, study)
    assert sum("<h4>Significance map</h4>" in text for text in shown) == 1
    assert any("shown under fewer-relapses." in text for text in shown)


def test_p_interval_plot_is_sized_from_its_labels(counts):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _, result = counts
    check = result.claims[0]
    short = plots.p_interval_plot(check)
    long_spec = replace(check.specs[0], label="a test with a very long name " * 3)
    wide = plots.p_interval_plot(replace(check, specs=(long_spec,) + check.specs[1:]))
    # never wider than a phone shows legibly (long labels wrap instead)
    assert short.get_figwidth() <= wide.get_figwidth() <= plots.PHONE_WIDTH_INCHES
    for figure in (short, wide):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        page = figure.bbox
        axes = figure.axes[0]
        assert axes.bbox.width > 0.45 * page.width  # labels do not squeeze the plot
        # no text is cut at the figure's edge: title, test labels, axis label, legend
        for text in [figure._suptitle, *axes.get_yticklabels(), axes.xaxis.label,
                     *figure.legends[0].get_texts()]:
            box = text.get_window_extent(renderer)
            assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, text.get_text()


def test_failure_page_shows_message_and_hint_once_and_no_json():
    from reanalyse.errors import StudyFileError
    from reanalyse.runner.outputs import error_page

    error = StudyFileError("data/x.yaml", "SD must be positive", field="outcomes[0].arms.a.sd",
                           value="0", line=12, hint="check the source")
    page = error_page("x", RunError.from_input_error(error, "bad study file"))
    assert page.count("check the source") == 1
    assert page.count("SD must be positive") == 2  # the message, and the Problem detail
    assert "<dt>Line</dt><dd>12</dd>" in page and "{" not in page.split("<body>")[1]


def test_the_index_names_a_study_once():
    from reanalyse.runner.index import index_html

    same = AnalysisRun("raisi-dehkordi-2019", Path("a.yaml"), "ran", duration=1.0,
                       verdicts={"x": "reproduced"}, expected={"x": "reproduced"},
                       study={"id": "raisi-dehkordi-2019", "citation": "Raisi Dehkordi Z."})
    other = replace(same, name="raisi-strict")
    page = index_html([same, other], {})
    # the analysis named like its study shows the id once; another analysis of it names it
    cells = page.split("<tbody>")[1]
    assert cells.count("raisi-dehkordi-2019") == 2  # the first row's name, the second's study
    assert '"Study">raisi-dehkordi-2019<br><span' in cells
    assert "run. ." not in page and "run.</footer>" in page  # no versions: no empty sentence
