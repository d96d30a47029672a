"""Appending a turn row: the one INSERT shared by the live writer and a replayed recording."""

from __future__ import annotations

import sqlite3

from ledger._records import TurnRecord


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
