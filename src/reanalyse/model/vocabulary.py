"""The stable verdict vocabulary, read by the checks that decide verdicts and by the analysis
files that record them."""

from __future__ import annotations

import enum

__all__ = ["Verdict", "CHECK_MIMETYPE"]


class Verdict(str, enum.Enum):
    """The stable verdict vocabulary (see :mod:`reanalyse.claims.verdicts` for the rules)."""

    REPRODUCED = "reproduced"
    REPRODUCED_WITH_ALTERNATIVE = "reproduced_with_alternative"
    INCONSISTENT = "inconsistent"
    DECISION_FLIP = "decision_flip"
    FRAGILE = "fragile"
    IMPOSSIBLE_INPUT = "impossible_input"
    INSUFFICIENT_INFORMATION = "insufficient_information"


#: MIME type of the notebook display output that carries ``StudyCheck.to_dict()``: the report
#: writes it, ``reanalyse run`` reads the verdicts from it.
CHECK_MIMETYPE = "application/vnd.reanalyse.check+json"
