"""Exact bounds beyond a cut-off, as a report shows them: one sentence, the bands per arm, every
bound in words; shown once per outcome.
"""

from __future__ import annotations

from reanalyse.reports.markup import Html, escape, wrap
from reanalyse.reports.report.figures import figure_svg
from reanalyse.text import join_and, sentence

__all__ = ["cutoff_takeaway", "cutoff_finding", "cutoff_section"]


def _cutoff_analysis(check):
    """The claim's exact bounds beyond a cut-off, when computed for a binary claim."""
    analysis = getattr(check.sensitivity, "cutoff", None) if check.sensitivity else None
    if analysis is None or not getattr(analysis, "computed", False) \
            or analysis.outcome_type != "binary":
        return None
    return analysis


def _cut(bounds) -> str:
    return f"{bounds.direction} {float(bounds.cutoff):g}"


def cutoff_takeaway(analysis) -> str | None:
    """What the exact bounds beyond a cut-off say, in one plain sentence (read from the
    :class:`~reanalyse.sensitivity.cutoff.CutoffAnalysis`, never recomputed).

    An impossibility when there is one; at a stated cut-off, the range each arm allows; with no
    stated cut-off, the cut-offs at which the printed counts fit their means and SDs, and what
    the conventional cut-offs they exclude would allow.
    """
    from reanalyse.kernels.cutoffs import WORDS
    from reanalyse.kernels.cutoffs import score_runs

    if analysis is None:
        return None
    if analysis.impossible_reasons:
        return sentence("exact bounds: " + "; ".join(analysis.impossible_reasons))
    arms = [arm for arm in analysis.arms if arm.feasible]
    if not arms:
        return None
    stated = [arm for arm in arms if arm.stated is not None and arm.stated.determined]
    if stated:
        return sentence(f"at the stated cut-off ({_cut(stated[0].stated)}) the printed means "
                         "and SDs allow " + join_and(
                             (f"exactly {arm.stated.count_min}"
                              if arm.stated.count_min == arm.stated.count_max
                              else f"{arm.stated.count_min} to {arm.stated.count_max}")
                             + f" of {arm.n} "
                             f"({arm.label}, printed {arm.printed.split(' of ')[0]})"
                             for arm in stated))
    swept = analysis.swept
    if not swept:
        return None
    words = WORDS[analysis.relation]
    fitting = set(analysis.fitting_together)
    printed = join_and(arm.printed for arm in swept)
    together = " together" if len(swept) > 1 else ""
    counts = "the printed counts " if len(swept) > 1 else ""
    means = "means and SDs" if len(swept) > 1 else "mean and SD"
    if fitting:
        text = (f"{counts}{printed} fit{'' if len(swept) > 1 else 's'} the printed {means}"
                f"{together} only if the cut-off is {score_runs(sorted(fitting))} (counting scores "
                f"{words} it)")
    else:
        text = (f"no single cut-off of the scale lets {counts}{printed} fit the printed "
                f"{means}")
    excluded = []
    for index, bounds in enumerate(swept[0].candidates):
        if bounds.cutoff in fitting:
            continue
        per_arm = [arm.candidates[index] for arm in swept if len(arm.candidates) > index]
        if not all(b.determined and b.feasible for b in per_arm):
            continue
        allowed = join_and(f"{b.count_max} of {arm.n}" + (f" ({arm.label})" if len(swept) > 1
                                                      else "")
                       for arm, b in zip(swept, per_arm))
        excluded.append(f"at the conventional {_cut(bounds)} at most {allowed} could be")
    if excluded:
        text += "; " + "; ".join(excluded)
    return sentence(text)


def cutoff_finding(check) -> str | None:
    """What a claim's exact bounds beyond a cut-off say (:func:`cutoff_takeaway`), unless its
    verdict's reason says it already: the one sentence the bottom line, the claim's paragraph
    (:func:`~reanalyse.reports.report.prose.explain`) and the claim's section all use."""
    analysis = _cutoff_analysis(check)
    takeaway = cutoff_takeaway(analysis)
    if not takeaway or any(reason in check.reason for reason in analysis.impossible_reasons):
        return None
    return takeaway


def cutoff_section(check) -> Html | None:
    """Exact bounds beyond a cut-off, for a claim whose sensitivity has them: what to take
    from them in one sentence, how to read the pictures, per arm the band of possible counts at
    every cut-off with the printed count marked and two witness datasets
    (:func:`reanalyse.reports.plots.cutoff_band_plot`), and every bound in words (collapsed)."""
    analysis = _cutoff_analysis(check)
    if analysis is None:
        return None
    from reanalyse.reports import plots

    parts = ["<h4>What the printed means and SDs allow beyond a cut-off</h4>"]
    takeaway = cutoff_takeaway(analysis)
    if takeaway:
        parts.append(f'<p class="rea-plain">{escape(takeaway)}</p>')
    parts.append(
        '<p class="rea-muted">Exact bounds, not a model: over every dataset of whole scale '
        "scores whose mean and SD print as the paper's, the fewest and the most participants "
        "beyond each cut-off. Green bars are the cut-offs at which the printed count is "
        "possible, grey ones those at which it is not; the blue line is the printed count. "
        "Below each band, the two datasets that attain its ends at one cut-off (blue: the "
        "scores counted), so anyone can recompute their mean, SD and count.</p>")
    for arm in analysis.arms:
        figure = plots.cutoff_band_plot(analysis, arm)
        if figure is not None:
            parts.append(figure_svg(figure, f"possible counts beyond each cut-off for "
                                            f"{arm.label}, with the printed {arm.printed} "
                                            "marked, and two datasets that fit the printed "
                                            "mean and SD").text)
    parts.append('<details class="rea-details"><summary>Every bound in words</summary>'
                 f"<p>{escape(analysis.explanation)}</p></details>")
    return wrap("".join(parts))


def _cutoff_owners(result, study) -> dict:
    """Claim id -> the id of the first claim on the same outcome and arms with exact cut-off
    bounds (itself for that first claim): the bounds are shown there once."""
    first: dict = {}
    owners = {}
    for check in result.claims:
        if _cutoff_analysis(check) is None:
            continue
        key = (check.claim.outcome, tuple(study.claim_arms(check.claim)))
        owners[check.claim.id] = first.setdefault(key, check.claim.id)
    return owners
