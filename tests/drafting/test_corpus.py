"""The quality gate: drafts of the real abstracts in tests/drafting/corpus, scored against the
transcriptions made by hand from the same texts (tests/drafting/corpus/README.md), hold the
targets.  benchmarks/drafting.py prints the same figures with what was wrong or missed."""

import re
from pathlib import Path

import pytest

import reanalyse as ra
from reanalyse.drafting.compare import score_corpus

CORPUS = Path(__file__).parent / "corpus"
TEXTS = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def result():
    return score_corpus(CORPUS)


def test_the_corpus_has_25_real_texts_each_with_its_transcription():
    assert len(TEXTS) >= 25
    for text in TEXTS:
        expected = ra.load_study(text.with_suffix(".yaml"))
        where = expected.sources[0].citation if expected.sources else ""
        assert expected.citation and re.search(r"https?://|\w\.\w{2,4}/\w", where), text.name


def test_numbers_are_drafted_with_97_percent_precision_and_85_percent_recall(result):
    assert result.number_precision >= 0.97
    assert result.number_recall >= 0.85


def test_arms_are_right_in_90_percent_of_texts(result):
    assert result.arms_right >= 0.90


def test_claims_are_drafted_with_their_significance_and_p(result):
    assert result.claim_precision >= 0.90 and result.claim_recall >= 0.80


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem for t in TEXTS])
def test_every_draft_loads_and_checks_without_error(text):
    drafted = ra.draft(text.read_text(encoding="utf-8"), text.stem)
    verdicts = {claim.id: claim.verdict for claim in ra.check(drafted.study)}
    assert set(verdicts) == {claim.id for claim in drafted.study.claims}
