"""Benchmark: validate a generated workspace of 10,000 participants and 100,000 check-ins.

    .venv/bin/python bench/bench_validate.py [--participants 10000] [--checkins 100000]

Prints wall time and peak memory (RSS) of `read_workspace`, then the time of the metrics report of every
program on the same workspace (`metrics.report`). Targets: each under 3 s
on a 2-core machine. Not part of the test run. Exits 1 when the kit rejects the
generated data (a benchmark of a rejected table measures nothing).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from generate_demo import generate  # noqa: E402
from mentorkit import metrics  # noqa: E402
from mentorkit.repo.load import read_workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--checkins", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in ("program", "agendas"):
            shutil.copytree(REPO / folder, root / folder)
        (root / "participants").mkdir()
        for name in ("datapackage.yaml", "vocabulary.yaml"):
            shutil.copy(REPO / "participants" / name, root / "participants" / name)
        generate(root, args.participants, args.checkins)
        sizes = {p.name: p.stat().st_size for p in (root / "participants").glob("*.csv")}
        started = time.perf_counter()
        ws, report = read_workspace(root)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        measures = metrics.report(ws) if report.ok else ""
        measured = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"participants: {len(ws.participants):,}  check-ins: {len(ws.checkins):,}  problems: {len(report.problems)}")
    print(f"files: {', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sorted(sizes.items()))}")
    print(f"validate: {elapsed:.2f} s   metrics: {measured:.2f} s ({len(measures):,} characters of report)   "
          f"peak RSS: {peak_mb:.0f} MB")
    if report.problems or len(ws.participants) != args.participants:
        for p in report.problems[:5]:
            print("  ", p.where, p.message)
        raise SystemExit(f"the kit rejected the generated data ({len(report.problems)} problems, "
                         f"{len(ws.participants):,} of {args.participants:,} participants read)")


if __name__ == "__main__":
    main()
