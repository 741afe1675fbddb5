"""Where a study file disagrees with itself, or was read by a rule its writer should know of.

A study file is a transcription, and a slip in it must not be read as a finding about the
paper.  When two of its own fields cannot both be true (``significant: false`` beside a printed
p of 0.026; a printed ``df`` the arms' n cannot give; ``p: "ns"`` with ``significant: true``),
:func:`file_remarks` says so, with the file, the line and the fields to check.  Papers do
sometimes contradict themselves: a remark never changes a verdict (the check judges the file as
it stands), it tells the reader which printed numbers disagree so that a slip can be put right
and a paper's own contradiction can be named.

The disagreements looked for (each a :class:`FileRemark` of kind ``conflict``):

- the claimed significance (``significant:``) against the decision the printed p states at the
  claim's alpha (a printed ``= p`` whose rounding interval holds alpha states none);
- the claim's ``text`` quoting one p that differs from ``reported.p``;
- a printed ``df`` no test of the claim's family on the arms' n can give: for t on two arms
  the df of Student's test is n1 + n2 - 2 and Welch's lies between min(n1, n2) - 1 and it; for
  F, df1 is k - 1 and df2 at most N - k; a chi-square on a 2 x 2 table has df 1;
- the reported test against the outcome's type (a t-test of counts, a chi-square of means);
- an estimate outside its own confidence interval;
- an arm's n above the number randomised to it;
- events and a percentage of the same arm that no rounding convention reconciles.

Remarks of kind ``reading`` say how a number was read by a documented rule (a decimal comma).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import PrintedNumberError, Rounding, parse_p
from reanalyse.model import tests

__all__ = ["FileRemark", "file_remarks", "reading_remark"]

#: How the file's own fields are compared with each other.  A study file is read before any
#: analysis names the paper's rounding convention (:class:`~reanalyse.model.options.CheckOptions`),
#: so a disagreement between its fields is judged as numbers are usually printed, rounded to
#: the nearest; the checks themselves then use the analysis's convention.
FILE_ROUNDING = Rounding.NEAREST

_TEXT_P = re.compile(r"(?<![A-Za-z])[Pp]\s*(==|<=|>=|[=<>≤≥])\s*([0-9]*[.,]?[0-9]+)")


@dataclass(frozen=True)
class FileRemark:
    """One thing the reader of a study file should check.

    Attributes
    ----------
    kind : str
        ``conflict`` (fields of the file that cannot both be true) or ``reading`` (a number
        read by a documented rule).
    message : str
        What disagrees, naming the printed numbers.
    fields : tuple of (str, int or None)
        The fields to check, as dotted paths, with their lines.
    path : Path
        The study file.
    claim : str or None
        The claim it bears on (None for a remark about an outcome or an arm).
    """

    kind: str
    message: str
    fields: tuple[tuple[str, int | None], ...]
    path: Path
    claim: str | None = None

    @property
    def line(self) -> int | None:
        """The line of the first field."""
        return self.fields[0][1] if self.fields else None

    def where(self) -> str:
        """``file:line``."""
        return f"{self.path}" + (f":{self.line}" if self.line else "")

    def check_text(self) -> str:
        """``check significant (line 45) and reported.p (line 44)``."""
        named = [f"{field}" + (f" (line {line})" if line else "") for field, line in self.fields]
        return "check " + (" and ".join(named) if len(named) < 3 else
                           ", ".join(named[:-1]) + " and " + named[-1])

    def describe(self) -> str:
        """``file:line: message; check field (line n) and ...``, and what happens next."""
        about = f"claim {self.claim}: " if self.claim else ""
        text = f"{self.where()}: {about}{self.message}"
        if self.kind == "conflict":
            return (f"{text}; {self.check_text()} against the paper (if the paper itself "
                    "prints both, the verdict stands)")
        return text

    def note(self) -> str:
        """The remark as a claim's note (one sentence, with file:line)."""
        if self.kind == "conflict":
            return (f"The study file disagrees with itself: {self.message} "
                    f"({self.where()}; {self.check_text()}); if the paper prints both, the "
                    "verdict stands on the file as written")
        return f"{self.message} ({self.where()})"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"kind": self.kind, "message": self.message, "claim": self.claim,
                "path": str(self.path), "line": self.line,
                "fields": [{"field": field, "line": line} for field, line in self.fields]}


def reading_remark(path: Path, field: str, line: int | None, text: str, value) -> FileRemark:
    """A number read with a decimal comma (``"7,61"`` as 7.61)."""
    return FileRemark("reading", f"{field} = {text!r} was read with a decimal comma as "
                      f"{value}", ((field, line),), Path(path))


