"""The report's opening: the bottom line, the verdict table (which carries the check's JSON for
``reanalyse run``) and the legend of the verdicts.
"""

from __future__ import annotations

from reanalyse.claims.labels import VERDICT_LABELS
from reanalyse.model.vocabulary import CHECK_MIMETYPE
from reanalyse.reports.markup import Html, badge, escape, legend, scroll, wrap
from reanalyse.reports.paths import display_path, project_root
from reanalyse.reports.report.cutoffs import _cutoff_analysis, _cutoff_owners, cutoff_takeaway
from reanalyse.reports.report.header import study_header
from reanalyse.text import sentence

__all__ = ["VerdictTable", "verdict_table", "bottom_line", "summary", "glossary"]


class VerdictTable(Html):
    """The verdict table; also carries the check's JSON for ``reanalyse run`` to read."""

    def __init__(self, text: str, data: dict):
        super().__init__(text)
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        plain = "\n".join(f"{claim['id']}: {VERDICT_LABELS.get(claim['verdict'], claim['verdict'])}"
                          for claim in self.data["claims"])
        return {"text/html": self.text, "text/plain": plain, CHECK_MIMETYPE: self.data}


def _verdict_table_html(result, expected: dict | None) -> str:
    head = "<th>Claim</th><th>Verdict</th><th>Why</th>"
    if expected:
        head += "<th>Recorded verdict</th>"
    rows = []
    for check in result.claims:
        claim = check.claim
        verdict = check.verdict.value
        cells = [f"<td><strong>{escape(claim.id)}</strong><br>"
                 f'<span class="rea-muted">{escape(claim.text)}</span></td>',
                 f"<td>{badge(verdict)}{_adjustment_flag(check)}</td>",
                 f"<td>{escape(check.reason)}</td>"]
        if expected:
            recorded = expected.get(claim.id)
            if recorded is None:
                cells.append('<td class="rea-changed">none recorded</td>')
            elif recorded != verdict:
                cells.append(f'<td class="rea-changed">{badge(recorded)}<br>changed</td>')
            else:
                cells.append("<td>same</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return scroll(f'<table class="rea-table rea-verdicts rea-stack"><thead><tr>{head}</tr>'
                   f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _adjustment_flag(check) -> str:
    """A mark beside the verdict when the claim's significance rests on adjustment (every
    unadjusted test rebuilt from the printed summaries says the opposite)."""
    if not getattr(check, "rests_on_adjustment", False):
        return ""
    return (' <span class="rea-flag" title="every unadjusted test rebuilt from the printed '
            'summaries disagrees with the adjusted result">rests on adjustment</span>')


def verdict_table(result, expected: dict | None = None) -> VerdictTable:
    """One row per claim: the claim, its verdict badge and reason (and the recorded verdict).

    Parameters
    ----------
    result : StudyCheck
    expected : dict, optional
        Claim id -> the verdict the team recorded; a differing verdict is marked.
    """
    return VerdictTable(f'<div class="rea">{_verdict_table_html(result, expected)}</div>',
                        result.to_dict())


def bottom_line(result) -> str:
    """One sentence per claim: its verdict and the verdict's reason (never re-decided); for a
    claim with exact bounds beyond a cut-off, what they say too (for the first claim on an
    outcome; a later one refers to it)."""
    owners = _cutoff_owners(result, result.study)
    items = []
    for check in result.claims:
        text = escape(sentence(check.reason))
        owner = owners.get(check.claim.id)
        takeaway = cutoff_takeaway(_cutoff_analysis(check)) if owner == check.claim.id else None
        analysis = _cutoff_analysis(check)
        if takeaway and not any(reason in check.reason for reason in analysis.impossible_reasons):
            text += f" {escape(takeaway)}"
        elif owner is not None and owner != check.claim.id:
            text += f" The same cut-off bounds as for {escape(owner)} apply."
        items.append(f"<li><strong>{escape(check.claim.id)}</strong> {badge(check.verdict.value)}"
                     f"{_adjustment_flag(check)} {text}</li>")
    return f'<ul class="rea-bottom-line">{"".join(items)}</ul>'


def summary(result, study, analysis=None) -> VerdictTable:
    """The report's opening: the title, one sentence per claim, and the verdict table with the
    legend of the verdicts it shows beside it.

    Also carries the check's JSON (:data:`CHECK_MIMETYPE`), with the study file's path
    relative to the project.

    Parameters
    ----------
    result : StudyCheck
    study : Study
    analysis : Analysis, optional
        Gives the title, the recorded verdicts, and the project the paths are relative to.
    """
    expected = analysis.expected if analysis is not None else None
    data = result.to_dict()
    if data.get("path") is not None:
        data["path"] = (display_path(data["path"], project_root(analysis.path))
                        if analysis is not None and analysis.path is not None
                        else study.path.name if study.path is not None else None)
    shown = {check.verdict.value for check in result.claims} | set((expected or {}).values())
    body = (study_header(study, analysis).text + '<div class="rea">'
            + f"<h2>Bottom line</h2>{bottom_line(result)}"
            + '<h2>Verdicts</h2><div class="rea-verdicts-legend">'
            + _verdict_table_html(result, expected) + legend(shown) + "</div></div>")
    return VerdictTable(body, data)


def glossary() -> Html:
    """What each verdict means, with its badge."""
    return wrap(legend())
