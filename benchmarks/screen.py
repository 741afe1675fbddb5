"""Throughput of the consistency screens, and Carlisle's baseline screen over real trials.

    python benchmarks/screen.py [--rows 1000000] [--repeat 3]

For each check, a synthetic table of printed numbers (as text) is made the way papers make
them: means, SDs, proportions and statistics computed from simulated integer or binary data
and rounded to 1-3 decimals, with 5% of the rows then mistyped by one unit in the last place
(so a realistic share of rows is flagged and gets a reason).  The time is the best of
``--repeat`` runs of the table mapper, end to end: reading the text columns, the check, the
reasons and the output table.  Then the baseline screen runs over the 71,089 printed rows of
Carlisle (2017) if ``../shared/data/carlisle-2017`` is present, and the share of trials
flagged and the distribution of trial p-values are printed.

Targets (2-core machine): GRIM, GRIMMER, DEBIT >= 1,000,000 rows/s; printed statistic p
>= 200,000 rows/s; two-group rebuilt t with rounding bounds >= 100,000 rows/s.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from reanalyse.screens import CHECKS as SCREEN_CHECKS
from reanalyse.screens import baseline_screen, debit_map, grim_map, grimmer_map, percent_map, \
    rebuilt_anova_map, rebuilt_t_map, statistic_map
from reanalyse.kernels.columns import format_scaled
from reanalyse.screens.base import read_fields, resolve_columns

CARLISLE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "carlisle-2017" / \
    "baseline.csv"
TYPO_SHARE = 0.05


def printed(values, decimals, rng=None) -> np.ndarray:
    """Values rounded (halves up) to ``decimals`` as text; with ``rng``, 5% of them one unit
    off in the last place."""
    decimals = np.broadcast_to(np.asarray(decimals), np.shape(values))
    scaled = np.floor(np.asarray(values) * 10.0**decimals + 0.5).astype(np.int64)
    if rng is not None:
        typo = rng.random(len(scaled)) < TYPO_SHARE
        scaled = scaled + typo * rng.choice([-1, 1], len(scaled))
    return np.asarray(format_scaled(scaled, decimals)).astype(object)


def likert_samples(rng, rows, largest_n=60):
    """Row sums, sums of squares and n of 1-7 responses (n from 5 to ``largest_n``)."""
    n = rng.integers(5, largest_n + 1, rows)
    total = np.zeros(rows)
    squares = np.zeros(rows)
    for position in range(largest_n):  # one column of responses at a time
        response = rng.integers(1, 8, rows) * (position < n)
        total += response
        squares += response.astype(float) ** 2
    return total, squares, n


def grim_table(rng, rows):
    total, _, n = likert_samples(rng, rows)
    return pd.DataFrame({"mean": printed(total / n, 2, rng), "n": n.astype(str).astype(object)})


def grimmer_table(rng, rows):
    total, squares, n = likert_samples(rng, rows)
    sd = np.sqrt((squares - total**2 / n) / (n - 1))
    return pd.DataFrame({"mean": printed(total / n, 2), "sd": printed(sd, 2, rng),
                         "n": n.astype(str).astype(object)})


def debit_table(rng, rows):
    n = rng.integers(10, 500, rows)
    k = rng.binomial(n, rng.uniform(0.05, 0.95, rows))
    sd = np.sqrt(k * (n - k) / (n * (n - 1.0)))
    return pd.DataFrame({"mean": printed(k / n, 2), "sd": printed(sd, 2, rng),
                         "n": n.astype(str).astype(object)})


def percent_table(rng, rows):
    n = rng.integers(10, 500, rows)
    k = rng.binomial(n, rng.uniform(0.05, 0.95, rows))
    return pd.DataFrame({"percent": printed(100 * k / n, 1, rng),
                         "n": n.astype(str).astype(object)})


def _p_text(p, rng):
    """Printed p: "< .001" below .001, else "= " and three decimals (5% mistyped)."""
    text = np.where(p < 0.001, "< .001", "")
    exact = printed(p, 3, rng)
    shown = np.char.add("= ", exact.astype(str))
    return np.where(p < 0.001, text, shown).astype(object)


def statistic_table(rng, rows):
    kinds = rng.choice(np.array(["t", "F", "chi2", "r", "z"]), rows)
    df1 = rng.integers(1, 5, rows)
    df2 = rng.integers(10, 300, rows)
    value = np.abs(rng.normal(2, 1, rows))
    p = np.select(
        [kinds == "t", kinds == "F", kinds == "chi2", kinds == "z"],
        [2 * stats.t.sf(value, df2), stats.f.sf(value**2, df1, df2), stats.chi2.sf(value**2, df1),
         2 * stats.norm.sf(value)],
        default=2 * stats.t.sf(value, df2))
    shown = np.select([np.isin(kinds, ("F", "chi2")), kinds == "r"],
                      [value**2, value / np.sqrt(df2 + value**2)], default=value)
    return pd.DataFrame({
        "statistic": kinds.astype(object),
        "df1": np.where(kinds == "z", "", np.where(np.isin(kinds, ("t", "r")), df2, df1)
                        .astype(str)).astype(object),
        "df2": np.where(kinds == "F", df2.astype(str), "").astype(object),
        "value": printed(shown, 2),
        "p": _p_text(p, rng),
    })


def rebuilt_t_table(rng, rows):
    n1, n2 = rng.integers(10, 200, rows), rng.integers(10, 200, rows)
    m1, m2 = rng.normal(50, 10, rows), rng.normal(50, 10, rows)
    s1, s2 = rng.uniform(5, 15, rows), rng.uniform(5, 15, rows)
    pooled = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2) * (1 / n1 + 1 / n2))
    p = 2 * stats.t.sf(np.abs(m1 - m2) / pooled, n1 + n2 - 2)
    return pd.DataFrame({
        "treat_mean": printed(m1, 1), "treat_sd": printed(s1, 1),
        "treat_n": n1.astype(str).astype(object), "control_mean": printed(m2, 1),
        "control_sd": printed(s2, 1), "control_n": n2.astype(str).astype(object),
        "p": _p_text(p, rng)})


def rebuilt_anova_table(rng, rows):
    comparisons = rows // 3
    group = np.tile(np.arange(3), comparisons)
    key = np.repeat(np.arange(comparisons), 3)
    n = rng.integers(10, 100, (comparisons, 3))
    mean = rng.normal(50, 2, (comparisons, 3))
    sd = rng.uniform(5, 15, (comparisons, 3))
    total = n.sum(axis=1)
    grand = (n * mean).sum(axis=1, keepdims=True) / total[:, None]
    between = (n * (mean - grand) ** 2).sum(axis=1) / 2
    within = ((n - 1) * sd**2).sum(axis=1) / (total - 3)
    p_text = _p_text(stats.f.sf(between / within, 2, total - 3), rng)
    p = np.where(group == 0, np.repeat(p_text, 3), "")
    n, mean, sd = n.ravel(), mean.ravel(), sd.ravel()
    return pd.DataFrame({"comparison": key.astype(str).astype(object), "mean": printed(mean, 1),
                         "sd": printed(sd, 1), "n": n.astype(str).astype(object),
                         "p": p.astype(object)})


CHECKS = {
    "grim": (grim_table, grim_map, 1_000_000),
    "grimmer": (grimmer_table, grimmer_map, 1_000_000),
    "debit": (debit_table, debit_map, 1_000_000),
    "percent": (percent_table, percent_map, None),
    "statistic": (statistic_table, statistic_map, 200_000),
    "rebuilt_t": (rebuilt_t_table, rebuilt_t_map, 100_000),
    "rebuilt_anova": (rebuilt_anova_table, rebuilt_anova_map, None),
}


def arithmetic_time(name, table, repeat):
    """Best time of the check alone on columns already read (None for grouped checks)."""
    check = SCREEN_CHECKS[name]
    if check.group_key is not None:
        return None
    read, *_ = read_fields(check.fields, table, resolve_columns(name, check.fields, table, {}))
    options = check.resolve_options({})
    return best_time(lambda _: check.run(read, options), None, repeat)[0]


def best_time(function, table, repeat):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(table)
        best = min(best, time.perf_counter() - start)
    return best, result


#: GRIMMER rows with n = 3 and huge SDs: wide windows (decided at once), a window holding no
#: integer sum of squares, and narrow ones left undecided after the bounded search.
THREE_SDS = ("100000000.00", "1000000000.00", "123456789.123456789", "380618.546467",
             "912345.123457")


def three_sd_rows(repeat):
    """Seconds per GRIMMER row with n = 3 and a huge SD (each row on its own)."""
    print()
    print("GRIMMER, n = 3, mean 5.00, one row each: seconds and status")
    for sd in THREE_SDS:
        table = pd.DataFrame({"mean": ["5.00"], "sd": [sd], "n": ["3"]})
        seconds, result = best_time(grimmer_map, table, repeat)
        print(f"  sd {sd:<22}{seconds:>8.3f} s  {result['status'].iloc[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(20240611)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"synthetic tables of {args.rows:,} rows, best of {args.repeat} runs "
          f"({os.cpu_count()} CPUs, load average {load})")
    print("rows/s end to end (reading the text columns, the check, reasons, output table) and "
          "for the check alone on columns already read")
    print(f"{'check':<16}{'end to end':>14}{'check alone':>14}{'target':>12}{'flagged':>10}")
    for name, (make, mapper, target) in CHECKS.items():
        table = make(rng, args.rows)
        seconds, result = best_time(mapper, table, args.repeat)
        alone = arithmetic_time(name, table, args.repeat)
        flagged = result["status"].isin(("inconsistent", "decision_error")).mean()
        alone_text = "-" if alone is None else f"{len(table) / alone:,.0f}"
        mark = "" if target is None else f"{target:,}"
        print(f"{name:<16}{len(table) / seconds:>14,.0f}{alone_text:>14}{mark:>12}"
              f"{flagged:>10.1%}")
    print("(rebuilt_anova: rows are groups, three per comparison)")
    three_sd_rows(args.repeat)

    print()
    if not CARLISLE.is_file():
        print(f"Carlisle (2017) baseline screen: skipped ({CARLISLE} is absent)")
        return
    table = pd.read_csv(CARLISLE, dtype=str, keep_default_na=False)
    seconds, result = best_time(baseline_screen, table, args.repeat)
    summary = result.summary()
    print(f"Carlisle (2017) baseline screen: {len(table):,} rows, {summary['variables']:,} "
          f"variables, {summary['trials']:,} trials in {seconds:.2f} s "
          f"({len(table) / seconds:,.0f} rows/s)")
    print(f"  variables with a p: {summary['variables_with_p']:,}; trials with a combined p: "
          f"{summary['trials_with_p']:,}")
    print(f"  trials flagged (whole "
          f"p-interval below {summary['flag_alpha']} or above {1 - summary['flag_alpha']}): "
          f"{summary['flagged']} ({summary['flagged_share']:.2%}; "
          f"{summary['flagged_dissimilar']} dissimilar, {summary['flagged_similar']} similar)")
    print(f"  trial p within 0.05 of 0 or 1: {summary['share_within_05_of_0_or_1']:.1%} "
          "(10% if uniform)")
    print("  distribution of trial p (Stouffer, printed values):")
    for _, row in result.distribution(bins=20).iterrows():
        bar = "#" * int(round(60 * row["trials"] / result.distribution(bins=20)["trials"].max()))
        print(f"    {row['p_from']:.2f}-{row['p_to']:.2f} {int(row['trials']):>5} "
              f"(expected {row['expected']:.0f}) {bar}")


if __name__ == "__main__":
    main()
