"""Claims per second of ``check_study`` on a synthetic batch of studies.

Usage: ``python benchmarks/check.py [--studies 10000] [--max-n 200] [--seed 1] [--no-estimates]``

Half the studies have one continuous claim (two arms, means and SDs printed to 1-2 decimals),
half one binary claim (two arms up to ``--max-n`` per arm; a third of them print percentages,
so counts are reconstructed).  Every spec and rounding box is included; Boschloo's test runs
under the default policy (only where Fisher's p is above alpha), and the figures say how often
that was.  Each claim also states a printed statistic and p, so the reported-statistic spec runs,
and an unadjusted estimate with its 95% CI (continuous: the MD with its pooled-t interval;
binary: the sample OR with Woolf's interval, each to two decimals), so every claim rebuilds
its printed estimate by every method over the box (``reanalyse.rebuild.estimates``) and its
CI's implied p.
Half the claims are claims of no difference, which get a Bayes factor.

Rates are given in wall-clock time and in the process's CPU time (which other work on the
machine does not inflate).  The first two lines time ``check_study``: every spec over its
rounding box, the sensitivity analyses the verdicts use, the verdicts.  The Bayes factors
(numerical integrals) and the SMD part of what the sample allows (a root search over the
noncentral t) are made when first read, since no verdict reads them; the ``as JSON`` lines time
a batch of the same design (drawn with ``--seed`` + 2) with every result read and serialised
(``StudyCheck.to_dict``, what ``reanalyse check --format json`` prints).  The last lines time
the per-claim sensitivity analyses (``claim_sensitivity``, part of every check) alone, on a
second batch drawn with ``--seed`` + 1 so that none of their caches is warm, then what reading
the deferred parts costs: the SMD part of each continuous claim's allowance, read once, and
the three ``pingouin.bayesfactor_ttest`` calls (at t and at the ends of its rounding range) of
each claim of no difference, repeated on the same values.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import stats

from reanalyse.claims.assess import check_study
from reanalyse.kernels.printed import parse_number, parse_p
from reanalyse.sensitivity import claim_sensitivity
from reanalyse.model.study import Arm, BinaryArm, Claim, ContinuousArm, Estimate, Outcome, \
    Reported, Study


def _text(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def continuous_study(rng, index: int, estimates: bool = True) -> Study:
    n1, n2 = rng.integers(8, 200, size=2)
    mean1, sd1, sd2 = rng.uniform(5, 30), rng.uniform(1, 6), rng.uniform(1, 6)
    mean2 = mean1 + rng.normal(0, 2)
    decimals = int(rng.integers(1, 3))
    arms = {"treat": ContinuousArm(int(n1), parse_number(_text(mean1, decimals)),
                                   parse_number(_text(sd1, decimals))),
            "control": ContinuousArm(int(n2), parse_number(_text(mean2, decimals)),
                                     parse_number(_text(sd2, decimals)))}
    t = (mean1 - mean2) / np.sqrt(sd1**2 / n1 + sd2**2 / n2)
    df = n1 + n2 - 2
    half = stats.t.ppf(0.975, df) * np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / df
                                            * (1 / n1 + 1 / n2))
    estimate = _estimate("MD", mean1 - mean2, mean1 - mean2 - half, mean1 - mean2 + half)
    reported = Reported(test="t", statistic=parse_number(_text(t, 2)),
                        df=(parse_number(str(int(df))),), p=parse_p("< .05"),
                        estimate=estimate if estimates else None)
    return _study(index, "continuous", arms, reported, int(n1), int(n2))


def binary_study(rng, index: int, max_n: int, estimates: bool = True) -> Study:
    n1, n2 = rng.integers(10, max_n + 1, size=2)
    e1, e2 = rng.binomial(n1, rng.uniform(0.1, 0.6)), rng.binomial(n2, rng.uniform(0.1, 0.6))
    if rng.random() < 1 / 3:
        treat = BinaryArm(int(n1), percent=parse_number(_text(100 * e1 / n1, 0)))
        control = BinaryArm(int(n2), percent=parse_number(_text(100 * e2 / n2, 1)))
    else:
        treat, control = BinaryArm(int(n1), int(e1)), BinaryArm(int(n2), int(e2))
    a, b, c, d = (x + 0.5 * (min(e1, n1 - e1, e2, n2 - e2) == 0)
                  for x in (e1, n1 - e1, e2, n2 - e2))
    log_or, se = np.log(a * d / (b * c)), np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    estimate = _estimate("OR", *np.exp([log_or, log_or - 1.96 * se, log_or + 1.96 * se]))
    reported = Reported(test="chi2", statistic=parse_number("3.84"), df=(parse_number("1"),),
                        p=parse_p("= .05"), estimate=estimate if estimates else None)
    return _study(index, "binary", {"treat": treat, "control": control}, reported, int(n1),
                  int(n2))


def _estimate(measure: str, value: float, low: float, high: float) -> Estimate:
    return Estimate(measure, *(parse_number(_text(x, 2)) for x in (value,)),
                    ci=(parse_number(_text(low, 2)), parse_number(_text(high, 2))))


def _study(index, kind, arms, reported, n1, n2) -> Study:
    outcome = Outcome(id="y", label="outcome", type=kind, arms=arms)
    claim = Claim(id="c", outcome="y", reported=reported, significant=bool(index % 2))
    return Study(id=f"synthetic-{index}", citation="synthetic", outcomes=(outcome,),
                 arms=(Arm("treat", "Treatment", n1), Arm("control", "Control", n2)),
                 claims=(claim,))


def measure(task, studies) -> tuple[float, float, list]:
    """Wall-clock and CPU seconds of ``task`` over ``studies``, and its results."""
    wall, cpu = time.perf_counter(), time.process_time()
    results = [task(study) for study in studies]
    return time.perf_counter() - wall, time.process_time() - cpu, results


def as_json(study: Study) -> dict:
    return check_study(study).to_dict()


def sensitivity(study: Study):
    return claim_sensitivity(study, study.claims[0])


def rates(count: int, wall: float, cpu: float) -> str:
    return (f"{count:>6} claims in {wall:7.2f} s = {count / wall:8.0f} claims/s "
            f"(CPU {cpu:6.2f} s = {count / cpu:6.0f}/s)")


def batch(seed: int, studies: int, max_n: int, estimates: bool = True) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    half = studies // 2
    return ([continuous_study(rng, i, estimates) for i in range(half)],
            [binary_study(rng, i, max_n, estimates) for i in range(studies - half)])


def bayes_factor_seconds(factors) -> float:
    """CPU seconds of the three pingouin calls behind each Bayes factor."""
    import pingouin

    cpu = time.process_time()
    for factor in factors:
        low = 0.0 if factor.t_min <= 0 <= factor.t_max else min(abs(factor.t_min),
                                                                abs(factor.t_max))
        for t in (factor.t, low, max(abs(factor.t_min), abs(factor.t_max))):
            pingouin.bayesfactor_ttest(t, factor.treat_n, factor.control_n, r=factor.r)
    return time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--max-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-estimates", action="store_true",
                        help="claims print no estimate (to see what judging one costs)")
    args = parser.parse_args()
    continuous, binary = batch(args.seed, args.studies, args.max_n, not args.no_estimates)
    check_study(continuous[0]), check_study(binary[0])  # imports and first-call caches

    wall, cpu, results = measure(check_study, continuous)
    bayes = sum(1 for r in results if r.claims[0].sensitivity.bayes_factor.computed)
    print(f"continuous: {rates(len(continuous), wall, cpu)} (target >= 2000); "
          f"{bayes} with a Bayes factor")
    wall, cpu, results = measure(check_study, binary)
    computed = sum(1 for r in results for s in r.claims[0].specs
                   if s.name == "boschloo_exact" and s.p is not None)
    rebuilt = sum(1 for r in results if r.claims[0].estimate is not None
                  and r.claims[0].estimate.rebuilt)
    print(f"binary:     {rates(len(binary), wall, cpu)} (target >= 100); n per arm "
          f"10-{args.max_n}, Boschloo computed for {computed} claims, bounded by Fisher's p for "
          f"the rest; printed OR rebuilt for {rebuilt}")

    continuous, binary = batch(args.seed + 2, args.studies, args.max_n, not args.no_estimates)
    for kind, studies in (("continuous", continuous), ("binary", binary)):
        wall, cpu, _ = measure(as_json, studies)
        print(f"{kind + ' as JSON:':19} {rates(len(studies), wall, cpu)}")

    continuous, binary = batch(args.seed + 1, args.studies, args.max_n, not args.no_estimates)
    analyses = {}
    for kind, studies in (("continuous", continuous), ("binary", binary)):
        wall, cpu, analyses[kind] = measure(sensitivity, studies)
        print(f"claim_sensitivity alone, {kind + ':':11} {rates(len(studies), wall, cpu)}, "
              f"{1e3 * cpu / len(studies):.3f} ms CPU per claim")
    cpu = time.process_time()
    read = [result.allowance.smd_at_power for result in analyses["continuous"]]
    cpu = time.process_time() - cpu
    print(f"  then reading the SMD part of the allowance: {1e3 * cpu / len(read):.3f} ms CPU per "
          "continuous claim")
    factors = [r.bayes_factor for r in analyses["continuous"] if r.bayes_factor.computed]
    cpu = bayes_factor_seconds(factors)
    print(f"  and pingouin's Bayes factors: {1e3 * cpu / len(continuous):.3f} ms CPU per "
          f"continuous claim ({len(factors)} claims of no difference, "
          f"{1e3 * cpu / (3 * len(factors)):.3f} ms per pingouin call)")


if __name__ == "__main__":
    main()
