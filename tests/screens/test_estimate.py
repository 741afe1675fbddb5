"""The estimate screen: printed OR/RR/RD/MD/SMD with CIs versus the numbers beside them.

Synthetic rows; the expected intervals are the hand calculations of
tests/kernels/test_estimates.py (20/50 v 10/50: Woolf 1.09 to 6.52, Katz 1.04 to 3.83;
10.0 (3.0) v 8.5 (2.8), n = 50: pooled t 0.348 to 2.65)."""

import subprocess
import sys

import pandas as pd

from reanalyse.screens import estimate_consistency, infer_check, screen

ROWS = pd.DataFrame([
    # measure, estimate, ci_low, ci_high, treat_events, treat_n, control_events, control_n,
    # treat_mean, treat_sd, control_mean, control_sd, expected status, expected direction
    ("OR", "2.67", "1.09", "6.52", "20", 50, "10", 50, "", "", "", "", "consistent",
     "as printed"),
    ("OR", "3.50", "1.40", "8.60", "20", 50, "10", 50, "", "", "", "", "inconsistent", ""),
    ("OR", "0.375", "0.153", "0.917", "20", 50, "10", 50, "", "", "", "", "consistent",
     "reciprocal"),
    ("RR", "2.00", "1.30", "3.10", "20", 50, "10", 50, "", "", "", "", "inconsistent", ""),
    ("OR", "1.26", "1.01", "1.57", "12", 50, "10", 50, "", "", "", "", "decision_error", ""),
    ("MD", "2.5", "1.35", "3.65", "", 50, "", 50, "10.0", "3.0", "8.5", "2.8",
     "inconsistent", ""),
    ("MD", "-1.5", "-2.65", "-0.35", "", 50, "", 50, "10.0", "3.0", "8.5", "2.8",
     "consistent", "negated"),
    ("HR", "0.7", "0.5", "0.9", "", 50, "", 50, "", "", "", "", "untestable", ""),
    ("OR", "2.0", "1.0", "4.0", "", 50, "", 50, "", "", "", "", "untestable", ""),
], columns=["measure", "estimate", "ci_low", "ci_high", "treat_events", "treat_n",
            "control_events", "control_n", "treat_mean", "treat_sd", "control_mean",
            "control_sd", "expected", "expected_direction"])


def test_screen_rows():
    table = ROWS.drop(columns=["expected", "expected_direction"]).astype(str)
    assert infer_check(table.columns) == "estimate"
    result = screen(table)
    assert list(result["status"]) == list(ROWS["expected"])
    consistent = ROWS["expected"] == "consistent"
    assert list(result["direction"][consistent]) == list(ROWS["expected_direction"][consistent])
    assert "1.09 to 6.52 (Woolf)" in result["reason"][1]


def test_scalar_function_names_the_fitting_methods():
    result = estimate_consistency("OR", "2.64", "1.01", "7.32", 50, 50, treat_events=20,
                                  control_events=10)
    # fisher.test(matrix(c(20, 30, 10, 40), 2, byrow = TRUE)): 2.640 (1.005 to 7.317)
    assert result.status == "consistent"
    assert result["ci_methods"] == "conditional"


def test_events_above_n_are_bad_input():
    result = estimate_consistency("OR", "2.0", "1.0", "4.0", 50, 50, treat_events=60,
                                  control_events=10)
    assert result.status == "bad_input"


def test_command_line(tmp_path):
    path = tmp_path / "estimates.csv"
    ROWS.drop(columns=["expected", "expected_direction"]).to_csv(path, index=False)
    done = subprocess.run([sys.executable, "-m", "reanalyse", "screen", str(path), "--check",
                           "estimate"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "4 flagged" in done.stderr
