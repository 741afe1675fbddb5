"""Claims from the sentences that state a comparison between arms.

A claim is drafted for each p-value printed in a sentence that compares arms ("between the
groups", "than the control group", "vs.", "differ", "significantly lower", ...), and for a
sentence that calls a comparison (non-)significant without a p.  Its ``text`` is the clause
as printed (from the previous p, or the sentence's start, to this p); ``significant`` is the
p against alpha (0.05) where a p is printed, else the sentence's words ("no significant",
"did not differ" against "significantly"); ``reported`` takes the test statistic, its df and p
from :func:`reanalyse.screens.extract.extract_results` run on the clause, and an estimate with
its confidence interval from :mod:`reanalyse.drafting.forms`.  Clauses about demographic or
baseline characteristics, and within-group changes, make no claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reanalyse.drafting.context import REACH, concept_of, concepts_in, first_time, time_of
from reanalyse.drafting.forms import find_forms
from reanalyse.kernels.pvalues import printed_p_decision
from reanalyse.screens.extract import extract_results

__all__ = ["ClaimDraft", "find_claims", "P_VALUE"]

P_VALUE = re.compile(r"(?<![A-Za-z])[Pp]\s{0,2}(?:-\s?values?|\s?values?)?\s{0,2}"
                     r"(?P<rel><=|>=|[=<>≤≥])\s{0,2}(?P<num>\d?\.\d{1,8}|[01](?![\d.]))")
_COMPARISON = re.compile(r"(?i)\b(?:between|than|compared|vs\.?|versus|differ\w*|higher|lower|"
                         r"greater|fewer|more|less|reduc\w*|improv\w*|effect\w*|benefit\w*)\b")
_SKIP = re.compile(r"(?i)\b(?:demographic|characteristics|socio|age\b|baseline\s+characteristics|"
                   r"(?:in|for)\s+both\s+(?:\w+\s)?(?:groups|arms|conditions)|each\s+group|"
                   r"correlat\w*|relationship|considered\s+(?:statistically\s+)?significant|"
                   r"level\s+of\s+significance|significance\s+level)\b")
#: Section headings whose sentences state no results (background) or restate them (conclusion).
_NO_CLAIMS = re.compile(r"(?i)^(?:background|introduction|objectives?|aims?|purpose|context|"
                        r"conclusions?|discussion|limitations?|implications?|interpretation)\b")
_RESULTS = re.compile(r"(?i)^(?:results?|findings|methods?|materials|design|setting|participants|"
                      r"interventions?|measurements?|main\s+outcome)\b")
_HEADING = re.compile(r"(?i)^(?:results?|findings)\s{0,2}[:.]?\s{0,2}")
#: Words of a comparison between arms (a clause naming one arm without them compares times).
_BETWEEN = re.compile(r"(?i)\b(?:than|compared|versus|vs\.?|between\s+(?:the\s+)?(?:two\s+)?"
                      r"(?:groups|arms|conditions)|between\s+(?:the\s+)?\w+\s+(?:and|or)\s|"
                      r"between[- ]groups?|groups?\b.{0,40}\bdiffer|covariance|ANCOVA|adjusted\s+for)")
_WITHIN = re.compile(r"(?i)\bwithin[- ]groups?\b")
_ONE_ARM = re.compile(r"(?i)\b(?:in|of)\s+the\s+(?:\w+\s+(?:in|of)\s+the\s+)?[\w-]+\s+group\b")
_NEGATION = re.compile(r"(?i)\b(?:no|not|non|without|neither|nor|n't)\b[\s-]{0,2}(?:\w+[\s-]{1,2}){0,2}$")
_NOT_SIGNIFICANT = re.compile(r"(?i)\b(?:no|not|non-?)\s?(?:statistically\s)?significant|did\s+not\s+"
                              r"(?:significantly\s+)?differ|no\s+(?:significant\s+)?difference|similar|"
                              r"inconclusive")
_SIGNIFICANT = re.compile(r"(?i)\bsignificant(?:ly)?\b")
#: A statistic's name before "=", "<", ">" or its df: where extraction may find a result.
_STATISTIC_NAMED = re.compile(r"(?:\b[tFrzZQX]|χ|[Cc]hi)\s{0,3}(?:\^?\s?2|²)?\s{0,3}[(=<>≤≥]")
_STATISTICS = {"t": "t", "F": "F", "chi2": "chi2", "z": "z", "r": "r"}
_ADJUSTED = re.compile(r"(?i)\badjust\w*|\bcontrolling\b|\bafter\s+controlling|\bcovariat\w*")
_CONTINUOUS_WORDS = re.compile(r"(?i)\b(?:mean|scores?|average)\b")


@dataclass(frozen=True)
class ClaimDraft:
    """One drafted claim.

    Attributes
    ----------
    text : str
        The clause as printed.
    quote : str
        The whole sentence.
    significant : bool
    significance_from : str
        What ``significant`` was read from (the p, or the words).
    reported : dict
        Fields of the study file's ``reported`` (printed texts).
    checks : tuple of str
        Guesses to check (a test named in the methods, a df assumed, ...).
    concept, time : str or None
        What the clause is about, to find its outcome.
    continuous : bool
        Whether the clause speaks of means or scores.
    sentence : int
        The sentence's index.
    span : tuple of int
        Where the clause stands in its sentence.
    """

    text: str
    quote: str
    significant: bool
    significance_from: str
    reported: dict
    checks: tuple
    concept: str | None
    time: str | None
    continuous: bool
    sentence: int
    span: tuple = (0, 0)

    def to_dict(self) -> dict:
        return {"text": self.text, "significant": self.significant, "reported": self.reported,
                "checks": list(self.checks), "concept": self.concept, "time": self.time}


def _significance(relation: str, number: str, alpha: float = 0.05) -> bool:
    """Whether a p printed as ``relation number`` states significance at ``alpha``, by the
    printed-p rule of :mod:`reanalyse.kernels.pvalues` ("< 0.05" and "= 0.05" do; "< 0.10",
    which states no decision at 0.05, is drafted as not significant)."""
    stated, _ = printed_p_decision(relation, float(number), alpha)
    return bool(stated)


def _worded(clause: str) -> bool | None:
    """What the words of ``clause`` say of significance: True for an unnegated
    "significant(ly)", False for a negated one or "did not differ", None for neither."""
    said = [match for match in _SIGNIFICANT.finditer(clause)]
    if any(not _NEGATION.search(clause, max(0, m.start() - 30), m.start()) for m in said):
        return True
    if said or _NOT_SIGNIFICANT.search(clause):
        return False
    return None


def find_claims(sentences, methods: str) -> list[ClaimDraft]:
    """Every claim the sentences state; ``methods`` is the whole text (its named tests are
    used, marked for checking, where a claim prints no statistic)."""
    claims = []
    named = {"logistic": bool(re.search(r"(?i)logistic", methods)),
             "t": bool(re.search(r"(?i)\bt-?\s?tests?\b", methods))}
    section = "results"
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if _NO_CLAIMS.match(text):
            section = "none"
        elif _RESULTS.match(text):
            section = "results"
        if section == "none" or not (_COMPARISON.search(text) or _SIGNIFICANT.search(text)):
            continue
        p_values = list(P_VALUE.finditer(text))
        clauses, begin = [], 0
        for match in p_values:
            end = match.end()
            while end < len(text) and text[end] in ")];":
                end += 1
            begin = _clause_start(text, begin, match.start())
            clauses.append((text[begin:end], match, begin))
            begin = end
        if not p_values and _SIGNIFICANT.search(text) and _COMPARISON.search(text):
            clauses.append((text, None, 0))
        compares = bool(_COMPARISON.search(text))
        adjusted = bool(_ADJUSTED.search(text))
        for clause, match, begin in clauses:
            claim = _claim(clause, match, text, index, named, compares, adjusted, begin)
            if claim is not None:
                claims.extend(_each_concept(claim, clause))
    return claims


def _each_concept(claim: ClaimDraft, clause: str) -> list[ClaimDraft]:
    """One claim per concept where a clause with no numbers of its own names two or more
    joined by "and" ("state anxiety scores and trait anxiety scores (p < 0.001)")."""
    named = concepts_in(clause)
    if "p" not in claim.reported or len(named) < 2 or " and " not in clause or any(
            form.kind != "estimate" for form in find_forms(clause)):
        return [claim]
    note = "one p printed for several outcomes: a claim for each"
    return [replace(claim, concept=concept, checks=claim.checks + (note,)) for concept in named]


def _concept(clause: str) -> str | None:
    """What a clause compares: the concept named just after its "significantly" (as in
    "significantly fewer complications"), else the first it names."""
    said = _SIGNIFICANT.search(clause)
    after = concept_of(clause[said.end():said.end() + 60]) if said else None
    return after or concept_of(clause)


def _clause_start(text: str, begin: int, p_at: int) -> int:
    """Where the clause of the p at ``p_at`` starts: after the last semicolon outside brackets
    between ``begin`` and ``p_at``, else at ``begin``."""
    depth, start = 0, begin
    for position in range(begin, p_at):
        character = text[position]
        if character in "([":
            depth += 1
        elif character in ")]":
            depth = max(depth - 1, 0)
        elif character == ";" and depth == 0:
            start = position + 1
    return start


def _claim(clause: str, match, sentence: str, index: int, named: dict, compares: bool,
           adjusted: bool, begin: int) -> ClaimDraft | None:
    """The claim of one clause (``named``: the tests the methods name; ``compares``,
    ``adjusted``: what its whole sentence says)."""
    if _SKIP.search(clause) or not compares:
        return None
    if (_ONE_ARM.search(clause) or _WITHIN.search(clause)) and not _BETWEEN.search(clause):
        return None             # one arm's change over time, not a comparison of arms
    checks = []
    reported: dict = {}
    rows = extract_results(clause) if _STATISTIC_NAMED.search(clause) else ()
    if len(rows):
        row = rows.iloc[-1]
        reported["test"] = _STATISTICS[row["statistic"]]
        value = str(row["value"])
        if not value.startswith(("<", ">")):
            reported["statistic"] = value
        if row["df1"]:
            reported["df"] = [row["df1"], row["df2"]] if row["df2"] else row["df1"]
    if match is not None:
        relation = {"≤": "<=", "≥": ">="}.get(match["rel"], match["rel"])
        reported["p"] = match["num"] if relation == "=" else f"{relation} {match['num']}"
        significant = _significance(relation, match["num"])
        source = f"P {relation} {match['num']}"
        worded = _worded(clause)
        if worded is not None and worded != significant:
            checks.append(f"the words say {'' if worded else 'not '}significant, the p says "
                          f"{'' if significant else 'not '}significant")
    else:
        significant = bool(_worded(clause))
        source = "the words (no p printed)"
    estimates = [form for form in find_forms(clause) if form.kind == "estimate"]
    if estimates:
        estimate = estimates[-1].values
        reported["estimate"] = {"measure": estimate["measure"], "value": estimate["value"],
                                "ci": list(estimate["ci"])}
        if estimate["adjusted"] or adjusted:
            reported["estimate"]["adjusted"] = True
            if estimate["measure"] == "OR" and named["logistic"]:
                reported["test"] = "logistic"
                checks.append("test: logistic, as the methods name logistic regression")
    measure = reported.get("estimate", {}).get("measure")
    continuous = measure in ("MD", "SMD") or measure is None and bool(_CONTINUOUS_WORDS.search(clause))
    if "test" not in reported and "estimate" not in reported:
        if continuous and named["t"]:
            reported["test"] = "t"
            checks.append("test: t, as the methods name a t-test")
    time = first_time(clause) or time_of(sentence, 0)
    text = _HEADING.sub("", " ".join(clause.strip(" ,;").split()))
    return ClaimDraft(text=text, quote=sentence,
                      significant=significant, significance_from=source, reported=reported,
                      checks=tuple(checks), concept=_concept(clause) or concept_of(sentence[:REACH]),
                      time=time[0] if time else None, continuous=continuous, sentence=index,
                      span=(begin, begin + len(clause)))
