"""Find APA-style test results in text and screen them against their printed p.

Recognised (with ``=``, ``<``, ``>``, ``≤``, ``≥``, and spaces or line breaks anywhere between
the parts)::

    t(28) = 2.20, p = .06            t(27.4) = -2.1, p < .05
    F(2, 87) = 3.1, p < .05          F(1, 60) < 1, ns          F(1, 4000) = 1,234.56, p < .001
    χ2(1, N = 120) = 4.48, p = .034  chi2(2) = 6.2, p = .045   (also χ², χ^2, Chi-square, X2)
    Q(9) = 12.3, p = .20             (a heterogeneity Q: a chi-square with its df)
    r(58) = .31, p = .02             z = 2.1, p = .04          Z = -3.30, p < .001
    t(40) = 6.1, p = 1.1e-06         p = 2.3 x 10^-5, p = 2.3 × 10−5, p = 2.3 × 10⁻⁵

OCR's capital I or lower-case l for a 1 in degrees of freedom (``F(I, 40)``) is read as 1.  A
t, F, chi2, r or Q printed without degrees of freedom (``t = 2.5, p < .05``) is listed, marked
``untestable``: its p cannot be recomputed.

The text is first normalised as papers and their PDF or HTML renderings need: unicode minus
signs and dashes, non-breaking, thin and other spaces, ligatures (``ﬁ``, ``ﬂ``, ...), soft
hyphens and zero-width characters, and words hyphenated across a line break.  ``raw`` and
``line`` still refer to the text as given.

A result is ``one_sided`` when its sentence (at most 200 characters either side of it) says
"one-sided", "one-tailed" or "directional".  Such a result (t, z or r) is judged under both
readings, two-sided and one-sided, and flagged only when neither fits (:func:`screen_text`);
statcheck, by contrast, looks at the whole article and only when asked.  The patterns were
written for this project after reading how statcheck (Nuijten et al. 2016) and others
describe the forms APA results take.

>>> table = extract_results("The groups differed, t(28) = 2.20, p = .06.")
>>> table[["statistic", "df1", "value", "p"]].values.tolist()
[['t', '28', '2.20', 'p = .06']]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reanalyse.screens.statistic import statistic_map

__all__ = ["extract_results", "screen_text", "normalise_text", "EXTRACTED_COLUMNS",
           "SCREENED_COLUMNS", "READINGS"]

#: Columns of :func:`extract_results`: where each result was found, and the ``statistic``
#: check's columns.  ``page`` is filled for PDF articles only.
EXTRACTED_COLUMNS = ("source", "page", "line", "raw", "statistic", "df1", "df2", "value", "p",
                     "one_sided")
#: Columns of :func:`screen_text`: the extracted ones, the reading judged, then the check's.
SCREENED_COLUMNS = EXTRACTED_COLUMNS + ("reading", "status", "consistent", "reason", "p_min",
                                        "p_computed", "p_max")
#: Values of the ``reading`` column: which sidedness the row's status and p's refer to.
READINGS = ("two-sided", "one-sided")
UNTESTABLE = "untestable"

# One character in, one character out (positions are kept).
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
_DASHES = "\u2212\u2010\u2011\u2012\u2013\u2014\ufe63\uff0d"
_SAME_LENGTH = str.maketrans({**{c: "-" for c in _DASHES},
                              **{c: " " for c in _SPACES},
                              "\uff1d": "=", "\uff1c": "<", "\uff1e": ">", "\u2a7d": "≤",
                              "\u2a7e": "≥", "\u22c5": "·"})
# Length-changing edits: ligatures, invisible characters, a word hyphenated across a line.
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_EDITS = re.compile(f"[{''.join(_LIGATURES)}{_INVISIBLE}]"
                    r"|(?<=[A-Za-z])-[ \t]*\r?\n[ \t]*(?=[a-z])")
_HYPHENATED = re.compile(r"-[ \t]*\r?\n[ \t]*[a-z]")

# Each pattern starts with the statistic's name, so that the regular-expression engine can
# look for it as a literal; what may stand before the name is checked after matching.
_NOT_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
# a df: digits (thousands separated or not, decimals for Welch), or OCR's I / l for a 1.
# Runs of digits and spaces are matched atomically or possessively (``(?>...)``, ``*+``):
# a shorter match would be followed by a digit or a space the next part refuses, so no
# match is lost, and the cost of a failed attempt is linear in the text it looks at, never
# quadratic (a 20 KB "t(111...1x" or "t = 111...1").
_DF = r"(?:(?>\d{1,3}(?:,\d{3})+)|(?>[\dIl]*\d[\dIl]*)|[Il])(?:\.\d+)?(?![\dA-Za-z])"
_ONE_DF = rf"\(\s*+(?P<df1>{_DF})\s*+\)"
_TWO_DF = rf"\(\s*+(?P<df1>{_DF})\s*+[,;]\s*+(?P<df2>{_DF})\s*+\)"
_CHI_DF = rf"\(\s*+(?P<df1>{_DF})\s*+(?:[,;]\s*+[Nn]\s*+=\s*+\d[\d,]*\s*+)?\)"
_VALUE = (r"\s*+(?P<relation>[=<>≤≥])\s*+"
          r"(?P<value>-?\s?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?>\d+\.?\d*)|\.\d+))")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_EXPONENT = (r"(?:\s*+[eE]\s*+[-+]?\s*+\d+"
             rf"|\s*+[x×·*]\s*+10\s*+(?:\^\s*+)?(?:-\s*+\d+|⁻\s*+[{_SUPERSCRIPTS}]+))")
_P = (r"\s*+[,;]\s*+(?P<p>[pP]\s*+(?P<prel><=|>=|[=<>≤≥])\s*+(?P<pnum>\d*\.\d+|\d+)"
      rf"(?P<pexp>{_EXPONENT})?(?![\d.]\d)|n\.\s?s\.|ns(?![A-Za-z]))")
_CHI_NAMES = {"χ": r"χ\s*+(?:\^\s*+2|²|2)", "chi": r"chi\s*+(?:\^\s*+2|²|2|[- ]?squared?)",
              "Chi": r"Chi\s*+(?:\^\s*+2|²|2|[- ]?squared?)", "X": r"X\s*+(?:\^\s*+2|²|2)(?![\d.])"}

# statistic -> patterns; the df are optional so that a result printed without them is found
_PATTERNS = {
    "t": [re.compile(rf"t\s*+(?:{_ONE_DF})?{_VALUE}{_P}")],
    "F": [re.compile(rf"F\s*+(?:{_TWO_DF})?{_VALUE}{_P}")],
    "r": [re.compile(rf"r\s*+(?:{_ONE_DF})?{_VALUE}{_P}")],
    "chi2": [re.compile(rf"{name}\s*+(?:{_CHI_DF})?{_VALUE}{_P}")
             for name in (*_CHI_NAMES.values(), "Q")],
    "z": [re.compile(rf"{name}{_VALUE}{_P}") for name in "zZ"],
}
_REACH = 200
# said of a test: "one-tailed", "one sided", "directional" (in any case); literal first
# (the first letter, O or D, is checked after matching, as for the statistics' names)
_ONE_SIDED = [re.compile(r"ne[- ]?(?:[Ss]ided|[Tt]ailed)"), re.compile(r"NE[- ]?(?:SIDED|TAILED)"),
              re.compile(r"irectional"), re.compile(r"IRECTIONAL")]
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\[]|\s*$)|\n\s*\n")
_UNTESTABLE_REASON = ("{} printed without degrees of freedom: its p cannot be recomputed "
                      "(find the df, e.g. n - 2 for r, in the article)")


def normalise_text(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """``text`` with the spellings papers vary in made uniform.

    Returns
    -------
    clean : str
        Unicode minus signs and dashes as ``-``, unicode spaces as `` ``, ligatures spelled
        out, soft hyphens and zero-width characters removed, words hyphenated across a line
        break joined.
    at, shift : int arrays
        Where ``clean`` and ``text`` part: from ``clean`` position ``at[i]`` on (to the next),
        the original position is the clean one plus ``shift[i]``.
    """
    clean = text
    for code, replacement in _SAME_LENGTH.items():  # str.translate is slower on long texts
        if chr(code) in clean:
            clean = clean.replace(chr(code), replacement)
    if not (any(character in clean for character in _LIGATURES.keys() | set(_INVISIBLE))
            or _HYPHENATED.search(clean)):
        return clean, np.zeros(1, np.int64), np.zeros(1, np.int64)
    pieces, at, shift = [], [0], [0]
    done = length = removed = 0
    for match in _EDITS.finditer(clean):
        replacement = _LIGATURES.get(match[0], "")
        pieces += [clean[done:match.start()], replacement]
        length += match.start() - done + len(replacement)
        removed += match.end() - match.start() - len(replacement)
        done = match.end()
        at.append(length)
        shift.append(removed)
    pieces.append(clean[done:])
    return "".join(pieces), np.asarray(at, np.int64), np.asarray(shift, np.int64)


def _original(at: np.ndarray, shift: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Positions in the normalised text mapped back to the text as given."""
    return positions + shift[np.searchsorted(at, positions, side="right") - 1]


