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

from reanalyse.claims.labels import VERDICT_LABELS, verdict_label
from reanalyse.reports.markup import BADGE_STYLE, badge, legend
from reanalyse.reports.paths import scrub
from reanalyse.io import write_atomic
from reanalyse.runner.earlier import age
from reanalyse.runner.outputs import PAGE_STYLE
from reanalyse.runner.records import runs_phrase
from reanalyse.text import plural

__all__ = ["write_index", "write_verdicts_csv", "index_html", "verdicts_csv", "CSV_COLUMNS"]

CSV_COLUMNS = ("analysis", "study", "claim", "verdict", "expected", "matches_expected",
               "status", "reason", "last_run")

_STATUS_TEXT = {"ran": "ran", "up_to_date": "up to date", "failed": "FAILED",
                "bad_input": "FAILED: bad input", "earlier": "not in this run",
                "earlier_failed": "not in this run; FAILED when last run"}
_EARLIER = ("earlier", "earlier_failed")
_INDEX_STYLE = """
tr.failed td { background: #fff5f5; }
tr.failed td:first-child { border-left: 4px solid #cf222e; }
tr.changed td:first-child { border-left: 4px solid #bf8700; }
tr.earlier td { color: #424a53; }
.totals .rea-badge { margin-right: .25rem; }
.totals span { margin-right: .9rem; display: inline-block; }
ul.rea-legend { list-style: none; padding: 0; color: #57606a; font-size: .9em; }
ul.rea-legend li { margin: .35rem 0; }
.claims { list-style: none; margin: 0; padding: 0; }
.claims li { margin: .15rem 0; }
.claim-id { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; }
.was { color: #57606a; font-size: .85em; }
.review-tag { font-size: .75em; text-transform: uppercase; letter-spacing: .04em;
  color: #0969da; }
.summary span { margin-right: 1rem; display: inline-block; }
.files a { margin-right: .6rem; display: inline-block; }
footer { margin-top: 2rem; font-size: .85em; color: #57606a; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; }
  #verdicts, #verdicts tbody, #verdicts tr, #verdicts td { display: block; width: auto; }
  #verdicts thead { display: none; }
  #verdicts tr { border-bottom: 1px solid #d0d7de; padding: .5rem 0; }
  #verdicts td { border: 0; padding: .2rem 0; }
  #verdicts td[data-label]::before { content: attr(data-label); display: block;
    font-size: .75em; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
}
"""


def _scrubbed(text: str, runs) -> str:
    for root in {run.root for run in runs if run.root is not None}:
        text = scrub(text, root)
    return text


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
                    f'{html.escape(verdict_label(was))})</span>')
        reason = ""
        if run.kind == "review" and run.reasons.get(claim):
            reason = f'<br><span class="muted">{html.escape(run.reasons[claim])}</span>'
        items.append(f'<li><span class="claim-id">{html.escape(claim)}</span> '
                     f'{badge(verdict)}{note}{reason}</li>')
    for claim, was in run.expected.items():
        if claim not in run.verdicts:
            items.append(f'<li><span class="claim-id">{html.escape(claim)}</span> '
                         f'<span class="was">recorded {html.escape(verdict_label(was))}, no '
                         f'longer in the study</span></li>')
    return '<ul class="claims">' + "".join(items) + "</ul>"


def _row(run) -> str:
    study = run.study or {}
    # the study's id only where it is not the analysis's name already
    parts = [html.escape(study["id"])] if study.get("id") not in (None, run.name) else []
    if study.get("citation"):
        parts.append(f'<span class="muted">{html.escape(study["citation"])}</span>')
    study_cell = "<br>".join(parts)
    status = f'<span class="status-{run.status}">{_STATUS_TEXT[run.status]}</span>'
    if run.status in _EARLIER:
        status += f'<br><span class="muted">last run {html.escape(age(run.ran_at))}</span>'
    elif run.error:
        status += f'<br>{html.escape(run.error.summary)}'
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
    classes = " ".join(name for name, present in (
        ("failed", not run.ok), ("changed", run.ok and bool(run.changes)),
        ("earlier", run.status in _EARLIER)) if present)
    title = f'<br><span class="muted">{html.escape(run.title)}</span>' if run.title else ""
    if run.kind == "review":
        title = '<br><span class="review-tag">review</span>' + title
    return (f'<tr class="{classes}"><td data-label="Analysis"><strong>'
            f"{html.escape(run.name)}</strong>{title}</td>"
            f'<td data-label="Study">{study_cell}</td>'
            f'<td data-label="Verdict per claim">{_claims_cell(run)}</td>'
            f'<td data-label="Status">{status}</td>'
            f'<td class="files" data-label="Files">{"".join(link for link in links if link)}'
            "</td></tr>")


