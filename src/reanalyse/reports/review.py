"""What a review notebook shows, in reading order.

A review's report opens with its bottom line: the title, one sentence per pooled line (its
verdict and reason) and the verdict table with its legend (:func:`review_summary`).  Then each
pooled line (:func:`pool_section`): the forest plot, the printed pooled line beside the
rebuilt ones, leave-one-out, the pool without the studies whose numbers are impossible, and
the included study files' own verdicts.  The provenance closes it (:func:`review_provenance`).

Every number shown is read from a :class:`~reanalyse.reviews.check.ReviewCheck`; nothing is
computed or decided here.  :func:`review_summary` carries the check's JSON under
:data:`~reanalyse.reports.report.CHECK_MIMETYPE`, which ``reanalyse run`` reads.
"""

from __future__ import annotations

import html
import math

from reanalyse.kernels.pformat import format_p
from reanalyse.reports.markup import wrap
from reanalyse.reports.paths import display_path
from reanalyse.reports.report import (Html, VerdictTable, badge, figure_svg, legend,
                                      study_header)
from reanalyse.reports.report.header import file_fact, provenance_section, sources_fact

__all__ = ["review_summary", "pool_section", "pool_sections", "review_provenance",
           "printed_and_rebuilt", "leave_one_out_table"]

_NAMES = (("estimate", "Estimate"), ("ci", "95% CI"), ("statistic", "Z or t"), ("p", "P"),
          ("tau2", "Tau²"), ("q", "Chi² (Q)"), ("df", "df"), ("i2", "I²"))


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _scroll(table: str) -> str:
    return f'<div class="rea-scroll">{table}</div>'


