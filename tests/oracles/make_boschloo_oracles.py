"""Record Boschloo's p-values by brute force, for tables too large to recompute in each run.

Boschloo's p (Fisher's p as the statistic; two-sided: Fisher's two-sided p, as R's
``Exact::exact.test(method = "boschloo")``) is the supremum over the common event probability
pi of P_pi(T <= t_obs).  Here, independently of ``reanalyse``:

* T of every table is Fisher's p in exact rational arithmetic (``fractions.Fraction``,
  ``math.comb``), so the rejection region needs no tolerance;
* P_pi(region) is the sum over the region of the product of the two binomial probabilities
  (``scipy.stats.binom.pmf``);
* the supremum is searched on 100,001 equally spaced pi, then on 10,001 equally spaced pi
  across the two grid steps around the best point.  A grid maximum is a lower bound of the
  supremum; the refinement leaves it within about 1e-10 of it at these sizes.

Run ``python tests/oracles/make_boschloo_oracles.py`` to rewrite
``tests/oracles/boschloo_oracles.json``; the test suite only reads the recorded values.
"""

import json
import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).parents[1]))   # tests/: the shared brute force
from brute_force import exact_fisher  # noqa: E402

TABLES = [  # treat_events, treat_n, control_events, control_n, alternative
    (15, 60, 26, 60, "two-sided"),
    (20, 80, 35, 80, "two-sided"),
    (7, 50, 16, 45, "less"),
    (30, 100, 45, 100, "two-sided"),
    (12, 40, 4, 44, "greater"),
]
OUT = Path(__file__).with_name("boschloo_oracles.json")


def power(nuisance, region, treat_n, control_n):
    treat = stats.binom.pmf(np.arange(treat_n + 1), treat_n, nuisance[:, None])
    control = stats.binom.pmf(np.arange(control_n + 1), control_n, nuisance[:, None])
    return ((treat @ region) * control).sum(axis=1)


def boschloo(treat_events, treat_n, control_events, control_n, alternative):
    pvalues = exact_fisher(treat_n, control_n, alternative)
    observed = pvalues[treat_events, control_events]
    region = np.array([[float(pvalues[a, c] <= observed) for c in range(control_n + 1)]
                       for a in range(treat_n + 1)])
    coarse = np.linspace(0.0, 1.0, 100_001)
    values = np.concatenate([power(chunk, region, treat_n, control_n)
                             for chunk in np.array_split(coarse, 20)])
    best = int(values.argmax())
    fine = np.linspace(coarse[max(best - 1, 0)], coarse[min(best + 1, coarse.size - 1)], 10_001)
    refined = power(fine, region, treat_n, control_n)
    return float(observed), float(max(values.max(), refined.max())), float(fine[refined.argmax()])


def main():
    records = []
    for table in TABLES:
        statistic, pvalue, nuisance = boschloo(*table)
        records.append({"treat_events": table[0], "treat_n": table[1],
                        "control_events": table[2], "control_n": table[3],
                        "alternative": table[4], "statistic": statistic, "p_value": pvalue,
                        "nuisance": nuisance})
    OUT.write_text(json.dumps({"method": "\n\n".join(__doc__.split("\n\n")[1:3]).strip(),
                               "records": records}, indent=1) + "\n")


if __name__ == "__main__":
    main()
