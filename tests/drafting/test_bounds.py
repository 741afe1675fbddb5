"""Drafting is bounded on hostile text: long runs of the characters its patterns look for
finish (a pattern with nested repetition would not, at these lengths) and still give a draft
that loads."""

import pytest

import reanalyse as ra
from reanalyse.drafting.text import MAX_CHARS, DraftingError

N = 20_000
HOSTILE = {
    "digits": "1" * 10 * N,
    "plus-minus": "1 ± " * N,
    "brackets": "(" * 5 * N + "1" + ")" * 5 * N,
    "fractions": "1/1/" * N,
    "sizes": "(n = 1 (n = " * N,
    "p-values": "P = 0.P = " * N,
    "odds": "odds " * N + "1 times (95% CI 1 to",
    "vs": "1% vs " * N,
    "groups": "the intervention and control groups " * (N // 4),
    "dots": "1." * 5 * N,
    "one long sentence": ("mean score was 9.2 (2.04) in the control group and " * (N // 10)),
    "many sentences": ("Mothers were randomly assigned to massage (n = 30) or care (n = 30). "
                       "Scores were lower (7.75 ± 2.18 vs. 9.2 ± 2.04; P < 0.001). ") * (N // 20),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_drafted_in_bounded_time(name):
    result = ra.draft(HOSTILE[name], "hostile")
    assert result.study.id == "hostile"


def test_a_text_over_the_limit_is_refused_with_a_hint():
    with pytest.raises(DraftingError, match="more than the"):
        ra.draft("a" * (MAX_CHARS + 1))
    with pytest.raises(DraftingError, match="not a study id"):
        ra.draft("text", "Not An Id")
