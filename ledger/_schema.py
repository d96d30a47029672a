"""The ledger schema as an ordered list of named migrations (never edit a shipped step).

Each step is a tuple of SQL statements applied in one transaction and recorded in
``schema_migrations``; ``PRAGMA user_version`` holds the number of steps applied, so a
ledger written by newer code is recognised and refused instead of misread.

Append-only is enforced in the database itself: every table gets triggers that abort
UPDATE and DELETE, and an INSERT whose key (rowid, primary or unique key) already exists,
because ``INSERT OR REPLACE`` / ``REPLACE`` / upserts would otherwise delete the old row
without firing any delete trigger. Status changes and corrections are new rows; the
``current_*`` views pick the latest status and the rows nothing supersedes.
"""

from __future__ import annotations

from dataclasses import dataclass

APPEND_ONLY_TABLES = (
    "schema_migrations",
    "runs",
    "run_status",
    "episodes",
    "episode_status",
    "turns",
    "grade_sets",
    "grades",
    "artifacts",
    "experiments",
)


@dataclass(frozen=True)
class Migration:
    """One named schema step."""

    name: str
    statements: tuple[str, ...]


def _refuse_changes(table: str) -> tuple[str, ...]:
    """Triggers that make ``table`` append-only."""
    return tuple(
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'ledger is append-only: {table} rows cannot be "
        f"{'updated' if verb == 'UPDATE' else 'deleted'}'); END"
        for verb in ("UPDATE", "DELETE")
    )


_TABLES = (
    """CREATE TABLE schema_migrations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        applied_at TEXT NOT NULL)""",
    """CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        suite TEXT NOT NULL,
        simulated INTEGER NOT NULL,
        code_version TEXT NOT NULL,
        seed INTEGER NOT NULL,
        record TEXT NOT NULL)""",
    """CREATE TABLE run_status (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id),
        status TEXT NOT NULL,
        at TEXT NOT NULL)""",
    """CREATE TABLE episodes (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id),
        started_at TEXT NOT NULL,
        task TEXT NOT NULL,
        archetype TEXT NOT NULL,
        persona TEXT NOT NULL,
        seed INTEGER NOT NULL,
        record TEXT NOT NULL)""",
    """CREATE TABLE episode_status (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id TEXT NOT NULL REFERENCES episodes(id),
        status TEXT NOT NULL,
        final_verdict TEXT,
        at TEXT NOT NULL)""",
    """CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id TEXT NOT NULL REFERENCES episodes(id),
        turn INTEGER NOT NULL,
        move TEXT NOT NULL,
        swarm_status TEXT NOT NULL,
        exit_code INTEGER,
        elapsed_ms INTEGER NOT NULL,
        record TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        supersedes INTEGER REFERENCES turns(id))""",
    """CREATE TABLE grade_sets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id TEXT NOT NULL REFERENCES episodes(id),
        turn INTEGER NOT NULL,
        task TEXT NOT NULL,
        stage INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        tampered INTEGER NOT NULL,
        isolation TEXT NOT NULL,
        grader TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        supersedes INTEGER REFERENCES grade_sets(id))""",
    """CREATE TABLE grades (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        grade_set INTEGER NOT NULL REFERENCES grade_sets(id),
        episode_id TEXT NOT NULL REFERENCES episodes(id),
        turn INTEGER NOT NULL,
        dimension TEXT NOT NULL,
        score REAL NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        findings TEXT NOT NULL)""",
    """CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id TEXT NOT NULL REFERENCES episodes(id),
        turn INTEGER,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        recorded_at TEXT NOT NULL)""",
    """CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        decision TEXT NOT NULL,
        simulated INTEGER NOT NULL,
        record TEXT NOT NULL,
        supersedes TEXT REFERENCES experiments(id))""",
)

_VIEWS = (
    # The latest status row is the current one (ids grow monotonically per database).
    """CREATE VIEW current_run_status AS
        SELECT s.run_id, s.status, s.at FROM run_status s
        WHERE s.id = (SELECT max(id) FROM run_status WHERE run_id = s.run_id)""",
    """CREATE VIEW current_episode_status AS
        SELECT s.episode_id, s.status, s.final_verdict, s.at FROM episode_status s
        WHERE s.id = (SELECT max(id) FROM episode_status WHERE episode_id = s.episode_id)""",
    """CREATE VIEW current_turns AS
        SELECT * FROM turns t WHERE NOT EXISTS (SELECT 1 FROM turns n WHERE n.supersedes = t.id)""",
    """CREATE VIEW current_grade_sets AS
        SELECT * FROM grade_sets g
        WHERE NOT EXISTS (SELECT 1 FROM grade_sets n WHERE n.supersedes = g.id)""",
    """CREATE VIEW current_grades AS
        SELECT d.*, g.grader, g.verdict FROM grades d
        JOIN current_grade_sets g ON g.id = d.grade_set""",
    """CREATE VIEW current_experiments AS
        SELECT * FROM experiments e
        WHERE NOT EXISTS (SELECT 1 FROM experiments n WHERE n.supersedes = e.id)""",
)

