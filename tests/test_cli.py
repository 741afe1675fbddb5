"""The ``reanalyse check`` command: exit codes, the stable JSON shape, batches with bad files."""

import json
import subprocess
import sys
from pathlib import Path

from reanalyse.cli import main

HERE = Path(__file__).parent
DATA = HERE.parent / "data"
EDGE = HERE / "studies" / "synthetic-edge-cases.yaml"
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
