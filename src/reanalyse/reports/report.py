"""What a claim-check notebook shows: the study, a verdict table, and each claim explained.

The notebook templates in ``notebooks/`` are thin: they load an analysis, run
:func:`reanalyse.checks.check.check_study` and hand the result to the functions here.  Every number
these functions show is read from that result (:class:`~reanalyse.checks.check.StudyCheck`,
:class:`~reanalyse.checks.check.ClaimCheck`, their specs and effects) or from the study file as
printed; nothing is computed here.  All text that comes from a study or analysis file is
escaped, so a study title containing ``<script>`` is shown as text.

:func:`verdict_table` also carries the check's JSON (``StudyCheck.to_dict()``) under the
MIME type :data:`CHECK_MIMETYPE`: ``reanalyse run`` reads the verdicts from that output of
the executed notebook, so the report and the ``.json`` beside it cannot disagree.

Importing this module is cheap (no matplotlib, no scipy): ``reanalyse run`` uses its badges
for the index page.
"""

from __future__ import annotations

import base64
import html
import io
import math

from reanalyse.checks.results import ROLES

__all__ = ["CHECK_MIMETYPE", "VERDICT_LABELS", "VERDICT_MEANINGS", "VERDICT_COLOURS",
           "BADGE_STYLE", "REPORT_STYLE", "Html", "VerdictTable", "badge", "study_header",
           "verdict_table", "printed_numbers", "tests_table", "effects_table", "robustness",
           "explain", "explanation", "show_claim", "show_claims", "glossary", "figure_html",
           "figure_svg", "cutoff_section", "format_number"]

#: MIME type of the display output that carries ``StudyCheck.to_dict()``.
CHECK_MIMETYPE = "application/vnd.reanalyse.check+json"

VERDICT_LABELS = {
    "reproduced": "reproduced",
    "reproduced_with_alternative": "reproduced with another test",
    "inconsistent": "inconsistent",
    "decision_flip": "decision flips",
    "fragile": "fragile",
    "impossible_input": "impossible numbers",
    "insufficient_information": "not enough information",
}

VERDICT_MEANINGS = {
    "reproduced": "the printed numbers give the printed result with the test the paper names, "
                  "and every defensible test agrees on its significance",
    "reproduced_with_alternative": "the printed result follows from the printed numbers, but "
                                   "only with a defensible test other than the one the paper "
                                   "names",
    "inconsistent": "the claimed significance holds, but the printed statistic or p-value "
                    "cannot be rebuilt from the printed numbers",
    "decision_flip": "no defensible test gives the claimed significance from the printed "
                     "numbers",
    "fragile": "whether the claim holds depends on the choice of test, on how the printed "
               "numbers were rounded, or on a handful of participants",
    "impossible_input": "the printed numbers cannot all be true",
    "insufficient_information": "the paper does not print enough numbers to rebuild a test",
}

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

BADGE_STYLE = "\n.rea-badge { display: inline-block; padding: .1em .55em; border-radius: 1em; " \
              "font-size: .85em; font-weight: 600; white-space: nowrap; }\n" + "".join(
                  f".rea-v-{verdict} {{ color: {text}; background: {background}; }}\n"
                  for verdict, (text, background) in VERDICT_COLOURS.items())

REPORT_STYLE = BADGE_STYLE + """
.rea table.rea-table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .92em; }
.rea table.rea-table th, .rea table.rea-table td { border-bottom: 1px solid #d0d7de;
  padding: .3rem .6rem; text-align: left; vertical-align: top; }
.rea table.rea-table th { background: #f6f8fa; }
.rea table.rea-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.rea .rea-muted { color: #57606a; }
.rea .rea-claim { border-left: 4px solid #d0d7de; padding-left: .8rem; margin: 1.6rem 0 .4rem; }
.rea .rea-plain { background: #f6f8fa; border-radius: 6px; padding: .7rem .9rem; }
.rea .rea-changed { color: #8a3800; font-weight: 600; }
.rea dt { font-weight: 600; margin-top: .4rem; }
.rea dd { margin-left: 1rem; }
"""

_ROLES = dict(zip(ROLES, ("the test the paper names (or the usual one)",
                          "another defensible test", "from the paper's own statistic or CI",
                          "shown, not judged")))
