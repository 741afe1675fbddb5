"""Generated-input run: many seeded hostile inputs per surface, looking for tracebacks and cost.

    nice -n 19 python benchmarks/fuzz/run.py [--seed 20] [--count 100000] [--minutes 10]
        [--surfaces study cli screen pdf tables html text attrition analysis parsers cli-process]
        [--cli-count 3000] [--jobs 2] [--keep fuzz-findings]

Each surface runs in its own process (so that its peak memory is its own), generating inputs
from ``random.Random(f"{seed}:{surface}")`` with :mod:`generators`, :mod:`attrition_inputs`
and :mod:`cli_inputs` and passing each to the surface: the number parsers and column readers,
study files through ``check_file``, generated attrition studies through ``check_file``,
analysis files loaded and their studies checked with their options, every screen (with its
CSV, JSON and HTML output), ``read_table`` on CSV and Excel files, ``screen_text`` on text, the
HTML reader and the PDF reader, and ``reanalyse.cli.main(argv)`` in the process (``cli``).  The
``cli-process`` surface starts one ``reanalyse`` process per call under ``RLIMIT_CPU`` and
``RLIMIT_AS`` limits, for exit codes, signals and limits.  Surfaces and options are described
in ``benchmarks/fuzz/README.md``.

A finding is an exception other than ``ReanalyseError`` (or ``UnreadableArticle`` for an
article; exit code 2 on the command line), a traceback on standard error or an exit code other
than 0, 1 or 2, a failed property (the column readers reading a number otherwise than
``parse_number``), an input over 2 s of CPU, or an input that raises the peak memory by more
than 500 MB.  A surface stops at ``--count`` inputs or after ``--minutes``, whichever comes
first; the counts reached are printed, with the seed, the worst CPU time of one input (of one
column of :data:`PARSER_BATCH` texts for the parsers), the peak memory and its largest rise in
one input, and each finding (kind, message, and a reproducer kept under ``--keep``).
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

import attrition_inputs  # noqa: E402
import cli_inputs  # noqa: E402
import generators  # noqa: E402

CPU_LIMIT = 2.0
#: Texts read as one column by the parsers surface (each counts as one input).
PARSER_BATCH = 50
MEMORY_LIMIT_MB = 500
#: The surfaces, the costliest first (so that two jobs finish together).
SURFACES = ("study", "cli", "screen", "pdf", "tables", "html", "text", "attrition", "analysis",
            "parsers", "cli-process")


class _Finding(Exception):
    """A finding that is not an exception of the code under test (an exit code, a traceback
    printed on standard error)."""


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
    if surface == "attrition":
        text = attrition_inputs.attrition_study(rng)
        path = folder / "synthetic-attrition.yaml"
        path.write_text(text, encoding="utf-8")
        return text, lambda: generators.run_check(path)
    if surface == "cli":
        work = folder / "cli"
        work.mkdir(exist_ok=True)
        arguments = cli_inputs.cli_arguments(rng, work)

        def call():
            code, stderr = cli_inputs.run_main(arguments, work)
            if "Traceback" in stderr:
                raise _Finding(f"traceback: {stderr.strip().splitlines()[-1][:80]}")
            if code not in (0, 1, 2):
                raise _Finding(f"exit {code!r}: {stderr[-200:]}")
            if code == 2:
                raise _Refused
        return arguments, call
    raise ValueError(surface)


class _Refused(Exception):
    """The command line refused the input (exit 2)."""


def _expected():
    from reanalyse.errors import ReanalyseError
    from reanalyse.screens.articles import UnreadableArticle
    return (ReanalyseError, UnreadableArticle, _Refused)


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_surface(surface: str, seed: int, count: int, seconds: float, keep: Path) -> dict:
    """Run one in-process surface; return its counts, worst CPU time, peak memory, findings."""
    expected = _expected()
    rng = random.Random(f"{seed}:{surface}")
    with tempfile.TemporaryDirectory() as folder:  # imports before the baseline, not counted
        try:
            _case(surface, random.Random(f"{seed}:warm-up"), Path(folder))[1]()
        except Exception:  # noqa: BLE001 - the warm-up input is not one of the counted inputs
            pass
    start_rss = _rss_mb()
    deadline = time.monotonic() + seconds
    done = refused = 0
    worst = (0.0, None)
    grew = (0.0, None)  # the largest rise of peak memory in one input, and that input
    findings: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        while done < count and time.monotonic() < deadline:
            description, call = _case(surface, rng, folder)
            rss_before = _rss_mb()
            before = _cpu()
            try:
                call()
            except expected:
                refused += 1
            except Exception as error:  # noqa: BLE001 - every other exception is a finding
                frame = traceback.extract_tb(error.__traceback__)[-1]
                key = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                if isinstance(error, _Finding):
                    key = str(error).split(":")[0]
                if key not in findings:
                    findings[key] = {"message": str(error)[:200], "input": repr(description)[:300],
                                     "count": 0}
                    reproducer = keep / f"{surface}-{len(findings)}.txt"
                    reproducer.write_text(repr(description) + "\n\n" + traceback.format_exc())
                findings[key]["count"] += 1
            spent = _cpu() - before
            rise = _rss_mb() - rss_before
            if spent > worst[0]:
                worst = (spent, repr(description)[:120])
                (keep / f"{surface}-slowest.txt").write_text(
                    f"{spent:.2f} s CPU\n{description!r}\n")
            if rise > grew[0]:
                grew = (rise, repr(description)[:120])
            for over, key, amount in ((spent > CPU_LIMIT, f"over {CPU_LIMIT} s CPU", f"{spent:.1f} s"),
                                      (rise > MEMORY_LIMIT_MB, f"over {MEMORY_LIMIT_MB} MB",
                                       f"peak rose {rise:.0f} MB")):
                if over:
                    if key not in findings:
                        (keep / f"{surface}-{key.replace(' ', '-')}.txt").write_text(
                            repr(description) + "\n")
                    findings.setdefault(key, {"message": amount,
                                              "input": repr(description)[:300], "count": 0})
                    findings[key]["count"] += 1
            done += PARSER_BATCH if surface == "parsers" else 1
    peak = _rss_mb()
    if peak - start_rss > MEMORY_LIMIT_MB and f"over {MEMORY_LIMIT_MB} MB" not in findings:
        findings[f"over {MEMORY_LIMIT_MB} MB"] = {"message": f"peak {peak:.0f} MB",
                                                 "input": "", "count": 1}
    return {"surface": surface, "inputs": done, "refused": refused, "worst_cpu": worst[0],
            "worst_input": worst[1], "peak_mb": peak, "start_mb": start_rss,
            "worst_rise_mb": grew[0], "rise_input": grew[1], "findings": findings}


def _limit():
    resource.setrlimit(resource.RLIMIT_CPU, (int(CPU_LIMIT) + 3, int(CPU_LIMIT) + 4))
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


#: Each ``reanalyse`` process of the process-per-call surface reports its own CPU time and
#: peak memory on its last line of standard error, after this marker.
_MARK = "@@fuzz-usage"
_CHILD = ("import atexit, resource, sys\n"
          "def usage():\n"
          "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
          f"    sys.stderr.write('\\n{_MARK} %f %f\\n' % (u.ru_utime + u.ru_stime, "
          "u.ru_maxrss / 1024))\n"
          "atexit.register(usage)\n"
          "from reanalyse.cli import main\n"
          "sys.exit(main())\n")


def _child_cpu(command: list[str], folder: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, cwd=folder, timeout=60, preexec_fn=_limit)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def run_cli_process(seed: int, count: int, seconds: float, keep: Path) -> dict:
    """One ``reanalyse`` process per input, under CPU and memory limits: exit codes, signals,
    tracebacks, and each process's own CPU time and peak memory."""
    rng = random.Random(f"{seed}:cli-process")
    deadline = time.monotonic() + seconds
    done = refused = 0
    worst = (0.0, None)
    peak = (0.0, None)
    findings: dict[str, dict] = {}
    command = [sys.executable, "-c", _CHILD]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        # a process's own start (Python, NumPy, SciPy, pandas) is not the input's cost: the
        # CPU limit applies to what a call spends beyond the most a refused call spends
        startup = max(_child_cpu(command + ["check", str(folder / "none.yaml")], folder)
                      for _ in range(3))
        while done < count and time.monotonic() < deadline:
            arguments = cli_inputs.cli_arguments(rng, folder)
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
            memory = 0.0
            if _MARK in stderr:
                stderr, usage = stderr.rsplit(_MARK, 1)
                memory = float(usage.split()[1])
            done += 1
            if code == 2:
                refused += 1
            shown = " ".join(arguments)[:120]
            if spent > worst[0]:
                worst = (spent, shown)
            if memory > peak[0]:
                peak = (memory, shown)
            problems = []
            if "Traceback" in stderr:
                problems.append(f"traceback: {stderr.strip().splitlines()[-1][:80]}")
            elif code not in (0, 1, 2):
                problems.append(f"exit {code}")
            if spent - startup > CPU_LIMIT:
                problems.append(f"over {CPU_LIMIT} s CPU beyond the start")
            if memory > MEMORY_LIMIT_MB:
                problems.append(f"over {MEMORY_LIMIT_MB} MB")
            for problem in problems:
                if problem not in findings:
                    (keep / f"cli-process-{len(findings) + 1}.txt").write_text(
                        repr(arguments) + "\n\n" + stderr)
                findings.setdefault(problem, {"message": f"{stderr[-250:]} ({spent:.1f} s, "
                                                         f"{memory:.0f} MB)",
                                              "input": " ".join(arguments)[:300], "count": 0})
                findings[problem]["count"] += 1
    return {"surface": "cli-process", "inputs": done, "refused": refused,
            "worst_cpu": worst[0] - startup, "startup_cpu": startup, "worst_input": worst[1], "peak_mb": peak[0],
            "start_mb": 0.0, "worst_rise_mb": peak[0], "rise_input": peak[1],
            "findings": findings}


def _worker(job):
    surface, seed, count, seconds, keep = job
    if surface == "cli-process":
        return run_cli_process(seed, count, seconds, Path(keep))
    return run_surface(surface, seed, count, seconds, Path(keep))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--cli-count", type=int, default=3_000,
                        help="inputs of the process-per-call surface (cli-process)")
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="time budget of each surface")
    parser.add_argument("--surfaces", nargs="+", default=list(SURFACES), choices=SURFACES)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args(argv)
    args.keep.mkdir(exist_ok=True)
    jobs = [(surface, args.seed, args.cli_count if surface == "cli-process" else args.count,
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
            if "startup_cpu" in report:
                print(f"    (CPU beyond a process's start, {report['startup_cpu']:.2f} s)")
            print(f"    largest rise of peak memory: {report['worst_rise_mb']:.0f} MB, "
                  f"{report['rise_input']}")
            for key, finding in report["findings"].items():
                print(f"    FINDING {key} (x{finding['count']}): {finding['message'][:160]}")
                print(f"      input: {finding['input'][:200]}")
    print(f"{total:,} inputs, {found} distinct findings (reproducers in {args.keep}/)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
