"""What a trial's paper printed: arms, outcomes with per-arm summaries, and the claims made.

These are plain frozen records; :func:`reanalyse.model.studyfile.load_study` builds them from a study
file and checks them.  Numbers that can carry rounding are :class:`~reanalyse.kernels.printed.PrintedNumber`;
counts (n, events, randomised) are exact integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from reanalyse.kernels.distributions import t_ppf
from reanalyse.kernels.printed import PrintedNumber, PrintedP, Rounding

__all__ = [
    "Arm", "Scale", "ContinuousArm", "BinaryArm", "Outcome", "Estimate", "Reported",
    "Claim", "ClaimContext", "Source", "Study", "POPULATIONS", "ALTERNATIVES",
]

POPULATIONS = ("itt", "per_protocol", "completers")
ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True)
class Source:
    """Where numbers came from: the paper itself (primary) or a review quoting it (secondary)."""

    citation: str
    kind: str = "primary"
    note: str | None = None


@dataclass(frozen=True)
class Arm:
    """A randomised arm: its id, label and the number randomised to it (if printed)."""

    id: str
    label: str
    randomised: int | None = None
    source: str | None = None


@dataclass(frozen=True)
class Scale:
    """Bounds of a measurement scale.

    ``items``: each participant's score is the mean of this many integer item scores (1: the
    score is a whole number, such as a sum of items).  Scores then move in steps of
    1 / items, which makes means and SDs granular (GRIM, GRIMMER).  ``cutoff_candidates``:
    conventional cut-offs of the scale (``(">= 10", ">= 13")``), as the study file cites them.
    """

    min: float | None = None
    max: float | None = None
    items: int | None = None
    cutoff_candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContinuousArm:
    """One arm's printed summary of a continuous outcome.

    The spread is given as exactly one of ``sd``, ``se`` (standard error of the mean) or ``ci``
    (a confidence interval for the mean at ``ci_level``), or is absent.
    """

    n: int | None = None
    mean: PrintedNumber | None = None
    sd: PrintedNumber | None = None
    se: PrintedNumber | None = None
    ci: tuple[PrintedNumber, PrintedNumber] | None = None
    ci_level: float = 0.95

    def sd_bounds(self, rounding: Rounding | str) -> tuple[float, float, float] | None:
        """``(sd_at_printed, sd_low, sd_high)`` implied by the printed spread, or None.

        From an SE: sd = se * sqrt(n).  From a CI for the mean: sd = width / (2 t) * sqrt(n), with
        t the (1 + level) / 2 quantile of Student's t on n - 1 df (the usual t-interval).  The
        low/high ends use the interval of each printed number under ``rounding``.
        """
        if self.sd is not None:
            return (self.sd.value, *self.sd.interval(rounding))
        if self.n is None:
            return None
        root_n = math.sqrt(self.n)
        if self.se is not None:
            low, high = self.se.interval(rounding)
            return self.se.value * root_n, low * root_n, high * root_n
        if self.ci is not None:
            (low_low, low_high), (high_low, high_high) = (end.interval(rounding)
                                                          for end in self.ci)
            factor = root_n / (2 * t_ppf((1 + self.ci_level) / 2, self.n - 1))
            return ((self.ci[1].value - self.ci[0].value) * factor,
                    max(high_low - low_high, 0.0) * factor, (high_high - low_low) * factor)
        return None

    def mean_bounds(self, rounding: Rounding | str) -> tuple[float, float, float] | None:
        """``(mean_at_printed, low, high)`` under ``rounding``; from a CI's midpoint when no
        mean is printed."""
        if self.mean is not None:
            return (self.mean.value, *self.mean.interval(rounding))
        if self.ci is not None:
            (low_low, low_high), (high_low, high_high) = (end.interval(rounding)
                                                          for end in self.ci)
            return ((self.ci[0].value + self.ci[1].value) / 2, (low_low + high_low) / 2,
                    (low_high + high_high) / 2)
        return None

    def missing(self) -> tuple[str, ...]:
        """Names of the numbers a rebuilt test needs that were not printed."""
        gaps = []
        if self.n is None:
            gaps.append("n")
        if self.mean is None and self.ci is None:
            gaps.append("mean")
        if self.sd is None and self.se is None and self.ci is None:
            gaps.append("sd")
        return tuple(gaps)


@dataclass(frozen=True)
class BinaryArm:
    """One arm's printed summary of a binary outcome: n with events, or n with a percentage."""

    n: int | None = None
    events: int | None = None
    percent: PrintedNumber | None = None

    def missing(self) -> tuple[str, ...]:
        """Names of the numbers a rebuilt test needs that were not printed."""
        gaps = []
        if self.n is None:
            gaps.append("n")
        if self.events is None and self.percent is None:
            gaps.append("events or percent")
        return tuple(gaps)


@dataclass(frozen=True)
class Outcome:
    """An outcome measured in every arm, with each arm's printed summary.

    ``derived_from`` and ``cutoff`` say that a binary outcome is a cut-off of a continuous one
    (``derived_from: epds_post, cutoff: ">= 13"``); ``cutoff_candidates`` names conventional
    cut-offs it may be (when the paper does not print its own).  ``baseline`` marks a
    pre-randomisation characteristic (used by baseline-balance checks).
    """

    id: str
    label: str
    type: str
    arms: dict = field(default_factory=dict)
    scale: Scale | None = None
    source: str | None = None
    baseline: bool = False
    derived_from: str | None = None
    cutoff: str | None = None
    cutoff_candidates: tuple[str, ...] = ()

    def summaries(self, arm_ids) -> tuple:
        """The summaries of ``arm_ids`` in that order."""
        return tuple(self.arms[arm_id] for arm_id in arm_ids)


