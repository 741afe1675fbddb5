"""A draft scored against a hand-made transcription of the same text.

A *number* is one printed value of the study file: an arm's size randomised, or an outcome
arm's n, mean, SD, SE, CI end, count or percentage.  It is right when its value **as printed**
(``"9.20"`` is not ``"9.2"``), its arm and its outcome are those of the transcription.  Arms
are matched by position (both files list the treatment arms first); outcomes by the printed
values they share (each drafted outcome to the transcribed outcome with which it shares the
most, one to one); an outcome with no printed value but n to the transcribed outcome with no
value whose claim has the same significance and p as its own, else to the first such outcome
with its baseline flag (and its type, where one has it).
A *claim* is right when its outcome is the matched one, its ``significant`` is the same and
its printed p is the same.  The arms are right when their number and sizes are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Score", "CorpusScore", "score", "score_corpus", "numbers_of"]

_FIELDS = ("mean", "sd", "se")


def numbers_of(study) -> set[tuple]:
    """Every printed number of ``study`` as ``(outcome id, arm position, field, text)``
    (``outcome id`` is ``"arms"`` for the arms' sizes)."""
    position = {arm.id: i for i, arm in enumerate(study.arms)}
    found = {("arms", i, "randomised", str(arm.randomised))
             for i, arm in enumerate(study.arms) if arm.randomised is not None}
    for outcome in study.outcomes:
        for arm_id, summary in outcome.arms.items():
            i = position[arm_id]
            if summary.n is not None:
                found.add((outcome.id, i, "n", str(summary.n)))
            if outcome.type == "continuous":
                for name in _FIELDS:
                    value = getattr(summary, name)
                    if value is not None:
                        found.add((outcome.id, i, name, value.text))
                if summary.ci is not None:
                    found.add((outcome.id, i, "ci_low", summary.ci[0].text))
                    found.add((outcome.id, i, "ci_high", summary.ci[1].text))
            else:
                if summary.events is not None:
                    found.add((outcome.id, i, "events", str(summary.events)))
                if summary.percent is not None:
                    found.add((outcome.id, i, "percent", summary.percent.text))
    return found


@dataclass(frozen=True)
class Score:
    """How a draft compares with its transcription (counts, and what differed).

    Attributes
    ----------
    numbers_drafted, numbers_expected, numbers_right : int
    claims_drafted, claims_expected, claims_right : int
    arms_right : bool
    wrong : tuple of tuple
        Drafted numbers that are not in the transcription.
    missed : tuple of tuple
        Transcribed numbers the draft lacks.
    """

    numbers_drafted: int
    numbers_expected: int
    numbers_right: int
    claims_drafted: int
    claims_expected: int
    claims_right: int
    arms_right: bool
    wrong: tuple
    missed: tuple
    claims_wrong: tuple = ()
    claims_missed: tuple = ()

    def to_dict(self) -> dict:
        return {"numbers_drafted": self.numbers_drafted, "numbers_expected": self.numbers_expected,
                "numbers_right": self.numbers_right, "claims_drafted": self.claims_drafted,
                "claims_expected": self.claims_expected, "claims_right": self.claims_right,
                "arms_right": self.arms_right, "wrong": [list(w) for w in self.wrong],
                "missed": [list(m) for m in self.missed]}


def _outcome_map(drafted, expected, draft_facts, expected_facts) -> dict:
    """Drafted outcome id -> transcribed outcome id."""
    def values(facts, outcome_id):
        return {fact[1:] for fact in facts if fact[0] == outcome_id and fact[2] != "n"}

    pairs = []
    for d in drafted.outcomes:
        for e in expected.outcomes:
            if d.type == e.type:
                shared = len(values(draft_facts, d.id) & values(expected_facts, e.id))
                if shared:
                    pairs.append((shared, d.id, e.id))
    mapping, used = {}, set()
    for _, d, e in sorted(pairs, key=lambda pair: -pair[0]):
        if d not in mapping and e not in used:
            mapping[d] = e
            used.add(e)
    for d in drafted.outcomes:   # an outcome with no values: by the claim made of it
        if d.id in mapping or values(draft_facts, d.id):
            continue
        for claim in (c for c in drafted.claims if c.outcome == d.id):
            for wanted in expected.claims:
                if wanted.outcome not in used and not values(expected_facts, wanted.outcome) \
                        and wanted.significant == claim.significant and _p(wanted) == _p(claim):
                    mapping[d.id] = wanted.outcome
                    used.add(wanted.outcome)
                    break
            if d.id in mapping:
                break
    for d in drafted.outcomes:
        if d.id in mapping or values(draft_facts, d.id):
            continue
        empty = [e for e in expected.outcomes if e.id not in used and e.baseline == d.baseline
                 and not values(expected_facts, e.id)]
        candidates = [e for e in empty if e.type == d.type] or empty
        if candidates:
            mapping[d.id] = candidates[0].id
            used.add(candidates[0].id)
    return mapping


def _p(claim) -> str | None:
    p = claim.reported.p
    if p is None:
        return None
    return p.relation if p.number is None else f"{p.relation} {p.number.text}"


def score(drafted, expected) -> Score:
    """Score the drafted study against the expected (hand-made) one; both are ``Study``."""
    draft_facts, expected_facts = numbers_of(drafted), numbers_of(expected)
    mapping = _outcome_map(drafted, expected, draft_facts, expected_facts)
    placed = {(mapping.get(fact[0], "?" + fact[0]) if fact[0] != "arms" else "arms",) + fact[1:]
              for fact in draft_facts}
    right = placed & expected_facts
    claims_right, used, claims_wrong = 0, set(), []
    for claim in drafted.claims:
        target = mapping.get(claim.outcome)
        for i, wanted in enumerate(expected.claims):
            if i not in used and wanted.outcome == target and \
                    wanted.significant == claim.significant and _p(wanted) == _p(claim):
                claims_right += 1
                used.add(i)
                break
        else:
            claims_wrong.append((target or "?" + claim.outcome, claim.significant, _p(claim)))
    claims_missed = [(c.outcome, c.significant, _p(c)) for i, c in enumerate(expected.claims)
                     if i not in used]
    arms_right = len(drafted.arms) == len(expected.arms) and all(
        d.randomised == e.randomised for d, e in zip(drafted.arms, expected.arms))
    return Score(numbers_drafted=len(placed), numbers_expected=len(expected_facts),
                 numbers_right=len(right), claims_drafted=len(drafted.claims),
                 claims_expected=len(expected.claims), claims_right=claims_right,
                 arms_right=arms_right, wrong=tuple(sorted(placed - expected_facts)),
                 missed=tuple(sorted(expected_facts - placed)),
                 claims_wrong=tuple(claims_wrong), claims_missed=tuple(claims_missed))


@dataclass(frozen=True)
class CorpusScore:
    """Scores of every text in a corpus, and their totals.

    Attributes
    ----------
    studies : dict
        Name -> :class:`Score`.
    """

    studies: dict

    def _total(self, name: str) -> int:
        return sum(getattr(score, name) for score in self.studies.values())

    @property
    def number_precision(self) -> float:
        """Right numbers over drafted numbers (1 when none was drafted)."""
        drafted = self._total("numbers_drafted")
        return self._total("numbers_right") / drafted if drafted else 1.0

    @property
    def number_recall(self) -> float:
        """Right numbers over transcribed numbers."""
        return self._total("numbers_right") / max(self._total("numbers_expected"), 1)

    @property
    def claim_precision(self) -> float:
        drafted = self._total("claims_drafted")
        return self._total("claims_right") / drafted if drafted else 1.0

    @property
    def claim_recall(self) -> float:
        return self._total("claims_right") / max(self._total("claims_expected"), 1)

    @property
    def arms_right(self) -> float:
        """The share of texts whose arms are right."""
        return sum(score.arms_right for score in self.studies.values()) / max(len(self.studies), 1)

    def to_dict(self) -> dict:
        return {"number_precision": self.number_precision, "number_recall": self.number_recall,
                "claim_precision": self.claim_precision, "claim_recall": self.claim_recall,
                "arms_right": self.arms_right,
                "studies": {name: score.to_dict() for name, score in self.studies.items()}}


def score_corpus(folder) -> CorpusScore:
    """Draft every ``NAME.txt`` in ``folder`` and score it against ``NAME.yaml`` beside it."""
    from pathlib import Path

    from reanalyse.drafting.draft import draft
    from reanalyse.model.studyfile import load_study

    studies = {}
    for text_path in sorted(Path(folder).glob("*.txt")):
        expected = load_study(text_path.with_suffix(".yaml"))
        drafted = draft(text_path.read_text(encoding="utf-8"), expected.id,
                        source=text_path.name)
        studies[text_path.stem] = score(drafted.study, expected)
    return CorpusScore(studies)
