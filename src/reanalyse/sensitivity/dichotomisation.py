"""Coherence of a binary outcome that is a cut-off of a continuous one.

When a paper prints both the mean score of a scale and the proportion of participants beyond a
cut-off of the same scale (a depression scale's "clinical range"), the two must tell a compatible
story.  Two checks:

* :func:`implied_proportion`: the proportion beyond the cut-off that an arm's mean and SD imply,
  under a normal model and under a beta distribution stretched over the scale's bounds (a model
  that respects the bounds: a normal with a mean near the floor puts mass below it).  For scores
  in steps (whole numbers, or means of integer items), ``score_step`` applies the continuity
  correction: ``>= 13`` on integer scores is read as ``> 12.5``.
* :func:`dichotomisation_coherence`: the reverse.  Under a normal model with each arm's printed
  SD, the printed proportions beyond the cut-off imply each arm's mean (mean = threshold +
  SD * z(p) for an upper-tail cut-off); their difference is the mean difference the proportions
  imply.  It is set against the printed means' difference and its confidence interval: outside
  that interval the two results do not cohere, and a significant difference in proportions beside
  a non-significant difference in means (or the reverse) is then hard to explain by the
  dichotomisation alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from reanalyse.rebuild.continuous import ArmBox, mean_difference
from reanalyse.kernels.cutoffs import Cutoff, parse_cutoff
from reanalyse.kernels.pformat import format_p
from reanalyse.sensitivity._common import clean, fmt, record_dict

__all__ = ["ImpliedProportion", "implied_proportion", "DichotomisationResult",
           "dichotomisation_coherence"]


@dataclass(frozen=True)
class ImpliedProportion:
    """The proportion beyond a cut-off implied by a mean and SD.

    Attributes
    ----------
    mean, sd : float
        The arm's summary.
    cutoff : Cutoff
    threshold : float
        The cut-off after the continuity correction (if any).
    normal : float
        Under a normal distribution with this mean and SD.
    bounded : float or None
        Under a beta distribution on [scale_min, scale_max] with this mean and SD; None when the
        bounds are unknown or no such distribution exists (``bounded_note`` says why).
    """

    mean: float
    sd: float
    cutoff: Cutoff
    threshold: float
    normal: float
    bounded: float | None
    bounded_note: str | None = None

    @property
    def explanation(self) -> str:
        """One sentence."""
        text = (f"A mean of {fmt(self.mean)} with SD {fmt(self.sd)} puts "
                f"{100 * self.normal:.1f}% {self.cutoff} under a normal model")
        if self.bounded is not None:
            text += f" and {100 * self.bounded:.1f}% under a beta model within the scale's bounds"
        return text + "."

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = record_dict(self)
        data["cutoff"] = str(self.cutoff)
        return clean(data)


def _beta_parameters(mean, sd, scale_min, scale_max):
    """Method-of-moments beta on [scale_min, scale_max], or (None, reason)."""
    width = scale_max - scale_min
    location = (mean - scale_min) / width
    variance = (sd / width) ** 2
    if not 0 < location < 1:
        return None, "the mean lies on a bound of the scale"
    ceiling = location * (1 - location)
    if variance >= ceiling:
        return None, (f"an SD of {fmt(sd)} is too large for a distribution on the scale with "
                      f"mean {fmt(mean)}")
    common = ceiling / variance - 1
    return (location * common, (1 - location) * common), None


def implied_proportion(mean: float, sd: float, cutoff: Cutoff | str, *,
                       scale_min: float | None = None, scale_max: float | None = None,
                       score_step: float | None = None) -> ImpliedProportion:
    """Proportion of an arm beyond ``cutoff`` implied by its mean and SD.

    Parameters
    ----------
    mean, sd : float
        The arm's printed mean and SD.
    cutoff : Cutoff or str
        E.g. ``">= 13"``.
    scale_min, scale_max : float, optional
        The scale's bounds, for the bounded (beta) model.
    score_step : float, optional
        Spacing of possible scores (1 for a sum of integer items) for the continuity
        correction; None treats scores as continuous.

    Returns
    -------
    ImpliedProportion
    """
    cutoff = parse_cutoff(cutoff) if isinstance(cutoff, str) else cutoff
    if not sd > 0:
        raise ValueError(f"sd must be positive, got {sd!r}")
    threshold = cutoff.threshold(score_step)
    tail = stats.norm.sf if cutoff.upper_tail else stats.norm.cdf
    normal = float(tail(threshold, loc=mean, scale=sd))
    bounded, note = None, None
    if scale_min is None or scale_max is None:
        note = "the scale's bounds are not given"
    else:
        parameters, note = _beta_parameters(mean, sd, scale_min, scale_max)
        if parameters is not None:
            x = (threshold - scale_min) / (scale_max - scale_min)
            beta_tail = stats.beta.sf if cutoff.upper_tail else stats.beta.cdf
            bounded = float(beta_tail(x, *parameters))
    return ImpliedProportion(mean, sd, cutoff, threshold, normal, bounded, note)


@dataclass(frozen=True)
class DichotomisationResult:
    """Whether the printed proportions beyond a cut-off cohere with the printed means.

    Attributes
    ----------
    cutoff : Cutoff
    treat_implied, control_implied : ImpliedProportion
        Proportions implied by each arm's mean and SD.
    treat_proportion, control_proportion : float
        The printed proportions.
    implied_treat_mean, implied_control_mean : float
        Means implied by the printed proportions (normal model, each arm's SD).
    implied_difference : float
        ``implied_treat_mean - implied_control_mean``.
    implied_p : float
        Student's t-test p at the implied means with the printed SDs and n.
    printed_difference : float
        The printed means' difference (treat - control).
    printed_ci : tuple of float
        Its pooled-variance confidence interval at ``confidence_level``.
    pooled_sd : float
        For the implied difference in SD units.
    """

    cutoff: Cutoff
    treat_implied: ImpliedProportion
    control_implied: ImpliedProportion
    treat_proportion: float
    control_proportion: float
    implied_treat_mean: float
    implied_control_mean: float
    implied_difference: float
    implied_p: float
    printed_difference: float
    printed_ci: tuple[float, float]
    confidence_level: float
    pooled_sd: float

    computed = True

    @property
    def implied_smd(self) -> float:
        """The implied mean difference in pooled-SD units."""
        return self.implied_difference / self.pooled_sd

    @property
    def coheres(self) -> bool:
        """Whether the implied mean difference lies in the printed difference's interval."""
        low, high = self.printed_ci
        return bool(low <= self.implied_difference <= high)

    def _ci_text(self) -> str:
        low, high = self.printed_ci
        return (f"the {100 * self.confidence_level:g}% CI of the printed mean difference of "
                f"{fmt(self.printed_difference)} ({fmt(low)} to {fmt(high)})")

    @property
    def explanation(self) -> str:
        """One sentence: what the proportions imply and whether it fits the means."""
        verdict = ("inside" if self.coheres else "outside")
        return (f"The printed proportions {self.cutoff} ({100 * self.treat_proportion:.1f}% vs "
                f"{100 * self.control_proportion:.1f}%) imply a mean difference of "
                f"{fmt(self.implied_difference)} ({fmt(self.implied_smd)} SD; a t-test would give "
                f"p = {format_p(self.implied_p)}) under a normal model with each arm's SD, "
                f"{verdict} {self._ci_text()}, while the printed means and SDs imply "
                f"{100 * self.treat_implied.normal:.1f}% vs {100 * self.control_implied.normal:.1f}%"
                f" {self.cutoff}.")

    @property
    def fragile_reason(self) -> str | None:
        """A clause for the verdict when the two results do not cohere, else None."""
        if self.coheres:
            return None
        return (f"the printed proportions {self.cutoff} imply a mean difference of "
                f"{fmt(self.implied_difference)}, outside {self._ci_text()}")

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = record_dict(self)
        data.update(computed=True, cutoff=str(self.cutoff), implied_smd=self.implied_smd,
                    coheres=self.coheres, fragile_reason=self.fragile_reason)
        return clean(data)


def _implied_mean(proportion, sd, threshold, upper_tail):
    z = stats.norm.ppf(proportion)
    return threshold + sd * z if upper_tail else threshold - sd * z


def dichotomisation_coherence(treat_mean: float, treat_sd: float, treat_n: int,
                              control_mean: float, control_sd: float, control_n: int,
                              treat_proportion: float, control_proportion: float,
                              cutoff: Cutoff | str, *, scale_min: float | None = None,
                              scale_max: float | None = None, score_step: float | None = None,
                              confidence_level: float = 0.95) -> DichotomisationResult:
    """Set the printed proportions beyond a cut-off against the printed means and SDs.

    Parameters
    ----------
    treat_mean, treat_sd, treat_n, control_mean, control_sd, control_n : float, int
        The continuous outcome's printed summaries.
    treat_proportion, control_proportion : float
        The printed proportions (0 to 1) beyond the cut-off.  A proportion of 0 or 1 has no
        finite normal quantile; it is moved half a participant inside (0.5 / n).
    cutoff : Cutoff or str
        E.g. ``">= 13"``.
    scale_min, scale_max, score_step
        See :func:`implied_proportion`.
    confidence_level : float
        Of the printed mean difference's interval.

    Returns
    -------
    DichotomisationResult
    """
    cutoff = parse_cutoff(cutoff) if isinstance(cutoff, str) else cutoff
    implied = [implied_proportion(mean, sd, cutoff, scale_min=scale_min, scale_max=scale_max,
                                  score_step=score_step)
               for mean, sd in ((treat_mean, treat_sd), (control_mean, control_sd))]
    threshold = cutoff.threshold(score_step)
    means = []
    for proportion, sd, n in ((treat_proportion, treat_sd, treat_n),
                              (control_proportion, control_sd, control_n)):
        if not 0 <= proportion <= 1:
            raise ValueError(f"a proportion lies between 0 and 1, got {proportion!r}")
        inside = min(max(proportion, 0.5 / n), 1 - 0.5 / n)
        means.append(_implied_mean(inside, sd, threshold, cutoff.upper_tail))
    implied_p = float(stats.ttest_ind_from_stats(means[0], treat_sd, treat_n, means[1],
                                                 control_sd, control_n).pvalue)
    treat_box = ArmBox(treat_n, treat_mean, treat_mean, treat_mean, treat_sd, treat_sd, treat_sd)
    control_box = ArmBox(control_n, control_mean, control_mean, control_mean, control_sd,
                         control_sd, control_sd)
    printed = mean_difference(treat_box, control_box, confidence_level=confidence_level)
    pooled_sd = math.sqrt(((treat_n - 1) * treat_sd**2 + (control_n - 1) * control_sd**2)
                          / (treat_n + control_n - 2))
    return DichotomisationResult(
        cutoff, implied[0], implied[1], treat_proportion, control_proportion, means[0], means[1],
        means[0] - means[1], implied_p, printed.estimate, (printed.ci_low, printed.ci_high),
        confidence_level, pooled_sd)
