"""The stable verdict vocabulary, read by the checks that decide verdicts and by the analysis
files that record them."""

from __future__ import annotations

import enum

__all__ = ["Verdict"]


class Verdict(str, enum.Enum):
    """The stable verdict vocabulary (see :mod:`reanalyse.checks.verdicts` for the rules)."""

    REPRODUCED = "reproduced"
    REPRODUCED_WITH_ALTERNATIVE = "reproduced_with_alternative"
    INCONSISTENT = "inconsistent"
    DECISION_FLIP = "decision_flip"
    FRAGILE = "fragile"
    IMPOSSIBLE_INPUT = "impossible_input"
    INSUFFICIENT_INFORMATION = "insufficient_information"
