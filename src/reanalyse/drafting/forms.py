"""The forms in which trials print summary numbers, found in a sentence with where each stands.

Continuous summaries (a mean with its spread)::

    7.75 ± 2.18      7.75 +/- 2.18     9.2 (2.04)      7.61 [3.43]     M = 9.2, SD = 2.04
    4.4 (s.d. 5.1)   23.31 (SE = 12.11)                8.92 (95% CI 7.81 to 10.03)

Means printed as a pair without their spreads, in a sentence about means (``7.15 vs. 8.78``),
are read as two means.

Binary summaries (a count or a percentage)::

    15/60            15/60 [25%]       15 (25%)        15 of 60        25% vs 43.3%

Estimates (a difference or ratio with its confidence interval)::

    OR 0.91, 95% CI 0.56 to 1.49       mean difference -1.19, 95%CI -2.5 to 0.13
    the odds ... was 0.5 times (95% confidence interval: [0.2, 0.94])

Numbers keep their printed text (``"9.20"`` stays ``"9.20"``).  Every pattern is a bounded
regular expression (no nested repetition), so the cost of a search grows linearly with the
length of the text.  Where forms overlap, the earlier in :data:`ORDER` wins: an estimate's
confidence interval is never read as an arm's.

>>> [(f.kind, f.values) for f in find_forms("7.75 ± 2.18 vs. 9.2 ± 2.04")]
[('continuous', {'mean': '7.75', 'sd': '2.18'}), ('continuous', {'mean': '9.2', 'sd': '2.04'})]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Form", "find_forms", "ORDER", "MEASURES"]

_NUM = r"-?\d{1,7}(?:\.\d{1,6})?"
_POS = r"\d{1,7}(?:\.\d{1,6})?"
_PCT = r"\d{1,3}(?:\.\d{1,4})?"
_S = r"\s{0,3}"
_CI_WORDS = rf"(?:95{_S}%{_S}(?:CI|C\.I\.|confidence\s+interval)[:,=]?{_S})"
_TO = rf"{_S}(?:to|,|;|-|–){_S}"
_SPREAD_LABEL = (r"(?P<label>SD|S\.D\.|s\.d\.|sd|SEM|SE|S\.E\.|standard\s+error(?:\s+SE)?"
                 r"|standard\s+deviation)")

#: Printed measure -> the study file's measure.
MEASURES = {"adjusted odds ratio": "OR", "odds ratio": "OR", "oradj": "OR", "aor": "OR",
            "or": "OR", "odds": "OR", "risk ratio": "RR", "relative risk": "RR", "rr": "RR",
            "hazard ratio": "HR", "hr": "HR", "rate ratio": "IRR", "irr": "IRR",
            "mean difference": "MD", "md": "MD", "risk difference": "RD", "rd": "RD"}

_PATTERNS = {
    "estimate": re.compile(
        rf"(?P<measure>(?i:adjusted\s+odds\s+ratio|odds\s+ratio|risk\s+ratio|relative\s+risk"
        rf"|hazard\s+ratio|rate\s+ratio|mean\s+difference|risk\s+difference)"
        rf"|\bORadj|\baOR|\bOR|\bRR|\bHR|\bIRR|\bMD|\bRD)\b{_S}(?:adj\.?{_S})?"
        rf"(?:\({_S}95{_S}%{_S}CI{_S}\){_S})?(?:of|was|were|=|:|,)?{_S}(?P<value>{_NUM})"
        rf"{_S}[,;(\[]?{_S}{_CI_WORDS}?[\[(]?{_S}(?P<low>{_NUM}){_TO}(?P<high>{_NUM})"
        rf"{_S}[\])]?"),
    "odds_times": re.compile(
        rf"(?P<measure>(?i:odds))\b[^.;()\d]{{0,80}}(?P<value>{_POS}){_S}times{_S}[\[(]{_S}"
        rf"{_CI_WORDS}?[\[(]?{_S}(?P<low>{_NUM}){_TO}(?P<high>{_NUM}){_S}[\])]{{1,2}}"),
    "labelled": re.compile(
        rf"(?P<mean>{_NUM}){_S}[\[(]{_S}{_SPREAD_LABEL}{_S}[=:,]?{_S}(?P<spread>{_POS}){_S}[\])]"),
    "apa": re.compile(
        rf"\bM{_S}={_S}(?P<mean>{_NUM}){_S}[,;]{_S}(?P<label>SD|SE){_S}={_S}(?P<spread>{_POS})"),
    "plus_minus": re.compile(
        rf"(?P<mean>{_NUM}){_S}(?:±|\+{_S}/{_S}-|\+-){_S}(?P<spread>{_POS})(?!{_S}%)"),
    "arm_ci": re.compile(
        rf"(?P<mean>{_NUM}){_S}[\[(]{_S}{_CI_WORDS}?(?P<low>{_NUM}){_TO}(?P<high>{_NUM}){_S}[\])]"),
    "fraction": re.compile(
        rf"(?<![\d./])(?P<events>\d{{1,7}}){_S}/{_S}(?P<n>\d{{1,7}})(?![\d/.])"
        rf"(?:{_S}[;,]?{_S}[\[(]?{_S}(?P<percent>{_PCT}){_S}%{_S}[\])]?)?"),
    "events_percent": re.compile(
        rf"(?<![\d.])(?P<events>\d{{1,7}}){_S}[\[(]{_S}(?P<percent>{_PCT}){_S}%{_S}[\])]"),
    "of": re.compile(rf"(?<![\d.])(?P<events>\d{{1,7}})\s(?:out\s)?of\s(?:the\s)?(?P<n>\d{{1,7}})\b"),
    "percent_pair": re.compile(
        rf"(?P<first>{_PCT}){_S}%{_S}(?:vs\.?|versus|compared\s+(?:with|to)|and){_S}"
        rf"(?P<second>{_PCT}){_S}%"),
    "paren": re.compile(rf"(?<![\w.])(?P<mean>{_NUM}){_S}\({_S}(?P<spread>{_POS}){_S}\)"),
    "bracket": re.compile(rf"(?<![\w.])(?P<mean>{_NUM}){_S}\[{_S}(?P<spread>{_POS}){_S}\]"),
    "percent": re.compile(rf"[\[(]{_S}(?P<percent>{_PCT}){_S}%{_S}[\])]"),
    "mean_pair": re.compile(rf"(?<![\w.])(?P<first>{_NUM}){_S}(?:vs\.?|versus){_S}(?P<second>{_NUM})"
                            rf"(?![\d.]|{_S}%)"),
}
#: Forms in order of precedence where they overlap.
ORDER = tuple(_PATTERNS)
_MEAN_WORDS = re.compile(r"(?i:\bmean|\bscores?\b|\bSD\b|s\.d\.|standard\s+deviation|\baverag)")
_SE_DECLARED = re.compile(r"(?:±|\+/-)\s{0,3}SEM?\b|\bmean\s{0,2}\(SEM?\)|\(SEM?\)|standard\s+error")


@dataclass(frozen=True)
class Form:
    """One printed summary.

    Attributes
    ----------
    kind : str
        ``continuous`` (``mean`` with ``sd``, ``se`` or ``ci``), ``binary`` (``events``, ``n``,
        ``percent``), ``percent_pair`` (two arms' ``percent``), ``mean_pair`` (two arms'
        ``mean``), or ``estimate`` (``measure``, ``value``, ``ci``).
    values : dict
        Field -> printed text; ``ci`` is a pair of texts.
    start, end : int
        Where the form stands in the sentence.
    form : str
        The pattern that found it (a key of :data:`ORDER`).
    """

    kind: str
    values: dict
    start: int
    end: int
    form: str
    notes: tuple = field(default=())

    def to_dict(self) -> dict:
        return {"kind": self.kind, "values": dict(self.values), "start": self.start,
                "end": self.end, "form": self.form}


def _spread_field(label: str | None, se_declared: bool) -> str:
    if label:
        return "se" if label.lower().startswith(("se", "s.e", "standard e")) else "sd"
    return "se" if se_declared else "sd"


def _form(name: str, match: re.Match, sentence: dict) -> Form | None:
    """The form ``match`` found; ``sentence`` says what the whole sentence declares
    (``se``: spreads are SEs; ``means``: it speaks of means or scores)."""
    group = match.groupdict()
    if name in ("estimate", "odds_times"):
        measure = MEASURES[re.sub(r"\s+", " ", group["measure"]).lower()]
        return Form("estimate", {"measure": measure, "value": group["value"],
                                 "ci": (group["low"], group["high"]),
                                 "adjusted": "adj" in match[0].lower()},
                    match.start(), match.end(), name)
    if name in ("labelled", "apa", "plus_minus", "paren", "bracket"):
        if name in ("paren", "bracket"):
            if not sentence["means"] or "." not in group["mean"] + group["spread"]:
                return None
        return Form("continuous", {"mean": group["mean"],
                                   _spread_field(group.get("label"), sentence["se"]): group["spread"]},
                    match.start(), match.end(), name)
    if name == "arm_ci":
        low, mean, high = (float(group[key]) for key in ("low", "mean", "high"))
        if not low <= mean <= high:
            return None
        return Form("continuous", {"mean": group["mean"], "ci": (group["low"], group["high"])},
                    match.start(), match.end(), name)
    if name in ("fraction", "of"):
        events, n = int(group["events"]), int(group["n"])
        if n == 0 or events > n:
            return None
        values = {"events": group["events"], "n": group["n"]}
        if group.get("percent"):
            values["percent"] = group["percent"]
        return Form("binary", values, match.start(), match.end(), name)
    if "percent" in group and group["percent"] and float(group["percent"]) > 100:
        return None
    if name == "events_percent":
        return Form("binary", {"events": group["events"], "percent": group["percent"]},
                    match.start(), match.end(), name)
    if name == "mean_pair":
        if not sentence["means"]:
            return None
        return Form("mean_pair", {"first": group["first"], "second": group["second"]},
                    match.start(), match.end(), name)
    if name == "percent_pair":
        return Form("percent_pair", {"first": group["first"], "second": group["second"]},
                    match.start(), match.end(), name)
    return Form("binary", {"percent": group["percent"]}, match.start(), match.end(), name)


def find_forms(sentence: str) -> list[Form]:
    """Every summary printed in ``sentence``, in order of position, none overlapping."""
    taken = bytearray(len(sentence))      # 1 where a form already stands
    found = []
    declared = {"se": bool(_SE_DECLARED.search(sentence)), "means": bool(_MEAN_WORDS.search(sentence))}
    for name, pattern in _PATTERNS.items():
        for match in pattern.finditer(sentence):
            if taken.find(1, match.start(), match.end()) != -1:
                continue
            form = _form(name, match, declared)
            if form is not None:
                found.append(form)
                taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda form: form.start)
