"""Result records shared by every rebuilt test: one :class:`SpecResult` per test specification."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

__all__ = ["SpecResult", "Effect", "decide", "ROLES"]

#: How a spec takes part in a claim's verdict: ``primary`` (the test the paper named, or the
#: default for the design), ``alternative`` (another defensible test of the same data),
#: ``reported`` (rebuilt from the paper's own printed statistic or CI), ``context`` (shown
#: beside the claim but not judged, e.g. unadjusted tests beside an adjusted model).
ROLES = ("primary", "alternative", "reported", "context")


def decide(p_min: float | None, p_max: float | None, alpha: float) -> bool | None:
    """Significance over a rounding box: True if p_max <= alpha, False if p_min > alpha, else None.

    A p exactly at alpha counts as significant (as statcheck does).
    """
    if p_min is None or p_max is None or math.isnan(p_min) or math.isnan(p_max):
        return None
    if p_max <= alpha:
        return True
    if p_min > alpha:
        return False
    return None


@dataclass(frozen=True)
class SpecResult:
    """One test rebuilt from printed numbers, over the rounding box of its inputs.

    Attributes
    ----------
    name : str
        Stable spec name (``student_t``, ``welch_t``, ``anova_f``, ``welch_anova``,
        ``pearson_chi2``, ``yates_chi2``, ``fisher_exact``, ``boschloo_exact``, ``z_pooled``,
        ``reported_statistic``, ``ci_to_p``).
    label : str
        Readable name for reports.
    statistic, p : float or None
        At the printed values (for counts reconstructed from percentages: at the pair closest to
        the printed percentages).
    p_min, p_max : float or None
        Smallest and largest p over the rounding box (and every feasible count pair).
    significant : bool or None
        True when the whole interval is at or below alpha, False when above, None when it
        straddles alpha or could not be computed.
    statistic_min, statistic_max : float or None
        Range of the statistic over the box (compared with a printed statistic).
    df : tuple of float
        Degrees of freedom at the printed values.
    role : str
        See :data:`ROLES`.
    tables : int
        Number of count pairs evaluated (binary outcomes).
    note : str or None
        What a reader should know (a skipped computation, an approximation, a misprint).
    """

    name: str
    label: str
    statistic: float | None
    p: float | None
    p_min: float | None
    p_max: float | None
    significant: bool | None
    statistic_min: float | None = None
    statistic_max: float | None = None
    df: tuple[float, ...] = ()
    role: str = "primary"
    tables: int = 1
    note: str | None = None

    @property
    def computed(self) -> bool:
        """Whether a p-interval was obtained."""
        return self.p_min is not None and self.p_max is not None

    def to_dict(self) -> dict:
        """JSON-ready form (NaN becomes None)."""
        return {key: _clean(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Effect:
    """An effect size with its confidence interval, at the printed values.

    ``measure`` is ``MD`` (mean difference), ``SMD`` (Hedges' g), ``RD``, ``RR`` or ``OR``;
    ``method`` says how the interval was made.
    """

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    level: float = 0.95
    method: str = ""
    note: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {key: _clean(value) for key, value in asdict(self).items()}


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, tuple):
        return [_clean(item) for item in value]
    return value
