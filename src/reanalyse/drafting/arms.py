"""The arms of a trial, with their sizes, from the sentences that describe its allocation.

Forms read (``N`` an integer; the label is the words before the size, or after "to"/"in")::

    randomly assigned to infant massage (n = 30) or routine care (n = 30)
    Intervention (n = 64), or control (n = 71)         (N = 31) ... (N = 29)
    257 in the intervention group, and 514 in the control group
    18 to the intervention and 18 to usual care        control (244 subjects) and intervention (122 subjects)
    (n=27 per group)   20 infants in each group        allocated to a control and an intervention group

A size in a sentence that speaks of completing, analysing or following up is an *analysed*
number; any other is the number *randomised*.  Arms are listed treatment first: an arm whose
label reads as a control (control, usual or routine care, placebo, waiting list, ...) comes last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ArmDraft", "find_arms", "arm_mentions", "CONTROL_WORDS"]

CONTROL_WORDS = re.compile(r"(?i)\b(?:control|usual|routine|standard|placebo|sham|wait(?:ing)?[- ]?list"
                           r"|no[- ]\w+|not|none|TAU|CAU|attention)\b")
_TREATMENT_WORDS = re.compile(r"(?i)\b(?:intervention|experimental|treatment|trial|study|active)\b")
_ANALYSED = re.compile(r"(?i)\b(?:complet\w*|analy[sz]\w*|follow(?:ed)?[- ]?up|included\s+in\s+the"
                       r"\s+anal|remained|evaluable|retained|lost|assessed|evaluated)\b")
_N = r"(?P<n>\d{1,7})"
_CUT = re.compile(r"(?i)(?:.*(?:\b(?:to|or|and|either|into|of|versus|vs|with|between|in|for|while|whereas|but|than)\b|[,;:(])|^)"
                  r"\s*(?P<label>[^,;:()]*)$")
_LEADING = re.compile(r"(?i)^(?:(?:the|a|an|receive|receiving|attend|attending|get|either|an?\s+"
                      r"|\d+[- ]\w+|only|both)\s+)+")
_TRAILING = re.compile(r"(?i)\s+(?:groups?|arms?|conditions?|subjects|participants|patients)$")
_LABEL_WORD = r"[A-Za-z][A-Za-z'\-]*"
_PATTERNS = (
    ("size_after", re.compile(rf"\(\s{{0,2}}[nN]\s{{0,2}}=\s{{0,2}}{_N}\s{{0,2}}[,;)]")),
    ("label_inside", re.compile(rf"\(\s{{0,2}}(?P<label>[A-Za-z][A-Za-z\- ]{{0,30}}),\s{{0,2}}[nN]\s{{0,2}}="
                                rf"\s{{0,2}}{_N}\s{{0,2}}\)")),
    ("subjects_after", re.compile(rf"\(\s{{0,2}}{_N}\s(?:subjects|participants|patients|women|"
                                  rf"mothers|infants)\s{{0,2}}\)")),
    ("in_group", re.compile(
        rf"(?<![\w.]){_N}\s(?:[a-z]+\s){{0,2}}?(?:were\s)?(?:in|to)\s(?:the\s|a\s|an\s)?"
        rf"(?P<label>{_LABEL_WORD}(?:\s{_LABEL_WORD}){{0,3}}?)(?:\s(?:group|arm|condition)s?\b"
        rf"|(?=\s{{0,2}}(?:[,;.)]|\s(?:and|or|who|with)\b|$)))")),
    ("per_group", re.compile(
        r"(?:\(\s{0,2}[nN]\s{0,2}=\s{0,2}(?P<n>\d{1,7})\s(?:per|in\s+each|for\s+each|each)\s"
        r"(?:group|arm)|(?<![\w.])(?P<n2>\d{1,7})\s(?:[a-z]+\s)?(?:per|in\s+each|for\s+each)\s"
        r"(?:group|arm)|groups\s{0,2}\(\s{0,2}[nN]\s{0,2}=\s{0,2}(?P<n3>\d{1,7})\s{0,2}\))")),
)
_TWO_LABELS = re.compile(
    rf"(?i)(?:to|into|in|of|between)\s(?:the\s|a\s|an\s|two\s)?(?P<a>{_LABEL_WORD}(?:\s{_LABEL_WORD})?)"
    rf"\s(?:and|or)\s(?:the\s|a\s|an\s)?(?P<b>{_LABEL_WORD})\s(?:groups?|arms?)\b")
_UNITS_BEFORE = re.compile(r"(?i)(?:weeks?|months?|days?|sessions?|aged?|years?|week|month|day)\s$")
_ALLOCATION = re.compile(r"(?i)\b(?:randomi[sz]\w*|assigned|allocated|divided|recruited|enrolled|"
                         r"received|receive|groups?)\b")


@dataclass(frozen=True)
class ArmDraft:
    """One drafted arm.

    Attributes
    ----------
    id, label : str
    randomised, analysed : int or None
        The sizes printed (None when the text does not print them).
    quote : str
        The sentence the arm was read from.
    """

    id: str
    label: str
    randomised: int | None
    analysed: int | None
    quote: str

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "randomised": self.randomised,
                "analysed": self.analysed, "quote": self.quote}


def _clean_label(text: str) -> str:
    match = _CUT.match(text)
    label = match["label"] if match else text
    label = _TRAILING.sub("", _LEADING.sub("", label.strip())).strip(" .'\"")
    words = label.split()
    if len(words) > 5 or not label or not label[0].isalpha():
        return ""
    if re.fullmatch(r"(?i)not|none|no", label):
        return "Control"
    return label[0].upper() + label[1:]


def _slug(label: str, taken: set) -> str:
    words = re.findall(r"[a-z0-9]+", label.lower())
    words = [w for w in words if w not in {"the", "a", "an", "of", "and", "group", "with"}]
    base = "-".join(words[-2:]) if words else "arm"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def _sized(sentence: str) -> list[tuple[str, int, int]]:
    """(label, n, position) for each size printed in ``sentence``."""
    found = []
    taken = bytearray(len(sentence) + 1)  # 1 where a size already stands
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if taken[match.start()]:
                continue
            taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
            n = int(next(v for k, v in match.groupdict().items() if k.startswith("n") and v))
            if name == "in_group":
                if _UNITS_BEFORE.search(sentence, 0, match.start()) or n < 2:
                    continue
                label = _clean_label(match["label"])
            elif name == "per_group":
                found.append(("*", n, match.start(), match.end()))
                continue
            elif name == "label_inside":
                label = _clean_label(match["label"])
            else:
                label = _clean_label(sentence[max(0, match.start() - 70):match.start()])
            if label:
                found.append((label, n, match.start(), match.end()))
    return [(label, n, start) for label, n, start, _ in sorted(found, key=lambda f: f[2])]


def _order(arms: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    return sorted(arms, key=lambda arm: bool(CONTROL_WORDS.search(arm[0]))
                  and not _TREATMENT_WORDS.search(arm[0]))


_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_COUNT_WORD = re.compile(r"(?i)\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<unit>" +
                         "|".join(_UNITS) + r"))?|(?P<alone>" + "|".join(_UNITS) + r")|(?P<digits>\d{1,7}))\b")


def counts_in(text: str) -> set[int]:
    """The whole numbers ``text`` prints, in digits or words up to ninety-nine."""
    found = set()
    for match in _COUNT_WORD.finditer(text):
        if match["digits"]:
            found.add(int(match["digits"]))
        elif match["alone"]:
            found.add(_UNITS[match["alone"].lower()])
        else:
            found.add(_TENS[match["tens"].lower()] + _UNITS.get((match["unit"] or "").lower(), 0))
    return found


def find_arms(sentences) -> list[ArmDraft]:
    """The trial's arms, from the first sentence that sizes two or more of them.

    Analysed sizes printed in a later sentence, for arms of the same labels or in the same
    number and order, are kept as ``analysed``.
    """
    first, analysed, singles = None, None, []
    previous = ""
    for sentence in sentences:
        text, before = sentence.text, previous
        previous = text
        sized = _sized(text)
        if len(sized) == 1 and sized[0][0] != "*" and _ALLOCATION.search(text) \
                and not _ANALYSED.search(text):
            singles.append((sized[0][0], sized[0][1], text))
        if any(label == "*" for label, _, _ in sized):
            pair = _TWO_LABELS.search(text)
            labels = [_clean_label(pair["a"]), _clean_label(pair["b"])] if pair else []
            n = next(n for label, n, _ in sized if label == "*")
            sized = [(label or default, n, 0) for label, default in
                     zip(labels or ["", ""], ["Intervention", "Control"])]
        if len(sized) < 2:
            continue
        arms = [(label, n) for label, n, _ in sized]
        completed = _ANALYSED.search(before) and sum(n for _, n in arms) in counts_in(before)
        if (_ANALYSED.search(text) or completed) and not re.search(r"(?i)randomi[sz]", text):
            if first is None and analysed is None:
                analysed = (arms, text)
            elif first is not None and analysed is None:
                analysed = (arms, text)
            continue
        if first is None:
            first = (arms, text)
    if first is None and analysed is None:
        labels = list(dict.fromkeys(label for label, _, _ in singles))
        if len(labels) >= 2 and len(singles) == len(labels):
            first = ([(label, n) for label, n, _ in singles], singles[0][2])
        else:
            return _unsized(sentences)
    taken: set = set()
    if first is None:
        arms, quote = analysed
        return [ArmDraft(_slug(label, taken), label, None, n, quote)
                for label, n in _order(arms)]
    arms, quote = first
    ordered = _order(arms)
    later = dict(_order(analysed[0])) if analysed else {}
    by_order = [n for _, n in _order(analysed[0])] if analysed and \
        len(analysed[0]) == len(arms) else []
    drafted = []
    for i, (label, n) in enumerate(ordered):
        done = later.get(label, by_order[i] if by_order else None)
        drafted.append(ArmDraft(_slug(label, taken), label, n, done, quote))
    return drafted


_GROUP_LIST = re.compile(
    r"(?i)\b(?:into|in|to)\s(?:two|three|four|[234])\s(?:groups|arms)\s{0,2}[:(]\s{0,2}"
    r"(?P<list>[^.;:()]{3,160}?)(?:\s(?:groups?|arms?))?(?=[.;)]|$)")


def _unsized(sentences) -> list[ArmDraft]:
    """Arms named without sizes: a list after "into three groups:", or two arms
    ("allocated to a control and an intervention group")."""
    for sentence in sentences:
        listed = _GROUP_LIST.search(sentence.text)
        if listed and _ALLOCATION.search(sentence.text):
            labels = [_clean_label(part) for part in
                      re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listed["list"])]
            if len(labels) >= 2 and all(labels):
                taken: set = set()
                return [ArmDraft(_slug(label, taken), label, None, None, sentence.text)
                        for label, _ in _order([(label, None) for label in labels])]
    for sentence in sentences:
        pair = _TWO_LABELS.search(sentence.text)
        if pair and _ALLOCATION.search(sentence.text):
            labels = [_clean_label(pair["a"]), _clean_label(pair["b"])]
            if all(labels) and any(CONTROL_WORDS.search(label) for label in labels):
                taken: set = set()
                return [ArmDraft(_slug(label, taken), label, None, None, sentence.text)
                        for label, _ in _order([(label, None) for label in labels])]
    return []


_ABBREVIATION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z]?[A-Z]{1,5})\)")


def arm_mentions(arms: list[ArmDraft], sentences=()) -> list[tuple[re.Pattern, int]]:
    """A pattern for each arm's mentions in text (its label's words, for two arms the usual
    words for a treatment and a control group, and an abbreviation defined in a sentence that
    names that arm alone, as "Kangaroo Mother Care (KMC) ... in the intervention group"), with
    the arm's index."""
    patterns = _base_mentions(arms)
    aliases: dict[int, list[str]] = {}
    for sentence in sentences:
        defined = _ABBREVIATION.findall(sentence.text)
        if not defined:
            continue
        named = {index for pattern, index in patterns for match in pattern.finditer(sentence.text)
                 if _GROUP_WORD.match(sentence.text, match.end())}
        if len(named) == 1:
            aliases.setdefault(named.pop(), []).extend(re.escape(a) for a in defined)
    return patterns + [(re.compile(rf"\b(?:{'|'.join(words)})\b"), index)
                       for index, words in aliases.items()]


_GROUP_WORD = re.compile(r"(?i)\s(?:\w+\s)?(?:groups?|arms?)\b")


def _base_mentions(arms: list[ArmDraft]) -> list[tuple[re.Pattern, int]]:
    patterns = []
    for index, arm in enumerate(arms):
        words = [re.escape(w) for w in re.findall(r"[A-Za-z][A-Za-z\-]{2,}", arm.label)
                 if w.lower() not in {"the", "and", "group", "care", "with", "receive"}]
        options = list(words)
        control = bool(CONTROL_WORDS.search(arm.label)) and not _TREATMENT_WORDS.search(arm.label)
        if len(arms) == 2:
            options += [r"control", r"usual\s+care", r"routine\s+care", r"comparison",
                        r"placebo", r"wait(?:ing)?[- ]?list"] if control else \
                [r"intervention", r"experimental", r"treatment", r"trained", r"study"]
        if options:
            patterns.append((re.compile(rf"(?i)\b(?:{'|'.join(options)})\b"), index))
    return patterns
