"""Benchmark: the everyday commands as whole processes, on the demo and on 10,000 participants.

    .venv/bin/python bench/bench_pipeline.py [--runs 5] [--only demo|large]
        [--participants 10000] [--checkins 100000] [--check]

*demo*: `mentorkit validate`, `mentorkit match --all` and `mentorkit metrics --no-attention` in a scratch copy
of this repository's demo files (program, participants, agendas, docs, templates, schemas, forms,
mkdocs.yml). Target: each under 0.5 s.

*large*: a workspace of 10,000 participants and 100,000 check-ins from bench/generate_demo.py (the demo's
program files and vocabulary); `mentorkit validate`, `mentorkit metrics` and `mentorkit site build`. Targets:
validate and metrics under 3 s, the site under 5 s.

Each command runs `--runs` times as a new process (`python -m mentorkit`, so the interpreter's start and every
import count) and the best wall time is reported: on a shared machine the best run is the one least disturbed
by other work. The CPU time (user and system, the least of the runs) varies less with other work on the
machine. Peak RSS is the largest of any run. The benchmark exits 1 when the kit rejects the generated
data (a benchmark of a rejected table measures nothing) or a command fails; with `--check`, also when a best
time is over its target. Not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from generate_demo import generate  # noqa: E402

DEMO_FILES = ("program", "participants", "agendas", "docs", "templates", "schemas", "forms", "mkdocs.yml")
DEMO = [("validate", 0.5), ("match --all", 0.5), ("metrics --no-attention", 0.5)]
LARGE = [("validate", 3.0), ("metrics", 3.0), ("site build --quiet", 5.0)]


def copy_demo(root: Path) -> None:
    for name in DEMO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)


def large_workspace(root: Path, participants: int, checkins: int) -> None:
    for name in ("program", "agendas", "docs", "templates", "schemas", "forms", "mkdocs.yml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    (root / "participants").mkdir()
    for name in ("datapackage.yaml", "vocabulary.yaml"):
        shutil.copy(REPO / "participants" / name, root / "participants" / name)
    generate(root, participants, checkins)


def run(root: Path, command: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds (user + system), the finished process) of one command."""
    args = [sys.executable, "-m", "mentorkit", *command.split(), "--root", str(root)]
    if command.startswith("site build"):
        args += ["--site-dir", str(root.parent / "site-out")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy(), check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def bench(root: Path, commands: list[tuple[str, float]], runs: int) -> list[tuple[str, float, float]]:
    out = []
    for command, target in commands:
        times, cpu = [], []
        for _ in range(runs):
            elapsed, used, done = run(root, command)
            if done.returncode != 0:
                sys.stdout.write(done.stdout[-2000:] + done.stderr[-2000:])
                raise SystemExit(f"`mentorkit {command}` failed (exit {done.returncode})")
            times.append(elapsed)
            cpu.append(used)
        best = min(times)
        print(f"  {command:<24} best {best:6.2f} s   median {sorted(times)[len(times) // 2]:6.2f} s   "
              f"CPU {min(cpu):6.2f} s   target {target:.1f} s {'ok' if best < target else 'OVER'}", flush=True)
        out.append((command, best, target))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("demo", "large"))
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a best time is over its target")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "demo"):
            root = Path(tmp, "demo")
            root.mkdir()
            copy_demo(root)
            print(f"demo ({args.runs} runs each):")
            results += bench(root, DEMO, args.runs)
        if args.only in (None, "large"):
            root = Path(tmp, "large")
            root.mkdir()
            large_workspace(root, args.participants, args.checkins)
            _, _, done = run(root, "validate")
            if done.returncode != 0:
                sys.stdout.write(done.stdout[:2000])
                raise SystemExit("the kit rejected the generated data")
            print(f"{args.participants:,} participants, {args.checkins:,} check-ins ({args.runs} runs each):")
            results += bench(root, LARGE, args.runs)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of any command: {peak:.0f} MB")
    if args.check and any(best >= target for _, best, target in results):
        raise SystemExit("over target")


if __name__ == "__main__":
    main()
