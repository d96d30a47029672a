"""The one place untrusted code runs: every check, gate and worker command goes through it.

``run`` / ``run_async`` execute a command with the workdir as its current directory and:

- a hard wall-clock timeout that kills the whole process tree (process group, pid
  namespace under bubblewrap, pids cgroup when one is available);
- rlimits on CPU seconds, address space, file size and open files, and a process cap
  (a pids cgroup when the harness is root and one is writable, else ``RLIMIT_NPROC``,
  which the kernel enforces only for non-root users);
- no network: bubblewrap (``--unshare-net``; the file system read-only, with an empty
  /tmp and an empty home directory so dotfiles and keys stay unseen) when it works here,
  else a new network namespace via ``unshare``, else none (isolation ``"rlimits"``); the
  level used is reported in :attr:`SandboxResult.isolation`;
- a scrubbed environment: no parent variable whose name contains KEY, TOKEN, SECRET,
  PASSWORD or CREDENTIAL, a fresh temporary HOME and TMPDIR, the harness interpreter's
  directory first on PATH (so ``python`` is ``sys.executable`` and its venv);
- stdin from /dev/null unless given; stdout/stderr capped with a truncation marker.

``cmd`` as a string runs under ``sh -c``. Set ``SWARM_GYM_SANDBOX=netns|rlimits`` to force
a weaker isolation level (tests use it to exercise the fallbacks).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field

from verifier._pids import PidsCgroup
from verifier._sync import run_sync

__all__ = [
    "ISOLATION_LEVELS",
    "Limits",
    "SandboxResult",
    "isolation_level",
    "run",
    "run_async",
    "scrubbed_env",
]

ISOLATION_LEVELS = ("bwrap", "netns", "rlimits")
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
_READ_CHUNK = 65536
# After the main process is gone, how long to wait for stray pipe holders to close.
_DRAIN_GRACE_S = 2.0
# How often the main process is checked for exit; short against any check's runtime.
_POLL_S = 0.02


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed command."""

    cpu_s: int = 60
    memory_mb: int = 1024
    file_size_mb: int = 64
    open_files: int = 256
    processes: int = 64


class SandboxResult(BaseModel):
    """What a sandboxed command did."""

    exit_code: int | None = Field(description="None when killed by the timeout.")
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    isolation: str = Field(description="bwrap | netns | rlimits")
    elapsed_ms: float = 0.0
    truncated: bool = False
    process_limit: str = Field(default="", description="cgroup | rlimit | none")

    @property
    def ok(self) -> bool:
        """Exited 0 within the timeout."""
        return self.exit_code == 0 and not self.timed_out


# ---------------------------------------------------------------- isolation probing


def _probe(argv: list[str]) -> bool:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _bwrap_base() -> list[str]:
    return ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]


def _unshare_argv() -> list[str]:
    return ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]


@cache
def _detected_isolation() -> str:
    if shutil.which("bwrap") and _probe(
        [*_bwrap_base(), "--unshare-net", "--unshare-pid", "--die-with-parent", "true"]
    ):
        return "bwrap"
    if shutil.which("unshare") and _probe([*_unshare_argv(), "true"]):
        return "netns"
    return "rlimits"


def isolation_level() -> str:
    """The strongest isolation that works on this machine (or the forced, weaker one)."""
    detected = _detected_isolation()
    forced = os.environ.get("SWARM_GYM_SANDBOX", "").strip()
    if forced in ISOLATION_LEVELS and ISOLATION_LEVELS.index(forced) > ISOLATION_LEVELS.index(
        detected
    ):
        return forced
    return detected


# ---------------------------------------------------------------- building the command


def _interpreter_paths() -> list[Path]:
    """Directories the harness interpreter needs; re-bound when they live in a hidden dir."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    return sorted(p for p in paths if p.exists())


def _private_dirs() -> list[Path]:
    """Directories replaced by an empty tmpfs: /tmp, and the user's home (dotfiles, keys)."""
    dirs = [Path("/tmp")]
    for home in (Path.home(), Path("/root")):
        if home.is_dir() and home != Path("/") and home.resolve() not in dirs:
            dirs.append(home.resolve())
    return dirs


def _bwrap_argv(workdir: Path, home: Path) -> list[str]:
    private = _private_dirs()
    argv = _bwrap_base()
    for path in private:
        argv += ["--tmpfs", str(path)]
    for path in _interpreter_paths():  # the harness's python may live under a hidden dir
        if any(path.resolve().is_relative_to(p) for p in private):
            argv += ["--ro-bind", str(path), str(path)]
    argv += ["--bind", str(home), str(home), "--bind", str(workdir), str(workdir)]
    argv += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    return argv + ["--die-with-parent", "--new-session", "--chdir", str(workdir), "--"]


def _wrap(cmd: str | list[str], isolation: str, workdir: Path, home: Path) -> list[str]:
    argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
    if isolation == "bwrap":
        return _bwrap_argv(workdir, home) + argv
    if isolation == "netns":
        return [*_unshare_argv(), "--"] + argv
    return argv


