"""What a claim-check notebook shows, in reading order.

A report opens with its bottom line: the study's title (:func:`study_header`), one sentence per
claim and the verdict table with its legend beside it (:func:`summary`).  Then each claim in
detail (:func:`show_claims`), the robustness analyses (:func:`robustness_section`), and, in a
collapsed section at the end, the provenance: files relative to the project, their hashes, the
options and the versions (:func:`provenance`).

The notebook templates in ``notebooks/`` are thin: they load an analysis, run
:func:`reanalyse.check` and hand the result to the functions here.  Every number these functions show
is read from that result (:class:`~reanalyse.claims.assess.StudyCheck`,
:class:`~reanalyse.claims.assess.ClaimCheck`, their specs and effects) or from the
study file as printed; nothing is computed or decided here.  All text that comes from a study or
analysis file is escaped, so a study title containing ``<script>`` is shown as text.

:func:`summary` and :func:`verdict_table` also carry the check's JSON (``StudyCheck.to_dict()``)
under the MIME type :data:`CHECK_MIMETYPE`: ``reanalyse run`` reads the verdicts from that
output of the executed notebook, so the report and the ``.json`` beside it cannot disagree.

Sections, one module each: :mod:`~reanalyse.reports.report.header` (title, provenance),
:mod:`~reanalyse.reports.report.verdicts` (bottom line, verdict table, legend),
:mod:`~reanalyse.reports.report.claims` (each claim in detail),
:mod:`~reanalyse.reports.report.cutoffs` (exact bounds beyond a cut-off),
:mod:`~reanalyse.reports.report.robustness`, :mod:`~reanalyse.reports.report.prose` (plain
words), :mod:`~reanalyse.reports.report.formatting` (numbers) and
:mod:`~reanalyse.reports.report.figures` (embedded plots); the badges and the style sheet are
:mod:`reanalyse.reports.markup`, which the index page shares.
"""

from reanalyse.claims.labels import VERDICT_LABELS, VERDICT_MEANINGS
from reanalyse.model.vocabulary import CHECK_MIMETYPE
from reanalyse.reports.markup import (BADGE_STYLE, REPORT_STYLE, VERDICT_COLOURS, Html, badge,
                                      legend)
from reanalyse.reports.report.claims import (effects_table, estimate_table, printed_numbers,
                                             show_claim, show_claims, tests_table)
from reanalyse.reports.report.cutoffs import cutoff_section, cutoff_takeaway
from reanalyse.reports.report.figures import figure_html, figure_svg
from reanalyse.reports.report.formatting import format_number
from reanalyse.reports.report.header import provenance, short_title, study_header
from reanalyse.reports.report.prose import explain, explanation
from reanalyse.reports.report.robustness import robustness, robustness_section
from reanalyse.reports.report.verdicts import (VerdictTable, bottom_line, glossary, summary,
                                               verdict_table)

__all__ = ["CHECK_MIMETYPE", "VERDICT_LABELS", "VERDICT_MEANINGS", "VERDICT_COLOURS",
           "BADGE_STYLE", "REPORT_STYLE", "Html", "VerdictTable", "badge", "short_title",
           "study_header", "bottom_line", "summary", "verdict_table", "legend",
           "printed_numbers", "tests_table", "effects_table", "estimate_table", "robustness",
           "robustness_section", "provenance", "explain", "explanation", "show_claim",
           "show_claims", "glossary", "figure_html", "figure_svg", "cutoff_section",
           "cutoff_takeaway",
           "format_number"]
