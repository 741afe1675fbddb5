"""Words in the sentences ``reanalyse`` writes."""

from __future__ import annotations

__all__ = ["sentence"]


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
