"""Finding APA-style results in text and in articles (``reanalyse extract``).

Oracles: R statcheck 1.4.0 (``tests/oracles/r_oracles.json``, blocks ``statcheck`` and
``statcheck_forms``, each record with its R call) for the forms statcheck reads (among them
``p = 2.7e-05``, thousands separators in statistics, unicode minus signs, chi2 with N, Q, OCR's I,
one-tailed sentences, ``p = .000``), with every deliberate difference listed in
``STATCHECK_DIFFERENCES``; for the forms it does not read (``p = 2.7 x 10^-5``, thousands
separators in df, results without df, ligatures, PDF and HTML), statcheck's p for the same
result in a form it reads, or p-values from closed forms written out beside each case, computed
with ``math`` only:

* z: two-sided p = erfc(|z| / sqrt 2);
* chi2 with 2 df (and Q with 2 df): p = exp(-x / 2);
* t with 1 df (Cauchy) and F(1, 1) = t(1)^2: two-sided p = 1 - (2 / pi) atan(|t|);
* t with 2 df: two-sided p = 1 - |t| / sqrt(t^2 + 2); r with 2 df through t = r sqrt(2 / (1 - r^2)).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from oracle_values import r_oracle
from reanalyse.cli import main
from reanalyse.screens.articles import ReadLimits, read_article, screen_article
from reanalyse.screens.extract import extract_results, screen_text

STATCHECK_TYPES = {"t": "t", "F": "F", "Chi2": "chi2", "Q": "chi2", "r": "r", "Z": "z"}


def z_p(z):
    return math.erfc(abs(z) / math.sqrt(2))


def t2_p(t):
    return 1 - abs(t) / math.sqrt(t * t + 2)


def r2_p(r):
    return t2_p(r * math.sqrt(2 / (1 - r * r)))


# Where this extractor parts from statcheck 1.4.0 on purpose (README, "Where reanalyse differs
# from statcheck"; docs/screens.md): (case, options) -> this screen's statuses, the reading of
# each, the oracle case whose computed p it gives (the same result in a form statcheck reads),
# and why.
STATCHECK_DIFFERENCES = {
    **{(case, "default"): (["consistent"], ["two-sided"], None, (
        "statcheck rounds the computed p to the printed p's decimals (2.67e-05 to 0) and so "
        "flags a p in scientific notation even where the computed p rounds to it; here the printed p stands for its rounding "
        "interval (2.7e-05: [2.65e-05, 2.75e-05])"))
       for case in ("sci_p_z_rounds_to_computed", "sci_p_t_rounds_to_computed",
                    "sci_p_t_three_digits", "z_unicode_minus_sci_p")},
    **{(case, "default"): (["consistent"], ["two-sided"], same_as, (
        "statcheck does not read this form (it extracts nothing)"))
       for case, same_as in (("sci_p_less_than", "sci_p_t_rounds_to_computed"),
                             ("sci_p_capital_e", "sci_p_t_rounds_to_computed"),
                             ("sci_p_times_ten", "sci_p_z_rounds_to_computed"),
                             ("sci_p_unicode_times_ten", "sci_p_z_rounds_to_computed"),
                             ("t_thousands_df", "t_df_4000"),
                             ("F_thousands_df", "F_df_4000"))},
    ("F_unicode_minus", "default"): (["bad_input"], ["two-sided"], None, (
        "an F cannot be negative: statcheck computes p = 1 and calls it a decision error; "
        "here it is bad input")),
    ("t_one_tailed_neither_fits", "OneTailedTxt"): (["inconsistent"], ["one-sided"], None, (
        "neither reading fits: statcheck keeps the two-sided decision error, this screen "
        "reports the better reading (one-sided p .042 is below .05 as the printed .01 is)")),
    ("t_one_tailed_in_another_sentence", "OneTailedTxt"): (["decision_error"], ["two-sided"], None, (
        "statcheck looks for 'one-tailed' anywhere in the text, this screen in the result's "
        "own sentence only")),
}


def _statcheck_status(result):
    """statcheck's error and decision_error flags as this screen's status."""
    if result["decision_error"]:
        return "decision_error"
    return "inconsistent" if result["error"] else "consistent"


def _statcheck_records():
    for block in ("statcheck", "statcheck_forms"):
        for record in r_oracle(block):
            yield pytest.param(record, id=f"{block}-{record['case']}-{record['options']}")


@pytest.mark.parametrize("record", list(_statcheck_records()))
def test_extraction_matches_statcheck(record):
    # record["r_call"], e.g. statcheck("t(28) = 2.20, p = .06", messages = FALSE); statcheck
    # judges one-tailed only with OneTailedTxt = TRUE, as this extractor with one_sided=True
    # (see test_one_tailed_results_judged_under_both_readings)
    one_sided = record["options"] == "OneTailedTxt"
    found = screen_text(record["text"], one_sided=one_sided)
    if record["case"] == "z_at_start_of_text_not_extracted":
        # statcheck misses a z at the very start of a text; this extractor finds it
        assert record["n_extracted"] == 0
        assert found["statistic"].tolist() == ["z"]
        return
    found = found[found["status"] != "untestable"]  # statcheck leaves results without df out
    difference = STATCHECK_DIFFERENCES.get((record["case"], record["options"]))
    if difference is not None:
        statuses, readings, same_as, _why = difference
        assert found["status"].tolist() == statuses
        assert found["reading"].tolist() == readings
        if record["n_extracted"] == 0:  # a form statcheck does not read: the same result
            (reference,) = r_oracle("statcheck_forms", case=same_as)  # in a form it reads
            (expected,) = reference["results"]
            assert found["p_computed"].tolist() == pytest.approx([expected["computed_p"]],
                                                                 rel=1e-9)
        else:  # statcheck reads it and judges it otherwise
            assert statuses != [_statcheck_status(result) for result in record["results"]]
            if record["options"] == "default" and statuses != ["bad_input"]:  # both two-sided
                assert found["p_computed"].tolist() == pytest.approx(
                    [result["computed_p"] for result in record["results"]], rel=1e-9)
        return
    assert len(found) == record["n_extracted"]
    for (_, row), expected in zip(found.iterrows(), record["results"]):
        assert row["statistic"] == STATCHECK_TYPES[expected["test_type"]]
        df1 = expected["df1"] if row["statistic"] in ("F", "chi2") else expected["df2"]
        assert row["df1"] == ("" if df1 is None else str(df1))
        assert float(row["value"].replace("−", "-")) == pytest.approx(expected["test_value"])
        # statcheck gives the one-tailed p where it took the one-tailed reading
        assert row["p_computed"] == pytest.approx(expected["computed_p"], rel=1e-9)
        assert row["status"] == _statcheck_status(expected)


def test_p_000_read_as_rounded_on_request():
    # R: statcheck("... χ2(1, N = 50) = 15.2, p = .000.") -> error TRUE (pZeroError), computed
    # p 9.67e-05; read as p < .0005 (p_zero="rounded") the same result is consistent
    (record,) = r_oracle("statcheck_forms", case="chi2_p_000_computed_below_0005")
    assert record["results"][0]["error"] is True
    assert screen_text(record["text"])["status"].tolist() == ["inconsistent"]
    assert screen_text(record["text"], p_zero="rounded")["status"].tolist() == ["consistent"]


def test_forms_and_symbols():
    text = ("Group differed, F(1, 60) < 1, ns. The χ²(2, N = 90) = 6.20, p = .045 and "
            "Chi-square(1) = 3.2, p = .07.\nZ=−3.30,p<.001; t(27.4) = −2.10, p ≤ .05, and "
            "r(28) = -.45, p = .01. A t = 2.20, p = .04 without df is listed.")
    found = extract_results(text, source="paper.txt")
    assert found[["statistic", "df1", "df2", "value", "p"]].values.tolist() == [
        ["F", "1", "60", "< 1", "ns"],
        ["chi2", "2", "", "6.20", "p = .045"],
        ["chi2", "1", "", "3.2", "p = .07"],
        ["z", "", "", "-3.30", "p<.001"],
        ["t", "27.4", "", "-2.10", "p ≤ .05"],
        ["r", "28", "", "-.45", "p = .01"],
        ["t", "", "", "2.20", "p = .04"],
    ]
    assert found["line"].tolist() == [1, 1, 1, 2, 2, 2, 2]
    assert found["source"].unique().tolist() == ["paper.txt"]
    assert found["raw"].tolist()[3] == "Z=−3.30,p<.001"  # as printed, unicode minus kept


@pytest.mark.parametrize("text, p_text, expected_p, status", [
    # erfc(4.2 / sqrt 2) = 2.6691e-05, which rounds to 2.7e-05
    ("z = 4.2, p = 1.1e-06", "p = 1.1e-06", z_p(4.2), "inconsistent"),
    ("z = 4.2, p = 2.7e-05", "p = 2.7e-05", z_p(4.2), "consistent"),
    ("z = 4.2, p = 2.7 x 10^-5", "p = 2.7e-5", z_p(4.2), "consistent"),
    ("z = 4.2, p = 2.7 × 10−5", "p = 2.7e-5", z_p(4.2), "consistent"),
    ("z = 4.2, p=2.7×10⁻⁵", "p=2.7e-5", z_p(4.2), "consistent"),
    ("z = 4.2, p = 2.7 · 10 ^ -4", "p = 2.7e-4", z_p(4.2), "inconsistent"),
])
def test_scientific_p(text, p_text, expected_p, status):
    row = screen_text(f"We found {text}.").iloc[0]
    assert row["p"] == p_text
    assert row["p_computed"] == pytest.approx(expected_p, rel=1e-12)
    assert row["status"] == status


def test_thousands_ocr_capital_i_and_q():
    text = ("Heterogeneity was large, Q(2) = 1,234.5, p = .30. The model fitted, χ2(2, "
            "N = 1,200) = 4.61, p = .10; F(I, I) = 1.00, p = .50, t(l) = 1.00, p = .25 and "
            "Q(2) = 4.61, p = .10.")
    found = screen_text(text)
    assert found[["statistic", "df1", "df2", "value"]].values.tolist() == [
        ["chi2", "2", "", "1234.5"], ["chi2", "2", "", "4.61"], ["F", "1", "1", "1.00"],
        ["t", "1", "", "1.00"], ["chi2", "2", "", "4.61"]]
    expected = [
        math.exp(-1234.5 / 2),               # ~ 1e-268: p = .30 states the other decision
        math.exp(-4.61 / 2),                 # 0.09978 -> .10
        1 - 2 / math.pi * math.atan(1.0),    # F(1, 1) = 1 is t(1) = 1: 0.5
        1 - 2 / math.pi * math.atan(1.0),    # 0.5, printed .25: inconsistent, both not sig.
        math.exp(-4.61 / 2),
    ]
    assert found["p_computed"].tolist() == pytest.approx(expected, rel=1e-9)
    assert found["status"].tolist() == ["decision_error", "consistent", "consistent",
                                        "inconsistent", "consistent"]
    assert found["raw"].tolist()[2] == "F(I, I) = 1.00, p = .50"


def test_results_without_df_are_listed_as_untestable():
    text = ("Both differed (t = 2.5, p < .05; F = 4.1, p = .02; r = .30, p = .01; "
            "χ2 = 3.9, p = .05).")
    found = screen_text(text)
    assert found["statistic"].tolist() == ["t", "F", "r", "chi2"]
    assert found["status"].tolist() == ["untestable"] * 4
    assert found["reason"].str.contains("without degrees of freedom").all()
    assert found["p_computed"].isna().all()


def test_unicode_spaces_ligatures_and_line_breaks():
    # nbsp and thin spaces, a unicode minus, a ligature, a result broken over two lines, and
    # "one-tailed" hyphenated across a line break
    text = ("The e\ufb03cacy was clear, z\u00a0=\u2009\u22121.96, p\u202f= .05. In the\n"
            "signi\ufb01cance test t(2) =\n4.30, p = .05. The one-\ntailed test of the "
            "correlation, r(2) = .90, p = .05, held.")
    found = screen_text(text)
    assert found[["statistic", "value", "line"]].values.tolist() == [
        ["z", "-1.96", 1], ["t", "4.30", 2], ["r", ".90", 4]]
    assert found["raw"].tolist()[1] == "t(2) =\n4.30, p = .05"
    assert found["raw"].tolist()[2] == "r(2) = .90, p = .05"
    # erfc(1.96 / sqrt 2) = 0.049996; 1 - 4.3 / sqrt(4.3^2 + 2) = 0.05005
    assert found["p_computed"].tolist()[:2] == pytest.approx([z_p(1.96), t2_p(4.30)])
    assert found["one_sided"].tolist() == ["false", "false", "true"]
    # r(2) = .90: t = .9 sqrt(2 / .19) = 2.920, two-sided p = 0.1000, one-sided 0.0500
    assert found["reading"].tolist() == ["two-sided", "two-sided", "one-sided"]
    assert found["p_computed"].iloc[2] == pytest.approx(r2_p(0.90) / 2)
    assert found["status"].tolist() == ["consistent"] * 3


@pytest.mark.parametrize("p, reading, status", [
    # over the rounding of .90 (.895 to .905), r2_p gives .1050 to .0950 two-sided, and
    # .0525 to .0475 one-sided
    ("p = .10", "two-sided", "consistent"),
    ("p = .05", "one-sided", "consistent"),
    # two-sided a decision error; one-sided only inconsistent (p may be below .05): the
    # better reading is reported
    ("p = .02", "one-sided", "inconsistent"),
    # both readings inconsistent, neither a decision error: ties go to two-sided
    ("p = .07", "two-sided", "inconsistent"),
])
def test_one_tailed_results_judged_under_both_readings(p, reading, status):
    assert r2_p(0.90) == pytest.approx(0.1000, abs=5e-5)
    assert (r2_p(0.905), r2_p(0.895)) == pytest.approx((0.0950, 0.1050), abs=5e-5)
    text = f"The one-tailed hypothesis was supported, r(2) = .90, {p}."
    row = screen_text(text).iloc[0]
    assert (row["one_sided"], row["reading"], row["status"]) == ("true", reading, status)
    assert screen_text(text, one_sided=False).iloc[0]["reading"] == "two-sided"


def test_one_sided_only_where_the_sentence_declares_it():
    text = ("As predicted, the effect was significant, t(25) = 1.80, p = .04, one-tailed. "
            "The second test gave t(25) = 1.80, p = .04.")
    found = screen_text(text)
    assert found["one_sided"].tolist() == ["true", "false"]
    # R: statcheck(..., OneTailedTxt = TRUE) counts the first consistent (p = .0420), and
    # by default (two-tailed) a decision error (p = .0839): see the oracle case
    # t_one_tailed_mention
    assert found["status"].tolist() == ["consistent", "decision_error"]
    assert found["reading"].tolist() == ["one-sided", "two-sided"]
    assert screen_text(text, one_sided=False)["status"].tolist() == ["decision_error"] * 2


def test_issue_example_two_sided_p_in_a_one_tailed_sentence():
    # "The one-tailed hypothesis was supported, r(54) = .23, p = .088": the two-sided p is
    # .088 (statcheck("r(54) = .23, p = .088") computes 0.0881, consistent); the halved
    # .044 would not fit: the row is consistent under the two-sided reading
    row = screen_text("The one-tailed hypothesis was supported, r(54) = .23, p = .088.").iloc[0]
    assert (row["reading"], row["status"]) == ("two-sided", "consistent")


def _pdf(path, pages):
    """A PDF with one text line per list item on each page (matplotlib's PDF backend, with
    TrueType fonts so that the text layer keeps unicode)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.5, 11))
            for i, line in enumerate(lines):
                figure.text(0.08, 0.92 - 0.03 * i, line, fontsize=11)
            pdf.savefig(figure)
            plt.close(figure)