@dataclass(frozen=True)
class Estimate:
    """A printed effect estimate with its confidence interval (``measure`` OR, RR, HR, RD, MD, SMD).

    ``percent``: a risk difference printed in percentage points (``10.2`` for 0.102).
    """

    measure: str
    value: PrintedNumber | None = None
    ci: tuple[PrintedNumber, PrintedNumber] | None = None
    level: float = 0.95
    adjusted: bool = False
    percent: bool = False

    @property
    def is_ratio(self) -> bool:
        """Ratios (OR, RR, HR) are tested on the log scale with null value 1."""
        return self.measure in ("OR", "RR", "HR", "IRR")


@dataclass(frozen=True)
class Reported:
    """What the paper printed as the result of a claim's test (every field optional).

    ``df`` holds one or two degrees of freedom (t, chi2, r: one; F: two).
    """

    test: str | None = None
    statistic: PrintedNumber | None = None
    df: tuple[PrintedNumber, ...] = ()
    p: PrintedP | None = None
    estimate: Estimate | None = None


@dataclass(frozen=True)
class Claim:
    """A claim of the paper about one outcome: its text, what was printed, its claimed significance.

    ``arms`` names the compared arms in order (treatment first); the default is every arm of the
    outcome in the study's order.  ``alternative`` is ``two-sided`` unless the paper declared a
    one-sided test, in the direction of the first arm minus the second.  ``line`` is where the
    claim starts in its study file (None when it was not read from one), for errors.
    ``compares`` names two other claims when this claim is about the difference between their
    results (its ``significant`` is what the paper says of the difference; its outcome is the
    first compared claim's).
    """

    id: str
    outcome: str
    text: str | None = None
    reported: Reported = field(default_factory=Reported)
    significant: bool | None = None
    alternative: str = "two-sided"
    alpha: float | None = None
    arms: tuple[str, ...] = ()
    population: str | None = None
    source: str | None = None
    line: int | None = field(default=None, compare=False, repr=False)
    compares: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A trial as its paper printed it.

    ``remarks`` holds what the loader found for the file's reader to check
    (:class:`reanalyse.model.coherence.FileRemark`: fields that disagree, numbers read by a
    rule such as the decimal comma); they never change a verdict.
    """

    id: str
    citation: str
    arms: tuple[Arm, ...]
    outcomes: tuple[Outcome, ...]
    claims: tuple[Claim, ...]
    doi: str | None = None
    alpha: float = 0.05
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    path: Path | None = None
    remarks: tuple = ()

    def outcome(self, outcome_id: str) -> Outcome:
        """The outcome called ``outcome_id``."""
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise KeyError(outcome_id)

    def arm(self, arm_id: str) -> Arm:
        """The arm called ``arm_id``."""
        for arm in self.arms:
            if arm.id == arm_id:
                return arm
        raise KeyError(arm_id)

    def claim_arms(self, claim: Claim) -> tuple[str, ...]:
        """The arms a claim compares, in order."""
        if claim.arms:
            return claim.arms
        outcome = self.outcome(claim.outcome)
        return tuple(arm.id for arm in self.arms if arm.id in outcome.arms)

    def claim_alpha(self, claim: Claim) -> float:
        """The significance level a claim is judged at (its own, else the study's)."""
        return self.alpha if claim.alpha is None else claim.alpha

    def claim_context(self, claim: Claim, alpha: float | None = None) -> "ClaimContext":
        """What ``claim`` is judged by, derived once (see :class:`ClaimContext`).

        ``alpha`` overrides the claim's and the study's significance level (a CLI option).
        """
        alpha = self.claim_alpha(claim) if alpha is None else alpha
        claimed, from_p = claim.significant, False
        if claimed is None and claim.reported.p is not None:
            claimed = claim.reported.p.significant(alpha)
            from_p = claimed is not None
        return ClaimContext(claim, self.outcome(claim.outcome), self.claim_arms(claim), alpha,
                            claimed, from_p)


@dataclass(frozen=True)
class ClaimContext:
    """A claim with what it is judged by: derived once, by :meth:`Study.claim_context`, and
    handed to the rebuilt tests, the verdict and the sensitivity analyses alike.

    Attributes
    ----------
    claim : Claim
    outcome : Outcome
        The outcome the claim is about.
    arm_ids : tuple of str
        The arms compared, in order (treatment first).
    alpha : float
        The significance level (the option's, else the claim's, else the study's).
    claimed : bool or None
        Whether the paper claims a significant result: ``significant:`` in the study file, else
        read from the printed p at ``alpha``; None when neither says.
    claimed_from_p : bool
        Whether ``claimed`` was read from the printed p.
    """

    claim: Claim
    outcome: Outcome
    arm_ids: tuple[str, ...]
    alpha: float
    claimed: bool | None
    claimed_from_p: bool = False
