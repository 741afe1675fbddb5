"""A draft assembled from what was read: claims linked to outcomes, arms sized from counts,
cut-offs placed, and the study file's lines written with their comments.

:class:`Assembly` reads the text once (arms, outcomes, claims) and renders the file; when the
study loader refuses a value (:meth:`Assembly.leave_out`), the next rendering leaves it out with
a note.  See :mod:`reanalyse.drafting.draft` for the rules of provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reanalyse.drafting.arms import ArmDraft, arm_mentions, find_arms
from reanalyse.drafting.claims import ClaimDraft, find_claims
from reanalyse.drafting.outcomes import (Drafted, OutcomeDraft, outcome_key, scale_for,
                                         read_outcomes)
from reanalyse.drafting.scales import find_scales
from reanalyse.drafting.text import sentences
from reanalyse.drafting.writer import Line, flow, quote, render, scalar

__all__ = ["Assembly", "Guess"]

_REMOVABLE = re.compile(r"^(?P<base>(?:outcomes|claims)\[\d+\](?:\.arms\.[^.]+|\.reported)?)"
                        r"(?:\.(?P<key>[a-z_]+))?")
_PEOPLE = r"(?:mothers|women|participants|patients|infants|neonates|subjects|adults|students|people|couples|children|individuals|girls|boys|men)"
_CUTOFF = re.compile(
    r"(?i)(?:scor(?:e|es|ed|ing)|EPDS|PHQ-?9|BDI(?:-?II)?|HADS|GAD-?7|CES-?D|K10)\s{0,2}(?:of\s)?"
    r"(?P<rel>≥|>=|>|above|over|more\s+than|greater\s+than|at\s+least|of\s+at\s+least)\s{0,2}"
    r"(?P<value>\d{1,3})(?!\d)(?P<up>\s(?:and|or)\s(?:above|more|over|higher))?"
    r"|(?P<value2>\d{1,3})\s(?:and|or)\s(?:above|more|over|higher)")
#: Concepts that name the same measurement (a depression score of postpartum depression).
_DEPRESSIVE = {"depression", "ppd"}
_RELATIONS = {"≥": ">=", ">=": ">=", ">": ">", "above": ">", "over": ">", "more than": ">",
              "greater than": ">", "at least": ">=", "of at least": ">="}



@dataclass(frozen=True)
class Guess:
    """One guess in the draft: where it is (a field path) and what to check."""

    field: str
    note: str

    def to_dict(self) -> dict:
        return {"field": self.field, "note": self.note}


class Assembly:
    """Reads the text once and writes the study file's lines."""

    def __init__(self, text: str, study_id: str, source: str):
        self.study_id, self.source = study_id, source
        self.sentences = sentences(text)
        self.whole = " ".join(sentence.text for sentence in self.sentences)
        self.scales = find_scales(self.whole)
        self.arms = find_arms(self.sentences)
        self.arm_note = None
        self.named_arms = bool(self.arms)
        if not self.arms:
            self.arms = [ArmDraft("intervention", "Intervention", None, None, ""),
                         ArmDraft("control", "Control", None, None, "")]
        self.left_out: dict[str, str] = {}
        self.guesses: list[Guess] = []
        self.todos: list[str] = []
        self.suffixes: dict[str, int] = {}
        patterns = arm_mentions(self.arms, self.sentences)
        self.outcomes, self.by_sentence = read_outcomes(self.sentences, self.arms, patterns,
                                                        self.scales)
        self.outcomes = [o for o in self.outcomes if len(o.arms) >= 1]
        self.by_id = {outcome.id: outcome for outcome in self.outcomes}
        self.claims = find_claims(self.sentences, self.whole)
        self.claim_outcomes = [self._outcome_of(claim) for claim in self.claims]
        self._sizes_from_counts()
        self._derive()

    # --- reading -------------------------------------------------------------------------
    def _outcome_of(self, claim: ClaimDraft) -> OutcomeDraft:
        """The outcome a claim speaks of: one given numbers inside its clause, else before it in
        its sentence, else one of its concept and time point given numbers elsewhere, else a new
        outcome (with no numbers) of its own."""
        kind = "binary" if not claim.continuous and (
            claim.reported.get("test") in ("chi2", "logistic")
            or "estimate" in claim.reported) else "continuous"
        placed = self.by_sentence.get(claim.sentence, ())
        start, end = claim.span
        inside = [key for key, at in placed if start <= at < end]
        before = [key for key, at in placed if at < start]
        for keys in (inside, before):
            found = [o for o in self.outcomes if o.id in keys and (
                claim.concept is None or o.concept is None or o.concept == claim.concept
                or {o.concept, claim.concept} <= _DEPRESSIVE)]
            typed = [o for o in found if o.type == kind] or found
            if typed:
                return typed[-1] if keys is before else typed[0]
        scale = scale_for(claim.concept, find_scales(claim.quote[:1500]), self.scales)
        key = outcome_key(kind, claim.concept, scale, claim.time)
        known = self.by_id.get(key)
        if known is not None and known.arms:
            return known
        key = _unique(key, self.by_id, self.suffixes, "_")
        outcome = OutcomeDraft(id=key, type=kind, concept=claim.concept, time=claim.time,
                               baseline=claim.time == "pre", scale=scale if kind == "continuous" else None)
        self.outcomes.append(outcome)
        self.by_id[key] = outcome
        return outcome

    def _sizes_from_counts(self) -> None:
        """Arms' sizes from counts' denominators, where the text prints a total they add to."""
        if not self.arms or any(arm.randomised or arm.analysed for arm in self.arms):
            return
        for outcome in self.outcomes:
            values = [outcome.arms.get(arm.id, {}).get("n") for arm in self.arms]
            if outcome.type != "binary" or not all(values):
                continue
            total = sum(int(value.text) for value in values)
            said = re.search(rf"\b{total}\s(?:[a-z\-]+\s){{0,2}}{_PEOPLE}\b", self.whole)
            if said:
                self.arms = [ArmDraft(arm.id, arm.label, int(value.text), None, value.quote)
                             for arm, value in zip(self.arms, values)]
                self.arm_note = (f"the {total} {said[0].split()[-1]} split as the counts' "
                                 "denominators")
            return

    def _derive(self) -> None:
        cutoff = _CUTOFF.search(self.whole)
        for outcome in self.outcomes:
            if outcome.type != "binary" or outcome.concept not in ("ppd", "depression", "anxiety"):
                continue
            parents = [o for o in self.outcomes if o.type == "continuous" and o.scale is not None
                       and o.time == outcome.time]
            if parents:
                outcome.derived_from = parents[0].id
                outcome.scale = parents[0].scale
                if cutoff:
                    relation = _RELATIONS.get(" ".join((cutoff["rel"] or "").lower().split()), ">=")
                    if cutoff["value2"]:
                        relation, value = ">=", cutoff["value2"]
                    else:
                        value = cutoff["value"]
                        if cutoff["up"] and relation == ">":
                            relation = ">="
                    outcome.cutoff = Drafted(f"{relation} {value}", cutoff[0])

    # --- writing -------------------------------------------------------------------------
    def guess(self, field: str, note: str | None) -> str | None:
        if note:
            self.guesses.append(Guess(field, note))
        return note

    def todo(self, note: str) -> str:
        self.todos.append(note)
        return note

    def leave_out(self, problems) -> bool:
        """Note the fields the study loader refused, to be left out of the next rendering;
        False when one of them cannot be left out."""
        for problem in problems:
            match = _REMOVABLE.match(problem.field or "")
            if match is None or not match["key"] and ".arms." not in match["base"]:
                return False
            path = match["base"] + (f".{match['key']}" if match["key"] else "")
            if path in self.left_out:
                return False
            self.left_out[path] = problem.problem
        return True

    def _dropped(self, path: str) -> str | None:
        return self.left_out.get(path)

    def render(self) -> str:
        self.guesses, self.todos, self._seen = [], [], []
        self.suffixes = {key: k for key, k in self.suffixes.items() if "_" in key[-1:]}
        lines = [Line(0, f"# Drafted by reanalyse from {self.source}. Review every '# check:' and "
                         "'# TODO' before trusting a verdict;"),
                 Line(0, "# each number's sentence is quoted above it. Then run: reanalyse "
                         f"check data/{self.study_id}.yaml"),
                 Line(0, f"id: {self.study_id}"),
                 Line(0, f"citation: {scalar('Drafted from ' + self.source)}",
                      todo=self.todo("the paper's citation (authors, title, journal, year)"))]
        lines += self._arm_lines()
        lines.append(Line(0, "outcomes:") if self.outcomes else Line(0, "outcomes: []", todo=self.todo(
            "the text prints no per-arm numbers; add each outcome from the paper's tables")))
        for outcome in self.outcomes:
            lines += self._outcome_lines(outcome)
        if self.claims:
            lines.append(Line(0, "claims:"))
            taken: set = set()
            for claim, outcome in zip(self.claims, self.claim_outcomes):
                lines += self._claim_lines(claim, outcome, taken)
        return render(lines)

    def _arm_lines(self) -> list[Line]:
        lines = [Line(0, "arms:")]
        if not self.named_arms:
            note = self.todo("the text names no arms; name them and give their sizes")
            lines[0] = Line(0, "arms:", todo=note)
        for i, arm in enumerate(self.arms):
            if arm.quote:
                lines.append(Line(2, "", comment=f"from: {quote(arm.quote)}"))
            lines.append(Line(2, f"- id: {arm.id}"))
            lines.append(Line(4, f"label: {scalar(arm.label)}"))
            if arm.randomised is not None:
                lines.append(Line(4, f"randomised: {arm.randomised}",
                                  check=self.guess(f"arms[{i}].randomised", self.arm_note)))
            else:
                lines.append(Line(4, "", todo=self.todo(f"the number randomised to {arm.label} "
                                                        "(not printed)")))
        return lines

    def _size(self, arm: ArmDraft, outcome: OutcomeDraft, values: dict, field: str):
        """The arm's n for an outcome, and the guess it is, when the outcome prints none."""
        if "n" in values:
            return values["n"].text, None
        if arm.analysed is not None:
            return arm.analysed, self.guess(field, f"n is the number analysed ({arm.analysed}), "
                                                   "printed for the trial, not this outcome")
        if arm.randomised is not None:
            return arm.randomised, self.guess(field, "n is the number randomised; the text "
                                                     "prints no number analysed")
        return None, None

    def _outcome_lines(self, outcome: OutcomeDraft) -> list[Line]:
        field = f"outcomes[{len(self._seen)}]"
        self._seen.append(outcome.id)
        lines = [Line(2, f"- id: {outcome.id}"), Line(4, f"label: {scalar(outcome.label)}"),
                 Line(4, f"type: {outcome.type}")]
        if outcome.baseline:
            lines.append(Line(4, "baseline: true", check=self.guess(
                f"{field}.baseline", "measured before the intervention, as the sentence says")))
        scale = outcome.scale
        for key in ("scale", "derived_from", "cutoff", "cutoff_candidates"):
            if self._dropped(f"{field}.{key}"):
                lines.append(Line(4, "", check=self.guess(f"{field}.{key}", f"{key} left out: "
                                                          f"{self._dropped(field + '.' + key)}")))
        if scale is not None and outcome.type == "continuous" and \
                not self._dropped(f"{field}.scale"):
            lines.append(Line(4, f"scale: {{min: {scale.min}, max: {scale.max}, items: 1}}",
                              check=self.guess(f"{field}.scale", f"{scale.name} total "
                                               f"{scale.min}-{scale.max} ({scale.citation})")))
        if outcome.derived_from and not self._dropped(f"{field}.derived_from"):
            lines.append(Line(4, f"derived_from: {outcome.derived_from}", check=self.guess(
                f"{field}.derived_from", f"a cut-off of the {scale.name} score, read from the "
                "concept and time point")))
            if outcome.cutoff is not None and not self._dropped(f"{field}.cutoff"):
                lines.append(Line(4, f"cutoff: {scalar(outcome.cutoff.text)}", check=self.guess(
                    f"{field}.cutoff", f"as printed: {quote(outcome.cutoff.quote)}")))
            if scale.cutoffs and not self._dropped(f"{field}.cutoff_candidates"):
                lines.append(Line(4, "cutoff_candidates: [" + ", ".join(
                    scalar(c) for c in scale.cutoffs) + "]", check=self.guess(
                    f"{field}.cutoff_candidates", f"conventional {scale.name} cut-offs "
                    f"({scale.citation}), not the trial's")))
        lines.append(Line(4, "arms:"))
        for arm in self.arms:
            values = outcome.arms.get(arm.id, {})
            arm_field = f"{field}.arms.{arm.id}"
            entry, checks, quoted = {}, [], None
            n, note = self._size(arm, outcome, values, f"{arm_field}.n")
            if n is not None:
                entry["n"] = int(n)
            if note:
                checks.append(note)
            for name, value in values.items():
                quoted = value.quote
                if name == "n" or name == "percent" and "events" in values and "n" in entry:
                    continue
                refused = self._dropped(f"{arm_field}.{name}") or self._dropped(arm_field)
                if refused:
                    checks.append(self.guess(f"{arm_field}.{name}", f"{name} "
                                             f"{value.text!r} left out: {refused}"))
                    continue
                entry[name] = list(value.text) if isinstance(value.text, tuple) else value.text
                if value.check and value.check not in checks:
                    checks.append(self.guess(arm_field, value.check))
            missing = _missing(outcome.type, entry)
            todo = self.todo(f"{' and '.join(missing)} for {arm.label} "
                             f"({outcome.label}) not printed") if missing else None
            if quoted:
                lines.append(Line(6, "", comment=f"from: {quote(quoted)}"))
            lines.append(Line(6, f"{arm.id}: {flow(entry)}", check="; ".join(checks) or None,
                              todo=todo))
        return lines

    def _claim_lines(self, claim: ClaimDraft, outcome: OutcomeDraft, taken: set) -> list[Line]:
        claim_id = _unique(outcome.id.replace("_", "-"), taken, self.suffixes, "-")
        taken.add(claim_id)
        field = f"claims[{len(taken) - 1}]"
        reported = dict(claim.reported)
        checks = list(claim.checks)
        if reported.get("test") == "chi2" and "df" not in reported and outcome.type == "binary" \
                and len(self.arms) == 2:
            reported["df"] = 1
            checks.append("df: 1, as for two arms' proportions (not printed)")
        for key in list(reported):
            refused = self._dropped(f"{field}.reported.{key}") or self._dropped(f"{field}.reported")
            if refused:
                checks.append(f"{key} {reported.pop(key)!r} left out: {refused}")
        lines = [Line(2, "", comment=f"from: {quote(claim.quote)}"), Line(2, f"- id: {claim_id}"),
                 Line(4, f"outcome: {outcome.id}",
                      check=self.guess(f"{field}.outcome", "the outcome this sentence speaks of")
                      if outcome.id not in {key for key, _ in self.by_sentence.get(claim.sentence, ())}
                      else None),
                 Line(4, f"text: {scalar(claim.text)}"),
                 Line(4, f"significant: {scalar(claim.significant)}",
                      comment=f"from {claim.significance_from}")]
        if reported:
            lines.append(Line(4, f"reported: {flow(reported)}",
                              check=self.guess(f"{field}.reported", "; ".join(checks)) if checks else None))
        return lines


def _unique(base: str, taken: set, suffixes: dict, joiner: str) -> str:
    """``base``, or ``base`` with the next free number after ``joiner``, when taken (the last
    number used for each base is kept in ``suffixes``, so that many ids cost no search)."""
    if base not in taken:
        return base
    k = suffixes.get(base + joiner, 1)
    while (name := f"{base}{joiner}{k + 1}") in taken:
        k += 1
    suffixes[base + joiner] = k + 1
    return name


def _missing(kind: str, entry: dict) -> list[str]:
    if kind == "continuous":
        missing = [] if "mean" in entry else ["mean"]
        if not any(key in entry for key in ("sd", "se", "ci")):
            missing.append("SD (or SE or CI)")
    else:
        missing = [] if "events" in entry or "percent" in entry else ["count or percentage"]
    if "n" not in entry:
        missing.append("n")
    return missing
