"""``reanalyse meta`` against metafor, through the command line, on metadat's real datasets.

The CSV files under tests/data/meta/ and the expected values in
tests/oracles/meta_oracles.json are both written by tests/oracles/make_meta_oracles.R (the
numbers in the CSV are the doubles R used); each expected value carries its R call.
"""

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meta_oracle_values import META_CSV_DIR, dataset, dataset_names, floats, records
from reanalyse.cli import main

RTOL, ATOL = 1e-6, 1e-10
KEYS = {"k", "estimate", "ci_low", "ci_high", "se", "p", "tau2", "i2", "q", "q_df", "q_p",
        "pi_low", "pi_high", "studies"}


def _run(capsys, *argv):
    code = main(["meta", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys, *argv):
    code, out, err = _run(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _close(actual, expected, what, call, atol=ATOL):
    if expected is None:
        assert actual is None, f"{what}: R gives NA\n{call}"
    else:
        assert actual == pytest.approx(expected, rel=RTOL, abs=atol), f"{what}\n{call}"


CASES = [r for r in records("rma") if dataset(r["dataset"])["kind"] != "precomputed"]


@pytest.mark.parametrize("record", CASES, ids=lambda r: f"{r['dataset']}-{r['measure']}-"
                         f"{r['method']}-{r['test']}")
def test_json_agrees_with_rma(capsys, record):
    argv = [META_CSV_DIR / f"{record['dataset']}.csv", "--measure", record["measure"],
            "--method", record["method"]] + (["--hksj"] if record["test"] == "knha" else [])
    out = _json(capsys, *argv)
    statistic = "t" if record["test"] == "knha" else "z"
    assert set(out) == KEYS | {statistic}
    call = record["r_call"]
    assert out["k"] == record["k"] and out["q_df"] == record["k"] - 1
    for ours, theirs in [("estimate", "beta"), ("se", "se"), (statistic, "zval"),
                         ("p", "pval"), ("ci_low", "ci_lb"), ("ci_high", "ci_ub"),
                         ("tau2", "tau2"), ("i2", "I2"), ("q", "QE"), ("q_p", "QEp")]:
        # I^2 near 0: see test_kernels_meta.py (metafor stops REML at tau^2 ~ 1e-14)
        _close(out[ours], record[theirs], ours, call, atol=1e-8 if ours == "i2" else ATOL)
    _close(out["pi_low"], record["predict_default"]["pi_lb"], "pi_low",
           record["predict_default"]["r_call"])
    _close(out["pi_high"], record["predict_default"]["pi_ub"], "pi_high",
           record["predict_default"]["r_call"])
    weights = [s["weight"] for s in out["studies"] if s["weight"] is not None]
    assert weights == pytest.approx(list(floats(record["weights"])), rel=RTOL)
    data = dataset(record["dataset"])
    # the CSV holds the rows without a missing number (see make_meta_oracles.R)
    complete = floats(data["treat_n"]) == floats(data["treat_n"])
    assert [s["study"] for s in out["studies"]] == [
        name for name, keep in zip(data["study"], complete) if keep]


@pytest.mark.parametrize("record", records("rma_mh") + records("rma_peto"),
                         ids=lambda r: f"{r['dataset']}-{r['measure']}-{r['r_call'][-20:]}")
def test_json_agrees_with_rma_mh_and_peto(capsys, record):
    method = "PETO" if "rma.peto" in record["r_call"] else "MH"
    path = META_CSV_DIR / f"{record['dataset']}.csv"
    out = _json(capsys, path, "--measure", record["measure"], "--method", method)
    for ours, theirs in [("estimate", "beta"), ("se", "se"), ("z", "zval"), ("p", "pval"),
                         ("ci_low", "ci_lb"), ("ci_high", "ci_ub"), ("i2", "I2"), ("q", "QE"),
                         ("q_p", "QEp")]:
        _close(out[ours], record[theirs], ours, record["r_call"])
    assert out["pi_low"] is None and out["tau2"] == 0


def test_escalc_values_through_the_cli(capsys):
    (record,) = records("escalc", dataset="li2007", measure="OR", zero_cells="metafor",
                        vtype="LS")
    out = _json(capsys, META_CSV_DIR / "li2007.csv", "--measure", "OR", "--method", "FE",
                "--zero-cells", "metafor")
    assert [s["yi"] for s in out["studies"]] == pytest.approx(list(floats(record["yi"])),
                                                              rel=1e-10)
    assert [s["vi"] for s in out["studies"]] == pytest.approx(list(floats(record["vi"])),
                                                              rel=1e-10)


def test_ten_real_datasets_run_through_the_cli():
    assert len({r["dataset"] for r in CASES}) >= 10
    assert len(dataset_names("binary")) + len(dataset_names("continuous")) >= 10


def test_table_and_csv_formats(capsys):
    code, out, _ = _run(capsys, META_CSV_DIR / "bcg.csv", "--measure", "RR", "--method", "DL")
    assert code == 0
    assert out.startswith("RR (log scale) by DL: 13 studies")
    assert "as a ratio:" in out and "prediction interval:" in out and "Aronson" in out
    assert "tau2 = 0.3088 (95% CI" in out      # metafor: rma(..., method = "DL") tau^2 0.3088
    code, out, _ = _run(capsys, META_CSV_DIR / "bcg.csv", "--measure", "OR", "--method", "MH")
    assert code == 0 and "tau2" not in out and "prediction interval" not in out
    code, out, _ = _run(capsys, META_CSV_DIR / "normand1999.csv", "--measure", "MD",
                        "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["row"] for row in rows] == ["study"] * 9 + ["pooled"]
    (record,) = records("rma", dataset="normand1999", measure="MD", method="REML", test="z")
    assert float(rows[-1]["estimate"]) == pytest.approx(record["beta"], rel=RTOL)


def _write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_cells_are_all_named_with_row_column_value_and_hint(tmp_path, capsys):
    path = _write(tmp_path, "study,events1,n1,events2,n2\nA,5,20,3,x\nB,25,20,3,21\n"
                            ",1.5,10,2,10\nD,1,10,2,10\n")
    code, out, err = _run(capsys, path, "--measure", "OR")
    assert code == 2 and out == ""
    assert "4 problems" in err and "Traceback" not in err
    assert "table.csv:2: row 1, column n2 = 'x': not a number" in err
    assert "row 2, column events1 = '25': more events than participants" in err
    assert "row 3, column study = '': empty study name" in err
    assert "row 3, column events1 = '1.5': not a whole number" in err
    assert err.count("hint:") == 4


@pytest.mark.parametrize("text, argv, message", [
    ("study,events1,n1,events2,n2\nA,1,10,2,10\n", ["--measure", "MD"],
     "use --measure OR, RR or RD"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1.0,1.0,10,2.0,1.0\n",
     ["--measure", "MD", "--method", "MH"], "--method MH does not pool MD"),
    ("study,events1,n1,events2,n2\nA,1,10,2,10\nB,2,10,2,10\n",
     ["--measure", "OR", "--method", "MH", "--hksj"], "--hksj does not apply"),
    ("study,events1,n1,events2,n2\nA,-1,10,2,10\n", ["--measure", "RR"],
     "row 1, column events1 = '-1': a count of events cannot be negative"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1.0,0,10,2.0,0\n", ["--measure", "SMD"],
     "both SDs are 0"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,1,1.0,1.0,1,2.0,1.0\n", ["--measure", "SMD"],
     "no finite SMD"),
    ("study,events1,n1,events2,n2\nA,0,10,0,10\n", ["--measure", "OR"],
     "every study was left out"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,1.0,1.0,10,2.0,1.0\n",
     ["--measure", "MD", "--level", "1.5"], "confidence level"),
])
def test_bad_tables_and_options_exit_2_with_a_message(tmp_path, capsys, text, argv, message):
    code, out, err = _run(capsys, _write(tmp_path, text), *argv)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_missing_and_oversized_files(tmp_path, capsys, monkeypatch):
    code, _, err = _run(capsys, tmp_path / "none.csv", "--measure", "MD")
    assert code == 2 and "no such file" in err
    import reanalyse.commands.meta as command
    monkeypatch.setattr(command, "MAX_STUDIES", 2)
    path = _write(tmp_path, "study,events1,n1,events2,n2\n" + "A,1,10,2,10\n" * 3)
    code, _, err = _run(capsys, path, "--measure", "OR")
    assert code == 2 and "at most 2 studies" in err


_CELLS = st.one_of(st.integers(-3, 60).map(str), st.sampled_from(["", "x", "1.5", "nan", "inf",
                                                                  "1e3", "-0", "12,5", " 7 "]),
                   st.text(max_size=6))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CELLS, _CELLS, _CELLS, _CELLS), min_size=1, max_size=6),
       measure=st.sampled_from(["OR", "RR", "RD"]),
       method=st.sampled_from(["FE", "DL", "REML", "PM", "MH", "PETO"]))
def test_any_table_runs_or_exits_2_without_a_traceback(tmp_path, capsys, rows, measure, method):
    # hostile tables (made up): every cell an arbitrary short text
    lines = ["study,events1,n1,events2,n2"] + [
        ",".join(['"s{}"'.format(i)] + ['"{}"'.format(c.replace('"', "'")) for c in row])
        for i, row in enumerate(rows)]
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, path, "--measure", measure, "--method", method)
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert code == 0 or "hostile.csv" in err        # every error names the file
    assert (code == 0) == (out != "")
