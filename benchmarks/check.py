"""Claims per second of ``check_study`` on a synthetic batch of studies.

Usage: ``python benchmarks/check.py [--studies 10000] [--max-n 200] [--seed 1]``

Half the studies have one continuous claim (two arms, means and SDs printed to 1-2 decimals),
half one binary claim (two arms up to ``--max-n`` per arm; a third of them print percentages,
so counts are reconstructed).  Every spec and rounding box is included; Boschloo's test runs
under the default policy (only where Fisher's p is above alpha), and the figures say how often
that was.  Each claim also states a printed statistic and p, so the reported-statistic spec runs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from reanalyse.check import check_study
from reanalyse.printed import parse_number, parse_p
from reanalyse.study import Arm, BinaryArm, Claim, ContinuousArm, Outcome, Reported, Study


def _text(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def continuous_study(rng, index: int) -> Study:
    n1, n2 = rng.integers(8, 200, size=2)
    mean1, sd1, sd2 = rng.uniform(5, 30), rng.uniform(1, 6), rng.uniform(1, 6)
    mean2 = mean1 + rng.normal(0, 2)
    decimals = int(rng.integers(1, 3))
    arms = {"treat": ContinuousArm(int(n1), parse_number(_text(mean1, decimals)),
                                   parse_number(_text(sd1, decimals))),
            "control": ContinuousArm(int(n2), parse_number(_text(mean2, decimals)),
                                     parse_number(_text(sd2, decimals)))}
    t = (mean1 - mean2) / np.sqrt(sd1**2 / n1 + sd2**2 / n2)
    reported = Reported(test="t", statistic=parse_number(_text(t, 2)),
                        df=(parse_number(str(int(n1 + n2 - 2))),), p=parse_p("< .05"))
    return _study(index, "continuous", arms, reported, int(n1), int(n2))


def binary_study(rng, index: int, max_n: int) -> Study:
    n1, n2 = rng.integers(10, max_n + 1, size=2)
    e1, e2 = rng.binomial(n1, rng.uniform(0.1, 0.6)), rng.binomial(n2, rng.uniform(0.1, 0.6))
    if rng.random() < 1 / 3:
        treat = BinaryArm(int(n1), percent=parse_number(_text(100 * e1 / n1, 0)))
        control = BinaryArm(int(n2), percent=parse_number(_text(100 * e2 / n2, 1)))
    else:
        treat, control = BinaryArm(int(n1), int(e1)), BinaryArm(int(n2), int(e2))
    reported = Reported(test="chi2", statistic=parse_number("3.84"), df=(parse_number("1"),),
                        p=parse_p("= .05"))
    return _study(index, "binary", {"treat": treat, "control": control}, reported, int(n1),
                  int(n2))


def _study(index, kind, arms, reported, n1, n2) -> Study:
    outcome = Outcome(id="y", label="outcome", type=kind, arms=arms)
    claim = Claim(id="c", outcome="y", reported=reported, significant=bool(index % 2))
    return Study(id=f"synthetic-{index}", citation="synthetic", outcomes=(outcome,),
                 arms=(Arm("treat", "Treatment", n1), Arm("control", "Control", n2)),
                 claims=(claim,))


def measure(studies) -> tuple[float, list]:
    start = time.perf_counter()
    results = [check_study(study) for study in studies]
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--max-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    half = args.studies // 2
    continuous = [continuous_study(rng, i) for i in range(half)]
    binary = [binary_study(rng, i, args.max_n) for i in range(args.studies - half)]
    check_study(continuous[0]), check_study(binary[0])  # imports and first-call caches

    seconds, _ = measure(continuous)
    print(f"continuous: {len(continuous):>6} claims in {seconds:7.2f} s = "
          f"{len(continuous) / seconds:8.0f} claims/s (target >= 2000)")
    seconds, results = measure(binary)
    computed = sum(1 for r in results for s in r.claims[0].specs
                   if s.name == "boschloo_exact" and s.p is not None)
    print(f"binary:     {len(binary):>6} claims in {seconds:7.2f} s = "
          f"{len(binary) / seconds:8.0f} claims/s (target >= 100); n per arm 10-{args.max_n}, "
          f"Boschloo computed for {computed} claims, bounded by Fisher's p for the rest")


if __name__ == "__main__":
    main()
