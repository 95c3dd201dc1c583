"""The entry points: `propose` gives a program's match proposal; `match` adds timings and statistics."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..model import Format, Proposal, Workspace
from .assemble import assemble
from .formats import run_capacity, run_mosaic, run_peer
from .locks import check_locks
from .plan import make_plan
from .solver import MatchOptions, Solver


@dataclass
class MatchResult:
    proposal: Proposal
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step: not in the proposal (not deterministic)
    stats: dict[str, Any] = field(default_factory=dict)


def propose(workspace: Workspace, program_id: str, previous: Proposal | None = None, *,
            options: MatchOptions | None = None) -> Proposal:
    """The match proposal for one program.

    `previous` is the program's current proposal (usually `workspace.proposals.get(program_id)`), or None to
    start afresh: its approved pairs are kept as they are, its ended pairs are never proposed again, and its
    proposed pairs are preferred among equally good solutions, so a re-run changes only what it must.
    Raises `InfeasibleMatching` when locks and rules cannot all hold, naming them.
    """
    return match(workspace, program_id, previous, options=options).proposal


def match(workspace: Workspace, program_id: str, previous: Proposal | None = None, *,
          options: MatchOptions | None = None) -> MatchResult:
    """Like `propose`, with timings and statistics for benchmarks and the CLI's verbose output."""
    opt = options or MatchOptions()
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock[0]
        clock[0] = now

    program = workspace.program(program_id)
    plan = make_plan(workspace, program_id, program, previous)
    check_locks(plan)
    solver = Solver()
    lap("prepare")
    if plan.peer:
        result = run_peer(plan, solver, opt, lap)
    elif plan.fmt == Format.MOSAIC:
        result = run_mosaic(plan, solver, opt, lap)
    else:
        result = run_capacity(plan, solver, opt, lap)
    proposal = assemble(plan, result)
    lap("assemble")
    method = "highs" if solver.solves else "or-tools"  # no integer program solved: the flow core ran alone
    stats = {"solver": method, "eligible_pairs": result.eligible, "model_pairs": result.model_pairs,
             "solves": solver.solves}
    return MatchResult(proposal, timings, stats)
