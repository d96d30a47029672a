"""Shell the swarm for one turn (contract 2) and capture what really happened.

The swarm runs in its own process group so a timeout or Ctrl-C reaches every
process it started; the exit code and stderr are the real ones, never inferred.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

#: Seconds the swarm gets to finish cleanly after SIGINT/SIGTERM before SIGKILL.
KILL_GRACE_S = 5.0
#: Extra seconds past the swarm's own --timeout-s before the harness kills it: the swarm
#: should stop itself and still write its report; this is the backstop.
TIMEOUT_SLACK_S = 30.0
#: Bytes of each output stream the harness keeps (in memory, hence in the turn's files): a
#: swarm writing without end must not grow the harness. The JSON report is the end of stdout
#: and the reason for a crash the end of stderr, so the tail is kept, plus the first bytes.
OUTPUT_CAP_BYTES = 8 * 1024 * 1024
OUTPUT_HEAD_BYTES = 64 * 1024
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SwarmCall:
    """What to run for one turn."""

    spec_file: Path
    workdir: Path
    fleet: str
    knobs: tuple[str, ...] = ()
    timeout_s: float = 900.0
    swarm_cmd: str | None = None


@dataclass(frozen=True)
class SwarmRun:
    """What one swarm process did: real exit code, output, timing."""

    argv: tuple[str, ...]
    exit_code: int | None
    stdout: str
    stderr: str
    elapsed_s: float
    timed_out: bool = False
    interrupted: bool = False


def swarm_argv(call: SwarmCall) -> list[str]:
    """The command line: ``--swarm-cmd`` (split like a shell) or this interpreter's swarm."""
    prefix = shlex.split(call.swarm_cmd) if call.swarm_cmd else [sys.executable, "-m", "swarm"]
    argv = [*prefix, "run", "--spec", str(call.spec_file), "--workdir", str(call.workdir)]
    argv += ["--fleet", call.fleet, "--output-format", "json", "--timeout-s", f"{call.timeout_s:g}"]
    for knob in call.knobs:
        argv += ["--knob", knob]
    return argv


async def run_swarm(call: SwarmCall, *, pid_file: Path | None = None) -> SwarmRun:
    """Run the swarm to completion, a timeout, or cancellation (which stops it cleanly).

    ``pid_file`` receives the process-group id while it runs, so a harness killed
    with SIGKILL can stop the orphaned swarm when the run is resumed.
    """
    argv = swarm_argv(call)
    started = time.monotonic()
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=call.workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return SwarmRun(tuple(argv), None, "", f"cannot start swarm: {exc}", 0.0)
    if pid_file is not None:
        try:
            pid_file.write_text(str(proc.pid), encoding="utf-8")
        except OSError:  # e.g. a full disk: without its pid file the swarm would be an orphan
            await stop_group(proc.pid, signal.SIGKILL)
            await proc.wait()
            raise
    outcome = await _wait(proc, call.timeout_s + TIMEOUT_SLACK_S)
    if pid_file is not None:
        pid_file.unlink(missing_ok=True)
    stdout, stderr, timed_out, interrupted = outcome
    return SwarmRun(
        tuple(argv),
        proc.returncode,
        stdout,
        stderr,
        time.monotonic() - started,
        timed_out=timed_out,
        interrupted=interrupted,
    )


async def _wait(proc: asyncio.subprocess.Process, limit_s: float) -> tuple[str, str, bool, bool]:
    communicate = asyncio.ensure_future(_collect(proc))
    try:
        out, err = await asyncio.wait_for(asyncio.shield(communicate), limit_s)
        return out, err, False, False
    except TimeoutError:
        await stop_group(proc.pid, signal.SIGTERM)
        out, err = await communicate
        return out, err, True, False
    except asyncio.CancelledError:
        # Ctrl-C: the swarm lives in its own session, so the terminal's SIGINT never
        # reached it; forward it so the swarm writes its report and exits 130.
        await stop_group(proc.pid, signal.SIGINT)
        out, err = await communicate
        return out, err, False, True


class CappedOutput:
    """A stream's bytes under a ceiling: the first ``head`` bytes and the newest rest.

    The tail is a queue of chunks, so dropping old output costs nothing per byte written.
    """

    def __init__(self, cap: int = OUTPUT_CAP_BYTES, head: int = OUTPUT_HEAD_BYTES) -> None:
        self.head_cap, self.tail_cap = min(head, cap), cap - min(head, cap)
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        """Keep ``chunk`` (or what of it fits), dropping the oldest tail bytes beyond the cap."""
        room = self.head_cap - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail.append(chunk)
            self.tail_size += len(chunk)
        while self.tail_size > self.tail_cap:
            excess, first = self.tail_size - self.tail_cap, self.tail.popleft()
            if len(first) > excess:
                self.tail.appendleft(first[excess:])
            cut = min(len(first), excess)
            self.tail_size -= cut
            self.dropped += cut

    def text(self) -> str:
        """The kept output as text, with a line saying how much was dropped in between."""
        gap = f"\n[... {self.dropped} bytes of output dropped ...]\n" if self.dropped else ""
        return _text(bytes(self.head)) + gap + _text(b"".join(self.tail))


async def _drain(stream: asyncio.StreamReader | None, sink: CappedOutput) -> None:
    while stream is not None and (chunk := await stream.read(_READ_CHUNK)):
        sink.add(chunk)


async def _collect(proc: asyncio.subprocess.Process) -> tuple[str, str]:
    """Read both pipes to the end under the cap, then reap the process."""
    out, err = CappedOutput(), CappedOutput()
    await asyncio.gather(_drain(proc.stdout, out), _drain(proc.stderr, err))
    await proc.wait()
    return out.text(), err.text()


async def stop_group(pgid: int, first: signal.Signals) -> None:
    """Send ``first`` to the process group, then SIGKILL if it is still there after the grace."""
    if not _signal_group(pgid, first):
        return
    deadline = time.monotonic() + KILL_GRACE_S
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        if not _group_alive(pgid):
            return
    _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, sig: signal.Signals) -> bool:
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _group_alive(pgid: int) -> bool:
    """True while a process of the group runs; zombies (dead, not yet reaped) do not count."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False
    return any(_stat_fields(p)[:2] == (pgid, True) for p in proc.glob("[0-9]*/stat"))


def _stat_fields(stat: Path) -> tuple[int, bool]:
    """(process group, running?) from /proc/<pid>/stat; fields after the ')' of the name."""
    try:
        rest = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return (-1, False)
    return (int(rest[2]), rest[0] != "Z")


def kill_orphan(pid_file: Path) -> None:
    """Kill the swarm group recorded in ``pid_file`` by a harness that died (resume path).

    The group leader must still be a swarm run for this workdir's episode: a pid reused
    by an unrelated process since is left alone.
    """
    try:
        pgid = int(pid_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return
    if _is_swarm_run(pgid):
        _signal_group(pgid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)


def _is_swarm_run(pid: int) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not Path("/proc").is_dir():
        return True  # no way to check: trust the pid file the harness wrote itself
    try:
        argv = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    return b"run" in argv and b"--workdir" in argv


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")
