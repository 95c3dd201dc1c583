"""Matching benchmark: mentorkit against other ways to match, on the same generated programs.

    .venv/bin/python bench/bench_matching.py            # the table of docs/matching.md: cli, core and lsa on every
                                                        # shape (bench/shapes.py) at 2000x1000 and 10000x5000
    .venv/bin/python bench/bench_matching.py --sizes 200x100,2000x1000 --shapes uniform \
        --methods mentorkit,greedy,gale-shapley,mentor-match   # against other ways to match

Methods (each run in its own process, so the time and the peak memory are its own):

- cli            `mentorkit match` on the instance written out as a repository (bench/cli_repo.py, before the
                 clock starts): reading the files, matching, writing the proposal file;
- rerun          `mentorkit match` again on such a repository, its first proposal in place (made by a child
                 process before the clock starts): the previous pairs are preferred on ties, as in a real re-run;
- mentorkit      `matching.propose` end to end: scoring, model, solve, and writing the proposal file;
- core           the capacity model's solve alone, on the scored pairs (the time printed is the solve's: the
                 flow, the count, score and previous pairs, and the tie-break);
- lsa            scipy.optimize.linear_sum_assignment on the same scores, the matrix expanded by mentor
                 capacity (the exact yardstick; the time printed includes building the dense matrix);
- ortools        OR-Tools' SimpleMinCostFlow on the same pairs (max flow, then min cost: count, then total score;
                 no tie-break): what the core adds to the flow it runs;
- greedy         pairs taken best score first while both sides have room (the obvious heuristic, bench/greedy.py);
- gale-shapley   hospital/residents, mentee-optimal (the `matching` package), preferences by score;
- mentor-match   the `mentor-match` package (Munkres per round, one round per mentor place); pure Python
                 O(n^3), so only run up to --mentor-match-max mentees;
- pulp-naive     one PuLP/CBC integer program over every eligible pair (only with --methods ... ,pulp-naive).

Every method gets the same eligible pairs and scores (mentorkit's criteria), and the result is checked by
the same code: total score, share of mentees matched, worst pair score, rule violations (a pair breaking a
hard rule, a mentor over capacity, a mentee with two mentors). Instances (--shapes, bench/shapes.py): uniform
(mentees at levels 1-6, mentors at 3-9 with capacity 2, six time zones, six language sets, twelve skills),
popular (5% of mentors suit everyone) and tied (every pair eligible, a handful of distinct scores); tied-share
(tied with a cross-department share: the integer program's worst case) only when asked for with --shapes.
Each row gives wall and CPU seconds (user + system) of the timed part, the child's peak memory (RSS) and whether
the proposal is proven optimal. For whole-process figures, time one child from outside:
    /usr/bin/time -v .venv/bin/python bench/bench_matching.py --one cli:tied:2000:1000
or write the repository once and time the command itself (bench/cli_repo.py).

The comparison packages are test/benchmark tools only, installed into the virtualenv:
    .venv/bin/pip install matching munkres
    .venv/bin/pip install --no-deps --target .venv/opt/mentor-match mentor-match
(mentor-match and matching both install a top-level package named `matching`, so mentor-match lives apart and
is imported from there.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from shapes import SHAPES, SIDE_RULES  # noqa: E402  (after the path set-up above)

METHODS = ["cli", "core", "lsa"]


def instance(n: int, m: int, seed: int = 7, shape: str = "uniform"):
    from shapes import instance as build

    return build(shape, n, m, seed)


def pools(ws):
    from mentorkit.matching.candidates import CandidateIndex
    from mentorkit.matching.rules import PairRules
    from mentorkit.matching.scoring import Criteria

    prog = ws.programs["pilot"]
    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    rules = PairRules(managers={p.pseudonym: p.reports_to for p in ws.participants.values()})
    return CandidateIndex(Criteria(prog, ws.vocabulary), mentees, mentors, rules)


# --- the methods: each returns [(mentee, mentor)] pseudonym pairs ----------------------------------------


def run_mentorkit(ws):
    from mentorkit.matching import propose
    from mentorkit.repo.proposal_files import write_proposal

    proposal = propose(ws, "pilot")
    with tempfile.TemporaryDirectory() as tmp:
        write_proposal(Path(tmp) / "pilot.yaml", proposal)
    return [(p.mentee, p.mentor) for p in proposal.pairs], _proven(proposal.solver.get("guarantee", ""))


def _proven(guarantee: str) -> str:
    return "proven" if guarantee.startswith("proven optimal") else guarantee[:40]


def run_cli(root: Path) -> None:
    """`mentorkit match pilot` on the repository at `root`, in this process (the clock runs around it)."""
    from mentorkit.cli import main

    try:
        main(["match", "--root", str(root), "pilot"], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise


def cli_pairs(root: Path):
    """What `run_cli` wrote, read back after the clock stopped."""
    from mentorkit.repo.proposal_files import read_proposal

    proposal = read_proposal(root / "participants" / "matches" / "pilot.yaml")
    return [(p.mentee, p.mentor) for p in proposal.pairs], _proven(proposal.solver.get("guarantee", ""))


def run_greedy(ws):
    from greedy import greedy

    ix = pools(ws)
    pairs = greedy(ix, [1] * len(ix.mentees), [p.mentor_capacity for p in ix.mentors])
    return [(ix.mentees[i].pseudonym, ix.mentors[j].pseudonym) for i, j in pairs], ""


def run_gale_shapley(ws):
    from matching.games import HospitalResident

    ix = pools(ws)
    resident_prefs, by_mentor = {}, {}
    for i, row in enumerate(ix.rows):
        a = ix.mentees[i].pseudonym
        resident_prefs[a] = []
        for key in row:
            s, j = ix.decode(key)
            resident_prefs[a].append(ix.mentors[j].pseudonym)
            by_mentor.setdefault(ix.mentors[j].pseudonym, []).append((-s, a))
    resident_prefs = {a: prefs for a, prefs in resident_prefs.items() if prefs}
    hospital_prefs = {b: [a for _, a in sorted(lst)] for b, lst in by_mentor.items()}
    capacities = {b: p.mentor_capacity for p in ix.mentors if (b := p.pseudonym) in hospital_prefs}
    out = {}

    def solve():  # the package deep-copies players that point at each other: deep recursion, so a big stack
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        out["result"] = game.solve(optimal="resident")

    import threading

    sys.setrecursionlimit(10**6)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    return [(r.name, h.name) for h, residents in out["result"].items() for r in residents], "stable, mentee-optimal"


def _import_mentor_match():
    """mentor-match's top-level package is also called `matching`: import it from its own folder, then put
    the other `matching` back."""
    where = Path(sys.prefix) / "opt" / "mentor-match"
    saved = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "matching" or k.startswith("matching.")}
    sys.path.insert(0, str(where))
    try:
        import matching.process as process
        import matching.rules.rule as rule
        from matching.mentee import Mentee
        from matching.mentor import Mentor
    finally:
        sys.path.remove(str(where))
        for k in [k for k in sys.modules if k == "matching" or k.startswith("matching.")]:
            sys.modules["_mentor_match_" + k] = sys.modules.pop(k)
        sys.modules.update(saved)
    return process, rule, Mentee, Mentor


def run_mentor_match(ws):
    process, rule, Mentee, Mentor = _import_mentor_match()
    ix = pools(ws)
    score = {}
    for i, row in enumerate(ix.rows):
        for key in row:
            s, j = ix.decode(key)
            score[(ix.mentees[i].pseudonym, ix.mentors[j].pseudonym)] = s
    mentees = [Mentee(grade=p.level, email=p.pseudonym, role="mentee") for p in ix.mentees]
    mentors = [Mentor(grade=p.level, email=p.pseudonym, role="mentor") for p in ix.mentors]
    capacity = {p.pseudonym: p.mentor_capacity for p in ix.mentors}

    class Score(rule.Rule):  # mentorkit's score as a mentor-match rule (it adds up integer points)
        def apply(self, match):
            return score.get((match.mentee.email, match.mentor.email), 0)

    rules = [Score(),
             rule.Disqualify(lambda match: (match.mentee.email, match.mentor.email) not in score),
             rule.Disqualify(lambda match: len(match.mentor.mentees) >= capacity[match.mentor.email]),
             rule.Disqualify(lambda match: len(match.mentee.mentors) >= 1)]
    rounds = max(capacity.values(), default=0)
    process.process_data(mentors, mentees, [rules] * rounds)
    return [(e.email, m.email) for m in mentors for e in m.mentees], f"{rounds} Munkres rounds"


def run_pulp_naive(ws):
    import pulp

    ix = pools(ws)
    prob = pulp.LpProblem("naive", pulp.LpMaximize)
    x, big = {}, ix.smax * len(ix.mentees) + 1
    for i, row in enumerate(ix.rows):
        for key in row:
            s, j = ix.decode(key)
            x[(i, j)] = (prob.add_variable(f"x_{i}_{j}", cat="Binary") if hasattr(prob, "add_variable")
                         else pulp.LpVariable(f"x_{i}_{j}", cat="Binary"), s)
    prob += pulp.lpSum((big + s) * v for v, s in x.values())
    for i in range(len(ix.mentees)):
        prob += pulp.lpSum(v for (ii, _), (v, _) in x.items() if ii == i) <= 1
    by_mentor = {}
    for (_, j), (v, _) in x.items():
        by_mentor.setdefault(j, []).append(v)
    for j, vs in by_mentor.items():
        prob += pulp.lpSum(vs) <= ix.mentors[j].mentor_capacity
    prob.solve(pulp.HiGHS(msg=False))  # PuLP 4 bundles no CBC
    return [(ix.mentees[i].pseudonym, ix.mentors[j].pseudonym) for (i, j), (v, _) in x.items()
            if (v.varValue or 0) > 0.5], "one MIP, every pair"


def run_core(ws):
    """The capacity model's solve alone (scoring done before the clock starts, as for the reference)."""
    from ortools.graph.python import max_flow, min_cost_flow  # noqa: F401  imported before the clock, as run_ortools does

    from mentorkit.matching.capacity import Capacity, SideRules
    from mentorkit.matching.solver import Solver

    ix = pools(ws)
    cpu, start = _cpu(), time.perf_counter()
    side = SideRules(mentee_dept=[p.department for p in ix.mentees], mentor_dept=[p.department for p in ix.mentors],
                     mentee_team=[p.team for p in ix.mentees])
    engine = Capacity(ix, [1] * len(ix.mentees), [p.mentor_capacity for p in ix.mentors], set(), side,
                      Solver())
    pairs = engine.solve(False)
    CORE_SECONDS.append(time.perf_counter() - start)
    CORE_CPU.append(_cpu() - cpu)
    return [(ix.mentees[i].pseudonym, ix.mentors[j].pseudonym) for i, j in pairs], "proven"  # every stage is exact


