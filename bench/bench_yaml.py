"""Benchmark: read and write a generated match proposal of 2,000 pairs (about 1.8 MB) as the kit does.

    .venv/bin/python bench/bench_yaml.py [--pairs 2000] [--repeat 5] [--write FILE] [--file FILE] [--demo]

The proposal is written by the kit's own writer (`proposal_to_yaml`) from the pairs of
participants/matches/grow.yaml, repeated with new pseudonyms. Prints the best and median wall time of
- `parse_yaml(text, rel, typed=True)` with the garbage collector on, and off as `read_workspace` runs it
  (the reading makes many small objects and no cycles: the collections only scan them again);
- the kit's writer `dump_yaml` against PyYAML's `yaml.dump` with the safe dumper (libyaml's when PyYAML has
  it) and the kit's settings, and whether the two give the same bytes: the figure that justifies the writer.
`--demo` does the same for each proposal file of the demo repository. Not part of the test run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from mentorkit.repo import proposal_files
from mentorkit.repo.proposal_files import proposal_to_yaml, read_proposal
from mentorkit.repo.strict_yaml import parse_yaml
from mentorkit.repo.yaml_writer import dump_yaml

REPO = Path(__file__).resolve().parent.parent
REL = "participants/matches/grow.yaml"
SAFE_DUMPER = yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False) else yaml.SafeDumper


def proposal_text(pairs: int) -> str:
    """A proposal file of `pairs` pairs, the shape `mentorkit match` writes."""
    base = read_proposal(REPO / REL)
    out = []
    for i in range(pairs):
        pair = base.pairs[i % len(base.pairs)]
        out.append(pair.model_copy(update={"mentee": f"mk-{i:08x}", "mentor": f"mk-{(i * 7919) % 16**8:08x}"}))
    return proposal_to_yaml(base.model_copy(update={"pairs": out}))


def written_data(text: str) -> object:
    """The plain data `proposal_to_yaml` hands its writer for the proposal in `text`."""
    seen: list[object] = []
    writer = proposal_files.dump_yaml
    proposal_files.dump_yaml = lambda data: seen.append(data) or writer(data)  # type: ignore[assignment]
    try:
        proposal_to_yaml(proposal_files.parse_proposal(text))
    finally:
        proposal_files.dump_yaml = writer  # type: ignore[assignment]
    return seen[0]


def library_dump(data: object) -> str:
    """PyYAML's own dumper with the kit's settings: key order as given, no aliases, wide lines."""
    return yaml.dump(data, Dumper=SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=120)


def timed(run: Callable[[], object], repeat: int, collect: bool = True) -> str:
    times = []
    for _ in range(repeat):
        if not collect:
            gc.disable()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
        gc.enable()
    return f"best {min(times):.3f} s, median {statistics.median(times):.3f} s ({repeat} runs)"


def bench(name: str, text: str, repeat: int) -> None:
    doc, problems = parse_yaml(text, REL, typed=True)
    assert doc is not None and not problems, problems
    print(f"{name}: {len(text) / 1e6:.2f} MB, {len(doc.positions):,} positions")
    print(f"  parse_yaml, collector on:   {timed(lambda: parse_yaml(text, REL, typed=True), repeat)}")
    print(f"  parse_yaml, collector off:  {timed(lambda: parse_yaml(text, REL, typed=True), repeat, collect=False)}")
    data = written_data(text)
    same = dump_yaml(data) == library_dump(data)
    print(f"  dump_yaml (the kit's):      {timed(lambda: dump_yaml(data), repeat)}")
    print(f"  yaml.dump ({SAFE_DUMPER.__name__}): {timed(lambda: library_dump(data), repeat)}; "
          f"{'the same bytes' if same else 'DIFFERENT bytes'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", type=Path, help="write the generated proposal to this file and stop")
    parser.add_argument("--file", type=Path, help="read this proposal file instead of generating one")
    parser.add_argument("--demo", action="store_true", help="each proposal file of the demo repository")
    args = parser.parse_args()
    if args.demo:
        for path in sorted((REPO / "participants" / "matches").glob("*.yaml")):
            bench(str(path.relative_to(REPO)), path.read_text(encoding="utf-8"), args.repeat)
        return
    text = args.file.read_text(encoding="utf-8") if args.file else proposal_text(args.pairs)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        return
    bench(str(args.file) if args.file else f"proposal of {args.pairs:,} pairs", text, args.repeat)


if __name__ == "__main__":
    main()
