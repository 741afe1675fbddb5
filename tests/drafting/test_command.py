"""reanalyse new ID --from FILE|- [--check]: text, PDF, HTML and standard input; bad input
exits 2 with a clear message."""

import io
import shutil
import sys
from pathlib import Path

import pytest

from reanalyse.cli import main
from reanalyse.model.analysis import load_analysis
from reanalyse.model.studyfile import load_study

ROOT = Path(__file__).parents[2]
TEXT = (Path(__file__).parent / "corpus" / "raisi-dehkordi-2019.txt").read_text(encoding="utf-8")
# The two result sentences of the flagship abstract, as short lines for a PDF page
LINES = ["Mothers were randomly recruited and allocated to a control and an intervention",
         "group. The posttest mean score of depression in the intervention group was",
         "significantly lower than the control group (7.75 ± 2.18 vs. 9.2 ± 2.04; P < 0.001)."]


def _means(root, study_id):
    study = load_study(root / "data" / f"{study_id}.yaml")
    return [[(arm.mean.text, arm.sd.text) for arm in outcome.arms.values()]
            for outcome in study.outcomes if outcome.type == "continuous"
            and all(arm.mean is not None for arm in outcome.arms.values())][0]


def test_from_a_text_file_with_check_prints_the_verdicts(tmp_path, capsys):
    source = tmp_path / "abstract.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert main(["new", "raisi-2019", "--from", str(source), "--check", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "4 claims: 1 reproduced, 1 inconsistent, 1 fragile, 1 insufficient information" in out
    assert _means(tmp_path, "raisi-2019") == [("7.75", "2.18"), ("9.2", "2.04")]
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "claim_check.ipynb", tmp_path / "notebooks")
    analysis = load_analysis(tmp_path / "analyses" / "raisi-2019.yaml")
    assert analysis.study.resolve() == (tmp_path / "data" / "raisi-2019.yaml").resolve()


def test_from_standard_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    assert main(["new", "from-stdin", "--from", "-", "--root", str(tmp_path)]) == 0
    assert "guesses to check ('# check:')" in capsys.readouterr().out
    assert _means(tmp_path, "from-stdin") == [("7.75", "2.18"), ("9.2", "2.04")]


def test_from_html(tmp_path):
    source = tmp_path / "page.html"
    source.write_text("<html><head><title>x</title><script>var a = '1 ± 2';</script></head>"
                      "<body><h1>Abstract</h1><p>" + "</p><p>".join(LINES[:1]) + " " +
                      " ".join(LINES[1:]) + "</p></body></html>", encoding="utf-8")
    assert main(["new", "from-html", "--from", str(source), "--root", str(tmp_path)]) == 0
    assert _means(tmp_path, "from-html") == [("7.75", "2.18"), ("9.2", "2.04")]


def test_from_pdf(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    source = tmp_path / "article.pdf"
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(source) as pdf:
        figure = plt.figure(figsize=(8.5, 11))
        for i, line in enumerate(LINES):
            figure.text(0.05, 0.9 - 0.03 * i, line, fontsize=9)
        pdf.savefig(figure)
        plt.close(figure)
    assert main(["new", "from-pdf", "--from", str(source), "--root", str(tmp_path)]) == 0
    assert _means(tmp_path, "from-pdf") == [("7.75", "2.18"), ("9.2", "2.04")]


@pytest.mark.parametrize("content, message", [
    (b"", "holds no text"),
    (b"\x00\x01binary", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_unreadable_text_exits_2_naming_the_file(tmp_path, capsys, content, message):
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    assert main(["new", "bad-1", "--from", str(source), "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad.txt" in err and message in err and "hint:" in err
    assert not (tmp_path / "data" / "bad-1.yaml").exists()


def test_missing_file_and_check_without_from_exit_2(tmp_path, capsys):
    assert main(["new", "gone-1", "--from", str(tmp_path / "gone.txt"), "--root", str(tmp_path)]) == 2
    assert "gone.txt" in capsys.readouterr().err
    assert main(["new", "gone-1", "--check", "--root", str(tmp_path)]) == 2
    assert "--check needs --from" in capsys.readouterr().err


def test_a_text_with_no_numbers_still_drafts_a_file_that_loads(tmp_path):
    source = tmp_path / "words.txt"
    source.write_text("A qualitative study of mothers' experiences of infant massage.",
                      encoding="utf-8")
    assert main(["new", "words-1", "--from", str(source), "--check", "--root", str(tmp_path)]) == 0
    study = load_study(tmp_path / "data" / "words-1.yaml")
    assert [arm.id for arm in study.arms] == ["intervention", "control"] and not study.claims