def _line(mapping, key):
    line_of = getattr(mapping, "line_of", None)
    return line_of(key) if line_of is not None else None


def _fmt(number) -> str:
    return f"{float(number):g}"


def file_remarks(study, document, path=None) -> tuple[FileRemark, ...]:
    """Every disagreement between the fields of ``study``, read from ``document`` (the file's
    YAML, for the lines).

    Parameters
    ----------
    study : Study
        The study as loaded.
    document : Located
        The file's top-level mapping (:func:`reanalyse.model.yamltext.read_yaml`).
    path : Path, optional
        The file as its reader named it (default: the study's own path).
    """
    path = Path(path if path is not None else study.path or f"{study.id}.yaml")
    remarks: list[FileRemark] = []
    outcome_items = {str(item.get("id")): (i, item) for i, item in
                     enumerate(document.get("outcomes") or ()) if hasattr(item, "get")}
    remarks += _arm_conflicts(study, document, outcome_items, path)
    claim_items = list(document.get("claims") or ())
    for i, claim in enumerate(study.claims):
        item = claim_items[i] if i < len(claim_items) else None
        remarks += _claim_conflicts(study, claim, f"claims[{i}]", item, outcome_items, path)
    return tuple(remarks)


def _arm_conflicts(study, document, outcome_items, path):
    randomised = {arm.id: (arm.randomised, i) for i, arm in enumerate(study.arms)}
    arm_items = list(document.get("arms") or ())
    remarks = []
    for outcome in study.outcomes:
        index, item = outcome_items.get(outcome.id, (None, None))
        arms_item = item.get("arms") if item is not None else None
        for arm_id, summary in outcome.arms.items():
            field = f"outcomes[{index}].arms.{arm_id}"
            arm_item = arms_item.get(arm_id) if hasattr(arms_item, "get") else None
            total, arm_index = randomised.get(arm_id, (None, None))
            if summary.n is not None and total is not None and summary.n > total:
                remarks.append(FileRemark(
                    "conflict", f"{arm_id} has n = {summary.n} for {outcome.id}, but "
                    f"{total} were randomised to it",
                    ((f"{field}.n", _line(arm_item, "n")),
                     (f"arms[{arm_index}].randomised",
                      _line(arm_items[arm_index], "randomised")
                      if arm_index < len(arm_items) else None)), path))
            percent = getattr(summary, "percent", None)
            events = getattr(summary, "events", None)
            if percent is not None and events is not None and summary.n is not None \
                    and not _fits(events, percent, summary.n):
                remarks.append(FileRemark(
                    "conflict", f"{arm_id} has {events} events of n = {summary.n} for "
                    f"{outcome.id} ({_fmt(Fraction(100 * events, summary.n))}%), but the "
                    f"printed percentage is {percent}%",
                    ((f"{field}.events", _line(arm_item, "events")),
                     (f"{field}.percent", _line(arm_item, "percent"))), path))
    return remarks


def _fits(events: int, percent, n: int) -> bool:
    """Whether ``events`` of ``n`` prints as ``percent`` under some rounding convention."""
    try:
        return any(events in percent_count_range(percent, n, rounding) for rounding in Rounding)
    except ValueError:  # a percentage written in powers of ten: left to the check
        return True


