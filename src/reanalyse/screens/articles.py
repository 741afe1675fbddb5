"""Articles as text for :mod:`reanalyse.screens.extract`: plain text, PDF and HTML, at bounded cost.

* plain text (``.txt``, or any file not named as PDF or HTML): UTF-8 (a byte-order mark
  allowed), or UTF-16 with its byte-order mark;
* PDF (``.pdf``): the text layer of each page, read by ``pypdf``; pages are separated by form
  feeds so that each result's page is known.  An encrypted PDF is read when it opens with the
  empty password (as viewers do), otherwise it is unreadable;
* HTML (``.html``, ``.htm``, ``.xhtml``): the text of the body, read by the standard library's
  parser, with block elements and ``<br>`` as line breaks, ``<sup>`` as ``^`` (so that
  ``10<sup>-5</sup>`` reads ``10^-5`` and ``χ<sup>2</sup>`` reads ``χ^2``), and scripts and
  styles left out.  The encoding is UTF-8, else the one the document declares.

Every read is bounded (:class:`ReadLimits`): a file over ``max_bytes``, a PDF of more than
``max_pages`` pages and a text over ``max_chars`` characters are not read.  A file that cannot
be read (missing, corrupt, binary, in an unknown encoding, encrypted, too large) raises
:class:`UnreadableArticle` with the reason; :func:`screen_article` turns it into one row with
status ``unreadable``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
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
    """

    max_bytes: int = 256 * 2**20
    max_pages: int = 2_000
    max_chars: int = 50_000_000

    def to_dict(self) -> dict:
        return {"max_bytes": self.max_bytes, "max_pages": self.max_pages,
                "max_chars": self.max_chars}


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
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableArticle(f"cannot open the file: {error.strerror or error}") from None
    if size > limits.max_bytes:
        raise UnreadableArticle(f"the file has {size / 2**20:,.1f} MiB, more than the "
                                f"{limits.max_bytes / 2**20:,.0f} MiB limit (--max-size)")
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower(), "text")
    if kind == "pdf":
        text, paged = _pdf_text(path, limits), True
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableArticle(f"cannot read the file: {error.strerror or error}") \
                from None
        text = _html_text(data) if kind == "html" else _plain_text(data)
        paged = False
    if len(text) > limits.max_chars:
        raise UnreadableArticle(f"its text has more than {limits.max_chars:,} characters "
                                "(--max-chars)")
    return text, paged


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


def _pdf_text(path: Path, limits: ReadLimits) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repaired defects are not errors here
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableArticle("the PDF is encrypted (it needs a password)")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise UnreadableArticle(f"the PDF has {count:,} pages, more than the "
                                    f"{limits.max_pages:,} page limit (--max-pages)")
        pages, length = [], 0
        for page in reader.pages:
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
    parser = _TextOfHTML()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


class _TextOfHTML(HTMLParser):
    """The text of an HTML document: block elements as lines, ``<sup>`` as ``^``."""

    _SKIP = {"script", "style", "head", "noscript", "template", "svg", "math"}
    _BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "table", "caption", "figcaption", "blockquote", "dd", "dt",
              "header", "footer", "title", "ul", "ol", "pre", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag == "sup" and not self.skipping:
            self.parts.append("^")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


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
