"""Outcomes and their per-arm numbers, read sentence by sentence.

Each continuous or binary summary a sentence prints (:mod:`reanalyse.drafting.forms`) is given
an arm, a time point and a concept (:mod:`reanalyse.drafting.context`); summaries of the same
type, concept and time point make one outcome.  A second value for an arm that already has one
in that outcome is left out (the first printed is kept) rather than guessed between.  A
continuous summary that names no arm and is alone in its sentence (a pooled mean, such as the
participants' mean age) is not an arm's number and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reanalyse.drafting.context import REACH, ArmReading, arm_readings, concept_of, time_of
from reanalyse.drafting.forms import find_forms
from reanalyse.drafting.scales import KnownScale, find_scales

__all__ = ["Drafted", "OutcomeDraft", "read_outcomes", "outcome_label", "outcome_key", "scale_for"]

_DEPRESSION = {"EPDS", "PHQ-9", "BDI-II", "BDI", "CES-D", "MADRS", "HAM-D"}
_ANXIETY = {"GAD-7", "STAI", "BAI"}
_DOMAIN = {"depression": _DEPRESSION, "ppd": _DEPRESSION, "anxiety": _ANXIETY,
           "state_anxiety": {"STAI"}, "trait_anxiety": {"STAI"}, "stress": {"PSS-10", "K10"}}
_NOT_OUTCOME = re.compile(r"(?i)\b(?:aged?|years?\s+old|demographic|characteristics|BMI|body\s+mass|"
                          r"gestational\s+age|income|education)\b")
#: Words of a trial's conduct (who stayed, who took part), not of an outcome.
_PROCESS = re.compile(r"(?i)\b(?:follow-?up\s+rates?|drop-?outs?|attrition|retention|completion|"
                      r"adherence|uptake|recruitment\s+rate)\b")
_BINARY_WORDS = re.compile(r"(?i)\b(?:frequency|proportion|prevalence|rate|number|cases|incidence|"
                           r"recovered|remission|response|had|with|scor(?:ed|ing)|more|fewer|%)")
_TIME_WORDS = {"pre": "before the intervention", "post": "after the intervention",
               "followup": "at follow-up"}


@dataclass(frozen=True)
class Drafted:
    """One drafted number: its printed text, the sentence it came from, and the guess made in
    placing it (None when the sentence says it plainly)."""

    text: str
    quote: str
    check: str | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "quote": self.quote, "check": self.check}


@dataclass
class OutcomeDraft:
    """One drafted outcome (filled while the text is read; see :func:`read_outcomes`)."""

    id: str
    type: str
    concept: str | None
    time: str | None
    baseline: bool
    scale: KnownScale | None
    arms: dict = field(default_factory=dict)
    quotes: list = field(default_factory=list)
    derived_from: str | None = None
    cutoff: Drafted | None = None

    @property
    def label(self) -> str:
        return outcome_label(self)

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "label": self.label, "time": self.time,
                "baseline": self.baseline, "scale": None if self.scale is None else self.scale.name,
                "arms": {arm: {key: value.to_dict() for key, value in values.items()}
                         for arm, values in self.arms.items()},
                "derived_from": self.derived_from}


def outcome_label(outcome: OutcomeDraft) -> str:
    """A reader's label: what was measured, how, and when."""
    if outcome.type == "binary":
        what = {"ppd": "Postpartum depression"}.get(outcome.concept or "",
                                                     (outcome.concept or "event").replace("_", " "))
        what = what[0].upper() + what[1:]
        if outcome.scale is not None:
            what += f" ({outcome.scale.name} cut-off)"
    elif outcome.scale is not None:
        what = f"{outcome.scale.name} score"
    else:
        what = (outcome.concept or "outcome").replace("_", " ").capitalize()
    when = outcome.time
    if when in _TIME_WORDS:
        return f"{what} {_TIME_WORDS[when]}"
    if when:
        unit, number = when.split("_")
        return f"{what} at {unit} {number}"
    return what


def scale_for(concept: str | None, named: list[KnownScale],
               text_scales: list[KnownScale]) -> KnownScale | None:
    """The scale of a number: the one its sentence names (``named``), else the one of the
    text's scales that measures its concept."""
    if named:
        return named[0]
    fitting = [scale for scale in text_scales if concept in _DOMAIN and scale.name in _DOMAIN[concept]]
    if fitting:
        return fitting[0]
    if concept is None and len(text_scales) == 1:
        return text_scales[0]
    return None


def outcome_key(kind: str, concept: str | None, scale: KnownScale | None, time: str | None) -> str:
    """An outcome's id: its scale (continuous) or concept, and its time point."""
    if kind == "continuous" and scale is not None:
        base = scale.name.lower().replace("-", "")
    elif kind == "continuous":
        base = f"{concept}_score" if concept else "score"
    else:
        base = concept or "event"
    return f"{base}_{time}" if time else base


