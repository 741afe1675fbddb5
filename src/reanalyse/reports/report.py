"""What a claim-check notebook shows, in reading order.

A report opens with its bottom line: the study's title (:func:`study_header`), one sentence per
claim and the verdict table with its legend beside it (:func:`summary`).  Then each claim in
detail (:func:`show_claims`), the robustness analyses (:func:`robustness_section`), and, in a
collapsed section at the end, the provenance: files relative to the project, their hashes, the
options and the versions (:func:`provenance`).

The notebook templates in ``notebooks/`` are thin: they load an analysis, run
:func:`reanalyse.check` and hand the result to the functions here.  Every number these functions show
is read from that result (:class:`~reanalyse.claims.check.StudyCheck`,
:class:`~reanalyse.claims.check.ClaimCheck`, their specs and effects) or from the
study file as printed; nothing is computed or decided here.  All text that comes from a study or
analysis file is escaped, so a study title containing ``<script>`` is shown as text.

:func:`summary` and :func:`verdict_table` also carry the check's JSON (``StudyCheck.to_dict()``)
under the MIME type :data:`CHECK_MIMETYPE`: ``reanalyse run`` reads the verdicts from that
output of the executed notebook, so the report and the ``.json`` beside it cannot disagree.

Importing this module is cheap (no matplotlib, no scipy): ``reanalyse run`` uses its badges
for the index page.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import math
import re

from reanalyse.checks.labels import VERDICT_LABELS, VERDICT_MEANINGS
from reanalyse.checks.results import ROLES
from reanalyse.kernels.pformat import format_p
from reanalyse.reports.paths import display_path, project_root

__all__ = ["CHECK_MIMETYPE", "VERDICT_LABELS", "VERDICT_MEANINGS", "VERDICT_COLOURS",
           "BADGE_STYLE", "REPORT_STYLE", "Html", "VerdictTable", "badge", "short_title",
           "study_header", "bottom_line", "summary", "verdict_table", "legend",
           "printed_numbers", "tests_table", "effects_table", "robustness",
           "robustness_section", "provenance", "explain", "explanation", "show_claim",
           "show_claims", "glossary", "figure_html", "figure_svg", "cutoff_section",
           "cutoff_takeaway",
           "format_number"]

#: MIME type of the display output that carries ``StudyCheck.to_dict()``.
CHECK_MIMETYPE = "application/vnd.reanalyse.check+json"

#: Text and background colour of each verdict's badge (the label is always written too).
VERDICT_COLOURS = {
    "reproduced": ("#0f5323", "#d2f4d9"),
    "reproduced_with_alternative": ("#0b5c5d", "#d3f2ef"),
    "inconsistent": ("#6f4a00", "#fff0b3"),
    "decision_flip": ("#8c0b1f", "#ffd8d3"),
    "fragile": ("#8a3800", "#ffe2c7"),
    "impossible_input": ("#4f2a99", "#eadcff"),
    "insufficient_information": ("#424a53", "#e4e8ec"),
}

#: Badges wrap inside their own box rather than being cut at a narrow screen's edge.
BADGE_STYLE = "\n.rea-badge { display: inline-block; max-width: 100%; padding: .1em .55em; " \
              "border-radius: 1em; font-size: .85em; font-weight: 600; white-space: normal; " \
              "overflow-wrap: break-word; line-height: 1.35; }\n" + "".join(
                  f".rea-v-{verdict} {{ color: {text}; background: {background}; }}\n"
                  for verdict, (text, background) in VERDICT_COLOURS.items())

REPORT_STYLE = BADGE_STYLE + """
.rea { overflow-wrap: break-word; }
.rea h1.rea-title { font-size: 1.7rem; line-height: 1.25; margin: .2rem 0 .3rem; }
.rea .rea-citation { color: #57606a; font-size: .9em; margin-top: 0; }
.rea .rea-scroll { max-width: 100%; overflow-x: auto; }
.rea table.rea-table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .92em; }
.rea table.rea-table th, .rea table.rea-table td { border-bottom: 1px solid #d0d7de;
  padding: .3rem .6rem; text-align: left; vertical-align: top; overflow-wrap: normal; }