PDF_PAGES = [
    ["The e\ufb03cacy test was signi\ufb01cant, t(2) =", "4.30, p = .05, and the one-",
     "tailed correlation r(2) = .90, p = .05 held."],
    ["Heterogeneity: Q(2) = 4.61, p = .10; in all, z = \u22124.2, p = 2.7 \u00d7 10\u207b\u2075,",
     "and \u03c7\u00b2(2, N = 1,200) = 1,234.5, p = .30."],
]
HTML = ("<!DOCTYPE html><html><head><title>t(9) = 9.9, p = .9</title><style>p{}</style>"
        "</head><body><h1>Results</h1><p>The <i>t</i>(2)&nbsp;=&nbsp;&minus;4.30, <i>p</i> = "
        ".05 and the e&#xfb03;cacy of &chi;<sup>2</sup>(2, <i>N</i> = 90) = 4.61, <i>p</i> = "
        "1.0 &times; 10<sup>&minus;1</sup>.</p><script>var s = 't(9) = 1, p = .9';</script>"
        "<p>Without df: <i>r</i> = .30, <i>p</i> = .01.</p></body></html>")


def test_pdf_article(tmp_path):
    path = tmp_path / "article.pdf"
    _pdf(path, PDF_PAGES)
    found = screen_article(path, "article.pdf")
    assert found[["page", "line", "statistic", "df1", "value", "p"]].values.tolist() == [
        [1, 1, "t", "2", "4.30", "p = .05"], [1, 3, "r", "2", ".90", "p = .05"],
        [2, 1, "chi2", "2", "4.61", "p = .10"], [2, 1, "z", "", "-4.2", "p = 2.7e-5"],
        [2, 2, "chi2", "2", "1234.5", "p = .30"]]
    # 1 - 4.3 / sqrt(4.3^2 + 2) = .0500; r2_p(.90) / 2 = .0500 (one-sided: "one-\ntailed");
    # exp(-4.61 / 2) = .0998; erfc(4.2 / sqrt 2) = 2.67e-5; exp(-617.25) ~ 0
    assert found["p_computed"].tolist() == pytest.approx(
        [t2_p(4.30), r2_p(0.90) / 2, math.exp(-4.61 / 2), z_p(4.2), math.exp(-1234.5 / 2)],
        rel=1e-9, abs=1e-300)
    assert found["reading"].tolist()[1] == "one-sided"
    assert found["status"].tolist() == ["consistent"] * 4 + ["decision_error"]


