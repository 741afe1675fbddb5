"""Result records shared by every rebuilt test: one :class:`SpecResult` per test specification."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass

from reanalyse.kernels.pvalues import significant

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
    if significant(p_max, alpha):
        return True
    if not significant(p_min, alpha):
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
    p_other : tuple of float or None
        The smallest and largest p of a second reading of the same printed numbers (the p of a
        printed estimate with its CI's width, beside the p of the CI's centre), against which
        a printed p is judged too (:attr:`p_span`); it never decides ``significant``.
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
    p_other: tuple[float, float] | None = None

    @property
    def computed(self) -> bool:
        """Whether a p-interval was obtained."""
        return self.p_min is not None and self.p_max is not None

    @property
    def p_span(self) -> tuple[float | None, float | None]:
        """``(p_min, p_max)`` widened by :attr:`p_other`: the range a printed p is judged
        against."""
        if self.p_other is None or self.p_min is None:
            return self.p_min, self.p_max
        return min(self.p_min, self.p_other[0]), max(self.p_max, self.p_other[1])

    def to_dict(self) -> dict:
        """JSON-ready form (NaN becomes None)."""
        return fields_dict(self)


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
        return fields_dict(self)


def clean(value):
    """A JSON-ready copy: dataclasses via their ``to_dict``, tuples as lists, NaN/inf as None."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (tuple, list)):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if is_dataclass(value) and hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "item") and not isinstance(value, bytes):  # numpy scalars
        return clean(value.item())
    return value


def fields_dict(record) -> dict:
    """A frozen record's fields, each made JSON-ready by :func:`clean`."""
    return {field.name: clean(getattr(record, field.name)) for field in fields(record)}
