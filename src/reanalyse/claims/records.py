"""The results of the claim check: one :class:`ClaimCheck` per claim, one :class:`StudyCheck`
per study (frozen, with ``to_dict()`` in the shape of ``reanalyse check --format json``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reanalyse._version import __version__
from reanalyse.kernels.printed import Rounding
from reanalyse.rebuild.binary import CountPairs
from reanalyse.rebuild.estimates import EstimateCheck
from reanalyse.rebuild.results import Effect, SpecResult
from reanalyse.sensitivity import ClaimSensitivity
from reanalyse.model.options import CheckOptions
from reanalyse.model.study import Claim, ClaimContext, Outcome, Study
from reanalyse.claims.verdicts import Partition, Verdict

__all__ = ["ClaimCheck", "StudyCheck", "missing_numbers"]


@dataclass(frozen=True)
class ClaimCheck:
    """A claim's verdict, its reason, and everything it was based on."""

    claim: Claim
    verdict: Verdict
    reason: str
    alpha: float
    #: The options the check ran with (its rounding convention among them).
    options: CheckOptions
    specs: tuple[SpecResult, ...] = ()
    effects: tuple[Effect, ...] = ()
    missing: tuple[str, ...] = ()
    impossible: tuple[str, ...] = ()
    matched_spec: str | None = None
    sensitivity: ClaimSensitivity | None = None
    notes: tuple[str, ...] = field(default=())
    partition: Partition = Partition()
    context: ClaimContext | None = None
    estimate: EstimateCheck | None = None
    rests_on_adjustment: bool = False
    #: The count pairs a binary claim's printed numbers allow (None for other claims), derived
    #: once by the claim check and read by the sensitivity analyses and the significance map.
    pairs: CountPairs | None = None

    @property
    def rounding(self) -> Rounding:
        """The rounding convention every printed number of the claim was read under."""
        return self.options.rounding

    def spec(self, name: str) -> SpecResult | None:
        """The spec called ``name`` (None if it was not rebuilt)."""
        return next((spec for spec in self.specs if spec.name == name), None)

    def to_dict(self) -> dict:
        """JSON-ready form (the shape of ``reanalyse check --format json``)."""
        reported = self.claim.reported
        return {
            "id": self.claim.id, "outcome": self.claim.outcome, "text": self.claim.text,
            "verdict": self.verdict.value, "reason": self.reason,
            "claimed_significant": self.claim.significant, "alpha": self.alpha,
            "alternative": self.claim.alternative, "population": self.claim.population,
            "reported": {"test": reported.test,
                         "statistic": None if reported.statistic is None
                         else reported.statistic.text,
                         "df": [d.text for d in reported.df],
                         "p": None if reported.p is None else reported.p.text},
            "matched_spec": self.matched_spec,
            "rests_on_adjustment": self.rests_on_adjustment,
            "estimate": None if self.estimate is None else self.estimate.to_dict(),
            "specs": [spec.to_dict() for spec in self.specs],
            "effects": [effect.to_dict() for effect in self.effects],
            "missing": list(self.missing), "impossible": list(self.impossible),
            "notes": list(self.notes), "partition": self.partition.to_dict(),
            "sensitivity": None if self.sensitivity is None else self.sensitivity.to_dict(),
        }


@dataclass(frozen=True)
class StudyCheck:
    """Every claim of one study, checked."""

    study: Study
    options: CheckOptions
    claims: tuple[ClaimCheck, ...]

    def to_dict(self) -> dict:
        """``{"study": id, "claims": [...], ...}`` as printed by ``check --format json``."""
        return {"study": self.study.id, "citation": self.study.citation, "doi": self.study.doi,
                "path": None if self.study.path is None else str(self.study.path),
                "reanalyse_version": __version__, "options": self.options.to_dict(),
                "file_remarks": [remark.to_dict() for remark in self.study.remarks],
                "claims": [claim.to_dict() for claim in self.claims]}


def missing_numbers(outcome: Outcome, arm_ids, study: Study) -> tuple[str, ...]:
    """What each compared arm of ``outcome`` lacks for a rebuilt test, by arm label."""
    gaps = []
    for arm_id in arm_ids:
        names = outcome.arms[arm_id].missing()
        if names:
            gaps.append(f"{' and '.join(names)} for {study.arm(arm_id).label}")
    return tuple(gaps)
