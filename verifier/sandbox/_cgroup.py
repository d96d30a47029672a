"""One pids cgroup per command: a kernel cap on its processes, and a handle to kill them all.

``RLIMIT_NPROC`` counts processes per real uid and root is exempt from it, so when the
harness runs as root (CI containers do) the only kernel-enforced process cap without a
supervisor is the ``pids`` cgroup controller. This module creates one short-lived pids
cgroup per command when the hierarchy is writable (cgroup v1 ``/sys/fs/cgroup/pids`` or a
cgroup v2 directory that delegates ``pids``); otherwise the caller falls back to
``RLIMIT_NPROC`` (effective for ordinary users) and the pid namespace plus the timeout.

A confined command cannot leave its cgroup: it sees no ``/sys`` and holds no capabilities.
Whatever still sits in the cgroup when the command ends is killed (``kill_all``), so a
``setsid`` daemon does not outlive the command that started it.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_V1_ROOT = Path("/sys/fs/cgroup/pids")
_V2_MOUNT = Path("/sys/fs/cgroup")


def _v2_parent() -> Path | None:
    """Our own cgroup v2 directory when it delegates the pids controller to children."""
    try:
        line = next(x for x in Path("/proc/self/cgroup").read_text().splitlines() if x[:3] == "0::")
    except (OSError, StopIteration):
        return None
    here = _V2_MOUNT / line[3:].lstrip("/")
    try:
        delegated = (here / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    return here if "pids" in delegated else None


def _writable_root() -> Path | None:
    if os.geteuid() != 0:
        return None
    if (_V1_ROOT / "cgroup.procs").is_file() and os.access(_V1_ROOT, os.W_OK):
        return _V1_ROOT
    return _v2_parent()


@dataclass
class PidsCgroup:
    """One pids cgroup holding one sandboxed command tree."""

    path: Path

    @classmethod
    def create(cls, limit: int) -> PidsCgroup | None:
        """A fresh cgroup with ``pids.max = limit``, or None when no hierarchy is writable."""
        root = _writable_root()
        if root is None:
            return None
        path = root / f"swarm-gym-{uuid.uuid4().hex[:12]}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(limit))
        except OSError:
            _rmdir(path)
            return None
        return cls(path)

    def enter(self) -> None:
        """Move the calling process into the cgroup (runs in the child before exec)."""
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self) -> None:
        """SIGKILL every process still in the cgroup."""
        for _ in range(20):
            pids = self._pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill what is left and delete the cgroup directory."""
        self.kill_all()
        for _ in range(50):
            if _rmdir(self.path):
                return
            time.sleep(0.02)

    def _pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []


def _rmdir(path: Path) -> bool:
    try:
        path.rmdir()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True
