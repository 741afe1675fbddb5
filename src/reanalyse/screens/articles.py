"""Articles as text for :mod:`reanalyse.screens.extract`: plain text, PDF and HTML, at bounded cost.

* plain text (``.txt``, or any file not named as PDF or HTML): UTF-8 (a byte-order mark
  allowed), or UTF-16 with its byte-order mark;
* PDF (``.pdf``): the text layer of each page, read by ``pypdf``; pages are separated by form
  feeds so that each result's page is known.  An encrypted PDF is read when it opens with the
  empty password (as viewers do), otherwise it is unreadable;
* HTML (``.html``, ``.htm``, ``.xhtml``): the text of the body, read by the standard library's
  parser, with block elements and ``<br>`` as line breaks, ``<sup>`` as ``^`` (so that
  ``10<sup>-5</sup>`` reads ``10^-5`` and ``χ<sup>2</sup>`` reads ``χ^2``), and scripts and
  styles left out, in one pass over the markup.  The encoding is UTF-8, else the one the
  document declares.

Every read is bounded (:class:`ReadLimits`): a file over ``max_bytes`` (read with that cap,
whatever size the file system reports), a PDF of more than ``max_pages`` pages or whose content
streams hold more than ``max_tokens`` tokens, and a text over ``max_chars`` characters are not
read.  A file that cannot
be read (missing, corrupt, binary, in an unknown encoding, encrypted, too large) raises
:class:`UnreadableArticle` with the reason; :func:`screen_article` turns it into one row with
status ``unreadable``.
"""

from __future__ import annotations

import html
import io
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reanalyse.screens.extract import SCREENED_COLUMNS, screen_text

__all__ = ["ARTICLE_SUFFIXES", "ReadLimits", "UnreadableArticle", "read_article",
           "screen_article", "unreadable_row", "UNREADABLE"]

#: File name endings read as articles when a folder is given, and how each is read.
ARTICLE_SUFFIXES = {".txt": "text", ".pdf": "pdf", ".html": "html", ".htm": "html",
                    ".xhtml": "html"}
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on the cost of reading one article.

    Attributes
    ----------
    max_bytes : int
        Larger files are not read.
    max_pages : int
        PDFs with more pages are not read.
    max_chars : int
        Reading stops, and the file is unreadable, when its text grows longer.
    max_tokens : int
        The work budget of a PDF: reading stops, and the file is unreadable, when its pages'
        content streams (decompressed) hold more tokens (operators and operands) in all.  The
        text extraction's cost grows with them (about 10 microseconds each on a 2-core
        machine); an article's page holds some thousands, so that the default admits a few
        dozen pages at about 2 s, while a PDF of a few kilobytes cannot ask for minutes.
    """

    max_bytes: int = 256 * 2**20
    max_pages: int = 2_000
    max_chars: int = 50_000_000
    max_tokens: int = 200_000

    def to_dict(self) -> dict:
        return {"max_bytes": self.max_bytes, "max_pages": self.max_pages,
                "max_chars": self.max_chars, "max_tokens": self.max_tokens}


class UnreadableArticle(Exception):
    """An article that cannot be read; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_article(path, limits: ReadLimits = ReadLimits()) -> tuple[str, bool]:
    """The text of an article, and whether its pages are separated by form feeds.

    Parameters
    ----------
    path : str or Path
        A plain-text, PDF or HTML file (by its suffix; see the module's docstring).
    limits : ReadLimits

    Raises
    ------
    UnreadableArticle
        With the reason the file cannot be read.
    """
    path = Path(path)
    data = _read_capped(path, limits.max_bytes)
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower(), "text")
    if kind == "pdf":
        text, paged = _pdf_text(data, limits), True
    else:
        text = _html_text(data) if kind == "html" else _plain_text(data)
        paged = False
    if len(text) > limits.max_chars:
        raise UnreadableArticle(f"its text has more than {limits.max_chars:,} characters "
                                "(--max-chars)")
    return text, paged


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, reading at most ``max_bytes + 1`` of them whatever its
    size claims to be (a device such as /dev/zero, a file that grows while read)."""
    try:  # opened without blocking, so that a pipe is refused rather than waited on
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise UnreadableArticle("not a regular file (a device, a pipe or a socket)")
            chunks, size = [], 0
            while size <= max_bytes:  # in pieces: no buffer of the cap's size is made
                chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
    except OSError as error:
        raise UnreadableArticle(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise UnreadableArticle(f"the file is larger than the {max_bytes / 2**20:,.4g} MiB "
                                "limit (--max-size)")
    return data


_CHUNK = 2**20


def _plain_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableArticle(f"not UTF-16 text ({error.reason})") from None
    if b"\x00" in data[:65536]:
        raise UnreadableArticle("a binary file, not text (it holds NUL bytes); give the "
                                "article as .txt, .pdf or .html")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableArticle(f"not UTF-8 text ({error.reason} at byte {error.start}); "
                                "convert the article to UTF-8") from None


def _pdf_text(data: bytes, limits: ReadLimits) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repaired defects are not errors here
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableArticle("the PDF is encrypted (it needs a password)")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise UnreadableArticle(f"the PDF has {count:,} pages, more than the "
                                    f"{limits.max_pages:,} page limit (--max-pages)")
        pages, length, tokens = [], 0, 0
        for page in reader.pages:
            tokens += _content_tokens(page)
            if tokens > limits.max_tokens:
                raise UnreadableArticle(f"its pages' content streams hold more than "
                                        f"{limits.max_tokens:,} tokens, the work budget of a "
                                        "PDF (--max-tokens)")
            pages.append(page.extract_text() or "")
            length += len(pages[-1]) + 1
            if length > limits.max_chars:
                raise UnreadableArticle(f"its text has more than {limits.max_chars:,} "
                                        "characters (--max-chars)")
    except UnreadableArticle:
        raise
    except Exception as error:  # noqa: BLE001 - a corrupt PDF can fail anywhere in the parser
        raise UnreadableArticle(f"not a readable PDF ({type(error).__name__}: {error})") \
            from None
    return "\f".join(pages)


def _content_tokens(page) -> int:
    """About how many tokens (operators and their operands) the page's content streams hold:
    their whitespace and delimiter bytes, counted without building anything (a stream with no
    space between its operators, ``(x)Tj(x)Tj...``, still counts two a string).  The work of
    the page's text extraction is proportional to them."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for stream in streams:
        data = stream.get_object().get_data()
        total += sum(data.count(byte) for byte in _DELIMITERS)
    return total


