"""Wall time of a batch of claim-check notebooks: plain CLIs against ``reanalyse run``.

Makes N synthetic studies and analyses (default 40; synthetic, not real trials) that use the
shipped ``notebooks/claim_check.ipynb``, then measures in one run:

(a) for each analysis, the ``papermill`` CLI followed by the ``jupyter nbconvert --to html``
    CLI (code hidden, as ``reanalyse run`` does), one analysis after the other;
(b) ``reanalyse run --jobs <cores>`` into an empty report folder;
(c) a second ``reanalyse run`` with nothing changed;

and, separately, the start-up of one analysis:

(d) ``reanalyse run`` of a single analysis into an empty report folder, end to end (median of
    ``--repeat`` runs): when the plan is printed, how long the analysis took on its worker
    (kernel, notebook, HTML), and the rest (interpreter start, imports, the kernel fork server,
    writing the reports, stopping).

Everything runs against a snapshot of ``src/`` (or of ``--src``, e.g. an older checkout's, to
compare) and of the template taken at the start (put first on ``PYTHONPATH``), so that edits to
the working tree during the benchmark do not change the package's source digest between (b)
and (c), which would make (c) run everything again.

Usage: ``python benchmarks/batch.py [--n 40] [--jobs CORES] [--keep DIR] [--only startup]
[--repeat 5] [--src DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def executable(name: str) -> str:
    """A console script of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def synthetic_study(index: int, rng: random.Random) -> str:
    """A study file with one continuous and one binary claim, numbers drawn at random."""
    n_treat, n_control = rng.randint(15, 80), rng.randint(15, 80)
    mean_treat = rng.uniform(5, 15)
    mean_control = mean_treat + rng.uniform(-4, 4)
    sd_treat, sd_control = rng.uniform(1.5, 4.0), rng.uniform(1.5, 4.0)
    events_treat = rng.randint(2, n_treat - 2)
    events_control = rng.randint(2, n_control - 2)
    significant_mean = rng.random() < 0.6
    significant_events = rng.random() < 0.5
    p_mean = rng.choice(['"< 0.001"', '"0.02"', '"0.04"', '"0.30"'])
    p_events = rng.choice(['"0.01"', '"0.049"', '"0.20"'])
    return f"""# Synthetic study for benchmarks/batch.py; not a real trial.
id: synthetic-bench-{index:03d}
citation: "Synthetic benchmark study {index} (not a real trial)"
alpha: 0.05
arms:
  - {{id: treat, label: Treatment, randomised: {n_treat}}}
  - {{id: control, label: Control, randomised: {n_control}}}
outcomes:
  - id: score
    label: Score
    type: continuous
    arms:
      treat: {{n: {n_treat}, mean: {mean_treat:.2f}, sd: {sd_treat:.2f}}}
      control: {{n: {n_control}, mean: {mean_control:.2f}, sd: {sd_control:.2f}}}
  - id: event
    label: Event
    type: binary
    arms:
      treat: {{n: {n_treat}, events: {events_treat}}}
      control: {{n: {n_control}, events: {events_control}}}
claims:
  - id: score-differs
    outcome: score
    reported: {{test: t, p: {p_mean}}}
    significant: {str(significant_mean).lower()}
  - id: events-differ
    outcome: event
    reported: {{test: chi2, p: {p_events}}}
    significant: {str(significant_events).lower()}
"""


