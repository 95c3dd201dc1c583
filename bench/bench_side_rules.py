"""Side-rule benchmark: `matching.match` on programs whose rules break the plain assignment structure.

    .venv/bin/python bench/bench_side_rules.py                      # every shape and rule at 200x100, 1000x500
    .venv/bin/python bench/bench_side_rules.py --sizes 2000x1000 --shapes uniform --rules share --timeout 600
    .venv/bin/python bench/bench_side_rules.py --scripts /tmp/before/scripts   # another copy of the kit

Programs: the shapes of bench/shapes.py (uniform, popular, tied; mentor capacity 2) with one side rule each:

- share  `min_cross_department_share: 0.5` (five departments: about 80% of random pairs cross one);
- team   `one_mentee_per_team: true`, mentees in teams of about ten (a mentor never takes two from one team).

Each program runs in its own process (`--one`), built before the clock starts; the row gives wall and CPU
seconds of `matching.match` (HiGHS solves in that process), its peak memory (RSS), the solves, the pairs in the
model and the eligible pairs, and a digest of the pairs picked: two versions of the matcher pick the same pairs
when the digests agree. `--scripts` points at another copy of the kit's `scripts/` (e.g. `git archive` of an
earlier commit) to compare versions on the same programs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHAPES = ["uniform", "popular", "tied"]
RULES = {"share": {"min_cross_department_share": 0.5}, "team": {"one_mentee_per_team": True}}


def instance(shape: str, rule: str, n: int, m: int, seed: int):
    from matching_helpers import popular_people, program, random_people, tied_people, workspace

    build = {"uniform": random_people, "popular": popular_people, "tied": tied_people}[shape]
    teams = max(2, n // 10) if rule == "team" else 0
    people = build(random.Random(seed), n, m, capacity=(2, 2), teams=teams)
    return workspace(people, {"pilot": program(**RULES[rule])})


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def one(shape: str, rule: str, n: int, m: int, seed: int) -> dict:
    """One program, matched in this process: time, memory, solves and the pairs' digest."""
    from mentorkit.matching import match

    ws = instance(shape, rule, n, m, seed)
    cpu = _cpu(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = match(ws, "pilot")
    seconds = time.perf_counter() - start
    cpu = _cpu(resource.RUSAGE_SELF) - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    prop = result.proposal
    pairs = sorted((p.mentee, p.mentor) for p in prop.pairs)
    return {"shape": shape, "rule": rule, "size": f"{n}x{m}", "seconds": round(seconds, 1), "cpu": round(cpu, 1),
            "peak_mb": round(peak), "solves": result.stats["solves"],
            "model_pairs": result.stats["model_pairs"], "eligible": result.stats["eligible_pairs"],
            "matched": len(pairs), "total": prop.summary["total_score"],
            "digest": hashlib.sha256(repr(pairs).encode()).hexdigest()[:10],
            "proven": prop.solver["guarantee"].startswith("proven optimal")}


HEADER = (f"{'shape':<8} {'rule':<6} {'size':>10} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} "
          f"{'solves':>6} {'model':>8} {'eligible':>9} {'matched':>7} {'total':>10} {'digest':<10} proven")


def _line(r: dict) -> str:
    return (f"{r['shape']:<8} {r['rule']:<6} {r['size']:>10} {r['seconds']:>7} {r['cpu']:>7} {r['peak_mb']:>8} "
            f"{r['solves']:>6} {r['model_pairs']:>8} {r['eligible']:>9} {r['matched']:>7} "
            f"{r['total']:>10} {r['digest']:<10} {r['proven']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200x100,1000x500")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--rules", default=",".join(RULES))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=int, default=600, help="seconds per program")
    ap.add_argument("--scripts", default=str(ROOT / "scripts"), help="the kit's scripts/ folder to run")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # child process: shape:rule:n:m
        sys.path[:0] = [args.scripts, str(ROOT / "tests")]
        shape, rule, n, m = args.one.split(":")
        print(json.dumps(one(shape, rule, int(n), int(m), args.seed)))
        return
    print(HEADER, flush=True)
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.lower().split("x"))
        for shape in args.shapes.split(","):
            for rule in args.rules.split(","):
                cmd = [sys.executable, __file__, "--one", f"{shape}:{rule}:{n}:{m}", "--seed", str(args.seed),
                       "--scripts", args.scripts]
                env = {**os.environ, "PYTHONPATH": args.scripts}
                # its own process group: on a timeout, anything it started is stopped with it
                child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                         start_new_session=True)
                try:
                    stdout, stderr = child.communicate(timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.communicate()
                    print(f"{shape:<8} {rule:<6} {size:>10} >{args.timeout} s: timed out", flush=True)
                    continue
                if child.returncode != 0:
                    last = (stderr.strip().splitlines() or ["?"])[-1]
                    print(f"{shape:<8} {rule:<6} {size:>10} failed: {last[:100]}", flush=True)
                    continue
                print(_line(json.loads(stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
