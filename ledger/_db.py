"""Opening, migrating and writing to the SQLite file safely under concurrency.

Writers take the write lock up front (``BEGIN IMMEDIATE``) so two processes never
deadlock upgrading a read lock; SQLite's busy handler waits for the lock and a bounded
retry covers the few places (WAL switch, checkpoint) where SQLite answers BUSY at once.

Every connection carries an authorizer that refuses schema changes (DROP TRIGGER would
undo append-only), ATTACH, writes to SQLite's own tables and the schema-editing pragmas,
except while :func:`migrate` applies a shipped step.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ledger._errors import AppendOnlyError, LedgerCorruptError, LedgerError, LedgerVersionError
from ledger._records import utcnow
from ledger._schema import MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")

# A writer waits this long for another process's transaction; ledger writes are small,
# so anything longer than this is a hung process, not contention.
BUSY_TIMEOUT_MS = 30_000
_RETRIES = 8
_DISK_HINT = " (is the disk full?)"


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode (we issue BEGIN ourselves) with WAL and a busy wait."""
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_disk_problem(exc):
            raise LedgerError(f"{path}: cannot open the ledger: {exc}{_DISK_HINT}") from exc
        raise LedgerCorruptError(f"{path}: not a readable ledger ({exc})") from exc
    return conn


def create_file(path: Path) -> None:
    """Create a fully migrated ledger at ``path``, or leave nothing behind.

    The schema is built in a private file (rollback journal, so it is complete once closed)
    and hard-linked into place: a full disk or a crash never leaves a half-made ledger, and
    two processes creating it at once both end up with the one that got there first.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        db = Database(sqlite3.connect(tmp, isolation_level=None, check_same_thread=False))
        try:
            migrate(db)
        finally:
            db.close()
        _link_into_place(tmp, path)
    except (sqlite3.Error, LedgerError) as exc:
        reason = str(exc).removeprefix("ledger write failed: ").removesuffix(_DISK_HINT)
        hint = _DISK_HINT if _is_disk_problem(exc) else ""
        raise LedgerError(f"cannot create the ledger {path}: {reason}{hint}") from None
    except OSError as exc:
        raise LedgerError(f"cannot create the ledger {path}: {exc.strerror or exc}") from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _link_into_place(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        return  # another process created the ledger first: use theirs
    except OSError:
        if not path.exists():  # a filesystem without hard links
            os.replace(tmp, path)


#: Authorizer actions that change the schema: allowed only while migrating.
_SCHEMA_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_ALTER_TABLE,
        sqlite3.SQLITE_CREATE_INDEX,
        sqlite3.SQLITE_CREATE_TABLE,
        sqlite3.SQLITE_CREATE_TEMP_INDEX,
        sqlite3.SQLITE_CREATE_TEMP_TABLE,
        sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
        sqlite3.SQLITE_CREATE_TEMP_VIEW,
        sqlite3.SQLITE_CREATE_TRIGGER,
        sqlite3.SQLITE_CREATE_VIEW,
        sqlite3.SQLITE_CREATE_VTABLE,
        sqlite3.SQLITE_DROP_INDEX,
        sqlite3.SQLITE_DROP_TABLE,
        sqlite3.SQLITE_DROP_TEMP_INDEX,
        sqlite3.SQLITE_DROP_TEMP_TABLE,
        sqlite3.SQLITE_DROP_TEMP_TRIGGER,
        sqlite3.SQLITE_DROP_TEMP_VIEW,
        sqlite3.SQLITE_DROP_TRIGGER,
        sqlite3.SQLITE_DROP_VIEW,
        sqlite3.SQLITE_DROP_VTABLE,
    }
)
_ROW_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})
#: Pragmas that, when set, edit the schema behind the triggers' back or fake the version.
_SCHEMA_PRAGMAS = frozenset({"writable_schema", "schema_version", "user_version"})


class _Guard:
    """The connection's authorizer: append-only for the schema, not just for rows."""

    def __init__(self) -> None:
        self.migrating = False

    def __call__(self, action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        if self.migrating:
            return sqlite3.SQLITE_OK
        refused = (
            action in _SCHEMA_ACTIONS
            or action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH)
            or (action in _ROW_WRITES and (arg1 or "").lower().startswith("sqlite_"))
            or (action == sqlite3.SQLITE_PRAGMA and _sets_schema_pragma(arg1, arg2))
        )
        return sqlite3.SQLITE_DENY if refused else sqlite3.SQLITE_OK


