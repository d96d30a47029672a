"""The live display and the summary show state honestly and print model text literally."""

from __future__ import annotations

import io

from rich.console import Console

from gym.display._progress import LiveProgress, summary_table
from gym.episode._episode import EpisodeResult, Outcome
from gym.generator._plans import EpisodePlan


def _plan(i: int) -> EpisodePlan:
    return EpisodePlan(
        index=i, archetype="heavy-spec", persona="pragmatic", task="t", seed=i + 1, max_turns=2
    )


def _text(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=150, force_terminal=False).print(renderable)
    return out.getvalue()


def test_live_view_shows_counts_phase_and_pass_rate() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=150)
    with LiveProgress(total=4, console=console) as progress:
        progress.episode_started(_plan(0), "expr-calc")
        progress.phase(0, 2, "swarm")
        progress.episode_started(_plan(1), "[bold]evil[/bold]")
        progress.episode_finished(EpisodeResult(_plan(2), "a", Outcome.PASS, turns=1))
        progress.episode_finished(EpisodeResult(_plan(3), "b", Outcome.FAIL, turns=1))
        progress.episode_finished(EpisodeResult(_plan(4), "c", Outcome.INFRA_ERROR))
        text = _text(progress.render())
    assert "episodes 3/4 done · 2 running · 2 failed" in text
    assert "pass rate 50%" in text  # infra errors are not counted against the swarm
    assert "expr-calc" in text and "swarm" in text
    assert "[bold]evil[/bold]" in text  # task ids from a model are not rich markup


def test_summary_marks_each_dimension() -> None:
    result = EpisodeResult(
        _plan(0),
        "greet",
        Outcome.PARTIAL,
        turns=2,
        dimensions={"swarm": "pass", "checks": "fail", "bugs": "inconclusive"},
    )
    row = next(line for line in _text(summary_table([result])).splitlines() if "greet" in line)
    assert "partial" in row and "✓" in row and "✗" in row and "?" in row
