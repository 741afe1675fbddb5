"""Each printed form of a summary is read with its printed decimals (expected values are the
sentence's own digits, read by eye)."""

import pytest

from reanalyse.drafting.forms import find_forms

CASES = [
    # (sentence, [(kind, values)])
    ("7.75 ± 2.18 vs. 9.2 ± 2.04",
     [("continuous", {"mean": "7.75", "sd": "2.18"}), ("continuous", {"mean": "9.2", "sd": "2.04"})]),
    ("mean 7.75 +/- 2.18", [("continuous", {"mean": "7.75", "sd": "2.18"})]),
    ("the mean score was 7.61 [3.43]", [("continuous", {"mean": "7.61", "sd": "3.43"})]),
    ("the mean score was 9.2 (2.04)", [("continuous", {"mean": "9.2", "sd": "2.04"})]),
    ("M = 9.2, SD = 2.04", [("continuous", {"mean": "9.2", "sd": "2.04"})]),
    ("mean (SD) 9.20 (2.40)", [("continuous", {"mean": "9.20", "sd": "2.40"})]),
    ("IPC 4.4 (s.d. 5.1)", [("continuous", {"mean": "4.4", "sd": "5.1"})]),
    ("from 23.31 (standard error SE = 12.11)", [("continuous", {"mean": "23.31", "se": "12.11"})]),
    ("M = 9.2, SE = 0.41", [("continuous", {"mean": "9.2", "se": "0.41"})]),
    ("values are mean ± SE: 12.1 ± 0.8", [("continuous", {"mean": "12.1", "se": "0.8"})]),
    ("PHQ-9 8.92 (7.81, 10.03)", [("continuous", {"mean": "8.92", "ci": ("7.81", "10.03")})]),
    ("8.92 (95% CI 7.81 to 10.03)", [("continuous", {"mean": "8.92", "ci": ("7.81", "10.03")})]),
    ("15/60 [25%] vs. 26/60 [43.3%]",
     [("binary", {"events": "15", "n": "60", "percent": "25"}),
      ("binary", {"events": "26", "n": "60", "percent": "43.3"})]),
    ("(11/16; 68.7%)", [("binary", {"events": "11", "n": "16", "percent": "68.7"})]),
    ("15 (25%) of the mothers", [("binary", {"events": "15", "percent": "25"})]),
    ("15 of 60 mothers", [("binary", {"events": "15", "n": "60"})]),
    ("25% vs 43.3%", [("percent_pair", {"first": "25", "second": "43.3"})]),
    ("(29.9% vs. 31.6%)", [("percent_pair", {"first": "29.9", "second": "31.6"})]),
    ("Odds ratio 0.91, 95% CI 0.56 to 1.49",
     [("estimate", {"measure": "OR", "value": "0.91", "ci": ("0.56", "1.49"), "adjusted": False})]),
    ("mean difference -1.19, 95%CI -2.5 to 0.13",
     [("estimate", {"measure": "MD", "value": "-1.19", "ci": ("-2.5", "0.13"), "adjusted": False})]),
    ("RR 0.59; 95% confidence interval: 0.39-0.89",
     [("estimate", {"measure": "RR", "value": "0.59", "ci": ("0.39", "0.89"), "adjusted": False})]),
    ("the odds of PPD was 0.5 times (95% confidence interval: [0.2, 0.94]) less",
     [("estimate", {"measure": "OR", "value": "0.5", "ci": ("0.2", "0.94"), "adjusted": False})]),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[0][:30] for c in CASES])
def test_each_form_is_read_as_printed(sentence, expected):
    found = [(form.kind, form.values) for form in find_forms(sentence)]
    assert found == expected


@pytest.mark.parametrize("sentence", [
    "(n = 30) and (P = 0.46)",                   # sizes and p-values are not summaries
    "t(28) = 2.20, p = .06",
    "12F/10M",                                   # sexes, not a count of events
    "45/30 were followed",                       # more events than n: not a count
    "a CI not around its mean 5.0 (6.1 to 7.2)",  # the mean lies outside: not an arm's CI
    "aged 30 (12) years",                        # whole numbers in brackets, no mean words
])
def test_what_is_not_a_summary_is_not_read(sentence):
    assert [form for form in find_forms(sentence) if form.kind != "estimate"] == []
