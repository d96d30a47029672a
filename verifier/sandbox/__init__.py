"""The one place untrusted code runs: every check, gate and worker command goes through it.

``run`` / ``run_async`` execute a command with the workdir as its current directory and:

- confinement (see ``ISOLATION_LEVELS``): at ``bwrap`` (bubblewrap) or ``mountns``
  (``unshare`` + ``pivot_root``, no bubblewrap needed) the command sees only an allow-list —
  the workdir read-write, a private home and ``/tmp``, the Python runtime and system
  libraries read-only, a fresh ``/proc`` of its own pid namespace — with no network, no
  ``/root`` or home, no checkout, no catalog, no ``/sys`` and no capabilities, even as root.
  At ``rlimits`` it is not confined at all; :attr:`SandboxResult.confined` says which, and a
  grade that ran its checks unconfined must not trust them;
- a hard wall-clock timeout that kills the whole process tree (process group, pid
  namespace, and the command's own pids cgroup when one is available: nothing outlives it,
  ``setsid`` daemons included);
- rlimits on CPU seconds, address space, file size and open files, and a process cap
  (a pids cgroup when the harness is root and one is writable, else ``RLIMIT_NPROC``,
  which the kernel enforces only for non-root users);
- a scrubbed environment: no parent variable whose name contains KEY, TOKEN, SECRET,
  PASSWORD or CREDENTIAL, a fresh temporary HOME and TMPDIR, the harness interpreter's
  directory first on PATH (so ``python`` is ``sys.executable`` and its venv);
- stdin from /dev/null unless given; stdout/stderr capped with a truncation marker.

What such a command leaves behind is read with :func:`read_tree_files`,
:func:`read_tree_file` and :func:`tree_files`, which never follow a link or open a special
file.

``cmd`` as a string runs under ``sh -c``. Set ``SWARM_GYM_SANDBOX=mountns|rlimits`` to force
a weaker isolation level (tests use it to exercise the fallbacks).
"""

from verifier.sandbox._levels import (
    CONFINED_LEVELS,
    ISOLATION_LEVELS,
    detected_level,
    isolation_level,
    level_works,
)
from verifier.sandbox._run import Limits, SandboxResult, run, run_async, scrubbed_env
from verifier.sandbox._tree import read_tree_file, read_tree_files, tree_files

__all__ = [
    "CONFINED_LEVELS",
    "ISOLATION_LEVELS",
    "Limits",
    "SandboxResult",
    "detected_level",
    "isolation_level",
    "level_works",
    "read_tree_file",
    "read_tree_files",
    "run",
    "run_async",
    "scrubbed_env",
    "tree_files",
]
