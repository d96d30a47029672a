"""Stage two of the fallback: build the view inside fresh namespaces, drop privileges, exec.

Run as ``python -I -S _enter.py SPEC_JSON ARGV...`` by ``unshare --mount --net --pid --ipc
--uts --fork --kill-child`` (so this process is pid 1 of a new pid namespace, in a private
mount namespace). It is a standalone script — stdlib only, no project imports — because it
runs before any of the harness's import machinery could be trusted.

Steps: a tmpfs becomes the new root; the spec's read-only binds, a minimal ``/dev``, a fresh
``/proc``, a private ``/tmp``, the writable home and workdir, the read-only paths inside the
workdir and the masks are mounted in it; ``pivot_root`` into it and detach the old root; the
root is remounted read-only; every capability is dropped (bounding set emptied,
``SECBIT_NOROOT`` locked, no-new-privs) so a root command cannot mount, ``nsenter`` or load
its way back out. Then the command is forked and this pid 1 reaps until it exits: when pid 1
returns, the kernel kills everything left in the namespace.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME = 16384, 1 << 18, 1 << 21
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS = 24, 28, 38
SECBIT_NOROOT_AND_LOCKED = 0b11
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}
# statvfs flag -> mount flag; a read-only remount must keep the flags the kernel locked.
KEPT_FLAGS = {
    os.ST_NODEV: MS_NODEV,
    os.ST_NOEXEC: MS_NOEXEC,
    os.ST_NOATIME: MS_NOATIME,
    os.ST_NODIRATIME: MS_NODIRATIME,
    os.ST_RELATIME: MS_RELATIME,
}
EXIT_SETUP_FAILED = 125

libc = ctypes.CDLL(None, use_errno=True)


def _c(text: str | None) -> bytes | None:
    return None if text is None else text.encode()


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(src: str | None, target: str, fstype: str | None, flags: int, data: str | None = None):
    """mount(2)."""
    rc = libc.mount(_c(src), _c(target), _c(fstype), ctypes.c_ulong(flags), _c(data))
    _check(rc, f"mount {target}")


def _placeholder(source: str, target: str) -> None:
    """An empty directory or file at ``target`` for a bind of ``source`` to land on."""
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()  # noqa: SIM115 - an empty mount point, closed at once


def bind(root: str, path: str, *, writable: bool) -> None:
    """Show host ``path`` at the same path under ``root``; read-only unless ``writable``."""
    target = root + path
    _placeholder(path, target)
    mount(path, target, None, MS_BIND | MS_REC)
    if not writable:
        kept = os.statvfs(path).f_flag
        extra = sum(flag for st, flag in KEPT_FLAGS.items() if kept & st)
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | extra)


def tmpfs(target: str, mode: str, flags: int = 0) -> None:
    """A fresh tmpfs at ``target``."""
    os.makedirs(target, exist_ok=True)
    mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | flags, f"mode={mode}")


def make_dev(root: str, devices: list[str]) -> None:
    """A minimal /dev: the harmless character devices, fd links and a private /dev/shm."""
    tmpfs(root + "/dev", "0755")
    for dev in devices:
        if os.path.exists(dev):
            _placeholder(dev, root + dev)
            mount(dev, root + dev, None, MS_BIND)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    for n, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{n}", f"{root}/dev/{name}")
    tmpfs(root + "/dev/shm", "1777")


def build(spec: dict) -> None:
    """Mount the whole view under ``spec['root']``."""
    root = spec["root"]
    mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing below propagates to the host
    tmpfs(root, "0755")
    # The private /tmp first: an interpreter that lives under /tmp (a CI checkout's venv) is
    # bound on top of it, not hidden by it.
    tmpfs(root + "/tmp", "1777")
    for path, link in spec["system"]:
        if link is not None:
            os.makedirs(os.path.dirname(root + path), exist_ok=True)
            os.symlink(link, root + path)
        else:
            bind(root, path, writable=False)
    make_dev(root, spec["devices"])
    os.makedirs(root + "/proc", exist_ok=True)
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in spec["writable"]:
        bind(root, path, writable=True)
    for path in spec["protected"]:
        bind(root, path, writable=False)
    for path in spec["masked"]:
        tmpfs(root + path, "0755", MS_RDONLY)


def pivot(root: str) -> None:
    """Make ``root`` the root and detach the old one, so no path leads back to the host."""
    os.chdir(root)
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is not None:
        _check(libc.syscall(number, b".", b"."), "pivot_root")
        _check(libc.umount2(b".", MNT_DETACH), "umount old root")
    else:  # an architecture we have no syscall number for: chroot, safe once caps are gone
        os.chroot(".")
    os.chdir("/")
    mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("effective", "permitted", "inheritable")]


def drop_privileges() -> None:
    """No capability now or after any exec, even as uid 0."""
    _check(libc.prctl(PR_SET_SECUREBITS, SECBIT_NOROOT_AND_LOCKED, 0, 0, 0), "securebits")
    with open("/proc/sys/kernel/cap_last_cap") as fh:
        last = int(fh.read())
    for cap in range(last + 1):
        _check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"drop capability {cap}")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    _check(libc.capset(ctypes.byref(header), (_CapData * 2)()), "capset")


def _exit_status(status: int) -> int:
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def supervise(argv: list[str], workdir: str) -> int:
    """Fork the command; reap every orphan until it exits; return its exit status."""
    child = os.fork()
    if child == 0:
        os.setsid()  # no terminal to push input into (TIOCSTI)
        os.chdir(workdir)
        try:
            os.execvp(argv[0], argv)
        except OSError as exc:
            print(f"sandbox: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        os._exit(127)
    while True:
        pid, status = os.wait()
        if pid == child:
            return _exit_status(status)


def main() -> int:
    """Entry point: ``_enter.py SPEC_JSON ARGV...``."""
    spec, argv = json.loads(sys.argv[1]), sys.argv[2:]
    try:
        build(spec)
        pivot(spec["root"])
        drop_privileges()
    except OSError as exc:
        print(f"sandbox: cannot confine the command: {exc}", file=sys.stderr)
        return EXIT_SETUP_FAILED
    return supervise(argv, spec["workdir"])


if __name__ == "__main__":
    sys.exit(main())
