"""HTML pieces shared by the claim-check reports and the index page: the escaped text, the
``.rea`` box, the verdict badges and the reports' style sheet.

Importing this module is cheap (no matplotlib, no scipy): ``reanalyse run`` uses its badges
for the index page.
"""

from __future__ import annotations

import html

from reanalyse.claims.labels import VERDICT_LABELS, VERDICT_MEANINGS
from reanalyse.text import sentence

__all__ = ["VERDICT_COLOURS", "BADGE_STYLE", "REPORT_STYLE", "Html", "escape", "wrap", "badge",
           "scroll", "legend"]

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
  /* tables of numbers become one card per row: the first cell heads it, every other cell
     shows its column's name above its value, side by side as the width allows */
  .rea table.rea-cards, .rea table.rea-cards tbody, .rea table.rea-cards tr { display: block; }
  .rea table.rea-cards { width: 100%; }
  .rea table.rea-cards thead { display: none; }
  .rea table.rea-table.rea-cards tr { border-bottom: 1px solid #d0d7de; padding: .35rem 0;
    text-align: left; }
  .rea table.rea-table.rea-cards td { display: inline-block; vertical-align: top; border: 0;
    padding: .15rem .8rem .15rem 0; text-align: left; white-space: normal; min-width: 6.5rem; }
  .rea table.rea-cards td:first-child { display: block; font-weight: 600; }
  .rea table.rea-cards td:empty { display: none; }
  .rea table.rea-cards td:not(:first-child)::before { content: attr(data-label); display: block;
    font-size: .75em; font-weight: 400; color: #57606a; }
}
"""


class Html:
    """A piece of HTML that Jupyter displays as such (``_repr_html_``)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def escape(value) -> str:
    return html.escape("" if value is None else str(value))


def wrap(body: str) -> Html:
    return Html(f'<div class="rea">{body}</div>')


def badge(verdict: str) -> str:
    """An HTML badge for a verdict (coloured, with its label and meaning as a tooltip)."""
    verdict = getattr(verdict, "value", verdict)
    return (f'<span class="rea-badge rea-v-{escape(verdict)}" title="{escape(VERDICT_MEANINGS.get(verdict))}">'
            f"{escape(VERDICT_LABELS.get(verdict, verdict))}</span>")


def scroll(table: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen instead of the page."""
    return f'<div class="rea-scroll">{table}</div>'


def legend(verdicts=None) -> str:
    """What each verdict means (``verdicts``: those to list, in the vocabulary's order; all by
    default), as a list of badges."""
    wanted = set(VERDICT_MEANINGS) if verdicts is None else set(verdicts)
    items = "".join(f"<li>{badge(verdict)} {escape(sentence(meaning))}</li>"
                    for verdict, meaning in VERDICT_MEANINGS.items() if verdict in wanted)
    return f'<ul class="rea-legend" aria-label="What the verdicts mean">{items}</ul>'
