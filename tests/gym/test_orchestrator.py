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


def test_swarm_that_cannot_run_is_recorded_as_infra_error_not_failure(fake_config, monkeypatch):
    monkeypatch.setenv("FAKE_SWARM_MODE", "badconfig")
    run_id = run_gym(fake_config.model_copy(update={"episodes": 1}), console=_quiet())
    with Ledger.open(fake_config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None
        (turn,) = ledger.turns(episode.id)
        assert turn.exit_code == 2
        assert ledger.grades(episode.id) == []  # never graded as the swarm's failure
        assert ledger.run(run_id).status.value == "failed"


def test_fix_turn_spec_keeps_spec_verbatim_and_adds_visible_findings(fake_config, monkeypatch):
    monkeypatch.setenv("FAKE_SWARM_MODE", "broken")
    config = fake_config.model_copy(update={"episodes": 1, "max_turns": 2})
    run_id = run_gym(config, console=_quiet())
    folder = Path(config.gym_dir) / "runs" / run_id / "episodes" / "000"
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.final_verdict.value == "fail"
        moves = [t.move for t in ledger.turns(episode.id)]
    assert moves == ["feature", "fix"]
    spec = (folder / "turn-2-spec.md").read_text()
    head, _, body = spec.partition("PROJECT SPEC:\n")
    assert body.strip() == config_task_spec(config)
    assert "greets_bob" in head and "greets_world" not in head  # hidden check stays hidden


def config_task_spec(config) -> str:
    from verifier import load_task

    return load_task(Path(config.catalog_dir) / "greet").spec_for_stage(1)
