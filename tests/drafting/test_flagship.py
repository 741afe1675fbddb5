"""The flagship: a draft of the abstract data/raisi-dehkordi-2019.yaml was transcribed from
reproduces the hand-made file's arms, numbers and claims, and gets the same verdicts."""

from pathlib import Path

import pytest
import yaml

import reanalyse as ra
from reanalyse.drafting.compare import score

ROOT = Path(__file__).parents[2]
TEXT = (Path(__file__).parent / "corpus" / "raisi-dehkordi-2019.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def drafted():
    return ra.draft(TEXT, "raisi-dehkordi-2019")


def test_the_draft_has_the_hand_made_files_arms_numbers_and_claims(drafted):
    expected = ra.load_study(ROOT / "data" / "raisi-dehkordi-2019.yaml")
    result = score(drafted.study, expected)
    assert result.arms_right
    assert result.missed == () and result.wrong == ()
    assert result.claims_right == result.claims_expected == result.claims_drafted == 4
    post = {o.id: o for o in drafted.study.outcomes}["epds_post"]
    assert (post.arms["intervention"].mean.text, post.arms["intervention"].sd.text) == ("7.75", "2.18")
    assert (post.arms["control"].mean.text, post.arms["control"].sd.text) == ("9.2", "2.04")


def test_the_draft_gets_the_hand_made_files_verdicts(drafted):
    analysis = yaml.safe_load((ROOT / "analyses" / "raisi-dehkordi-2019.yaml").read_text())
    expected = ra.check(ROOT / "data" / "raisi-dehkordi-2019.yaml", **analysis["options"])
    assert {c.id: c.verdict for c in expected} == analysis["expected"]
    verdicts = {claim.id: claim.verdict for claim in ra.check(drafted.study, **analysis["options"])}
    hand = expected.study
    pairs = {"epds-pre": "baseline-similar", "epds-post": "lower-epds",
             "ppd-post": "fewer-depressed", "ppd-post-2": "adjusted-odds"}
    assert {pairs[k]: v for k, v in verdicts.items()} == analysis["expected"], hand.id


def test_every_drafted_number_quotes_its_sentence_and_every_guess_is_marked(drafted):
    lines = drafted.text.splitlines()
    for i, line in enumerate(lines):
        if "mean:" in line or "events:" in line:
            assert lines[i - 1].strip().startswith('# from: "'), line
    marked = [line for line in lines if "# check:" in line and not line.startswith("#")]
    assert len(marked) <= len(drafted.guesses) and marked  # a line may carry two guesses
    assert all(any(guess.note in line for line in marked) for guess in drafted.guesses)
    assert "insufficient_information" == {c.id: c.verdict for c in ra.check(drafted.study)}["epds-pre"]
