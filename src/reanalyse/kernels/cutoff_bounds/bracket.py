"""Step 1, the bracket: one arm's printed numbers in integer units, and the exact least and
greatest sum of squares of each (count, sum) pair in closed form over arrays.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

import numpy as np

from reanalyse.kernels.cutoff_bounds.scale import MAX_N, MAX_PAIRS, PROGRAMMES, Interval, Scale

_CHUNK = 1_000_000

#: Largest relaxation (counts x sums) kept with its arm for the next question.
_KEPT_CELLS = 200_000


class _Arm:
    """One arm's printed numbers in integer units: the sums S allowed and, per S, the window
    of sums of squares Q (parity-adjusted, clipped to what the scale allows)."""

    def __init__(self, n, mean: Interval | None, sd: Interval | None, scale: Scale,
                 mirrored: bool = False, *, counts: int | None = None, what: str = "a cut-off"):
        if isinstance(n, bool) or int(n) != n or n < 1:
            raise ValueError(f"n = {n!r}: must be a whole number of at least 1")
        n = int(n)
        if n > MAX_N:
            raise ValueError(f"n = {n} is too large: at most {MAX_N} participants per arm")
        if sd is not None and n == 1:
            raise ValueError("n = 1 has no sample SD (n - 1 = 0); give the mean only")
        if sd is not None and sd.upper < 0:
            raise ValueError(f"sd interval {sd.lower}..{sd.upper} is negative")
        self.n, self.scale, self.B = n, scale, scale.points
        self.mean, self.sd = mean, sd
        self.programmes = PROGRAMMES  # integer programmes this question may still solve
        self.relaxations = {}  # t -> _relaxed_all(self, t)
        B, items = self.B, scale.items
        if mean is None:
            low, high = 0, n * B
        else:
            a = n * items * (mean.lower - scale.minimum)
            b = n * items * (mean.upper - scale.minimum)
            low = ceil(a) if mean.lower_closed else floor(a) + 1
            high = floor(b) if mean.upper_closed else ceil(b) - 1
            low, high = max(low, 0), min(high, n * B)
            if mirrored:
                low, high = n * B - high, n * B - low
        self.sums = np.arange(low, high + 1, dtype=np.int64) if low <= high else \
            np.zeros(0, dtype=np.int64)
        pairs = (n + 1 if counts is None else counts) * len(self.sums)
        if pairs > MAX_PAIRS:
            raise ValueError(
                f"n = {n} with a mean that allows {len(self.sums)} sums gives {pairs} "
                f"(count, sum) pairs for {what}; at most {MAX_PAIRS} are examined (a mean "
                "printed to more decimals, or a smaller n, narrows them)")
        top = n * B * B + 1
        if sd is None:
            self.q_low = np.full(len(self.sums), -1, dtype=np.int64)
            self.q_high = np.full(len(self.sums), top, dtype=np.int64)
            return
        scale2 = n * (n - 1) * items * items
        if sd.lower < 0 or (sd.lower == 0 and sd.lower_closed):
            d_low, low_closed = Fraction(0), True
        else:
            d_low, low_closed = scale2 * sd.lower ** 2, sd.lower_closed
        d_high, high_closed = scale2 * sd.upper ** 2, sd.upper_closed
        q_low, q_high = [], []
        pl, ql = d_low.numerator, d_low.denominator
        ph, qh = d_high.numerator, d_high.denominator
        for s in self.sums.tolist():
            square = s * s
            num, den = square * ql + pl, n * ql
            lo = -((-num) // den) if low_closed else num // den + 1
            num, den = square * qh + ph, n * qh
            hi = num // den if high_closed else -((-num) // den) - 1
            lo += (lo - s) % 2
            hi -= (hi - s) % 2
            q_low.append(min(max(lo, -1), top))
            q_high.append(max(min(hi, top), -2))
        self.q_low = np.array(q_low, dtype=np.int64)
        self.q_high = np.array(q_high, dtype=np.int64)


_ARMS: dict = {}

_ARMS_KEPT = 32


def _arm(n, mean, sd, scale, mirrored, what) -> _Arm:
    """An :class:`_Arm`, kept for the next question on the same printed numbers (a screen's
    count after its bounds, a sweep's cut-offs); its relaxations are kept with it."""
    key = (n, mean, sd, scale, mirrored)
    arm = _ARMS.get(key)
    if arm is None:
        arm = _Arm(n, mean, sd, scale, mirrored, what=what)
        if len(_ARMS) >= _ARMS_KEPT:
            _ARMS.pop(next(iter(_ARMS)))
        _ARMS[key] = arm
    return arm


# ----------------------------------------------------------------------------------------
# closed forms over arrays (int64: Q <= n B**2 <= 1e6 * 1e6)

def _balanced(m, k):
    """Smallest sum of squares of m integers summing to k (0 where m = 0)."""
    safe = np.maximum(m, 1)
    q = k // safe
    r = k - q * safe
    return np.where(m > 0, q * q * safe + r * (2 * q + 1), 0)


def _ranges(n, t, B, c, S):
    """The low part's sums s1 allowed for count c and sum S: [lo, hi]."""
    lo = np.maximum(0, S - c * B)
    hi = np.minimum((n - c) * (t - 1), S - c * t)
    return lo, hi


def _split_min(n, c, S, lo, hi):
    """The low part's sum at which the even spreads of both parts give the least Q.

    The sum of the two parts' least Q is convex in the low part's sum s1; its unconstrained
    minimum is at the even spread of all n values (``S = q n + r``: r values at q + 1), of
    which the low part can take ``(n - c) q + max(0, r - c)``; clipped into [lo, hi], that is
    a minimum over [lo, hi].
    """
    q, r = S // n, S % n
    return np.clip((n - c) * q + np.maximum(0, r - c), lo, np.maximum(lo, hi))


def _q_min(n, t, B, c, S):
    lo, hi = _ranges(n, t, B, c, S)
    s1 = _split_min(n, c, S, lo, hi)
    return _balanced(n - c, s1) + _balanced(c, S - s1), lo <= hi, s1


def _q_max(n, t, B, c, S):
    """Largest Q (exact): the low part all zeros (S <= c B) or the high part all B, and each
    part with at most one value inside its range."""
    l1, l2 = t - 1, B - t
    k2 = S - c * t
    if l2 > 0:
        q, r = k2 // l2, k2 % l2
        high_spread = q * B * B + (c - q) * t * t + np.where(r > 0, (t + r) ** 2 - t * t, 0)
    else:
        high_spread = c * t * t
    k1 = S - c * B
    if l1 > 0:
        q, r = k1 // l1, k1 % l1
        low_spread = c * B * B + q * l1 * l1 + r * r
    else:
        low_spread = c * B * B
    return np.where(S <= c * B, high_spread, low_spread)


def _relaxed(arm: _Arm, t: int, counts: np.ndarray, columns: np.ndarray):
    """Whether each (count, sum) pair's [Qmin, Qmax] meets the sum's window of Q:
    a boolean (len(counts), len(columns)) array."""
    n, B = arm.n, arm.B
    S = arm.sums[columns][None, :]
    c = counts[:, None]
    q_min, feasible, _ = _q_min(n, t, B, c, S)
    q_max = _q_max(n, t, B, c, S)
    low = np.maximum(arm.q_low[columns][None, :], q_min)
    high = np.minimum(arm.q_high[columns][None, :], q_max)
    return feasible & (low <= high)


def _relaxed_all(arm: _Arm, t: int) -> np.ndarray:
    """:func:`_relaxed` over every count 0..n and every sum, in chunks (kept per t)."""
    kept = arm.relaxations.get(t)
    if kept is not None:
        return kept
    counts = np.arange(arm.n + 1, dtype=np.int64)
    columns = np.arange(len(arm.sums))
    out = np.zeros((arm.n + 1, len(arm.sums)), dtype=bool)
    step = max(1, _CHUNK // (arm.n + 1))
    for start in range(0, len(columns), step):
        part = columns[start:start + step]
        out[:, part] = _relaxed(arm, t, counts, part)
    if out.size <= _KEPT_CELLS:
        arm.relaxations[t] = out
    return out
