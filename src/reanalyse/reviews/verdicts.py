"""One verdict per printed pooled line, in the vocabulary of the claim check.

A review's pooled line (estimate, CI, Z or t, p, tau², Q, df, I²) is rebuilt from the
included studies' printed numbers by every defensible estimator (:data:`ESTIMATORS`), each
over the rounding box of those numbers.  The rules, in order (the first that applies decides):

1. ``insufficient_information``: fewer than two studies give an effect, or the review prints
   neither a significance nor a number to compare.
2. ``decision_flip``: no estimator, anywhere in the rounding box, gives the claimed
   significance.
3. ``fragile``: the claimed significance depends on the estimator (some give it, others do
   not), on the rounding of the printed numbers, on one study (leaving it out turns the
   significance under the named estimator), or on the studies whose own numbers are
   impossible (without them it turns); the reason names which.
4. ``inconsistent``: the significance holds, but some printed number of the pooled line is
   rebuilt by no estimator; the reason names the numbers and what the named estimator gives.
5. ``reproduced_with_alternative``: every printed number is rebuilt, but only by an estimator
   other than the one the review names (it is named).
6. ``reproduced``: the named estimator (any, when the review names none) rebuilds every
   printed number and the significance holds everywhere.

A printed number is rebuilt when its rounding interval meets the range the estimator gives over
the rounding box (a printed p by the claim check's printed-p rule).  The functions here only
decide: :mod:`reanalyse.reviews.check` computes what they weigh.
"""

from __future__ import annotations

from dataclasses import dataclass

from reanalyse.model.vocabulary import Verdict

__all__ = ["ESTIMATOR_LABELS", "EstimatorFacts", "PoolFacts", "decide_pool_verdict",
           "NUMBER_LABELS"]

#: Estimator name -> the name a reader sees.
ESTIMATOR_LABELS = {
    "FE": "common effect (inverse variance)", "MH": "Mantel-Haenszel", "PETO": "Peto",
    "DL": "DerSimonian-Laird", "REML": "REML", "PM": "Paule-Mandel",
    "DL+HKSJ": "DerSimonian-Laird with Hartung-Knapp", "REML+HKSJ": "REML with Hartung-Knapp",
    "PM+HKSJ": "Paule-Mandel with Hartung-Knapp",
}
#: Printed number -> its name in a reason.
NUMBER_LABELS = {"estimate": "estimate", "ci_low": "CI's lower end",
                 "ci_high": "CI's upper end", "statistic": "test statistic",
                 "p": "p-value", "tau2": "tau²", "q": "heterogeneity chi² (Q)",
                 "df": "df of Q", "i2": "I²"}


@dataclass(frozen=True)
class EstimatorFacts:
    """What one estimator says of the pooled line.

    Attributes
    ----------
    name : str
        A key of :data:`ESTIMATOR_LABELS`.
    side : str or None
        ``agree`` (significant as claimed over the whole rounding box), ``against`` (nowhere)
        or ``straddle``; None when no significance is claimed.
    fits : dict
        Printed number name -> whether this estimator rebuilds it.
    """

    name: str
    side: str | None
    fits: dict

    @property
    def fits_all(self) -> bool:
        """Whether every printed number is rebuilt."""
        return all(self.fits.values())

    @property
    def label(self) -> str:
        """The estimator's name for a reader."""
        return ESTIMATOR_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class PoolFacts:
    """What the verdict of one pooled line weighs.

    Attributes
    ----------
    k : int
        Studies that give an effect.
    claimed : bool or None
        The significance the review claims.
    named : str or None
        The estimator the review names (None: not stated).
    estimators : tuple of EstimatorFacts
    flipping_studies : tuple of str
        Studies whose omission turns the named (or primary) estimator's significance.
    impossible : tuple of str
        Included studies whose own numbers are impossible.
    survives_without_impossible : bool or None
        Whether the claimed significance holds without them (None: none, or not decidable).
    printed_any : bool
        Whether the review printed any number of the pooled line.
    primary : str
        The estimator whose numbers the reason quotes.
    primary_values : dict
        Printed number name -> the primary estimator's value, as text, for the reason.
    """

    k: int
    claimed: bool | None
    named: str | None
    estimators: tuple[EstimatorFacts, ...]
    flipping_studies: tuple[str, ...] = ()
    impossible: tuple[str, ...] = ()
    survives_without_impossible: bool | None = None
    printed_any: bool = True
    primary: str = "DL"
    primary_values: dict | None = None


