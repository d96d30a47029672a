"""Errors of the query engine.

JPathError
├── QuerySyntaxError   the query text is not valid JSONPath (exit 2)
└── InputError         the document cannot be read or is not JSON (exit 2)
"""


class JPathError(Exception):
    """Base class of every jpath error."""


class QuerySyntaxError(JPathError):
    """A query that does not parse; the message names the 1-based column."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"invalid query at column {column}: {message}")
        self.column = column


class InputError(JPathError):
    """The input document is unreadable or not JSON."""
