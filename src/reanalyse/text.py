"""Words in the sentences ``reanalyse`` writes: counts with their nouns, and sentences."""

from __future__ import annotations

__all__ = ["plural", "sentence", "join_and"]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in the number that fits it.

    >>> plural(1, "analysis", "analyses"), plural(2, "analysis", "analyses"), plural(0, "claim")
    ('1 analysis', '2 analyses', '0 claims')
    """
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, one full stop at the end.

    >>> sentence("the SD is 0"), sentence("Done."), sentence("")
    ('The SD is 0.', 'Done.', '')
    """
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def join_and(items) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_and(["a"]), join_and(["a", "b", "c"])
    ('a', 'a, b and c')
    """
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
