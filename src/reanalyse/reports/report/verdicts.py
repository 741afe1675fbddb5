"""The report's opening: the bottom line, the verdict table (which carries the check's JSON for
``reanalyse run``) and the legend of the verdicts.
"""

from __future__ import annotations

from reanalyse.claims.labels import VERDICT_LABELS
from reanalyse.model.vocabulary import CHECK_MIMETYPE
from reanalyse.reports.markup import Html, badge, escape, legend, scroll, wrap
from reanalyse.reports.paths import display_path
from reanalyse.reports.report.cutoffs import cutoff_finding
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
    claim with exact bounds beyond a cut-off, what they say too (every claim on the outcome
    says it: a reader of one line needs no other)."""
    items = []
    for check in result.claims:
        text = escape(sentence(check.reason))
        finding = cutoff_finding(check)
        if finding:
            text += f" {escape(finding)}"
        items.append(f"<li><strong>{escape(check.claim.id)}</strong> {badge(check.verdict.value)}"
                     f"{_adjustment_flag(check)} {text}</li>")
    return f'<ul class="rea-bottom-line">{"".join(items)}</ul>'


def file_remarks_html(study, analysis=None) -> str:
    """What the study file says against itself, or reads by a rule, before anything else: the
    file and line (relative to the project), the fields to check, what disagrees."""
    if not study.remarks:
        return ""
    root = analysis.root if analysis is not None else None
    items = []
    for remark in study.remarks:
        where = display_path(remark.path, root) if root is not None else remark.path.name
        where += f":{remark.line}" if remark.line else ""
        about = f"<strong>{escape(remark.claim)}</strong>: " if remark.claim else ""
        check = f" ({escape(remark.check_text())})" if remark.kind == "conflict" else ""
        items.append(f"<li>{about}{escape(remark.message)}{check}. "
                     f'<span class="rea-muted">{escape(where)}</span></li>')
    conflicts = any(remark.kind == "conflict" for remark in study.remarks)
    lead = ("Fields of the study file disagree with each other: check them against the paper. "
            "If the paper itself prints both, the verdicts below stand on the file as written."
            if conflicts else "Numbers the study file gives were read by a rule:")
    return (f'<div class="rea-file-remarks"><h2>Check the study file</h2><p>{lead}</p>'
            f"<ul>{''.join(items)}</ul></div>")


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
        data["path"] = (display_path(data["path"], analysis.root)
                        if analysis is not None and analysis.root is not None
                        else study.path.name if study.path is not None else None)
    shown = {check.verdict.value for check in result.claims} | set((expected or {}).values())
    body = (study_header(study, analysis).text + '<div class="rea">'
            + file_remarks_html(study, analysis)
            + f"<h2>Bottom line</h2>{bottom_line(result)}"
            + '<h2>Verdicts</h2><div class="rea-verdicts-legend">'
            + _verdict_table_html(result, expected) + legend(shown) + "</div></div>")
    return VerdictTable(body, data)


def glossary() -> Html:
    """What each verdict means, with its badge."""
    return wrap(legend())
