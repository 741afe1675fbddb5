"""Throughput of ``reanalyse extract``: finding APA-style results in text and screening them.

    python benchmarks/extract.py [--lines 1000 10000 100000] [--repeat 3]

A text of one APA result a line is made the way papers print them: t, F, chi2, r and z with
their df, the statistic computed from simulated effects and rounded to two decimals, and the
p of that statistic printed to three decimals (or as ``p < .001``), with 5% of the p-values then
replaced by a wrong one; every tenth line also says "one-tailed".  The time is the best of
``--repeat`` runs of the command, end to end (``reanalyse extract FILE --output OUT.csv``:
reading the file, finding the results, both readings of the one-tailed ones, the check and
writing the CSV), and the figure printed is results per second.

Target (2-core machine): at least 20,000 results/s at 100,000 lines, and the rate at 100,000
lines within 1.5x of the rate at 10,000 (linear time).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

from reanalyse.cli import main

WRONG_SHARE = 0.05


def apa_lines(count: int, seed: int = 1) -> list[str]:
    """``count`` lines, each one APA-style result (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 5, count)
    df = rng.integers(10, 200, count)
    df2 = rng.integers(1, 5, count)
    effect = rng.normal(1.5, 1.2, count)
    lines = []
    for i in range(count):
        d, k = int(df[i]), int(kind[i])
        if k == 0:
            value = round(effect[i], 2)
            p = 2 * stats.t.sf(abs(value), d)
            text = f"t({d}) = {value:.2f}"
        elif k == 1:
            value = round(effect[i] ** 2 + 0.1, 2)
            p = stats.f.sf(value, int(df2[i]), d)
            text = f"F({int(df2[i])}, {d}) = {value:.2f}"
        elif k == 2:
            value = round(effect[i] ** 2 * 2, 2)
            p = stats.chi2.sf(value, int(df2[i]))
            text = f"χ2({int(df2[i])}, N = {d * 3}) = {value:.2f}"
        elif k == 3:
            value = round(float(np.tanh(effect[i] / 6)), 2)
            t = abs(value) * np.sqrt(d / max(1 - value * value, 1e-12))
            p = 2 * stats.t.sf(t, d)
            text = f"r({d}) = {value:.2f}".replace("0.", ".")
        else:
            value = round(effect[i], 2)
            p = 2 * stats.norm.sf(abs(value))
            text = f"z = {value:.2f}"
        if rng.random() < WRONG_SHARE:
            p = rng.uniform(0.001, 0.5)
        shown = "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)
        said = " (one-tailed)" if i % 10 == 0 else ""
        lines.append(f"Result {i} was as follows, {text}, {shown}{said}.")
    return lines


def rate(path: Path, out: Path, results: int, repeat: int) -> float:
    """Best results per second of ``reanalyse extract`` over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            status = main(["extract", str(path), "--output", str(out)])
        best = min(best, time.perf_counter() - start)
        assert status == 0
    return results / best


def run(line_counts: list[int], repeat: int) -> None:
    """Print results per second at each number of lines."""
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in line_counts:
            path = Path(folder) / f"results-{count}.txt"
            path.write_text("\n".join(apa_lines(count)) + "\n", encoding="utf-8")
            figures[count] = rate(path, Path(folder) / "out.csv", count, repeat)
            print(f"{count:>9,} lines: {figures[count]:>10,.0f} results/s", flush=True)
    if 10_000 in figures and 100_000 in figures:
        print(f"rate at 10,000 / rate at 100,000: {figures[10_000] / figures[100_000]:.2f} "
              "(target <= 1.5)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    run(arguments.lines, arguments.repeat)
