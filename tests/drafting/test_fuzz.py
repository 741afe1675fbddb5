"""Drafts of mangled real abstracts: sentences dropped, repeated and shuffled, numbers changed,
characters deleted or doubled.  Every draft loads and checks (a text that cannot be drafted
raises DraftingError, never another exception)."""

import random
from pathlib import Path

import pytest

import reanalyse as ra
from reanalyse.drafting.text import DraftingError

TEXTS = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "corpus").glob("*.txt"))]
ROUNDS = 120


def _mangle(rng: random.Random, text: str) -> str:
    pieces = text.replace("\n", " \n ").split(". ")
    choice = rng.randrange(6)
    if choice == 0:
        rng.shuffle(pieces)
    elif choice == 1:
        pieces = [p for p in pieces if rng.random() > 0.4] or pieces[:1]
    elif choice == 2:
        pieces = pieces + rng.sample(pieces, k=min(3, len(pieces)))
    text = ". ".join(pieces)
    chars = list(text)
    for _ in range(rng.randrange(1, 30)):
        at = rng.randrange(len(chars))
        action = rng.randrange(5)
        if action == 0:
            del chars[at]
        elif action == 1:
            chars.insert(at, chars[at])
        elif action == 2 and chars[at].isdigit():
            chars[at] = str(rng.randrange(10))
        elif action == 3:
            chars.insert(at, rng.choice("()[]±%/=<>;,.-0123456789 "))
        else:
            chars[at] = rng.choice("0123456789")
    return "".join(chars)


@pytest.mark.parametrize("seed", range(ROUNDS))
def test_a_mangled_abstract_drafts_loads_and_checks(seed):
    rng = random.Random(seed)
    text = _mangle(rng, rng.choice(TEXTS))
    try:
        drafted = ra.draft(text, "fuzz")
    except DraftingError as error:       # a clear refusal is allowed; a crash is not
        assert error.hint
        return
    result = ra.check(drafted.study)
    assert {claim.id for claim in result} == {claim.id for claim in drafted.study.claims}
