"""Disk full mid-run: one line, exit 2, the run resumable, the ledger consistent."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import (
    assert_each_episode_once,
    gym_argv,
    integrity_ok,
    no_traceback,
    processes_mentioning,
    start_gym,
    swarm_env,
    wait_for_complete,
)
from rich.console import Console

from gym.orchestrator import DiskFullError, is_disk_full, run_gym
from ledger import EpisodeStatus, Ledger, RunStatus


def test_disk_full_is_recognised_through_wrapping_errors() -> None:
    import sqlite3

    wrapped = RuntimeError("grading failed")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    assert is_disk_full(wrapped)
    assert is_disk_full(sqlite3.OperationalError("database or disk is full"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(ValueError("disk"))


def test_enospc_mid_run_in_process_records_an_interrupted_resumable_run(
    fake_config, monkeypatch
) -> None:
    config = fake_config.model_copy(update={"episodes": 3, "parallel": 1})
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    real_store = Ledger.store_artifact
    stored = []

    def store_then_fill(self, episode_id, src, kind, **kw):
        stored.append(kind)
        if len(stored) > 3:  # the second episode's first artifact: the disk is now full
            raise OSError(errno.ENOSPC, "No space left on device", str(src))
        return real_store(self, episode_id, src, kind, **kw)

    monkeypatch.setattr(Ledger, "store_artifact", store_then_fill)
    with pytest.raises(DiskFullError, match="disk full .*continue with: gym run --resume"):
        run_gym(config, console=Console(file=open(Path(config.gym_dir).parent / "o.txt", "w")))
    with Ledger.open(config.gym_dir) as ledger:
        (run,) = ledger.runs()
        assert run.status == RunStatus.INTERRUPTED
        assert EpisodeStatus.STARTED not in [e.status for e in ledger.episodes(run.id)]
    assert integrity_ok(config.gym_dir)
    monkeypatch.setattr(Ledger, "store_artifact", real_store)
    run_gym(
        config,
        resume=run.id,
        console=Console(file=open(Path(config.gym_dir).parent / "p.txt", "w")),
    )
    assert_each_episode_once(config.gym_dir, run.id, expected=3)
    assert not list(Path(config.gym_dir).glob("runs/*/.reserve")), "the reserve outlived the run"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB tmpfs mounted for the test (root only; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(disk: Path) -> Path:
    """Write zeros until the filesystem refuses even 512 bytes; returns the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 20, 1 << 16, 512):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
def test_disk_filling_up_mid_run_is_one_line_exit_2_and_resumable(
    fake_config, small_disk, tmp_path
) -> None:
    config = fake_config.model_copy(
        update={"episodes": 4, "parallel": 1, "gym_dir": small_disk / "gymdir"}
    )
    proc = start_gym(config, swarm_env(delay_s=0.5))
    try:
        run_id = wait_for_complete(config.gym_dir, at_least=1)
        filler = _fill(small_disk)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2, stderr
    lines = stderr.strip().splitlines()
    assert lines[-1].startswith("gym run: disk full"), lines
    assert f"--resume {run_id}" in lines[-1]
    assert no_traceback(stderr), stderr
    assert integrity_ok(config.gym_dir)
    with Ledger.open(config.gym_dir) as ledger:
        assert ledger.run(run_id).status == RunStatus.INTERRUPTED
        assert EpisodeStatus.STARTED not in [e.status for e in ledger.episodes(run_id)]
    time.sleep(0.5)
    assert not processes_mentioning(str(small_disk)), "a swarm outlived the harness"
    filler.unlink()
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
    resumed = subprocess.run(
        gym_argv(config, "--resume", run_id),
        env=swarm_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert_each_episode_once(config.gym_dir, run_id, expected=4)


def test_a_full_disk_while_grading_is_not_recorded_as_infrastructure(
    fake_config, monkeypatch
) -> None:
    # Recorded as an infrastructure episode, it would count as complete and never run again.
    import verifier

    config = fake_config.model_copy(update={"episodes": 2, "parallel": 1})
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    real_grade = verifier.grade_workdir
    calls = []

    def grade_then_fill(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_grade(*args, **kwargs)

    monkeypatch.setattr(verifier, "grade_workdir", grade_then_fill)
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    with pytest.raises(DiskFullError):
        run_gym(config, console=quiet)
    with Ledger.open(config.gym_dir) as ledger:
        (run,) = ledger.runs()
        statuses = sorted(e.status.value for e in ledger.episodes(run.id))
    assert statuses == ["finished", "interrupted"], statuses
    monkeypatch.setattr(verifier, "grade_workdir", real_grade)
    run_gym(config, resume=run.id, console=quiet)
    assert_each_episode_once(config.gym_dir, run.id, expected=2)