.rea table.rea-table th { background: #f6f8fa; }
.rea table.rea-table td.num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.rea .rea-muted { color: #57606a; }
.rea .rea-flag { display: inline-block; margin-left: .3em; padding: 0 .4em; border: 1px solid #9a6700;
  border-radius: 3px; color: #7d4e00; font-size: .85em; }
.rea .rea-claim { border-left: 4px solid #d0d7de; padding-left: .8rem; margin: 1.6rem 0 .4rem; }
.rea .rea-plain { background: #f6f8fa; border-radius: 6px; padding: .7rem .9rem; }
.rea .rea-changed { color: #8a3800; font-weight: 600; }
.rea ul.rea-bottom-line { padding-left: 1.2rem; }
.rea ul.rea-bottom-line li { margin: .35rem 0; }
.rea .rea-verdicts-legend { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-start; }
.rea .rea-verdicts-legend > .rea-scroll { flex: 3 1 34rem; min-width: 0; }
.rea table.rea-verdicts td:nth-child(2) { min-width: 7.5em; }
.rea .rea-legend { flex: 1 0 15rem; font-size: .85em; margin: .6rem 0; }
ul.rea-legend { list-style: none; padding: 0; color: #57606a; }
.rea .rea-legend li { margin: .45rem 0; }
.rea dt { font-weight: 600; margin-top: .4rem; }
.rea dd { margin-left: 1rem; }
.rea details.rea-provenance { margin: 2rem 0 1rem; border-top: 1px solid #d0d7de; padding-top: .6rem; }
.rea details.rea-provenance summary { cursor: pointer; font-weight: 600; }
.rea img.rea-figure { max-width: 100%; height: auto; }
.rea div.rea-figure svg { max-width: 100%; height: auto; }
.rea details.rea-details summary { cursor: pointer; color: #0969da; }
@media (max-width: 40rem) {
  .rea table.rea-stack, .rea table.rea-stack tbody, .rea table.rea-stack tr,
  .rea table.rea-stack td { display: block; width: auto; }
  .rea table.rea-stack thead { display: none; }
  .rea table.rea-stack tr { border-bottom: 1px solid #d0d7de; padding: .4rem 0; }
  .rea table.rea-stack td { border: 0; padding: .15rem .2rem; }
  .rea table.rea-verdicts td:nth-child(3)::before { content: "Why: "; font-weight: 600; }
  .rea table.rea-verdicts td:nth-child(4)::before { content: "Recorded: "; font-weight: 600; }
}
"""

_ROLES = dict(zip(ROLES, ("the test the paper names (or the usual one)",
                          "another defensible test", "from the paper's own statistic or CI",
                          "shown, not judged")))
_MEASURES = {"MD": "mean difference", "SMD": "standardised mean difference (Hedges' g)",
             "RD": "risk difference", "RR": "risk ratio", "OR": "odds ratio",
             "HR": "hazard ratio"}
#: How a printed ``reported.test`` reads in a sentence.
_TEST_NAMES = {"t": "a t-test", "student_t": "Student's t-test", "welch_t": "Welch's t-test",
               "F": "an F-test", "anova_f": "a one-way ANOVA", "welch_anova": "Welch's ANOVA",
               "chi2": "a chi-square test", "pearson_chi2": "Pearson's chi-square test",
               "yates_chi2": "a Yates-corrected chi-square test",
               "fisher_exact": "Fisher's exact test", "boschloo_exact": "Boschloo's exact test",
               "z": "a z-test", "z_pooled": "a pooled two-proportion z-test",
               "r": "a correlation", "regression": "a regression model",
               "ancova": "an ANCOVA", "logistic": "a logistic regression",
               "mann_whitney": "a Mann-Whitney test"}


class Html:
    """A piece of HTML that Jupyter displays as such (``_repr_html_``)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _wrap(body: str) -> Html:
    return Html(f'<div class="rea">{body}</div>')


def badge(verdict: str) -> str:
    """An HTML badge for a verdict (coloured, with its label and meaning as a tooltip)."""
    verdict = getattr(verdict, "value", verdict)
    return (f'<span class="rea-badge rea-v-{_e(verdict)}" title="{_e(VERDICT_MEANINGS.get(verdict))}">'
            f"{_e(VERDICT_LABELS.get(verdict, verdict))}</span>")


def format_number(value: float | None, digits: int = 3) -> str:
    """A number for a sentence: ``digits`` significant digits, ``–`` when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}g}"


def _absent(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _decimals_for(values, digits: int = 3, most: int = 4) -> int:
    """The decimals that show every value of a column to ``digits`` significant digits (at
    most ``most``): one number of decimals per column, so that the column lines up."""
    needed = [0]
    for value in values:
        if _absent(value) or value == 0:
            continue
        magnitude = math.floor(math.log10(abs(value)))
        needed.append(min(most, max(0, digits - 1 - magnitude)))
    return max(needed)


def _fixed(value, decimals: int) -> str:
    if _absent(value):
        return "–"
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 and value == 0 else text


def _p_decimals(values) -> int:
    """One number of decimals for every p-value of a table.

    :func:`reanalyse.kernels.pformat.format_p` writes three significant digits; a table takes
    the most decimals any of its p-values needs for them (at least 3, up to 6), so that its
    p-values line up.
    """
    needed = [3]
    for value in values:
        if _absent(value) or value <= 0:
            continue
        needed.append(min(6, 2 - math.floor(math.log10(value))))
    return max(needed)


def _p_cell(value, decimals: int) -> str:
    if _absent(value):
        return "–"
    if 0 < value < 10 ** -decimals:
        return f"< {10 ** -decimals:.{decimals}f}"
    return f"{value:.{decimals}f}"


def _p(value: float | None) -> str:
    return "–" if value is None else format_p(value)


def _p_range(spec, decimals: int | None = None) -> str:
    if spec.p_min is None or spec.p_max is None:
        return "not computed"
    show = _p if decimals is None else (lambda value: _p_cell(value, decimals))
    low, high = show(spec.p_min), show(spec.p_max)
    return low if low == high else f"{low} to {high}"


def _decision(significant: bool | None, computed: bool) -> str:
    if not computed:
        return "not computed"
    return {True: "significant", False: "not significant",
            None: "depends on the rounding"}[significant]


def _sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, one full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _scroll(table: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen instead of the page."""
    return f'<div class="rea-scroll">{table}</div>'


def _author_year(citation: str) -> str | None:
    """``Raisi Dehkordi et al. 2019`` from a Vancouver-style citation, if it reads as one."""
    first = re.split(r"[,.]", citation, maxsplit=1)[0].strip()
    surname = re.sub(r"\s+[A-Z]{1,3}$", "", first).strip()
    year = re.search(r"\b(19|20)\d{2}\b", citation)
    if not surname or year is None or len(surname) > 40:
        return None
    several = "," in citation.split(".", 1)[0]
    return f"{surname}{' et al.' if several else ''} {year.group(0)}"


def short_title(study, analysis=None) -> str:
    """The report's title: the analysis's ``title``, else first author and year, else the
    study's id."""
    if analysis is not None and analysis.title:
        return analysis.title
    return _author_year(study.citation or "") or study.id


def study_header(study, analysis=None) -> Html:
    """The report's title (short), the full citation in small type, and the DOI.

    Parameters
    ----------
    study : Study
    analysis : Analysis, optional
        Its ``title``, when set, is the report's title.
    """
    parts = [f"<style>{REPORT_STYLE}</style>",
             f'<h1 class="rea-title">{_e(short_title(study, analysis))}</h1>']
    citation = _e(study.citation)
    if study.doi:
        doi = _e(study.doi)
        citation += f' DOI: <a href="https://doi.org/{doi}">{doi}</a>'
    parts.append(f'<p class="rea-citation">{citation}</p>')
    return _wrap("".join(parts))


def provenance(study, analysis=None) -> Html:
    """Where the report comes from, in a collapsed section: the files (relative to the
    project) with their hashes, the sources of the numbers, the arms, the options and the
    versions.

    Parameters
    ----------
    study : Study
    analysis : Analysis, optional
        Adds the analysis file and the options in force; its folder's project is the root the
        paths are shown from.
    """
    from reanalyse._version import __version__
    from reanalyse.io import file_digest

    root = (project_root(analysis.path) if analysis is not None and analysis.path is not None
            else None)

    def shown(path) -> str:
        return display_path(path, root) if root is not None else path.name

    facts = []
    if study.path is not None:
        facts.append(("Study file", f"<code>{_e(shown(study.path))}</code><br>"
                      f'<span class="rea-muted">{_e(file_digest(study.path))}</span>'))
    if analysis is not None and analysis.path is not None:
        facts.append(("Analysis file", f"<code>{_e(shown(analysis.path))}</code><br>"
                      f'<span class="rea-muted">{_e(file_digest(analysis.path))}</span>'))
    if study.sources:
        facts.append(("Sources of the numbers", "<ul>" + "".join(
            f"<li>{_e(source.citation)} <em>({_e(source.kind)})</em>"
            + (f": {_e(source.note)}" if source.note else "") + "</li>"
            for source in study.sources) + "</ul>"))
    arms = ", ".join(f"{_e(arm.label)}" + (f" ({arm.randomised} randomised)"
                                           if arm.randomised is not None else "")
                     for arm in study.arms)
    facts.append(("Arms", arms))
    if study.notes:
        facts.append(("Notes", _e(_sentence(study.notes))))
    if analysis is not None:
        options = analysis.options.to_dict()
        alpha = (f"{options['alpha']:g}" if options["alpha"] is not None
                 else f"each claim's own (study: {study.alpha:g})")
        defensible = ("all rebuilt tests" if options["defensible"] is None
                      else ", ".join(options["defensible"]))
        facts.append(("Options", f"alpha {_e(alpha)}; printed numbers rounded "
                      f"<em>{_e(options['rounding'])}</em>; defensible tests: "
                      f"{_e(defensible)}; Boschloo's test: {_e(options['boschloo'])}"))
    facts.append(("Computed by", f"reanalyse {_e(__version__)}"))
    body = "<dl>" + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts) + "</dl>"
    return _wrap('<details class="rea-provenance"><summary>Provenance: files, hashes, options '
                 f"and versions</summary>{body}</details>")


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
        cells = [f"<td><strong>{_e(claim.id)}</strong><br>"
                 f'<span class="rea-muted">{_e(claim.text)}</span></td>',
                 f"<td>{badge(verdict)}{_adjustment_flag(check)}</td>",
                 f"<td>{_e(check.reason)}</td>"]
        if expected:
            recorded = expected.get(claim.id)
            if recorded is None:
                cells.append('<td class="rea-changed">none recorded</td>')
            elif recorded != verdict:
                cells.append(f'<td class="rea-changed">{badge(recorded)}<br>changed</td>')
            else:
                cells.append("<td>same</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return _scroll(f'<table class="rea-table rea-verdicts rea-stack"><thead><tr>{head}</tr>'
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


def legend(verdicts=None) -> str:
    """What each verdict means (``verdicts``: those to list, in the vocabulary's order; all by
    default), as a list of badges."""
    wanted = set(VERDICT_MEANINGS) if verdicts is None else set(verdicts)
    items = "".join(f"<li>{badge(verdict)} {_e(_sentence(meaning))}</li>"
                    for verdict, meaning in VERDICT_MEANINGS.items() if verdict in wanted)
    return f'<ul class="rea-legend" aria-label="What the verdicts mean">{items}</ul>'


def bottom_line(result) -> str:
    """One sentence per claim: its verdict and the verdict's reason (never re-decided); for a
    claim with exact bounds beyond a cut-off, what they say too (for the first claim on an
    outcome; a later one refers to it)."""
    owners = _cutoff_owners(result, result.study)
    items = []
    for check in result.claims:
        text = _e(_sentence(check.reason))
        owner = owners.get(check.claim.id)
        takeaway = cutoff_takeaway(_cutoff_analysis(check)) if owner == check.claim.id else None
        analysis = _cutoff_analysis(check)
        if takeaway and not any(reason in check.reason for reason in analysis.impossible_reasons):
            text += f" {_e(takeaway)}"
        elif owner is not None and owner != check.claim.id:
            text += f" The same cut-off bounds as for {_e(owner)} apply."
        items.append(f"<li><strong>{_e(check.claim.id)}</strong> {badge(check.verdict.value)}"
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


def figure_html(figure, alt: str) -> Html:
    """A matplotlib figure as an embedded SVG image with a text alternative.

    SVG keeps the labels as text and scales with the page (``max-width: 100%``), so a plot
    stays sharp on a phone.  Embedding the image does not depend on a matplotlib backend being
    set up in the kernel.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _wrap(f'<img class="rea-figure" alt="{_e(alt)}" '
                 f'src="data:image/svg+xml;base64,{data}" style="max-width: 100%; height: auto">')


def _printed_p(text: str) -> str:
    text = text.strip()
    return f"p {text}" if text[:1] in "=<>≤≥" else f"p = {text}"


def figure_svg(figure, alt: str) -> Html:
    """A matplotlib figure as inline SVG whose labels stay text (searchable, readable by screen
    readers), with ``alt`` as its title."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "reanalyse"}):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = text.replace(">", f' role="img" aria-label="{_e(alt)}">', 1)
    return _wrap(f'<div class="rea-figure" style="max-width: 100%; overflow-x: auto">{text}</div>')


def _cutoff_analysis(check):
    """The claim's exact bounds beyond a cut-off, when computed for a binary claim."""
    analysis = getattr(check.sensitivity, "cutoff", None) if check.sensitivity else None
    if analysis is None or not getattr(analysis, "computed", False) \
            or analysis.outcome_type != "binary":
        return None
    return analysis


def _cut(bounds) -> str:
    return f"{bounds.direction} {float(bounds.cutoff):g}"


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cutoff_takeaway(analysis) -> str | None:
    """What the exact bounds beyond a cut-off say, in one plain sentence (read from the
    :class:`~reanalyse.sensitivity.cutoff.CutoffAnalysis`, never recomputed).

    An impossibility when there is one; at a stated cut-off, the range each arm allows; with no
    stated cut-off, the cut-offs at which the printed counts fit their means and SDs, and what
    the conventional cut-offs they exclude would allow.
    """
    from reanalyse.sensitivity.cutoff import WORDS, score_runs

    if analysis is None:
        return None
    if analysis.impossible_reasons:
        return _sentence("exact bounds: " + "; ".join(analysis.impossible_reasons))
    arms = [arm for arm in analysis.arms if arm.feasible]
    if not arms:
        return None
    stated = [arm for arm in arms if arm.stated is not None and arm.stated.determined]
    if stated:
        return _sentence(f"at the stated cut-off ({_cut(stated[0].stated)}) the printed means "
                         "and SDs allow " + _and(
                             (f"exactly {arm.stated.count_min}"
                              if arm.stated.count_min == arm.stated.count_max
                              else f"{arm.stated.count_min} to {arm.stated.count_max}")
                             + f" of {arm.n} "
                             f"({arm.label}, printed {arm.printed.split(' of ')[0]})"
                             for arm in stated))
    swept = [arm for arm in arms if arm.sweep is not None]
    if not swept:
        return None
    words = WORDS[analysis.relation]
    fitting = set(swept[0].fitting_cutoffs())
    for arm in swept[1:]:
        fitting &= set(arm.fitting_cutoffs())
    printed = _and(arm.printed for arm in swept)
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
        allowed = _and(f"{b.count_max} of {arm.n}" + (f" ({arm.label})" if len(swept) > 1
                                                      else "")
                       for arm, b in zip(swept, per_arm))
        excluded.append(f"at the conventional {_cut(bounds)} at most {allowed} could be")
    if excluded:
        text += "; " + "; ".join(excluded)
    return _sentence(text)


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
        parts.append(f'<p class="rea-plain">{_e(takeaway)}</p>')
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
                 f"<p>{_e(analysis.explanation)}</p></details>")
    return _wrap("".join(parts))


def printed_numbers(check, study) -> Html:
    """The claim's numbers as the paper printed them: per arm, then the reported test."""
    claim = check.claim
    outcome = study.outcome(claim.outcome)
    arm_ids = study.claim_arms(claim)
    summaries = [outcome.arms[arm_id] for arm_id in arm_ids]
    if outcome.type == "binary":
        columns = (("n analysed", "n"), ("events", "events"), ("%", "percent"))
    else:
        columns = (("n analysed", "n"), ("mean", "mean"), ("SD", "sd"), ("SE", "se"),
                   ("CI of the mean", "ci"))
    columns = [(title, name) for title, name in columns
               if any(getattr(summary, name, None) is not None for summary in summaries)]
    head = "<th>Arm</th><th>randomised</th>" + "".join(f"<th>{t}</th>" for t, _ in columns)
    rows = []
    for arm_id, summary in zip(arm_ids, summaries):
        arm = study.arm(arm_id)
        cells = [f"<td>{_e(arm.label)}</td>", f'<td class="num">{_e(arm.randomised or "–")}</td>']
        for _, name in columns:
            value = getattr(summary, name, None)
            if name == "ci" and value is not None:
                value = f"{value[0]} to {value[1]}"
            cells.append(f'<td class="num">{_e("–" if value is None else value)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    reported = claim.reported
    printed = []
    if reported.statistic is not None:
        df = ", ".join(str(d) for d in reported.df)
        printed.append(f"statistic {_e(reported.statistic)}" + (f" (df {_e(df)})" if df else ""))
    if reported.p is not None:
        printed.append(_e(_printed_p(str(reported.p))))
    if reported.estimate is not None:
        estimate = reported.estimate
        text = f"{_e(estimate.measure)} {_e(estimate.value)}"
        if estimate.ci is not None:
            text += f" ({estimate.level:.0%} CI {_e(estimate.ci[0])} to {_e(estimate.ci[1])})"
        if estimate.adjusted:
            text += ", adjusted"
        printed.append(text)
    test = _TEST_NAMES.get(reported.test, reported.test) if reported.test else None
    if test and printed:
        result_text = f"The paper reports {_e(test)}: {', '.join(printed)}."
    elif test:
        result_text = f"The paper reports {_e(test)} but prints no statistic or p-value."
    elif printed:
        result_text = f"The paper prints {', '.join(printed)}."
    else:
        result_text = "The paper prints no test statistic, p-value or estimate for this claim."
    sided = f", {_e(claim.alternative)}" if claim.alternative != "two-sided" else ""
    claimed = {True: f"It calls the result significant (alpha = {check.alpha:g}{sided}).",
               False: f"It calls the result not significant (alpha = {check.alpha:g}{sided}).",
               None: "The study file does not say whether the paper calls the result "
                     "significant."}[_claimed(check)]
    lines = [f"<p><strong>{_e(outcome.label)}</strong> ({_e(outcome.type)})"
             + (f' <span class="rea-muted">source: {_e(outcome.source)}</span>'
                if outcome.source else "") + "</p>",
             _scroll(f'<table class="rea-table"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{''.join(rows)}</tbody></table>"),
             f"<p>{result_text} {claimed}</p>"]
    return _wrap("".join(lines))


def tests_table(check) -> Html:
    """Every rebuilt test: its role, statistic, p at the printed values and over the rounding.

    The statistics share one number of decimals, and so do the p-values (see
    :func:`_p_decimals`).
    """
    if not check.specs:
        return _wrap('<p class="rea-muted">No test could be rebuilt.</p>')
    statistics = [value for spec in check.specs
                  for value in (spec.statistic, spec.statistic_min, spec.statistic_max)]
    s_decimals = _decimals_for(statistics)
    p_decimals = _p_decimals([value for spec in check.specs
                              for value in (spec.p, spec.p_min, spec.p_max)])
    rows = []
    for spec in check.specs:
        statistic = _fixed(spec.statistic, s_decimals)
        if not (_absent(spec.statistic_min) or _absent(spec.statistic_max)):
            low, high = _fixed(spec.statistic_min, s_decimals), _fixed(spec.statistic_max,
                                                                       s_decimals)
            if low != high:
                statistic += f'<br><span class="rea-muted">{low} to {high}</span>'
        note = _e(_sentence(spec.note)) if spec.note else ""
        rows.append(
            f"<tr><td>{_e(spec.label)}</td><td>{_e(_ROLES.get(spec.role, spec.role))}</td>"
            f'<td class="num">{statistic}</td>'
            f'<td class="num">{_p_cell(spec.p, p_decimals)}</td>'
            f'<td class="num">{_e(_p_range(spec, p_decimals))}</td>'
            f"<td>{_decision(spec.significant, spec.computed)}</td>"
            f'<td class="rea-muted">{note}</td></tr>')
    head = ("<th>Test</th><th>Role</th><th>Statistic</th><th>p at the printed values</th>"
            "<th>p over the rounding</th><th>At alpha = " + f"{check.alpha:g}" +
            "</th><th>Note</th>")
    return _wrap(_scroll(f'<table class="rea-table"><thead><tr>{head}</tr></thead>'
                         f"<tbody>{''.join(rows)}</tbody></table>"))


def effects_table(check) -> Html:
    """Effect sizes at the printed values, with their confidence intervals (one number of
    decimals for the whole table)."""
    if not check.effects:
        return _wrap('<p class="rea-muted">No effect size could be computed.</p>')
    decimals = _decimals_for([value for effect in check.effects
                              for value in (effect.estimate, effect.ci_low, effect.ci_high)])
    rows = []
    for effect in check.effects:
        name = _MEASURES.get(effect.measure, effect.measure)
        note = "; ".join(_e(text) for text in (effect.method, effect.note) if text)
        rows.append(f"<tr><td>{_e(name)}</td><td class=\"num\">{_fixed(effect.estimate, decimals)}"
                    f"</td><td class=\"num\">{_fixed(effect.ci_low, decimals)} to "
                    f"{_fixed(effect.ci_high, decimals)}</td><td>{effect.level:.0%}</td>"
                    f'<td class="rea-muted">{note}</td></tr>')
    return _wrap(_scroll('<table class="rea-table"><thead><tr><th>Effect</th><th>Estimate</th>'
                         "<th>Confidence interval</th><th>Level</th><th>Method</th></tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table>"))


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
            lines.append(_sentence(result.explanation))
    return lines + [_sentence(note) for note in sensitivity.notes]


def _baseline_line(result) -> str | None:
    for check in result.claims:
        baseline = getattr(check.sensitivity, "baseline", None)
        if baseline is not None and getattr(baseline, "computed", False):
            return _sentence(baseline.explanation)
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

        lines = [_sentence(getattr(sensitivity, name).explanation) for name in ANALYSES
                 if getattr(getattr(sensitivity, name, None), "computed", False)]
        lines += [_sentence(note) for note in sensitivity.notes]
    else:
        lines = _robustness_lines(check, study)
    if not lines:
        return None
    return _wrap("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>")


def robustness_section(result, study) -> Html:
    """What the printed numbers allow, for the study once (baseline balance) and per claim."""
    parts = ["<h2>Robustness</h2>"]
    baseline = _baseline_line(result)
    if baseline is not None:
        parts.append(f"<p><strong>Baseline balance.</strong> {_e(baseline)}</p>")
    for check in result.claims:
        lines = _robustness_lines(check, study)
        parts.append(f"<h3>{_e(check.claim.id)} {badge(check.verdict.value)}</h3>")
        parts.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"
                     if lines else '<p class="rea-muted">No robustness analysis applies.</p>')
    return _wrap("".join(parts))


def _names(specs) -> str:
    labels = [f"{spec.label} ({_p_range_sentence(spec)})" for spec in specs]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _p_range_sentence(spec) -> str:
    text = _p_range(spec)
    return f"p = {text}" if " to " not in text else f"p from {text}"


def _tests(count: int) -> str:
    return "1 test" if count == 1 else f"{count} tests"


def _claimed(check) -> bool | None:
    """The significance the paper claims, as the check read it (from the study file's
    ``significant``, else from the printed p)."""
    return check.context.claimed if check.context is not None else check.claim.significant


def explain(check, study) -> str:
    """A plain-language paragraph: what the paper claims, what the rebuilt tests say, and
    what the verdict means, in words a reader without the code can follow."""
    claim = check.claim
    verdict = check.verdict.value
    outcome = study.outcome(claim.outcome)
    claimed = _claimed(check)
    sentences = []
    what = claim.text or outcome.label
    printed_p = f" (printed p {claim.reported.p})" if claim.reported.p is not None else ""
    if claimed is None:
        sentences.append(f"The study file does not say whether the paper calls this result "
                         f"significant: {what}.")
    else:
        word = "significant" if claimed else "not significant"
        sentences.append(f"The paper presents this result as statistically {word} at "
                         f"alpha = {check.alpha:g}{printed_p}: “{what}”.")
    if verdict == "insufficient_information":
        missing = "; ".join(check.missing) if check.missing else "the numbers a test needs"
        sentences.append(f"The paper does not print {missing}, so no test can be rebuilt and "
                         "the claim can be neither confirmed nor refuted from its numbers.")
    elif verdict == "impossible_input":
        sentences.append("Some printed numbers cannot all be true: "
                         + "; ".join(check.impossible) + ". A reported result built on them "
                         "cannot be checked until the numbers are corrected.")
    else:
        partition = check.partition
        judged, reported = partition.judged, partition.reported
        source = ("counts" if outcome.type == "binary" else "means and standard deviations")
        if judged:
            sentences.append(
                f"From the printed {source} we rebuilt {_tests(len(judged))} the authors could "
                "defensibly have run, each over every value the rounding of the printed numbers "
                "allows (so each gives a range of p-values, not one).")
        elif reported:
            sentences.append("The printed summaries do not allow the paper's test to be "
                             "rebuilt, so the check rests on the p-value implied by the "
                             "paper's own statistic or confidence interval.")
        if claimed is not None and partition.basis:
            agree, against, straddle = ([check.spec(name) for name in names] for names in (
                partition.agree, partition.against, partition.straddle))
            word = "significant" if claimed else "not significant"
            if agree:
                sentences.append(f"{_tests(len(agree)).capitalize()} {'gives' if len(agree) == 1 else 'give'} "
                                 f"a {word} result throughout: {_names(agree)}.")
            if against:
                sentences.append(f"{_tests(len(against)).capitalize()} {'does' if len(against) == 1 else 'do'} "
                                 f"not: {_names(against)}.")
            if straddle:
                sentences.append(f"For {_tests(len(straddle))} the p-value range crosses "
                                 f"alpha = {check.alpha:g}, so the answer depends on how the "
                                 f"printed numbers were rounded: {_names(straddle)}.")
    sentences.append(f"Verdict: {VERDICT_LABELS.get(verdict, verdict)} — "
                     f"{VERDICT_MEANINGS.get(verdict, '')}.")
    sensitivity = check.sensitivity
    reasons = getattr(sensitivity, "fragile_reasons", ()) if sensitivity is not None else ()
    if reasons:
        sentences.append("The robustness analyses add: " + "; ".join(reasons) + ".")
    return " ".join(sentences)


def explanation(check, study) -> Html:
    """:func:`explain` as a highlighted paragraph."""
    return _wrap(f'<p class="rea-plain">{_e(explain(check, study))}</p>')


def _map_key(check, study, result):
    """What a claim's significance map depends on: the outcome, the arms, the sidedness,
    alpha and the tests drawn.  Two claims on one outcome share one map."""
    names = tuple(spec.name for spec in check.specs if spec.role != "reported")
    return (check.claim.outcome, study.claim_arms(check.claim), check.claim.alternative,
            check.alpha, names)


def show_claim(check, study, result=None, *, map_shown_under: str | None = None,
               cutoff_shown_under: str | None = None) -> bool:
    """Display everything about one claim, in reading order.

    The heading with the verdict and its reason; the plain-language paragraph; the printed
    numbers; the p-interval plot and the table of rebuilt tests; effect sizes; and for a binary
    outcome the significance map (which needs ``result``, the :class:`~reanalyse.claims.check.StudyCheck`, for its options).
    ``map_shown_under`` names an earlier claim whose map is this claim's too: the map is then
    referred to rather than drawn again; ``cutoff_shown_under`` likewise for the exact bounds
    beyond a cut-off (:func:`cutoff_section`).  Robustness is shown for all claims together by
    :func:`robustness_section`.  Returns whether a significance map was drawn.
    """
    from IPython.display import display

    from reanalyse.reports import plots

    claim = check.claim
    display(_wrap(f'<div class="rea-claim"><h3>{_e(claim.id)} {badge(check.verdict.value)}</h3>'
                  f"<p>{_e(claim.text)}</p><p><strong>Why:</strong> {_e(check.reason)}</p>"
                  + "".join(f'<p class="rea-muted">Note: {_e(_sentence(note))}</p>'
                            for note in check.notes) + "</div>"))
    display(explanation(check, study))
    display(_wrap("<h4>The printed numbers</h4>"))
    display(printed_numbers(check, study))
    if any(spec.computed for spec in check.specs):
        display(_wrap("<h4>Every rebuilt test against alpha</h4>"
                      "<p class=\"rea-muted\">Each bar spans the p-values a test gives over "
                      "every value the printed numbers could stand for (a dot marks the "
                      "p-value at the printed values); the dashed line is alpha, and bars left "
                      "of it are significant. The shaded band is the p-value the paper "
                      "printed.</p>"))
        display(figure_html(plots.p_interval_plot(check),
                            f"p-value ranges of the rebuilt tests for {claim.id}, against "
                            f"alpha = {check.alpha:g}; the numbers are in the table below"))
    display(tests_table(check))
    display(_wrap("<h4>Effect size</h4>"))
    display(effects_table(check))
    if cutoff_shown_under is not None:
        display(_wrap(f'<p class="rea-muted">What the printed means and SDs allow beyond a '
                      f"cut-off is shown under {_e(cutoff_shown_under)}.</p>"))
    else:
        bounds = cutoff_section(check)
        if bounds is not None:
            display(bounds)
    if map_shown_under is not None:
        display(_wrap(f'<p class="rea-muted">The significance map of this outcome is shown '
                      f"under {_e(map_shown_under)}.</p>"))
    elif result is not None:
        grid = plots.significance_grid(check, study, result.options)
        if grid is not None:
            display(_wrap(
                "<h4>Significance map</h4><p class=\"rea-muted\">Which event counts each test "
                f"calls significant at these arm sizes (n = {grid.treat_n} and "
                f"{grid.control_n}): each square is one pair of counts, filled where the test "
                "gives p at or below alpha. The black frame marks the printed counts; outlined "
                "squares are every pair the printed percentages allow.</p>"))
            display(figure_html(plots.significance_map(grid),
                                f"significance map of {claim.id}: which event counts each "
                                "test calls significant"))
            return True
    return False


def show_claims(result, study) -> None:
    """:func:`show_claim` for every claim of ``result`` (a ``StudyCheck``); a significance
    map that an earlier claim already showed is referred to, not drawn again."""
    drawn: dict = {}
    bounds = _cutoff_owners(result, study)
    for check in result.claims:
        key = _map_key(check, study, result)
        earlier = drawn.get(key)
        owner = bounds.get(check.claim.id)
        if show_claim(check, study, result, map_shown_under=earlier,
                      cutoff_shown_under=owner if owner != check.claim.id else None):
            drawn[key] = check.claim.id


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


def glossary() -> Html:
    """What each verdict means, with its badge."""
    return _wrap(legend())
