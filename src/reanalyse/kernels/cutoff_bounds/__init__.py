"""Exact bounds on how many participants lie beyond a cut-off of a bounded integer scale.

A printed n, mean and SD of scores on a bounded scale (EPDS 0..30; means of ``items`` integer
items step by ``1 / items``) allow only finitely many datasets.  Over every one of them whose
true mean and sample SD print as the printed ones (each over its rounding interval), this
module gives the smallest and largest number of participants at or beyond a cut-off, each
with a *witness*: a dataset, as ``{score: frequency}``, that attains it and that anyone can
check by recomputing its mean, SD and count.  This generalises GRIMMER (Anaya 2016) from
"is some dataset possible?" to "how many could be above the cut-off?".

Integer units
-------------
A score ``x`` is held as the integer ``y = (x - scale.minimum) * items`` in ``0..B``,
``B = (maximum - minimum) * items``.  A dataset is a frequency vector ``f_y`` with
``sum f = n``; its sum ``S = sum y f`` and sum of squares ``Q = sum y**2 f`` are integers,
and ``Q`` has the parity of ``S`` (``y**2`` and ``y`` share parity).  The printed mean gives
the integers ``S`` in ``n * items * (mean interval - minimum)``; for each ``S`` the printed
SD gives the integers ``Q`` with ``n Q - S**2`` in ``n (n - 1) items**2 [sd_low**2,
sd_high**2]`` (the sample SD, n - 1 denominator), ends open or closed as the rounding
convention says.  Every comparison is between integers or :class:`fractions.Fraction`.

A cut-off ``>= x`` counts ``y >= t`` with ``t = ceil((x - minimum) * items)``; ``> x``,
``<= x`` and ``< x`` are turned into the same form (``<=`` and ``<`` by reading the scale
backwards, ``y -> B - y``, which keeps every SD).

Algorithm (and why it is exact)
-------------------------------
For a count ``c`` of values at or above ``t`` and a sum ``S``, the datasets split into a low
part (``n - c`` values in ``0..t-1``) and a high part (``c`` values in ``t..B``).

1. *Bracket.*  The smallest ``Q`` such a dataset can have, ``Qmin(c, S)``, is exact in closed
   form: each part as even as it can be (values ``q, q + 1``), with the split of ``S``
   between the parts that of the even spread of all n values, clipped to what the parts
   allow (the sum of the two parts' minima is convex in the split).
   The largest, ``Qmax(c, S)``, is exact too: moving one unit from a value to a larger one,
   ``(u, v) -> (u - 1, v + 1)``, raises ``Q`` by ``2 (v - u + 1) > 0``, so at the maximum each
   part holds at most one value strictly inside its range, and either the low part is all
   zeros or the high part all ``B``.  Every achievable ``Q`` lies in ``[Qmin, Qmax]`` with the
   parity of ``S``, so the pairs ``(c, S)`` whose interval meets the SD's window of ``Q``
   contain every feasible pair: the largest such ``c`` is an upper bound on ``count_max``
   (the smallest a lower bound on ``count_min``), and when no pair meets its window no
   dataset fits the printed mean and SD at all (a proof of impossibility).
2. *Certificate.*  At the bound, a dataset is constructed: the even spread (``Qmin``), the
   extreme one (``Qmax``), a walk from the even spread that applies the largest move
   ``(u, v) -> (u - 1, v + 1)`` that does not overshoot the window, in bulk, until ``Q`` is in
   it, the same walk down from the extreme spread, or (n up to 400) a few walks that take
   the moves one at a time in a seeded random order (when step 3 does not settle the pair).
   A dataset found is checked in exact integers; it proves that the bound is attained, so the
   bound is the answer.  (Not every ``Q`` between the bounds is achievable: two values
   on 0..10 summing to 10 give only ``Q`` in {50, 52, 58, 68, 82, 100}; this is why a found
   dataset, not the interval, is what proves a bound.)
3. *Exact decision near the extreme spread.*  On a stretch of width ``L`` (values ``z`` in
   ``0..L``), ``z**2 = L z - z (L - z)``: a part's sum of squares is ``L k - W``, ``W`` the
   total weight ``z (L - z)`` of its values strictly inside the stretch (the ends weigh
   nothing).  The parts with a given sum are exactly the multisets of inside values whose
   sum is congruent to it modulo ``L`` and fits it, with room for the rest at the ends
   (:func:`_part_weights` gives the conditions and why weight bounds them); a table per
   width (:class:`_Interiors`, built once per process, holding only values whose weight
   fits) lists the weights each sum of inside values reaches, and a small part is instead
   enumerated value by value.  With the low part's sum ``s1``, ``Q = G(s1) - W1 - W2``
   where ``G`` falls by ``B + 1`` per unit of ``s1``, so every split within
   :data:`DEFICIT_LIMIT` of the extreme spread is examined and a pair ``(c, S)`` is either
   given a dataset or proved empty.  The bracket's counts are settled so, pair by pair,
   from its end inwards (at most ``_LEVELS`` counts); brute force over every small case is
   the test of the lemma.
4. *Exact fallback.*  When neither settles a count, each sum ``S`` whose bracket could beat
   the best count found so far is solved as an integer programme with
   :func:`scipy.optimize.milp` (HiGHS): integer ``f_y >= 0``, ``sum f = n``, the sum and the
   sum of squares in their windows, maximise (minimise) the count.  The scores are centred
   on the mean, so that every coefficient is a small integer and every row's value is an
   integer far below 2**53; the solution is rounded and re-checked in exact integers before
   it is returned, and a solution that fails the check is an error, never an answer.

The number of pairs ``(c, S)`` examined is bounded (:data:`MAX_PAIRS` a cut-off,
:data:`MAX_SWEEP_PAIRS` a sweep of every cut-off), as are n
(:data:`MAX_N`) and the number of scale points (:data:`MAX_POINTS`); larger inputs are refused
with a :class:`ValueError` naming what is too large (a sweep over more pairs raises
:class:`~reanalyse.errors.WorkBudgetExceeded` before any work, and the bounds at single
cut-offs still stand).  Nothing lists datasets one by one.

Work budget (never a clock).  Steps 1 to 3 take milliseconds, and are bounded by counts of
steps (:data:`DEFICIT_LIMIT`, ``_SMALL_PART_WORK``, ``_DECISION_WORK``, ``_LEVELS``).  Step 4
is bounded by work, not time: at most ``programmes`` integer programmes per question
(:data:`PROGRAMMES` unless the caller gives fewer; one question is one cut-off, both ends),
each within :data:`NODE_LIMIT` branch-and-bound nodes (HiGHS's node limit; HiGHS's solvers
are deterministic, so runs repeat exactly).  So the same input gets the same answer on every
machine, however loaded.  When the budget runs out before the programmes settle a cut-off,
its :class:`CutoffBounds` is *undetermined* (``determined`` is False, ``feasible`` None): only
the bracket of step 1 is reported, which still proves that no dataset has a count outside
it.  An undetermined cut-off is never reported as an answer, and never as an impossibility.

Each arm is its own dataset: two arms' counts vary independently, so the range of a
difference of counts follows from the two arms' ranges (:func:`count_difference`).

References
----------
Anaya J. The GRIMMER test. PeerJ Preprints 2016;4:e2400v1.
Heathers JA et al. Recovering data from summary statistics: SPRITE. PeerJ Preprints 2018.

Modules
-------
:mod:`~reanalyse.kernels.cutoff_bounds.scale`
    The scale, intervals of printed numbers, witness datasets, the limits.
:mod:`~reanalyse.kernels.cutoff_bounds.bracket`
    Step 1: one arm in integer units, the closed-form bracket.
:mod:`~reanalyse.kernels.cutoff_bounds.walks`
    Step 2: datasets built by walks from the even and the extreme spread.
:mod:`~reanalyse.kernels.cutoff_bounds.decision`
    Step 3: the exact decision near the extreme spread.
:mod:`~reanalyse.kernels.cutoff_bounds.programme`
    Step 4: the integer programmes, and the search of a bracket's counts.
:mod:`~reanalyse.kernels.cutoff_bounds.bounds`
    The public questions: :func:`cutoff_bounds`, :func:`cutoff_sweep`, :func:`count_witness`,
    :func:`count_difference`.
:mod:`~reanalyse.kernels.cutoff_bounds.reverse`
    The reverse reading, :func:`count_reading`.
"""

from reanalyse.kernels.cutoff_bounds.bounds import (CountDifference, CutoffBounds, CutoffSweep,
                                                    count_difference, count_witness,
                                                    cutoff_bounds, cutoff_sweep)
from reanalyse.kernels.cutoff_bounds.decision import DEFICIT_LIMIT
from reanalyse.kernels.cutoff_bounds.reverse import CountReading, count_reading
from reanalyse.kernels.cutoff_bounds.scale import (DIRECTIONS, MAX_N, MAX_PAIRS, MAX_POINTS,
                                                   MAX_SWEEP_PAIRS,
                                                   NODE_LIMIT, PROGRAMMES, SWEEP_PROGRAMMES,
                                                   Interval, Scale,
                                                   Witness)

__all__ = [
    "Scale", "Interval", "Witness", "CutoffBounds", "CutoffSweep", "CountReading",
    "CountDifference", "cutoff_bounds", "cutoff_sweep", "count_reading", "count_difference",
    "count_witness", "MAX_N", "MAX_POINTS", "MAX_PAIRS", "MAX_SWEEP_PAIRS", "DIRECTIONS", "PROGRAMMES",
    "SWEEP_PROGRAMMES",
    "NODE_LIMIT", "DEFICIT_LIMIT",
]
