"""The progress line of `mentorkit match`: `MatchOptions.progress` is called after each round of the live path,
and the CLI shows it on stderr only when stderr is a terminal (captured or redirected output is unchanged)."""

import io
import random

from click.testing import CliRunner

from matching_helpers import program, random_people, workspace
from mentorkit.cli import main
from mentorkit.cli import program as program_commands
from mentorkit.matching import MatchOptions, default_solver, match


def test_progress_is_called_each_round_with_a_gap_that_closes():
    ws = workspace(random_people(random.Random(5), 200, 100, capacity=(1, 3)), {"pilot": program()})
    calls: list[tuple[float, int, float]] = []
    opt = MatchOptions(live_candidates=0, live_per_round=1, progress=lambda s, r, g: calls.append((s, r, g)))
    result = match(ws, "pilot", options=opt)
    assert "exact integer arithmetic" in result.proposal.solver["guarantee"]
    rounds = [r for _, r, _ in calls]
    assert len(rounds) >= 3 and rounds == list(range(1, len(rounds) + 1))
    seconds = [s for s, _, _ in calls]
    assert seconds == sorted(seconds) and seconds[0] >= 0
    gaps = [g for _, _, g in calls]
    assert all(g >= 0 for g in gaps) and gaps[0] > 0
    assert gaps[-1] < 0.01  # the last round is the proven optimum: the bound is met


def test_the_cli_prints_nothing_more_when_stderr_is_not_a_terminal(base_workspace):
    result = CliRunner().invoke(main, ["match", "--root", str(base_workspace), "pilot"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == f"participants/matches/pilot.yaml: 2 pairs added. (solver: {default_solver()})\n"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_line_overwrites_itself_and_is_cleared(base_workspace, monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(program_commands, "_stderr", lambda: term)
    monkeypatch.setattr(program_commands, "PROGRESS_EVERY", 0.0)
    result = CliRunner().invoke(main, ["match", "--root", str(base_workspace), "pilot"])
    assert result.exit_code == 0, result.output
    text = term.getvalue()
    assert text.startswith("\r\x1b[Kpilot: ") and ", round 1, gap " in text and " points" in text
    assert text.endswith("\r\x1b[K")  # cleared before the result line
    assert result.stdout == f"participants/matches/pilot.yaml: 2 pairs added. (solver: {default_solver()})\n"
