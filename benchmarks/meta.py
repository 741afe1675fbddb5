"""Speed of the meta-analysis kernels.

    python benchmarks/meta.py [--studies 1000] [--box-studies 30] [--repeat 5]

(a) A pool of ``--studies`` synthetic studies (made up here: standardised mean differences
    from simulated arms of 10-200 participants with a true tau^2 of 0.04, printed to two
    decimals) by REML with the Q-profile interval for tau^2 and the prediction interval:
    ``pool(yi, vi, method="REML")``, effect sizes included.  Target: < 1 s.
(b) The rounding box of a ``--box-studies`` pool: every mean and SD printed to one decimal
    (an interval of width 0.1), n exact; ``pool_over_rounding_box("SMD", ..., method="REML")``
    over the box.  Target: < 2 s.

Each figure is the best and the median of ``--repeat`` runs (wall clock, and CPU time of this
process), on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from reanalyse.kernels import effect_sizes
from reanalyse.kernels.meta import pool, pool_over_rounding_box


def synthetic_studies(rng, k: int, decimals: int) -> dict:
    """Printed arm summaries (rounded to ``decimals``) of k synthetic two-arm studies."""
    treat_n = rng.integers(10, 201, k).astype(float)
    control_n = rng.integers(10, 201, k).astype(float)
    effect = rng.normal(0.3, 0.2, k)
    sd = rng.uniform(5, 15, k)
    values = {"treat_n": treat_n, "control_n": control_n,
              "treat_mean": 50 + effect * sd + rng.normal(0, sd / np.sqrt(treat_n)),
              "control_mean": 50 + rng.normal(0, sd / np.sqrt(control_n)),
              "treat_sd": sd * np.sqrt(rng.chisquare(treat_n - 1) / (treat_n - 1)),
              "control_sd": sd * np.sqrt(rng.chisquare(control_n - 1) / (control_n - 1))}
    return {name: value if name.endswith("_n") else np.round(value, decimals)
            for name, value in values.items()}


def timed(function, repeat: int):
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, walls, cpus


def report(label: str, walls, cpus, target: float) -> None:
    print(f"{label}: best {min(walls):.3f} s, median {statistics.median(walls):.3f} s "
          f"(CPU best {min(cpus):.3f} s); target < {target:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--box-studies", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)

    studies = synthetic_studies(rng, args.studies, 2)

    def pool_all():
        effects = effect_sizes.standardised_mean_difference(**studies)
        return pool(effects.yi, effects.vi, method="REML")
    result, walls, cpus = timed(pool_all, args.repeat)
    report(f"(a) {args.studies} studies, REML + Q-profile CI + PI", walls, cpus, 1)
    print(f"    tau2 = {result.tau2:.4f} (95% CI {result.tau2_ci_low:.4f} to "
          f"{result.tau2_ci_high:.4f}), I2 = {result.i2:.1f}%, estimate = {result.estimate:.4f}")

    box = synthetic_studies(rng, args.box_studies, 1)
    low = {n: v if n.endswith("_n") else v - 0.05 for n, v in box.items()}
    high = {n: v if n.endswith("_n") else v + 0.05 for n, v in box.items()}
    found, walls, cpus = timed(lambda: pool_over_rounding_box("SMD", low, high, method="REML",
                                                              values=box), args.repeat)
    report(f"(b) rounding box of {args.box_studies} studies (SMD, REML)", walls, cpus, 2)
    low_p, high_p = found.ranges["pvalue"]
    print(f"    {found.evaluations} points evaluated in {found.rounds} refinement rounds; "
          f"estimate {found.ranges['estimate'][0]:.4f} to {found.ranges['estimate'][1]:.4f}, "
          f"p {low_p:.3g} to {high_p:.3g}")


if __name__ == "__main__":
    main()