_INDEXES = (
    "CREATE INDEX run_status_run ON run_status(run_id)",
    "CREATE INDEX episodes_run ON episodes(run_id)",
    "CREATE INDEX episode_status_episode ON episode_status(episode_id)",
    "CREATE INDEX turns_episode ON turns(episode_id, turn)",
    "CREATE INDEX turns_supersedes ON turns(supersedes)",
    "CREATE INDEX grade_sets_episode ON grade_sets(episode_id, turn)",
    "CREATE INDEX grade_sets_supersedes ON grade_sets(supersedes)",
    "CREATE INDEX grades_set ON grades(grade_set)",
    "CREATE INDEX grades_episode ON grades(episode_id)",
    "CREATE INDEX artifacts_episode ON artifacts(episode_id)",
    "CREATE INDEX experiments_supersedes ON experiments(supersedes)",
)

#: Keys besides the rowid that a REPLACE could collide on (INTEGER PRIMARY KEYs are the rowid).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "schema_migrations": ("name",),
    "runs": ("id",),
    "episodes": ("id",),
    "experiments": ("id",),
}


def _refuse_replacement(table: str, keys: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Triggers that refuse an INSERT landing on an existing row (REPLACE, upsert, explicit key).

    A BEFORE INSERT trigger runs before conflict resolution, so the RAISE happens before
    REPLACE's implicit delete. In a BEFORE INSERT trigger an automatic rowid reads as -1,
    so no stored row may have a rowid <= 0 (the AFTER INSERT trigger) for the check to be exact.
    """
    keys = UNIQUE_KEYS.get(table, ()) if keys is None else keys
    clash = " OR ".join(["rowid = NEW.rowid", *(f"{key} = NEW.{key}" for key in keys)])
    return (
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) BEGIN "
        f"SELECT RAISE(ABORT, 'ledger is append-only: {table} rows cannot be replaced'); END",
        f"CREATE TRIGGER {table}_positive_rowid AFTER INSERT ON {table} WHEN NEW.rowid <= 0 BEGIN "
        f"SELECT RAISE(ABORT, 'ledger is append-only: {table} rowids must be positive'); END",
    )


#: The swarm checkout's ``<git sha>[+dirty]`` per run, or 'unknown' (see ledger._provenance).
_SWARM_VERSION_COLUMN = "ALTER TABLE runs ADD COLUMN swarm_version TEXT NOT NULL DEFAULT 'unknown'"

#: A replayed episode's idempotency key (run, episode, attempt), unique; NULL for episodes
#: written directly. The no-replace trigger is re-created to cover the new unique key, or an
#: INSERT OR REPLACE colliding on it would delete the earlier episode without a trigger.
_REPLAY_KEY = (
    "ALTER TABLE episodes ADD COLUMN replay_key TEXT",
    "CREATE UNIQUE INDEX episodes_replay_key ON episodes(replay_key)",
    "DROP TRIGGER episodes_no_replace",
    _refuse_replacement("episodes", ("id", "replay_key"))[0],
)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("001_tables", _TABLES),
    Migration("002_append_only", tuple(s for t in APPEND_ONLY_TABLES for s in _refuse_changes(t))),
    Migration("003_current_views", _VIEWS),
    Migration("004_indexes", _INDEXES),
    Migration(
        "005_no_replace", tuple(s for t in APPEND_ONLY_TABLES for s in _refuse_replacement(t))
    ),
    # The swarm's code version per run, queryable ("which runs ran this fix?"); rows written
    # before it read 'unknown'. ADD COLUMN fires no UPDATE trigger, so append-only holds.
    Migration("006_swarm_version", (_SWARM_VERSION_COLUMN,)),
    # Episodes run elsewhere (Ray) land through Ledger.replay, once per key.
    Migration("007_episode_replay_key", _REPLAY_KEY),
)

SCHEMA_VERSION = len(MIGRATIONS)
