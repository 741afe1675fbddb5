"""The stable verdict vocabulary, read by the checks that decide verdicts and by the analysis
files that record them."""

from __future__ import annotations

import enum
import re

__all__ = ["Verdict", "CHECK_MIMETYPE", "CLAIM_ID"]


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

#: What the id of a claim (or of a review's pooled line) may be: a letter, digit or ``_``, then
#: letters, digits, ``_`` and ``-``, and nothing after them (``\Z``: not even a line break).
#: The study and review loaders refuse other ids, and ``reanalyse run`` refuses a notebook
#: that publishes another, so that every id it records is a plain YAML key.
CLAIM_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
