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

from reanalyse.drafting.context import REACH, arm_readings, concept_of, time_of
from reanalyse.drafting.forms import find_forms
from reanalyse.drafting.scales import KnownScale, find_scales

__all__ = ["Drafted", "OutcomeDraft", "read_outcomes", "outcome_label"]

_DEPRESSION = {"EPDS", "PHQ-9", "BDI-II", "BDI", "CES-D", "MADRS", "HAM-D"}
_ANXIETY = {"GAD-7", "STAI", "BAI"}
_DOMAIN = {"depression": _DEPRESSION, "ppd": _DEPRESSION, "anxiety": _ANXIETY,
           "state_anxiety": {"STAI"}, "trait_anxiety": {"STAI"}, "stress": {"PSS-10", "K10"}}
_NOT_OUTCOME = re.compile(r"(?i)\b(?:aged?|years?\s+old|demographic|characteristics|BMI|body\s+mass|"
                          r"gestational\s+age|income|education)\b")
_BINARY_WORDS = re.compile(r"(?i)\b(?:frequency|proportion|prevalence|rate|number|cases|incidence|"
                           r"recovered|remission|response|had|with|scor(?:ed|ing)|more|fewer|%)")
_TIME_WORDS = {"pre": "before the intervention", "post": "after the intervention"}


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


def _scale_for(concept: str | None, named: list[KnownScale],
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


def _key_id(kind: str, concept: str | None, scale: KnownScale | None, time: str | None) -> str:
    if kind == "continuous" and scale is not None:
        base = scale.name.lower().replace("-", "")
    else:
        base = concept or ("outcome" if kind == "continuous" else "event")
    return f"{base}_{time}" if time else base


def read_outcomes(sentences, arms, patterns, text_scales) -> tuple[list[OutcomeDraft], dict]:
    """Outcomes with their arms' numbers, and for each sentence index the ids of the
    outcomes it gave numbers to (in order).

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
    by_sentence: dict[int, list[str]] = {}
    for index, sentence in enumerate(sentences):
        text = sentence.text
        forms = [form for form in find_forms(text) if form.kind != "estimate"]
        pieces = []
        for form in forms:
            if form.kind == "percent_pair":
                middle = (form.start + form.end) // 2
                pieces.append(("binary", {"percent": form.values["first"]}, form.start, middle))
                pieces.append(("binary", {"percent": form.values["second"]}, middle, form.end))
            else:
                pieces.append((form.kind, dict(form.values), form.start, form.end))
        for kind in ("continuous", "binary"):
            chosen = [piece for piece in pieces if piece[0] == kind]
            if not chosen or not arms:
                continue
            if kind == "binary" and not _BINARY_WORDS.search(text):
                continue
            readings = arm_readings(text, [(p[2], p[3]) for p in chosen], patterns, len(arms))
            sentence_concept = concept_of(text[:REACH])
            named = find_scales(text[:5 * REACH])
            for (_, values, start, end), reading in zip(chosen, readings):
                if reading is None:
                    continue
                head = text[max(0, start - REACH):start]
                if _NOT_OUTCOME.search(head[-120:]):
                    continue
                time = time_of(text, start)
                concept = concept_of(head) or sentence_concept
                scale = _scale_for(concept, named, text_scales)
                key = _key_id(kind, concept, scale, time[0] if time else None)
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
                by_sentence.setdefault(index, [])
                if key not in by_sentence[index]:
                    by_sentence[index].append(key)
    return list(outcomes.values()), by_sentence


def _text(value):
    return tuple(value) if isinstance(value, tuple) else value
