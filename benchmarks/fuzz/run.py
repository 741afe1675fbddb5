"""Generated-input run: many seeded hostile inputs per surface, looking for tracebacks and cost.

    nice -n 19 python benchmarks/fuzz/run.py [--seed 20] [--count 100000] [--minutes 10]
        [--surfaces parsers study analysis screen tables text html pdf cli] [--cli-count 2000]

Each surface runs in its own process (so that its peak memory is its own), generating inputs
from ``random.Random(seed)`` with :mod:`generators` and passing each to the surface: the number
parsers and column readers, study files through ``check_file``, analysis files loaded and
their studies checked with their options, every screen
(with its CSV, JSON and HTML output), ``read_table`` on CSV and Excel files, ``screen_text``
on text, the HTML reader and the PDF reader.  The command line surface starts one process per
call (``reanalyse ...``), under ``RLIMIT_CPU`` and ``RLIMIT_AS`` limits.

A finding is an exception other than ``ReanalyseError`` (or ``UnreadableArticle`` for an
article), a failed property (the column readers reading a number otherwise than
``parse_number``), an input over 2 s of CPU, or a surface whose peak memory passes 500 MB over
its start.  A surface stops at ``--count`` inputs or after ``--minutes``, whichever comes first;
the counts reached are printed, with the seed, the worst CPU time of one input (of one column of
:data:`PARSER_BATCH` texts for the parsers), the peak memory, and each finding (kind, message,
and a reproducer kept under ``--keep``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generators  # noqa: E402

CPU_LIMIT = 2.0
#: Texts read as one column by the parsers surface (each counts as one input).
PARSER_BATCH = 50
MEMORY_LIMIT_MB = 500
SURFACES = ("parsers", "study", "analysis", "screen", "tables", "text", "html", "pdf", "cli")


def _case(surface: str, rng: random.Random, folder: Path):
    """(input description, callable) for one generated input of ``surface``."""
    if surface == "parsers":  # a column of texts: one input each
        texts = [generators.printed_number(rng) for _ in range(PARSER_BATCH)]
        return texts, lambda: generators.run_parsers(texts)
    if surface == "study":
        text, stem = generators.study_text(rng)
        path = folder / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        return text, lambda: generators.run_check(path)
    if surface == "analysis":
        fixtures = generators.ROOT / "tests" / "fixtures" / "run"
        text = generators.analysis_text(rng).replace(
            "{study}", "../studies/synthetic-clear-difference.yaml").replace(
            "{notebook}", "../notebooks/synthetic_minimal.ipynb")
        project = folder / "project"
        if not project.exists():
            shutil.copytree(fixtures / "studies", project / "studies")
            shutil.copytree(fixtures / "notebooks", project / "notebooks")
            (project / "analyses").mkdir()
        path = project / "analyses" / "synthetic-analysis.yaml"
        path.write_text(text, encoding="utf-8")
        return text, lambda: generators.run_analysis(path)
    if surface == "screen":
        check, table = generators.screen_table(rng)
        return f"{check}: {table.to_dict('list')}", lambda: generators.run_screen(check, table)
    if surface == "tables":
        path = generators.table_file(rng, folder)
        data = path.read_bytes()[:2000]

        def read():
            from reanalyse.screens.tables import read_table
            read_table(path)
        return f"{path.name}: {data!r}", read
    if surface == "text":
        text = generators.article_text(rng)
        return text, lambda: generators.run_text(text)
    if surface == "html":
        data = generators.article_html(rng)
        return data, lambda: generators.run_html(data)
    if surface == "pdf":
        data = generators.article_pdf(rng)
        return data, lambda: generators.run_pdf(data)
    raise ValueError(surface)


def _expected():
    from reanalyse.errors import ReanalyseError
    from reanalyse.screens.articles import UnreadableArticle
    return (ReanalyseError, UnreadableArticle)


def run_surface(surface: str, seed: int, count: int, seconds: float, keep: Path) -> dict:
    """Run one in-process surface; return its counts, worst CPU time, peak memory, findings."""
    expected = _expected()
    rng = random.Random(f"{seed}:{surface}")
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    deadline = time.monotonic() + seconds
    done = refused = 0
    worst = (0.0, None)
    findings: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        while done < count and time.monotonic() < deadline:
            description, call = _case(surface, rng, folder)
            before = time.process_time()
            try:
                call()
            except expected:
                refused += 1
            except Exception as error:  # noqa: BLE001 - every other exception is a finding
                frame = traceback.extract_tb(error.__traceback__)[-1]
                key = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                if key not in findings:
                    findings[key] = {"message": str(error)[:200], "input": repr(description)[:300],
                                     "count": 0}
                    reproducer = keep / f"{surface}-{len(findings)}.txt"
                    reproducer.write_text(repr(description) + "\n\n" + traceback.format_exc())
                findings[key]["count"] += 1
            spent = time.process_time() - before
            if spent > worst[0]:
                worst = (spent, repr(description)[:120])
            if spent > CPU_LIMIT:
                key = f"over {CPU_LIMIT} s CPU"
                findings.setdefault(key, {"message": f"{spent:.1f} s",
                                          "input": repr(description)[:300], "count": 0})
                findings[key]["count"] += 1
            done += PARSER_BATCH if surface == "parsers" else 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if peak - start_rss > MEMORY_LIMIT_MB:
        findings[f"over {MEMORY_LIMIT_MB} MB"] = {"message": f"peak {peak:.0f} MB",
                                                 "input": "", "count": 1}
    return {"surface": surface, "inputs": done, "refused": refused, "worst_cpu": worst[0],
            "worst_input": worst[1], "peak_mb": peak, "start_mb": start_rss,
            "findings": findings}


def _limit():
    resource.setrlimit(resource.RLIMIT_CPU, (int(CPU_LIMIT) + 3, int(CPU_LIMIT) + 4))
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def run_cli(seed: int, count: int, seconds: float, keep: Path) -> dict:
    """One ``reanalyse`` process per input, under CPU and memory limits."""
    rng = random.Random(f"{seed}:cli")
    deadline = time.monotonic() + seconds
    done = refused = 0
    worst = (0.0, None)
    peak = 0.0
    findings: dict[str, dict] = {}
    command = [sys.executable, "-c",
               "import sys; from reanalyse.cli import main; sys.exit(main())"]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        while done < count and time.monotonic() < deadline:
            arguments = generators.cli_arguments(rng, folder)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            try:
                result = subprocess.run(command + arguments, capture_output=True, text=True,
                                        cwd=folder, timeout=60, preexec_fn=_limit,
                                        errors="replace")
                code, stderr = result.returncode, result.stderr
            except subprocess.TimeoutExpired:
                code, stderr = "timeout", ""
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            peak = max(peak, after.ru_maxrss / 1024)
            done += 1
            if code == 2:
                refused += 1
            if spent > worst[0]:
                worst = (spent, " ".join(arguments)[:120])
            problem = None
            if "Traceback" in stderr:
                last = stderr.strip().splitlines()[-1]
                problem = f"traceback: {last[:80]}"
            elif code not in (0, 1, 2):
                problem = f"exit {code}"
            if problem:
                findings.setdefault(problem, {"message": stderr[-300:],
                                              "input": " ".join(arguments)[:300], "count": 0})
                findings[problem]["count"] += 1
                (keep / f"cli-{len(findings)}.txt").write_text(
                    repr(arguments) + "\n\n" + stderr)
    return {"surface": "cli", "inputs": done, "refused": refused, "worst_cpu": worst[0],
            "worst_input": worst[1], "peak_mb": peak, "start_mb": 0.0, "findings": findings}


def _worker(job):
    surface, seed, count, seconds, keep = job
    if surface == "cli":
        return run_cli(seed, count, seconds, Path(keep))
    return run_surface(surface, seed, count, seconds, Path(keep))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--cli-count", type=int, default=2_000)
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="time budget of each surface")
    parser.add_argument("--surfaces", nargs="+", default=list(SURFACES), choices=SURFACES)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args(argv)
    args.keep.mkdir(exist_ok=True)
    jobs = [(surface, args.seed, args.cli_count if surface == "cli" else args.count,
             args.minutes * 60, str(args.keep)) for surface in args.surfaces]
    context = multiprocessing.get_context("spawn")
    total = 0
    found = 0
    print(f"seed {args.seed}; limits: {CPU_LIMIT} s CPU and {MEMORY_LIMIT_MB} MB per input")
    print(f"{'surface':<10}{'inputs':>9}{'refused':>9}{'worst CPU s':>13}{'peak MB':>9}"
          f"{'findings':>10}")
    with context.Pool(args.jobs, maxtasksperchild=1) as pool:
        for report in pool.imap(_worker, jobs):
            total += report["inputs"]
            found += len(report["findings"])
            print(f"{report['surface']:<10}{report['inputs']:>9,}{report['refused']:>9,}"
                  f"{report['worst_cpu']:>13.2f}{report['peak_mb']:>9.0f}"
                  f"{len(report['findings']):>10}", flush=True)
            print(f"    slowest input: {report['worst_input']}")
            for key, finding in report["findings"].items():
                print(f"    FINDING {key} (x{finding['count']}): {finding['message'][:160]}")
                print(f"      input: {finding['input'][:200]}")
    print(f"{total:,} inputs, {found} distinct findings (reproducers in {args.keep}/)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
