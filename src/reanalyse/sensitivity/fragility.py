"""Fragility indices of a two-arm binary result.

The fragility index (Walsh et al. 2014, J Clin Epidemiol 67:622-628) of a significant result is
the number of participants in one arm whose outcome must change from non-event to event before
Fisher's exact test is no longer significant.  Walsh et al. modify the arm with fewer events;
here it is the arm with the lower event *proportion*, which is the same arm in the 1:1 trials
Walsh et al. studied and the only choice that moves the two proportions together when the arms
differ in size.  The *reverse* fragility index of a non-significant result turns events into
non-events in that same arm until the test is significant (the ``revfragility.index`` of the R
package fragilityindex).  For one-sided alternatives the modified arm is the one the alternative
says should have the lower proportion (control for ``greater``, treatment for ``less``).

Beside Walsh's one-arm count, :func:`fragility_index` gives the smallest number of outcome
changes in *either or both* arms, in either direction, that reverses the decision (the exact
fragility index of Baer et al. 2021, R package FragilityTools ``bin.fi``): it is never larger.

Significance follows the project's convention: p <= alpha is significant.

Cost.  Up to :data:`~reanalyse.kernels.twobytwo.MAX_MATRIX_TABLES` tables at the arm sizes
(about 1,000 per arm) every table's p is read from one cached matrix.  Above that the searches
are restricted to where the answer can lie: Walsh's index walks its one arm, testing tables
directly (:func:`~reanalyse.kernels.twobytwo.pvalues`, O(log n) each) in growing blocks until
the decision changes, at most :data:`MAX_WALK` changes; the any-arm index is at most Walsh's
(a one-arm change is a change), so it is searched ring by ring of L1 distance 1, 2, ... up to
Walsh's index, at most :data:`MAX_RING` rings; a search cut short says so (``search_limit``).
:func:`fragility_range` then evaluates the printed pair and the corners of the feasible
rectangle rather than every pair (it says so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reanalyse.kernels.twobytwo import FISHER_EXACT, MAX_MATRIX_TABLES, pvalue_matrix, pvalues
from reanalyse.kernels.pformat import format_p
from reanalyse.kernels.pvalues import significant as p_significant
from reanalyse.sensitivity._common import NotComputed, clean, record_dict
from reanalyse.text import plural

__all__ = ["FragilityResult", "FragilityRange", "fragility_index", "fragility_range",
           "MAX_WALK", "MAX_RING"]

#: Most outcome changes Walsh's walk tries above the matrix size (one table each).
MAX_WALK = 100_000
#: Most rings of L1 distance searched for the any-arm index above the matrix size (ring d
#: holds up to 4 d tables, so about 2 MAX_RING**2 tables in all).
MAX_RING = 60


@dataclass(frozen=True)
class FragilityResult:
    """Fragility (or reverse fragility) of one 2 x 2 table under Fisher's exact test.

    Attributes
    ----------
    treat_events, treat_n, control_events, control_n : int
        The table.
    alpha : float
        Significance level.
    alternative : str
        ``two-sided``, ``greater`` or ``less`` (treat minus control).
    p_value : float
        Fisher's p for the table.
    significant : bool
        The decision being overturned (Fisher's, unless given).
    kind : str
        ``fragility`` (significant result) or ``reverse_fragility``.
    index : int or None
        Walsh's one-arm index; None when changes in that arm alone cannot reverse the decision.
    modified_arm : str or None
        ``treat`` or ``control``: the arm Walsh's algorithm changes.
    final_table : tuple of int or None
        ``(treat_events, control_events)`` after ``index`` changes, and its p in ``final_p``.
    index_any_arm : int or None
        Fewest changes in either or both arms that reverse the decision (never above ``index``).
    any_arm_table : tuple of int or None
        A table reached with ``index_any_arm`` changes, with its p in ``any_arm_p``.
    arm_labels : tuple of str
        Names of the arms for the explanation.
    search_limit : int or None
        When a search above the matrix size stopped short (see the module docstring): the
        number of changes up to which it looked (``index`` or ``index_any_arm`` None then
        means "not found within it").
    """

    treat_events: int
    treat_n: int
    control_events: int
    control_n: int
    alpha: float
    alternative: str
    p_value: float
    significant: bool
    kind: str
    index: int | None
    modified_arm: str | None
    final_table: tuple[int, int] | None
    final_p: float | None
    index_any_arm: int | None
    any_arm_table: tuple[int, int] | None
    any_arm_p: float | None
    arm_labels: tuple[str, str] = ("treatment", "control")
    search_limit: int | None = None

    computed = True
    test = FISHER_EXACT

    @property
    def quotient(self) -> float | None:
        """The index over the number analysed (the fragility quotient)."""
        return None if self.index is None else self.index / (self.treat_n + self.control_n)

    @property
    def explanation(self) -> str:
        """One sentence a commissioner can read."""
        table = (f"{self.treat_events}/{self.treat_n} vs {self.control_events}/{self.control_n}")
        decision = "significant" if self.significant else "not significant"
        if self.index == 0:
            return (f"Fisher's exact test on {table} gives p = {format_p(self.p_value)}, which is "
                    f"already {'not ' if self.significant else ''}significant at alpha = "
                    f"{self.alpha:g}, so the {self.kind.replace('_', ' ')} index is 0.")
        if self.index is None and self.index_any_arm is None:
            return (f"No change of outcomes makes the {decision} result on {table} "
                    f"{'non-' if self.significant else ''}significant.")
        if self.index is not None:
            label = self.arm_labels[0 if self.modified_arm == "treat" else 1]
            one, many = (("non-event into an event", "non-events into events")
                         if self.kind == "fragility" else
                         ("event into a non-event", "events into non-events"))
            change = f"{self.index} {one if self.index == 1 else many}"
            text = (f"Turning {change} in the {label} arm ({table} becomes "
                    f"{self.final_table[0]}/{self.treat_n} vs {self.final_table[1]}/"
                    f"{self.control_n}) makes Fisher's exact test "
                    f"{'non-' if self.significant else ''}significant (p = "
                    f"{format_p(self.final_p)}): the {self.kind.replace('_', ' ')} index is "
                    f"{self.index}")
        else:
            text = (f"Changes in one arm alone cannot make the result on {table} "
                    f"{'non-' if self.significant else ''}significant")
        if self.index_any_arm is not None and (self.index is None
                                               or self.index_any_arm < self.index):
            text += (f"; changing {plural(self.index_any_arm, 'outcome')} across the arms is "
                     f"enough ({self.any_arm_table[0]}/{self.treat_n} vs "
                     f"{self.any_arm_table[1]}/{self.control_n}, p = {format_p(self.any_arm_p)})")
        if self.search_limit is not None:
            text += (f" (searched up to {plural(self.search_limit, 'change')}; the arm sizes "
                     "are too large to search further)")
        return text + "."

    def to_dict(self) -> dict:
        """JSON-ready form, with the quotient and the explanation."""
        data = record_dict(self)
        data.update(computed=True, test=self.test, quotient=self.quotient)
        return clean(data)


def _lower_arm(treat_events, treat_n, control_events, control_n, alternative) -> str:
    if alternative == "greater":
        return "control"
    if alternative == "less":
        return "treat"
    # cross-multiplied comparison of proportions; ties go to the arm with fewer events
    left, right = treat_events * control_n, control_events * treat_n
    if left != right:
        return "treat" if left < right else "control"
    return "treat" if treat_events <= control_events else "control"


def fragility_index(treat_events: int, treat_n: int, control_events: int, control_n: int, *,
                    alpha: float = 0.05, alternative: str = "two-sided",
                    significant: bool | None = None,
                    arm_labels: tuple[str, str] = ("treatment", "control")) -> FragilityResult:
    """Fragility index of a significant result, reverse fragility index of a non-significant one.

    Fisher's exact test of H0: equal event proportions in the two arms, against ``alternative``
    (for treat minus control), at level ``alpha``.

    Parameters
    ----------
    treat_events, treat_n, control_events, control_n : int
        Events and participants analysed in each arm.
    alpha : float
        Significance level (p <= alpha is significant).
    alternative : {'two-sided', 'greater', 'less'}
        Alternative hypothesis.
    significant : bool, optional
        The decision to overturn; by default Fisher's decision on the table.  When it differs
        from Fisher's (a result claimed significant by a chi-square test that Fisher's test does
        not confirm) the index is 0, as in Walsh et al. (2014).
    arm_labels : tuple of str
        Names of the arms, for the explanation.

    Returns
    -------
    FragilityResult

    Examples
    --------
    Walsh et al.'s illustration: 1/100 vs 9/100 events (Fisher's p = 0.018); one more event in the
    first arm gives 2/100 vs 9/100 (p = 0.058), so the fragility index is 1.

    >>> fragility_index(1, 100, 9, 100).index
    1
    """
    for name, events, n in (("treat", treat_events, treat_n),
                            ("control", control_events, control_n)):
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise ValueError(f"{name}_n must be a positive integer, got {n!r}")
        if not (isinstance(events, (int, np.integer)) and 0 <= events <= n):
            raise ValueError(f"{name}_events must be an integer from 0 to {name}_n ({n}), "
                             f"got {events!r}")
    small = (treat_n + 1) * (control_n + 1) <= MAX_MATRIX_TABLES
    if small:
        matrix = pvalue_matrix(FISHER_EXACT, treat_n, control_n, alternative)
        p_value = float(matrix[treat_events, control_events])
    else:
        p_value = float(pvalues(FISHER_EXACT, treat_events, treat_n, control_events,
                                control_n, alternative))
    fisher_significant = p_significant(p_value, alpha)
    claimed = fisher_significant if significant is None else bool(significant)
    kind = "fragility" if claimed else "reverse_fragility"
    common = dict(treat_events=int(treat_events), treat_n=int(treat_n),
                  control_events=int(control_events), control_n=int(control_n), alpha=alpha,
                  alternative=alternative, p_value=p_value, significant=claimed, kind=kind,
                  arm_labels=tuple(arm_labels))
    if claimed != fisher_significant:
        table = (int(treat_events), int(control_events))
        return FragilityResult(**common, index=0, modified_arm=None, final_table=table,
                               final_p=p_value, index_any_arm=0, any_arm_table=table,
                               any_arm_p=p_value)

    arm = _lower_arm(treat_events, treat_n, control_events, control_n, alternative)
    step = 1 if claimed else -1  # fragility adds events to the lower arm; reverse removes them
    if not small:
        return _restricted(common, arm, step, claimed)
    index = final_table = final_p = None
    events, n = (treat_events, treat_n) if arm == "treat" else (control_events, control_n)
    for changes in range(1, n + 1):
        moved = events + step * changes
        if not 0 <= moved <= n:
            break
        table = (moved, control_events) if arm == "treat" else (treat_events, moved)
        p = float(matrix[table])
        if p_significant(p, alpha) != claimed:
            index, final_table, final_p = changes, (int(table[0]), int(table[1])), p
            break

    # Fewest changes anywhere: L1 distance to the nearest table with the other decision.
    reversed_ = p_significant(matrix, alpha) != claimed
    any_index = any_table = any_p = None
    if reversed_.any():
        grid_t, grid_c = np.indices(matrix.shape)
        distance = np.abs(grid_t - treat_events) + np.abs(grid_c - control_events)
        distance = np.where(reversed_, distance, np.iinfo(np.int64).max)
        # among the nearest tables, report the one whose p lies furthest past alpha
        nearest = distance == distance.min()
        score = np.where(nearest, matrix if claimed else -matrix, -np.inf)
        best = np.unravel_index(np.argmax(score), matrix.shape)
        any_index, any_table, any_p = (int(distance[best]), (int(best[0]), int(best[1])),
                                       float(matrix[best]))
    return FragilityResult(**common, index=index, modified_arm=arm if index is not None else None,
                           final_table=final_table, final_p=final_p, index_any_arm=any_index,
                           any_arm_table=any_table, any_arm_p=any_p)


def _restricted(common, arm, step, claimed) -> FragilityResult:
    """Walsh's walk and the any-arm ring search, testing tables directly (large arm sizes)."""
    a, n1 = common["treat_events"], common["treat_n"]
    c, n2 = common["control_events"], common["control_n"]
    alpha, alternative = common["alpha"], common["alternative"]

    def test(treat, control):
        return pvalues(FISHER_EXACT, treat, n1, control, n2, alternative)

    index = final_table = final_p = None
    limit = None
    events, n = (a, n1) if arm == "treat" else (c, n2)
    room = n - events if step > 0 else events
    done, block = 0, 64
    while done < min(room, MAX_WALK):
        changes = np.arange(done + 1, min(done + block, room, MAX_WALK) + 1)
        moved = events + step * changes
        treat, control = (moved, np.full_like(moved, c)) if arm == "treat" else (
            np.full_like(moved, a), moved)
        p = test(treat, control)
        hit = np.flatnonzero(p_significant(p, alpha) != claimed)
        if hit.size:
            first = int(hit[0])
            index, final_p = int(changes[first]), float(p[first])
            final_table = (int(treat[first]), int(control[first]))
            break
        done, block = int(changes[-1]), block * 2
    if index is None and room > MAX_WALK:
        limit = MAX_WALK

    # The any-arm index is at most Walsh's: search rings of growing L1 distance up to it.
    reach = min(index if index is not None else max(n1, n2) + max(n1, n2), MAX_RING)
    any_index = any_table = any_p = None
    for distance in range(1, reach + 1):
        offsets = np.arange(-distance, distance + 1)
        rest = distance - np.abs(offsets)
        treat = np.concatenate([a + offsets, a + offsets])
        control = np.concatenate([c + rest, c - rest])
        keep = (treat >= 0) & (treat <= n1) & (control >= 0) & (control <= n2)
        ring = np.unique(np.stack([treat[keep], control[keep]]), axis=1)
        if not ring.size:
            continue
        p = test(ring[0], ring[1])
        reversed_ = p_significant(p, alpha) != claimed
        if reversed_.any():
            # among the nearest tables, report the one whose p lies furthest past alpha
            score = np.where(reversed_, p if claimed else -p, -np.inf)
            best = int(np.argmax(score))
            any_index, any_table, any_p = distance, (int(ring[0, best]),
                                                     int(ring[1, best])), float(p[best])
            break
    if any_index is None and reach == MAX_RING:
        # not found within MAX_RING rings: Walsh's table, if any, is an upper bound
        limit = limit or MAX_RING
        if index is not None:
            any_index, any_table, any_p = index, final_table, final_p
    return FragilityResult(**common, index=index, modified_arm=arm if index is not None else None,
                           final_table=final_table, final_p=final_p, index_any_arm=any_index,
                           any_arm_table=any_table, any_arm_p=any_p, search_limit=limit)