def _names(items) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _word(claimed: bool) -> str:
    return "significant" if claimed else "not significant"


def decide_pool_verdict(facts: PoolFacts) -> tuple[Verdict, str]:
    """The verdict of a pooled line and its one-sentence reason (rules in the module
    docstring)."""
    if facts.k < 2:
        return (Verdict.INSUFFICIENT_INFORMATION,
                f"Only {facts.k} included stud{'y gives' if facts.k == 1 else 'ies give'} an "
                "effect; a pool needs at least two.")
    if facts.claimed is None and not facts.printed_any:
        return (Verdict.INSUFFICIENT_INFORMATION,
                "The review file gives no printed pooled number and no claimed significance "
                "to compare with.")
    claimed = facts.claimed
    note = ""
    if facts.impossible and facts.survives_without_impossible is not False:
        note = (" It rests on studies whose own numbers are impossible ("
                + _names(facts.impossible) + ")"
                + (", and holds without them." if facts.survives_without_impossible
                   else "."))
    if claimed is not None:
        sides = {e.name: e.side for e in facts.estimators}
        if all(side == "against" for side in sides.values()):
            return (Verdict.DECISION_FLIP,
                    f"No estimator, anywhere in the rounding box, makes the pooled result "
                    f"{_word(claimed)} as claimed ("
                    + _names(e.label for e in facts.estimators) + ").")
        reasons = []
        agree = [e.label for e in facts.estimators if e.side == "agree"]
        other = [e.label for e in facts.estimators if e.side != "agree"]
        if agree and other:
            reasons.append(f"on the estimator: {_names(agree)} keep it {_word(claimed)} "
                           f"everywhere in the rounding box, {_names(other)} do not")
        elif other:
            reasons.append("on the rounding of the printed numbers: "
                           f"{_names(other)} give p on both sides of alpha within it")
        if facts.flipping_studies:
            reasons.append("on one study: leaving out " + _names(facts.flipping_studies)
                           + f" turns the {ESTIMATOR_LABELS.get(facts.primary, facts.primary)}"
                           " result")
        if facts.impossible and facts.survives_without_impossible is False:
            reasons.append("on studies whose own numbers are impossible ("
                           + _names(facts.impossible) + "): without them it is "
                           + _word(not claimed))
        if reasons:
            return (Verdict.FRAGILE, f"Whether the pooled result is {_word(claimed)} depends "
                    + "; ".join(reasons) + "." + note)
    fitting = [e for e in facts.estimators if e.fits_all]
    if not fitting:
        numbers = [name for name in NUMBER_LABELS
                   if any(name in e.fits for e in facts.estimators)
                   and not any(e.fits.get(name) for e in facts.estimators)]
        values = facts.primary_values or {}
        detail = "; ".join(f"{NUMBER_LABELS[name]} ({values[name]})" if name in values
                           else NUMBER_LABELS[name] for name in numbers)
        lead = "No estimator" if claimed is None else \
            f"The pooled result is {_word(claimed)} as claimed, but no estimator"
        return (Verdict.INCONSISTENT,
                f"{lead} rebuilds the printed "
                f"{_names(NUMBER_LABELS[name] for name in numbers)}; "
                f"{ESTIMATOR_LABELS.get(facts.primary, facts.primary)} gives {detail}." + note)
    names = [e.name for e in fitting]
    if facts.named is not None and facts.named not in names:
        return (Verdict.REPRODUCED_WITH_ALTERNATIVE,
                f"The printed pooled line follows from the studies' printed numbers with "
                f"{_names(e.label for e in fitting)}, not with the "
                f"{ESTIMATOR_LABELS.get(facts.named, facts.named)} the review names." + note)
    by = ESTIMATOR_LABELS.get(facts.named, facts.named) if facts.named is not None \
        else _names(e.label for e in fitting)
    held = "" if claimed is None else f", and every estimator makes it {_word(claimed)}"
    return (Verdict.REPRODUCED,
            f"{by} rebuilds the printed pooled line from the studies' printed numbers{held}."
            + note)
