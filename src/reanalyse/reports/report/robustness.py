"""The robustness analyses in words: the study's baseline balance once, then each claim's."""

from __future__ import annotations

import dataclasses

from reanalyse.reports.markup import Html, badge, escape, wrap
from reanalyse.reports.report.cutoffs import _cutoff_analysis, cutoff_takeaway
from reanalyse.text import sentence

__all__ = ["robustness", "robustness_section"]


def _robustness_lines(check, study) -> list[str]:
    """The claim's own robustness sentences (the study-wide baseline balance left out: it is
    shown once, by :func:`robustness_section`)."""
    sensitivity = check.sensitivity
    if sensitivity is None:
        return []
    from reanalyse.sensitivity import ANALYSES

    continuous = study.outcome(check.claim.outcome).type == "continuous"
    lines = []
    for name in ANALYSES:
        result = getattr(sensitivity, name, None)
        if name == "baseline" or result is None or not getattr(result, "computed", False):
            continue
        if name == "allowance" and continuous and getattr(result, "counts", None) is not None:
            # event counts say nothing about a continuous outcome
            result = dataclasses.replace(result, counts=None)
        if name == "cutoff" and _cutoff_analysis(check) is not None:
            takeaway = cutoff_takeaway(result)
            if takeaway:
                lines.append(takeaway + " (The bands and datasets are shown with the claim.)")
        elif result.explanation:
            lines.append(sentence(result.explanation))
    return lines + [sentence(note) for note in sensitivity.notes]


def _baseline_line(result) -> str | None:
    for check in result.claims:
        baseline = getattr(check.sensitivity, "baseline", None)
        if baseline is not None and getattr(baseline, "computed", False):
            return sentence(baseline.explanation)
    return None


def robustness(check, study=None) -> Html | None:
    """The claim's robustness sentences as a list, when it has any.

    Parameters
    ----------
    check : ClaimCheck
    study : Study, optional
        Tells a continuous outcome from a binary one (count-based lines are left out of a
        continuous claim); without it every line is shown.
    """
    if study is None:
        sensitivity = check.sensitivity
        if sensitivity is None:
            return None
        from reanalyse.sensitivity import ANALYSES

        lines = [sentence(getattr(sensitivity, name).explanation) for name in ANALYSES
                 if getattr(getattr(sensitivity, name, None), "computed", False)]
        lines += [sentence(note) for note in sensitivity.notes]
    else:
        lines = _robustness_lines(check, study)
    if not lines:
        return None
    return wrap("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")


def robustness_section(result, study) -> Html:
    """What the printed numbers allow, for the study once (baseline balance) and per claim."""
    parts = ["<h2>Robustness</h2>"]
    baseline = _baseline_line(result)
    if baseline is not None:
        parts.append(f"<p><strong>Baseline balance.</strong> {escape(baseline)}</p>")
    for check in result.claims:
        lines = _robustness_lines(check, study)
        parts.append(f"<h3>{escape(check.claim.id)} {badge(check.verdict.value)}</h3>")
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
                     if lines else '<p class="rea-muted">No robustness analysis applies.</p>')
    return wrap("".join(parts))