def _df_text(text: str | None) -> str:
    """A df as the check reads it: thousands separators dropped, OCR's I and l read as 1."""
    if not text or text.isdigit():
        return text or ""
    return text.replace(",", "").replace("I", "1").replace("l", "1")


def _p_text(match: re.Match) -> str:
    """The printed p with spaces made single; a power of ten written ``e-5``."""
    if match["pexp"] is None:
        return " ".join(match["p"].split())
    power = match["pexp"]
    digits = re.sub(r"\D", "", power.translate(_SUPERSCRIPT_DIGITS))
    if "e" in power or "E" in power:
        sign = "-" if "-" in power else ""
    else:  # "x 10^-5", "× 10⁻⁵": the pattern takes negative powers of ten only
        sign, digits = "-", digits[2:]
    head = match["p"][:match.start("prel") - match.start("p")].strip()
    separator = " " if " " in match["p"] else ""
    return f"{head}{separator}{match['prel']}{separator}{match['pnum']}e{sign}{digits}"


_SUPERSCRIPT_DIGITS = str.maketrans(_SUPERSCRIPTS, "0123456789")


def _value_text(match: re.Match) -> str:
    value = match["value"].replace(" ", "").replace(",", "")
    relation = match["relation"]
    return value if relation == "=" else f"{relation} {value}"


