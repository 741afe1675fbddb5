"""Time Fisher's p-value matrix and Boschloo's exact test, against scipy's boschloo_exact.

Run from the repository root::

    python benchmarks/exact.py

Prints, for n per arm in 20, 60, 100, 200, 500 (equal arms), the time in milliseconds of:

* ``fisher_pvalues`` (two-sided) for all (n + 1)^2 tables, first call for those arm sizes
  (best of 3);
* ``boschloo_exact`` two-sided with Fisher's two-sided p as statistic (as the check computes
  it) on the first table at those arm sizes (building the cached matrices; best of 3) and per
  table on 50 further tables with the same arm sizes; on the same 50, two-sided with scipy's
  convention (the smaller one-sided p doubled) and one-sided;
* ``scipy.stats.boschloo_exact`` two-sided on one table, for each n until a table takes 30 s
  or more.

Then a workload like the product's: 100 binary claims, each with its own arm sizes (150 to
200 per arm) and 4 count pairs consistent with its printed percentages, each claim needing
Fisher's two-sided matrix and Boschloo's p for its 4 pairs.  Everything runs on one core.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # one core, as the product runs (set before numpy loads)

import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from reanalyse.kernels.exact import boschloo_exact, clear_caches, fisher_pvalues  # noqa: E402

ARM_SIZES = (20, 60, 100, 200, 500)
WARM_TABLES = 50
SCIPY_LIMIT_SECONDS = 30.0


def milliseconds(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return 1e3 * (time.perf_counter() - start)


def cold_milliseconds(function, *args, **kwargs) -> float:
    clear_caches()
    return milliseconds(function, *args, **kwargs)


def scipy_boschloo(treat_events, treat_n, control_events, control_n) -> None:
    table = [[treat_events, control_events],
             [treat_n - treat_events, control_n - control_events]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats.boschloo_exact(table, alternative="two-sided")


def per_arm_size() -> None:
    rng = np.random.default_rng(20240601)
    header = (f"{'n/arm':>6} {'fisher':>9} {'B cold':>9} {'B 2-sided':>10} {'B doubled':>10} "
              f"{'B 1-sided':>10} {'scipy B':>11}")
    print("Milliseconds per call (B = boschloo_exact; cold = first table at these arm sizes)")
    print(header)
    scipy_ok = True
    for n in ARM_SIZES:
        observed = (n // 4, n, n // 2, n)
        fisher = min(cold_milliseconds(fisher_pvalues, n, n, "two-sided") for _ in range(3))
        cold = min(cold_milliseconds(boschloo_exact, *observed, "two-sided", two_sided="fisher")
                   for _ in range(3))
        tables = [(int(a), n, int(c), n) for a, c in rng.integers(0, n + 1, (WARM_TABLES, 2))]
        two_sided = sum(milliseconds(boschloo_exact, *t, "two-sided", two_sided="fisher")
                        for t in tables) / WARM_TABLES
        doubled = sum(milliseconds(boschloo_exact, *t) for t in tables) / WARM_TABLES
        one_sided = sum(milliseconds(boschloo_exact, *t, "less") for t in tables) / WARM_TABLES
        if scipy_ok:
            scipy_ms = milliseconds(scipy_boschloo, *observed)
            scipy_text = f"{scipy_ms:11.1f}"
            scipy_ok = scipy_ms < 1e3 * SCIPY_LIMIT_SECONDS
        else:
            scipy_text = f"{'(skipped)':>11}"
        print(f"{n:6d} {fisher:9.2f} {cold:9.2f} {two_sided:10.2f} {doubled:10.2f} "
              f"{one_sided:10.2f} "
              f"{scipy_text}")


def claim_workload(claims: int = 100, pairs: int = 4, repeats: int = 3) -> None:
    def run() -> float:
        rng = np.random.default_rng(7)
        clear_caches()
        start = time.perf_counter()
        for _ in range(claims):
            treat_n, control_n = (int(v) for v in rng.integers(150, 201, 2))
            fisher_pvalues(treat_n, control_n, "two-sided")
            treat_base = int(rng.integers(pairs, treat_n - pairs))
            control_base = int(rng.integers(pairs, control_n - pairs))
            for k in range(pairs):
                boschloo_exact(treat_base + k % 2, treat_n, control_base + k // 2, control_n,
                               two_sided="fisher")
        return time.perf_counter() - start

    elapsed = sorted(run() for _ in range(repeats))
    print(f"\nWorkload: {claims} claims, 150-200 per arm, own arm sizes each, {pairs} count "
          f"pairs per claim (Fisher matrix + {pairs} two-sided Boschloo p-values), "
          f"best and worst of {repeats} runs")
    for label, seconds in (("best", elapsed[0]), ("worst", elapsed[-1])):
        print(f"  {label}: {seconds:.2f} s in all, {1e3 * seconds / claims:.1f} ms per claim, "
              f"{claims / seconds:.0f} claims per second")


if __name__ == "__main__":
    per_arm_size()
    claim_workload()
