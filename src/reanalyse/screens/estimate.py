"""Printed effect estimates (OR, RR, RD, MD, SMD) with their CIs, rebuilt from the counts or the
means and SDs printed beside them, for many rows.

Each row holds a printed ``measure``, ``estimate``, ``ci_low`` and ``ci_high`` with the two
arms' numbers: events and n (OR, RR, RD) or mean, SD and n (MD, SMD).  The estimate is rebuilt
by every defensible method over the rounding box (:mod:`reanalyse.rebuild.estimates`, the claim
check's rule): ``consistent`` when some method gives the printed value and some gives both
printed CI ends (as printed or read in the other direction, which ``direction`` says);
``inconsistent`` when none does; ``decision_error`` when, besides, the printed CI lies on a
side of the null (above, below, across) no rebuilt CI reaches; ``untestable`` for HR and IRR
(summary counts hold no times) or when the arms' numbers for the measure are missing.
Hypotheses: two independent arms (binomial counts, or normal outcomes).
"""

from __future__ import annotations

import numpy as np

from reanalyse.rebuild.binary import CountPairs
from reanalyse.rebuild.continuous import ArmBox
from reanalyse.rebuild.estimates import REBUILT_MEASURES, check_estimate
from reanalyse.kernels.printed import parse_number
from reanalyse.model.study import Estimate
from reanalyse.screens.base import BAD_INPUT, CONSISTENT, DECISION_ERROR, INCONSISTENT, \
    UNTESTABLE, Screen, ScreenResult, Field, table_mapper

__all__ = ["ESTIMATE", "estimate_consistency", "estimate_map"]

_MEASURES = {name.lower(): name for name in ("OR", "RR", "RD", "MD", "SMD", "HR", "IRR")}
_BINARY = ("treat_events", "control_events")
_CONTINUOUS = ("treat_mean", "treat_sd", "control_mean", "control_sd")


def _number(column, i):
    return parse_number(column.text[i]) if column.text[i] != "" else None


def _row(columns, i, rounding):
    """(status, reason, direction, estimate methods, CI methods, rebuilt) of row ``i``."""
    measure = columns["measure"][i]
    if measure not in ("OR", "RR", "RD", "MD", "SMD"):
        return (UNTESTABLE, f"the printed {measure} cannot be rebuilt from summary counts "
                "(they hold no follow-up times)", "", "", "", "")
    kind = "binary" if measure in REBUILT_MEASURES["binary"] else "continuous"
    needed = _BINARY if kind == "binary" else _CONTINUOUS
    lacking = [name for name in needed if columns[name].text[i] == ""]
    if lacking:
        return (UNTESTABLE, f"the printed {measure} is rebuilt from {', '.join(needed)}; "
                "empty: " + ", ".join(lacking), "", "", "", "")
    n1, n2 = int(columns["treat_n"][i]), int(columns["control_n"][i])
    printed = Estimate(measure, _number(columns["estimate"], i),
                       (_number(columns["ci_low"], i), _number(columns["ci_high"], i)),
                       level=float(columns["level"].value[i]) / 100)
    if kind == "binary":
        events = [columns[name].value[i] for name in _BINARY]
        if any(e != int(e) or e > n for e, n in zip(events, (n1, n2))):
            return (BAD_INPUT, "events must be whole numbers no larger than n", "", "", "",
                    "")
        pairs = CountPairs.from_arms(n1, int(events[0]), None, n2, int(events[1]), None)
        check = check_estimate(printed, kind, pairs=pairs, rounding=rounding)
    else:
        boxes = []
        for arm, n in (("treat", n1), ("control", n2)):
            mean, sd = columns[f"{arm}_mean"], columns[f"{arm}_sd"]
            (mean_low,), (mean_high,) = (np.atleast_1d(x) for x in mean.take([i]).interval(
                rounding))
            (sd_low,), (sd_high,) = (np.atleast_1d(x) for x in sd.take([i]).interval(rounding))
            boxes.append(ArmBox(n, float(mean.value[i]), mean_low, mean_high,
                                max(float(sd.value[i]), 1e-12), max(sd_low, 1e-12), sd_high))
        check = check_estimate(printed, kind, boxes=tuple(boxes), rounding=rounding)
    if check.rebuilt:
        status, reason = CONSISTENT, None
    else:
        status = DECISION_ERROR if check.flips else INCONSISTENT
        reason = check.failure()
    return (status, reason, check.direction, " ".join(check.estimate_methods),
            " ".join(check.ci_methods), check.given())


