"""Disk full mid-run: recognise it, and keep a little room to record the interruption.

A run folder holds a small reserve file. When a write fails with ENOSPC (or SQLite says
the database or disk is full), the reserve is deleted first, so the ledger has room to
close the run's open episodes and mark the run interrupted: resumable, and consistent.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from gym.errors import GymError

#: Bytes set aside per run for recording an interruption on a full disk (a few WAL pages).
RESERVE_BYTES = 512 * 1024
RESERVE_FILE = ".reserve"
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class DiskFullError(GymError):
    """The disk filled up mid-run; the run was recorded as interrupted (exit 2)."""

    exit_code = 2


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` or anything in its cause/context chain is a full disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.Error) and "disk is full" in str(exc).lower():
            return True
        if isinstance(exc, BaseExceptionGroup):
            return any(is_disk_full(e) for e in exc.exceptions)
        exc = exc.__cause__ or exc.__context__
    return False


def make_reserve(folder: Path) -> None:
    """Set the reserve aside (best effort: no room for it is not an error by itself)."""
    path = folder / RESERVE_FILE
    try:
        with path.open("wb") as fh:
            try:
                os.posix_fallocate(fh.fileno(), 0, RESERVE_BYTES)
            except (AttributeError, OSError):
                fh.write(b"\0" * RESERVE_BYTES)  # no fallocate here: real blocks all the same
    except OSError:
        path.unlink(missing_ok=True)


def free_reserve(folder: Path) -> None:
    """Give the reserve back to the filesystem."""
    (folder / RESERVE_FILE).unlink(missing_ok=True)
