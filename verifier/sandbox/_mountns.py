"""The fallback backend without bubblewrap: ``unshare`` plus a pivot into a prepared tree.

``unshare`` (util-linux) makes the mount, pid, network, IPC and UTS namespaces (and a user
namespace mapping us to root when the harness is not root); stage two (``_enter.py``, run
by the harness interpreter in isolated mode) mounts the same :class:`View` bubblewrap would
show, pivots into it, drops every capability and runs the command. It gives the guarantees
bubblewrap gives; what it cannot do is run where ``unshare`` or mounting is refused — the
probe then fails and the level drops to ``rlimits``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from verifier.sandbox._view import DEVICES, View

ENTER = Path(__file__).with_name("_enter.py")


def _unshare() -> list[str]:
    argv = ["unshare", "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child"]
    return argv if os.geteuid() == 0 else [*argv, "--map-root-user"]


def spec(view: View, root: Path) -> dict:
    """What stage two mounts, as JSON-ready data."""
    return {
        "root": str(root),
        "workdir": str(view.workdir),
        "system": [(b.path, b.link) for b in view.system()],
        "devices": list(DEVICES),
        "writable": [b.path for b in view.writable()],
        "protected": [b.path for b in view.protected()],
        "masked": view.masked(),
    }


def mountns_argv(view: View, root: Path) -> list[str]:
    """The command line up to the command itself; ``root`` is an empty host directory."""
    stage_two = [sys.executable, "-I", "-S", "-B", str(ENTER), json.dumps(spec(view, root))]
    return [*_unshare(), "--", *stage_two]
