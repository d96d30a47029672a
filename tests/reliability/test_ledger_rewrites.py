"""The ledger is append-only for real: every way SQLite offers to rewrite a row is refused.

UPDATE and DELETE have been refused by triggers since the first schema; these pin the
other paths: ``INSERT OR REPLACE`` / ``REPLACE`` (whose implicit delete fires no delete
trigger), upserts, an explicit rowid or unique key landing on an existing row, and
schema changes (dropping a trigger, ``writable_schema``) that would switch the guard off.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ledger import (
    MIGRATIONS,
    AppendOnlyError,
    EpisodeRecord,
    ExperimentRecord,
    Ledger,
    RunRecord,
    TurnRecord,
)
from ledger._schema import APPEND_ONLY_TABLES
from verifier import DIMENSIONS, DimensionGrade, Grade, Source, Status, Verdict


def _grade(verdict: str) -> Grade:
    status = Status.PASS if verdict == "pass" else Status.FAIL
    return Grade(
        task="todo-cli",
        verdict=Verdict(verdict),
        dimensions={
            name: DimensionGrade(score=0.1, status=status, source=Source.DETERMINISTIC)
            for name in DIMENSIONS
        },
    )


@pytest.fixture
def filled(tmp_path: Path):
    """A ledger with rows in every table; its one grade set says FAIL."""
    with Ledger.open(tmp_path / ".gym") as ledger:
        run_id = ledger.start_run(RunRecord(simulated=False, suite="nightly"))
        eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="todo-cli", seed=3))
        ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="done"))
        ledger.record_grade(eid, 1, _grade("fail"))
        (tmp_path / "events.jsonl").write_text("{}\n")
        ledger.store_artifact(eid, tmp_path / "events.jsonl", "events", turn=1)
        ledger.record_experiment(ExperimentRecord(name="ab", arms={"a": run_id}))
        yield ledger


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
            for t in APPEND_ONLY_TABLES
        }


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], str | None]:
    """(columns other than an INTEGER PRIMARY KEY, that rowid-alias column or None)."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    alias = next((r[1] for r in info if r[5] == 1 and r[2].upper() == "INTEGER"), None)
    return [r[1] for r in info if r[1] != alias], alias


def _unique_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """Columns of the table's UNIQUE / non-rowid PRIMARY KEY constraints, read from SQLite."""
    cols: set[str] = set()
    for index in conn.execute(f"PRAGMA index_list({table})").fetchall():
        if index[2]:  # unique
            cols |= {r[2] for r in conn.execute(f"PRAGMA index_info({index[1]})")}
    return cols


def _plain(ledger: Ledger) -> sqlite3.Connection:
    return sqlite3.connect(ledger.path, isolation_level=None)


# ---- the break the issue found: a verdict rewritten in place ------------------------------


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
@pytest.mark.parametrize("client", ["ledger", "plain sqlite3"])
def test_replace_cannot_rewrite_a_verdict(filled, verb, client):
    before = _snapshot(filled.path)
    sql = (
        f"{verb} INTO grade_sets (id, episode_id, turn, task, stage, verdict, tampered,"
        " isolation, grader, recorded_at, supersedes)"
        " SELECT id, episode_id, turn, task, stage, 'pass', tampered, isolation, grader,"
        " recorded_at, supersedes FROM grade_sets"
    )
    if client == "ledger":
        with pytest.raises(AppendOnlyError, match="grade_sets rows cannot be replaced"):
            filled.execute_raw(sql)
    else:
        conn = _plain(filled)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
        conn.close()
    assert _snapshot(filled.path) == before
    [current] = filled.query("SELECT verdict FROM current_grade_sets")
    assert current["verdict"] == "fail"


def test_upsert_cannot_rewrite_a_verdict(filled):
    # Held before the fix too (DO UPDATE fires the UPDATE trigger); pinned so it stays so.
    before = _snapshot(filled.path)
    with pytest.raises(AppendOnlyError, match="append-only"):
        filled.execute_raw(
            "INSERT INTO grade_sets (id, episode_id, turn, task, stage, verdict, tampered,"
            " isolation, grader, recorded_at) SELECT id, episode_id, turn, task, stage, 'pass',"
            " tampered, isolation, grader, recorded_at FROM grade_sets WHERE true"
            " ON CONFLICT(id) DO UPDATE SET verdict = excluded.verdict"
        )
    assert _snapshot(filled.path) == before


def test_update_or_replace_is_refused(filled):
    # Held before the fix too; pinned beside the REPLACE paths.
    with pytest.raises(AppendOnlyError, match="grade_sets rows cannot be updated"):
        filled.execute_raw("UPDATE OR REPLACE grade_sets SET verdict = 'pass'")


