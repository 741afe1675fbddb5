"""p-values rebuilt from what a paper printed as its result: a test statistic, or an estimate's CI.

``reported_statistic``
    The p a printed statistic gives with its degrees of freedom (t, F, chi2, z, r), over the
    rounding interval of the statistic (and of the df, when printed with decimals; see
    :mod:`reanalyse.kernels.statistic_p`), as statcheck
    defines consistency (Nuijten et al. 2016): a printed p is consistent when some statistic
    that rounds to the printed one gives a p that rounds to (or satisfies) the printed p.
    Differences from statcheck: a one-sided p is taken as half the two-sided p only when the
    study file declares the claim one-sided (statcheck also looks for "one-tailed" in the text);
    ``p = .000`` is read as ``p < .0005`` and flagged in the note (statcheck counts it as an
    error); a p exactly at alpha counts as significant, as in statcheck.
``ci_to_p``
    The p implied by a printed confidence interval (Altman & Bland, BMJ 2011;343:d2090): its
    standard error is the width over 2 z (on the log scale for ratios), and p comes from the
    normal distribution, two ways: with the estimate taken as the interval's centre, and with
    the printed estimate itself.  The two agree when the printed estimate sits at the centre;
    when it does not (beyond rounding), the interval was not made as a symmetric Wald interval
    around it, which the spec's note says.  The spec's ``p_min``/``p_max`` are the centre's;
    the printed estimate's reading is kept beside them (``p_other``), and the printed p is
    judged against the range spanning both (``p_span``); the significance is read from the
    centre's p alone, because that p is below alpha exactly when the printed interval excludes
    the null, which is the significance the paper's interval states.
"""

from __future__ import annotations

import math

import numpy as np

from reanalyse.kernels.distributions import norm_ppf, norm_sf
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.printed import PrintedNumber, Rounding
from reanalyse.kernels.statistic_p import FAMILIES, df_interval, magnitude_interval, \
    statistic_p_interval
from reanalyse.rebuild.results import SpecResult, decide
from reanalyse.model import tests
from reanalyse.model.study import Estimate

__all__ = ["statistic_p", "ci_p", "ci_centre_z", "ci_estimate_z", "estimate_off_centre"]


def statistic_p(family: str, statistic: PrintedNumber, df: tuple[PrintedNumber, ...], *,
                rounding: Rounding | str, alternative: str = "two-sided",
                alpha: float = 0.05) -> SpecResult:
    """p from a printed statistic, over its interval under ``rounding``: one row of
    :func:`reanalyse.kernels.statistic_p.statistic_p_interval`, the kernel of the screens.

    Tests the hypothesis the statistic was computed for; ``alternative`` other than
    ``two-sided`` halves the two-sided p (t, z, r only), the direction being the claim's.

    Parameters
    ----------
    family : {"t", "F", "chi2", "z", "r"}
        Distribution of the statistic.
    statistic : PrintedNumber
        As printed (its sign is ignored: the direction is the claim's).
    df : tuple of PrintedNumber
        One df (t, chi2, r), two (F) or none (z).
    """
    needed = FAMILIES[family]
    if len(df) != needed:
        raise ValueError(f"a {family} statistic needs {needed} degree(s) of freedom, "
                         f"got {len(df)}")
    low, high = statistic.interval(rounding)
    magnitude = magnitude_interval(family, *np.array([[statistic.value], [low], [high]]))
    dfs = [df_interval(*np.array([[d.value], *([end] for end in d.interval(rounding))]),
                       d.decimals) for d in df]
    dfs += [(np.ones(1),) * 3] * (2 - len(dfs))
    p_min, p, p_max = (float(x[0]) for x in statistic_p_interval(
        np.array([family], dtype=object), *magnitude, *dfs, alternative != "two-sided"))
    return SpecResult(
        name=tests.REPORTED_STATISTIC, label=f"p from the printed {family} statistic",
        statistic=statistic.value, p=p, p_min=p_min, p_max=p_max,
        significant=decide(p_min, p_max, alpha), statistic_min=low, statistic_max=high,
        df=tuple(d.value for d in df), role="reported")


