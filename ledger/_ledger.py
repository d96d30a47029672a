"""The :class:`Ledger`: the one way to write and read the gym's history.

Writes are small IMMEDIATE transactions (safe across threads and processes); reads
return pydantic views of the *current* state. Nothing here updates or deletes a row.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from ledger import _artifacts, _replay
from ledger._db import Database, connect, create_file, migrate, schema_version, write_guarded
from ledger._errors import LedgerError, LedgerMissingError, NotFoundError
from ledger._recording import Recording
from ledger._records import (
    ArtifactRef,
    EpisodeRecord,
    EpisodeStatus,
    EpisodeView,
    ExperimentRecord,
    ExperimentView,
    GradeSetView,
    GradeView,
    RunRecord,
    RunStatus,
    RunView,
    TurnRecord,
    TurnView,
    utcnow,
)
from ledger._replay import Replayed, ReplayWriter
from ledger._rows import insert_episode, insert_turn
from verifier import Finding, Grade, Verdict

LEDGER_FILE = "ledger.sqlite"


def _now() -> str:
    return utcnow().isoformat()


def _new_run_id() -> str:
    # Sortable by time, unique across processes without coordination.
    return f"{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _new_id() -> str:
    return secrets.token_hex(6)


class Ledger:
    """Append-only history of runs, episodes, turns, grades, artifacts and experiments."""

    def __init__(self, gym_dir: Path, db: Database):
        self.gym_dir = gym_dir
        self._db = db

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, gym_dir: Path, *, create: bool = True) -> Ledger:
        """Open (creating and migrating when ``create``) ``<gym_dir>/ledger.sqlite``."""
        gym_dir = Path(gym_dir)
        path = gym_dir / LEDGER_FILE
        if not path.exists():
            if not create:
                raise LedgerMissingError(
                    f"no ledger at {path} (run `gym run` first or pass --gym-dir)"
                )
            _create(gym_dir, path)
        db = Database(connect(path))
        try:
            migrate(db)
        except BaseException:
            db.close()
            raise
        return cls(gym_dir, db)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self.gym_dir / LEDGER_FILE

    @property
    def schema_version(self) -> int:
        """Number of migrations applied."""
        with self._db.read() as conn:
            return schema_version(conn)

    def close(self) -> None:
        """Close the connection; the ledger object is unusable afterwards."""
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, fn: Any) -> Any:
        return write_guarded(self._db, fn)

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._db.read() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    def batch(self) -> AbstractContextManager[None]:
        """Group the writes made inside the ``with`` block into one transaction."""
        return self._db.batch()

    def execute_raw(self, sql: str, params: Iterable[Any] = ()) -> None:
        """Run one statement in a write transaction (tests use it to prove the triggers hold)."""
        self._write(lambda conn: conn.execute(sql, tuple(params)))

    # ---- runs ----------------------------------------------------------------------------

    def start_run(self, record: RunRecord) -> str:
        """Record a new run (status started) and return its id."""
        run_id, now = _new_run_id(), _now()

        def insert(conn: sqlite3.Connection) -> str:
            conn.execute(
                "INSERT INTO runs (id, started_at, suite, simulated, code_version, seed, record,"
                " swarm_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    now,
                    record.suite,
                    int(record.simulated),
                    record.code_version,
                    record.seed,
                    record.model_dump_json(),
                    record.swarm_version,
                ),
            )
            conn.execute(
                "INSERT INTO run_status (run_id, status, at) VALUES (?, ?, ?)",
                (run_id, RunStatus.STARTED.value, now),
            )
            return run_id

        return self._write(insert)

    def finish_run(self, run_id: str, status: RunStatus | str) -> None:
        """Append a status row for the run (finished, failed, interrupted)."""
        status = RunStatus(status)

        def insert(conn: sqlite3.Connection) -> None:
            _require(conn, "runs", run_id, "run")
            conn.execute(
                "INSERT INTO run_status (run_id, status, at) VALUES (?, ?, ?)",
                (run_id, status.value, _now()),
            )

        self._write(insert)

    def runs(self, *, suite: str | None = None, simulated: bool | None = None) -> list[RunView]:
        """Every run, oldest first, optionally filtered by suite and simulated flag."""
        sql = (
            "SELECT r.id, r.started_at, r.record, s.status, s.at AS status_at FROM runs r"
            " JOIN current_run_status s ON s.run_id = r.id WHERE 1=1"
        )
        params: list[Any] = []
        if suite is not None:
            sql += " AND r.suite = ?"
            params.append(suite)
        if simulated is not None:
            sql += " AND r.simulated = ?"
            params.append(int(simulated))
        return [_run_view(row) for row in self._rows(sql + " ORDER BY r.started_at, r.id", params)]

    def run(self, run_id: str) -> RunView:
        """One run by exact id; :class:`NotFoundError` when absent."""
        rows = self._rows(
            "SELECT r.id, r.started_at, r.record, s.status, s.at AS status_at FROM runs r"
            " JOIN current_run_status s ON s.run_id = r.id WHERE r.id = ?",
            (run_id,),
        )
        if not rows:
            raise NotFoundError(f"no run {run_id!r} in {self.path}")
        return _run_view(rows[0])

    def resolve_run(
        self,
        ref: str,
        *,
        suite: str | None = None,
        simulated: bool | None = None,
        exclude: str | None = None,
    ) -> str:
        """A run id from an exact id, a unique prefix, ``last`` or ``last-green``.

        ``suite``, ``simulated`` and ``exclude`` narrow what ``last``/``last-green`` pick.
        """
        if ref in ("last", "last-green"):
            return self._last_run(ref == "last-green", suite, simulated, exclude)
        rows = self._rows(
            "SELECT id FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\'", (ref, _like_prefix(ref))
        )
        ids = sorted({row["id"] for row in rows})
        if ref in ids:
            return ref
        if not ids:
            raise NotFoundError(f"no run {ref!r} in {self.path}")
        if len(ids) > 1:
            raise LedgerError(f"run id {ref!r} is ambiguous: {', '.join(ids[:5])}")
        return ids[0]

    def _last_run(
        self, green: bool, suite: str | None, simulated: bool | None, exclude: str | None
    ) -> str:
        runs = [
            r
            for r in self.runs(suite=suite, simulated=simulated)
            if r.status == RunStatus.FINISHED and r.id != exclude
        ]
        if green:
            runs = [r for r in runs if self._is_green(r.id)]
        if not runs:
            what = "green run" if green else "finished run"
            kind = {True: " simulated", False: " real", None: ""}[simulated]
            where = f" of suite {suite!r}" if suite else ""
            raise NotFoundError(f"no{kind} {what}{where} in {self.path}")
        return runs[-1].id

    def _is_green(self, run_id: str) -> bool:
        """A run is green when every episode finished with a pass verdict."""
        episodes = self.episodes(run_id)
        return bool(episodes) and all(
            e.status == EpisodeStatus.FINISHED and e.final_verdict == Verdict.PASS for e in episodes
        )

    # ---- episodes ------------------------------------------------------------------------

    def start_episode(self, record: EpisodeRecord) -> str:
        """Record a new episode (status started) and return its id."""
        episode_id, now = _new_id(), _now()

        def insert(conn: sqlite3.Connection) -> str:
            _require(conn, "runs", record.run_id, "run")
            insert_episode(conn, episode_id, record, now)
            return episode_id

        return self._write(insert)

    def finish_episode(
        self,
        episode_id: str,
        status: EpisodeStatus | str,
        final_verdict: Verdict | str | None = None,
    ) -> None:
        """Append the episode's closing status and verdict (only FINISHED counts as complete)."""
        status = EpisodeStatus(status)
        verdict = Verdict(final_verdict).value if final_verdict is not None else None

        def insert(conn: sqlite3.Connection) -> None:
            _require(conn, "episodes", episode_id, "episode")
            conn.execute(
                "INSERT INTO episode_status (episode_id, status, final_verdict, at)"
                " VALUES (?, ?, ?, ?)",
                (episode_id, status.value, verdict, _now()),
            )

        self._write(insert)

    def episodes(self, run_id: str) -> list[EpisodeView]:
        """The episodes of a run in the order they started."""
        rows = self._rows(
            "SELECT e.id, e.started_at, e.record, s.status, s.final_verdict, s.at AS status_at"
            " FROM episodes e JOIN current_episode_status s ON s.episode_id = e.id"
            " WHERE e.run_id = ? ORDER BY e.started_at, e.rowid",
            (run_id,),
        )
        return [_episode_view(row) for row in rows]

    def episode(self, episode_id: str) -> EpisodeView:
        """One episode by id; :class:`NotFoundError` when absent."""
        rows = self._rows(
            "SELECT e.id, e.started_at, e.record, s.status, s.final_verdict, s.at AS status_at"
            " FROM episodes e JOIN current_episode_status s ON s.episode_id = e.id"
            " WHERE e.id = ?",
            (episode_id,),
        )
        if not rows:
            raise NotFoundError(f"no episode {episode_id!r} in {self.path}")
        return _episode_view(rows[0])

    # ---- turns ---------------------------------------------------------------------------

    def record_turn(self, record: TurnRecord) -> int:
        """Append a turn; recording the same (episode, turn) again supersedes the earlier row."""

        def insert(conn: sqlite3.Connection) -> int:
            _require(conn, "episodes", record.episode_id, "episode")
            return insert_turn(conn, record, _now())

        return self._write(insert)

    def turns(self, episode_id: str) -> list[TurnView]:
        """The current turns of an episode, in turn order."""
        rows = self._rows(
            "SELECT id, record, recorded_at FROM current_turns WHERE episode_id = ? ORDER BY turn",
            (episode_id,),
        )
        return [
            TurnView(
                id=row["id"],
                recorded_at=datetime.fromisoformat(row["recorded_at"]),
                **json.loads(row["record"]),
            )
            for row in rows
        ]

    # ---- grades --------------------------------------------------------------------------

    def record_grade(
        self, episode_id: str, turn: int, grade: Grade, *, grader: str = "verifier"
    ) -> int:
        """Append a Grade (one row per dimension); it supersedes the turn's current grade."""
        return self._write(lambda conn: _insert_grade(conn, episode_id, turn, grade, grader))

    def record_grades(
        self, items: Iterable[tuple[str, int, Grade]], *, grader: str = "verifier"
    ) -> list[int]:
        """Append many Grades in one transaction (bulk import, regrade)."""
        items = list(items)
        return self._write(lambda conn: [_insert_grade(conn, e, t, g, grader) for e, t, g in items])

    def grade_sets(self, episode_id: str) -> list[GradeSetView]:
        """The current grade of each turn of an episode (verdict level)."""
        rows = self._rows(
            "SELECT * FROM current_grade_sets WHERE episode_id = ? ORDER BY turn", (episode_id,)
        )
        return [_grade_set_view(row) for row in rows]

    def grades(self, episode_id: str, *, include_superseded: bool = False) -> list[GradeView]:
        """Dimension rows of an episode: current only, or the whole history."""
        source = (
            "grades d JOIN grade_sets g ON g.id = d.grade_set"
            if include_superseded
            else ("current_grades d JOIN grade_sets g ON g.id = d.grade_set")
        )
        rows = self._rows(
            f"SELECT d.*, g.grader AS grader_name FROM {source} WHERE d.episode_id = ?"
            " ORDER BY d.turn, d.id",
            (episode_id,),
        )
        return [_grade_view(row) for row in rows]

    # ---- artifacts -----------------------------------------------------------------------

    def store_artifact(
        self, episode_id: str, src: Path, kind: str, *, turn: int | None = None
    ) -> ArtifactRef:
        """Copy ``src`` into the store (a directory becomes a .tar.gz) and record it."""
        self.episode(episode_id)
        stored = _artifacts.copy_in(self.gym_dir, episode_id, Path(src), kind, turn)
        ref = ArtifactRef(
            episode_id=episode_id,
            kind=kind,
            turn=turn,
            path=stored.relative_to(self.gym_dir).as_posix(),
            sha256=_artifacts.sha256_of(stored),
            size=stored.stat().st_size,
        )

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO artifacts (episode_id, turn, kind, path, sha256, size, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (episode_id, turn, kind, ref.path, ref.sha256, ref.size, _now()),
            )
            return int(cur.lastrowid or 0)

        return ref.model_copy(update={"id": self._write(insert)})

    def artifacts(self, episode_id: str, *, kind: str | None = None) -> list[ArtifactRef]:
        """Artifacts of an episode, optionally of one kind, in the order stored."""
        sql, params = "SELECT * FROM artifacts WHERE episode_id = ?", [episode_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        return [
            ArtifactRef(
                id=r["id"],
                episode_id=r["episode_id"],
                kind=r["kind"],
                turn=r["turn"],
                path=r["path"],
                sha256=r["sha256"],
                size=r["size"],
            )
            for r in self._rows(sql + " ORDER BY id", params)
        ]

    def artifact_path(self, ref: ArtifactRef) -> Path:
        """The stored file of ``ref`` after verifying its sha256 (:class:`ArtifactError`)."""
        return _artifacts.verified_path(self.gym_dir, ref.path, ref.sha256)

    def extract_tree(self, ref: ArtifactRef, dest: Path) -> Path:
        """Verify and unpack a stored tree archive into ``dest``."""
        return _artifacts.extract_tree(self.artifact_path(ref), Path(dest))

    # ---- replays: episodes recorded elsewhere (a Ray worker) ------------------------------

    def replay(self, recording: Recording, *, key: str) -> Replayed:
        """Apply a :class:`RecordingLedger`'s writes in one transaction, once per ``key``.

        ``key`` names the attempt (e.g. run, episode index, attempt); replaying a key that
        is already in the ledger writes nothing and returns the ids it got the first time.
        """
        writer = ReplayWriter(self.gym_dir, _new_id, _now, _insert_grade)

        def insert(conn: sqlite3.Connection) -> Replayed:
            _require(conn, "runs", recording.run_id, "run")
            return _replay.apply(conn, writer, recording, key)

        return self._write(insert)

    def replay_keys(self, run_id: str) -> list[str]:
        """The replay keys of a run's episodes, in the order they landed."""
        rows = self._rows(
            "SELECT replay_key FROM episodes WHERE run_id = ? AND replay_key IS NOT NULL"
            " ORDER BY rowid",
            (run_id,),
        )
        return [row["replay_key"] for row in rows]

    # ---- experiments ---------------------------------------------------------------------

    def record_experiment(self, record: ExperimentRecord, *, supersedes: str | None = None) -> str:
        """Append an A/B experiment (or a correction of an earlier one) and return its id."""
        exp_id = _new_id()

        def insert(conn: sqlite3.Connection) -> str:
            if supersedes is not None:
                _require(conn, "experiments", supersedes, "experiment")
            conn.execute(
                "INSERT INTO experiments (id, name, recorded_at, decision, simulated, record,"
                " supersedes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    exp_id,
                    record.name,
                    _now(),
                    record.decision,
                    int(record.simulated),
                    record.model_dump_json(),
                    supersedes,
                ),
            )
            return exp_id

        return self._write(insert)

    def experiments(self) -> list[ExperimentView]:
        """Current experiments (corrections replace what they supersede), oldest first."""
        rows = self._rows("SELECT * FROM current_experiments ORDER BY recorded_at, id")
        return [
            ExperimentView(
                id=r["id"],
                recorded_at=datetime.fromisoformat(r["recorded_at"]),
                **json.loads(r["record"]),
            )
            for r in rows
        ]

    # ---- bulk reads for reports and export -----------------------------------------------

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read-only SQL for the report and export builders (views and tables are public)."""
        return self._rows(sql, params)

    def query_table(self, sql: str, params: Iterable[Any] = ()) -> tuple[list[str], list[tuple]]:
        """Column names and plain tuples: the fast path for bulk reads into pandas."""
        with self._db.read() as conn:
            cursor = conn.cursor()
            cursor.row_factory = None
            rows = cursor.execute(sql, tuple(params)).fetchall()
            return [d[0] for d in cursor.description], rows


# ---- opening -------------------------------------------------------------------------------


def _create(gym_dir: Path, path: Path) -> None:
    """Create the gym directory and a migrated ledger; on failure remove a directory we made."""
    made = not gym_dir.exists()
    try:
        gym_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create the gym directory {gym_dir}: {exc}") from None
    try:
        create_file(path)
    except LedgerError:
        if made:
            with contextlib.suppress(OSError):
                gym_dir.rmdir()  # only when still empty: nothing of anyone else's is removed
        raise


# ---- row helpers ---------------------------------------------------------------------------


def _like_prefix(ref: str) -> str:
    escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _require(conn: sqlite3.Connection, table: str, row_id: str, what: str) -> None:
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
        raise NotFoundError(f"no {what} {row_id!r} in the ledger")


def _insert_grade(
    conn: sqlite3.Connection, episode_id: str, turn: int, grade: Grade, grader: str
) -> int:
    _require(conn, "episodes", episode_id, "episode")
    old = conn.execute(
        "SELECT id FROM current_grade_sets WHERE episode_id = ? AND turn = ?", (episode_id, turn)
    ).fetchone()
    cur = conn.execute(
        "INSERT INTO grade_sets (episode_id, turn, task, stage, verdict, tampered, isolation,"
        " grader, recorded_at, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            episode_id,
            turn,
            grade.task,
            grade.stage,
            grade.verdict.value,
            int(grade.tampered),
            grade.isolation,
            grader,
            _now(),
            old["id"] if old else None,
        ),
    )
    set_id = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO grades (grade_set, episode_id, turn, dimension, score, status, source,"
        " findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                set_id,
                episode_id,
                turn,
                name,
                dim.score,
                dim.status.value,
                dim.source.value,
                json.dumps([f.model_dump(mode="json") for f in dim.findings]),
            )
            for name, dim in grade.dimensions.items()
        ],
    )
    return set_id


def _run_view(row: sqlite3.Row) -> RunView:
    return RunView(
        id=row["id"],
        started_at=datetime.fromisoformat(row["started_at"]),
        status=RunStatus(row["status"]),
        status_at=datetime.fromisoformat(row["status_at"]),
        **json.loads(row["record"]),
    )


def _episode_view(row: sqlite3.Row) -> EpisodeView:
    verdict = row["final_verdict"]
    return EpisodeView(
        id=row["id"],
        started_at=datetime.fromisoformat(row["started_at"]),
        status=EpisodeStatus(row["status"]),
        status_at=datetime.fromisoformat(row["status_at"]),
        final_verdict=Verdict(verdict) if verdict else None,
        **json.loads(row["record"]),
    )


def _grade_set_view(row: sqlite3.Row) -> GradeSetView:
    return GradeSetView(
        id=row["id"],
        episode_id=row["episode_id"],
        turn=row["turn"],
        task=row["task"],
        stage=row["stage"],
        verdict=Verdict(row["verdict"]),
        tampered=bool(row["tampered"]),
        grader=row["grader"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
    )


def _grade_view(row: sqlite3.Row) -> GradeView:
    return GradeView(
        id=row["id"],
        grade_set=row["grade_set"],
        episode_id=row["episode_id"],
        turn=row["turn"],
        dimension=row["dimension"],
        score=row["score"],
        status=row["status"],
        source=row["source"],
        grader=row["grader_name"],
        findings=[Finding.model_validate(f) for f in json.loads(row["findings"])],
    )
