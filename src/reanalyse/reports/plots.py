"""Figures for claim-check reports: p-intervals against alpha, the significance map, and the
bands of possible counts beyond each cut-off of a scale with their witness datasets.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
state; a notebook displays it with ``display(figure)``).  The numbers drawn are read, never decided here: from a
:class:`~reanalyse.claims.assess.ClaimCheck`, its significance window
(:mod:`reanalyse.rebuild.window`) and its exact bounds beyond a cut-off.

Every text drawn is plain text (``parse_math=False``): labels, ids and printed values come from
study files, and a ``$`` in them must show as a dollar sign, not start mathtext (which can fail
the figure, e.g. on its href command).
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import NullLocator

from reanalyse.kernels.cutoffs import WORDS, beyond
from reanalyse.rebuild.window import SignificanceGrid

__all__ = ["p_interval_plot", "SignificanceGrid", "significance_grid", "significance_map",
           "cutoff_band_plot",
           "SIGNIFICANT_COLOUR", "NOT_SIGNIFICANT_COLOUR", "STRADDLE_COLOUR"]

SIGNIFICANT_COLOUR = "#1a7f37"
NOT_SIGNIFICANT_COLOUR = "#8c959f"
STRADDLE_COLOUR = "#bc4c00"
_PRINTED_COLOUR = "#0969da"
#: Smallest p drawn on the log axis; smaller values are drawn at the edge with a marker.
_FLOOR = 1e-12


def _fill(text: str, width: int) -> str:
    """``text`` wrapped to ``width`` characters between words only (never inside a word,
    hyphenated or too long for a line)."""
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


def _colour(significant) -> str:
    return {True: SIGNIFICANT_COLOUR, False: NOT_SIGNIFICANT_COLOUR}.get(significant,
                                                                          STRADDLE_COLOUR)


def p_interval_plot(check) -> Figure:
    """Each rebuilt test's p-interval ``[p_min, p_max]`` on a log axis, with alpha marked.

    Bars are green where the whole interval is at or below alpha, grey above it, orange where
    it crosses alpha; a dot (coloured the same) marks the p at the printed values; the blue band is the p-value
    the paper printed (its rounding interval, or ``[0, x]`` for ``p < x``).  Tests shown as
    context (not judged) are drawn faded.

    Parameters
    ----------
    check : ClaimCheck

    Returns
    -------
    Figure
    """
    specs = [spec for spec in check.specs if spec.computed]
    alpha = check.alpha
    printed = check.claim.reported.p
    positive = [value for spec in specs for value in (spec.p_min, spec.p_max) if value > 0]
    lowest = min(positive + [alpha] + ([printed.interval(alpha, check.rounding)[1]] if printed else []))
    left = max(_FLOOR, 10 ** np.floor(np.log10(lowest) - 0.5))
    labels = [_test_label(spec) for spec in reversed(specs)]
    figure = Figure(figsize=_p_plot_size(labels), layout="constrained")
    axes = figure.add_subplot()
    axes.set_xscale("log")
    axes.axvspan(left, alpha, color=SIGNIFICANT_COLOUR, alpha=0.07, lw=0)
    axes.axvline(alpha, color="#cf222e", ls="--", lw=1.2, label=f"alpha = {alpha:g}")
    if printed is not None:
        low, high = printed.interval(alpha, check.rounding)
        axes.axvspan(max(low, left), high, color=_PRINTED_COLOUR, alpha=0.18, lw=0,
                     label=f"printed p {printed}")
    for row, spec in enumerate(reversed(specs)):
        faded = spec.role == "context"
        colour = _colour(spec.significant)
        low, high = max(spec.p_min, left), max(spec.p_max, left)
        axes.plot([low, high], [row, row], color=colour, lw=7, solid_capstyle="butt",
                  alpha=0.4 if faded else 1.0)
        if spec.p_min < left:
            axes.plot([left], [row], marker="<", color=colour, ms=9)
        if spec.p is not None:
            axes.plot([max(spec.p, left)], [row], "o", color=colour, mec="black", ms=7, zorder=3,
                      alpha=0.5 if faded else 1.0)
    axes.xaxis.set_minor_locator(NullLocator())  # decades are enough, and cheaper to draw
    axes.set_yticks(range(len(labels)), labels, fontsize=_FONT_SIZE, parse_math=False)
    axes.tick_params(axis="x", labelsize=_FONT_SIZE)
    axes.set_ylim(-0.7, len(labels) - 0.3)
    axes.set_xlim(left, 1.0)
    # wrapped to the plot area's width, so that no label runs past the figure's edge
    axes.set_xlabel(_fill("p-value (log scale); left of the dashed line: significant",
                                  int(_P_AREA * _CHARS_PER_INCH)),
                    fontsize=_FONT_SIZE, parse_math=False)
    axes.grid(axis="x", which="major", color="#d0d7de", lw=0.6)
    # below the plot, where it covers no bar
    legend = figure.legend(loc="outside lower center", fontsize=_FONT_SIZE - 1, ncols=1,
                           frameon=False)
    for text in legend.get_texts():
        text.set_parse_math(False)
    width = figure.get_figwidth()
    figure.suptitle(_fill(f"{check.claim.id}: p over the rounding of the printed "
                                  "numbers", width=max(20, int(width * _CHARS_PER_INCH))),
                    x=0.01, ha="left", fontsize=_FONT_SIZE + 1, parse_math=False)
    return figure


#: Font size (points) of the plots' text: large enough to read when a phone scales the
#: figure down to its width.
_FONT_SIZE = 11
#: Characters of :data:`_FONT_SIZE` text per inch (a generous average for sans-serif).
_CHARS_PER_INCH = 10.5
#: Where a test's label is wrapped onto a second line.
_LABEL_WIDTH = 20
#: Width (inches) of the p-interval plot's drawing area.
_P_AREA = 2.9
#: Widest figure (inches): a phone 390 px wide (about 340 px of content) shows it at 0.7 of its
#: size or more, so that 11 pt text stays about 10 px tall.
PHONE_WIDTH_INCHES = 5.0


def _test_label(spec) -> str:
    """A test's label on the plot: its name, its role when not judged, wrapped to two lines
    or more rather than squeezing the plot."""
    label = spec.label
    if spec.role == "context":
        label += " (context)"
    elif spec.role == "reported" and "printed" not in label:
        label += " (from the printed result)"
    return _fill(label, _LABEL_WIDTH)


def _p_plot_size(labels) -> tuple[float, float]:
    """Width and height (inches) from the content: the widest label line beside a plot area
    of fixed width, and a row per label line."""
    widest = max((len(line) for label in labels for line in label.splitlines()), default=10)
    lines = sum(label.count("\n") + 1 for label in labels)
    width = min(widest / _CHARS_PER_INCH + _P_AREA + 0.4, PHONE_WIDTH_INCHES)
    height = 0.26 * lines + 0.12 * len(labels) + 2.3
    return width, height


def significance_grid(check, study, *, half_width: int = 6) -> SignificanceGrid | None:
    """The window of count pairs the significance map shows, for a claim on a binary outcome
    of two arms (decided by :func:`reanalyse.rebuild.window.significance_window` from the
    count pairs the check derived); None for any other claim.

    Parameters
    ----------
    check : ClaimCheck
    study : Study
    half_width : int
        Counts either side of the printed count in each arm.

    Returns
    -------
    SignificanceGrid or None
        None when the claim is not a two-arm binary comparison with its counts known (a
        claim about the difference between two results has none).
    """
    from reanalyse.rebuild.window import significance_window

    pairs = check.pairs
    if pairs is None or not pairs.feasible or check.missing or check.impossible \
            or len(check.context.arm_ids) != 2 \
            or check.claim.compares:  # a difference between two results has no 2 x 2 map
        return None
    labels = {spec.name: spec.label for spec in check.specs
              if spec.role != "reported" and spec.computed}
    arm_labels = tuple(study.arm(arm_id).label for arm_id in check.context.arm_ids)
    return significance_window(pairs, labels, arm_labels, alternative=check.claim.alternative,
                               alpha=check.alpha, half_width=half_width)


def significance_map(grid: SignificanceGrid) -> Figure:
    """One small map per test: filled squares are the count pairs it calls significant.

    The printed pair is framed in black; pairs the printed percentages allow are outlined.
    """
    panels = len(grid.tests)
    columns = min(panels, 2)  # two panels a row stay legible when a phone scales the figure
    rows = -(-panels // columns)
    # Fixed margins rather than a layout engine: laying out five panels costs more than
    # drawing them, and the labels are short.  At most PHONE_WIDTH_INCHES wide.
    left, gap, top, bottom = 0.95, 0.3, 1.15, 0.75
    side = (PHONE_WIDTH_INCHES - left - 0.1 - gap) / 2
    width = left + side * columns + gap * (columns - 1) + 0.1
    height = top + bottom + side * rows + 0.75 * (rows - 1)
    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(left=left / width, right=1 - 0.1 / width, wspace=gap / side,
                           bottom=bottom / height, top=1 - top / height, hspace=0.75 / side)
    colours = ListedColormap(["#eaeef2", SIGNIFICANT_COLOUR])
    extent = (grid.control_events[0] - 0.5, grid.control_events[-1] + 0.5,
              grid.treat_events[-1] + 0.5, grid.treat_events[0] - 0.5)
    for index, (name, label) in enumerate(grid.tests):
        axes = figure.add_subplot(rows, columns, index + 1)
        axes.imshow(grid.significant[name], cmap=colours, vmin=0, vmax=1, extent=extent,
                    aspect="equal", interpolation="nearest")
        for a, c in grid.feasible:
            axes.add_patch(Rectangle((c - 0.5, a - 0.5), 1, 1, fill=False, ec="#0969da", lw=1))
        a, c = grid.printed
        axes.add_patch(Rectangle((c - 0.5, a - 0.5), 1, 1, fill=False, ec="black", lw=2.2))
        chars = int(side * _CHARS_PER_INCH)
        axes.set_title(_fill(label, chars), fontsize=_FONT_SIZE, parse_math=False)
        if index >= panels - columns:
            axes.set_xlabel(_fill(f"{grid.control_label} events (n = {grid.control_n})",
                                          chars), fontsize=_FONT_SIZE - 1, parse_math=False)
        if index % columns == 0:
            axes.set_ylabel(_fill(f"{grid.treat_label} events (n = {grid.treat_n})",
                                          chars), fontsize=_FONT_SIZE - 1, parse_math=False)
        axes.tick_params(labelsize=_FONT_SIZE - 1)
    figure.suptitle(_fill(f"Green: significant at alpha = {grid.alpha:g}; black frame: "
                                  "printed counts", int(width * _CHARS_PER_INCH)),
                    y=1 - 0.08 / height, va="top", fontsize=_FONT_SIZE, parse_math=False)
    return figure


def _witness_at(arm):
    """The bounds whose witnesses a report shows: at the stated cut-off, else at the first
    conventional cut-off where the printed count fits, else at the first cut-off that fits."""
    if arm.stated is not None and arm.stated.determined and arm.stated.feasible:
        return arm.stated
    fitting = set(arm.fitting_cutoffs())
    for bounds in arm.candidates:
        if bounds.determined and bounds.feasible and bounds.cutoff in fitting:
            return bounds
    for bounds, fits in zip(arm.sweep.bounds if arm.sweep is not None else (), arm.fits):
        if fits and bounds.determined:
            return bounds
    return next((b for b in arm.candidates if b.determined and b.feasible), None)


def cutoff_band_plot(analysis, arm) -> Figure | None:
    """One arm: for every cut-off, the band of possible counts beyond it; below, two witnesses.

    Top: a bar per cut-off from ``count_min`` to ``count_max`` (exact, over every dataset
    that fits the printed n, mean and SD; an undetermined cut-off is drawn as its bracket,
    hatched), green where the printed count is possible and grey where it is not, the printed
    count (or the counts a printed percentage allows) as a blue line, the stated and
    conventional cut-offs' bars outlined in black.  Below: the two witness datasets (the
    fewest and the most beyond it) at the cut-off :func:`_witness_at` picks, as histograms of
    scores.  The figure is narrow and its text large enough to read when a phone scales it to
    its width.

    Parameters
    ----------
    analysis : CutoffAnalysis
    arm : ArmCutoff
        One of ``analysis.arms`` with a sweep.

    Returns
    -------
    Figure or None
        None when the arm has no sweep or no dataset fits its mean and SD.
    """
    from matplotlib.patches import Patch

    if arm.sweep is None or arm.feasible is False:
        return None
    rows = arm.sweep.bounds
    chosen = _witness_at(arm)
    figure = Figure(figsize=(_CUTOFF_WIDTH, 5.6 if chosen is not None else 3.6),
                    layout="constrained")
    grid = figure.add_gridspec(2 if chosen is not None else 1, 2,
                               height_ratios=(2.3, 1.0) if chosen is not None else (1,))
    axes = figure.add_subplot(grid[0, :])
    marked = {b.cutoff for b in arm.candidates} | (
        {arm.stated.cutoff} if arm.stated is not None else set())
    x = [float(b.cutoff) for b in rows]
    step = (x[1] - x[0]) if len(rows) > 1 else 1.0
    for position, bounds, fits in zip(x, rows, arm.fits):
        if bounds.feasible is False:
            continue
        low, high = ((bounds.count_min, bounds.count_max) if bounds.determined
                     else bounds.bracket)
        colour = SIGNIFICANT_COLOUR if fits else (NOT_SIGNIFICANT_COLOUR if fits is False
                                                  else STRADDLE_COLOUR)
        axes.add_patch(Rectangle((position - 0.4 * step, low - 0.4), 0.8 * step,
                                 high - low + 0.8, facecolor=colour, alpha=0.55,
                                 hatch=None if bounds.determined else "//",
                                 edgecolor="black" if bounds.cutoff in marked else colour,
                                 lw=1.6 if bounds.cutoff in marked else 0.5))
    counts = arm.counts
    axes.axhspan(min(counts) - 0.15, max(counts) + 0.15, color=_PRINTED_COLOUR, alpha=0.9, lw=0)
    axes.set_xlim(x[0] - step, x[-1] + step)
    axes.set_ylim(-1, arm.n + 1)
    words = WORDS.get(arm.sweep.direction, arm.sweep.direction)
    axes.set_xlabel(f"cut-off (scores {words} it are counted)", fontsize=_FONT_SIZE,
                    parse_math=False)
    axes.set_ylabel(f"count of {arm.n}", fontsize=_FONT_SIZE, parse_math=False)
    axes.tick_params(labelsize=_FONT_SIZE - 1)
    handles = [Patch(color=_PRINTED_COLOUR, label=f"printed: {arm.printed}"),
               Patch(color=SIGNIFICANT_COLOUR, alpha=0.55, label="printed count possible"),
               Patch(color=NOT_SIGNIFICANT_COLOUR, alpha=0.55, label="not possible")]
    if any(fits is None for fits in arm.fits):
        handles.append(Patch(facecolor=STRADDLE_COLOUR, alpha=0.55, hatch="//",
                             label="undetermined"))
    if marked:
        handles.append(Patch(facecolor="white", edgecolor="black", lw=1.6,
                             label="conventional" if arm.stated is None else "stated"))
    legend = axes.legend(handles=handles, loc="upper right", fontsize=_FONT_SIZE - 1,
                         framealpha=0.9)
    for text in legend.get_texts():
        text.set_parse_math(False)
    axes.set_title(f"{arm.label}: possible counts at each cut-off", loc="left",
                   fontsize=_FONT_SIZE + 1, parse_math=False)
    if chosen is not None:
        cut = f"{WORDS[chosen.direction]} {float(chosen.cutoff):g}"
        for column, (which, witness, count) in enumerate(
                (("fewest", chosen.witness_min, chosen.count_min),
                 ("most", chosen.witness_max, chosen.count_max))):
            small = figure.add_subplot(grid[1, column])
            scores = sorted(witness.frequencies)
            small.bar([float(s) for s in scores], [witness.frequencies[s] for s in scores],
                      width=0.8 / chosen.scale.items,
                      color=[_PRINTED_COLOUR if beyond(s, chosen.cutoff, chosen.direction)
                             else NOT_SIGNIFICANT_COLOUR for s in scores])
            small.set_xlim(float(chosen.scale.minimum) - 0.5, float(chosen.scale.maximum) + 0.5)
            small.tick_params(labelsize=_FONT_SIZE - 2)
            small.set_title(f"{which}: {count} {cut}\nmean {float(witness.mean):.3f}, "
                            f"SD {witness.sd:.3f}", fontsize=_FONT_SIZE - 1, loc="left",
                            parse_math=False)
            small.set_xlabel("score", fontsize=_FONT_SIZE - 1, parse_math=False)
            if column == 0:
                small.set_ylabel("people", fontsize=_FONT_SIZE - 1, parse_math=False)
    return figure


#: Width (inches) of a cut-off figure: narrow enough that a phone shows its text legibly.
_CUTOFF_WIDTH = PHONE_WIDTH_INCHES
