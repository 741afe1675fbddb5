"""The forest plot of a pooled line: each study's printed numbers, effect, weight and own
verdict, and one pooled diamond per estimator.

The figure is drawn for a phone first: 4 inches wide (the width of a 390-pixel screen at
96 pixels an inch, so the SVG is shown near its own size there and its text keeps its size),
with each study on three lines (its label and verdict; its printed numbers; its interval with
the effect and weight written beside it) instead of the wide table of Review Manager.

Every number drawn is read from a :class:`~reanalyse.reviews.check.PoolCheck`; nothing is
computed here but positions.  Texts are drawn as plain text (``parse_math=False``): labels
come from review files.
"""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure

from reanalyse.claims.labels import verdict_label
from reanalyse.reports.report import VERDICT_COLOURS

__all__ = ["forest_plot", "FIGURE_WIDTH", "FONT_SIZE"]

#: Inches: 390 CSS pixels at 96 pixels an inch, less a margin.
FIGURE_WIDTH = 3.9
#: Points; the smallest text of the figure is :data:`SMALL_SIZE`.
FONT_SIZE, SMALL_SIZE = 9.5, 8.5
_STUDY_HEIGHT, _POOL_HEIGHT, _HEADER = 0.62, 0.34, 0.55
_INK, _MUTED, _NULL = "#1f2328", "#57606a", "#8c959f"
_DIAMOND = {"primary": "#0969da", "other": "#6e7781"}
_RATIOS = ("OR", "RR")


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.3g}"


def _interval(effect, low, high) -> str:
    return f"{_number(effect)} [{_number(low)}, {_number(high)}]"


def _printed(study) -> str:
    row = study.printed
    arms = []
    for prefix in ("treat", "control"):
        if f"{prefix}_events" in row:
            arms.append(f"{row[f'{prefix}_events']}/{row[f'{prefix}_n']}")
        else:
            spread = row.get(f"{prefix}_sd") or row.get(f"{prefix}_se")
            mean = row.get(f"{prefix}_mean", "?")
            arms.append(f"{mean} ({spread}) n {row.get(f'{prefix}_n', '?')}")
    return " v ".join(arms)