def _sets_schema_pragma(name: str | None, value: str | None) -> bool:
    name = (name or "").lower()
    return name in _SCHEMA_PRAGMAS and (value is not None or name == "writable_schema")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _retry_busy(fn: Callable[[], T]) -> T:
    """Run ``fn``, retrying with backoff while SQLite reports the database busy."""
    for attempt in range(_RETRIES):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == _RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


class Database:
    """A connection shared by the threads of one process, writes serialised by a lock."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._lock = threading.RLock()
        self._batch_depth = 0
        self._guard = _Guard()
        conn.set_authorizer(self._guard)

    @contextmanager
    def migrating(self) -> Iterator[None]:
        """Lift the schema guard while a shipped migration step is applied."""
        with self._lock:
            self._guard.migrating = True
            try:
                yield
            finally:
                self._guard.migrating = False

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` inside one IMMEDIATE transaction, retried whole if the file is busy."""
        with self._lock:
            if self._batch_depth:  # inside batch(): the batch's transaction holds the lock
                return fn(self.conn)
            return _retry_busy(lambda: self._transaction(fn))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (bulk imports); all or nothing."""
        with self._lock:
            if self._batch_depth:
                self._batch_depth += 1
                try:
                    yield
                finally:
                    self._batch_depth -= 1
                return
            _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            self._batch_depth = 1
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._batch_depth = 0

    def _transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # also after a COMMIT that answered BUSY
                self.conn.execute("ROLLBACK")
            raise
        return result

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection for a consistent read (one snapshot per statement)."""
        with self._lock:
            try:
                yield self.conn
            except sqlite3.IntegrityError as exc:
                raise _translate(exc) from exc
            except sqlite3.OperationalError as exc:
                if _is_refusal(exc) or _is_disk_problem(exc):
                    raise _translate(exc) from exc
                raise
            except sqlite3.DatabaseError as exc:  # "malformed": pages damaged after the header
                if _is_refusal(exc):
                    raise _translate(exc) from exc
                raise LedgerCorruptError(f"ledger is damaged: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.conn.close()


def _is_refusal(exc: sqlite3.Error) -> bool:
    """The authorizer refused the statement (a schema change or schema pragma)."""
    return "not authorized" in str(exc).lower()


def _is_disk_problem(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "disk i/o error" in text


def _translate(exc: sqlite3.Error) -> LedgerError:
    text = str(exc)
    if "append-only" in text:
        return AppendOnlyError(text)
    if _is_refusal(exc):
        return AppendOnlyError(f"ledger is append-only: schema changes are refused ({text})")
    if _is_disk_problem(exc):
        return LedgerError(f"ledger write failed: {text}{_DISK_HINT}")
    return LedgerError(f"ledger write failed: {text}")


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to this file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Apply every migration this file lacks; refuse a file from a newer schema."""
    found = schema_version(db.conn)
    if found > SCHEMA_VERSION:
        raise LedgerVersionError(found, SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        with db.migrating():
            write_guarded(db, _apply_missing)
    return SCHEMA_VERSION


def _apply_missing(conn: sqlite3.Connection) -> None:
    # Re-read inside the write lock: another process may have migrated meanwhile.
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise LedgerVersionError(found, SCHEMA_VERSION)
    for number, step in enumerate(MIGRATIONS[found:], start=found + 1):
        for statement in step.statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)",
            (number, step.name, utcnow().isoformat()),
        )
        conn.execute(f"PRAGMA user_version = {number}")


def write_guarded(db: Database, fn: Callable[[sqlite3.Connection], T]) -> T:
    """``db.write`` with trigger refusals turned into :class:`AppendOnlyError`."""
    try:
        return db.write(fn)
    except sqlite3.IntegrityError as exc:
        raise _translate(exc) from exc
    except sqlite3.DatabaseError as exc:
        if _is_refusal(exc) or _is_disk_problem(exc):
            raise _translate(exc) from exc
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            raise LedgerError(f"ledger is busy: {exc}") from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise
        raise LedgerCorruptError(f"ledger is damaged: {exc}") from exc