# ---- every table, every key: derived from the schema, so a new unique column is covered -----


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_same_row_again_is_refused_in_every_table(filled, table, verb):
    before = _snapshot(filled.path)
    with _plain(filled) as conn:
        cols, alias = _columns(conn, table)
    listed = ", ".join(["rowid", *cols])
    with pytest.raises(AppendOnlyError, match=f"{table} rows cannot be replaced"):
        filled.execute_raw(
            f"{verb} INTO {table} ({listed}) SELECT {listed} FROM {table} ORDER BY rowid LIMIT 1"
        )
    assert _snapshot(filled.path) == before


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_an_existing_rowid_with_new_keys_is_refused(filled, table):
    """REPLACE on the bare rowid (tables with a TEXT key have one besides their id)."""
    before = _snapshot(filled.path)
    with _plain(filled) as conn:
        cols, _ = _columns(conn, table)
        unique = _unique_columns(conn, table)
    picked = ", ".join(f"{c} || '-new'" if c in unique else c for c in cols)
    with pytest.raises(AppendOnlyError, match=f"{table} rows cannot be replaced"):
        filled.execute_raw(
            f"INSERT OR REPLACE INTO {table} (rowid, {', '.join(cols)})"
            f" SELECT rowid, {picked} FROM {table} ORDER BY rowid LIMIT 1"
        )
    assert _snapshot(filled.path) == before


def _tables_with_unique_keys() -> list[str]:
    return ["schema_migrations", "runs", "episodes", "experiments"]


def test_the_unique_keys_tested_are_all_the_schema_has(filled):
    with _plain(filled) as conn:
        found = [t for t in APPEND_ONLY_TABLES if _unique_columns(conn, t)]
    assert found == _tables_with_unique_keys()


@pytest.mark.parametrize("table", _tables_with_unique_keys())
def test_an_existing_unique_key_under_a_fresh_rowid_is_refused(filled, table):
    """REPLACE colliding only on a UNIQUE / TEXT PRIMARY KEY column, not on the rowid."""
    before = _snapshot(filled.path)
    with _plain(filled) as conn:
        cols, _ = _columns(conn, table)
    with pytest.raises(AppendOnlyError, match=f"{table} rows cannot be replaced"):
        filled.execute_raw(
            f"INSERT OR REPLACE INTO {table} (rowid, {', '.join(cols)})"
            f" SELECT (SELECT max(rowid) + 1000 FROM {table}), {', '.join(cols)}"
            f" FROM {table} ORDER BY rowid LIMIT 1"
        )
    assert _snapshot(filled.path) == before


@pytest.mark.parametrize("rowid", [0, -1, -5])
def test_a_non_positive_rowid_is_refused(filled, rowid):
    """An automatic rowid reads -1 in a BEFORE trigger; no stored row may shadow that."""
    with pytest.raises(AppendOnlyError, match="rowids must be positive"):
        filled.execute_raw(
            "INSERT INTO run_status (id, run_id, status, at)"
            " SELECT ?, run_id, 'finished', at FROM run_status LIMIT 1",
            (rowid,),
        )


# ---- switching the guard off ------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TRIGGER grade_sets_no_update",
        "DROP TRIGGER grade_sets_no_replace",
        "DROP VIEW current_grade_sets",
        "DROP TABLE grades",
        "ALTER TABLE grade_sets RENAME TO old_grade_sets",
        "ALTER TABLE grade_sets ADD COLUMN note TEXT",
        "CREATE TEMP TRIGGER t BEFORE INSERT ON grade_sets BEGIN SELECT 1; END",
        "CREATE TABLE shadow (x)",
        "PRAGMA writable_schema = ON",
        "PRAGMA user_version = 99",
        "PRAGMA schema_version = 99",
        "ATTACH DATABASE ':memory:' AS other",
        "UPDATE sqlite_sequence SET seq = 0",
        "DELETE FROM sqlite_sequence",
    ],
)
def test_schema_changes_are_refused_on_the_ledgers_connection(filled, sql):
    before = _snapshot(filled.path)
    with pytest.raises(AppendOnlyError, match="append-only"):
        filled.execute_raw(sql)
    with pytest.raises(AppendOnlyError, match="append-only"):
        filled.query(sql)  # the read path runs in autocommit: it must refuse too
    assert _snapshot(filled.path) == before
    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        filled.execute_raw("UPDATE grade_sets SET verdict = 'pass'")


def test_reads_and_appends_still_work_after_refusals(filled):
    for sql in ("DROP TRIGGER runs_no_update", "REPLACE INTO runs SELECT * FROM runs"):
        with pytest.raises(AppendOnlyError):
            filled.execute_raw(sql)
    run_id = filled.start_run(RunRecord(simulated=True))
    assert [r.id for r in filled.runs(simulated=True)] == [run_id]
    assert filled.query("PRAGMA integrity_check")[0][0] == "ok"
    assert filled.query("PRAGMA user_version")[0][0] == len(MIGRATIONS)


def test_a_ledger_written_before_the_fix_gains_the_guard_when_opened(tmp_path):
    db = tmp_path / "ledger.sqlite"
    with sqlite3.connect(db) as conn:  # as the four-step schema left it
        for number, step in enumerate(MIGRATIONS[:4], start=1):
            for statement in step.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (number, step.name))
        conn.execute("PRAGMA user_version = 4")
        conn.execute("INSERT INTO runs VALUES ('r1', 'then', 'nightly', 0, 'v', 0, '{}')")
    with Ledger.open(tmp_path) as ledger:
        with pytest.raises(AppendOnlyError, match="runs rows cannot be replaced"):
            ledger.execute_raw(
                "INSERT OR REPLACE INTO runs (id, started_at, suite, simulated, code_version,"
                " seed, record) VALUES ('r1', 'now', 'forged', 1, 'v', 0, '{}')"
            )
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT suite FROM runs").fetchall() == [("nightly",)]
