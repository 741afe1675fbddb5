"""Step 4, the exact fallback: one sum's integer programme (:func:`scipy.optimize.milp`, HiGHS),
within the work budget; and the search of a bracket's counts from its end inwards.
"""

from __future__ import annotations

from math import ceil, floor

import numpy as np

from reanalyse.kernels.cutoff_bounds.bracket import _Arm
from reanalyse.kernels.cutoff_bounds.decision import _certificate
from reanalyse.errors import WorkBudgetExceeded
from reanalyse.kernels.cutoff_bounds.scale import NODE_LIMIT, Scale, _fraction
from reanalyse.kernels.cutoff_bounds.walks import _stats

#: Counts settled pair by pair from each end of the bracket before the integer programmes.
_LEVELS = 8


def _programme(arm: _Arm, t: int, column: int, *, count=None, maximise=None, bound=None):
    """Solve one sum's integer programme with HiGHS; returns a checked dataset or None.

    ``count`` fixes the count at or above t; otherwise ``maximise`` (True/False) optimises it
    within ``bound`` (an upper bound when maximising, lower when minimising).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, B = arm.n, arm.B
    s = int(arm.sums[column])
    q_low = max(int(arm.q_low[column]), 0)
    q_high = int(arm.q_high[column])
    y = np.arange(B + 1)
    centre = (2 * s + n) // (2 * n)
    z = y - centre
    shift = -2 * centre * s + n * centre * centre
    above = (y >= t).astype(float)
    rows = [np.ones(B + 1), z.astype(float), (z * z).astype(float), above]
    lows = [n, s - n * centre, q_low + shift, 0]
    highs = [n, s - n * centre, q_high + shift, n]
    if count is not None:
        lows[3] = highs[3] = count
    elif bound is not None:
        if maximise:
            highs[3] = bound
        else:
            lows[3] = bound
    objective = np.zeros(B + 1) if count is not None else (-above if maximise else above)
    if arm.programmes <= 0:
        raise WorkBudgetExceeded("the integer programmes of this question ran out")
    arm.programmes -= 1
    result = milp(objective, integrality=np.ones(B + 1),
                  bounds=Bounds(np.zeros(B + 1), np.full(B + 1, float(n))),
                  constraints=LinearConstraint(np.array(rows), np.array(lows, dtype=float),
                                               np.array(highs, dtype=float)),
                  options={"mip_rel_gap": 0.0, "node_limit": NODE_LIMIT})
    if result.status == 2:  # infeasible
        return None
    if result.status == 1:  # the node limit: not settled within the work budget
        raise WorkBudgetExceeded(f"an integer programme reached its {NODE_LIMIT} nodes")
    if result.status != 0 or result.x is None:
        raise ArithmeticError(f"the integer programme for n = {n}, sum {s} did not finish: "
                              f"{result.message}")
    freq = [int(v) for v in np.rint(result.x)]
    got_n, got_s, got_q = _stats(freq)
    got_count = sum(freq[t:])
    if (got_n, got_s) != (n, s) or not (arm.q_low[column] <= got_q <= arm.q_high[column]) \
            or (count is not None and got_count != count):
        raise ArithmeticError(f"the integer programme's solution for n = {n}, sum {s} fails "
                              "the exact check; the bound is not reported")
    return freq


def _extreme(arm: _Arm, t: int, maximise: bool, relaxed: np.ndarray):
    """(count, frequencies) of the largest (smallest) count, or None when nothing fits.

    The counts of the bracket are settled from its end inwards, each (count, sum) pair by a
    certificate or a proof (:func:`_certificate`), for at most :data:`_LEVELS` counts; what
    they leave open goes to the integer programmes, capped at the first count not proved
    impossible.
    """
    rows = np.flatnonzero(relaxed.any(axis=1))
    if not len(rows):
        return None
    order = rows[::-1] if maximise else rows
    cap = None
    for top in order[:_LEVELS].tolist():
        cap = top
        unsettled = False
        for column in np.flatnonzero(relaxed[top]):
            freq = _certificate(arm, t, top, int(column))
            if freq is ...:
                unsettled = True
            elif freq is not None:
                return top, freq
        if unsettled:
            break
    else:
        if len(order) <= _LEVELS:
            return None  # every pair of the bracket proved impossible
        cap = int(order[_LEVELS])
    # exact fallback: each sum's integer programme, most promising first
    columns = np.flatnonzero(relaxed.any(axis=0))
    bounds = []
    for column in columns:
        counts = np.flatnonzero(relaxed[:, column])
        bound = int(counts[-1] if maximise else counts[0])
        bound = min(bound, cap) if maximise else max(bound, cap)
        if (counts <= bound).any() if maximise else (counts >= bound).any():
            bounds.append((bound, int(column)))
    bounds.sort(reverse=maximise)
    best = None
    for bound, column in bounds:
        if best is not None and (bound <= best[0] if maximise else bound >= best[0]):
            break
        freq = _programme(arm, t, column, maximise=maximise, bound=bound)
        if freq is not None:
            found = sum(freq[t:])
            if best is None or (found > best[0] if maximise else found < best[0]):
                best = (found, freq)
    return best


def _possible(arm: _Arm, t: int, count: int, relaxed_row: np.ndarray):
    """A dataset with exactly ``count`` values at or above t, or None (exact)."""
    open_columns = []
    for column in np.flatnonzero(relaxed_row).tolist():
        freq = _certificate(arm, t, count, column)
        if freq is ...:
            open_columns.append(column)
        elif freq is not None:
            return freq
    for column in open_columns:
        freq = _programme(arm, t, column, count=count)
        if freq is not None:
            return freq
    return None


# ----------------------------------------------------------------------------------------
# cut-offs

def _threshold(scale: Scale, cutoff, direction: str) -> tuple[int, bool]:
    """``(t, mirrored)``: the count is of units ``y >= t``, read backwards when mirrored."""
    unit = scale.unit(_fraction(cutoff, "cutoff"))
    B = scale.points
    if direction == ">=":
        t, mirrored = ceil(unit), False
    elif direction == ">":
        t, mirrored = floor(unit) + 1, False
    elif direction == "<=":
        t, mirrored = B - floor(unit), True
    else:
        t, mirrored = B - (ceil(unit) - 1), True
    # t = 0: every value counts (the low part is empty); t = B + 1: none does
    return min(max(t, 0), B + 1), mirrored


def _unmirror(freq, mirrored: bool):
    return list(reversed(freq)) if mirrored else list(freq)