def _run(columns, options):
    rows = len(columns["treat_n"])
    status = np.full(rows, CONSISTENT, dtype=np.int8)
    texts = {name: np.full(rows, "", dtype=object) for name in
             ("reason", "direction", "estimate_methods", "ci_methods", "rebuilt")}
    texts["reason"] = np.full(rows, None, dtype=object)
    for i in range(rows):
        found = _row(columns, i, options["rounding"])
        status[i] = found[0]
        for name, value in zip(("reason", "direction", "estimate_methods", "ci_methods",
                                "rebuilt"), found[1:]):
            texts[name][i] = value
    return {"status": status, **texts}


ESTIMATE = Screen(
    name="estimate",
    title="a printed OR, RR, RD, MD or SMD and its CI versus the counts or means beside it",
    reference="every defensible interval method over the rounding box "
              "(reanalyse.rebuild.estimates)",
    fields=(
        Field("measure", "label", "OR, RR, RD, MD or SMD (HR, IRR: untestable)",
              labels=_MEASURES),
        Field("estimate", "printed", "the printed estimate (blank: not printed)", default="",
              blank_ok=True),
        Field("ci_low", "printed", "the printed CI's lower end"),
        Field("ci_high", "printed", "the printed CI's upper end"),
        Field("level", "printed", "the CI's level in percent (blank: 95)", default="95",
              minimum=1, maximum=99.99),
        Field("treat_n", "whole", "first arm's n", minimum=1),
        Field("control_n", "whole", "second arm's n", minimum=1),
        Field("treat_events", "printed", "first arm's events (OR, RR, RD)", default="",
              minimum=0, blank_ok=True),
        Field("control_events", "printed", "second arm's events (OR, RR, RD)", default="",
              minimum=0, blank_ok=True),
        Field("treat_mean", "printed", "first arm's mean (MD, SMD)", default="",
              blank_ok=True),
        Field("treat_sd", "printed", "first arm's SD (MD, SMD)", default="", minimum=0,
              blank_ok=True),
        Field("control_mean", "printed", "second arm's mean (MD, SMD)", default="",
              blank_ok=True),
        Field("control_sd", "printed", "second arm's SD (MD, SMD)", default="", minimum=0,
              blank_ok=True),
    ),
    outputs={"direction": "as printed, reciprocal or negated (the direction that fits)",
             "estimate_methods": "methods whose estimate gives the printed value",
             "ci_methods": "methods whose interval gives both printed CI ends",
             "rebuilt": "what the numbers give, by each method, at the printed numbers"},
    run=_run,
)

estimate_map = table_mapper(ESTIMATE)


def estimate_consistency(measure: str, estimate: str | None, ci_low: str, ci_high: str,
                         treat_n: int, control_n: int, *, treat_events: int | None = None,
                         control_events: int | None = None, treat_mean: str | None = None,
                         treat_sd: str | None = None, control_mean: str | None = None,
                         control_sd: str | None = None, level: str = "95",
                         rounding: str = "nearest") -> ScreenResult:
    """Whether a printed estimate and CI follow from the arms' printed numbers.

    Returns
    -------
    ScreenResult
        ``details``: ``direction``, ``estimate_methods``, ``ci_methods``, ``rebuilt``.

    Examples
    --------
    >>> estimate_consistency("OR", "2.67", "1.09", "6.52", 50, 50, treat_events=20,
    ...                      control_events=10).status
    'consistent'
    >>> estimate_consistency("OR", "3.50", "1.40", "8.60", 50, 50, treat_events=20,
    ...                      control_events=10).status
    'inconsistent'
    """
    def text(value):
        return "" if value is None else str(value)

    values = {"measure": measure, "estimate": text(estimate), "ci_low": ci_low,
              "ci_high": ci_high, "level": level, "treat_n": treat_n, "control_n": control_n,
              "treat_events": text(treat_events), "control_events": text(control_events),
              "treat_mean": text(treat_mean), "treat_sd": text(treat_sd),
              "control_mean": text(control_mean), "control_sd": text(control_sd)}
    return ESTIMATE.scalar(values, {"rounding": rounding})