def _n(value, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _relative(data: dict, analysis) -> dict:
    if analysis is None or analysis.path is None:
        return data
    root = analysis.root
    data = dict(data)
    data["path"] = display_path(data["path"], root)
    data["studies"] = {display_path(path, root): check
                       for path, check in data.get("studies", {}).items()}
    return data


def review_summary(result, analysis=None) -> VerdictTable:
    """The report's opening: the title, one sentence per pooled line, and the verdict table
    with the legend of the verdicts it shows.

    Parameters
    ----------
    result : ReviewCheck
    analysis : Analysis, optional
        Gives the title, the recorded verdicts and the project paths are shown from.
    """
    expected = analysis.expected if analysis is not None else {}
    items, rows = [], []
    for check in result.pools:
        verdict = check.verdict.value
        items.append(f"<li><strong>{_e(check.pool.label)}</strong> {badge(verdict)} "
                     f"{_e(_sentence(check.reason))}</li>")
        recorded = expected.get(check.pool.id)
        cells = [f"<td><strong>{_e(check.pool.id)}</strong><br><span class=\"rea-muted\">"
                 f"{_e(check.pool.printed.text or check.pool.label)}</span></td>",
                 f"<td>{badge(verdict)}</td>", f"<td>{_e(check.reason)}</td>"]
        if expected:
            cells.append("<td>same</td>" if recorded == verdict else
                         '<td class="rea-changed">none recorded</td>' if recorded is None else
                         f'<td class="rea-changed">{badge(recorded)}<br>changed</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "<th>Pooled line</th><th>Verdict</th><th>Why</th>" + \
        ("<th>Recorded verdict</th>" if expected else "")
    table = _scroll(f'<table class="rea-table rea-verdicts rea-stack"><thead><tr>{head}</tr>'
                    f"</thead><tbody>{''.join(rows)}</tbody></table>")
    shown = {check.verdict.value for check in result.pools} | set(expected.values())
    body = (study_header(result.review, analysis).text + '<div class="rea">'
            + f'<h2>Bottom line</h2><ul class="rea-bottom-line">{"".join(items)}</ul>'
            + '<h2>Verdicts</h2><div class="rea-verdicts-legend">' + table + legend(shown)
            + "</div></div>")
    return VerdictTable(body, _relative(result.to_dict(), analysis))


def _printed_cells(printed) -> dict:
    ci = None if printed.ci is None else f"{printed.ci[0]} to {printed.ci[1]}"
    statistic = None if printed.statistic is None else \
        f"{printed.statistic_kind} = {printed.statistic}"
    return {"estimate": printed.estimate, "ci": ci, "statistic": statistic,
            "p": printed.p, "tau2": printed.tau2, "q": printed.q, "df": printed.df,
            "i2": None if printed.i2 is None else f"{printed.i2}%"}


def _rebuilt_cells(fit) -> dict:
    return {"estimate": _n(fit.estimate), "ci": f"{_n(fit.ci_low)} to {_n(fit.ci_high)}",
            "statistic": f"{fit.statistic_kind} = {fit.statistic:.2f}",
            "p": format_p(fit.pvalue), "tau2": _n(fit.tau2), "q": f"{fit.q:.2f}",
            "df": str(fit.q_df), "i2": f"{fit.i2:.0f}%"}


def printed_and_rebuilt(check) -> Html:
    """The printed pooled line beside each estimator's rebuilt one; a rebuilt number that does
    not give the printed one (over the rounding box) is marked."""
    head = "<th>Line</th>" + "".join(f"<th>{label}</th>" for _, label in _NAMES)
    printed = _printed_cells(check.pool.printed)
    rows = ['<tr class="rea-printed"><td><strong>Printed</strong><br>'
            f'<span class="rea-muted">{_e(check.pool.method or "method not stated")}</span>'
            "</td>" + "".join(f'<td class="num">{_e(printed[key]) if printed[key] is not None else "–"}</td>'
                              for key, _ in _NAMES) + "</tr>"]
    for estimator in check.estimators:
        cells = _rebuilt_cells(estimator.fit)
        fits = estimator.fits
        misses = {"estimate": not fits.get("estimate", True),
                  "ci": not (fits.get("ci_low", True) and fits.get("ci_high", True)),
                  "statistic": not fits.get("statistic", True), "p": not fits.get("p", True),
                  "tau2": not fits.get("tau2", True), "q": not fits.get("q", True),
                  "df": not fits.get("df", True), "i2": not fits.get("i2", True)}
        primary = " (primary)" if estimator.name == check.primary else ""
        rows.append(f"<tr><td>{_e(estimator.label)}{primary}</td>" + "".join(
            f'<td class="num{" rea-changed" if misses[key] else ""}">{_e(cells[key])}'
            + ("&nbsp;✗" if misses[key] else "") + "</td>" for key, _ in _NAMES) + "</tr>")
    note = ('<p class="rea-muted">Rebuilt at the printed numbers; ✗ marks a printed number '
            "that this estimator gives nowhere in the rounding box of the studies' printed "
            "numbers.</p>")
    return wrap(_scroll(f'<table class="rea-table rea-pooled"><thead><tr>{head}</tr></thead>'
                         f"<tbody>{''.join(rows)}</tbody></table>") + note)


def leave_one_out_table(check) -> Html:
    """The primary estimator's pool with each study left out in turn."""
    if not check.leave_one_out:
        return wrap("")
    labels = {study.id: study.label for study in check.studies}
    rows = []
    for left in check.leave_one_out:
        fit = left.fit
        rows.append(f"<tr><td>{_e(labels.get(left.study, left.study))}</td>"
                    f'<td class="num">{_n(fit.estimate)}</td>'
                    f'<td class="num">{_n(fit.ci_low)} to {_n(fit.ci_high)}</td>'
                    f'<td class="num">{format_p(fit.pvalue)}</td>'
                    f"<td>{'significant' if left.significant else 'not significant'}</td></tr>")
    return wrap(f"<h4>Leave one out ({_e(check.primary)})</h4>" + _scroll(
        '<table class="rea-table rea-stack"><thead><tr><th>Left out</th><th>Estimate</th>'
        f"<th>95% CI</th><th>P</th><th>At alpha {check.alpha:g}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"))


def _studies_table(check) -> str:
    checked = [study for study in check.studies if study.verdict is not None]
    if not checked:
        return ('<p class="rea-muted">Every study is a row of printed numbers, whose own '
                "claims are not checked here.</p>")
    rows = "".join(f"<tr><td>{_e(study.label)}</td><td>{badge(study.verdict)}</td>"
                   f"<td>{_e(study.reason)}</td></tr>" for study in checked)
    return ("<h4>The included study files' own verdicts</h4>" + _scroll(
        '<table class="rea-table rea-stack"><thead><tr><th>Study</th><th>Verdict</th>'
        f"<th>Why (its claim on the pooled outcome)</th></tr></thead><tbody>{rows}</tbody>"
        "</table>"))


def _impossible_sentence(check) -> str:
    impossible = [s.label for s in check.studies if s.impossible]
    if not impossible:
        return ""
    fit = check.without_impossible
    if fit is None:
        return (f"<p>The pool rests on {_e(', '.join(impossible))}, whose own numbers are "
                "impossible; without them no pool is left.</p>")
    outcome = "survives" if check.survives_without_impossible else "does not survive"
    return (f'<p class="rea-plain">The pool rests on {_e(", ".join(impossible))}, whose own '
            f"numbers are impossible. Without them ({_e(check.primary)}): "
            f"{_n(fit.estimate)} ({_n(fit.ci_low)} to {_n(fit.ci_high)}), "
            f"p = {format_p(fit.pvalue)}; the pooled claim <strong>{outcome}</strong> "
            "that.</p>")


def pool_section(check) -> Html:
    """One pooled line in detail: the forest plot, printed v rebuilt, leave-one-out, the pool
    without impossible studies, and the study files' own verdicts."""
    from reanalyse.reports.forest import forest_plot

    figure = forest_plot(check)
    alt = (f"Forest plot of {check.pool.label}: {len(check.studies)} studies, "
           f"{len(check.estimators)} pooled estimates")
    notes = "".join(f'<p class="rea-muted">{_e(_sentence(note))}</p>' for note in check.notes)
    parts = [f'<h3 class="rea-claim">{_e(check.pool.label)} {badge(check.verdict.value)}'
             "</h3>", f"<p>{_e(_sentence(check.reason))}</p>", notes,
             _impossible_sentence(check), figure_svg(figure, alt).text,
             printed_and_rebuilt(check).text, leave_one_out_table(check).text,
             _studies_table(check)]
    return wrap("".join(parts))


def pool_sections(result) -> Html:
    """:func:`pool_section` for every pooled line of the review."""
    return Html("".join(pool_section(check).text for check in result.pools))


def review_provenance(result, analysis=None) -> Html:
    """The review file and the study files it includes (relative to the project) with their
    hashes, the sources of the numbers, the notes and the version, collapsed."""
    review = result.review
    root = analysis.root if analysis is not None else None
    facts = [file_fact("Review file", review.path, root)]
    facts += [file_fact("Study file", path, root) for path in review.study_files]
    if review.sources:
        facts.append(sources_fact(review.sources))
    if review.notes:
        facts.append(("Notes", _e(review.notes)))
    facts.append(("Options", f"alpha {review.alpha:g}; printed numbers rounded "
                  f"<em>{_e(result.rounding.value)}</em>"))
    return provenance_section(facts)
