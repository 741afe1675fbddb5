"""Inputs that generated-input runs found to crash or to cost without bound, one class each,
and a small seeded slice of the run itself (benchmarks/fuzz/run.py is the big one).

The promise under test: a clean ``ReanalyseError`` (exit status 2 from the command line) or a
bad row, never another exception; the cost of every input bounded by its size.  Inputs that
were quadratic are made large enough (100 KB and more) that the old code needed minutes; a
generous alarm (not a timing measurement) turns a hang into a failure.
"""

import contextlib
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reanalyse.claims.assess import check_file
from reanalyse.rebuild.continuous import welch_df
from reanalyse.cli import main
from reanalyse.errors import InputFileError, ReanalyseError, StudyFileError
from reanalyse.kernels.columns import read_printed
from reanalyse.kernels.printed import PrintedNumberError, parse_number
from reanalyse.model.options import CheckOptions
from reanalyse.model.studyfile import load_study
from reanalyse.screens import screen
from reanalyse.screens.articles import ReadLimits, _html_text, read_article, screen_article
from reanalyse.screens.extract import screen_text
from reanalyse.screens.tables import read_table

from model.test_studyfile import GOOD  # tests/model/, read through pythonpath = tests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "fuzz"))
import generators  # noqa: E402

STEM = "synthetic-generated"


@contextlib.contextmanager
def bounded(seconds=20):
    """Fail (rather than hang) when the block runs longer than ``seconds`` of wall time."""
    def stop(signum, frame):
        raise AssertionError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def study(tmp_path, *changes):
    text = GOOD.format(stem=STEM)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{STEM}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- uncaught exceptions -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["0e309", "0e301", "-0.0e400"])
def test_zero_with_a_huge_exponent_is_refused(text):
    # its unit 10**309 (half of it is the rounding interval's half width) is no finite float
    with pytest.raises(PrintedNumberError, match="exponent out of range"):
        parse_number(text)


def test_zero_with_the_largest_exponent_still_reads():
    assert parse_number("0e300").interval("nearest") == (-5e299, 5e299)


@pytest.mark.parametrize("old, new, field", [
    ("mean: 8.60", "mean: 0e309", "outcomes[0].arms.treat.mean"),
    ('p: "0.062"', 'p: "0e309"', "claims[0].reported.p"),
    ("percent: 45.0", "percent: 0e309", "outcomes[1].arms.control.percent"),
    ('citation: "Synthetic study for tests"', 'citation: "x"\nalpha: 0.999', "alpha"),
    ('citation: "Synthetic study for tests"', 'citation: "x"\nalpha: 1e-300', "alpha"),
    ("sd: 2.10}", "sd: 1e-300}", "outcomes[0].arms.treat.sd"),
])
def test_study_numbers_beyond_the_kernels_are_named(tmp_path, old, new, field):
    with pytest.raises(StudyFileError) as caught:
        load_study(study(tmp_path, (old, new)))
    assert caught.value.field == field and caught.value.line and caught.value.hint


@pytest.mark.parametrize("alpha", [0.9, 0.999, 1e-300, float("nan")])
def test_one_range_for_alpha(alpha):
    with pytest.raises(ValueError, match="between 1e-10 and 0.5"):
        CheckOptions(alpha=alpha)
    with pytest.raises(ValueError, match="between 1e-10 and 0.5"):
        screen(pd.DataFrame({"statistic": ["t"], "df1": ["28"], "value": ["2.2"],
                             "p": [".04"]}), check="statistic", alpha=alpha)


def test_command_line_alpha_near_one_exits_2(tmp_path, capsys):
    assert main(["check", str(study(tmp_path)), "--alpha", "0.9"]) == 2
    assert "between 1e-10 and 0.5" in capsys.readouterr().err


@pytest.mark.parametrize("changes", [
    # a scale too fine for the exact cut-off bounds: the claim is still judged
    [("scale: {min: 0, max: 30}", "scale: {min: 0, max: 1000, items: 10}")],
    # huge SDs in both arms: Welch's df from squares of 1e198 overflowed
    [("scale: {min: 0, max: 30}", "scale: {min: 0, max: 1e99}"), ("sd: 2.10}", "sd: 1e99}"),
     ("sd: 2.5}", "sd: 1e99}")],
    [("sd: 2.10}", "sd: 1e-99}"), ("sd: 2.5}", "sd: 1e-99}")],
])
def test_extreme_but_accepted_numbers_give_a_verdict(tmp_path, changes):
    result = check_file(study(tmp_path, *changes))
    assert result.claims[0].verdict.value


