"""Invented tasks earn their place: self-tested against their reference and a mutant.

The simulated brain invents variations of catalog tasks; under the ``wrong-golden`` profile
it miscomputes a golden value, which the self-test must reject and the ledger must count.
An admitted task is stored with its episode, so ``gym regrade`` re-grades the episode.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from brain import ChatRequest, Message, transport_for
from brain.sim import make_policy
from gym.cli import app
from gym.errors import InfraError
from gym.generator import (
    InventedFile,
    InventedTask,
    InventionRejected,
    invent_task,
    self_check,
    silent_mutant,
    write_reference,
)
from gym.orchestrator._run import run_gym
from ledger import EpisodeStatus, Ledger
from verifier import load_task


def _quiet() -> Console:
    return Console(file=open("/dev/null", "w"), force_terminal=False)  # noqa: SIM115


def _brain(catalog: Path, rate: float, seed: int = 0) -> str:
    return f"sim:competent+wrong-golden?seed={seed}&time_scale=0&rate={rate}&catalog={catalog}"


def _greet_copy(greet_catalog: Path, tmp_path: Path) -> Path:
    task_dir = tmp_path / "greet-copy"
    shutil.copytree(greet_catalog / "greet", task_dir)
    return task_dir


# ---------------------------------------------------------------- the self-test


def test_a_task_whose_reference_passes_and_whose_mutant_fails_is_admitted(greet_catalog) -> None:
    assert self_check(load_task(greet_catalog / "greet")) is None


def test_a_wrong_golden_value_is_rejected(greet_catalog, tmp_path) -> None:
    task_dir = _greet_copy(greet_catalog, tmp_path)
    toml = task_dir / "task.toml"
    toml.write_text(toml.read_text().replace('equals = "Hello, Bob\\n"', 'equals = "Hi, Bob\\n"'))
    reason = self_check(load_task(task_dir))
    assert reason is not None and reason.startswith("its reference fails its own checks")
    assert "greets_bob" in reason


def test_checks_that_cannot_fail_are_rejected(greet_catalog, tmp_path) -> None:
    task_dir = _greet_copy(greet_catalog, tmp_path)
    (task_dir / "task.toml").write_text(
        'id = "vacuous"\ntitle = "t"\narchetype = "heavy-spec"\ndifficulty = 1\n'
        'entry = "python -m greet"\nspec = "Build greet."\n\n'
        '[[checks]]\nname = "has_main"\nkind = "file_exists"\npath = "greet/__main__.py"\n\n'
        '[[checks]]\nname = "runs"\nkind = "command"\ncmd = "python -m greet Bob"\n'
        "expect_exit = 0\n"
    )
    reason = self_check(load_task(task_dir))
    assert reason is not None and "cannot fail" in reason and "silent mutant" in reason


def test_the_mutant_is_deterministic_and_silent(greet_catalog, tmp_path) -> None:
    reference = greet_catalog / "greet" / "reference"
    first = silent_mutant(reference, tmp_path / "a")
    second = silent_mutant(reference, tmp_path / "b")
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == ["greet/__init__.py", "greet/__main__.py"]
    assert all((first / f).read_text() == (second / f).read_text() == "" for f in files)
    assert (reference / "greet" / "__main__.py").read_text() != ""  # the reference is untouched


@pytest.mark.parametrize("path", ["../escape.py", "/etc/x.py", ".swarm/report.json", ""])
def test_an_unsafe_reference_path_is_refused(tmp_path, path) -> None:
    with pytest.raises(InfraError, match="unsafe"):
        write_reference([InventedFile(path=path, content="x")], tmp_path / "reference")
    assert not (tmp_path / "escape.py").exists()


# ---------------------------------------------------------------- the simulated inventor


def _invented(greet_catalog: Path, profile: str) -> dict:
    policy = make_policy(profile, seed=3, time_scale=0, catalog_dir=greet_catalog)
    request = ChatRequest(
        messages=[Message(role="user", content='Invent a task of archetype "heavy-spec".')],
        response_schema_name="InventedTask",
        response_schema=InventedTask.model_json_schema(),
    )
    return json.loads(policy.reply(request, "m").response.text)


def test_the_simulated_inventor_varies_a_catalog_task_with_its_reference(greet_catalog) -> None:
    data = InventedTask.model_validate(_invented(greet_catalog, "competent"))
    source = load_task(greet_catalog / "greet")
    assert data.spec == source.spec  # verbatim: the simulated fleet recognises it
    assert data.id.startswith("greet-var") and data.id != "greet"
    assert {f.path for f in data.reference} == {"greet/__init__.py", "greet/__main__.py"}
    assert [c.name for c in data.checks] == [c.name for c in source.checks]


def test_the_wrong_golden_profile_miscomputes_one_golden_value(greet_catalog) -> None:
    good = _invented(greet_catalog, "competent")["checks"]
    bad = _invented(greet_catalog, "wrong-golden:1")["checks"]
    changed = [(g, b) for g, b in zip(good, bad, strict=True) if g != b]
    assert len(changed) == 1
    assert "[miscomputed]" in json.dumps(changed[0][1])


def test_every_try_rejected_raises_with_the_reasons(greet_catalog, tmp_path) -> None:
    brain = transport_for(_brain(greet_catalog, 1.0))
    with pytest.raises(InventionRejected) as caught:
        asyncio.run(
            invent_task(
                brain, archetype="heavy-spec", seed=5, avoid_ids=["greet"], out_dir=tmp_path
            )
        )
    assert len(caught.value.rejections) == 3
    assert all("[miscomputed]" in r for r in caught.value.rejections)


# ---------------------------------------------------------------- gym run, ledger, regrade


def _invent_config(fake_config, greet_catalog: Path, rate: float, episodes: int):
    return fake_config.model_copy(
        update={
            "episodes": episodes,
            "parallel": 1,
            "max_turns": 2,
            "invent": True,
            "judge": False,
            "brain": _brain(greet_catalog, rate, seed=1),
        }
    )


def test_gym_run_admits_inventions_counts_rejections_and_regrades(
    fake_config, greet_catalog, monkeypatch
) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    config = _invent_config(fake_config, greet_catalog, 0.35, episodes=3)
    run_id = run_gym(config, console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        episodes = ledger.episodes(run_id)
        assert all(e.generated and e.task.startswith("greet-var") for e in episodes)
        assert all(e.status == EpisodeStatus.FINISHED for e in episodes)
        rejected = [r for e in episodes for r in e.invention_rejections]
        assert rejected and all("[miscomputed]" in r for r in rejected)  # counted per episode
        for episode in episodes:
            (stored,) = ledger.artifacts(episode.id, kind="task")
            assert stored.turn is None
        before = {e.id: len(ledger.grade_sets(e.id)) for e in episodes}
    result = CliRunner().invoke(
        app, ["regrade", run_id, "--gym-dir", str(config.gym_dir)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "0 skipped" in result.output
    with Ledger.open(config.gym_dir) as ledger:
        for episode in ledger.episodes(run_id):
            sets = ledger.grade_sets(episode.id)
            assert len(sets) == before[episode.id]  # each turn superseded, none added
            assert {s.grader for s in sets} == {"regrade:deterministic"}
            assert episode.final_verdict is not None


def test_an_episode_whose_every_invention_is_rejected_is_infra_and_counted(
    fake_config, greet_catalog, monkeypatch
) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    config = _invent_config(fake_config, greet_catalog, 1.0, episodes=1)
    run_id = run_gym(config, console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None
        assert len(episode.invention_rejections) == 3
        assert ledger.turns(episode.id) == []  # the swarm never ran on an unproven task
