"""Step 3, the exact decision near the extreme spread (the interior-value lemma): a pair
``(count, sum)`` within :data:`DEFICIT_LIMIT` of the largest sum of squares is either given a
dataset or proved empty.
"""

from __future__ import annotations

import random

from reanalyse.kernels.cutoff_bounds.bracket import _Arm
from reanalyse.kernels.cutoff_bounds.walks import (_even_spread, _extreme_spread, _q_bounds,
                                                   _shuffled_walk, _walk, _walk_down)

__all__ = ["DEFICIT_LIMIT"]

#: Random walks tried (up to this n) before an integer programme.
_SHUFFLES = 3

_SHUFFLED_UP_TO = 400

# ----------------------------------------------------------------------------------------
# exact decision near the largest Q (the interior-value lemma)

#: Largest deficit below the extreme spread that the exact decision examines.
DEFICIT_LIMIT = 3_000

#: Most steps (values x sums x scale points) of the direct enumeration of one small part.
_SMALL_PART_WORK = 200_000

#: Most steps of one pair's exact decision (enumerations and weights examined, all splits).
_DECISION_WORK = 400_000


class _Interiors:
    """Per width L: ``reach[s]``, the set (bits of an int) of weights ``sum x (L - x)`` of
    the multisets of interior values ``x`` in ``1..L-1`` that sum to exactly ``s``, for
    ``s`` and the weights up to ``limit``; ``union[s]`` joins ``reach[s - j L]``, j >= 0."""

    _tables: dict = {}

    def __init__(self, L: int, limit: int):
        mask = (1 << (limit + 1)) - 1
        reach, union = [1], [1]
        # an interior value weighs at least L - 1: only the few near the ends fit the limit
        weights = [(x, x * (L - x)) for x in range(1, L) if x * (L - x) <= limit]
        for s in range(1, limit + 1):
            bits = 0
            for x, w in weights:
                if x > s:
                    break
                bits |= reach[s - x] << w
            bits &= mask
            reach.append(bits)
            union.append(bits | union[s - L] if s >= L else bits)
        self.L, self.limit, self.reach, self.union = L, limit, reach, union
        self.weights = weights

    @classmethod
    def of(cls, L: int, limit: int) -> "_Interiors":
        table = cls._tables.get(L)
        if table is None or table.limit < limit:
            size = max(limit, 2 * table.limit if table is not None else 256)
            table = cls._tables[L] = cls(L, min(size, DEFICIT_LIMIT))
        return table

    def decompose(self, s: int, weight: int) -> list:
        """Interior values summing to ``s`` with total weight ``weight`` (one such multiset)."""
        values = []
        while s:
            for x, w in self.weights:
                if x <= s and w <= weight and (self.reach[s - x] >> (weight - w)) & 1:
                    values.append(x)
                    s, weight = s - x, weight - w
                    break
            else:  # pragma: no cover - the tables are built so that this cannot happen
                raise ArithmeticError("interior decomposition failed")
        return values


def _part_weights(m: int, L: int, k: int, limit: int):
    """The weights W <= limit of the parts of m values in 0..L summing to k, where the sum of
    squares of a part is ``L k - W``: ``(bits, flip)``; None when the lemma does not settle it.

    Lemma: ``z**2 = L z - z (L - z)``, so a part's sum of squares is ``L k - W`` with
    ``W = sum w(z)``, ``w(z) = z (L - z)``, zero exactly at the ends.  The parts are the
    multisets I of interior values (``1..L-1``) with ``sum I = s``, ``s = k (mod L)``,
    ``s <= k`` (the rest of k in values at L) and ``|I| L - s <= m L - k`` (room for the rest
    at 0).  As ``w(z) >= z`` and ``w(z) >= L - z``, any I of weight W has ``s <= W`` and
    ``|I| L - s <= W``: for ``W <= m L - k`` the second condition holds by itself, and
    mirroring ``z -> L - z`` (which keeps every w) swaps the two.  ``flip`` says the sets
    are those of the mirrored part (k read as ``m L - k``).  A small part for which neither
    holds (``m L < 2 limit``) is settled by direct enumeration over its values, one value at
    a time (``layers``), within :data:`_SMALL_PART_WORK` steps.
    """
    if m == 0 or L <= 1:
        return 1, False, None  # no interior value: W = 0 only
    mask = (1 << (limit + 1)) - 1
    if limit <= m * L - k:
        flip, k_eff = False, k
    elif limit <= k:
        flip, k_eff = True, m * L - k
    else:
        flip = 2 * k > m * L
        k_eff = m * L - k if flip else k
        if m * (k_eff + 1) * (L + 1) > _SMALL_PART_WORK:
            return None
        weights = [z * (L - z) for z in range(L + 1)]
        layer = [1] + [0] * k_eff
        layers = [layer]
        for _ in range(m):
            layer = [mask & _join(layer, weights, total) for total in range(k_eff + 1)]
            layers.append(layer)
        return layers[m][k_eff], flip, layers
    top = min(k_eff, limit)
    s = top - (top - k_eff) % L
    if s < 0:
        return 0, flip, None
    table = _Interiors.of(L, limit)
    return table.union[s] & mask, flip, None


