"""SIGTERM and SIGHUP end a run the way Ctrl-C does: swarms stopped, run interrupted, resumable."""

from __future__ import annotations

import signal
import subprocess

import pytest
from reliability_support import (
    assert_each_episode_once,
    group_alive,
    gym_argv,
    no_traceback,
    start_gym,
    swarm_env,
    wait_for_complete,
    wait_for_file,
)

from ledger import EpisodeStatus, Ledger, RunStatus

STOPS = [signal.SIGTERM, signal.SIGHUP]


@pytest.mark.slow
@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_stop_signal_records_the_interruption_and_resume_completes(fake_config, sig) -> None:
    config = fake_config.model_copy(update={"episodes": 4, "parallel": 1})
    proc = start_gym(config, swarm_env(delay_s=0.5))
    try:
        run_id = wait_for_complete(config.gym_dir, at_least=1)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert f"stopped by {sig.name}" in stderr and f"--resume {run_id}" in stderr
    assert no_traceback(stderr), stderr
    with Ledger.open(config.gym_dir) as ledger:
        assert ledger.run(run_id).status == RunStatus.INTERRUPTED
        statuses = [e.status for e in ledger.episodes(run_id)]
        assert EpisodeStatus.INTERRUPTED in statuses and EpisodeStatus.STARTED not in statuses
    resumed = subprocess.run(
        gym_argv(config, "--resume", run_id),
        env=swarm_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert_each_episode_once(config.gym_dir, run_id, expected=4)


@pytest.mark.slow
@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_stop_signal_leaves_no_swarm_process_behind(fake_config, sig) -> None:
    # The sleeping fake swarm also starts a child of its own that sleeps ten minutes.
    config = fake_config.model_copy(update={"episodes": 1, "parallel": 1})
    proc = start_gym(config, swarm_env(mode="sleep"))
    try:
        pid_file = wait_for_file("runs/*/episodes/*/swarm.pid", config.gym_dir)
        pgid = int(wait_for_text(pid_file))
        wait_for_file("runs/*/episodes/*/work/.swarm/run-*.jsonl", config.gym_dir)
        assert group_alive(pgid)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert not group_alive(pgid), "the swarm or its child outlived the harness"


def wait_for_text(path) -> str:
    """The file's text once it has some (the harness writes the pid right after spawning)."""
    import time

    for _ in range(100):
        text = path.read_text().strip()
        if text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{path} stayed empty")