def extract_results(text: str, *, source: str = "", paged: bool = False) -> pd.DataFrame:
    """Every APA-style test result in ``text``, one row each, ready for the statistic check.

    Parameters
    ----------
    text : str
        Plain text (an article, a results section).
    source : str
        Written in the ``source`` column (e.g. the file name).
    paged : bool
        Form feeds (``\\f``) separate pages (text from a PDF): ``page`` is filled and ``line``
        counts from the top of the page.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXTRACTED_COLUMNS`, in order of appearance; printed numbers as text
        (``raw`` exactly as in ``text``; the other columns as the check reads them).
        Results without degrees of freedom have an empty ``df1``.
    """
    clean, at, shift = normalise_text(text)
    found = []
    for statistic, patterns in _PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(clean):
                start = match.start()
                if start and clean[start - 1] in _NOT_BEFORE:
                    continue
                found.append((start, match.end(), statistic,
                              _df_text(match["df1"]) if statistic != "z" else "",
                              _df_text(match["df2"]) if statistic == "F" else "",
                              _value_text(match), _p_text(match)))
    found.sort()
    kept, last_end = [], -1
    for item in found:  # the same characters never make two results
        if item[0] >= last_end:
            kept.append(item)
            last_end = item[1]
    columns = list(zip(*kept)) if kept else [()] * 7
    starts = np.asarray(columns[0], np.int64)
    ends = np.asarray(columns[1], np.int64)
    raw_starts = _original(at, shift, starts)
    raw_ends = _original(at, shift, np.maximum(ends - 1, 0)) + 1
    newlines = np.asarray([m.start() for m in re.finditer("\n", text)], np.int64)
    line = np.searchsorted(newlines, raw_starts)
    page = np.full(len(starts), "", dtype=object)
    if paged:
        breaks = np.asarray([m.start() for m in re.finditer("\f", text)], np.int64)
        page_index = np.searchsorted(breaks, raw_starts)
        page_start = np.where(page_index > 0, breaks[np.maximum(page_index - 1, 0)] + 1
                              if len(breaks) else 0, 0)
        line = line - np.searchsorted(newlines, page_start)
        page = (page_index + 1).astype(object)
    return pd.DataFrame({
        "source": np.full(len(starts), source, dtype=object),
        "page": page,
        "line": line + 1,
        "raw": np.asarray([text[a:b] for a, b in zip(raw_starts.tolist(), raw_ends.tolist())],
                          dtype=object),
        "statistic": np.asarray(columns[2], dtype=object),
        "df1": np.asarray(columns[3], dtype=object),
        "df2": np.asarray(columns[4], dtype=object),
        "value": np.asarray(columns[5], dtype=object),
        "p": np.asarray(columns[6], dtype=object),
        "one_sided": np.where(_declared_one_sided(clean, starts, ends), "true", "false")
                       .astype(object),
    }, columns=list(EXTRACTED_COLUMNS))


