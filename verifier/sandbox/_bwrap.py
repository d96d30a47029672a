"""The bubblewrap backend: the :class:`View` as a ``bwrap`` command line.

Nothing of the host is bound wholesale: bwrap starts from an empty root and mounts only the
view's allow-list. New pid, network, IPC, UTS and cgroup namespaces; every capability
dropped (bwrap keeps them for root unless told, and a root with ``CAP_SYS_ADMIN`` could
mount its way back out); ``--die-with-parent`` so killing bwrap ends the whole tree.
"""

from __future__ import annotations

from verifier.sandbox._view import View

NAMESPACES = ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts")


def _system(view: View) -> list[str]:
    argv: list[str] = []
    for bind in view.system():
        if bind.link is not None:
            argv += ["--symlink", bind.link, bind.path]
        else:
            argv += ["--ro-bind", bind.path, bind.path]
    return argv


def bwrap_argv(view: View) -> list[str]:
    """``bwrap`` and its options, ending in ``--``; the command follows."""
    # The private /tmp first: an interpreter under /tmp (a CI checkout's venv) is bound on it.
    argv = ["bwrap", "--tmpfs", "/tmp", *_system(view), "--dev", "/dev", "--proc", "/proc"]
    for bind in view.writable():
        argv += ["--bind", bind.path, bind.path]
    for bind in view.protected():
        argv += ["--ro-bind", bind.path, bind.path]
    for path in view.masked():
        argv += ["--tmpfs", path, "--remount-ro", path]
    argv += ["--remount-ro", "/", *NAMESPACES, "--unshare-cgroup-try", "--cap-drop", "ALL"]
    return argv + ["--die-with-parent", "--new-session", "--chdir", str(view.workdir), "--"]