def _claim_conflicts(study, claim, field, item, outcome_items, path):
    reported = claim.reported
    reported_item = item.get("reported") if item is not None else None
    at = (lambda key: _line(item, key))
    at_reported = (lambda key: _line(reported_item, key) if reported_item is not None
                   else at("reported"))
    alpha = study.claim_alpha(claim)
    remarks = []

    def conflict(message, *fields):
        remarks.append(FileRemark("conflict", message, tuple(fields), path, claim.id))

    p = reported.p
    if p is not None and claim.significant is not None:
        stated = _stated_decision(p, alpha)
        if stated is not None and stated != claim.significant:
            said = ("below" if stated else "above") + f" alpha = {alpha:g}"
            printed = "'ns'" if p.relation == "ns" else f"p {p.text!r}"
            conflict(f"significant: {str(claim.significant).lower()}, but the printed "
                     f"{printed} states a result {'significant' if stated else 'not significant'}"
                     + ("" if p.relation == "ns" else f" ({said})"),
                     (f"{field}.significant", at("significant")),
                     (f"{field}.reported.p", at_reported("p")))
    quoted = _text_p(claim.text)
    if quoted is not None and p is not None and (quoted.relation, quoted.number.exact) != (
            p.relation, None if p.number is None else p.number.exact):
        conflict(f"the claim's text quotes p {quoted.text!r}, but reported.p is {p.text!r}",
                 (f"{field}.text", at("text")), (f"{field}.reported.p", at_reported("p")))
    outcome = study.outcome(claim.outcome)
    test = tests.lookup(reported.test)
    if test is not None and test.outcome is not None and test.outcome != outcome.type:
        index = outcome_items.get(outcome.id, (None,))[0]
        conflict(f"reported.test {reported.test!r} ({test.label}) is a test of "
                 f"{'counts' if test.outcome == 'binary' else 'means'}, but outcome "
                 f"{outcome.id!r} is {outcome.type}",
                 (f"{field}.reported.test", at_reported("test")),
                 (f"outcomes[{index}].type", _line(outcome_items[outcome.id][1], "type")
                  if outcome.id in outcome_items else None))
    if reported.df:
        problem = _df_problem(claim, outcome, study.claim_arms(claim))
        if problem:
            index, outcome_item = outcome_items.get(outcome.id, (None, None))
            arms_item = outcome_item.get("arms") if outcome_item is not None else None
            arm_ns = [(f"outcomes[{index}].arms.{arm_id}.n",
                       _line(arms_item.get(arm_id) if hasattr(arms_item, "get") else None, "n"))
                      for arm_id in study.claim_arms(claim)]
            chi2 = problem.startswith("chi2: ")
            conflict(problem.removeprefix("chi2: "), (f"{field}.reported.df", at_reported("df")),
                     *([] if chi2 else arm_ns))
    estimate = reported.estimate
    if estimate is not None and estimate.value is not None and estimate.ci is not None:
        low, high = estimate.ci
        if not low.value <= estimate.value.value <= high.value:
            estimate_item = reported_item.get("estimate") if reported_item is not None else None
            conflict(f"the {estimate.measure} {estimate.value} lies outside its own CI "
                     f"[{low}, {high}]",
                     (f"{field}.reported.estimate.value", _line(estimate_item, "value")),
                     (f"{field}.reported.estimate.ci", _line(estimate_item, "ci")))
    return remarks


def _stated_decision(p, alpha: float) -> bool | None:
    """The decision a printed p states: None when it states none, or when a printed ``= p``
    could round from either side of alpha."""
    if p.relation == "=":
        low, high = p.interval(alpha, FILE_ROUNDING)
        if low < alpha <= high:
            return None
    return p.significant(alpha)


def _text_p(text: str | None):
    """The one p a claim's text quotes (None when it quotes none or several)."""
    if not text:
        return None
    found = _TEXT_P.findall(text)
    if len(found) != 1:
        return None
    relation, number = found[0]
    try:
        return parse_p(f"{relation} {number}")
    except PrintedNumberError:
        return None


def _df_problem(claim, outcome, arm_ids) -> str | None:
    """Why the printed df cannot come from the arms' n (None when it can, or cannot be told);
    a problem of a 2 x 2 chi-square, which does not depend on n, starts ``chi2:``."""
    reported = claim.reported
    family = tests.family_of(reported.test)
    if reported.test is None and reported.statistic is not None:
        family = "t" if outcome.type == "continuous" and len(arm_ids) == 2 else (
            "F" if outcome.type == "continuous" else "chi2")
    ns = [outcome.arms[arm_id].n for arm_id in arm_ids if arm_id in outcome.arms]
    df = reported.df
    if family == "chi2" and outcome.type == "binary" and len(arm_ids) == 2:
        if len(df) == 1 and not df[0].contains(1, FILE_ROUNDING):
            return f"chi2: df = {df[0]} for a chi-square of a 2 x 2 table, which has df = 1"
        return None
    if None in ns or not ns:
        return None
    total, k = sum(ns), len(ns)
    arms = " + ".join(str(n) for n in ns)
    if family == "t" and k == 2 and len(df) == 1:
        low, high = df[0].interval(FILE_ROUNDING)
        smallest, largest = min(ns) - 1, total - 2
        if high < smallest or low > largest:
            return (f"df = {df[0]}, but a t-test of n = {arms} has df {largest} (Student's) "
                    f"or between {smallest} and {largest} (Welch's)")
    if family == "F" and len(df) == 2:
        low, _ = df[1].interval(FILE_ROUNDING)
        if not df[0].contains(k - 1, FILE_ROUNDING) or low > total - k:
            return (f"df = ({df[0]}, {df[1]}), but an F-test of {k} arms of n = {arms} has "
                    f"df1 = {k - 1} and df2 at most {total - k}")
    return None
