"""The public face of ``reanalyse`` for notebooks and scripts: check a study, screen a table.

>>> import reanalyse as ra
>>> result = ra.check("data/raisi-dehkordi-2019.yaml", rounding="half_up")
>>> result["fewer-depressed"].verdict
'fragile'
>>> [claim.id for claim in result]
['baseline-similar', 'lower-epds', 'fewer-depressed', 'adjusted-odds']
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from reanalyse.claims.assess import ClaimCheck, StudyCheck, check_study
from reanalyse.errors import OptionError
from reanalyse.kernels.printed import Rounding
from reanalyse.model.options import CheckOptions
from reanalyse.model.study import Study
from reanalyse.model.studyfile import load_study

__all__ = ["check", "screen", "CheckResult", "ClaimResult", "FRAME_COLUMNS"]

#: The columns of :meth:`CheckResult.to_frame`: one row per claim and rebuilt test.
FRAME_COLUMNS = ("claim", "verdict", "test", "role", "statistic", "p", "p_min", "p_max",
                 "significant")


def _rows(check: ClaimCheck) -> list[dict]:
    rows = [{"claim": check.claim.id, "verdict": check.verdict.value, "test": spec.name,
             "role": spec.role, "statistic": spec.statistic, "p": spec.p, "p_min": spec.p_min,
             "p_max": spec.p_max, "significant": spec.significant} for spec in check.specs]
    return rows or [{"claim": check.claim.id, "verdict": check.verdict.value,
                     **{name: None for name in FRAME_COLUMNS[2:]}}]


def _frame(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


@dataclass(frozen=True)
class ClaimResult:
    """One claim's check, with the study it belongs to (for its prose).

    Attributes
    ----------
    check : ClaimCheck
        Everything the verdict rests on (specs, effects, sensitivity analyses).
    study : Study
    """

    check: ClaimCheck
    study: Study

    @property
    def id(self) -> str:
        """The claim's id."""
        return self.check.claim.id

    @property
    def verdict(self) -> str:
        """The verdict, as its stable name."""
        return self.check.verdict.value

    @property
    def reason(self) -> str:
        """The verdict's one-sentence reason."""
        return self.check.reason

    def explain(self) -> str:
        """What the paper claims, what the rebuilt tests say and what the verdict means."""
        from reanalyse.reports.report import explain

        return explain(self.check, self.study)

    def to_frame(self):
        """One row per rebuilt test (columns :data:`FRAME_COLUMNS`)."""
        return _frame(_rows(self.check))

    def to_dict(self) -> dict:
        """JSON-ready form (as in ``reanalyse check --format json``)."""
        return self.check.to_dict()

    def __str__(self) -> str:
        return f"{self.id}: {self.verdict}\n" + textwrap.fill(self.reason, 88)

    def __repr__(self) -> str:
        return f"<ClaimResult {self.id}: {self.verdict}>"


@dataclass(frozen=True)
class CheckResult:
    """Every claim of a study, checked: shown as the verdict table.

    Index it by claim id (``result["fewer-depressed"]``), iterate over its claims, or take
    :meth:`to_frame` for one row per claim and rebuilt test.
    """

    study_check: StudyCheck

    @property
    def study(self) -> Study:
        """The study that was checked."""
        return self.study_check.study

    @property
    def options(self) -> CheckOptions:
        """The options it was checked with."""
        return self.study_check.options

    @property
    def claims(self) -> tuple[ClaimResult, ...]:
        """The claims, in the study file's order."""
        return tuple(ClaimResult(check, self.study) for check in self.study_check.claims)

    def __getitem__(self, claim_id: str) -> ClaimResult:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        known = ", ".join(claim.id for claim in self.claims)
        raise KeyError(f"no claim {claim_id!r} in {self.study.id}; claims: {known}")

    def __iter__(self):
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.study_check.claims)

    def to_frame(self):
        """One row per claim and rebuilt test (columns :data:`FRAME_COLUMNS`); a claim with
        no test rebuilt has one row with its verdict only."""
        return _frame([row for check in self.study_check.claims for row in _rows(check)])

    def to_dict(self) -> dict:
        """JSON-ready form (as in ``reanalyse check --format json``)."""
        return self.study_check.to_dict()

    def __str__(self) -> str:
        width = max([len("claim")] + [len(claim.id) for claim in self.claims])
        verdicts = max([len("verdict")] + [len(claim.verdict) for claim in self.claims])
        lines = [f"{self.study.id} (rounding: {self.options.rounding.value})",
                 f"{'claim':<{width}}  {'verdict':<{verdicts}}  reason"]
        for claim in self.claims:
            reason = textwrap.shorten(claim.reason, 100, placeholder=" ...")
            lines.append(f"{claim.id:<{width}}  {claim.verdict:<{verdicts}}  {reason}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from reanalyse.reports.report import verdict_table

        return verdict_table(self.study_check).text


def check(study, *, rounding: Rounding | str = Rounding.NEAREST, alpha: float | None = None,
          defensible: tuple[str, ...] | None = None, boschloo: str = "when_needed",
          options: CheckOptions | None = None) -> CheckResult:
    """Check every claim of a study.

    Parameters
    ----------
    study : str, Path or Study
        A study file, or a study already loaded (:func:`load_study`).
    rounding, alpha, defensible, boschloo
        The options of the check (:class:`CheckOptions`); ignored when ``options`` is given.
    options : CheckOptions, optional

    Returns
    -------
    CheckResult

    Raises
    ------
    StudyFileError
        When the study file is not valid.
    OptionError
        When an option is not valid (an unknown rounding convention, an alpha outside (0, 1),
        an unknown test name or Boschloo policy), or ``study`` is neither a path nor a Study.
    """
    if options is None:
        options = CheckOptions(alpha=alpha, rounding=rounding,
                               defensible=None if defensible is None else tuple(defensible),
                               boschloo=boschloo)
    if isinstance(study, (str, Path)):
        study = load_study(study)
    if not isinstance(study, Study):
        raise OptionError(f"check takes a study file's path or a Study (ra.load_study), got "
                          f"{type(study).__name__}")
    return CheckResult(check_study(study, options))


def screen(table, check: str = "auto", **options):
    """Screen a table (pandas DataFrame) with one of the consistency checks (``grim``,
    ``grimmer``, ``debit``, ``percent``, ``statistic``, ``rebuilt_t``, ``rebuilt_anova``,
    ``baseline``; ``auto`` picks it from the columns); see :func:`reanalyse.screens.screen`."""
    from reanalyse.screens import screen as run_screen

    return run_screen(table, check=check, **options)
