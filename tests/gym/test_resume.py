"""A killed or interrupted `gym run` is completed by `--resume` with no episode lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gym.config import GymConfig
from ledger import EpisodeStatus, Ledger, RunStatus

COMPLETE = (EpisodeStatus.FINISHED, EpisodeStatus.ERROR)


def _gym(config: GymConfig, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from gym.cli import main; main()",
        "run",
        "--episodes",
        str(config.episodes),
        "--parallel",
        str(config.parallel),
        "--max-turns",
        str(config.max_turns),
        "--catalog-dir",
        str(config.catalog_dir),
        "--gym-dir",
        str(config.gym_dir),
        "--swarm-cmd",
        config.swarm_cmd or "",
        "--fleet",
        config.fleet,
        "--brain",
        config.brain,
        *extra,
    ]


def _env(delay_s: str) -> dict[str, str]:
    return {**os.environ, "FAKE_SWARM_MODE": "ok", "FAKE_SWARM_DELAY_S": delay_s}


def _default_sigint() -> None:
    # A shell without job control starts background jobs with SIGINT ignored, and the
    # child would inherit that; Ctrl-C at a terminal always has the default handler.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _complete(gym_dir: Path) -> tuple[str, int]:
    if not (gym_dir / "ledger.sqlite").exists():
        return "", 0
    with Ledger.open(gym_dir) as ledger:
        runs = ledger.runs()
        if not runs:
            return "", 0
        return runs[-1].id, sum(e.status in COMPLETE for e in ledger.episodes(runs[-1].id))


def _wait_for_complete(gym_dir: Path, at_least: int, timeout_s: float = 60) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run_id, done = _complete(gym_dir)
        if done >= at_least:
            return run_id
        time.sleep(0.2)
    raise AssertionError(f"fewer than {at_least} episodes completed in {timeout_s}s")


def _assert_each_episode_once(gym_dir: Path, run_id: str, expected: int) -> None:
    with Ledger.open(gym_dir) as ledger:
        episodes = ledger.episodes(run_id)
        complete = Counter(e.seed for e in episodes if e.status in COMPLETE)
        assert len(complete) == expected, "an episode was lost"
        assert set(complete.values()) == {1}, "an episode was completed twice"
        assert not [e for e in episodes if e.status == EpisodeStatus.STARTED]
        assert ledger.run(run_id).status == RunStatus.FINISHED


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_loses_and_duplicates_nothing(fake_config) -> None:
    config = fake_config.model_copy(update={"episodes": 6, "max_turns": 2})
    proc = subprocess.Popen(
        _gym(config), env=_env("0.4"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        run_id = _wait_for_complete(config.gym_dir, at_least=2)
    finally:
        proc.send_signal(signal.SIGKILL)  # no chance to record anything
        proc.wait()
    assert _complete(config.gym_dir)[1] < 6, "the run finished before it could be killed"
    resumed = subprocess.run(
        _gym(config, "--resume", run_id), env=_env("0"), capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    _assert_each_episode_once(config.gym_dir, run_id, expected=6)


@pytest.mark.slow
def test_ctrl_c_records_the_interruption_and_resume_completes(fake_config) -> None:
    config = fake_config.model_copy(update={"episodes": 4, "max_turns": 2, "parallel": 1})
    proc = subprocess.Popen(
        _gym(config),
        env=_env("0.4"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    run_id = _wait_for_complete(config.gym_dir, at_least=1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert f"--resume {run_id}" in stderr
    with Ledger.open(config.gym_dir) as ledger:
        assert ledger.run(run_id).status == RunStatus.INTERRUPTED
        statuses = Counter(e.status for e in ledger.episodes(run_id))
        assert statuses[EpisodeStatus.INTERRUPTED] >= 1 and not statuses[EpisodeStatus.STARTED]
    resumed = subprocess.run(
        _gym(config, "--resume", run_id), env=_env("0"), capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    _assert_each_episode_once(config.gym_dir, run_id, expected=4)