def index_html(runs, versions: dict) -> str:
    """The index page for ``runs`` (a sequence of :class:`~reanalyse.runner.batch.AnalysisRun`),
    with no absolute path of the machine in it (:func:`reanalyse.reports.paths.scrub`)."""
    return _scrubbed(_index_page(runs, versions), runs)


def _summary(runs) -> list[str]:
    """The index's opening counts: analyses by status, and verdicts against recorded ones."""
    counts = {status: sum(run.status == status for run in runs) for status in _STATUS_TEXT}
    failed = counts["failed"] + counts["bad_input"]
    changed = sum(len(run.changes) for run in runs)
    recorded = sum(claim in run.expected for run in runs if run.ok for claim in run.verdicts)
    new = sum(len(run.new_claims) for run in runs)
    summary = [f"<span>{runs_phrase(runs)}</span>",
               f"<span>{counts['ran']} ran</span>",
               f"<span>{counts['up_to_date']} up to date</span>"]
    summary.append(f'<span class="status-failed">{failed} failed</span>' if failed
                   else "<span>0 failed</span>")
    earlier = counts["earlier"] + counts["earlier_failed"]
    if earlier:
        summary.append(f"<span>{earlier} not in this run (shown as last run)</span>")
    if changed:
        summary.append(f"<span><strong>{plural(changed, 'verdict')} "
                       f"{'differs' if changed == 1 else 'differ'} from the recorded "
                       f"{'one' if changed == 1 else 'ones'}</strong></span>")
    elif recorded:
        summary.append(f"<span>{plural(recorded, 'recorded verdict')}, every one unchanged"
                       "</span>")
    else:
        summary.append("<span>no verdict recorded yet</span>")
    if new:
        summary.append(f"<span>{plural(new, 'claim')} with no recorded verdict</span>")
    return summary


def _totals(runs) -> str:
    """Claims per verdict over every analysis with verdicts, as badges, and the legend."""
    counts = {verdict: 0 for verdict in VERDICT_LABELS}
    for run in runs:
        if run.ok:
            for verdict in run.verdicts.values():
                counts[verdict] = counts.get(verdict, 0) + 1
    shown = [verdict for verdict, count in counts.items() if count]
    if not shown:
        return ""
    items = "".join(f"<span>{badge(verdict)} {counts[verdict]}</span>" for verdict in shown)
    total = sum(counts.values())
    return (f'<p class="totals" aria-label="Claims per verdict">{plural(total, "claim")}: '
            f"{items}</p>{legend(shown)}")


def _index_page(runs, versions: dict) -> str:
    summary = _summary(runs)
    generated = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    software = ", ".join(f"{html.escape(name)} {html.escape(str(version))}"
                         for name, version in versions.items()
                         if version and name != "reanalyse_source")
    software = f" {software}." if software else ""
    # reviews first, each with its bottom line (a verdict and reason per pooled line)
    rows = "\n".join(_row(run) for run in sorted(runs, key=lambda run: run.kind != "review"))
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
{_totals(runs)}
<div class="table-scroll">
<table id="verdicts">
<thead><tr><th>Analysis</th><th>Study</th><th>Verdict per claim</th><th>Status</th>
<th>Files</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
<footer>Generated {html.escape(generated)} by reanalyse run.{software}</footer>
</body>
</html>
"""


def write_index(path, runs, versions: dict) -> None:
    """Write :func:`index_html` to ``path`` atomically (no absolute path of the machine in it:
    see :func:`reanalyse.reports.paths.scrub`)."""
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

    Verdicts are written with their reader's labels (``insufficient information``);
    ``matches_expected`` is ``true`` or ``false``; ``last_run`` is when the verdict was
    computed (ISO 8601; for an analysis not in this run, status ``earlier``, its last run).

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
        last_run = "" if run.ran_at is None else time.strftime("%Y-%m-%dT%H:%M:%S%z",
                                                                time.localtime(run.ran_at))
        if run.ok:
            claims = list(run.verdicts) + [c for c in run.expected if c not in run.verdicts]
        else:
            claims = list(run.expected) or [""]
        for claim in claims:
            verdict = run.verdicts.get(claim, "")
            expected = run.expected.get(claim, "")
            matches = "" if not run.ok or claim not in run.expected \
                else ("true" if verdict == expected else "false")
            # each cell scrubbed of the machine's paths, then guarded: a guard put on first
            # would be taken off with a path in front of a formula
            writer.writerow(_cell(_scrubbed(str(value), runs)) for value in (
                run.name, study, claim, verdict and verdict_label(verdict),
                expected and verdict_label(expected), matches, run.status,
                run.reasons.get(claim, ""), last_run))
    return buffer.getvalue()


def write_verdicts_csv(path, runs) -> None:
    """Write :func:`verdicts_csv` to ``path`` atomically."""
    write_atomic(path, verdicts_csv(runs))