def _declared_one_sided(clean: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether the sentence around each result (from the previous sentence end to the next,
    and no more than :data:`_REACH` characters either side) says one-sided."""
    mentions = sorted((m.start() - 1, m.end()) for pattern in _ONE_SIDED
                      for m in pattern.finditer(clean, 1) if clean[m.start() - 1] in "OoDd")
    if not mentions or not len(starts):
        return np.zeros(len(starts), bool)
    mention_start = np.asarray([start for start, _ in mentions], np.int64)
    mention_end = np.asarray([end for _, end in mentions], np.int64)
    stops = np.asarray([m.end() for m in _SENTENCE_END.finditer(clean)] or [len(clean)],
                       np.int64)
    before = np.searchsorted(stops, starts, side="right") - 1
    begin = np.maximum(np.where(before >= 0, stops[np.maximum(before, 0)], 0), starts - _REACH)
    after = np.minimum(np.searchsorted(stops, ends, side="left"), len(stops) - 1)
    finish = np.minimum(np.where(stops[after] >= ends, stops[after], len(clean)),
                        ends + _REACH)
    first = np.searchsorted(mention_start, begin, side="left")
    return (first < len(mentions)) & \
        (mention_end[np.minimum(first, len(mentions) - 1)] <= finish)


_RANK = {"consistent": 0, "inconsistent": 1, "decision_error": 2, "bad_input": 3}


def screen_text(text: str, *, source: str = "", one_sided: bool = True, paged: bool = False,
                **options) -> pd.DataFrame:
    """Extract every APA-style result from ``text`` and screen it (the ``statistic`` check).

    Each result is tested as a two-sided test of H0 (no effect).  A t, z or r whose sentence
    declares a one-sided test is judged under both readings, two-sided and one-sided (the
    two-sided p halved, as for a result in the predicted direction): its status is the better
    of the two, and ``reading`` names the reading the status and p's refer to (two-sided when
    both fit).  It is flagged only when neither reading fits the printed p.

    Parameters
    ----------
    text : str
    source : str
        Written in the ``source`` column.
    one_sided : bool
        Judge the one-sided reading where a sentence declares it (else two-sided only).
    paged : bool
        As for :func:`extract_results`.
    **options
        Options of :func:`reanalyse.screens.statistic_map` (alpha, p_equal_alpha, p_zero,
        rounding).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCREENED_COLUMNS`.  ``status`` is the check's (``consistent``,
        ``inconsistent``, ``decision_error``, ``bad_input``), or ``untestable`` for a result
        printed without the degrees of freedom its p needs.
    """
    table = extract_results(text, source=source, paged=paged)
    statistic = table["statistic"].to_numpy()
    testable = (table["df1"].to_numpy() != "") | (statistic == "z")
    checked = {
        "reading": np.where(testable, READINGS[0], "").astype(object),
        "status": np.full(len(table), UNTESTABLE, dtype=object),
        "consistent": np.full(len(table), None, dtype=object),
        "reason": np.full(len(table), None, dtype=object),
        "p_min": np.full(len(table), np.nan),
        "p_computed": np.full(len(table), np.nan),
        "p_max": np.full(len(table), np.nan),
    }
    for name in pd.unique(statistic[~testable]):
        checked["reason"][~testable & (statistic == name)] = _UNTESTABLE_REASON.format(name)
    if testable.any():
        _fill(checked, np.flatnonzero(testable),
              statistic_map(table.loc[testable].assign(one_sided="false"), **options))
    declared = testable & (table["one_sided"].to_numpy() == "true") & \
        np.isin(statistic, ("t", "z", "r"))
    if one_sided and declared.any():
        rows = np.flatnonzero(declared)
        halved = statistic_map(table.loc[declared], **options)
        rank = np.vectorize(_RANK.get, otypes=[int])
        better = rank(halved["status"].to_numpy(str)) < rank(checked["status"][rows])
        _fill(checked, rows[better], halved.loc[better])
        checked["reading"][rows[better]] = READINGS[1]
    return table.assign(**checked)


def _fill(checked: dict, rows: np.ndarray, result: pd.DataFrame) -> None:
    """Copy the check's columns of ``result`` into ``rows`` of the arrays ``checked``."""
    checked["status"][rows] = result["status"].to_numpy(str)
    for column in ("consistent", "reason", "p_min", "p_computed", "p_max"):
        checked[column][rows] = result[column].to_numpy()
