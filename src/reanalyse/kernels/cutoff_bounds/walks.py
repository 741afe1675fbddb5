"""Step 2, certificates: datasets built by walking from the even or the extreme spread until
the sum of squares lies in the printed SD's window.
"""

from __future__ import annotations

import bisect


# ----------------------------------------------------------------------------------------
# datasets

def _even_spread(n, t, B, c, s):
    """The dataset of least Q for count c and sum s (as a frequency list)."""
    lo, hi = max(0, s - c * B), min((n - c) * (t - 1), s - c * t)
    q, r = divmod(s, n)
    s1 = min(max((n - c) * q + max(0, r - c), lo), max(lo, hi))  # as in _split_min
    freq = [0] * (B + 1)
    for m, total in ((n - c, s1), (c, s - s1)):
        if m:
            q, r = divmod(total, m)
            freq[q] += m - r
            if r:
                freq[q + 1] += r
    return freq


def _extreme_spread(n, t, B, c, s):
    """The dataset of largest Q for count c and sum s."""
    freq = [0] * (B + 1)
    if s <= c * B:  # low part all zeros
        freq[0] += n - c
        k, width, m, base = s - c * t, B - t, c, t
    else:  # high part all B
        freq[B] += c
        k, width, m, base = s - c * B, t - 1, n - c, 0
    if m:
        if width == 0:
            freq[base] += m
        else:
            q, r = divmod(k, width)
            freq[base + width] += q
            freq[base] += m - q - (1 if r else 0)
            if r:
                freq[base + r] += 1
    return freq


def _walk(freq, t, B, q, q_low, q_high):
    """Raise Q from ``q`` into [q_low, q_high] by moves (u, v) -> (u - 1, v + 1) that keep the
    count at or above t and the sum, largest first, in bulk.  Returns the frequencies or None."""
    freq = list(freq)
    present = [y for y, f in enumerate(freq) if f]  # kept up to date move by move: O(n), not O(B)
    for _ in range(4 * (B + 1) ** 2 + 64):
        if q >= q_low:
            return freq
        gap = q_high - q
        widest = gap // 2 - 1  # v - u may be at most this
        if widest < 0:
            return None
        ups = [v for v in present if v != B and v != t - 1]
        best, span = None, -1
        for u in present:
            if u == 0 or u == t:
                continue
            i = bisect.bisect_right(ups, u + widest) - 1
            while i >= 0 and ups[i] >= u:
                v = ups[i]
                if v != u or freq[u] >= 2:
                    if v - u > span:
                        best, span = (u, v), v - u
                    break
                i -= 1
            if span == widest:
                break
        if best is None:
            return None
        u, v = best
        size = 2 * (v - u + 1)
        times = min(freq[u], freq[v]) if u != v else freq[u] // 2
        times = min(times, gap // size)
        freq[u] -= times
        freq[u - 1] += times
        freq[v] -= times
        freq[v + 1] += times
        _update(present, freq, (u - 1, u, v, v + 1))
        q += times * size
    return None


def _update(present: list, freq: list, changed) -> None:
    """Keep ``present`` (the sorted scores held by someone) in step with ``freq`` after the
    scores ``changed`` changed their frequencies."""
    for y in set(changed):
        i = bisect.bisect_left(present, y)
        held = i < len(present) and present[i] == y
        if freq[y] and not held:
            present.insert(i, y)
        elif not freq[y] and held:
            del present[i]


def _walk_down(freq, t, B, q, q_low, q_high):
    """Lower Q from ``q`` into [q_low, q_high] by moves (u, v) -> (u + 1, v - 1), u < v - 1,
    that keep the count at or above t and the sum, largest first, in bulk."""
    freq = list(freq)
    present = [y for y, f in enumerate(freq) if f]  # kept up to date move by move
    for _ in range(4 * (B + 1) ** 2 + 64):
        if q <= q_high:
            return freq
        widest = (q - q_low) // 2 + 1  # v - u may be at most this
        if widest < 2:
            return None
        ups = [u for u in present if u < B and u != t - 1]
        downs = [v for v in present if v >= 1 and v != t]
        best = None
        for u in ups:
            i = bisect.bisect_right(downs, u + widest) - 1
            if i >= 0 and downs[i] >= u + 2 and (best is None or downs[i] - u > best[1] - best[0]):
                best = (u, downs[i])
        if best is None:
            return None
        u, v = best
        size = 2 * (v - u - 1)
        times = min(freq[u], freq[v], (q - q_low) // size)
        freq[u] -= times
        freq[u + 1] += times
        freq[v] -= times
        freq[v - 1] += times
        _update(present, freq, (u, u + 1, v - 1, v))
        q -= times * size
    return None


def _shuffled_walk(freq, t, B, q, q_low, q_high, rng):
    """As :func:`_walk`, one move at a time, each drawn at random among the moves that do not
    overshoot the window (another path through the same moves)."""
    freq = list(freq)
    for _ in range(2 * sum(freq) * (B + 1)):
        if q >= q_low:
            return freq
        gap = q_high - q
        present = [y for y in range(B + 1) if freq[y]]
        moves = [(u, v) for u in present if u not in (0, t) for v in present
                 if u <= v and v not in (t - 1, B) and 2 * (v - u + 1) <= gap
                 and (u != v or freq[u] >= 2)]
        if not moves:
            return None
        u, v = moves[rng.randrange(len(moves))]
        freq[u] -= 1
        freq[u - 1] += 1
        freq[v] -= 1
        freq[v + 1] += 1
        q += 2 * (v - u + 1)
    return None


def _stats(freq):
    n = sum(freq)
    s = sum(y * f for y, f in enumerate(freq))
    q = sum(y * y * f for y, f in enumerate(freq))
    return n, s, q


def _q_bounds(n, t, B, c, s):
    """``(Qmin, Qmax)`` for one count and sum (Python ints; the pair is feasible)."""
    lo, hi = max(0, s - c * B), min((n - c) * (t - 1), s - c * t)
    q, r = divmod(s, n)
    s1 = min(max((n - c) * q + max(0, r - c), lo), max(lo, hi))

    def even(m, k):
        if m == 0:
            return 0
        a, b = divmod(k, m)
        return a * a * m + b * (2 * a + 1)

    q_min = even(n - c, s1) + even(c, s - s1)
    if s <= c * B:
        width, k = B - t, s - c * t
        if width > 0:
            a, b = divmod(k, width)
            q_max = a * B * B + (c - a) * t * t + ((t + b) ** 2 - t * t if b else 0)
        else:
            q_max = c * t * t
    else:
        width, k = t - 1, s - c * B
        a, b = divmod(k, width) if width > 0 else (0, 0)
        q_max = c * B * B + a * width * width + b * b
    return q_min, q_max