def ci_p(estimate: Estimate, *, rounding: Rounding | str, alpha: float = 0.05) -> SpecResult:
    """Two-sided p implied by a printed confidence interval (normal approximation), over the
    interval of each printed number under ``rounding``, from the interval's centre and from
    the printed estimate (see the module docstring).

    Tests H0: the measure equals its null value (1 for ratios, 0 for differences).
    """
    z_values = ci_centre_z(estimate, rounding)
    printed = ci_estimate_z(estimate, rounding)
    straddles = min(z_values) < 0 < max(z_values)
    # the p of both readings in one call: the centre's first, then the printed estimate's
    both = 2 * norm_sf(np.abs(np.array(z_values + (printed or []))))
    p, printed_p = both[:len(z_values)], both[len(z_values):]
    p_min, p_max = float(p.min()), 1.0 if straddles else float(p.max())
    significant = decide(p_min, p_max, alpha)
    note = estimate_off_centre(estimate, rounding)
    p_other = None
    if printed is not None:
        low = 0.0 if min(printed) < 0 < max(printed) else float(printed_p.min())
        high = 1.0 if min(printed) < 0 < max(printed) else float(printed_p.max())
        if not (math.isclose(low, p_min, rel_tol=1e-3)
                and math.isclose(high, p_max, rel_tol=1e-3)):
            ways = (f"p {_span(p_min, p_max)} from the interval's centre, {_span(low, high)} "
                    f"from the printed {estimate.measure} with the interval's width; the "
                    "printed p is judged against both, the significance read from the centre "
                    "(where the interval lies relative to the null)")
            note = ways if note is None else f"{note}; {ways}"
            p_other = (low, high)
    return SpecResult(
        name=tests.CI_TO_P, label=f"p implied by the {estimate.measure}'s {estimate.level:.0%} CI",
        statistic=float(z_values[0]), p=float(p[0]), p_min=p_min, p_max=p_max,
        significant=significant, statistic_min=float(min(z_values)),
        statistic_max=float(max(z_values)), role="reported", note=note, p_other=p_other)


def _span(low: float, high: float) -> str:
    low, high = format_p(low), format_p(high)
    return low if low == high else f"{low} to {high}"


def _scale(estimate: Estimate):
    return math.log if estimate.is_ratio else float


def _ends(estimate: Estimate, rounding):
    """The printed CI ends first, then every corner of their rounding intervals (a ratio's
    lower end kept above 0: an end at or below 0 is replaced by its interval's upper end)."""
    low, high = estimate.ci
    (low_lower, low_upper), (high_lower, high_upper) = low.interval(rounding), \
        high.interval(rounding)
    corners = [(low.value, high.value)] + [(lo, hi) for lo in (low_lower, low_upper)
                                           for hi in (high_lower, high_upper)]
    if estimate.is_ratio:  # a printed 0.00 stands for (0, 0.005]: its upper end is used
        corners = [(lo if lo > 0 else low_upper, hi) for lo, hi in corners]
    return corners


def ci_centre_z(estimate: Estimate, rounding: Rounding | str) -> list[float]:
    """z of the interval's centre over its rounding corners (the printed numbers first)."""
    z_crit = norm_ppf((1 + estimate.level) / 2)
    transform = _scale(estimate)
    values = []
    for lo, hi in _ends(estimate, rounding):
        t_lo, t_hi = transform(lo), transform(hi)
        values.append(z_crit * (t_lo + t_hi) / (t_hi - t_lo) if t_hi > t_lo else math.inf)
    return values


def ci_estimate_z(estimate: Estimate, rounding: Rounding | str) -> list[float] | None:
    """z of the printed estimate with the interval's width, over the rounding corners of the
    estimate and both ends (the printed numbers first); None without a printed estimate."""
    if estimate.value is None or (estimate.is_ratio and estimate.value.value <= 0):
        return None
    z_crit = norm_ppf((1 + estimate.level) / 2)
    transform = _scale(estimate)
    values = [estimate.value.value, *estimate.value.interval(rounding)]
    if estimate.is_ratio:
        values = [v if v > 0 else estimate.value.value for v in values]
    found = []
    for lo, hi in _ends(estimate, rounding):
        width = transform(hi) - transform(lo)
        found += [2 * z_crit * transform(v) / width if width > 0 else math.inf for v in values]
    return found


def estimate_off_centre(estimate: Estimate, rounding: Rounding | str) -> str | None:
    """A sentence when the printed estimate cannot be the centre of its printed interval (the
    printed numbers read under ``rounding``)."""
    if estimate.value is None or estimate.ci is None:
        return None
    low, high = estimate.ci
    (low_lower, low_upper), (high_lower, high_upper) = low.interval(rounding), \
        high.interval(rounding)
    if estimate.is_ratio:
        centre_low = math.sqrt(max(low_lower, 1e-300) * high_lower)
        centre_high = math.sqrt(low_upper * high_upper)
        centre = math.sqrt(low.value * high.value)
        scale = "geometric "
    else:
        centre_low = (low_lower + high_lower) / 2
        centre_high = (low_upper + high_upper) / 2
        centre = (low.value + high.value) / 2
        scale = ""
    value_lower, value_upper = estimate.value.interval(rounding)
    if value_upper < centre_low or value_lower > centre_high:
        return (f"the printed {estimate.measure} {estimate.value} is not the {scale}centre of its "
                f"interval ({centre:.3g}), so the interval is not a symmetric Wald interval "
                "around it")
    return None
