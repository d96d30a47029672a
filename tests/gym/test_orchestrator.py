"""`run_gym` end to end against the fake swarm: episodes, turns, grades, ledger rows."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from gym.orchestrator import run_gym
from ledger import EpisodeStatus, Ledger


def _quiet() -> Console:
    return Console(file=open("/dev/null", "w"), force_terminal=False)  # noqa: SIM115


def test_run_records_every_episode_with_graded_turns(fake_config, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    run_id = run_gym(fake_config, console=_quiet())
    with Ledger.open(fake_config.gym_dir) as ledger:
        episodes = ledger.episodes(run_id)
        assert len(episodes) == 3
        assert all(e.status == EpisodeStatus.FINISHED for e in episodes)
        for episode in episodes:
            turns = ledger.turns(episode.id)
            assert turns and turns[0].exit_code == 0
            dims = {g.dimension for g in ledger.grades(episode.id)}
            assert {"swarm", "checks", "diagnostics", "cluster"} <= dims
    assert (Path(fake_config.gym_dir) / "runs" / run_id / "summary.json").is_file()