_MEASURES = {"MD": "mean difference", "SMD": "standardised mean difference (Hedges' g)",
             "RD": "risk difference", "RR": "risk ratio", "OR": "odds ratio",
             "HR": "hazard ratio"}


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
    """A number for a table: ``digits`` significant digits, ``-`` when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}g}"


def _p(value: float | None) -> str:
    from reanalyse.checks.verdicts import format_p

    return "–" if value is None else format_p(value)


def _p_range(spec) -> str:
    if spec.p_min is None or spec.p_max is None:
        return "not computed"
    low, high = _p(spec.p_min), _p(spec.p_max)
    return low if low == high else f"{low} to {high}"


def _decision(significant: bool | None, computed: bool) -> str:
    if not computed:
        return "not computed"
    return {True: "significant", False: "not significant",
            None: "depends on the rounding"}[significant]


def study_header(study, analysis=None) -> Html:
    """The study and its provenance: citation, DOI, sources, arms, options, file and versions.

    Parameters
    ----------
    study : Study
    analysis : Analysis, optional
        Adds the options in force and the recorded verdicts' file.
    """
    from reanalyse import __version__
    from reanalyse.runner.hashing import file_digest

    title = (analysis.title if analysis is not None and analysis.title else study.citation)
    parts = [f"<style>{REPORT_STYLE}</style>", f"<h2>{_e(title)}</h2>"]
    if analysis is not None and analysis.title:
        parts.append(f"<p>{_e(study.citation)}</p>")
    if study.doi:
        doi = _e(study.doi)
        parts.append(f'<p>DOI: <a href="https://doi.org/{doi}">{doi}</a></p>')
    facts = []
    if study.path is not None:
        facts.append(("Study file", f"<code>{_e(study.path)}</code><br>"
                      f'<span class="rea-muted">{_e(file_digest(study.path))}</span>'))
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
        facts.append(("Notes", _e(study.notes)))
    if analysis is not None:
        options = analysis.options_dict()
        alpha = (f"{options['alpha']:g}" if options["alpha"] is not None
                 else f"each claim's own (study: {study.alpha:g})")
        defensible = ("all rebuilt tests" if options["defensible"] is None
                      else ", ".join(options["defensible"]))
        facts.append(("Options", f"alpha {_e(alpha)}; printed numbers rounded "
                      f"<em>{_e(options['rounding'])}</em>; defensible tests: "
                      f"{_e(defensible)}; Boschloo's test: {_e(options['boschloo'])}"))
        if analysis.path is not None:
            facts.append(("Analysis file", f"<code>{_e(analysis.path)}</code>"))
    facts.append(("Computed by", f"reanalyse {_e(__version__)}"))
    parts.append("<dl>" + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
                 + "</dl>")
    return _wrap("".join(parts))


class VerdictTable(Html):
    """The verdict table; also carries the check's JSON for ``reanalyse run`` to read."""

    def __init__(self, text: str, data: dict):
        super().__init__(text)
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        plain = "\n".join(f"{claim['id']}: {claim['verdict']}" for claim in self.data["claims"])
        return {"text/html": self.text, "text/plain": plain, CHECK_MIMETYPE: self.data}


def verdict_table(result, expected: dict | None = None) -> VerdictTable:
    """One row per claim: the claim, its verdict badge and reason (and the recorded verdict).

    Parameters
    ----------
    result : StudyCheck
    expected : dict, optional
        Claim id -> the verdict the team recorded; a differing verdict is marked.
    """
    head = "<th>Claim</th><th>Verdict</th><th>Why</th>"
    if expected:
        head += "<th>Recorded verdict</th>"
    rows = []
    for check in result.claims:
        claim = check.claim
        verdict = check.verdict.value
        cells = [f"<td><strong>{_e(claim.id)}</strong><br>"
                 f'<span class="rea-muted">{_e(claim.text)}</span></td>',
                 f"<td>{badge(verdict)}</td>", f"<td>{_e(check.reason)}</td>"]
        if expected:
            recorded = expected.get(claim.id)
            if recorded is None:
                cells.append('<td class="rea-changed">none recorded</td>')
            elif recorded != verdict:
                cells.append(f'<td class="rea-changed">{badge(recorded)}<br>changed</td>')
            else:
                cells.append("<td>same</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = (f'<table class="rea-table rea-verdicts"><thead><tr>{head}</tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>")
    return VerdictTable(f'<div class="rea">{table}</div>', result.to_dict())


