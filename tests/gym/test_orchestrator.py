"""`run_gym` end to end against the fake swarm: episodes, turns, grades, ledger rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from brain import TransientError, register_scheme
from gym.config import GymConfig
from gym.errors import SwarmRejectedError
from gym.orchestrator._run import run_gym
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
        # `gym regress` rebuilds the config of a baseline run from the ledger
        assert GymConfig.model_validate(ledger.run(run_id).config) == fake_config
    assert (Path(fake_config.gym_dir) / "runs" / run_id / "summary.json").is_file()


def test_swarm_rejecting_its_config_stops_the_run_as_infra_error(fake_config, monkeypatch):
    monkeypatch.setenv("FAKE_SWARM_MODE", "badconfig")
    config = fake_config.model_copy(update={"episodes": 4, "parallel": 1})
    with pytest.raises(SwarmRejectedError, match="unknown knob"):
        run_gym(config, console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        (run,) = ledger.runs()
        assert run.status.value == "failed"
        first, *rest = ledger.episodes(run.id)
        assert first.status == EpisodeStatus.ERROR and first.final_verdict is None
        (turn,) = ledger.turns(first.id)
        assert turn.exit_code == 2
        assert ledger.grades(first.id) == []  # never graded as the swarm's failure
        assert len(rest) == 3 and {e.status for e in rest} == {EpisodeStatus.INTERRUPTED}


def test_fix_turn_spec_keeps_spec_verbatim_and_adds_visible_findings(fake_config, monkeypatch):
    monkeypatch.setenv("FAKE_SWARM_MODE", "broken")
    config = fake_config.model_copy(
        update={"episodes": 1, "max_turns": 4, "archetype": "heavy-spec"}  # starts at stage 1
    )
    run_id = run_gym(config, console=_quiet())
    folder = Path(config.gym_dir) / "runs" / run_id / "episodes" / "000"
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.final_verdict.value == "fail"
        moves = [t.move for t in ledger.turns(episode.id)]
    assert moves == ["feature", "fix"]  # the fix changed nothing: the episode stops there
    spec = (folder / "turn-2-spec.md").read_text()
    head, _, body = spec.partition("PROJECT SPEC:\n")
    assert body.strip() == config_task_spec(config)
    assert "greets_bob" in head and "greets_world" not in head  # hidden check stays hidden


def config_task_spec(config) -> str:
    from verifier import load_task

    return load_task(Path(config.catalog_dir) / "greet").spec_for_stage(1)


class _DownBrain:
    """A brain that answers the start-up probe, then fails every request (a server that died)."""

    def __init__(self, url: str, **_options) -> None:
        self.url, self.model, self.calls = url, "down", 0

    async def chat(self, request):
        _DownBrain.calls += 1
        raise TransientError("HTTP 503: model is unloaded")

    async def probe(self) -> list[str]:
        return ["down"]

    async def aclose(self) -> None:
        return None


_DownBrain.calls = 0


def test_brain_failing_after_retries_is_an_infra_error(fake_config, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    register_scheme("downbrain", _DownBrain)
    config = fake_config.model_copy(update={"episodes": 1, "brain": "downbrain:x"})
    run_id = run_gym(config, console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None
        assert ledger.turns(episode.id) == []  # the swarm never ran: nothing to blame it for
    assert _DownBrain.calls >= 3  # retried before giving up
    summary = (Path(config.gym_dir) / "runs" / run_id / "summary.json").read_text()
    assert "brain failed to answer as the user" in summary or "infra_error" in summary


def test_green_app_is_kept_and_continued_only_with_from_kept(fake_config, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    config = fake_config.model_copy(
        update={
            "episodes": 2,
            "parallel": 1,
            "max_turns": 1,
            "archetype": "heavy-spec",
            "judge": False,  # deterministic verdict only: the fake app is green at stage 1
        }
    )
    run_gym(config, console=_quiet())  # green greet apps at stage 1 are kept
    assert list((Path(config.gym_dir) / "kept" / "sim" / "greet" / "stage-1").iterdir())
    cont = config.model_copy(update={"archetype": "continue-existing", "episodes": 1})
    plain = run_gym(cont, console=_quiet())
    kept = run_gym(cont.model_copy(update={"from_kept": True}), console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        (p_episode,) = ledger.episodes(plain)
        (k_episode,) = ledger.episodes(kept)
        assert [t.stage for t in ledger.turns(p_episode.id)] == [2]  # from the stage-1 reference
        assert [t.stage for t in ledger.turns(k_episode.id)] == [2]  # continues a kept app
    starts = [
        json.loads((Path(config.gym_dir) / "runs" / r / "summary.json").read_text())
        for r in (plain, kept)
    ]
    assert [s["episodes"][0]["start"] for s in starts] == ["reference", "kept"]
    spec = Path(config.gym_dir) / "runs" / kept / "episodes" / "000" / "turn-1-spec.md"
    assert "--shout" in spec.read_text()