@pytest.mark.parametrize("scale", [1e-99, 1.0, 1e99])
def test_welch_df_does_not_depend_on_the_scale(scale):
    # by hand: v1 = 4/20 = 0.2, v2 = 9/30 = 0.3; (0.5)^2 / (0.04/19 + 0.09/29) = 47.93...
    expected = 0.25 / (0.04 / 19 + 0.09 / 29)
    v1, v2 = 0.2 * scale**2, 0.3 * scale**2
    assert welch_df(v1, v2, 20, 30) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("cell", ["1\n2", "5\r9", "\n", "\r"])
def test_a_cell_with_a_line_break_is_a_bad_row(cell):
    table = pd.DataFrame({"statistic": ["t", "t"], "df1": ["28", "28"], "value": [cell, "2.20"],
                          "p": [".04", ".06"]})
    result = screen(table, check="statistic")
    assert result["status"].tolist()[0] == "bad_input"
    assert result["status"].tolist()[1] != "bad_input"


@pytest.mark.parametrize("content", [b"", b"\n", b"  \n"])
def test_an_empty_csv_is_refused_by_name(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match="empty"):
        read_table(path)


def test_a_character_reference_of_thousands_of_digits_reads_as_replacement():
    text = _html_text(b"<p>t(28) = 2.20, p = .06 &#" + b"9" * 5000 + b"; &#x" + b"F" * 40
                      + b" &#8722;1</p>")
    assert "t(28) = 2.20, p = .06" in text and text.count("\ufffd") == 2 and "\u22121" in text


def test_a_device_is_refused_without_reading_it(tmp_path):
    found = screen_article("/dev/zero", "zero")
    assert found["status"].tolist() == ["unreadable"]
    assert "not a regular file" in found["reason"].iloc[0]
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with bounded(20):  # a pipe is refused, not waited on
        assert "not a regular file" in screen_article(fifo, "pipe")["reason"].iloc[0]


