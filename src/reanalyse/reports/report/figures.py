"""Matplotlib figures embedded in a report as SVG, with a text alternative."""

from __future__ import annotations

import base64
import io

from reanalyse.reports.markup import Html, escape, wrap

__all__ = ["figure_html", "figure_svg"]


def figure_html(figure, alt: str) -> Html:
    """A matplotlib figure as an embedded SVG image with a text alternative.

    SVG keeps the labels as text and scales with the page (``max-width: 100%``), so a plot
    stays sharp on a phone.  Embedding the image does not depend on a matplotlib backend being
    set up in the kernel.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return wrap(f'<img class="rea-figure" alt="{escape(alt)}" '
                 f'src="data:image/svg+xml;base64,{data}" style="max-width: 100%; height: auto">')


def figure_svg(figure, alt: str) -> Html:
    """A matplotlib figure as inline SVG whose labels stay text (searchable, readable by screen
    readers), with ``alt`` as its title."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "reanalyse"}):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = text.replace(">", f' role="img" aria-label="{escape(alt)}">', 1)
    return wrap(f'<div class="rea-figure" style="max-width: 100%; overflow-x: auto">{text}</div>')