def figure_html(figure, alt: str) -> Html:
    """A matplotlib figure as an embedded PNG with a text alternative (for screen readers).

    Embedding the image does not depend on a matplotlib backend being set up in the kernel.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _wrap(f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}" '
                 f'style="max-width: 100%">')


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


def cutoff_section(check) -> Html | None:
    """Exact bounds beyond a cut-off, for a claim whose sensitivity has them: the analysis's
    sentences, then per arm the band of possible counts at every cut-off with the printed count
    marked, and two witness datasets (:func:`reanalyse.reports.plots.cutoff_band_plot`)."""
    analysis = getattr(check.sensitivity, "cutoff", None)
    if analysis is None or not getattr(analysis, "computed", False) \
            or analysis.outcome_type != "binary":
        return None
    from reanalyse.reports import plots

    parts = ["<h3>What the printed means and SDs allow beyond a cut-off</h3>",
             '<p class="rea-muted">Exact bounds: over every dataset of whole scale scores whose '
             "mean and SD print as the paper's, the fewest and the most participants beyond "
             "each cut-off. Each end is attained by a dataset shown beside it (anyone can "
             "recompute its mean, SD and count), so the band is a proof, not a model.</p>",
             f'<p class="rea-plain">{_e(analysis.explanation)}</p>']
    for arm in analysis.arms:
        figure = plots.cutoff_band_plot(analysis, arm)
        if figure is not None:
            parts.append(figure_svg(figure, f"possible counts beyond each cut-off for "
                                            f"{arm.label}, with the printed {arm.printed} "
                                            "marked, and two datasets that fit the printed "
                                            "mean and SD").text)
    return Html("".join(parts))


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
    if reported.test:
        printed.append(f"test: {_e(reported.test)}")
    if reported.statistic is not None:
        df = ", ".join(str(d) for d in reported.df)
        printed.append(f"statistic {_e(reported.statistic)}" + (f" (df {_e(df)})" if df else ""))
    if reported.p is not None:
        printed.append(f"p {_e(reported.p)}")
    if reported.estimate is not None:
        estimate = reported.estimate
        text = f"{_e(estimate.measure)} {_e(estimate.value)}"
        if estimate.ci is not None:
            text += f" ({estimate.level:.0%} CI {_e(estimate.ci[0])} to {_e(estimate.ci[1])})"
        if estimate.adjusted:
            text += ", adjusted"
        printed.append(text)
    claimed = {True: "significant", False: "not significant", None: "not stated"}[
        claim.significant]
    lines = [f"<p><strong>{_e(outcome.label)}</strong> ({_e(outcome.type)})"
             + (f' <span class="rea-muted">source: {_e(outcome.source)}</span>'
                if outcome.source else "") + "</p>",
             f'<table class="rea-table"><thead><tr>{head}</tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>",
             f"<p>Printed result: {'; '.join(printed) or 'none'}. Claimed: {claimed}"
             f" at alpha = {check.alpha:g}"
             + (f" ({_e(claim.alternative)})" if claim.alternative != "two-sided" else "")
             + ".</p>"]
    return _wrap("".join(lines))


def tests_table(check) -> Html:
    """Every rebuilt test: its role, statistic, p at the printed values and over the rounding."""
    rows = []
    for spec in check.specs:
        statistic = format_number(spec.statistic)
        if spec.statistic_min is not None and spec.statistic_max is not None \
                and format_number(spec.statistic_min) != format_number(spec.statistic_max):
            statistic += (f'<br><span class="rea-muted">{format_number(spec.statistic_min)} to '
                          f"{format_number(spec.statistic_max)}</span>")
        note = _e(spec.note) if spec.note else ""
        rows.append(
            f"<tr><td>{_e(spec.label)}</td><td>{_e(_ROLES.get(spec.role, spec.role))}</td>"
            f'<td class="num">{statistic}</td><td class="num">{_p(spec.p)}</td>'
            f'<td class="num">{_e(_p_range(spec))}</td>'
            f"<td>{_decision(spec.significant, spec.computed)}</td>"
            f'<td class="rea-muted">{note}</td></tr>')
    head = ("<th>Test</th><th>Role</th><th>Statistic</th><th>p at the printed values</th>"
            "<th>p over the rounding</th><th>At alpha = " + f"{check.alpha:g}" +
            "</th><th>Note</th>")
    if not rows:
        return _wrap('<p class="rea-muted">No test could be rebuilt.</p>')
    return _wrap(f'<table class="rea-table"><thead><tr>{head}</tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table>")


def effects_table(check) -> Html:
    """Effect sizes at the printed values, with their confidence intervals."""
    if not check.effects:
        return _wrap('<p class="rea-muted">No effect size could be computed.</p>')
    rows = []
    for effect in check.effects:
        name = _MEASURES.get(effect.measure, effect.measure)
        note = "; ".join(_e(text) for text in (effect.method, effect.note) if text)
        rows.append(f"<tr><td>{_e(name)}</td><td class=\"num\">{format_number(effect.estimate)}"
                    f"</td><td class=\"num\">{format_number(effect.ci_low)} to "
                    f"{format_number(effect.ci_high)}</td><td>{effect.level:.0%}</td>"
                    f'<td class="rea-muted">{note}</td></tr>')
    return _wrap('<table class="rea-table"><thead><tr><th>Effect</th><th>Estimate</th>'
                 "<th>Confidence interval</th><th>Level</th><th>Method</th></tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>")


def robustness(check) -> Html | None:
    """The sensitivity analyses' one-sentence explanations, when the check has them."""
    sensitivity = check.sensitivity
    if sensitivity is None:
        return None
    from reanalyse.sensitivity import ANALYSES

    items = []
    for name in ANALYSES:
        result = getattr(sensitivity, name, None)
        if result is not None and getattr(result, "computed", False):
            items.append(f"<li>{_e(result.explanation)}</li>")
    items += [f"<li>{_e(note)}</li>" for note in sensitivity.notes]
    if not items:
        return None
    return _wrap("<ul>" + "".join(items) + "</ul>")


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


