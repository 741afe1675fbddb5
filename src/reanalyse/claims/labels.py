"""The words a reader sees for each verdict, beside the machine names of :class:`Verdict`.

JSON keeps the machine names (``insufficient_information``); every text a person reads (the
terminal table, the HTML reports, the index, ``verdicts.csv``) uses :data:`VERDICT_LABELS`.
"""

from __future__ import annotations

from reanalyse.claims.verdicts import Verdict

__all__ = ["VERDICT_LABELS", "VERDICT_MEANINGS", "verdict_label", "verdict_from_label"]

#: Machine name -> the label a reader sees (one per verdict, used everywhere people read).
VERDICT_LABELS = {
    Verdict.REPRODUCED.value: "reproduced",
    Verdict.REPRODUCED_WITH_ALTERNATIVE.value: "reproduced with another test",
    Verdict.INCONSISTENT.value: "inconsistent",
    Verdict.DECISION_FLIP.value: "decision flips",
    Verdict.FRAGILE.value: "fragile",
    Verdict.IMPOSSIBLE_INPUT.value: "impossible numbers",
    Verdict.INSUFFICIENT_INFORMATION.value: "insufficient information",
}

#: Machine name -> what the verdict means, as a clause (lower case, no full stop).
VERDICT_MEANINGS = {
    Verdict.REPRODUCED.value:
        "the printed numbers give the printed result with the test the paper names, and every "
        "defensible test agrees on its significance",
    Verdict.REPRODUCED_WITH_ALTERNATIVE.value:
        "the printed result follows from the printed numbers, but only with a defensible test "
        "other than the one the paper names",
    Verdict.INCONSISTENT.value:
        "the claimed significance holds, but the printed statistic, p-value, estimate or "
        "confidence interval cannot be rebuilt from the printed numbers",
    Verdict.DECISION_FLIP.value:
        "no defensible test gives the claimed significance from the printed numbers",
    Verdict.FRAGILE.value:
        "whether the claim holds depends on the choice of test, on how the printed numbers "
        "were rounded, or on a handful of participants",
    Verdict.IMPOSSIBLE_INPUT.value: "the printed numbers cannot all be true",
    Verdict.INSUFFICIENT_INFORMATION.value:
        "the paper does not print enough numbers to rebuild a test",
}


def verdict_label(verdict) -> str:
    """The reader's label of ``verdict`` (a :class:`Verdict` or its machine name)."""
    name = getattr(verdict, "value", verdict)
    return VERDICT_LABELS.get(name, str(name))


def verdict_from_label(text: str) -> str | None:
    """The machine name for a machine name or a label (``"insufficient information"``), or
    None when ``text`` is neither."""
    text = text.strip().lower()
    if text in VERDICT_LABELS:
        return text
    return next((name for name, label in VERDICT_LABELS.items() if label == text), None)
