"""Plain words: sentences, lists of names, and the paragraph that explains a claim's verdict."""

from __future__ import annotations

from reanalyse.claims.labels import VERDICT_LABELS, VERDICT_MEANINGS
from reanalyse.reports.markup import Html, escape, wrap
from reanalyse.reports.report.cutoffs import cutoff_finding
from reanalyse.reports.report.formatting import _p_range, _printed_p
from reanalyse.text import plural, sentence

__all__ = ["explain", "explanation"]


def _decision(significant: bool | None, computed: bool) -> str:
    if not computed:
        return "not computed"
    return {True: "significant", False: "not significant",
            None: "depends on the rounding"}[significant]


def _names(specs) -> str:
    labels = [f"{spec.label} ({_p_range_sentence(spec)})" for spec in specs]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _p_range_sentence(spec) -> str:
    text = _p_range(spec)
    if text.startswith("at most"):
        return f"p {text}"
    return f"p = {text}" if " to " not in text else f"p from {text}"


def _tests(count: int) -> str:
    return plural(count, "test")


def _claimed(check) -> bool | None:
    """The significance the paper claims, as the check read it (from the study file's
    ``significant``, else from the printed p)."""
    return check.context.claimed if check.context is not None else check.claim.significant


def explain(check, study) -> str:
    """A plain-language paragraph: what the paper claims, what the rebuilt tests say, and
    what the verdict means, in words a reader without the code can follow.

    The one source of a claim's prose: the report shows it as the claim's paragraph
    (:func:`explanation`) and ``result[claim].explain()`` returns it.  It says, in order, where
    the study file disagrees with itself, the claim, the rebuilt tests, the check of the
    paper's own printed result (the p of its statistic or CI beside its printed p), the verdict,
    what the exact bounds beyond a cut-off find, and what the robustness analyses add.
    """
    claim = check.claim
    verdict = check.verdict.value
    outcome = study.outcome(claim.outcome)
    claimed = _claimed(check)
    # what the study file says against itself comes first: it may be a slip of the file
    sentences = [sentence(note) for note in check.notes
                 if note.startswith("The study file disagrees with itself")]
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
        failure = check.estimate.failure() if check.estimate is not None else None
        if failure:  # a printed unadjusted estimate is checked all the same
            sentences.append(sentence(f"The printed estimate is checked all the same: {failure}"))
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
    if check.partition.judged:  # else the tests above are the paper's own already
        sentences += _own_result_sentences(check)
    sentences.append(f"Verdict: {VERDICT_LABELS.get(verdict, verdict)} — "
                     f"{VERDICT_MEANINGS.get(verdict, '')}.")
    if check.rests_on_adjustment:
        what = "significance" if claimed else "lack of significance"
        sentences.append(f"Its {what} rests on the adjustment: every unadjusted test rebuilt "
                         "from the printed summaries (shown as context) says the opposite.")
    finding = cutoff_finding(check)
    if finding:
        sentences.append(f"Beyond the cut-off: {finding[0].lower()}{finding[1:]}")
    sensitivity = check.sensitivity
    reasons = getattr(sensitivity, "fragile_reasons", ()) if sensitivity is not None else ()
    if reasons:
        sentences.append("The robustness analyses add: " + "; ".join(reasons) + ".")
    return " ".join(sentences)


def _own_result_sentences(check) -> list[str]:
    """The check of the paper's own printed result: the p its printed statistic or CI gives,
    beside the printed p (the rows of role ``reported`` of the tests table)."""
    printed = check.claim.reported.p
    sentences = []
    for spec in check.specs:
        if spec.role != "reported" or not spec.computed:
            continue
        text = f"The paper's own result: {spec.label} gives {_p_range_sentence(spec)}"
        if printed is not None:
            text += f", beside the printed {_printed_p(str(printed))}"
        sentences.append(text + ".")
    return sentences


def explanation(check, study) -> Html:
    """:func:`explain` as a highlighted paragraph."""
    return wrap(f'<p class="rea-plain">{escape(explain(check, study))}</p>')