@dataclass(frozen=True)
class FragilityRange:
    """Fragility indices over every count pair consistent with printed percentages.

    Attributes
    ----------
    results : tuple of FragilityResult
        One per feasible (treat_events, control_events) pair; the printed pair first.  Above
        the matrix size, only the printed pair and the corners of the feasible rectangle.
    pairs_allowed : int or None
        When ``results`` covers only some of the pairs: how many the printed numbers allow.
    """

    results: tuple[FragilityResult, ...]
    pairs_allowed: int | None = None

    computed = True

    @property
    def kind(self) -> str:
        """``fragility`` or ``reverse_fragility`` (of the printed pair)."""
        return self.results[0].kind

    def _indices(self, name: str) -> list[int]:
        return [getattr(r, name) for r in self.results
                if r.kind == self.kind and getattr(r, name) is not None]

    @property
    def index_min(self) -> int | None:
        """Smallest Walsh index over the pairs."""
        values = self._indices("index")
        return min(values) if values else None

    @property
    def index_max(self) -> int | None:
        """Largest Walsh index over the pairs."""
        values = self._indices("index")
        return max(values) if values else None

    @property
    def index_any_arm_min(self) -> int | None:
        """Smallest any-arm index over the pairs."""
        values = self._indices("index_any_arm")
        return min(values) if values else None

    @property
    def explanation(self) -> str:
        """One sentence: the printed pair's explanation, and the range when there are pairs."""
        first = self.results[0].explanation
        if len(self.results) == 1:
            return first
        name = self.kind.replace("_", " ")
        low, high = self.index_min, self.index_max
        span = (f"{low}" if low == high else f"{low} to {high}")
        where = (f"over the {len(self.results)} count pairs the printed percentages allow"
                 if self.pairs_allowed is None else
                 f"at the printed pair and the corners of the {self.pairs_allowed} count pairs "
                 "the printed percentages allow (too many to search each)")
        return first[:-1] + f"; {where}, the {name} index is {span}."

    def to_dict(self) -> dict:
        """JSON-ready form: the printed pair's result, the range and every pair's index."""
        return clean({"computed": True, "kind": self.kind, "printed": self.results[0].to_dict(),
                "pairs": len(self.results), "pairs_allowed": self.pairs_allowed,
                "index_min": self.index_min,
                "index_max": self.index_max, "index_any_arm_min": self.index_any_arm_min,
                "by_pair": [{"treat_events": r.treat_events, "control_events": r.control_events,
                             "p_value": r.p_value, "kind": r.kind, "index": r.index,
                             "index_any_arm": r.index_any_arm} for r in self.results],
                "explanation": self.explanation})


