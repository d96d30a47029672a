"""Isolation levels: which backend confines a command on this machine, strongest first.

- ``bwrap``: bubblewrap shows the command only its :class:`~verifier.sandbox._view.View`.
- ``mountns``: the same view built by ``unshare`` + ``pivot_root`` (no bubblewrap needed).
- ``rlimits``: no confinement at all — rlimits, a scrubbed environment, the timeout and the
  pids cgroup only. The command can read and write whatever the harness can, the catalog
  included, and reach the network: a grade made at this level cannot trust its checks.

``SWARM_GYM_SANDBOX=mountns|rlimits`` forces a weaker level (tests use it to exercise the
fallbacks); a stronger one than works here is never forced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from verifier.sandbox._bwrap import bwrap_argv
from verifier.sandbox._mountns import mountns_argv
from verifier.sandbox._view import View

ISOLATION_LEVELS = ("bwrap", "mountns", "rlimits")
#: Levels at which a command sees only its workdir: no catalog, no checkout, no host /tmp.
CONFINED_LEVELS = frozenset({"bwrap", "mountns"})


def _probe(argv: list[str]) -> bool:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _confines(level: str) -> bool:
    """Whether a backend can run ``true`` in a view of an empty workdir."""
    if shutil.which("bwrap" if level == "bwrap" else "unshare") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="sandbox-probe-") as scratch:
        base = Path(scratch)
        for name in ("work", "home", "root"):
            (base / name).mkdir()
        view = View(workdir=base / "work", home=base / "home")
        wrapper = bwrap_argv(view) if level == "bwrap" else mountns_argv(view, base / "root")
        return _probe([*wrapper, "true"])


@cache
def level_works(level: str) -> bool:
    """Whether ``level`` can confine a command here (probed once per process)."""
    return level == "rlimits" or _confines(level)


def detected_level() -> str:
    """The strongest level that works here."""
    return next(level for level in ISOLATION_LEVELS if level_works(level))


def isolation_level() -> str:
    """The strongest level that works here, or the weaker one ``SWARM_GYM_SANDBOX`` forces."""
    forced = os.environ.get("SWARM_GYM_SANDBOX", "").strip()
    start = ISOLATION_LEVELS.index(forced) if forced in ISOLATION_LEVELS else 0
    return next(level for level in ISOLATION_LEVELS[start:] if level_works(level))
