"""What to do after a failed attempt, by error class (mirrors ``brain``'s error tree).

- transient (connection refused, 5xx, stalled stream): run again, on a different free
  device when there is one, with no hint — the model did nothing wrong;
- content (unparseable output, bad tool arguments, a judge stop): run again with the
  exact error as ``SUPERVISOR NOTE — your previous attempt was stopped: …``;
- fatal (401, unknown model): fail now.

Content retries stop when the task's owned files did not change between two failed
attempts — the worker is stuck, not progressing — rather than after a fixed count;
``retry.max_attempts`` is only the hard ceiling.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from swarm._paths import owned_path
from swarm.knobs import register_knob
from swarm.protocols import ErrorClass, Subtask

MAX_ATTEMPTS = register_knob(
    "retry.max_attempts",
    int,
    6,
    # A ceiling, not the stop rule: content retries already stop when output stops
    # changing. Six lets a transient outage ride over two device switches and a couple of
    # content corrections; beyond that a task is burning the run's time budget.
    "Hard ceiling on attempts per task (judge restarts included).",
    bounds=(1, 20),
    tunable=True,
)

NOTE_PREFIX = "SUPERVISOR NOTE — your previous attempt was stopped: "


class RetryAction(StrEnum):
    """The decision after a failed attempt."""

    RETRY = "retry"
    FAIL = "fail"


@dataclass(frozen=True)
class RetryDecision:
    """Retry (with an optional note, avoiding a device) or fail (with the reason)."""

    action: RetryAction
    reason: str
    note: str | None = None
    avoid_device: str | None = None


def supervisor_note(reason: str) -> str:
    """The note a content retry or judge restart starts its prompt with."""
    return NOTE_PREFIX + reason


def decide_retry(
    error_class: ErrorClass,
    error: str,
    *,
    attempts: int,
    max_attempts: int,
    device: str,
    fingerprint: str | None,
    previous_fingerprint: str | None,
) -> RetryDecision:
    """Decide after attempt number ``attempts`` failed with ``error`` of ``error_class``."""
    if error_class is ErrorClass.FATAL:
        return RetryDecision(RetryAction.FAIL, error)
    if attempts >= max_attempts:
        return RetryDecision(RetryAction.FAIL, f"gave up after {attempts} attempts: {error}")
    if error_class is ErrorClass.TRANSIENT:
        return RetryDecision(RetryAction.RETRY, error, avoid_device=device)
    if fingerprint is not None and fingerprint == previous_fingerprint:
        return RetryDecision(
            RetryAction.FAIL,
            f"no progress: owned files unchanged between two failed attempts: {error}",
        )
    return RetryDecision(RetryAction.RETRY, error, note=supervisor_note(error))


def files_fingerprint(task: Subtask, workdir: Path | None) -> str | None:
    """A hash of the task's owned files on disk (None without a workdir or owned files).

    Reads only the task's own few files, so it is cheap enough for the event loop.
    """
    if workdir is None or not task.owned_files:
        return None
    digest = hashlib.sha256()
    for rel in sorted(task.owned_files):
        path = owned_path(workdir, rel)
        digest.update(rel.encode() + b"\0")
        digest.update(path.read_bytes() if path and path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def read_owned_files(task: Subtask, workdir: Path | None) -> dict[str, str]:
    """The non-empty owned files on disk, to seed a restarted attempt with its own work."""
    if workdir is None:
        return {}
    found = {}
    for rel in task.owned_files:
        path = owned_path(workdir, rel)
        if path is not None and path.is_file() and path.stat().st_size > 0:
            found[rel] = path.read_text(encoding="utf-8", errors="replace")
    return found