def _join(layer, weights, total) -> int:
    """Weights of one more value z (0..L) added to the layer's parts summing to total - z."""
    bits = 0
    for z, w in enumerate(weights[:total + 1]):
        bits |= layer[total - z] << w
    return bits


def _build_part(m: int, L: int, k: int, weight: int, flip: bool, limit: int,
                layers=None) -> list:
    """The values (0..L) of one part of m values summing to k with weight ``weight``."""
    if m == 0:
        return []
    if L <= 1:
        return [1] * k + [0] * (m - k) if L == 1 else [0] * m
    k_eff = m * L - k if flip else k
    if layers is not None:
        values, total = [], k_eff
        for j in range(m, 0, -1):
            z = next(z for z in range(min(L, total) + 1)
                     if z * (L - z) <= weight
                     and (layers[j - 1][total - z] >> (weight - z * (L - z))) & 1)
            values.append(z)
            total, weight = total - z, weight - z * (L - z)
        return [L - z for z in values] if flip else values
    table = _Interiors.of(L, limit)
    top = min(k_eff, limit)
    s = top - (top - k_eff) % L
    while not (table.reach[s] >> weight) & 1:
        s -= L
    values = table.decompose(s, weight)
    ends = (k_eff - s) // L
    values += [L] * ends + [0] * (m - len(values) - ends)
    return [L - z for z in values] if flip else values


def _near_top(n: int, t: int, B: int, c: int, s: int, low: int, high: int):
    """Exact: a dataset with count c (values >= t), sum s and Q in [low, high], or None when
    none exists; ``...`` (Ellipsis) when the window lies too far below the extreme spread for
    the lemma of :func:`_part_weights` within :data:`DEFICIT_LIMIT`.

    With the low part's sum ``s1`` (values in 0..t-1) and the high part's ``k2 = s - s1 - c t``
    (values ``t + z``, z in 0..B-t), ``Q = G(s1) - W1 - W2`` where
    ``G(s1) = (t - 1) s1 + c t**2 + (t + B) k2`` falls by B + 1 per unit of s1: every s1
    with ``G(s1) >= low`` is examined, each for weights with ``W1 + W2`` in
    ``[G - high, G - low]``.
    """
    m1, m2, L1, L2 = n - c, c, t - 1, B - t
    lo, hi = max(0, s - c * B), min(m1 * max(L1, 0), s - c * t)
    if lo > hi:
        return None

    def G(s1):
        return max(L1, 0) * s1 + c * t * t + (t + B) * (s - s1 - c * t)

    if G(lo) - low > DEFICIT_LIMIT:
        return ...
    spent = 0
    for s1 in range(lo, hi + 1):
        g = G(s1)
        if g < low:
            break
        a, b = max(g - high, 0), g - low
        k2 = s - s1 - c * t
        one = _part_weights(m1, L1, s1, b)
        two = _part_weights(m2, L2, k2, b)
        if one is None or two is None:
            return ...
        spent += b + sum(m * (min(k, m * L - k) + 1) * (L + 1) for (_, _, layers), m, L, k
                         in ((one, m1, L1, s1), (two, m2, L2, k2)) if layers is not None)
        if spent > _DECISION_WORK:
            return ...
        (bits1, flip1, layers1), (bits2, flip2, layers2) = one, two
        while bits1:
            bit = bits1 & -bits1
            bits1 ^= bit
            w1 = bit.bit_length() - 1
            start = max(a - w1, 0)
            window = (bits2 >> start) & ((1 << (b - w1 - start + 1)) - 1)
            if window:
                w2 = start + (window & -window).bit_length() - 1
                freq = [0] * (B + 1)
                for z in _build_part(m1, L1, s1, w1, flip1, b, layers1):
                    freq[z] += 1
                for z in _build_part(m2, L2, k2, w2, flip2, b, layers2):
                    freq[t + z] += 1
                return freq
    return None


def _certificate(arm: _Arm, t: int, c: int, column: int):
    """A dataset with count c and the column's sum whose Q is in the window; None when none
    exists (proved); ``...`` when neither a construction nor the exact decision near the
    extreme spread (:func:`_near_top`) settles it."""
    n, B = arm.n, arm.B
    s = int(arm.sums[column])
    q_min, q_max = _q_bounds(n, t, B, c, s)
    low = max(int(arm.q_low[column]), q_min)
    high = min(int(arm.q_high[column]), q_max)
    if low > high:
        return None
    if q_max == low or q_max == high:
        return _extreme_spread(n, t, B, c, s)
    found = _walk(_even_spread(n, t, B, c, s), t, B, q_min, low, high)
    if found is None:
        found = _walk_down(_extreme_spread(n, t, B, c, s), t, B, q_max, low, high)
    if found is None:
        found = _near_top(n, t, B, c, s, low, high)
    if found is ... and n <= _SHUFFLED_UP_TO:
        rng = random.Random(n * 1_000_003 + s * 31 + c)  # the same path on every run
        start = _even_spread(n, t, B, c, s)
        for _ in range(_SHUFFLES):
            walked = _shuffled_walk(start, t, B, q_min, low, high, rng)
            if walked is not None:
                return walked
    return found
