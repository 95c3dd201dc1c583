"""Benchmark: parse a generated match proposal of 2,000 pairs (about 1.8 MB) as the loader reads it.

    .venv/bin/python bench/bench_yaml.py [--pairs 2000] [--repeat 5] [--reference] [--write FILE] [--file FILE]

The proposal is written by the kit's own writer (`proposal_to_yaml`) from the pairs of
participants/matches/grow.yaml, repeated with new pseudonyms. Prints the best and median wall time of
`parse_yaml(text, rel, typed=True)`. `--reference` also times the earlier node-tree parser kept in
tests/test_strict_yaml_fast.py and checks that both give the same result. Not part of the test run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from mentorkit.repo.proposal_files import proposal_to_yaml, read_proposal  # noqa: E402
from mentorkit.repo.strict_yaml import parse_yaml  # noqa: E402

REL = "participants/matches/grow.yaml"


def proposal_text(pairs: int) -> str:
    """A proposal file of `pairs` pairs, the shape `mentorkit match` writes."""
    base = read_proposal(REPO / REL)
    out = []
    for i in range(pairs):
        pair = base.pairs[i % len(base.pairs)]
        out.append(pair.model_copy(update={"mentee": f"mk-{i:08x}", "mentor": f"mk-{(i * 7919) % 16**8:08x}"}))
    return proposal_to_yaml(base.model_copy(update={"pairs": out}))


def timed(parse: Callable[..., tuple], text: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        parse(text, REL, typed=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reference", action="store_true", help="also time the earlier parser and compare results")
    parser.add_argument("--write", type=Path, help="write the generated proposal to this file and stop")
    parser.add_argument("--file", type=Path, help="parse this file instead of generating one")
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8") if args.file else proposal_text(args.pairs)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        return
    doc, problems = parse_yaml(text, REL, typed=True)
    assert doc is not None and not problems, problems
    print(f"proposal: {len(text) / 1e6:.2f} MB, {len(doc.positions):,} positions")
    runs = {"parse_yaml": parse_yaml}
    if args.reference:
        from test_strict_yaml_fast import reference_parse_yaml

        runs["reference (node trees)"] = reference_parse_yaml
        old_doc, old_problems = reference_parse_yaml(text, REL, typed=True)
        assert old_doc is not None and old_problems == problems
        assert (old_doc.data, old_doc.positions, old_doc.key_positions) == (doc.data, doc.positions, doc.key_positions)
    for name, parse in runs.items():
        times = timed(parse, text, args.repeat)
        print(f"{name}: best {min(times):.3f} s, median {statistics.median(times):.3f} s ({args.repeat} runs)")


if __name__ == "__main__":
    main()
