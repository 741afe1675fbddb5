"""Figures for claim-check reports: p-intervals against alpha, and the significance map.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
state; a notebook displays it with ``display(figure)``).  The numbers drawn come from a
:class:`~reanalyse.checks.check.ClaimCheck` or, for the significance map, from
:func:`reanalyse.checks.binary.binary_tests`, the same functions the check runs, applied to each
count pair in turn.

Every text drawn is plain text (``parse_math=False``): labels, ids and printed values come from
study files, and a ``$`` in them must show as a dollar sign, not start mathtext (which can fail
the figure, e.g. on its href command).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import NullLocator

__all__ = ["p_interval_plot", "SignificanceGrid", "significance_grid", "significance_map",
           "SIGNIFICANT_COLOUR", "NOT_SIGNIFICANT_COLOUR", "STRADDLE_COLOUR"]

SIGNIFICANT_COLOUR = "#1a7f37"
NOT_SIGNIFICANT_COLOUR = "#8c959f"
STRADDLE_COLOUR = "#bc4c00"
_PRINTED_COLOUR = "#0969da"
#: Smallest p drawn on the log axis; smaller values are drawn at the edge with a marker.
_FLOOR = 1e-12


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
    lowest = min(positive + [alpha] + ([printed.interval(alpha)[1]] if printed else []))
    left = max(_FLOOR, 10 ** np.floor(np.log10(lowest) - 0.5))
    figure = Figure(figsize=(8, 0.5 * len(specs) + 1.5), layout="constrained")
    axes = figure.add_subplot()
    axes.set_xscale("log")
    axes.axvspan(left, alpha, color=SIGNIFICANT_COLOUR, alpha=0.07, lw=0)
    axes.axvline(alpha, color="#cf222e", ls="--", lw=1.2, label=f"alpha = {alpha:g}")
    if printed is not None:
        low, high = printed.interval(alpha)
        axes.axvspan(max(low, left), high, color=_PRINTED_COLOUR, alpha=0.18, lw=0,
                     label=f"printed p {printed}")
    labels = []
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
        role = {"context": " (context)", "reported": " (from the printed result)"}.get(spec.role, "")
        labels.append(spec.label + role)
    axes.xaxis.set_minor_locator(NullLocator())  # decades are enough, and cheaper to draw
    axes.set_yticks(range(len(labels)), labels, parse_math=False)
    axes.set_ylim(-0.7, len(labels) - 0.3)
    axes.set_xlim(left, 1.0)
    axes.set_xlabel("p-value (log scale); left of the dashed line: significant", parse_math=False)
    axes.grid(axis="x", which="major", color="#d0d7de", lw=0.6)
    legend = axes.legend(loc="lower right", fontsize="small", framealpha=0.9)
    for text in legend.get_texts():
        text.set_parse_math(False)
    axes.set_title(f"{check.claim.id}: p over the rounding of the printed numbers",
                   loc="left", fontsize="medium", parse_math=False)
    return figure


@dataclass(frozen=True)
class SignificanceGrid:
    """Which tests call each pair of event counts significant, at the printed arm sizes.

    Attributes
    ----------
    treat_n, control_n : int
        The arm sizes.
    treat_label, control_label : str
    treat_events, control_events : tuple of int
        The counts in the window (rows, columns).
    tests : tuple of (str, str)
        ``(name, label)`` of each test, in the check's order.
    significant : dict
        Test name -> array of shape (rows, columns): 1 significant, 0 not.
    printed : tuple of int
        The count pair closest to the printed figures.
    feasible : tuple of (int, int)
        Every pair the printed numbers allow.
    alpha : float
    """

    treat_n: int
    control_n: int
    treat_label: str
    control_label: str
    treat_events: tuple[int, ...]
    control_events: tuple[int, ...]
    tests: tuple[tuple[str, str], ...]
    significant: dict
    printed: tuple[int, int]
    feasible: tuple[tuple[int, int], ...]
    alpha: float


def significance_grid(check, study, options, *, half_width: int = 6) -> SignificanceGrid | None:
    """Run the check's binary tests on every count pair near the printed one.

    Parameters
    ----------
    check : ClaimCheck
        A claim on a binary outcome of two arms.
    study : Study
    options : CheckOptions
        The check's options (rounding of printed percentages, Boschloo policy).
    half_width : int
        Counts either side of the printed count in each arm.

    Returns
    -------
    SignificanceGrid or None
        None when the claim is not a two-arm binary comparison with its counts known.
    """
    from reanalyse.checks.binary import CountPairs, binary_tests

    outcome = study.outcome(check.claim.outcome)
    arm_ids = study.claim_arms(check.claim)
    if outcome.type != "binary" or len(arm_ids) != 2 or check.missing or check.impossible:
        return None
    pairs = CountPairs.from_summaries(*(outcome.arms[arm_id].with_rounding(options.rounding)
                                        for arm_id in arm_ids))
    if not pairs.feasible:
        return None
    names = [spec.name for spec in check.specs if spec.role != "reported"]
    rows = tuple(range(max(0, pairs.treat_printed - half_width),
                       min(pairs.treat_n, pairs.treat_printed + half_width) + 1))
    columns = tuple(range(max(0, pairs.control_printed - half_width),
                          min(pairs.control_n, pairs.control_printed + half_width) + 1))
    significant = {name: np.zeros((len(rows), len(columns))) for name in names}
    labels = {}
    for i, a in enumerate(rows):
        for j, c in enumerate(columns):
            single = CountPairs(pairs.treat_n, pairs.control_n, (a,), (c,), a, c)
            for spec in binary_tests(single, alternative=check.claim.alternative,
                                     alpha=check.alpha, boschloo=options.boschloo):
                if spec.name in significant:
                    significant[spec.name][i, j] = 1.0 if spec.significant else 0.0
                    labels[spec.name] = spec.label
    feasible = tuple((a, c) for a in pairs.treat_events for c in pairs.control_events)
    return SignificanceGrid(
        pairs.treat_n, pairs.control_n, study.arm(arm_ids[0]).label,
        study.arm(arm_ids[1]).label, rows, columns,
        tuple((name, labels[name]) for name in names if name in labels), significant,
        (pairs.treat_printed, pairs.control_printed), feasible, check.alpha)


def significance_map(grid: SignificanceGrid) -> Figure:
    """One small map per test: filled squares are the count pairs it calls significant.

    The printed pair is framed in black; pairs the printed percentages allow are outlined.
    """
    panels = len(grid.tests)
    columns = min(panels, 3)
    rows = -(-panels // columns)
    # Fixed margins rather than a layout engine: laying out five panels costs more than
    # drawing them, and the labels are short.
    figure = Figure(figsize=(3.3 * columns + 0.6, 3.2 * rows + 0.8))
    figure.subplots_adjust(left=0.6 / (3.3 * columns + 0.6), right=0.98, wspace=0.3,
                           bottom=0.55 / (3.2 * rows + 0.8), top=1 - 0.6 / (3.2 * rows + 0.8),
                           hspace=0.4)
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
        axes.set_title(label, fontsize="medium", parse_math=False)
        if index >= panels - columns:
            axes.set_xlabel(f"{grid.control_label} events (n = {grid.control_n})",
                            fontsize="small", parse_math=False)
        if index % columns == 0:
            axes.set_ylabel(f"{grid.treat_label} events (n = {grid.treat_n})", fontsize="small",
                            parse_math=False)
        axes.tick_params(labelsize="small")
    figure.suptitle(f"Green: significant at alpha = {grid.alpha:g}; black frame: printed counts",
                    fontsize="medium", parse_math=False)
    return figure