def fragility_range(treat_events, treat_n: int, control_events, control_n: int, *,
                    alpha: float = 0.05, alternative: str = "two-sided",
                    significant: bool | None = None,
                    arm_labels: tuple[str, str] = ("treatment", "control")
                    ) -> FragilityRange | NotComputed:
    """:func:`fragility_index` for every pair of feasible event counts.

    Parameters
    ----------
    treat_events, control_events : sequence of int
        Event counts consistent with each arm's printed figure, the printed (closest) one first.
    significant : bool, optional
        The decision to overturn for every pair (by default each pair's own Fisher decision,
        and the range is taken over the pairs that agree with the first).

    Returns
    -------
    FragilityRange, or NotComputed when an arm has no feasible count.
    """
    treat_events, control_events = list(treat_events), list(control_events)
    if not treat_events or not control_events:
        return NotComputed("fragility", "no whole number of participants gives the printed "
                           "percentage, so there is no table to test")
    pairs = [(t, c) for t in treat_events for c in control_events]
    allowed = None
    if (treat_n + 1) * (control_n + 1) > MAX_MATRIX_TABLES and len(pairs) > 1:
        allowed = len(pairs)
        corners = [(t, c) for t in (min(treat_events), max(treat_events))
                   for c in (min(control_events), max(control_events))]
        pairs = list(dict.fromkeys([pairs[0]] + corners))
    results = tuple(
        fragility_index(t, treat_n, c, control_n, alpha=alpha, alternative=alternative,
                        significant=significant, arm_labels=arm_labels)
        for t, c in pairs)
    # the printed pair (both first options) comes first
    return FragilityRange(results, None if allowed == len(results) else allowed)