def explain(check, study) -> str:
    """A plain-language paragraph: what the paper claims, what the rebuilt tests say, and
    what the verdict means, in words a reader without the code can follow."""
    claim = check.claim
    verdict = check.verdict.value
    outcome = study.outcome(claim.outcome)
    claimed = claim.significant
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


def show_claim(check, study, result=None) -> None:
    """Display everything about one claim, in reading order.

    The heading with the verdict; the plain-language paragraph; the printed numbers; the
    p-interval plot and the table of rebuilt tests; effect sizes; robustness analyses; and
    for a binary outcome the significance map (which needs ``result``, the
    :class:`~reanalyse.checks.check.StudyCheck`, for its options).
    """
    from IPython.display import display

    from reanalyse.reports import plots

    claim = check.claim
    display(_wrap(f'<div class="rea-claim"><h2>{_e(claim.id)} {badge(check.verdict.value)}</h2>'
                  f"<p>{_e(claim.text)}</p><p><strong>Why:</strong> {_e(check.reason)}</p>"
                  + "".join(f'<p class="rea-muted">Note: {_e(note)}</p>'
                            for note in check.notes) + "</div>"))
    display(explanation(check, study))
    display(_wrap("<h3>The printed numbers</h3>"))
    display(printed_numbers(check, study))
    if any(spec.computed for spec in check.specs):
        display(_wrap("<h3>Every rebuilt test against alpha</h3>"
                      "<p class=\"rea-muted\">Each bar spans the p-values a test gives over "
                      "every value the printed numbers could stand for (a dot marks the "
                      "p-value at the printed values); the dashed line is alpha, and bars left "
                      "of it are significant. The shaded band is the p-value the paper "
                      "printed.</p>"))
        display(figure_html(plots.p_interval_plot(check),
                            f"p-value ranges of the rebuilt tests for {claim.id}, against "
                            f"alpha = {check.alpha:g}; the numbers are in the table below"))
    display(tests_table(check))
    display(_wrap("<h3>Effect size</h3>"))
    display(effects_table(check))
    extra = robustness(check)
    if extra is not None:
        display(_wrap("<h3>Robustness</h3>"))
        display(extra)
    bounds = cutoff_section(check)
    if bounds is not None:
        display(bounds)
    if result is not None:
        grid = plots.significance_grid(check, study, result.options)
        if grid is not None:
            display(_wrap(
                "<h3>Significance map</h3><p class=\"rea-muted\">Which event counts each test "
                f"calls significant at these arm sizes (n = {grid.treat_n} and "
                f"{grid.control_n}): each square is one pair of counts, filled where the test "
                "gives p at or below alpha. The black frame marks the printed counts; outlined "
                "squares are every pair the printed percentages allow.</p>"))
            display(figure_html(plots.significance_map(grid),
                                f"significance map of {claim.id}: which event counts each "
                                "test calls significant"))


def show_claims(result, study) -> None:
    """:func:`show_claim` for every claim of ``result`` (a :class:`StudyCheck`)."""
    for check in result.claims:
        show_claim(check, study, result)


def glossary() -> Html:
    """What each verdict means, with its badge."""
    rows = "".join(f"<tr><td>{badge(verdict)}</td><td>{_e(meaning.capitalize())}.</td></tr>"
                   for verdict, meaning in VERDICT_MEANINGS.items())
    return _wrap(f'<table class="rea-table"><tbody>{rows}</tbody></table>')