def forest_plot(check) -> Figure:
    """The forest plot of one pooled line (a :class:`~reanalyse.reviews.check.PoolCheck`).

    Studies from top to bottom as in the review file, each with its printed numbers
    (treatment v control: mean (SD) n, or events/n), its effect and interval, its weight under
    the primary estimator and, for a study file, its own verdict; then one diamond per
    estimator (the primary one in blue), the printed pooled estimate as a bar above them,
    and the line of no effect.  Ratios are drawn on a log axis.
    """
    pool, studies = check.pool, check.studies
    estimators = [e for e in check.estimators if math.isfinite(e.fit.estimate)]
    ratio = pool.measure in _RATIOS
    title = textwrap.wrap(pool.label, 46)[:3]
    header = _HEADER + 0.17 * (len(title) - 1)
    top = _STUDY_HEIGHT * len(studies) + _POOL_HEIGHT * (len(estimators) + 1) + 0.2
    height = header + top + 0.45
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    axes = figure.add_axes((0.03, 0.45 / height, 0.94, top / height))
    axes.set_ylim(0, top)
    values = [v for s in studies for v in (s.ci_low, s.ci_high) if v is not None
              and math.isfinite(v) and (v > 0 or not ratio)]
    values += [v for e in estimators for v in (e.fit.ci_low, e.fit.ci_high) if math.isfinite(v)]
    null = 1.0 if ratio else 0.0
    values = values or ([0.5, 2.0] if ratio else [-1.0, 1.0])
    low, high = min(values + [null]), max(values + [null])
    if ratio:
        axes.set_xscale("log")
        span = math.log(high / low) or 1.0
        low, high = low / math.exp(0.05 * span), high * math.exp(0.05 * span)
    else:
        span = (high - low) or 1.0
        low, high = low - 0.05 * span, high + 0.05 * span
    axes.set_xlim(low, high)
    axes.axvline(null, color=_NULL, linewidth=0.8, zorder=0)
    text = {"parse_math": False, "color": _INK}
    figure.text(0.03, 1 - 0.12 / height, "\n".join(title), fontsize=FONT_SIZE,
                fontweight="bold", va="top", linespacing=1.2, **text)
    figure.text(0.03, 1 - (header - 0.12) / height, f"{pool.measure} [95% CI] · weight "
                f"({check.primary}) · treatment v control", fontsize=SMALL_SIZE, va="top",
                parse_math=False, color=_MUTED)
    y = top
    for study in studies:
        first, second, bar = y - 0.12, y - 0.3, y - 0.48
        axes.text(low, first, textwrap.shorten(study.label, 28, placeholder="…"),
                  fontsize=FONT_SIZE, va="center", ha="left", **text)
        if study.effect is None:
            summary = "no effect (no events)"
        else:
            weight = "" if study.weight is None else f" · {study.weight:.1f}%"
            summary = _interval(study.effect, study.ci_low, study.ci_high) + weight
        axes.text(high, first, summary, fontsize=SMALL_SIZE, va="center", ha="right",
                  parse_math=False, color=_INK)
        axes.text(low, second, textwrap.shorten(_printed(study), 40, placeholder="…"),
                  fontsize=SMALL_SIZE, va="center", ha="left", parse_math=False, color=_MUTED)
        if study.verdict is not None:
            colour, background = VERDICT_COLOURS.get(study.verdict, (_INK, "#e4e8ec"))
            axes.text(high, second, verdict_label(study.verdict), fontsize=SMALL_SIZE,
                      va="center", ha="right", parse_math=False, color=colour,
                      bbox={"boxstyle": "round,pad=0.2", "facecolor": background,
                            "edgecolor": "none"})
        if study.effect is not None:
            size = 3 + 5 * math.sqrt((study.weight or 0) / 100)
            axes.plot([study.ci_low, study.ci_high], [bar, bar], color=_INK, linewidth=1)
            axes.plot([study.effect], [bar], marker="s", markersize=size,
                      color="#cf222e" if study.impossible else _INK, linestyle="none")
        y -= _STUDY_HEIGHT
    printed = pool.printed
    y -= _POOL_HEIGHT
    if printed.estimate is not None:
        if printed.ci is not None:
            axes.plot([printed.ci[0].value, printed.ci[1].value], [y, y], color="#bf8700",
                      linewidth=3, solid_capstyle="butt")
        axes.plot([printed.estimate.value], [y], marker="|", markersize=10, color="#6f4a00")
        ci = "" if printed.ci is None else f" [{printed.ci[0]}, {printed.ci[1]}]"
        axes.text(high, y + 0.13, f"printed: {printed.estimate}{ci}", fontsize=SMALL_SIZE,
                  va="center", ha="right", parse_math=False, color="#6f4a00")
    for estimator in estimators:
        y -= _POOL_HEIGHT
        fit = estimator.fit
        primary = estimator.name == check.primary
        colour = _DIAMOND["primary" if primary else "other"]
        axes.fill([fit.ci_low, fit.estimate, fit.ci_high, fit.estimate],
                  [y, y + 0.11, y, y - 0.11], color=colour, linewidth=0)
        label = f"{estimator.name}: {_interval(fit.estimate, fit.ci_low, fit.ci_high)}"
        right = fit.estimate < (math.sqrt(low * high) if ratio else (low + high) / 2)
        axes.text(high if right else low, y, label, fontsize=SMALL_SIZE, va="center",
                  ha="right" if right else "left", parse_math=False,
                  color="#0550ae" if primary else _INK,
                  fontweight="bold" if primary else "normal")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.set_yticks([])
    axes.tick_params(axis="x", labelsize=SMALL_SIZE, colors=_MUTED)
    return figure
