"""Errors raised by the ledger; ``str(err)`` is always one line a person can act on.

::

    LedgerError
    ├── LedgerMissingError   no ledger where one was expected (read-only commands)
    ├── LedgerCorruptError   the file is not a SQLite database, or is damaged
    ├── LedgerVersionError   the ledger was written by a newer schema than this code knows
    ├── NotFoundError        a run / episode id that does not exist
    ├── AppendOnlyError      an UPDATE or DELETE was attempted (refused by a trigger)
    └── ArtifactError        an artifact is missing or its sha256 no longer matches
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every ledger error; the CLI prints it as one line and exits 2."""


class LedgerMissingError(LedgerError):
    """No ledger file where one was expected."""


class LedgerCorruptError(LedgerError):
    """The ledger file cannot be read as a SQLite database."""


class LedgerVersionError(LedgerError):
    """The ledger's schema is newer than the migrations this code knows."""

    def __init__(self, found: int, known: int):
        super().__init__(
            f"ledger schema version {found} is newer than this gym's version {known}; "
            "upgrade swarm-gym to read it"
        )
        self.found = found
        self.known = known


class NotFoundError(LedgerError):
    """A run, episode or artifact id that the ledger does not hold."""


class AppendOnlyError(LedgerError):
    """The ledger refused to change or remove a recorded row."""


class ArtifactError(LedgerError):
    """An artifact file is missing or does not match its recorded sha256."""
