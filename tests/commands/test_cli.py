"""The command line as people and machines meet it: ``reanalyse check`` (exit codes, the stable
JSON shape, batches with bad files, folders, --fail-on, summary lines, --quiet, colour), help,
``new``, and screen output that machines and people can both read."""

import json
import re
import subprocess
import sys
from pathlib import Path

from reanalyse.cli import build_parser, main
from reanalyse.commands import check as check_command
from reanalyse.model.studyfile import load_study

HERE = Path(__file__).parents[1]
DATA = HERE.parent / "data"
EDGE = HERE / "studies" / "synthetic-edge-cases.yaml"
RAISI = DATA / "raisi-dehkordi-2019.yaml"
SPEC_KEYS = {"name", "statistic", "p", "p_min", "p_max", "significant"}
VERDICTS = {"reproduced", "reproduced_with_alternative", "inconsistent", "decision_flip",
            "fragile", "impossible_input", "insufficient_information"}


def test_json_has_the_documented_shape(capsys):
    assert main(["check", str(EDGE), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["study"] == "synthetic-edge-cases"
    for claim in payload["claims"]:
        assert {"id", "verdict", "reason", "specs", "sensitivity"} <= set(claim)
        assert claim["verdict"] in VERDICTS and claim["reason"].endswith(".")
        for spec in claim["specs"]:
            assert SPEC_KEYS <= set(spec)


def test_several_files_give_a_list_and_one_bad_file_does_not_stop_the_rest(tmp_path, capsys):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\ncitation: x\narms: [\n")
    code = main(["check", str(EDGE), str(bad), str(DATA / "raisi-dehkordi-2019.yaml"),
                 "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    payload = json.loads(captured.out)
    # in the order given, the bad file in its place
    assert [item["study"] for item in payload] == ["synthetic-edge-cases", "broken",
                                                   "raisi-dehkordi-2019"]
    assert payload[1]["error"]["problem"].startswith("YAML syntax error")
    assert "broken.yaml" in captured.err


def test_table_output_lists_each_claim(capsys):
    assert main(["check", str(DATA / "raisi-dehkordi-2019.yaml")]) == 0
    out = capsys.readouterr().out
    assert "fewer-depressed" in out and "fragile" in out and "adjusted-odds" in out


def test_every_shipped_study_checks(capsys):
    files = sorted(str(path) for path in DATA.glob("*.yaml"))
    assert len(files) >= 3
    assert main(["check", *files, "--format", "json"]) == 0
    assert all("error" not in item for item in json.loads(capsys.readouterr().out))


def test_python_dash_m_runs_the_same_command():
    completed = subprocess.run([sys.executable, "-m", "reanalyse", "check", str(EDGE)],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0 and "decision flips" in completed.stdout


def test_bad_option_is_bad_input(capsys):
    assert main(["check", str(EDGE), "--rounding", "bankers"]) == 2
    assert "unknown rounding convention" in capsys.readouterr().err


def test_no_command_prints_the_help_with_status_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: reanalyse") and "check" in out and "new" in out


def test_help_texts_show_no_rest_markup():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        text = sub.format_help()
        assert "``" not in text and ":func:" not in text and ":class:" not in text, name


def test_new_writes_a_study_and_its_analysis_that_load(tmp_path, capsys):
    assert main(["new", "smith-2020", "--root", str(tmp_path)]) == 0
    study_file = tmp_path / "data" / "smith-2020.yaml"
    analysis_file = tmp_path / "analyses" / "smith-2020.yaml"
    study = load_study(study_file)
    assert study.id == study_file.stem
    text = study_file.read_text(encoding="utf-8")
    for field in ("citation", "doi", "alpha", "sources", "arms", "randomised", "outcomes",
                  "scale", "source", "baseline", "derived_from", "cutoff", "claims",
                  "reported", "significant", "alternative", "population"):
        assert f"{field}:" in text, field  # every field is there, with its comment
    assert "study: ../data/smith-2020.yaml" in analysis_file.read_text(encoding="utf-8")
    capsys.readouterr()
    # the template checks as it is: no numbers yet, so no test can be rebuilt
    assert main(["check", str(study_file), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["claims"][0]["verdict"] == \
        "insufficient_information"


def test_new_refuses_an_existing_file_and_a_bad_id(tmp_path, capsys):
    (tmp_path / "analyses").mkdir()
    (tmp_path / "analyses" / "smith-2020.yaml").write_text("kept\n", encoding="utf-8")
    assert main(["new", "smith-2020", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "hint:" in err
    assert not (tmp_path / "data" / "smith-2020.yaml").exists()
    assert (tmp_path / "analyses" / "smith-2020.yaml").read_text() == "kept\n"
    assert main(["new", "Smith 2020", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a study id" in err and "hint: reanalyse new smith-2020" in err


def test_check_a_folder_checks_every_study_in_name_order(tmp_path, capsys):
    for name in ("b-study", "a-study"):
        (tmp_path / f"{name}.yaml").write_text(
            RAISI.read_text(encoding="utf-8").replace("id: raisi-dehkordi-2019", f"id: {name}"),
            encoding="utf-8")
    assert main(["check", str(tmp_path), "--format", "json"]) == 0
    assert [item["study"] for item in json.loads(capsys.readouterr().out)] == ["a-study",
                                                                              "b-study"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "holds no study files" in err and "UTF-8" not in err


def test_fail_on_exits_1_when_a_claim_gets_a_named_verdict(capsys):
    # raisi-dehkordi-2019: fewer-depressed is fragile, no claim is a decision flip
    assert main(["check", str(RAISI), "--fail-on", "decision_flip"]) == 0
    assert main(["check", str(RAISI), "--fail-on", "decision_flip,fragile"]) == 1
    assert "fewer-depressed (fragile)" in capsys.readouterr().err
    assert main(["check", str(RAISI), "--fail-on", "insufficient information", "-q"]) == 1
    # quiet: no table, no summary, but a CI log still names each failing claim
    assert capsys.readouterr() == ("", "reanalyse check: --fail-on: raisi-dehkordi-2019/"
                                       "baseline-similar (insufficient information)\n")


def test_fail_on_names_an_unknown_verdict_with_a_suggestion(capsys):
    assert main(["check", str(RAISI), "--fail-on", "decison_flip"]) == 2
    err = capsys.readouterr().err
    assert "unknown verdict 'decison_flip'" in err and "did you mean decision_flip?" in err


def test_summary_line_ends_the_table_and_goes_to_stderr_after_json(capsys):
    assert main(["check", str(RAISI)]) == 0
    out, err = capsys.readouterr()
    # hand count of data/raisi-dehkordi-2019.yaml's recorded verdicts
    assert out.splitlines()[-1] == ("1 study, 4 claims: 1 reproduced, 1 inconsistent, "
                                    "1 fragile, 1 insufficient information")
    assert "insufficient_information" not in out  # the reader's labels in the table
    assert main(["check", str(RAISI), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    json.loads(out)  # stdout stays parseable
    assert err.startswith("reanalyse check: 1 study, 4 claims:")
    assert main(["check", str(RAISI), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


class _Terminal:
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert check_command.use_colour(_Terminal())
    assert not check_command.use_colour(object())  # a pipe or a file
    monkeypatch.setenv("NO_COLOR", "")
    assert not check_command.use_colour(_Terminal())
    completed = subprocess.run([sys.executable, "-m", "reanalyse", "check", str(RAISI)],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0 and "\033[" not in completed.stdout


def _screen(table: Path, *extra):
    """``reanalyse screen`` with standard error merged into standard output, as a terminal
    shows them."""
    return subprocess.run([sys.executable, "-m", "reanalyse", "screen", str(table), *extra],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)


def test_screen_csv_ends_with_a_newline_before_the_summary(tmp_path):
    table = tmp_path / "means.csv"
    table.write_text("mean,n\n5.19,28\n", encoding="utf-8")
    completed = _screen(table)
    lines = completed.stdout.splitlines()
    assert completed.returncode == 0
    assert lines[-2].startswith("5.19,28,inconsistent,false,")
    assert lines[-1] == "reanalyse screen: grim: 1 row: 1 inconsistent; 1 flagged"
    assert _screen(table, "--quiet").stdout.splitlines()[-1].startswith("5.19,28,")


def test_a_blank_optional_cell_means_the_default(tmp_path, capsys):
    # 5.19 of 28 one-item values is impossible (145/28 = 5.18, 146/28 = 5.21), with items
    # blank or 1 alike; items 2 gives 56 values, and 291/56 = 5.196 rounds to 5.20, not 5.19
    table = tmp_path / "means.csv"
    table.write_text("mean,n,items\n5.19,28,\n5.19,28,1\n5.19,28, \n", encoding="utf-8")
    assert main(["screen", str(table)]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split(",")[3] for row in rows] == ["inconsistent"] * 3


def test_a_row_grim_cannot_test_is_untestable(tmp_path, capsys):
    # 12 values, 1 decimal: k/12 steps by 0.083 < 0.1, so every 1-decimal mean is possible
    table = tmp_path / "means.csv"
    table.write_text("mean,n\n3.5,12\n", encoding="utf-8")
    assert main(["screen", str(table), "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["status"] == "untestable" and row["consistent"] is None
    assert row["testable"] is False


def test_screen_html_is_styled_with_blanks_and_one_spelling_of_booleans(tmp_path, capsys):
    table = tmp_path / "percents.csv"
    # 44.0% of 60 is no count (26/60 = 43.3%, 27/60 = 45.0%); 43.3% is 26/60
    table.write_text("percent,n\n43.3,60\n44.0,60\nx,60\n", encoding="utf-8")
    assert main(["screen", str(table), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert '<meta name="viewport"' in page and "table-scroll" in page
    for placeholder in ("None", "&lt;NA&gt;", "<td>-1</td>", "True", "False", "<td>nan</td>"):
        assert placeholder not in page, placeholder
    assert '"short">yes</td>' in page and '"short">no</td>' in page
    assert main(["screen", str(table)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].startswith("43.3,60,consistent,true,,26,26")
    assert rows[2].startswith("44.0,60,inconsistent,false,") and rows[2].endswith(",,")


def test_screen_html_speaks_words_and_lines_up_its_numbers(tmp_path, capsys):
    table = tmp_path / "stats.csv"
    # R: 2 * pt(-2.20, 28) = 0.0362, a decision error against the printed "= .06"
    table.write_text("statistic,df1,df2,value,p\nt,28,,2.20,= .06\nt,45,,2.10,= .04\n",
                     encoding="utf-8")
    assert main(["screen", str(table), "--format", "html"]) == 0
    page = capsys.readouterr().out
    rows = page.split("<h2>All")[1]
    assert "decision error" in rows and "decision_error" not in rows
    assert "<th>p min</th>" in rows and "p_min" not in rows
    cells = re.findall(r'<td class="short">(0\.\d+)</td>', rows)
    assert cells and len({len(cell) for cell in cells}) == 1, cells
    assert "0.0362" in rows
