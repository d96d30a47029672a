"""Apply a :class:`Recording` to the ledger exactly once.

The whole recording is one transaction: either every write lands or none does. Its
episode rows carry the caller's idempotency key (``episodes.replay_key``, unique), so
replaying the same recording again — a retried task, a driver that replays after a
restart — finds the key and writes nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ledger import _artifacts
from ledger._errors import ArtifactError, LedgerError
from ledger._recording import (
    FinishedEpisode,
    RecordedArtifact,
    RecordedGrade,
    RecordedTurn,
    Recording,
    StartedEpisode,
    Write,
)
from ledger._rows import insert_episode, insert_turn


@dataclass(frozen=True)
class Replayed:
    """What a replay did: provisional id -> ledger id, and whether anything was written."""

    episode_ids: dict[str, str]
    #: False when the key was already in the ledger (a repeat: nothing written).
    written: bool


@dataclass(frozen=True)
class ReplayWriter:
    """The ledger's writes a replay is made of, bound to one open transaction."""

    gym_dir: Path
    new_id: Callable[[], str]
    now: Callable[[], str]
    insert_grade: Callable[..., int]


def keys_for(recording: Recording, key: str) -> dict[str, str]:
    """The idempotency key of each episode: ``key`` for the first, ``key#n`` after it."""
    starts = [w for w in recording.writes if isinstance(w, StartedEpisode)]
    return {s.provisional_id: key if n == 1 else f"{key}#{n}" for n, s in enumerate(starts, 1)}


def already_replayed(conn: sqlite3.Connection, keys: dict[str, str]) -> dict[str, str] | None:
    """Provisional id -> ledger id when every key is in the ledger; None when none is."""
    found = {}
    for provisional, key in keys.items():
        row = conn.execute("SELECT id FROM episodes WHERE replay_key = ?", (key,)).fetchone()
        if row is not None:
            found[provisional] = row["id"]
    if found and len(found) != len(keys):
        raise LedgerError("a replay key is partly in the ledger; the ledger is inconsistent")
    return found or None


def apply(
    conn: sqlite3.Connection, writer: ReplayWriter, recording: Recording, key: str
) -> Replayed:
    """Write the recording in order, mapping provisional ids to new ledger ids."""
    keys = keys_for(recording, key)
    done = already_replayed(conn, keys)
    if done is not None:
        return Replayed(done, written=False)
    ids = {p: writer.new_id() for p in keys}
    for write in recording.writes:
        _apply_one(conn, writer, write, ids, keys, recording.run_id)
    return Replayed(ids, written=True)


def _apply_one(
    conn: sqlite3.Connection,
    writer: ReplayWriter,
    write: Write,
    ids: dict[str, str],
    keys: dict[str, str],
    run_id: str,
) -> None:
    if isinstance(write, StartedEpisode):
        if write.record.run_id != run_id:
            raise LedgerError(f"recording of run {run_id!r} holds an episode of another run")
        eid = ids[write.provisional_id]
        insert_episode(conn, eid, write.record, writer.now(), keys[write.provisional_id])
    elif isinstance(write, RecordedTurn):
        record = write.record.model_copy(update={"episode_id": ids[write.record.episode_id]})
        insert_turn(conn, record, writer.now())
    elif isinstance(write, RecordedGrade):
        eid = ids[write.provisional_id]
        writer.insert_grade(conn, eid, write.turn, write.grade, write.grader)
    elif isinstance(write, RecordedArtifact):
        _insert_artifact(conn, writer, ids[write.provisional_id], write)
    elif isinstance(write, FinishedEpisode):
        _insert_status(conn, writer, ids[write.provisional_id], write)


def _insert_artifact(
    conn: sqlite3.Connection, writer: ReplayWriter, episode_id: str, write: RecordedArtifact
) -> None:
    if _artifacts_digest(write.data) != write.sha256:
        raise ArtifactError(f"artifact {write.name} arrived damaged (sha256 differs)")
    stored = _artifacts.write_packed(writer.gym_dir, episode_id, write.name, write.data)
    conn.execute(
        "INSERT INTO artifacts (episode_id, turn, kind, path, sha256, size, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            episode_id,
            write.turn,
            write.kind,
            stored.relative_to(writer.gym_dir).as_posix(),
            write.sha256,
            len(write.data),
            writer.now(),
        ),
    )


def _artifacts_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _insert_status(
    conn: sqlite3.Connection, writer: ReplayWriter, episode_id: str, write: FinishedEpisode
) -> None:
    verdict = write.final_verdict.value if write.final_verdict is not None else None
    conn.execute(
        "INSERT INTO episode_status (episode_id, status, final_verdict, at) VALUES (?, ?, ?, ?)",
        (episode_id, write.status.value, verdict, writer.now()),
    )
