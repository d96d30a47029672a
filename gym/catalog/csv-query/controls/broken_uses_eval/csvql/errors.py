"""Errors; the command line prints ``csvql: <message>`` and exits 2 for all of them.

QueryError
├── QuerySyntaxError   the query text does not parse (names the 1-based column)
└── DataError          a missing file or an unknown column
"""


class QueryError(Exception):
    """Base class of every csvql error."""


class QuerySyntaxError(QueryError):
    """Bad query text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"syntax error at column {column}: {message}")


class DataError(QueryError):
    """The data does not fit the query."""