def scrubbed_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The parent environment minus secrets, with a private HOME/TMPDIR and our python first."""
    env = {k: v for k, v in os.environ.items() if not _SECRET_NAME.search(k)}
    python_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([python_dir, env.get("PATH", "/usr/bin:/bin")])
    env.update(HOME=str(home), TMPDIR=str(home / "tmp"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONSTARTUP", None)
    env.update(extra or {})
    return env


def _user_process_count() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                continue
    return count


@dataclass
class _Plan:
    """Everything decided before the process starts."""

    argv: list[str]
    env: dict[str, str]
    home: Path
    isolation: str
    limits: Limits
    cgroup: PidsCgroup | None = None
    nproc: int | None = None

    @property
    def process_limit(self) -> str:
        """Which mechanism caps the process count."""
        if self.cgroup is not None:
            return "cgroup"
        return "rlimit" if self.nproc is not None else "none"

    def preexec(self) -> None:
        """Runs in the child between fork and exec: join the cgroup, set rlimits."""
        if self.cgroup is not None:
            self.cgroup.enter()
        mb = 1024 * 1024
        lim = self.limits
        resource.setrlimit(resource.RLIMIT_CPU, (lim.cpu_s, lim.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (lim.memory_mb * mb,) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (lim.file_size_mb * mb,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (lim.open_files,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.nproc,) * 2)


def _plan(
    cmd: str | list[str], workdir: Path, env: dict[str, str] | None, limits: Limits, network: bool
) -> _Plan:
    home = Path(tempfile.mkdtemp(prefix="sandbox-home-"))
    (home / "tmp").mkdir()
    isolation = "rlimits" if network else isolation_level()
    plan = _Plan(
        _wrap(cmd, isolation, workdir, home), scrubbed_env(home, env), home, isolation, limits
    )
    plan.cgroup = PidsCgroup.create(limits.processes)
    if plan.cgroup is None and os.geteuid() != 0:
        # RLIMIT_NPROC counts every process of this uid, so leave room for the ones running.
        plan.nproc = _user_process_count() + limits.processes
    return plan


# ---------------------------------------------------------------- running


class _Capped:
    """Reads a stream to its end, keeping at most ``cap`` bytes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0

    async def drain(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(_READ_CHUNK):
            room = self.cap - len(self.kept)
            self.kept += chunk[:room]
            self.dropped += max(0, len(chunk) - room)

    def text(self) -> str:
        text = self.kept.decode("utf-8", errors="replace")
        if self.dropped:
            text += f"\n[... output truncated: {self.dropped} more bytes ...]\n"
        return text


def _kill_tree(pid: int, plan: _Plan) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if plan.cgroup is not None:
        plan.cgroup.kill_all()


async def _finish_reading(readers: list[asyncio.Task[None]]) -> None:
    _done, pending = await asyncio.wait(readers, timeout=_DRAIN_GRACE_S)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def _execute(
    plan: _Plan, workdir: Path, stdin: str | None, timeout_s: float, cap: int
) -> SandboxResult:
    start = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        *plan.argv,
        cwd=workdir,
        env=plan.env,
        preexec_fn=plan.preexec,
        start_new_session=True,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = _Capped(cap), _Capped(cap)
    assert proc.stdout is not None and proc.stderr is not None
    readers = [
        asyncio.create_task(out.drain(proc.stdout)),
        asyncio.create_task(err.drain(proc.stderr)),
    ]
    if stdin is not None:
        asyncio.create_task(_feed(proc, stdin))
    try:
        timed_out = not await _exited(proc, timeout_s)
    finally:
        # Background children of a finished command are killed too: nothing outlives a run.
        _kill_tree(proc.pid, plan)
        await _finish_reading(readers)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), _DRAIN_GRACE_S)
    return SandboxResult(
        exit_code=None if timed_out else proc.returncode,
        stdout=out.text(),
        stderr=err.text(),
        timed_out=timed_out,
        isolation=plan.isolation,
        process_limit=plan.process_limit,
        elapsed_ms=(time.monotonic() - start) * 1000,
        truncated=bool(out.dropped or err.dropped),
    )


async def _exited(proc: asyncio.subprocess.Process, timeout_s: float) -> bool:
    """Whether the main process exited within ``timeout_s``.

    Polled rather than ``await proc.wait()``: asyncio's wait also waits for every pipe to
    close, so a background child holding stdout would turn a finished command into a timeout.
    """
    deadline = time.monotonic() + timeout_s
    while proc.returncode is None:
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_POLL_S)
    return True


async def _feed(proc: asyncio.subprocess.Process, text: str) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode())
        await proc.stdin.drain()
        proc.stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass


async def run_async(
    cmd: str | list[str],
    *,
    workdir: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float = 30.0,
    limits: Limits = Limits(),
    network: bool = False,
    output_cap: int = 30_000,
) -> SandboxResult:
    """Run ``cmd`` sandboxed in ``workdir`` without blocking the event loop.

    ``network=True`` skips network isolation (rlimits and the scrubbed env still apply).
    Raises ``FileNotFoundError`` when the workdir does not exist.
    """
    workdir = Path(workdir).resolve()
    if not workdir.is_dir():
        raise FileNotFoundError(f"sandbox workdir {workdir} does not exist")
    plan = await asyncio.to_thread(_plan, cmd, workdir, env, limits, network)
    try:
        return await _execute(plan, workdir, stdin, timeout_s, output_cap)
    finally:
        await asyncio.to_thread(_cleanup, plan)


def _cleanup(plan: _Plan) -> None:
    if plan.cgroup is not None:
        plan.cgroup.remove()
    shutil.rmtree(plan.home, ignore_errors=True)


def run(
    cmd: str | list[str],
    *,
    workdir: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float = 30.0,
    limits: Limits = Limits(),
    network: bool = False,
    output_cap: int = 30_000,
) -> SandboxResult:
    """Blocking form of :func:`run_async`; safe to call from inside a running event loop."""
    coro = run_async(
        cmd,
        workdir=workdir,
        stdin=stdin,
        env=env,
        timeout_s=timeout_s,
        limits=limits,
        network=network,
        output_cap=output_cap,
    )
    return run_sync(coro)
