"""Each claim in detail, in reading order: heading and reason, the plain paragraph, the printed
numbers, the rebuilt tests with their p-interval plot, effect sizes, the cut-off bounds and
the significance map.
"""

from __future__ import annotations

from reanalyse.model import tests
from reanalyse.rebuild.results import ROLES
from reanalyse.reports.markup import Html, badge, escape, scroll, wrap
from reanalyse.reports.report.cutoffs import _cutoff_owners, cutoff_finding, cutoff_section
from reanalyse.reports.report.figures import figure_html
from reanalyse.reports.report.formatting import (_absent, _decimals_for, _fixed, _p_cell,
                                                 _p_decimals, _p_range, _printed_p,
                                                 format_number)
from reanalyse.reports.report.prose import _claimed, _decision, explanation
from reanalyse.text import sentence

__all__ = ["printed_numbers", "tests_table", "effects_table", "estimate_table", "show_claim",
           "show_claims"]

_ROLES = dict(zip(ROLES, ("the test the paper names (or the usual one)",
                          "another defensible test", "from the paper's own statistic or CI",
                          "shown, not judged")))

_MEASURES = {"MD": "mean difference", "SMD": "standardised mean difference (Hedges' g)",
             "RD": "risk difference", "RR": "risk ratio", "OR": "odds ratio",
             "HR": "hazard ratio"}


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
        cells = [f'<td data-label="Arm">{escape(arm.label)}</td>',
                 f'<td class="num" data-label="randomised">{escape(arm.randomised or "–")}</td>']
        for title, name in columns:
            value = getattr(summary, name, None)
            if name == "ci" and value is not None:
                value = f"{value[0]} to {value[1]}"
            cells.append(f'<td class="num" data-label="{escape(title)}">'
                         f'{escape("–" if value is None else value)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    reported = claim.reported
    printed = []
    if reported.statistic is not None:
        df = ", ".join(str(d) for d in reported.df)
        printed.append(f"statistic {escape(reported.statistic)}" + (f" (df {escape(df)})" if df else ""))
    if reported.p is not None:
        printed.append(escape(_printed_p(str(reported.p))))
    if reported.estimate is not None:
        estimate = reported.estimate
        text = f"{escape(estimate.measure)} {escape(estimate.value)}"
        if estimate.ci is not None:
            text += f" ({estimate.level:.0%} CI {escape(estimate.ci[0])} to {escape(estimate.ci[1])})"
        if estimate.adjusted:
            text += ", adjusted"
        printed.append(text)
    test = tests.reported_phrase(reported.test) if reported.test else None
    if test and printed:
        result_text = f"The paper reports {escape(test)}: {', '.join(printed)}."
    elif test:
        result_text = f"The paper reports {escape(test)} but prints no statistic or p-value."
    elif printed:
        result_text = f"The paper prints {', '.join(printed)}."
    else:
        result_text = "The paper prints no test statistic, p-value or estimate for this claim."
    sided = f", {escape(claim.alternative)}" if claim.alternative != "two-sided" else ""
    claimed = {True: f"It calls the result significant (alpha = {check.alpha:g}{sided}).",
               False: f"It calls the result not significant (alpha = {check.alpha:g}{sided}).",
               None: "The study file does not say whether the paper calls the result "
                     "significant."}[_claimed(check)]
    lines = [f"<p><strong>{escape(outcome.label)}</strong> ({escape(outcome.type)})"
             + (f' <span class="rea-muted">source: {escape(outcome.source)}</span>'
                if outcome.source else "") + "</p>",
             scroll(f'<table class="rea-table rea-cards"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{''.join(rows)}</tbody></table>"),
             f"<p>{result_text} {claimed}</p>"]
    return wrap("".join(lines))


def tests_table(check) -> Html:
    """Every rebuilt test: its role, statistic, p at the printed values and over the rounding.

    The statistics share one number of decimals, and so do the p-values (see
    :func:`_p_decimals`).
    """
    if not check.specs:
        return wrap('<p class="rea-muted">No test could be rebuilt.</p>')
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
        note = escape(sentence(spec.note)) if spec.note else ""
        decision = f"At alpha = {check.alpha:g}"
        rows.append(
            f'<tr><td data-label="Test">{escape(spec.label)}</td>'
            f'<td data-label="{decision}">{_decision(spec.significant, spec.computed)}</td>'
            f'<td class="num" data-label="p over the rounding">'
            f"{escape(_p_range(spec, p_decimals))}</td>"
            f'<td class="num" data-label="p at the printed values">'
            f"{_p_cell(spec.p, p_decimals)}</td>"
            f'<td class="num" data-label="Statistic">{statistic}</td>'
            f'<td data-label="Role">{escape(_ROLES.get(spec.role, spec.role))}</td>'
            f'<td class="rea-muted" data-label="Note">{note}</td></tr>')
    # the decision first after the test's name: the column a reader needs, also on a phone
    head = (f"<th>Test</th><th>At alpha = {check.alpha:g}</th><th>p over the rounding</th>"
            "<th>p at the printed values</th><th>Statistic</th><th>Role</th><th>Note</th>")
    return wrap(scroll(f'<table class="rea-table rea-cards"><thead><tr>{head}</tr></thead>'
                         f"<tbody>{''.join(rows)}</tbody></table>"))


def effects_table(check) -> Html:
    """Effect sizes at the printed values, with their confidence intervals (one number of
    decimals for the whole table)."""
    if not check.effects:
        return wrap('<p class="rea-muted">No effect size could be computed.</p>')
    decimals = _decimals_for([value for effect in check.effects
                              for value in (effect.estimate, effect.ci_low, effect.ci_high)])
    rows = []
    for effect in check.effects:
        name = _MEASURES.get(effect.measure, effect.measure)
        note = "; ".join(escape(text) for text in (effect.method, effect.note) if text)
        rows.append(f'<tr><td data-label="Effect">{escape(name)}</td>'
                    f'<td class="num" data-label="Estimate">{_fixed(effect.estimate, decimals)}'
                    f'</td><td class="num" data-label="Confidence interval">'
                    f"{_fixed(effect.ci_low, decimals)} to {_fixed(effect.ci_high, decimals)}"
                    f'</td><td data-label="Level">{effect.level:.0%}</td>'
                    f'<td class="rea-muted" data-label="Method">{note}</td></tr>')
    return wrap(scroll('<table class="rea-table rea-cards"><thead><tr><th>Effect</th>'
                       '<th>Estimate</th>'
                         "<th>Confidence interval</th><th>Level</th><th>Method</th></tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table>"))


def estimate_table(check) -> Html | None:
    """The printed estimate against every method that could have made it: each method's
    estimate and CI at the printed numbers, and whether it gives the printed value and CI
    (None when no unadjusted estimate was printed)."""
    found = getattr(check, "estimate", None)
    if found is None:
        return None
    rows = []
    for method in found.methods:
        value, low, high = method.at_printed
        rows.append(f'<tr><td data-label="Method">{escape(method.label)}</td>'
                    f'<td class="num" data-label="Estimate">{format_number(value)}</td>'
                    f'<td class="num" data-label="Confidence interval">{format_number(low)} to '
                    f'{format_number(high)}</td><td data-label="Gives the printed value">'
                    f"{'yes' if method.estimate_fits else 'no'}</td>"
                    f'<td data-label="Gives the printed CI">{"yes" if method.ci_fits else "no"}'
                    "</td></tr>")
    caption = f"The printed {escape(found.printed)}"
    if found.note is not None:
        caption += f" ({escape(found.note)})"
    return wrap(f"<p>{caption}, against every method over the rounding of the printed "
                f"{escape(found.source)}:</p>" + scroll(
                    '<table class="rea-table rea-cards"><thead><tr><th>Method</th><th>Estimate</th>'
                    "<th>Confidence interval</th><th>Gives the printed value</th>"
                    "<th>Gives the printed CI</th></tr></thead>"
                    f"<tbody>{''.join(rows)}</tbody></table>"))


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
    outcome the significance map (which needs ``result``, the :class:`~reanalyse.claims.assess.StudyCheck`, for its options).
    ``map_shown_under`` names an earlier claim whose map is this claim's too: the map is then
    referred to rather than drawn again; ``cutoff_shown_under`` likewise for the exact bounds
    beyond a cut-off (:func:`cutoff_section`).  Robustness is shown for all claims together by
    :func:`robustness_section`.  Returns whether a significance map was drawn.
    """
    from IPython.display import display

    from reanalyse.reports import plots

    claim = check.claim
    display(wrap(f'<div class="rea-claim"><h3>{escape(claim.id)} {badge(check.verdict.value)}</h3>'
                  f"<p>{escape(claim.text)}</p><p><strong>Why:</strong> {escape(check.reason)}</p>"
                  + "".join(f'<p class="rea-muted">Note: {escape(sentence(note))}</p>'
                            for note in check.notes) + "</div>"))
    display(explanation(check, study))
    display(wrap("<h4>The printed numbers</h4>"))
    display(printed_numbers(check, study))
    if any(spec.computed for spec in check.specs):
        display(wrap("<h4>Every rebuilt test against alpha</h4>"
                      "<p class=\"rea-muted\">Each bar spans the p-values a test gives over "
                      "every value the printed numbers could stand for (a dot marks the "
                      "p-value at the printed values); the dashed line is alpha, and bars left "
                      "of it are significant. The shaded band is the p-value the paper "
                      "printed.</p>"))
        display(figure_html(plots.p_interval_plot(check),
                            f"p-value ranges of the rebuilt tests for {claim.id}, against "
                            f"alpha = {check.alpha:g}; the numbers are in the table below"))
    display(tests_table(check))
    display(wrap("<h4>Effect size</h4>"))
    display(effects_table(check))
    printed_estimate = estimate_table(check)
    if printed_estimate is not None:
        display(printed_estimate)
    if cutoff_shown_under is not None:
        finding = cutoff_finding(check)
        display(wrap("<h4>What the printed means and SDs allow beyond a cut-off</h4>"
                     + (f'<p class="rea-plain">{escape(finding)}</p>' if finding else "")
                     + '<p class="rea-muted">The bands of possible counts and the datasets '
                     f"that attain them are drawn under {escape(cutoff_shown_under)}.</p>"))
    else:
        bounds = cutoff_section(check)
        if bounds is not None:
            display(bounds)
    if map_shown_under is not None:
        display(wrap(f'<p class="rea-muted">The significance map of this outcome is shown '
                      f"under {escape(map_shown_under)}.</p>"))
    elif result is not None:
        grid = plots.significance_grid(check, study)
        if grid is not None:
            display(wrap(
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