_DELIMITERS = (b" ", b"\n", b"\r", b"\t", b"(", b")", b"[", b"]", b"<", b">", b"/")


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""",
                               re.IGNORECASE)


def _html_text(data: bytes) -> str:
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableArticle("a binary file, not HTML (it holds NUL bytes)")
    try:
        markup = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        declared = _DECLARED_CHARSET.search(data[:4096])
        if declared is None:
            raise UnreadableArticle(f"not UTF-8 ({error.reason} at byte {error.start}) and no "
                                    "charset declared") from None
        charset = declared[1].decode("ascii")
        try:
            markup = data.decode(charset)
        except (LookupError, UnicodeDecodeError) as declared_error:
            raise UnreadableArticle(f"cannot decode it as its declared charset {charset!r} "
                                    f"({declared_error})") from None
    return _text_of_html(markup)


# The HTML reader walks the markup once, left to right; every search starts where the last
# one ended or looks for a terminator whose position is remembered, so its cost is linear in
# the markup's length whatever the markup (an unclosed "<a" or "<!--" repeated 100,000 times
# makes the standard library's parser rescan the rest of the document at each one).
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "math"})
_RAW_TEXT = frozenset({"script", "style"})  # their content is not markup
_BLOCK = frozenset({"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                    "section", "article", "table", "caption", "figcaption", "blockquote", "dd",
                    "dt", "header", "footer", "title", "ul", "ol", "pre", "hr"})
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*+)")
_RAW_TEXT_END = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in _RAW_TEXT}
# a numeric character reference beyond Unicode (the standard library would convert all its
# digits to an integer first): read as the replacement character, as browsers do
_HUGE_CHARREF = re.compile(r"&#(?:[xX]0*[0-9A-Fa-f]{7,}|0*[0-9]{8,});?")


def _text_of_html(markup: str) -> str:
    """The text of an HTML document: block elements as lines, ``<sup>`` as ``^``, scripts,
    styles and the head left out, character references converted.

    A tag ends at the first ``>`` outside its quoted attribute values (``<img alt="p > .05">``
    is one tag); a tag with an unclosed quote ends at the first ``>`` after it; a comment ends
    at ``-->``; a ``<`` that opens no tag is text.
    """
    parts: list[str] = []
    skipping = 0
    position, length = 0, len(markup)
    close_at, double_at, single_at = _Next(markup, ">"), _Next(markup, '"'), _Next(markup, "'")
    while position < length:
        opening = markup.find("<", position)
        if opening < 0:
            opening = length
        if opening > position and not skipping:
            parts.append(_unescape(markup[position:opening]))
        if opening == length:
            break
        if markup.startswith("<!--", opening):
            close = markup.find("-->", opening + 4)
            position = length if close < 0 else close + 3
            continue
        next_close = close_at(opening)
        tag = None if next_close > length else _TAG_NAME.match(markup, opening, next_close)
        if tag is not None:
            next_close = _tag_end(tag.end(), next_close, close_at, double_at, single_at)
        if next_close > length or (tag is None and not markup.startswith(("<!", "<?"), opening)):
            if not skipping:  # a "<" that opens nothing is text
                parts.append("<")
            position = opening + 1
            continue
        position = next_close + 1  # a tag, a declaration or a processing instruction
        if tag is None:
            continue
        name = tag[2].lower()
        if not tag[1] and name in _RAW_TEXT:
            end = _RAW_TEXT_END[name].search(markup, position)
            position = length if end is None else end.start()
        # a self-closing tag (<br/>) is a start and an end, as the standard library reads it
        for end_tag in ((True,) if tag[1] else (False, True) if markup[next_close - 1] == "/"
                        else (False,)):
            if name in _SKIP:
                skipping = max(skipping - 1, 0) if end_tag else skipping + 1
            elif name in _BLOCK:
                parts.append("\n")
            elif name == "sup" and not end_tag and not skipping:
                parts.append("^")
    return "".join(parts)


class _Next:
    """The position of the next ``char`` at or after a position (``len + 1`` when none), each
    search remembered, so that a left-to-right walk costs one pass over the markup."""

    def __init__(self, markup: str, char: str):
        self.markup, self.char = markup, char
        self.start, self.found = 0, -1

    def __call__(self, position: int) -> int:
        if not self.start <= position <= self.found:
            found = self.markup.find(self.char, position)
            self.start, self.found = position, len(self.markup) + 1 if found < 0 else found
        return self.found


def _tag_end(start: int, first_close: int, close_at: _Next, double_at: _Next,
             single_at: _Next) -> int:
    """Where a tag whose name ends at ``start`` ends: its first ``>`` outside quoted values;
    ``first_close`` (its first ``>``) when a quote before the end is never closed."""
    position = start
    while True:
        close = close_at(position)
        quote = min(double_at(position), single_at(position))
        if close < quote:
            return close
        closing = (double_at if quote == double_at(position) else single_at)(quote + 1)
        if closing > len(close_at.markup):
            return first_close
        position = closing + 1


def _unescape(text: str) -> str:
    """``text`` with its character references converted (``&amp;``, ``&#8722;``)."""
    if "&" not in text:
        return text
    return html.unescape(_HUGE_CHARREF.sub("\ufffd", text))


def unreadable_row(source: str, reason: str) -> pd.DataFrame:
    """The one row an unreadable article gives (columns of the screened table)."""
    row = {column: "" for column in SCREENED_COLUMNS}
    row.update({"source": source, "status": UNREADABLE, "reason": reason, "consistent": None,
                "p_min": float("nan"), "p_computed": float("nan"), "p_max": float("nan")})
    return pd.DataFrame([row], columns=list(SCREENED_COLUMNS))


def screen_article(path, source: str, limits: ReadLimits = ReadLimits(),
                   **options) -> pd.DataFrame:
    """Read an article and screen every APA-style result in it.

    Parameters
    ----------
    path : str or Path
    source : str
        Written in the ``source`` column (a path relative to the folder screened).
    limits : ReadLimits
    **options
        Options of :func:`reanalyse.screens.extract.screen_text` (``one_sided``, ``alpha``,
        ``p_equal_alpha``, ``p_zero``, ``rounding``).

    Returns
    -------
    pandas.DataFrame
        :func:`screen_text`'s table, or :func:`unreadable_row` when the file cannot be read.
    """
    try:
        text, paged = read_article(path, limits)
    except UnreadableArticle as error:
        return unreadable_row(source, error.reason)
    return screen_text(text, source=source, paged=paged, **options)