_FROM = re.compile(r"(?i)\bfrom\s{0,3}$")
_TO = re.compile(r"(?i)^\s{0,3}(?:at\s\w+\s)?to\s{0,3}$")


def read_outcomes(sentences, arms, patterns, text_scales) -> tuple[list[OutcomeDraft], dict]:
    """Outcomes with their arms' numbers, and for each sentence index the outcomes it gave
    numbers to, as (id, position of the number) pairs.

    Parameters
    ----------
    sentences : list of Sentence
    arms : list of ArmDraft
    patterns : list
        :func:`reanalyse.drafting.arms.arm_mentions` of ``arms``.
    text_scales : list of KnownScale
        The scales the whole text names.
    """
    outcomes: dict[str, OutcomeDraft] = {}
    by_sentence: dict[int, list[tuple[str, int]]] = {}
    last_order: dict[str, list[int]] = {}
    last_concept: dict[str, str] = {}
    for index, sentence in enumerate(sentences):
        text = sentence.text
        forms = [form for form in find_forms(text) if form.kind != "estimate"]
        pieces = []
        for form in forms:
            if form.kind in ("percent_pair", "mean_pair"):
                kind, name = ("binary", "percent") if form.kind == "percent_pair" else \
                    ("continuous", "mean")
                middle = (form.start + form.end) // 2
                pieces.append((kind, {name: form.values["first"]}, form.start, middle))
                pieces.append((kind, {name: form.values["second"]}, middle, form.end))
            else:
                pieces.append((form.kind, dict(form.values), form.start, form.end))
        for kind in ("continuous", "binary"):
            chosen = [piece for piece in pieces if piece[0] == kind]
            if not chosen or not arms:
                continue
            if kind == "binary" and not _BINARY_WORDS.search(text):
                continue
            readings = arm_readings(text, [(p[2], p[3]) for p in chosen], patterns, len(arms))
            readings, times = _from_to(text, chosen, readings)
            readings = _as_before(readings, last_order.get(kind))
            named_order = [r.arm for r in readings if r is not None and r.how == "named"]
            if len(named_order) >= 2:
                last_order[kind] = named_order
            # a sentence that names no measure ("Similarly, one month after ...") goes on with
            # the previous sentence's
            sentence_concept = concept_of(text[:REACH]) or last_concept.get(kind)
            named = find_scales(text[:5 * REACH])
            concept, covered = None, set()
            for (_, values, start, end), reading, given_time in zip(chosen, readings, times):
                if reading is None:
                    continue
                head = text[max(0, start - REACH):start]
                if _NOT_OUTCOME.search(head[-120:]) or _PROCESS.search(head):
                    continue
                time = given_time or time_of(text, start)
                if concept is None or reading.arm in covered:
                    # a new comparison: what it measures is named last before it
                    concept = concept_of(head, last=True) or sentence_concept
                    covered = set()
                covered.add(reading.arm)
                if concept:
                    last_concept[kind] = concept
                scale = scale_for(concept, named, text_scales)
                key = outcome_key(kind, concept, scale, time[0] if time else None)
                outcome = outcomes.get(key)
                if outcome is None:
                    outcome = outcomes[key] = OutcomeDraft(
                        id=key, type=kind, concept=concept, time=time[0] if time else None,
                        baseline=bool(time and time[1]), scale=scale)
                arm_id = arms[reading.arm].id
                if arm_id in outcome.arms:
                    continue
                check = None if reading.how == "named" else f"arm {reading.how}"
                outcome.arms[arm_id] = {name: Drafted(_text(value), text, check)
                                        for name, value in values.items()}
                if text not in outcome.quotes:
                    outcome.quotes.append(text)
                by_sentence.setdefault(index, []).append((key, start))
    return list(outcomes.values()), by_sentence


def _from_to(text: str, chosen: list, readings: list):
    """Readings and time points of "from X to Y" pairs: X before, Y after, both of X's arm."""
    times = [None] * len(chosen)
    readings = list(readings)
    for i in range(len(chosen) - 1):
        gap = text[chosen[i][3]:chosen[i + 1][2]]
        if _TO.match(gap) and _FROM.search(text[max(0, chosen[i][2] - 20):chosen[i][2]]):
            times[i], times[i + 1] = ("pre", True), ("post", False)
            if readings[i + 1] is None and readings[i] is not None:
                readings[i + 1] = ArmReading(readings[i].arm, readings[i].how)
    return readings, times


def _as_before(readings: list, order: list[int] | None) -> list:
    """Readings made by order alone, in the order the previous sentence named the arms."""
    if order and readings and len(readings) == len(order) and all(
            r is not None and r.how.startswith("by order") for r in readings) \
            and order != [r.arm for r in readings]:
        return [ArmReading(arm, "in the order a previous sentence named the arms")
                for arm in order]
    return readings


def _text(value):
    return tuple(value) if isinstance(value, tuple) else value
