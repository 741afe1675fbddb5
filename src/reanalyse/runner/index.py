"""The run's overview: ``index.html`` (one row per analysis) and ``verdicts.csv`` (one per claim).

The index is a single self-contained page (no scripts, no external resources) that an
evidence team can share with the report files beside it.  Every text that comes from an
analysis or a study file is escaped.
"""

from __future__ import annotations

import csv
import html
import io
import time
from urllib.parse import quote

from reanalyse.reports.report import BADGE_STYLE, VERDICT_LABELS, badge
from reanalyse.runner.outputs import PAGE_STYLE, write_atomic

__all__ = ["write_index", "write_verdicts_csv", "index_html", "verdicts_csv", "CSV_COLUMNS"]

CSV_COLUMNS = ("analysis", "study", "claim", "verdict", "expected", "matches_expected",
               "status", "reason")

_STATUS_TEXT = {"ran": "ran", "up_to_date": "up to date", "failed": "FAILED",
                "bad_input": "FAILED: bad input"}
_INDEX_STYLE = """
tr.failed td { background: #fff5f5; }
tr.failed td:first-child { border-left: 4px solid #cf222e; }
tr.changed td:first-child { border-left: 4px solid #bf8700; }
.claims { list-style: none; margin: 0; padding: 0; }
.claims li { margin: .15rem 0; }
.claim-id { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; }
.was { color: #57606a; font-size: .85em; }
.summary span { margin-right: 1rem; }
.files a { margin-right: .6rem; white-space: nowrap; }
footer { margin-top: 2rem; font-size: .85em; color: #57606a; }
"""


def _link(name: str | None, text: str) -> str:
    if not name:
        return ""
    return f'<a href="{html.escape(quote(name))}">{html.escape(text)}</a>'


def _claims_cell(run) -> str:
    if not run.verdicts:
        return '<span class="muted">no verdicts</span>'
    items = []
    for claim, verdict in run.verdicts.items():
        was = run.expected.get(claim)
        note = ""
        if was is None:
            note = ' <span class="was">(no recorded verdict)</span>'
        elif was != verdict:
            note = (f' <span class="was">(recorded: '
                    f'{html.escape(VERDICT_LABELS.get(was, was))})</span>')
        items.append(f'<li><span class="claim-id">{html.escape(claim)}</span> '
                     f'{badge(verdict)}{note}</li>')
    for claim, was in run.expected.items():
        if claim not in run.verdicts:
            items.append(f'<li><span class="claim-id">{html.escape(claim)}</span> '
                         f'<span class="was">recorded {html.escape(was)}, no longer in the '
                         f'study</span></li>')
    return '<ul class="claims">' + "".join(items) + "</ul>"


def _row(run) -> str:
    study = run.study or {}
    study_cell = html.escape(study.get("id") or "")
    if study.get("citation"):
        study_cell += f'<br><span class="muted">{html.escape(study["citation"])}</span>'
    status = f'<span class="status-{run.status}">{_STATUS_TEXT[run.status]}</span>'
    if run.error:
        status += f'<br>{html.escape(run.error.get("summary", ""))}'
    elif run.duration is not None:
        status += f'<br><span class="muted">{run.duration:.1f} s</span>'
    files = run.files
    if run.ok:
        links = [_link(files.get("html"), "report"), _link(files.get("notebook"), "notebook"),
                 _link(files.get("json"), "JSON")]
    else:
        links = [_link(files.get("failed_html"), "failure report"),
                 _link(files.get("failed_notebook"), "failed notebook")]
        if files.get("html"):
            links.append(_link(files["html"], "last good report (earlier inputs)"))
    classes = "failed" if not run.ok else ("changed" if run.changes else "")
    title = f'<br><span class="muted">{html.escape(run.title)}</span>' if run.title else ""
    return (f'<tr class="{classes}"><td><strong>{html.escape(run.name)}</strong>{title}</td>'
            f"<td>{study_cell}</td><td>{_claims_cell(run)}</td><td>{status}</td>"
            f'<td class="files">{"".join(link for link in links if link)}</td></tr>')


def index_html(runs, versions: dict) -> str:
    """The index page for ``runs`` (a sequence of :class:`~reanalyse.runner.batch.AnalysisRun`)."""
    counts = {status: sum(run.status == status for run in runs) for status in _STATUS_TEXT}
    failed = counts["failed"] + counts["bad_input"]
    changed = sum(len(run.changes) for run in runs)
    summary = [f"<span>{len(runs)} analyses</span>", f"<span>{counts['ran']} ran</span>",
               f"<span>{counts['up_to_date']} up to date</span>"]
    summary.append(f'<span class="status-failed">{failed} failed</span>' if failed
                   else "<span>0 failed</span>")
    summary.append(f"<span><strong>{changed} verdicts differ from the recorded ones"
                   f"</strong></span>" if changed else "<span>every verdict as recorded</span>")
    generated = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    software = ", ".join(f"{html.escape(name)} {html.escape(str(version))}"
                         for name, version in versions.items()
                         if version and name != "reanalyse_source")
    rows = "\n".join(_row(run) for run in runs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reanalysis reports</title>
<style>{PAGE_STYLE}{BADGE_STYLE}{_INDEX_STYLE}</style>
</head>
<body>
<h1>Reanalysis reports</h1>
<p class="summary">{"".join(summary)}</p>
<table id="verdicts">
<thead><tr><th>Analysis</th><th>Study</th><th>Verdict per claim</th><th>Status</th>
<th>Files</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer>Generated {html.escape(generated)} by reanalyse run. {software}.</footer>
</body>
</html>
"""


def write_index(path, runs, versions: dict) -> None:
    """Write :func:`index_html` to ``path`` atomically."""
    write_atomic(path, index_html(runs, versions))


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet reads as text, not as a formula.

    A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
    quote in front (OWASP's advice against CSV formula injection); the quote shows in a text
    editor, and a spreadsheet shows the text as written.
    """
    return "'" + text if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def verdicts_csv(runs) -> str:
    """One row per claim (:data:`CSV_COLUMNS`), every cell safe to open in a spreadsheet.

    A failed analysis has a row per recorded claim with an empty verdict (one row with an
    empty claim if none is recorded).  ``matches_expected`` is empty for a claim with no
    recorded verdict.  Lines end in CRLF (RFC 4180), so that a cell holding a line break of
    either kind is quoted.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        study = (run.study or {}).get("id") or ""
        if run.ok:
            claims = list(run.verdicts) + [c for c in run.expected if c not in run.verdicts]
        else:
            claims = list(run.expected) or [""]
        for claim in claims:
            verdict = run.verdicts.get(claim, "")
            expected = run.expected.get(claim, "")
            matches = "" if not run.ok or claim not in run.expected \
                else ("yes" if verdict == expected else "no")
            writer.writerow(_cell(str(value)) for value in (
                run.name, study, claim, verdict, expected, matches, run.status,
                run.reasons.get(claim, "")))
    return buffer.getvalue()


def write_verdicts_csv(path, runs) -> None:
    """Write :func:`verdicts_csv` to ``path`` atomically."""
    write_atomic(path, verdicts_csv(runs))
