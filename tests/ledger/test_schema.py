"""The schema is an ordered list of named migrations; the file knows its version."""

from __future__ import annotations

import sqlite3

import pytest

from ledger import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Ledger,
    LedgerCorruptError,
    LedgerMissingError,
    LedgerVersionError,
)

EXPECTED_TABLES = {
    "schema_migrations": ["id", "name", "applied_at"],
    "runs": [
        "id",
        "started_at",
        "suite",
        "simulated",
        "code_version",
        "seed",
        "record",
        "swarm_version",
    ],
    "run_status": ["id", "run_id", "status", "at"],
    "episodes": [
        "id",
        "run_id",
        "started_at",
        "task",
        "archetype",
        "persona",
        "seed",
        "record",
        "replay_key",
    ],
    "episode_status": ["id", "episode_id", "status", "final_verdict", "at"],
    "turns": [
        "id",
        "episode_id",
        "turn",
        "move",
        "swarm_status",
        "exit_code",
        "elapsed_ms",
        "record",
        "recorded_at",
        "supersedes",
    ],
    "grade_sets": [
        "id",
        "episode_id",
        "turn",
        "task",
        "stage",
        "verdict",
        "tampered",
        "isolation",
        "grader",
        "recorded_at",
        "supersedes",
    ],
    "grades": [
        "id",
        "grade_set",
        "episode_id",
        "turn",
        "dimension",
        "score",
        "status",
        "source",
        "findings",
    ],
    "artifacts": ["id", "episode_id", "turn", "kind", "path", "sha256", "size", "recorded_at"],
    "experiments": ["id", "name", "recorded_at", "decision", "simulated", "record", "supersedes"],
}
EXPECTED_VIEWS = {
    "current_run_status",
    "current_episode_status",
    "current_turns",
    "current_grade_sets",
    "current_grades",
    "current_experiments",
}
EXPECTED_INDEXES = {
    "run_status_run",
    "episodes_run",
    "episode_status_episode",
    "turns_episode",
    "turns_supersedes",
    "grade_sets_episode",
    "grade_sets_supersedes",
    "grades_set",
    "grades_episode",
    "artifacts_episode",
    "experiments_supersedes",
    "episodes_replay_key",
}


def _objects(path, kind):
    with sqlite3.connect(path) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
                (kind,),
            )
        }


def test_blank_database_migrates_to_the_exact_schema(tmp_path):
    Ledger.open(tmp_path).close()
    db = tmp_path / "ledger.sqlite"
    assert _objects(db, "table") == set(EXPECTED_TABLES)
    with sqlite3.connect(db) as conn:
        for table, columns in EXPECTED_TABLES.items():
            assert [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] == columns, table
        applied = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY id")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert _objects(db, "view") == EXPECTED_VIEWS
    assert _objects(db, "index") == EXPECTED_INDEXES
    assert _objects(db, "trigger") == {
        f"{t}_{v}"
        for t in EXPECTED_TABLES
        for v in ("no_update", "no_delete", "no_replace", "positive_rowid")
    }
    assert (
        applied
        == [m.name for m in MIGRATIONS]
        == [
            "001_tables",
            "002_append_only",
            "003_current_views",
            "004_indexes",
            "005_no_replace",
            "006_swarm_version",
            "007_episode_replay_key",
        ]
    )
    assert version == SCHEMA_VERSION == 7
    assert mode == "wal"


def test_reopening_applies_no_migration_twice(tmp_path):
    Ledger.open(tmp_path).close()
    with Ledger.open(tmp_path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
    with sqlite3.connect(tmp_path / "ledger.sqlite") as conn:
        applied = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert applied == len(MIGRATIONS)


def test_a_partly_migrated_ledger_is_brought_up_to_date(tmp_path):
    db = tmp_path / "ledger.sqlite"
    with sqlite3.connect(db) as conn:  # as an older gym with only the first step would leave it
        for statement in MIGRATIONS[0].statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (1, '001_tables', 'then')")
        conn.execute("PRAGMA user_version = 1")
    with Ledger.open(tmp_path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
    assert "current_grades" in _objects(db, "view")


def test_ledger_from_a_newer_schema_is_refused_with_both_versions(tmp_path):
    Ledger.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "ledger.sqlite") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    with pytest.raises(LedgerVersionError) as err:
        Ledger.open(tmp_path)
    assert str(err.value) == (
        f"ledger schema version {SCHEMA_VERSION + 3} is newer than this "
        f"gym's version {SCHEMA_VERSION}; upgrade swarm-gym to read it"
    )


def test_corrupt_file_is_refused_in_one_line(tmp_path):
    (tmp_path / "ledger.sqlite").write_bytes(b"this is not sqlite at all\n" * 200)
    with pytest.raises(LedgerCorruptError) as err:
        Ledger.open(tmp_path)
    assert "not a readable ledger" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_ledger_is_refused_when_not_creating(tmp_path):
    with pytest.raises(LedgerMissingError, match="no ledger at"):
        Ledger.open(tmp_path / "nowhere", create=False)
    assert not (tmp_path / "nowhere").exists()


def test_a_gym_dir_that_is_a_file_is_one_clear_error(tmp_path):
    from ledger import LedgerError

    (tmp_path / "taken").write_text("not a directory")
    with pytest.raises(LedgerError, match="cannot create the gym directory"):
        Ledger.open(tmp_path / "taken")
