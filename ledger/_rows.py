"""Appending episode and turn rows: the INSERTs shared by the live writer and a replay."""

from __future__ import annotations

import sqlite3

from ledger._records import EpisodeRecord, EpisodeStatus, TurnRecord


def insert_episode(
    conn: sqlite3.Connection,
    episode_id: str,
    record: EpisodeRecord,
    at: str,
    replay_key: str | None = None,
) -> None:
    """Append the episode row and its opening ``started`` status, both stamped ``at``."""
    conn.execute(
        "INSERT INTO episodes (id, run_id, started_at, task, archetype, persona, seed, record,"
        " replay_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            episode_id,
            record.run_id,
            at,
            record.task,
            record.archetype,
            record.persona,
            record.seed,
            record.model_dump_json(),
            replay_key,
        ),
    )
    conn.execute(
        "INSERT INTO episode_status (episode_id, status, at) VALUES (?, ?, ?)",
        (episode_id, EpisodeStatus.STARTED.value, at),
    )


def insert_turn(conn: sqlite3.Connection, record: TurnRecord, at: str) -> int:
    """Append ``record`` recorded ``at``; an earlier row for the same turn is superseded."""
    old = conn.execute(
        "SELECT id FROM current_turns WHERE episode_id = ? AND turn = ?",
        (record.episode_id, record.turn),
    ).fetchone()
    cur = conn.execute(
        "INSERT INTO turns (episode_id, turn, move, swarm_status, exit_code, elapsed_ms,"
        " record, recorded_at, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.episode_id,
            record.turn,
            record.move,
            record.swarm_status,
            record.exit_code,
            record.elapsed_ms,
            record.model_dump_json(),
            at,
            old["id"] if old else None,
        ),
    )
    return int(cur.lastrowid or 0)
