"""Draft a study file from a trial's text: arms, per-arm numbers, scales, cut-offs and claims.

The modules, from the text up: :mod:`~reanalyse.drafting.text` (reading and sentences),
:mod:`~reanalyse.drafting.forms` (the printed forms of numbers),
:mod:`~reanalyse.drafting.scales` (rating scales, cited), :mod:`~reanalyse.drafting.arms`,
:mod:`~reanalyse.drafting.context` (which arm, time point and concept a number belongs to),
:mod:`~reanalyse.drafting.outcomes`, :mod:`~reanalyse.drafting.claims`,
:mod:`~reanalyse.drafting.assemble` (claims linked to outcomes, the file's lines),
:mod:`~reanalyse.drafting.writer` (YAML with comments), :mod:`~reanalyse.drafting.draft`, and
:mod:`~reanalyse.drafting.compare` (a draft scored against a hand-made transcription).
"""

from reanalyse.drafting.draft import Draft, Guess, draft
from reanalyse.drafting.text import DraftingError, read_text

__all__ = ["Draft", "Guess", "DraftingError", "draft", "read_text"]
