"""Time and peak memory of ``reanalyse check`` on one binary claim at 1,000 / 10,000 / 100,000
per arm.

Usage: ``python benchmarks/large.py``

Each size runs in a fresh subprocess (so that no cache is warm and the peak resident set
size, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, is that one check's): a synthetic study
with a printed percentage (to 0.1 point: about n / 1,000 count pairs, see the table) in one arm and
events in the other, randomised above analysed (attrition runs), checked by
``reanalyse.claims.assess.check_file`` with every sensitivity analysis read (``to_dict``).
Printed: wall time of the check (import excluded), peak RSS of the whole process, and the
process's RSS after importing reanalyse, for scale.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

STUDY = """
id: synthetic-large-{n}
citation: "Synthetic study for the large-trial benchmark (no real trial)"
arms:
  - {{id: treat, label: treatment, randomised: {r}}}
  - {{id: control, label: control, randomised: {r}}}
outcomes:
  - id: event
    label: Event by one year
    type: binary
    arms:
      treat: {{n: {n}, percent: 45.0}}
      control: {{n: {n}, events: {c}}}
claims:
  - id: fewer-events
    outcome: event
    reported: {{test: chi2, p: "0.03"}}
    significant: true
"""

CHILD = """
import json, resource, sys, time
import reanalyse.claims.assess as check
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = check.check_file(sys.argv[1])
json.dumps(result.to_dict(), default=str)
elapsed = time.perf_counter() - start
spec = result.claims[0].specs[0]
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(
    resource.RUSAGE_SELF).ru_maxrss / 1024, "import_mb": base / 1024, "pairs": spec.tables,
    "verdict": result.claims[0].verdict.value}))
"""


def main() -> None:
    print(f"{'per arm':>9} {'pairs':>6} {'check s':>8} {'peak MB':>8} {'import MB':>9}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        for n in (1_000, 10_000, 100_000):
            # 45.0% vs a control rate giving p near 0.03 at each size
            control = round(n * (0.45 + 2.17 * (0.495 / n) ** 0.5 * 1.0))
            path = Path(folder) / f"synthetic-large-{n}.yaml"
            path.write_text(textwrap.dedent(STUDY.format(n=n, r=n + n // 200, c=control)))
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                 text=True, check=True).stdout
            row = json.loads(out)
            print(f"{n:>9,} {row['pairs']:>6} {row['seconds']:>8.2f} {row['peak_mb']:>8.0f} "
                  f"{row['import_mb']:>9.0f}  {row['verdict']}")


if __name__ == "__main__":
    main()
