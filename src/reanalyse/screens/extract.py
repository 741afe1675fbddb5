"""Find APA-style test results in text and screen them against their printed p.

Recognised (with ``=``, ``<``, ``>``, ``≤``, ``≥``, unicode minus signs and spaces anywhere
between the parts)::

    t(28) = 2.20, p = .06            t(27.4) = -2.1, p < .05      (t needs its df)
    F(2, 87) = 3.1, p < .05          F(1, 60) < 1, ns
    χ2(1, N = 120) = 4.48, p = .034  chi2(2) = 6.2, p = .045      (also χ², Chi-square, X2)
    r(58) = .31, p = .02             z = 2.1, p = .04             Z = -3.30, p < .001

A result is marked ``one_sided`` when its sentence (at most 200 characters either side of it)
says "one-sided", "one-tailed" or "directional" (statcheck, by contrast, looks at the whole
article and only when asked).  The
patterns were written for this project after reading how statcheck (Nuijten et al. 2016) and
others describe the forms APA results take.

>>> table = extract_results("The groups differed, t(28) = 2.20, p = .06.")
>>> table[["statistic", "df1", "value", "p"]].values.tolist()
[['t', '28', '2.20', 'p = .06']]
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from reanalyse.errors import InputFileError
from reanalyse.screens.statistic import statistic_map

__all__ = ["extract_results", "screen_text", "read_text", "EXTRACTED_COLUMNS"]

#: Columns of :func:`extract_results` (the ``statistic`` check's columns, and where each
#: result was found).
EXTRACTED_COLUMNS = ("source", "line", "raw", "statistic", "df1", "df2", "value", "p",
                     "one_sided")

# one character in, one character out, so that positions in the cleaned text are the original's
_SAME_LENGTH = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2012": "-",
                              "\ufe63": "-", "\uff0d": "-", "\uff1d": "=", "\u00a0": " ",
                              "\u2009": " ", "\u202f": " ", "\u2264": "≤", "\u2265": "≥"})

_BEFORE = r"(?<![A-Za-z0-9_.])"
_NUMBER = r"\d+(?:\.\d+)?"
_ONE_DF = rf"\(\s*(?P<df1>{_NUMBER})\s*\)"
_TWO_DF = rf"\(\s*(?P<df1>{_NUMBER})\s*[,;]\s*(?P<df2>{_NUMBER})\s*\)"
_CHI_DF = rf"\(\s*(?P<df1>{_NUMBER})\s*(?:[,;]\s*[Nn]\s*=\s*\d[\d,]*\s*)?\)"
_VALUE = r"\s*(?P<relation>[=<>≤≥])\s*(?P<value>-?\s?(?:\d+\.?\d*|\.\d+))"
_P = (r"\s*[,;]\s*(?P<p>[pP]\s*(?:<=|>=|[=<>≤≥])\s*(?:\d*\.\d+|\d+)"
      r"(?:\s*[x×]\s*10\s*\^?\s*-\s*\d+)?|n\.\s?s\.|ns(?![A-Za-z]))")
_CHI = r"(?:χ\s*(?:\^?2|²)|[Cc]hi\s*(?:\^?2|²)|[Cc]hi[- ]?squared?|X\s*(?:\^?2|²))"

_PATTERNS = {
    "t": re.compile(_BEFORE + r"t\s*" + _ONE_DF + _VALUE + _P),
    "F": re.compile(_BEFORE + r"F\s*" + _TWO_DF + _VALUE + _P),
    "r": re.compile(_BEFORE + r"r\s*" + _ONE_DF + _VALUE + _P),
    "chi2": re.compile(_BEFORE + _CHI + r"\s*" + _CHI_DF + _VALUE + _P),
    "z": re.compile(_BEFORE + r"[zZ]" + _VALUE + _P),
}
_REACH = 200
_ONE_SIDED = re.compile(r"one[- ]?(?:sided|tailed)|directional", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\[]|\s*$)|\n\s*\n")


def read_text(path) -> str:
    """Read a text file (UTF-8), or raise InputFileError naming the problem."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(path, "no such file", hint="give a plain-text (.txt) file") \
            from None
    except UnicodeDecodeError as error:
        raise InputFileError(path, f"not UTF-8 text ({error.reason} at byte {error.start})",
                             hint="convert the article to UTF-8 plain text first") from None
    except OSError as error:
        raise InputFileError(path, f"cannot read the file: {error.strerror}") from None


def extract_results(text: str, *, source: str = "") -> pd.DataFrame:
    """Every APA-style test result in ``text``, one row each, ready for the statistic check.

    Parameters
    ----------
    text : str
        Plain text (an article, a results section).
    source : str
        Written in the ``source`` column (e.g. the file name).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXTRACTED_COLUMNS`, in order of appearance; printed numbers as text.
    """
    clean = text.translate(_SAME_LENGTH)
    found = []
    for statistic, pattern in _PATTERNS.items():
        for match in pattern.finditer(clean):
            relation = match["relation"]
            value = match["value"].replace(" ", "")
            found.append({
                "start": match.start(), "end": match.end(), "statistic": statistic,
                "df1": match.groupdict().get("df1") or "",
                "df2": match.groupdict().get("df2") or "",
                "value": value if relation == "=" else f"{relation} {value}",
                "p": re.sub(r"\s+", " ", match["p"]).strip(),
            })
    found.sort(key=lambda item: item["start"])
    starts = np.array([item["start"] for item in found], dtype=np.int64)
    newlines = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
    ends = [m.end() for m in _SENTENCE_END.finditer(clean)]
    rows = []
    for item, line in zip(found, np.searchsorted(newlines, starts) + 1):
        sentence = _sentence(clean, ends, item["start"], item["end"])
        rows.append({"source": source, "line": int(line),
                     "raw": text[item["start"]:item["end"]],
                     "statistic": item["statistic"], "df1": item["df1"], "df2": item["df2"],
                     "value": item["value"], "p": item["p"],
                     "one_sided": "true" if _ONE_SIDED.search(sentence) else "false"})
    return pd.DataFrame(rows, columns=list(EXTRACTED_COLUMNS), dtype=object)


def _sentence(text: str, ends: list[int], start: int, end: int) -> str:
    """The sentence around text[start:end], from the previous sentence end to the next, and
    no more than :data:`_REACH` characters either side."""
    index = np.searchsorted(ends, start, side="right")
    begin = max(ends[index - 1] if index > 0 else 0, start - _REACH)
    later = np.searchsorted(ends, end, side="left")
    finish = min(ends[later] if later < len(ends) else len(text), end + _REACH)
    return text[begin:finish]


def screen_text(text: str, *, source: str = "", one_sided: bool = True,
                **options) -> pd.DataFrame:
    """Extract every APA-style result from ``text`` and screen it (the ``statistic`` check).

    Parameters
    ----------
    text : str
    source : str
        Written in the ``source`` column.
    one_sided : bool
        Honour "one-sided"/"one-tailed" in a result's sentence (else every p is two-sided).
    **options
        Options of :func:`reanalyse.screens.statistic_map` (alpha, p_equal_alpha, p_zero,
        rounding).

    Returns
    -------
    pandas.DataFrame
        The extracted results with ``status``, ``consistent``, ``reason``, ``p_min``,
        ``p_computed`` and ``p_max``.
    """
    table = extract_results(text, source=source)
    if not one_sided:
        table["one_sided"] = "false"
    return statistic_map(table, **options)
