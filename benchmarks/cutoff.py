"""Speed of the exact cut-off bounds: the cutoff screen, and the sweep over every cut-off.

    python benchmarks/cutoff.py [--rows 2000] [--repeat 3] [--seed 1]

Screen: a synthetic table of arms with n from 10 to 200 on the 0..30 scale (integer scores
drawn from a mixture of two binomials, so that the shapes vary), printed mean and SD to two
decimals, a cut-off >= 13 and the true count; 5% of the counts are then mistyped by one.
Every row is distinct, so no row is answered from another's result.  The figure is rows per
second of ``cutoff_map``, end to end, best of ``--repeat``; the number of integer programmes
solved (pairs that neither a certificate nor the exact decision settled) is printed beside it.
"Cold" is the first run of the process, which also builds the per-width tables of the exact
decision (kept for the process: they depend on the scale only).

Sweep: ms per arm for :func:`reanalyse.kernels.cutoff_bounds.cutoff_sweep` at n = 1,000 on
0..30 (31 cut-offs, both ends each with a witness), best of ``--repeat``, over several arms.
The kernel's per-arm cache is emptied before every run, so no run reuses another's work.

Targets (2-core machine): screen >= 2,000 rows/s; sweep < 50 ms per arm.  The machine may be
shared: the CPU time of the process (``time.process_time``, which a busy neighbour does not
inflate as much) is printed beside each wall-clock figure.
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

import numpy as np
import pandas as pd

from reanalyse.kernels.cutoff_bounds import bracket, cutoff_sweep, programme
from reanalyse.screens import cutoff_map


def synthetic_arm(rng, n):
    """Integer scores on 0..30 from a mixture of two binomials."""
    share = rng.uniform(0.1, 0.9)
    first = rng.binomial(30, rng.uniform(0.1, 0.4), size=n)
    second = rng.binomial(30, rng.uniform(0.3, 0.8), size=n)
    return np.where(rng.random(n) < share, first, second)


def screen_table(rows, rng) -> pd.DataFrame:
    records, seen = [], set()
    while len(records) < rows:
        n = int(rng.integers(10, 201))
        scores = synthetic_arm(rng, n)
        mean, sd = f"{scores.mean():.2f}", f"{scores.std(ddof=1):.2f}"
        if (n, mean, sd) in seen:
            continue
        seen.add((n, mean, sd))
        count = int((scores >= 13).sum())
        if rng.random() < 0.05:
            count = count + 1 if count < n else count - 1
        records.append({"n": str(n), "mean": mean, "sd": sd, "scale_min": "0",
                        "scale_max": "30", "cutoff": "13", "count": str(count)})
    return pd.DataFrame(records)


def best_of(repeat, run, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    table = screen_table(args.rows, rng)
    programmes = []
    original = programme._programme

    def counted(*a, **k):
        programmes.append(1)
        return original(*a, **k)

    start = time.perf_counter()
    with mock.patch.object(programme, "_programme", counted):
        result = cutoff_map(table)
    cold = time.perf_counter() - start
    statuses = {k: v for k, v in result["status"].value_counts().to_dict().items() if v}
    seconds = best_of(args.repeat, lambda: (bracket._ARMS.clear(), cutoff_map(table)))
    cpu = best_of(args.repeat, lambda: (bracket._ARMS.clear(), cutoff_map(table)),
                  time.process_time)
    print(f"cutoff screen: {args.rows} rows (n 10..200, 0..30, two decimals): "
          f"{args.rows / seconds:,.0f} rows/s (CPU time: {args.rows / cpu:,.0f}; "
          f"cold: {args.rows / cold:,.0f}); "
          f"statuses {statuses}; integer programmes solved {len(programmes)} (one run)")

    arms = [synthetic_arm(rng, 1000) for _ in range(5)]
    per_arm, cpu_arm = [], []
    for scores in arms:
        mean, sd = f"{scores.mean():.2f}", f"{scores.std(ddof=1):.2f}"

        def sweep():
            bracket._ARMS.clear()
            cutoff_sweep(1000, mean, sd, (0, 30))

        per_arm.append(best_of(args.repeat, sweep))
        cpu_arm.append(best_of(args.repeat, sweep, time.process_time))
    print(f"cut-off sweep, n = 1000 on 0..30 (31 cut-offs): "
          f"{1000 * np.median(per_arm):.1f} ms per arm (median of {len(arms)} arms; "
          f"range {1000 * min(per_arm):.1f} to {1000 * max(per_arm):.1f}; CPU time "
          f"{1000 * np.median(cpu_arm):.1f})")


if __name__ == "__main__":
    main()