def snapshot(folder: Path, src: Path = ROOT / "src") -> dict:
    """Copy ``src`` and the template into ``folder``; the environment that uses the copy."""
    shutil.copytree(src, folder / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (folder / "notebooks").mkdir()
    shutil.copy2(ROOT / "notebooks" / "claim_check.ipynb", folder / "notebooks")
    path = os.pathsep.join(filter(None, [str(folder / "src"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def make_batch(folder: Path, count: int) -> Path:
    """``count`` synthetic studies and analyses under ``folder``; the analyses folder."""
    rng = random.Random(20240611)
    template = folder / "notebooks" / "claim_check.ipynb"
    (folder / "data").mkdir(parents=True)
    (folder / "analyses").mkdir()
    for index in range(1, count + 1):
        name = f"synthetic-bench-{index:03d}"
        (folder / "data" / f"{name}.yaml").write_text(synthetic_study(index, rng))
        (folder / "analyses" / f"{name}.yaml").write_text(
            f"study: ../data/{name}.yaml\nnotebook: ../notebooks/{template.name}\n")
    return folder / "analyses"


def plain_clis(analyses: Path, out: Path, env: dict) -> float:
    """(a): papermill, then nbconvert, per analysis, one after the other; seconds."""
    out.mkdir()
    papermill, jupyter = executable("papermill"), executable("jupyter")
    template = analyses.parent / "notebooks" / "claim_check.ipynb"
    start = time.perf_counter()
    for path in sorted(analyses.glob("*.yaml")):
        study = path.parent.parent / "data" / path.name
        executed = out / f"{path.stem}.ipynb"
        subprocess.run([papermill, str(template), str(executed), "-p", "analysis_path",
                        str(path), "-p", "study_path", str(study), "-k", "python3",
                        "--no-progress-bar"], check=True, capture_output=True, env=env)
        subprocess.run([jupyter, "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def reanalyse_run(analyses: Path, out: Path, jobs: int, env: dict) -> tuple[float, str]:
    """(b) and (c): ``reanalyse run``; seconds and its summary."""
    start = time.perf_counter()
    result = subprocess.run([executable("reanalyse"), "run", str(analyses), "--out", str(out),
                             "--jobs", str(jobs)], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if result.returncode == 2:
        raise SystemExit(f"reanalyse run failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout.splitlines()[0]


def startup(analyses: Path, folder: Path, repeat: int, env: dict) -> dict:
    """(d): one analysis, end to end, ``repeat`` times into new report folders; medians."""
    target = sorted(analyses.glob("*.yaml"))[0]
    totals, firsts, workers = [], [], []
    for attempt in range(repeat):
        out = folder / f"startup-{attempt}"
        start = time.perf_counter()
        process = subprocess.Popen([executable("reanalyse"), "run", str(target), "--out",
                                    str(out)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, env=env)
        process.stderr.readline()
        firsts.append(time.perf_counter() - start)
        process.stderr.read()
        if process.wait() == 2:
            raise SystemExit(f"reanalyse run failed on {target}")
        totals.append(time.perf_counter() - start)
        result = json.loads((out / f"{target.stem}.json").read_text())
        workers.append(result["run"]["duration_s"])
    return {"total": statistics.median(totals), "first": statistics.median(firsts),
            "worker": statistics.median(workers)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="analyses (default: 40)")
    parser.add_argument("--jobs", type=int, default=cores(),
                        help="jobs for reanalyse run (default: the number of cores)")
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    parser.add_argument("--only", choices=("batch", "startup"), help="run one part only")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of one analysis for (d) (default: 5)")
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the package sources to measure (default: this checkout's)")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="reanalyse-batch-"))
    try:
        env = snapshot(folder, args.src)
        analyses = make_batch(folder, args.n)
        if args.only != "startup":
            a = plain_clis(analyses, folder / "plain", env)
            b, b_summary = reanalyse_run(analyses, folder / "reports", args.jobs, env)
            c, c_summary = reanalyse_run(analyses, folder / "reports", args.jobs, env)
        if args.only != "batch":
            d = startup(analyses, folder, args.repeat, env)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"sources: {args.src}; {cores()} cores; load average "
          + " ".join(f"{load:.1f}" for load in os.getloadavg()))
    if args.only != "batch":
        print(f"(d) one analysis, reanalyse run, empty folder : {d['total']:7.2f} s "
              f"(median of {args.repeat}; first line on stderr after {d['first']:.2f} s; the "
              f"analysis on its worker {d['worker']:.2f} s; the rest "
              f"{d['total'] - d['worker']:.2f} s)")
    if args.only == "startup":
        return
    print(f"{args.n} synthetic analyses, notebooks/claim_check.ipynb, {cores()} cores")
    print(f"(a) papermill CLI + jupyter nbconvert CLI, serial : {a:7.1f} s "
          f"({a / args.n:.2f} s per analysis)")
    print(f"(b) reanalyse run --jobs {args.jobs}, clean output   : {b:7.1f} s "
          f"({b / args.n:.2f} s per analysis; {a / b:.1f}x faster than (a))  [{b_summary}]")
    print(f"(c) reanalyse run, nothing changed            : {c:7.2f} s  [{c_summary}]")


if __name__ == "__main__":
    main()
