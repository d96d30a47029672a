"""`gym run --executor ray` on a real local Ray instance (simulator fleet and brain).

Marked ``ray``: deselected by default, run with ``pytest -m ray`` (CI installs the extra).
Episodes are kept to one turn so each test stays within a few minutes on two shared cores.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from gym.cli import app
from gym.config import GymConfig
from gym.orchestrator import run_gym
from ledger import EpisodeStatus, Ledger

pytestmark = pytest.mark.ray

#: A worker running episode N shows this process title (the Ray task's name).
TITLE = "ray::gym-episode-"


def _quiet() -> Console:
    return Console(file=open(os.devnull, "w"), force_terminal=False)  # noqa: SIM115


#: One competent simulated node: the default fleet's sloppy node makes the swarm's retries
#: depend on timing, so two local runs of one seed can already grade differently; with one
#: competent node a seed's grades are a function of the seed, whatever the executor.
STEADY_FLEET = "sim:competent?seed=1&time_scale=0.005&name=sim-a"


def _config(gym_dir: Path, **update: object) -> GymConfig:
    base = GymConfig(
        episodes=4, max_turns=1, seed=3, parallel=2, fleet=STEADY_FLEET, gym_dir=gym_dir
    )
    return base.model_copy(update=update)


def _graded(gym_dir: Path, run_id: str) -> dict[int, tuple]:
    """Seed -> (task, status, final verdict, per-turn verdicts and dimension statuses)."""
    with Ledger.open(gym_dir, create=False) as ledger:
        out = {}
        for e in ledger.episodes(run_id):
            turns = [
                (
                    g.turn,
                    g.verdict,
                    tuple(
                        sorted(
                            (d.dimension, d.status) for d in ledger.grades(e.id) if d.turn == g.turn
                        )
                    ),
                )
                for g in ledger.grade_sets(e.id)
            ]
            assert e.seed not in out, f"seed {e.seed} recorded twice"
            out[e.seed] = (e.task, e.status, e.final_verdict, turns)
        return out


def test_four_episodes_on_ray_grade_like_the_local_executor(ray_instance, tmp_path):
    local_dir, ray_dir = tmp_path / "local", tmp_path / "ray"
    local_run = run_gym(_config(local_dir), console=_quiet())
    argv = ["run", "--episodes", "4", "--executor", "ray", "--max-turns", "1", "--seed", "3"]
    argv += ["--parallel", "2", "--fleet", STEADY_FLEET, "--gym-dir", str(ray_dir)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    with Ledger.open(ray_dir, create=False) as ledger:
        (run,) = ledger.runs()
        episodes = ledger.episodes(run.id)
        keys = ledger.replay_keys(run.id)
        artifacts = {e.id: {a.kind for a in ledger.artifacts(e.id)} for e in episodes}
    assert len(episodes) == 4
    assert all(e.status == EpisodeStatus.FINISHED for e in episodes)
    assert sorted(keys) == sorted(f"{run.id}/{i}/1" for i in range(4))
    assert all({"spec", "events", "tree"} <= kinds for kinds in artifacts.values()), artifacts
    local, remote = _graded(local_dir, local_run), _graded(ray_dir, run.id)
    assert remote == local
    assert all(turns for *_, turns in remote.values())  # graded, not vacuously equal
    # The run folder is the driver's: each episode's files came back, nothing machine-local.
    folder = ray_dir / "runs" / run.id / "episodes"
    assert sorted(p.name for p in folder.iterdir()) == ["000", "001", "002", "003"]
    for episode in folder.iterdir():
        assert (episode / "turn-1-spec.md").is_file()
        assert (episode / "turn-1-stdout.txt").is_file()
        assert not (episode / "swarm.pid").exists() and not (episode / "work").exists()


# ---- a worker killed mid-episode ----------------------------------------------------------


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    return [p for p in _pids() if _parent(p) == pid]


def _wait_for(find, timeout: float):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout}s waiting for {find.__doc__}")


def test_a_worker_killed_mid_episode_is_retried_and_lands_once(ray_instance, tmp_path):
    gym_dir = tmp_path / "gym"
    config = _config(gym_dir, episodes=2, seed=5, executor="ray")
    scratch_before = set(Path(tempfile.gettempdir()).glob("gym-episode-*"))
    outcome: dict[str, object] = {}

    def drive() -> None:
        try:
            outcome["run"] = run_gym(config, console=_quiet())
        except BaseException as exc:  # surfaced by the assertions below
            outcome["error"] = exc

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()

    def worker() -> int | None:
        """the worker running episode 0 with its swarm started (mid-episode)"""
        for pid in _pids():
            if _cmdline(pid).startswith(f"{TITLE}000") and any(
                "swarm" in _cmdline(c) for c in _children(pid)
            ):
                return pid
        return None

    victim = _wait_for(worker, timeout=240)
    orphans = _children(victim)  # its swarm: killed below, the worker's death leaves it running
    os.kill(victim, signal.SIGKILL)

    def retried() -> int | None:
        """another worker running episode 0 again (Ray's retry)"""
        for pid in _pids():
            if pid != victim and _cmdline(pid).startswith(f"{TITLE}000"):
                return pid
        return None

    try:
        assert _wait_for(retried, timeout=120) != victim
        driver.join(timeout=420)
        assert not driver.is_alive(), "the run did not finish"
    finally:
        for pid in orphans:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        for leftover in set(Path(tempfile.gettempdir()).glob("gym-episode-*")) - scratch_before:
            shutil.rmtree(leftover, ignore_errors=True)
    assert "error" not in outcome, outcome.get("error")
    run_id = str(outcome["run"])
    with Ledger.open(gym_dir, create=False) as ledger:
        episodes = ledger.episodes(run_id)
        keys = ledger.replay_keys(run_id)
        plans_seeds = {p.seed for p in _plans(gym_dir, run_id)}
        turns = {e.id: len(ledger.turns(e.id)) for e in episodes}
    assert sorted(e.seed for e in episodes) == sorted(plans_seeds)  # nothing lost, none twice
    assert all(e.status == EpisodeStatus.FINISHED for e in episodes)
    assert sorted(keys) == [f"{run_id}/0/1", f"{run_id}/1/1"]  # the retry is the same attempt
    assert all(n == 1 for n in turns.values()), turns  # the killed try left no half-turn


def _plans(gym_dir: Path, run_id: str):
    from gym.orchestrator import load_run, run_dir

    return load_run(run_dir(gym_dir, run_id))[1]


# ---- the driver killed ---------------------------------------------------------------------


def test_a_killed_driver_resumes_without_losing_or_repeating_an_episode(ray_instance, tmp_path):
    """SIGKILL the driver (a `gym run` joined to the session's cluster) after its first
    episode landed; `gym run --resume` on Ray reruns only what had not landed."""
    gym_dir = tmp_path / "gym"
    scratch_before = set(Path(tempfile.gettempdir()).glob("gym-episode-*"))
    address = ray_instance.get_runtime_context().gcs_address
    gym = [sys.executable, "-c", "from gym.cli import main; main()"]
    argv = [*gym, "run", "--executor", "ray", "--ray-address", address]
    argv += ["--episodes", "3", "--max-turns", "1", "--parallel", "1", "--seed", "11"]
    argv += ["--fleet", STEADY_FLEET, "--gym-dir", str(gym_dir)]
    driver = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        run_id = _wait_for(lambda: _first_landed(gym_dir), timeout=300)
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait(timeout=30)
    with Ledger.open(gym_dir, create=False) as ledger:
        landed_before = len(ledger.episodes(run_id))
    assert 1 <= landed_before < 3, "the kill must come mid-run"
    config = GymConfig(gym_dir=gym_dir, executor="ray", parallel=2)
    try:
        assert run_gym(config, resume=run_id, console=_quiet()) == run_id
    finally:  # the killed driver's worker had no chance to remove its temp dir
        for leftover in set(Path(tempfile.gettempdir()).glob("gym-episode-*")) - scratch_before:
            shutil.rmtree(leftover, ignore_errors=True)
    with Ledger.open(gym_dir, create=False) as ledger:
        episodes = ledger.episodes(run_id)
        keys = ledger.replay_keys(run_id)
    seeds = sorted(p.seed for p in _plans(gym_dir, run_id))
    assert sorted(e.seed for e in episodes) == seeds
    assert all(e.status == EpisodeStatus.FINISHED for e in episodes)
    assert sorted(keys) == sorted(f"{run_id}/{i}/1" for i in range(3))


def _first_landed(gym_dir: Path) -> str | None:
    """the run id, once its first episode is in the ledger"""
    if not (gym_dir / "ledger.sqlite").exists():
        return None
    with Ledger.open(gym_dir, create=False) as ledger:
        runs = ledger.runs()
        return runs[-1].id if runs and ledger.episodes(runs[-1].id) else None
