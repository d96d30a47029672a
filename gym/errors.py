"""Errors raised by the harness.

The ``gym`` CLI catches :class:`GymError` at the edge and prints one line::

    GymError
    ├── GymConfigError     bad input: unknown archetype/persona/suite, malformed gym.toml,
    │                      a task file that does not load, a fleet that does not answer (exit 2)
    └── InfraError         the harness could not do its job (brain unreachable after retries,
        │                  swarm crashed); recorded as its own episode outcome, never as the
        │                  swarm failing the task
        └── SwarmRejectedError   the swarm refused its configuration (exit 2, e.g. an unknown
                                 knob): every episode would fail alike, so the run stops (exit 2)
"""

from __future__ import annotations


class GymError(Exception):
    """Base of every harness error; ``str(err)`` is one line for the CLI."""

    exit_code: int = 1


class GymConfigError(GymError):
    """The user's input cannot be used as given; nothing has been written yet."""

    exit_code = 2


class InfraError(GymError):
    """Infrastructure failed (not the swarm under test)."""


class SwarmRejectedError(InfraError):
    """The swarm exited 2 (bad usage or config): the run's configuration is at fault."""

    exit_code = 2
