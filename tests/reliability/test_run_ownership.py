"""One run, one owner: a second harness on a running run is refused before it touches anything."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess

import pytest
from reliability_support import (
    assert_each_episode_once,
    gym_argv,
    no_traceback,
    start_gym,
    swarm_env,
    wait_for_complete,
)

from gym.orchestrator import RunBusyError, RunLock


def test_a_second_lock_on_a_run_folder_is_refused_naming_the_holder(tmp_path) -> None:
    held = RunLock.acquire(tmp_path / "run", "r1")
    try:
        with pytest.raises(RunBusyError, match=rf"run r1 is still running \(pid {os.getpid()}\)"):
            RunLock.acquire(tmp_path / "run", "r1")
    finally:
        held.release()
    RunLock.acquire(tmp_path / "run", "r1").release()  # free again once released


def _hold_forever(folder: str, ready) -> None:
    from pathlib import Path

    RunLock.acquire(Path(folder), "r1")
    ready.set()
    signal.pause()


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_forever, args=(str(tmp_path / "run"), ready))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(RunBusyError, match=f"pid {holder.pid}"):
            RunLock.acquire(tmp_path / "run", "r1")
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(10)
    RunLock.acquire(tmp_path / "run", "r1").release()


@pytest.mark.slow
def test_resume_of_a_run_still_running_is_refused_and_the_original_finishes(fake_config) -> None:
    config = fake_config.model_copy(update={"episodes": 4, "parallel": 1})
    original = start_gym(config, swarm_env(delay_s=0.5))
    try:
        run_id = wait_for_complete(config.gym_dir, at_least=1)
        second = subprocess.run(
            gym_argv(config, "--resume", run_id),
            env=swarm_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        _, original_err = original.communicate(timeout=120)
    finally:
        original.kill()
    assert second.returncode == 2, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "still running" in lines[0] and run_id in lines[0], lines
    assert no_traceback(second.stderr)
    assert original.returncode == 0, original_err
    assert_each_episode_once(config.gym_dir, run_id, expected=4)