def run_lsa(ws):
    """scipy's exact assignment on the same scores, the matrix expanded by mentor capacity (the yardstick)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    ix = pools(ws)
    cpu, start = _cpu(), time.perf_counter()
    slots = [j for j, p in enumerate(ix.mentors) for _ in range(p.mentor_capacity)]
    first = {}
    for k, j in enumerate(slots):
        first.setdefault(j, k)
    big = ix.smax * len(ix.mentees) + 1  # the count first, as in mentorkit
    cost = np.zeros((len(ix.mentees), len(slots)))
    for i, row in enumerate(ix.rows):
        for key in row:
            s, j = ix.decode(key)
            for k in range(first[j], first[j] + ix.mentors[j].mentor_capacity):
                cost[i, k] = -(big + s)
    r, c = linear_sum_assignment(cost)
    CORE_SECONDS.append(time.perf_counter() - start)
    CORE_CPU.append(_cpu() - cpu)
    return [(ix.mentees[i].pseudonym, ix.mentors[slots[k]].pseudonym) for i, k in zip(r, c, strict=True)
            if cost[i, k] < 0], "matrix built and solved"


def run_ortools(ws):
    """OR-Tools' SimpleMinCostFlow on the same pairs: the most pairs (max flow), then the best total score (min
    cost), exact integer algorithms; no tie-break (a yardstick for the core, not a proposal)."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    ix = pools(ws)
    cpu, start = _cpu(), time.perf_counter()
    n, m = len(ix.mentees), len(ix.mentors)
    keys = np.asarray(ix.keys, dtype=np.int64)
    lens = np.diff(np.asarray(ix.start, dtype=np.int64))
    q, j = np.divmod(keys, m)
    mentee = np.repeat(np.arange(n, dtype=np.int64), lens)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n, source), mentee, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + j, np.full(m, sink)])
    caps = np.concatenate([np.ones(n, dtype=np.int64), np.ones(len(keys), dtype=np.int64),
                           np.array([p.mentor_capacity for p in ix.mentors], dtype=np.int64)])
    costs = np.concatenate([np.zeros(n, dtype=np.int64), q - ix.smax, np.zeros(m, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow did not solve")
    used = np.flatnonzero(flow.flows(np.arange(n, n + len(keys))) > 0)
    CORE_SECONDS.append(time.perf_counter() - start)
    CORE_CPU.append(_cpu() - cpu)
    return [(ix.mentees[mentee[k]].pseudonym, ix.mentors[j[k]].pseudonym) for k in used.tolist()], "max flow, min cost"


CORE_SECONDS: list[float] = []  # run_core, run_lsa and run_ortools: the solve alone
CORE_CPU: list[float] = []

RUNNERS = {"mentorkit": run_mentorkit, "core": run_core, "lsa": run_lsa, "ortools": run_ortools,  # cli: see `one`
           "greedy": run_greedy,
           "gale-shapley": run_gale_shapley, "mentor-match": run_mentor_match, "pulp-naive": run_pulp_naive}


def evaluate(ws, pairs) -> dict:
    from mentorkit.matching.rules import PairRules
    from mentorkit.matching.scoring import Criteria

    prog = ws.programs["pilot"]
    crit = Criteria(prog, ws.vocabulary)
    rules = PairRules(managers={p.pseudonym: p.reports_to for p in ws.participants.values()})
    mentees = [p for p in ws.participants.values() if p.can_be_mentee]
    scores, violations, load, per_mentee = [], 0, {}, {}
    for a, b in pairs:
        s = crit.score(ws.participants[a], ws.participants[b], rules)
        violations += not s.eligible
        scores.append(s.cents)
        load[b] = load.get(b, 0) + 1
        per_mentee[a] = per_mentee.get(a, 0) + 1
    violations += sum(max(0, n - ws.participants[b].mentor_capacity) for b, n in load.items())
    violations += sum(n - 1 for n in per_mentee.values() if n > 1)
    return {"matched": round(len(per_mentee) / len(mentees), 4) if mentees else 0.0,
            "total": sum(scores) / 100, "worst": min(scores, default=0) / 100, "violations": violations}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one(method: str, n: int, m: int, seed: int, shape: str = "uniform") -> dict:
    """Run one method on one instance in this process; the instance is built before the clock starts (for `cli`:
    written out as a repository by a child process, so its memory is not this process's; for `rerun` matched once
    there, too)."""
    with tempfile.TemporaryDirectory() as tmp:
        if method in ("cli", "rerun"):
            root = Path(tmp) / "repo"
            subprocess.run([sys.executable, str(ROOT / "bench" / "cli_repo.py"), shape, str(n), str(m), str(root)],
                           check=True, capture_output=True)
            if method == "rerun":
                subprocess.run([sys.executable, "-m", "mentorkit", "match", "--root", str(root), "pilot"],
                               check=True, capture_output=True)
            ws = None
        else:
            ws = instance(n, m, seed, shape)
        cpu, start = _cpu(), time.perf_counter()
        got = run_cli(root) if ws is None else RUNNERS[method](ws)
        seconds = CORE_SECONDS[-1] if CORE_SECONDS else time.perf_counter() - start
        cpu = CORE_CPU[-1] if CORE_CPU else _cpu() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        if ws is None:  # for the checks below, after the clock and the peak were read
            got = cli_pairs(root)
            ws = instance(n, m, seed, shape)
    pairs, note = got
    return {"method": method, "shape": shape, "size": f"{n}x{m}", "seconds": round(seconds, 2), "cpu": round(cpu, 2),
            "peak_mb": round(peak), "note": note, **evaluate(ws, pairs)}


def _line(r: dict) -> str:
    return (f"{r['method']:<13} {r['shape']:<8} {r['size']:>11} {r['matched']:>8.1%} {r['total']:>12.2f} "
            f"{r['worst']:>7.2f} {r['violations']:>10} {r['seconds']:>8.2f} {r['cpu']:>7.2f} {r['peak_mb']:>8}  "
            f"{r['note']}")


def _blank(method: str, shape: str, size: str, time_s: str, note: str) -> str:
    return f"{method:<13} {shape:<8} {size:>11} {'':>8} {'':>12} {'':>7} {'':>10} {time_s:>8} {'':>7} {'':>8}  {note}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000x1000,10000x5000")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated: " + ", ".join([*SHAPES, *SIDE_RULES]))
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=int, default=900, help="seconds per method and size")
    ap.add_argument("--mentor-match-max", type=int, default=300, help="largest mentee count for mentor-match")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # child process: method:shape:n:m
        method, shape, n, m = args.one.split(":")
        print(json.dumps(one(method, int(n), int(m), args.seed, shape)))
        return
    header = f"{'method':<13} {'shape':<8} {'size':>11} {'matched':>8} {'total score':>12} {'worst':>7} " \
             f"{'violations':>10} {'wall s':>8} {'CPU s':>7} {'peak MB':>8}  note"
    print(header)
    print("-" * len(header))
    for shape in args.shapes.split(","):
        for size in args.sizes.split(","):
            n, m = (int(x) for x in size.lower().split("x"))
            for method in args.methods.split(","):
                if method == "mentor-match" and n > args.mentor_match_max:
                    print(_blank(method, shape, size, "", "skipped: O(n^3) Munkres in pure Python "
                                 f"(run with --mentor-match-max {n} to try)"))
                    continue
                cmd = [sys.executable, __file__, "--one", f"{method}:{shape}:{n}:{m}", "--seed", str(args.seed)]
                try:
                    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, env=os.environ)
                except subprocess.TimeoutExpired:
                    print(_blank(method, shape, size, f">{args.timeout}", "timed out"), flush=True)
                    continue
                if out.returncode != 0:
                    last = (out.stderr.strip().splitlines() or ["?"])[-1]
                    print(_blank(method, shape, size, "", f"failed: {last[:100]}"), flush=True)
                    continue
                print(_line(json.loads(out.stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
