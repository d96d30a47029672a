"""One run, one owner: an exclusive ``flock`` on ``<run folder>/run.lock`` for the run's life.

The kernel drops the lock when its holder exits, however it exits (SIGKILL included), so a
stale lock never blocks ``--resume``; a live holder refuses a second harness before it
touches the ledger or the run folder. The swarm children do not inherit the descriptor
(subprocesses close inherited descriptors), so an orphaned swarm cannot hold the run.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from gym.errors import GymConfigError

LOCK_FILE = "run.lock"


class RunBusyError(GymConfigError):
    """Another harness holds the run folder: the run is still running."""


class RunLock:
    """The held lock of one run folder; :meth:`release` (or process exit) frees it."""

    def __init__(self, folder: Path, fd: int):
        self.folder, self._fd = folder, fd

    @classmethod
    def acquire(cls, folder: Path, run_id: str) -> RunLock:
        """Take the lock or raise RunBusyError naming the holder's pid."""
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise RunBusyError(
                f"run {run_id} is still running{holder}; wait for it to end or stop it first"
            ) from None
        _write_pid(fd)
        return cls(folder, fd)

    def release(self) -> None:
        """Unlock (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _write_pid(fd: int) -> None:
    """Record the holder's pid, for the refusal message only (the flock is the truth)."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # a full disk must not stop the lock from working


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""
