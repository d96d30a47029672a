"""Running one command confined: plan it, start it, cap its output, kill its whole tree."""

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from verifier._sync import run_sync
from verifier.sandbox._bwrap import bwrap_argv
from verifier.sandbox._cgroup import PidsCgroup
from verifier.sandbox._levels import CONFINED_LEVELS, isolation_level
from verifier.sandbox._mountns import mountns_argv
from verifier.sandbox._view import View

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
    isolation: str = Field(description="bwrap | mountns | rlimits (see ISOLATION_LEVELS).")
    confined: bool = Field(
        default=False,
        description="The command saw only its view: no catalog, checkout, home or host /tmp.",
    )
    elapsed_ms: float = 0.0
    truncated: bool = False
    process_limit: str = Field(default="", description="cgroup | rlimit | none")

    @property
    def ok(self) -> bool:
        """Exited 0 within the timeout."""
        return self.exit_code == 0 and not self.timed_out


# ---------------------------------------------------------------- building the command


def _wrap(cmd: str | list[str], plan: _Plan, view: View) -> list[str]:
    argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
    if plan.isolation == "bwrap":
        return bwrap_argv(view) + argv
    if plan.isolation == "mountns":
        plan.root = Path(tempfile.mkdtemp(prefix="sandbox-root-"))
        return mountns_argv(view, plan.root) + argv
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

    env: dict[str, str]
    home: Path
    isolation: str
    limits: Limits
    argv: list[str] = field(default_factory=list)
    root: Path | None = None  # the mountns backend's empty mount point for the new root
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


@dataclass(frozen=True)
class _Request:
    """What the caller asked for, beyond the command and its workdir."""

    env: dict[str, str] | None
    limits: Limits
    network: bool
    readonly: Sequence[Path] = ()
    hide: Sequence[Path] = ()


def _plan(cmd: str | list[str], workdir: Path, req: _Request) -> _Plan:
    home = Path(tempfile.mkdtemp(prefix="sandbox-home-"))
    (home / "tmp").mkdir()
    isolation = "rlimits" if req.network else isolation_level()
    plan = _Plan(scrubbed_env(home, req.env), home, isolation, req.limits)
    view = View(workdir, home, list(req.readonly), list(req.hide))
    plan.argv = _wrap(cmd, plan, view)
    plan.cgroup = PidsCgroup.create(req.limits.processes)
    if plan.cgroup is None and os.geteuid() != 0:
        # RLIMIT_NPROC counts every process of this uid, so leave room for the ones running.
        plan.nproc = _user_process_count() + req.limits.processes
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
        confined=plan.isolation in CONFINED_LEVELS,
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
    readonly: Sequence[Path] = (),
    hide: Sequence[Path] = (),
) -> SandboxResult:
    """Run ``cmd`` sandboxed in ``workdir`` without blocking the event loop.

    ``readonly``: paths inside the workdir the command may read but not change (hidden
    tests). ``hide``: directories to mask should the view otherwise show them (a task's
    catalog folder). ``network=True`` skips confinement entirely (level ``rlimits``: the
    rlimits and the scrubbed env still apply). Raises ``FileNotFoundError`` when the
    workdir does not exist.
    """
    workdir = Path(workdir).resolve()
    if not workdir.is_dir():
        raise FileNotFoundError(f"sandbox workdir {workdir} does not exist")
    request = _Request(env, limits, network, tuple(readonly), tuple(hide))
    plan = await asyncio.to_thread(_plan, cmd, workdir, request)
    try:
        return await _execute(plan, workdir, stdin, timeout_s, output_cap)
    finally:
        await asyncio.to_thread(_cleanup, plan)


def _cleanup(plan: _Plan) -> None:
    if plan.cgroup is not None:
        plan.cgroup.remove()
    shutil.rmtree(plan.home, ignore_errors=True)
    if plan.root is not None:
        shutil.rmtree(plan.root, ignore_errors=True)


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
    readonly: Sequence[Path] = (),
    hide: Sequence[Path] = (),
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
        readonly=readonly,
        hide=hide,
    )
    return run_sync(coro)
