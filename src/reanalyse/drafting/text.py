"""A trial's text for drafting: read from a file or standard input, normalised, cut into sentences.

Files are read as :mod:`reanalyse.screens.articles` reads articles (plain text, PDF, HTML), with
tighter bounds: a draft is made from an abstract or a results section, so a text longer than
:data:`MAX_CHARS` characters is refused rather than read slowly.  The text is normalised as
:func:`reanalyse.screens.extract.normalise_text` does (unicode minus signs, spaces, ligatures,
hyphenation), and cut into sentences at a full stop, question or exclamation mark followed by
a capital letter or a bracket (not after "vs.", "e.g.", "et al." and the like) and at blank
lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reanalyse.errors import ReanalyseError
from reanalyse.screens.articles import ReadLimits, UnreadableArticle, read_article
from reanalyse.screens.extract import normalise_text

__all__ = ["DraftingError", "Sentence", "read_text", "sentences", "MAX_CHARS"]

#: Longest text drafted from (a long article's text is about a tenth of this).
MAX_CHARS = 1_000_000
_LIMITS = ReadLimits(max_bytes=64 * 2**20, max_pages=200, max_chars=MAX_CHARS)
_ABBREVIATIONS = frozenset({"vs", "e.g", "i.e", "al", "fig", "no", "approx", "ca", "dr", "mr",
                            "mrs", "ms", "st", "vol", "cf", "resp", "min", "max", "sd", "s.d",
                            "n.s", "nos", "eq"})
_STOPS = re.compile(r"[.!?](?=[\"')\]]?\s{1,10}[A-Z(\[])|\n[ \t]*\n|\n(?=[A-Z][A-Za-z ]{2,30}:)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]{0,6})$")


class DraftingError(ReanalyseError):
    """A text that cannot be drafted from (unreadable, empty or too long); ``hint`` says what
    to do."""

    def __init__(self, source: str, problem: str, hint: str):
        self.source = source
        self.problem = problem
        self.hint = hint
        super().__init__(f"{source}: {problem}\n  hint: {hint}")

    def to_dict(self) -> dict:
        return {"kind": "drafting", "source": self.source, "problem": self.problem,
                "hint": self.hint}


@dataclass(frozen=True)
class Sentence:
    """One sentence of the normalised text and where it starts."""

    text: str
    start: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start}


def read_text(source, *, stdin=None) -> str:
    """The text of ``source``: a path (``.txt``, ``.pdf``, ``.html``) or ``"-"`` for ``stdin``.

    Raises
    ------
    DraftingError
        When the file cannot be read, holds no text, or its text is longer than
        :data:`MAX_CHARS`.
    """
    if str(source) == "-":
        data = (stdin.buffer if hasattr(stdin, "buffer") else stdin).read(_LIMITS.max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > _LIMITS.max_bytes:
            raise DraftingError("standard input", "more than 64 MiB were given",
                                "give the abstract or the results section, not a whole archive")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DraftingError("standard input", f"not UTF-8 text ({error.reason} at byte "
                                f"{error.start})", "convert the text to UTF-8") from None
        name = "standard input"
    else:
        name = str(source)
        try:
            text, _ = read_article(Path(source), _LIMITS)
        except UnreadableArticle as error:
            raise DraftingError(name, f"cannot be read: {error.reason}",
                                "give a .txt, .pdf or .html file with the trial's abstract or "
                                "results, or '-' to read standard input") from None
    return check_text(text, name)


def check_text(text: str, name: str = "the text") -> str:
    """``text`` itself when it can be drafted from; else a :class:`DraftingError`."""
    if not isinstance(text, str):
        raise DraftingError(name, f"expected text, got {type(text).__name__}",
                            "pass the abstract or results section as a string")
    if len(text) > MAX_CHARS:
        raise DraftingError(name, f"the text has {len(text):,} characters, more than the "
                            f"{MAX_CHARS:,} drafted from",
                            "give the abstract or the results section only")
    if not text.strip():
        raise DraftingError(name, "holds no text",
                            "give the abstract or results section of the trial")
    return text


def sentences(text: str) -> list[Sentence]:
    """The normalised text cut into sentences (see the module docstring)."""
    clean = normalise_text(text)[0].replace("\r\n", "\n").replace("\f", "\n\n")
    found, begin = [], 0
    for match in _STOPS.finditer(clean):
        if match[0] == ".":
            word = _WORD_BEFORE.search(clean, max(0, match.start() - 8), match.start())
            if word and (word[1].lower().rstrip(".") in _ABBREVIATIONS
                         or len(word[1]) == 1 and word[1].isupper()):
                continue
        end = match.end() if match[0] in ".!?" else match.start()
        piece = clean[begin:end]
        if piece.strip():
            found.append(Sentence(" ".join(piece.split()), begin))
        begin = match.end()
    if clean[begin:].strip():
        found.append(Sentence(" ".join(clean[begin:].split()), begin))
    return found