def test_html_article(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(HTML, encoding="utf-8")
    text, paged = read_article(path)
    assert not paged and "t(9)" not in text  # neither the title nor the script
    found = screen_article(path, "article.html")
    assert found[["statistic", "df1", "value", "p", "status"]].values.tolist() == [
        ["t", "2", "-4.30", "p = .05", "consistent"],     # t2_p(4.30) = .0500
        ["chi2", "2", "4.61", "p = 1.0e-1", "consistent"],  # exp(-2.305) = .0998
        ["r", "", ".30", "p = .01", "untestable"]]
    latin = tmp_path / "latin.html"
    latin.write_bytes(HTML.replace("<head>", "<head><meta charset=\"iso-8859-1\">")
                      .replace("Results", "R\xe9sultats").encode("latin-1", "xmlcharrefreplace"))
    assert len(screen_article(latin, "latin.html")) == 3


class _StandardText(HTMLParser):
    """The standard library's reading of the text of a page (the oracle of the HTML reader):
    data outside tags; scripts, styles and the head skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("head", "script", "style")

    def handle_endtag(self, tag):
        self.skipping -= tag in ("head", "script", "style")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


@pytest.mark.parametrize("markup", [
    '<p>Result <img alt="p > .05" src="x.png"> t(20) = 2.1, p = .048</p>',
    "<p title='F > 4'>F(1, 40) = 4.2, p = .047</p>",
    '<p><a href="#" data-x=\'"quoted" > here\' class="c">t(9) = 2.3</a>, p = .047</p>',
    '<p><span a="1" b="2>3" c=\'>\'>r(28) = .41</span>, p = .02</p>',
])
def test_a_greater_than_sign_inside_a_quoted_attribute_does_not_end_the_tag(tmp_path, markup):
    path = tmp_path / "article.html"
    path.write_text(f"<html><head><title>x</title></head><body>{markup}</body></html>",
                    encoding="utf-8")
    text, _ = read_article(path)
    oracle = _StandardText()
    oracle.feed(path.read_text(encoding="utf-8"))
    assert " ".join(text.split()) == " ".join("".join(oracle.parts).split())


def _corpus(folder):
    (folder / "sub").mkdir(parents=True)
    _pdf(folder / "sub" / "b.pdf", PDF_PAGES)
    (folder / "a.html").write_text(HTML, encoding="utf-8")
    (folder / "c.txt").write_text("We found t(28) = 2.20, p = .06.\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Length 99 >> stream\x00\x01")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "notes.md").write_text("t(28) = 2.20, p = .06", encoding="utf-8")  # not read


def test_folder_with_unreadable_files(tmp_path, capsys):
    folder = tmp_path / "corpus"
    _corpus(folder)
    out = tmp_path / "out.csv"
    assert main(["extract", str(folder), "--output", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["source"].unique().tolist() == ["a.html", "broken.pdf", "c.txt", "junk.txt",
                                                 "sub/b.pdf"]
    unreadable = table[table["status"] == "unreadable"]
    assert unreadable["source"].tolist() == ["broken.pdf", "junk.txt"]
    assert "not a readable PDF" in unreadable["reason"].iloc[0]
    assert "binary file" in unreadable["reason"].iloc[1]
    assert (table["source"] == "sub/b.pdf").sum() == 5
    assert str(tmp_path) not in out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "[5/5]" in err
    # a.html 3 rows (2 consistent, 1 untestable), broken.pdf and junk.txt 1 unreadable row
    # each, c.txt 1 (t(28) = 2.20, p = .06: statcheck's decision error), sub/b.pdf 5 (4
    # consistent, 1 decision error): see test_html_article and test_pdf_article
    assert err.splitlines()[-1] == ("reanalyse extract: 5 files: 11 rows: 6 consistent, 2 "
                                    "decision error, 1 untestable, 2 unreadable; 2 flagged")
    assert main(["extract", str(folder), "--output", str(out), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_jobs_give_the_same_table(tmp_path):
    folder = tmp_path / "corpus"
    _corpus(folder)
    for jobs in ("1", "2"):
        assert main(["extract", str(folder), "--jobs", jobs, "--format", "json",
                     "--output", str(tmp_path / f"jobs{jobs}.json")]) == 0
    assert (tmp_path / "jobs1.json").read_text() == (tmp_path / "jobs2.json").read_text()
    summary = json.loads((tmp_path / "jobs1.json").read_text())["summary"]
    assert (summary["rows"], summary["unreadable"], summary["flagged"]) == (11, 2, 2)


def test_dask_executor_gives_the_same_table(tmp_path):
    pytest.importorskip("distributed")
    folder = tmp_path / "corpus"
    _corpus(folder)
    for executor in ("local", "dask"):
        assert main(["extract", str(folder), "--executor", executor, "--jobs", "1",
                     "--output", str(tmp_path / f"{executor}.csv")]) == 0
    assert (tmp_path / "local.csv").read_text() == (tmp_path / "dask.csv").read_text()


def test_csv_on_standard_output_ends_before_the_summary(tmp_path):
    # standard error merged into standard output, as a terminal shows them
    path = tmp_path / "results.txt"
    path.write_text("We found t(28) = 2.20, p = .06.", encoding="utf-8")

    def extract(*extra):
        return subprocess.run([sys.executable, "-m", "reanalyse", "extract", str(path), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=True).stdout

    lines = extract().splitlines()
    assert lines[-2].startswith('results.txt,,1,"t(28) = 2.20, p = .06",t,28,')
    assert lines[-1] == "reanalyse extract: results.txt: 1 row: 1 decision error; 1 flagged"
    quiet = extract("--quiet")
    assert quiet.endswith("\n") and quiet.splitlines()[-1].startswith("results.txt,,1,")


def test_limits_on_size_and_pages(tmp_path):
    path = tmp_path / "article.pdf"
    _pdf(path, PDF_PAGES)
    found = screen_article(path, "article.pdf", ReadLimits(max_pages=1))
    assert found["status"].tolist() == ["unreadable"]
    assert "2 pages, more than the 1 page limit (--max-pages)" in found["reason"].iloc[0]
    found = screen_article(path, "article.pdf", ReadLimits(max_bytes=100))
    assert "MiB limit (--max-size)" in found["reason"].iloc[0]
    found = screen_article(path, "article.pdf", ReadLimits(max_chars=50))
    assert "more than 50 characters (--max-chars)" in found["reason"].iloc[0]


def test_extract_command(tmp_path, capsys):
    path = tmp_path / "results.txt"
    path.write_text("We found t(28) = 2.20, p = .06 and F(2, 87) = 3.1, p < .05.\n",
                    encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    assert lines[0].startswith("source,page,line,raw,statistic,df1,df2,value,p,one_sided,"
                               "reading,status")
    assert ",decision_error," in lines[1] and ",consistent," in lines[2]
    assert out.err == ("reanalyse extract: results.txt: 2 rows: 1 consistent, 1 decision "
                       "error; 1 flagged\n")
    assert main(["extract", str(path), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    latin = tmp_path / "latin.txt"
    latin.write_bytes("t(28) = 2.20, p = .06 \xe9".encode("latin-1"))
    assert main(["extract", str(latin)]) == 0
    assert "not UTF-8 text" in capsys.readouterr().out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["extract", str(empty)]) == 2
    assert "holds no articles" in capsys.readouterr().err
    assert main(["extract", str(path), "--jobs", "0"]) == 2
