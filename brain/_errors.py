"""Errors raised by model transports.

The swarm's retry logic depends on this classification, so every transport maps
what its SDK raises onto exactly one leaf::

    BrainError
    ├── TransientError      connection refused, timeout, 5xx, 429, "model is unloaded"
    │   └── StalledError    a stream made no progress within the idle window
    ├── ContentError        unparseable output, bad tool arguments, schema mismatch
    │   └── ContextOverflowError  the prompt does not fit the model's context window
    └── FatalError          401/403, unknown model: retrying cannot help
        └── ConfigError     a node URL or option that cannot be used as given
"""

from __future__ import annotations


class BrainError(Exception):
    """Base of every error a transport raises; ``str(err)`` is one line for the CLI."""

    transient: bool = False

    def __init__(self, message: str, *, status: int | None = None, body: str | None = None):
        super().__init__(message)
        self.status = status
        self.body = body


class TransientError(BrainError):
    """The request may succeed if retried, possibly on another device."""

    transient = True
    #: Seconds the server asked us to wait (its ``Retry-After``); None when it said nothing.
    retry_after_s: float | None = None


class StalledError(TransientError):
    """A stream went silent for longer than the idle watchdog allows."""


class ContentError(BrainError):
    """The model answered, but the answer is unusable (the worker is told why and retried)."""


class ContextOverflowError(ContentError):
    """The prompt is larger than the node's context window: retry with a smaller prompt."""


class FatalError(BrainError):
    """The request can never succeed as configured (bad key, unknown model)."""


class ConfigError(FatalError):
    """A user-supplied node URL, scheme, profile or option is invalid."""
