"""What the words around a number say: which arm, which time point, which outcome.

Each reading is a guess from a bounded window of the sentence, and says how it was made, so
that the draft can mark it for checking:

* the **arm** of a summary: the arm named right after it ("13.92 (3.23) in the control
  group"), else the arm named last before it ("in the intervention group it was reduced to
  10.25 (4.18)"); summaries printed as a list ("(7.75 ± 2.18 vs. 9.2 ± 2.04)") go to the arms
  in the order the clause before them names them, else in the order of the arms;
* the **time point**: the last time expression before the number in its sentence ("before",
  "pretest", "baseline"; "after", "posttest", "at 6 months", "week 8"), else the sentence's;
* the **concept** measured: the scale named, else a word for what was measured
  (depression, anxiety, stress, weight, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ArmReading", "arm_readings", "time_of", "first_time", "concept_of", "concepts_in",
           "REACH"]

_GENERIC = re.compile(r"(?i)\b(?:intervention|experimental|treatment|control|study|trained|comparison)\b")
_GROUP_AFTER = re.compile(r"(?i)(?:\s(?:and|or|&)\s\w+)?\s(?:\w+\s)?(?:groups?|arms?|conditions?)\b|\s?\((?=\s?\d)")
_LIST_GAP = re.compile(r"(?i)^[\s,;]{0,3}(?:(?:vs\.?|versus|and|compared\s+(?:with|to)|,|;)[\s,;]{0,3})?$")
_AFTER_START = re.compile(r"(?i)^[\s,;]{0,3}(?:(?:in|for|among|of)\s(?:the\s)?|\(|\[)")
_PRE = r"before|pre-?test|pre-?intervention|baseline|at\s+entry|prior\s+to|pre-?treatment|at\s+recruitment"
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}
_COUNT = r"(?:\d{1,3}|" + "|".join(_WORD_NUMBERS) + ")"
_UNIT = r"(?:weeks?|months?|days?|years?)"
_POST = (rf"(?P<span>(?:(?:at|in|by)\s+)?(?:week|month|day)\s+\d{{1,3}}|{_COUNT}[- ]{_UNIT}"
         rf"|{_COUNT}\s+{_UNIT})|(?P<followup>follow-?up)"
         r"|after|post-?test|post-?intervention|post-?treatment|at\s+the\s+end|end\s+of|later")
_TIME = re.compile(rf"(?i)\b(?:(?P<pre>{_PRE})|(?P<post>{_POST}))\b")
_CONCEPTS = (
    ("state_anxiety", r"state\s+anxiety|STAI-?S\b|STAI[- ]I\b"),
    ("trait_anxiety", r"trait\s+anxiety|STAI-?T\b|STAI[- ]II\b"),
    ("ppd", r"\bPPD\b|postpartum\s+depression|postnatal\s+depression|post-?natal\s+depression"),
    ("depression", r"depress"),
    ("anxiety", r"anxi"),
    ("stress", r"stress"),
    ("self_efficacy", r"self-?efficacy"),
    ("pain", r"\bpain\b"),
    ("weight", r"weight"),
    ("quality_of_life", r"quality\s+of\s+life"),
    ("sleep", r"\bsleep"),
    ("wellbeing", r"well-?being"),
    ("fear", r"fear\s+of\s+childbirth"),
    ("recovery", r"recover"),
    ("remission", r"remission"),
    ("response", r"\bresponse"),
    ("mental_health", r"mental\s+health"),
    ("resilience", r"resilien"),
    ("complications", r"complication"),
    ("breastfeeding", r"breast-?feeding"),
)
#: How far from a number its time point and concept are looked for.
REACH = 300
_CONCEPT_RES = tuple((name, re.compile(rf"(?i){pattern}")) for name, pattern in _CONCEPTS)


@dataclass(frozen=True)
class ArmReading:
    """The arm a summary was given: its index, and how (``named`` or a guess's reason)."""

    arm: int
    how: str

    def to_dict(self) -> dict:
        return {"arm": self.arm, "how": self.how}


def _before(sentence: str, start: int, end: int, patterns) -> list[tuple[int, int]]:
    """Arms named in ``sentence[start:end]`` (the text just after ``end`` is seen, so that
    "the control (27.10" names the control arm)."""
    return [m for m in _mentions(sentence[start:end + 3], patterns) if m[0] < end - start]


def _mentions(text: str, patterns) -> list[tuple[int, int]]:
    """(position, arm) for each arm named in ``text``; generic words count only as a group."""
    found = []
    for pattern, index in patterns:
        for match in pattern.finditer(text):
            word = match[0]
            if _GENERIC.fullmatch(word) and not _GROUP_AFTER.match(text, match.end()):
                continue
            found.append((match.start(), index))
    found.sort()
    return found


def arm_readings(sentence: str, spans: list[tuple[int, int]], patterns, n_arms: int):
    """An :class:`ArmReading` (or None) for each summary at ``spans`` in ``sentence``."""
    readings: list[ArmReading | None] = [None] * len(spans)
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and _LIST_GAP.match(sentence[spans[j][1]:spans[j + 1][0]]):
            j += 1
        group = list(range(i, j + 1))
        clause_start = max(0, spans[i][0] - 240)
        if i > 0:
            clause_start = max(clause_start, spans[i - 1][1])
        if len(group) > 1:
            before = _before(sentence, clause_start, spans[i][0], patterns)
            order = list(dict.fromkeys(index for _, index in before))
            if len(order) == len(group):
                for k, arm in zip(group, order):
                    readings[k] = ArmReading(arm, "named")
            elif len(group) == n_arms and not order:
                for k, arm in zip(group, range(n_arms)):
                    readings[k] = ArmReading(arm, "by order (the sentence does not name the arms)")
            elif len(group) == n_arms and len(order) == 1:
                rest = [arm for arm in range(n_arms) if arm != order[0]]
                for k, arm in zip(group, order + rest):
                    readings[k] = ArmReading(arm, "first named, the others by order")
        else:
            end = spans[i + 1][0] if i + 1 < len(spans) else len(sentence)
            after_text = sentence[spans[i][1]:min(end, spans[i][1] + 40)]
            after = _mentions(after_text, patterns) if _AFTER_START.match(after_text) else []
            before = _before(sentence, clause_start, spans[i][0], patterns)
            if after:
                readings[i] = ArmReading(after[0][1], "named")
            elif before:
                readings[i] = ArmReading(before[-1][1], "named")
        i = j + 1
    if all(reading is None for reading in readings) and len(spans) == n_arms:
        return [ArmReading(arm, "by order (the sentence does not name the arms)")
                for arm in range(n_arms)]
    return readings


def time_of(sentence: str, position: int) -> tuple[str, bool] | None:
    """The time point named last in the :data:`REACH` characters before ``position`` in
    ``sentence`` (else first in those after it), as a short label and whether it is before
    the intervention; None when none is named.  A specific time (before, a week, a month,
    follow-up) wins over a general "after"."""
    before = list(_TIME.finditer(sentence, max(0, position - REACH), position))
    match = _pick(before, last=True) if before else \
        _pick(list(_TIME.finditer(sentence, position, position + REACH)), last=False)
    return None if match is None else _time_label(match)


def first_time(text: str) -> tuple[str, bool] | None:
    """The first time point ``text`` names (as :func:`time_of` labels it), or None."""
    match = _pick(list(_TIME.finditer(text)), last=False)
    return None if match is None else _time_label(match)


def _pick(matches: list, *, last: bool):
    """The last (or first) specific time expression (before, a week or month, follow-up),
    else the last (or first) general one ("after")."""
    specific = [m for m in matches if not m["post"] or m["span"] or m["followup"]]
    chosen = specific or matches
    return (chosen[-1] if last else chosen[0]) if chosen else None


def _time_label(match: re.Match) -> tuple[str, bool]:
    if match["pre"]:
        return "pre", True
    if match["followup"]:
        return "followup", False
    if match["span"]:
        words = match["span"].lower()
        number = re.search(rf"\d{{1,3}}|{'|'.join(_WORD_NUMBERS)}", words)[0]
        unit = re.search(r"week|month|day|year", words)[0]
        return f"{unit}_{_WORD_NUMBERS.get(number, number)}", False
    return "post", False


def concepts_in(text: str) -> list[str]:
    """Every concept ``text`` names, in the order of their first mention (a general one, such
    as anxiety, not again where a specific one, such as state anxiety, stands)."""
    found, taken = [], bytearray(len(text))
    for rank, (name, pattern) in enumerate(_CONCEPT_RES):
        for match in pattern.finditer(text):
            if taken.find(1, match.start(), match.end()) == -1:
                found.append((match.start(), rank, name))
                taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return list(dict.fromkeys(name for _, _, name in sorted(found)))


def concept_of(text: str, *, last: bool = False) -> str | None:
    """What ``text`` says was measured (a key of the concept table): the concept named first
    (or, with ``last``, the one named last; of two named at the same place, the more
    specific), or None."""
    found = [(match.start(), -rank if last else rank, name)
             for rank, (name, pattern) in enumerate(_CONCEPT_RES)
             for match in ([*pattern.finditer(text)][-1:] if last else [pattern.search(text)])
             if match]
    if not found:
        return None
    return (max(found) if last else min(found))[2]
