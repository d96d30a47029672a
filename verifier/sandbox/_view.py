"""What a confined command sees: an allow-list of paths, never the host's whole tree.

Both confining backends (bubblewrap and the mount-namespace fallback) build the same
view from a :class:`View`: an empty root holding only

- the system's programs and libraries and the harness interpreter, read-only;
- a few files of ``/etc`` that programs need to start (loader cache, users, time zone);
- the workdir, read-write, with chosen paths inside it read-only (hidden tests);
- a private home and an empty ``/tmp``;
- a fresh ``/proc`` of a new pid namespace and a minimal ``/dev``.

Everything else — ``/root``, ``/home``, the checkout, the task catalog, ``/sys``, other
commands' copies under ``/tmp`` — is simply not there. ``hide`` masks a path that would
otherwise be visible (a catalog installed inside the interpreter's prefix).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Programs and libraries; each is bound when it exists (a symlink stays a symlink).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# What programs read from /etc to start; never shadow, ssh keys or the rest of it.
ETC_ENTRIES = (
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/hosts",
    "/etc/mime.types",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/python3",
    "/etc/python3.11",
)
#: Device nodes bound into the minimal /dev.
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty")


@dataclass(frozen=True)
class Bind:
    """One path of the host shown at the same path inside."""

    path: str
    writable: bool = False
    #: A symlink on the host (``/bin -> usr/bin``): recreated as that link, not bound.
    link: str | None = None


@dataclass
class View:
    """The allow-list a confined command runs in."""

    workdir: Path
    home: Path
    readonly: list[Path] = field(default_factory=list)
    hide: list[Path] = field(default_factory=list)

    def system(self) -> list[Bind]:
        """Read-only binds of the system and the interpreter, in mount order."""
        binds = [_bind(p) for p in (*SYSTEM_DIRS, *ETC_ENTRIES) if os.path.lexists(p)]
        for path in interpreter_paths():
            if not any(path.is_relative_to(b.path) for b in binds if b.link is None):
                binds.append(Bind(str(path)))
        return binds

    def writable(self) -> list[Bind]:
        """The home and the workdir, read-write (mounted after the private /tmp)."""
        return [Bind(str(self.home), writable=True), Bind(str(self.workdir), writable=True)]

    def protected(self) -> list[Bind]:
        """Paths inside the workdir the command may read but not change."""
        inside = [p for p in self.readonly if p.resolve().is_relative_to(self.workdir)]
        return [Bind(str(p.resolve())) for p in inside if p.exists()]

    def masked(self) -> list[str]:
        """Hidden paths that the binds above would otherwise show."""
        shown = [Path(b.path) for b in self.system() if b.link is None]
        masks = []
        for path in (p.resolve() for p in self.hide if p.is_dir()):
            if self.workdir.is_relative_to(path) or path.is_relative_to(self.workdir):
                continue  # never mask the workdir itself; what is inside it is the app
            if any(path.is_relative_to(s) for s in shown):
                masks.append(str(path))
        return masks


def _bind(path: str) -> Bind:
    if os.path.islink(path):
        return Bind(path, link=os.readlink(path))
    return Bind(path)


def interpreter_paths() -> list[Path]:
    """Directories the harness interpreter needs: its prefix, base prefix and binary's dir."""
    found = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    found.add(Path(sys.executable).parent)
    return sorted(p.resolve() for p in found if p.exists())
