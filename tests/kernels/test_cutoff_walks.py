"""The sweep of every cut-off is bounded by its total work, and the walks of the exact cut-off
bounds cost O(people) a move, not O(scale points): a generated
study (2 people with mean 38.5 and SD 47.4 on a 0-100 scale in tenths, 1,001 points) spent 36 s
rescanning the scale at each of 445,000 moves of its sweep.  Work is counted, not timed: every
frequency list a walk builds is a counting list, and the items read by iterating over them
(the whole scale each time) are counted."""

import pytest

from reanalyse.errors import WorkBudgetExceeded
from reanalyse.kernels.cutoff_bounds import MAX_SWEEP_PAIRS, cutoff_sweep, walks


class _Counting(list):
    built = 0
    iterated = 0

    def __init__(self, items=()):
        super().__init__(items)
        _Counting.built += 1

    def __iter__(self):
        for item in super().__iter__():
            _Counting.iterated += 1
            yield item


def test_a_sweep_reads_each_walks_scale_once(monkeypatch):
    monkeypatch.setattr(walks, "list", _Counting, raising=False)
    _Counting.built = _Counting.iterated = 0
    # 0-100 in whole points: B = 100, 101 points; 2 people
    sweep = cutoff_sweep(2, "38.5", "47.4", (0, 100, 1), ">=")
    assert len(sweep.bounds) == 101
    assert _Counting.built > 0
    # each walk's frequencies are read twice in full (copied, then scanned once), and then
    # kept up to date move by move; rescanning them at each move read them 453,288 times
    assert _Counting.iterated <= 2 * 101 * _Counting.built


def test_kept_scores_match_a_rescan():
    present = [2, 5]
    freq = [0] * 8
    freq[2], freq[5] = 1, 1
    freq[2], freq[1], freq[5], freq[6] = 0, 1, 0, 1  # the move (2, 5) -> (1, 6)
    walks._update(present, freq, (1, 2, 5, 6))
    assert present == [y for y, f in enumerate(freq) if f] == [1, 6]


def test_a_sweep_refuses_more_pairs_than_its_bound_before_any_work():
    # A generated study: 4,995 people, mean -2.0 and SD 0.3 on -10..10 in thirds (61 points).
    # In thirds above -10 the mean lies in [23.85, 24.15], so the sum in
    # [4995 * 23.85, 4995 * 24.15] = [119130.75, 120629.25]: 1,499 sums; 4,996 counts;
    # 61 cut-offs: 61 * 4996 * 1499 = 456,829,244 pairs (the sweep took 44 s).
    with pytest.raises(WorkBudgetExceeded, match="456,829,244 .count, sum. pairs"):
        cutoff_sweep(4995, "-2.0", "0.3", (-10, 10, 3), ">=")
    assert 61 * 4996 * 1499 > MAX_SWEEP_PAIRS
