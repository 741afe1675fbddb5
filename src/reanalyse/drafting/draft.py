"""Draft a study file (and its analysis) from a trial's abstract or results section.

>>> result = draft("Mothers were randomly assigned to massage (n = 30) or usual care (n = 30). "
...                "After 6 weeks, EPDS scores were lower with massage (7.75 ± 2.18 vs. "
...                "9.2 ± 2.04; P < 0.001).", study_id="example-2020")
>>> [(arm.id, arm.randomised) for arm in result.study.arms]
[('massage', 30), ('usual-care', 30)]
>>> result.study.outcomes[0].arms["massage"].mean.text
'7.75'

Provenance, never invention: every number in the draft is printed in the text, and its
sentence is quoted in a comment; every guess (which arm a number belongs to, an n taken from
the arms' sizes, a test named in the methods) is marked ``# check:`` and listed in
:attr:`Draft.guesses`; a number the text does not print stays absent, with a ``# TODO`` saying
what to look for.  The draft is loaded by the study loader before it is returned, so that it
checks as it is (``insufficient_information`` where numbers are missing).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reanalyse.drafting.assemble import Assembly, Guess  # noqa: F401 - Guess is public here
from reanalyse.drafting.text import DraftingError, check_text
from reanalyse.errors import StudyFileError
from reanalyse.model.study import Study
from reanalyse.model.studyfile import load_study

__all__ = ["Draft", "Guess", "draft", "analysis_text"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
#: How many times a draft is rendered again, leaving out values the study loader refused.
_ROUNDS = 6
#: Fields of a draft that may be left out when the loader refuses them (a path ends with one).
@dataclass(frozen=True)
class Draft:
    """A drafted study.

    Attributes
    ----------
    study : Study
        The draft as the study loader reads it.
    text : str
        The study file's text (``data/<id>.yaml``), with its comments.
    analysis : str
        The analysis file's text (``analyses/<id>.yaml``).
    guesses : tuple of Guess
        Every ``# check:`` of the file.
    todos : tuple of str
        Every ``# TODO`` of the file: numbers the text does not print.
    """

    study: Study
    text: str
    analysis: str
    guesses: tuple
    todos: tuple

    def to_dict(self) -> dict:
        return {"id": self.study.id, "text": self.text, "analysis": self.analysis,
                "guesses": [guess.to_dict() for guess in self.guesses],
                "todos": list(self.todos)}


def analysis_text(study_id: str) -> str:
    """The analysis file that runs ``data/<study_id>.yaml`` through the claim-check notebook."""
    return (f"# Analysis: the claim check of data/{study_id}.yaml (drafted). Paths are relative "
            "to this file.\n"
            f"study: ../data/{study_id}.yaml\n"
            "notebook: ../notebooks/claim_check.ipynb\n"
            "options:\n"
            "  rounding: nearest              # how the paper rounded; see reanalyse new's "
            "template for the others\n")


def draft(text: str, study_id: str = "draft", *, source: str = "the text") -> Draft:
    """Draft the study printed in ``text`` (an abstract or a results section).

    Parameters
    ----------
    text : str
        Plain text; at most :data:`reanalyse.drafting.text.MAX_CHARS` characters.
    study_id : str
        The study's id (lower-case letters, digits and hyphens).
    source : str
        What the text is (a file name), for the draft's notes.

    Returns
    -------
    Draft

    Raises
    ------
    DraftingError
        When the text is empty or too long, or the id is not an id.
    """
    check_text(text, source)
    if not isinstance(study_id, str) or not _ID.match(study_id):
        raise DraftingError(source, f"{study_id!r} is not a study id",
                            "use lower-case letters, digits and hyphens, e.g. smith-2020")
    builder = Assembly(text, study_id, source)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{study_id}.yaml"
        for _ in range(_ROUNDS):
            file_text = builder.render()
            path.write_text(file_text, encoding="utf-8")
            try:
                study = load_study(path)
                break
            except StudyFileError as error:
                if not builder.leave_out(error.problems):
                    raise DraftingError(source, "the draft does not load: " + error.describe(),
                                        "report this text: a draft should always load") from None
        else:
            raise DraftingError(source, "the draft does not load after leaving out what the "
                                "study loader refused", "report this text")
    return Draft(study=study, text=file_text, analysis=analysis_text(study_id),
                 guesses=tuple(builder.guesses), todos=tuple(builder.todos))


