"""Benchmark: what reading the participant tables costs, and why the kit reads its own descriptor itself.

    .venv/bin/python bench/bench_tables.py

Prints (1) the time to import frictionless in a fresh interpreter, (2) the time to turn the demo's
participants/datapackage.yaml into table specs by the kit's reader (`repo.table_schema.kit_tables`) and by
frictionless (`repo.tables._frictionless_tables`, what any other descriptor goes through), each the best of
five. The figures the module docstrings of repo/tables.py and repo/table_schema.py argue from are these.
Not part of the test run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DESCRIPTOR = REPO / "participants" / "datapackage.yaml"


def best_of(n: int, run) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    imported = best_of(3, lambda: subprocess.run([sys.executable, "-c", "import frictionless"], check=True))
    baseline = best_of(3, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    print(f"import frictionless: {imported - baseline:.2f} s (a fresh interpreter's own start taken off)")
    from mentorkit.repo.table_schema import kit_tables
    from mentorkit.repo.tables import _frictionless_tables

    data = yaml.safe_load(DESCRIPTOR.read_text(encoding="utf-8"))
    assert kit_tables(data) is not None, "the demo's descriptor is one the kit reads itself"
    _frictionless_tables(data, DESCRIPTOR.parent)  # imported once, as a command would
    print(f"the kit's reader: {best_of(5, lambda: kit_tables(data)) * 1000:.1f} ms")
    print(f"frictionless:     {best_of(5, lambda: _frictionless_tables(data, DESCRIPTOR.parent)) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
