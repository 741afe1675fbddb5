"""Words in the sentences ``reanalyse`` writes."""

from __future__ import annotations

__all__ = ["sentence", "join_and"]


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
