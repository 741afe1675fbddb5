"""``reanalyse screen`` and the ``consistency_screen`` notebook template.

Expected statuses are the hand calculations of tests/screens/test_granularity.py (5.19 is no
mean of 28 integers: 145/28 = 5.18, 146/28 = 5.21; 8.96 of 30 neither: 268/30 = 8.93,
269/30 = 8.97) and of tests/screens/test_statistic.py (t(28) = 2.20 gives p = .0362, R
statcheck's decision error against p = .06).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reanalyse.cli import main

ROOT = Path(__file__).resolve().parents[2]
GRIM_TABLE = ROOT / "tests" / "data" / "screens" / "grim_small.csv"
NOTEBOOK = ROOT / "notebooks" / "consistency_screen.ipynb"


def test_screen_csv_to_csv(capsys):
    assert main(["screen", str(GRIM_TABLE)]) == 0
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    assert lines[0] == "mean,n,items,status,consistent,reason,testable"
    assert [line.split(",")[3] for line in lines[1:]] == [
        "inconsistent", "consistent", "inconsistent", "bad_input"]
    assert out.err == ("reanalyse screen: grim: 4 rows: 1 consistent, 2 inconsistent, "
                       "1 bad input; 2 flagged\n")


def test_screen_json_and_html(tmp_path, capsys):
    target = tmp_path / "out.json"
    assert main(["screen", str(GRIM_TABLE), "--format", "json", "--output", str(target)]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["check"] == "grim"
    assert document["summary"]["flagged"] == 2
    assert document["rows"][3]["consistent"] is None
    page = tmp_path / "out.html"
    assert main(["screen", str(GRIM_TABLE), "--format", "html", "--output", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "<h2>Flagged (2)</h2>" in text and "146/28" in text
    capsys.readouterr()


def test_screen_named_check_and_options(tmp_path, capsys):
    table = tmp_path / "stats.csv"
    table.write_text("statistic,df1,df2,value,p\nt,28,,2.20,= .06\nt,45,,2.10,= .05\n",
                     encoding="utf-8")
    assert main(["screen", str(table)]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert [row.split(",")[5] for row in rows] == ["decision_error", "inconsistent"]
    # R: statcheck("t(45) = 2.10, p = .05", pEqualAlphaSig = FALSE) -> decision error
    assert main(["screen", str(table), "--p-equal-alpha", "not_significant"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert [row.split(",")[5] for row in rows] == ["decision_error", "decision_error"]


def test_screen_bad_input_exits_2(tmp_path, capsys):
    assert main(["screen", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert main(["screen", str(other)]) == 2
    err = capsys.readouterr().err
    assert "no screen matches the columns foo, bar" in err and "grim: mean, n" in err
    assert main(["screen", str(other), "--check", "debit"]) == 2
    err = capsys.readouterr().err
    assert "missing column(s) mean, sd, n for the debit screen" in err
    assert "the debit screen reads: mean, sd, n" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("mean,n\n", encoding="utf-8")
    assert main(["screen", str(empty)]) == 2
    assert "no rows" in capsys.readouterr().err
    assert main(["screen", str(GRIM_TABLE), "--rounding", "sideways"]) == 2
    assert "unknown rounding convention" in capsys.readouterr().err


def test_screen_xlsx_keeps_formatted_decimals(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["mean", "n"])
    sheet.append([5.2, 28])  # shown as 5.20 by its format: [5.195, 5.205] holds no k/28
    sheet["A2"].number_format = "0.00"
    sheet.append([5.2, 28])  # General format: read as 5.2, i.e. [5.15, 5.25] (146/28)
    path = tmp_path / "means.xlsx"
    book.save(path)
    assert main(["screen", str(path)]) == 0
    out = capsys.readouterr()
    rows = out.out.strip().splitlines()
    assert rows[1].startswith("5.20,28,inconsistent") and rows[2].startswith("5.2,28,untestable")
    assert "trailing zeros may have been lost" in out.err


def _workbook(path, sheets):
    """An .xlsx file with one sheet per (name, rows) pair, cells written as text."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_screen_sheet_by_name_then_position(tmp_path, capsys):
    # GRIM: 5.19 is no mean of 28 integers (145/28 = 5.18, 146/28 = 5.21), 5.21 is (146/28)
    path = _workbook(tmp_path / "years.xlsx", [("Sheet", [["mean", "n"], ["5.19", "28"]]),
                                               ("2020", [["mean", "n"], ["5.21", "28"]])])
    assert main(["screen", str(path), "--sheet", "2020"]) == 0  # the name, though all digits
    assert capsys.readouterr().out.splitlines()[1].startswith("5.21,28,consistent")
    assert main(["screen", str(path), "--sheet", "0"]) == 0  # no sheet is named "0": position
    assert capsys.readouterr().out.splitlines()[1].startswith("5.19,28,inconsistent")
    assert main(["screen", str(path), "--sheet", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("5.21,28,consistent")


def test_screen_bad_sheet_exits_2(tmp_path, capsys):
    path = _workbook(tmp_path / "one.xlsx", [("Means", [["mean", "n"], ["5.19", "28"]])])
    assert main(["screen", str(path), "--sheet", "3"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: sheet = '3': the workbook has 1 sheet(s), counted from 0" in err
    assert "its sheets are 0: 'Means'" in err and "Traceback" not in err
    assert main(["screen", str(path), "--sheet", "Results"]) == 2
    err = capsys.readouterr().err
    assert "sheet = 'Results': the workbook has no sheet of that name" in err
    not_a_workbook = tmp_path / "text.xlsx"
    not_a_workbook.write_text("mean,n\n5.19,28\n", encoding="utf-8")
    assert main(["screen", str(not_a_workbook)]) == 2
    assert "cannot read the table" in capsys.readouterr().err


def test_output_into_a_missing_folder_exits_2(tmp_path, capsys):
    target = tmp_path / "no such folder" / "out.csv"
    assert main(["screen", str(GRIM_TABLE), "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target}: --output: the folder '{target.parent}' does not exist" in err
    assert "hint: create the folder first" in err
    text = tmp_path / "results.txt"
    text.write_text("We found t(28) = 2.20, p = .06.\n", encoding="utf-8")
    assert main(["extract", str(text), "--output", str(target)]) == 2
    assert f"the folder '{target.parent}' does not exist" in capsys.readouterr().err
    assert main(["screen", str(GRIM_TABLE), "--output", str(tmp_path)]) == 2
    assert "is a folder, not a file" in capsys.readouterr().err
    assert not target.parent.exists()


def test_notebook_runs_under_papermill(tmp_path):
    executed = tmp_path / "screen.ipynb"
    completed = subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOK), str(executed),
         "-p", "table_path", str(GRIM_TABLE), "--cwd", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    shown = json.dumps([cell.get("outputs", []) for cell in cells])
    assert "check: grim" in shown
    assert "no sum of 28 integer values has a mean that rounds to 5.19" in shown


def test_notebook_is_committed_without_outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")
    assert sum("parameters" in cell.get("metadata", {}).get("tags", []) for cell in cells) == 1


def test_screen_baseline_table(tmp_path, capsys):
    # two arms of a baseline table: t_two_sample oracle case raisi_dehkordi_epds_post,
    # R: t.test(..., var.equal = TRUE) p = 0.000264
    table = tmp_path / "baseline.csv"
    table.write_text("trial,variable,group,n,mean,sd\nA,epds,1,60,7.75,2.18\n"
                     "A,epds,2,60,9.20,2.04\nB,age,1,20,45,10\nB,age,2,20,n/a,10\n",
                     encoding="utf-8")
    assert main(["screen", str(table)]) == 0
    out = capsys.readouterr()
    rows = out.out.strip().splitlines()
    assert rows[0] == ("trial,variables,excluded,statistic,p,p_min,p_max,exact,flagged,"
                       "direction")
    assert rows[1].startswith("A,1,0,") and rows[2].startswith("B,0,1,")
    assert main(["screen", str(table), "--level", "variable"]) == 0
    variables = capsys.readouterr().out.strip().splitlines()
    assert variables[1].split(",")[4] == "student_t"
    assert float(variables[1].split(",")[9]) == pytest.approx(0.0002640548976422175, rel=1e-9)
    assert "bad_input" in variables[2] and "mean = 'n/a'" in variables[2]
    assert main(["screen", str(table), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["check"] == "baseline"
    assert [t["trial"] for t in document["trials"]] == ["A", "B"]
    assert len(document["variables"]) == 2