def test_a_file_larger_than_the_cap_is_refused_whatever_its_size_says(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("t(28) = 2.20, p = .06\n" * 100)
    with pytest.raises(Exception, match="larger than"):
        read_article(path, ReadLimits(max_bytes=100))


def test_a_huge_max_size_reads_the_file(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("t(28) = 2.20, p = .06\n")
    assert main(["extract", str(path), "--max-size", "1e300", "--quiet"]) == 0
    assert "decision_error" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["inf", "nan", "0"])
def test_max_size_must_be_finite(tmp_path, capsys, value):
    path = tmp_path / "a.txt"
    path.write_text("t(28) = 2.20, p = .06\n")
    assert main(["extract", str(path), "--max-size", value]) == 2
    assert "--max-size must be a finite number" in capsys.readouterr().err


def test_a_folder_with_vanishing_entries_is_walked(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("t(28) = 2.20, p = .06\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")  # vanished before it is read
    (tmp_path / "loop").symlink_to(tmp_path)  # links to folders are not followed
    assert main(["extract", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().out.count("a.txt") == 1


@pytest.mark.parametrize("arguments", [["check"], ["screen"], ["extract"]])
def test_a_path_too_long_for_the_file_system_exits_2(tmp_path, capsys, arguments):
    assert main(arguments + ["a/" * 2500]) == 2
    err = capsys.readouterr().err
    assert "too long" in err and "Traceback" not in err and len(err) < 600


def test_a_study_id_too_long_for_a_file_name_exits_2(tmp_path, capsys):
    assert main(["new", "a" * 300, "--root", str(tmp_path)]) == 2
    assert "at most 100" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.yaml"))


# --- unbounded cost ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "t(" + "1" * 100_000 + "x", "t = " + "1" * 100_000, "t" + " " * 100_000 + "x",
    "F(" + "111," * 30_000 + "1) = 2", "F(1, " + "1" * 100_000, "χ" + " " * 100_000 + "2",
])
def test_extraction_is_linear_in_the_text(text):
    with bounded(20):  # the backtracking patterns needed many minutes on these
        found = screen_text(text + " t(28) = 2.20, p = .06")
    # the result after the long run is still read
    assert "t(28) = 2.20, p = .06" in found["raw"].tolist()


@pytest.mark.parametrize("unit", ["</", "<a", "<!--", "<?", "<a b='", "&#"])
def test_html_reading_is_linear_in_the_markup(unit):
    with bounded(20):  # the standard library's parser rescans unclosed markup: minutes
        text = _html_text((unit * 200_000 + "<p>t(28) = 2.20, p = .06</p>").encode())
    # an unclosed comment hides the rest, as in a browser; otherwise the result is read
    assert ("t(28) = 2.20, p = .06" in text) == (unit != "<!--")


def test_html_keeps_its_reading_of_ordinary_markup():
    text = _html_text(b"<html><head><title>x</title></head><body><p>t(28) = 2.20, <i>p</i>"
                      b" &lt; .05</p>10<sup>-5</sup><br/>a<script>if (a<b) {}</script>b"
                      b" <!-- t(1) = 9, p = .9 --> <3</body>")
    assert text == "\n\n\nt(28) = 2.20, p < .05\n10^-5\n\nab  <3"


def test_a_pdf_over_its_work_budget_is_unreadable(tmp_path):
    path = tmp_path / "many.pdf"
    path.write_bytes(generators._pdf(b"BT /F1 10 Tf 72 720 Td " + b"(x) Tj " * 120_000 + b"ET"))
    with bounded(30):
        found = screen_article(path, "many.pdf")
    assert found["status"].tolist() == ["unreadable"]
    assert "--max-tokens" in found["reason"].iloc[0]
    small = screen_article(path, "many.pdf", ReadLimits(max_tokens=10**6))
    assert small["status"].tolist() == []  # within a larger budget it is read (no results)


def test_an_excel_cell_far_away_is_refused_without_a_dense_sheet(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "mean", "n", "5.19", 28
    sheet["XFD1048576"] = 1
    book.save(tmp_path / "far.xlsx")
    with bounded(30), pytest.raises(InputFileError, match="more than 5,000,000 cells"):
        read_table(tmp_path / "far.xlsx")
    sheet["XFD1048576"] = None
    sheet["A1048576"] = 1  # narrow, but a million rows (each row of the gap is a step)
    book.save(tmp_path / "far.xlsx")
    with bounded(30), pytest.raises(InputFileError, match="200,000 rows"):
        read_table(tmp_path / "far.xlsx")


def test_an_excel_sheet_with_gaps_reads_its_rows(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"], sheet["A4"] = "mean", "n", "5.19", 28, 1
    book.save(tmp_path / "gap.xlsx")
    table = read_table(tmp_path / "gap.xlsx")
    assert table.values.tolist() == [["5.19", "28"], ["", ""], ["1", ""]]


def test_a_header_of_thirty_thousand_columns_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["mean"] * 30_000) + "\n" + ",".join(["1"] * 30_000) + "\n")
    with bounded(20), pytest.raises(InputFileError, match="30,000 columns"):
        read_table(path)


# --- one bad piece -------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["9\x00", "\x009", "1\x002"])
def test_the_column_readers_refuse_a_nul_as_parse_number_does(cell):
    with pytest.raises(PrintedNumberError):
        parse_number(cell)
    assert not read_printed([cell, "9"]).valid[0]


def test_a_nul_cell_fails_only_its_row_of_the_cutoff_screen():
    table = pd.DataFrame({"mean": ["9\x00", "5.1"], "sd": ["2", "2.0"], "n": ["20", "20"],
                          "scale_min": ["0", "0"], "scale_max": ["30", "30"],
                          "cutoff": ["10", "10"]})
    result = screen(table, check="cutoff")
    assert result["status"].tolist() == ["bad_input", "consistent"]


@pytest.mark.parametrize("name", ["nl\n", "ok\n"])
def test_names_ending_in_a_newline_are_refused(tmp_path, name):
    with pytest.raises(StudyFileError):
        load_study(study(tmp_path, (f"id: {STEM}", f"id: {name!r}".replace("'", '"'))))
    with pytest.raises(StudyFileError):
        load_study(study(tmp_path, ("- id: lower-score", f"- id: {name!r}".replace("'", '"'))))


def test_an_analysis_file_named_with_a_newline_is_refused(tmp_path):
    from reanalyse.model.analysis import load_analysis
    path = tmp_path / "nl\n.yaml"
    path.write_text("study: x.yaml\nnotebook: x.ipynb\n")
    with pytest.raises(ReanalyseError, match="name"):
        load_analysis(path)


# --- the generated-input run, a small slice ------------------------------------------------

SLICE = 200


@pytest.mark.parametrize("surface", ["parsers", "screen", "text", "html"])
def test_generated_inputs_slice(surface, tmp_path):
    import run as fuzz_run
    report = fuzz_run.run_surface(surface, seed=7, count=SLICE, seconds=120, keep=tmp_path)
    assert report["inputs"] > 0 and report["findings"] == {}


def test_generated_study_files_slice(tmp_path):
    import run as fuzz_run
    report = fuzz_run.run_surface("study", seed=7, count=40, seconds=120, keep=tmp_path)
    assert report["inputs"] > 0 and report["findings"] == {}


@pytest.mark.parametrize("surface", ["cli", "attrition"])
def test_generated_command_lines_and_attrition_studies_slice(surface, tmp_path):
    # exceptions and exit codes only: the cost of an input is the run's to report, not a test's
    import run as fuzz_run
    report = fuzz_run.run_surface(surface, seed=7, count=30, seconds=300, keep=tmp_path)
    assert report["inputs"] == 30
    assert {key: finding for key, finding in report["findings"].items()
            if not key.startswith("over ")} == {}


# --- one bad piece among good files --------------------------------------------------------

def test_a_claim_with_too_many_count_pairs_fails_its_file_only(tmp_path, capsys):
    good = tmp_path / "synthetic-a.yaml"
    good.write_text(GOOD.format(stem="synthetic-a"))
    bad = tmp_path / "synthetic-b.yaml"
    # whole percentages of a million: 10,001 x 10,001 count pairs, past the tests' bound
    bad.write_text(GOOD.format(stem="synthetic-b")
                   .replace("treat: {n: 20, events: 5}", "treat: {n: 1000000, percent: 50}")
                   .replace("control: {n: 20, percent: 45.0}", "control: {n: 1000000, percent: 45}")
                   .replace("outcome: score", "outcome: event")
                   .replace('{test: t, statistic: -1.92, df: 38, p: "0.062"}', '{p: "0.062"}'))
    assert main(["check", str(good), str(bad), "--format", "json"]) == 2
    out = capsys.readouterr()
    items = json.loads(out.out)
    assert items[0]["study"] == "synthetic-a" and items[0]["claims"]
    assert items[1]["error"]["line"] == 21 and items[1]["error"]["field"] == "claims[0]"
    assert "count pairs" in items[1]["error"]["problem"]
    assert f"{bad.name}:21: claims[0]" in out.err


def test_a_study_of_many_list_items_is_refused_while_it_is_read(tmp_path):
    path = tmp_path / f"{STEM}.yaml"
    path.write_text(GOOD.format(stem=STEM) + "notes:\n" + "- 1\n" * 149_000)
    with pytest.raises(StudyFileError, match="more than 20,000 values written") as caught:
        load_study(path)
    assert caught.value.line < 20_100  # refused at the item that passed the count


# --- containment and outputs ---------------------------------------------------------------

def test_verdicts_csv_guards_cells_after_taking_paths_out(tmp_path):
    import csv
    import io
    from reanalyse.runner.batch import AnalysisRun
    from reanalyse.runner.index import verdicts_csv
    project = tmp_path / "project"
    (project / "analyses").mkdir(parents=True)
    run = AnalysisRun("a", project / "analyses" / "a.yaml", "ran",
                      verdicts={"c": "reproduced"},
                      reasons={"c": f"{project}/=HYPERLINK(\"http://x\",\"y\")"}, expected={},
                      root=project)
    rows = list(csv.reader(io.StringIO(verdicts_csv([run]), newline="")))
    assert rows[1][7] == "'=HYPERLINK(\"http://x\",\"y\")"


def test_screen_csv_quotes_a_carriage_return_and_guards_formulas():
    import csv
    import io
    from reanalyse.screens import write_result
    table = pd.DataFrame({"mean": ['=HYPERLINK("x")', "5.19", "-2.1", "a\rb", "@SUM(A1)"],
                          "n": ["28"] * 5})
    stream = io.StringIO()
    write_result(screen(table, check="grim"), "grim", "csv", stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    assert [row[0] for row in rows] == ["mean", "'=HYPERLINK(\"x\")", "5.19", "-2.1", "a\rb",
                                        "'@SUM(A1)"]


def test_a_linked_analysis_file_does_not_widen_the_project(tmp_path):
    import shutil
    from reanalyse.model.analysis import load_analysis
    from reanalyse.model.project import project_root
    from reanalyse.runner.batch import _check_inside
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "analyses").mkdir(parents=True)
    (elsewhere / "data").mkdir()
    (elsewhere / "data" / f"{STEM}.yaml").write_text(GOOD.format(stem=STEM))
    notebook = shutil.copy(ROOT / "tests" / "fixtures" / "run" / "notebooks"
                           / "synthetic_minimal.ipynb", elsewhere / "analyses")
    target = elsewhere / "analyses" / "synthetic-linked.yaml"
    # absolute paths: inside the project the link's target belongs to, not the link's
    target.write_text(f"study: {elsewhere / 'data' / STEM}.yaml\nnotebook: {notebook}\n")
    project = tmp_path / "project"
    (project / "analyses").mkdir(parents=True)
    link = project / "analyses" / "synthetic-linked.yaml"
    link.symlink_to(target)
    assert project_root(link) == project.resolve()
    with pytest.raises(ReanalyseError, match="outside the project"):
        _check_inside(load_analysis(link), project_root(link))


def test_pages_saying_why_a_run_failed_carry_no_absolute_path(tmp_path):
    from reanalyse.reports.paths import scrub_all
    page = ("<p>the study file is outside the project /home/someone/project</p>"
            "<pre>/tmp/elsewhere/x/secret.yaml: it resolves to /var/lib/s.yaml</pre>"
            "<a href=\"https://doi.org/10.1136/bmj.a3064\">doi</a> 1/2 and </td>")
    scrubbed = scrub_all(page, tmp_path)
    assert scrubbed == ("<p>the study file is outside the project project</p>"
                        "<pre>secret.yaml: it resolves to s.yaml</pre>"
                        "<a href=\"https://doi.org/10.1136/bmj.a3064\">doi</a> 1/2 and </td>")


def test_socket_folders_of_killed_runs_are_removed(tmp_path):
    from reanalyse.runner.jupyter import remove_stale_socket_dirs
    gone = _dead_pid()
    stale = tmp_path / f"rea-{gone}-abc123"
    stale.mkdir()
    (stale / "k.json").write_text("{}")
    live = tmp_path / f"rea-{os.getpid()}-def456"
    live.mkdir()
    other = tmp_path / "rea-notours"
    other.mkdir()
    assert remove_stale_socket_dirs(str(tmp_path)) == [str(stale)]
    assert not stale.exists() and live.exists() and other.exists()


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    import subprocess
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_dask_worker_that_fails_to_start_is_an_error(tmp_path, monkeypatch, capsys):
    distributed = pytest.importorskip("distributed")

    def failing(*args, **kwargs):
        raise RuntimeError("Nanny failed to start.")
    monkeypatch.setattr(distributed, "LocalCluster", failing)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("t(28) = 2.20, p = .06\n")
    assert main(["extract", str(tmp_path), "--executor", "dask", "--quiet"]) == 2
    assert "cannot start a local Dask cluster: RuntimeError: Nanny failed to start" in \
        capsys.readouterr().err


def _power_by_definition(critical, df, noncentrality):
    """Two-sided power from the definition T = (Z + d) / sqrt(V / df): the normal tail
    integrated over the chi-square density of V (scipy's quad), split where the tail turns."""
    from scipy import integrate, stats

    def density(v):
        spread = critical * np.sqrt(v / df)
        return stats.chi2.pdf(v, df) * (stats.norm.sf(spread - noncentrality)
                                         + stats.norm.cdf(-spread - noncentrality))
    turn = df * (noncentrality / critical) ** 2
    return integrate.quad(density, 0, turn, limit=500, epsabs=1e-13)[0] + \
        integrate.quad(density, turn, np.inf, limit=500, epsabs=1e-13)[0]


@pytest.mark.parametrize("treat_n, control_n, alpha", [(2, 2, 1e-10), (3, 3, 1e-10),
                                                      (2, 3, 1e-10), (2, 2, 0.5)])
def test_power_is_reached_with_few_df_and_a_small_alpha(treat_n, control_n, alpha):
    from scipy import stats
    from reanalyse.sensitivity.allowance import smd_for_power
    # at 2 + 2 the bracket had no sign change (brentq failed); at 3 + 3 the noncentral t was
    # read as 0 or 1 where scipy's series fails, and the SMD returned had power 0.64
    smd = smd_for_power(treat_n, control_n, alpha=alpha)
    df = treat_n + control_n - 2
    power = _power_by_definition(stats.t.isf(alpha / 2, df), df,
                                 smd / np.sqrt(1 / treat_n + 1 / control_n))
    assert power == pytest.approx(0.8, abs=1e-4)
