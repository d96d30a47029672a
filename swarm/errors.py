"""Errors raised by the swarm engine; the CLI catches ``SwarmError`` and prints one line.

::

    SwarmError
    ├── PlanError       a plan that is not JSON, misses fields, has cycles or unknown deps
    ├── KnobError       an unknown knob name or a value outside its type/bounds/choices
    ├── FleetError      a fleet with no usable device (refuses to start)
    └── ReportError     an event log that cannot be read back into a report

Every message is one line naming what is wrong and, where it helps, what to do.
"""

from __future__ import annotations


class SwarmError(Exception):
    """Base of every error the swarm raises on bad input; ``str(err)`` is one line."""

    exit_code: int = 2


class PlanError(SwarmError):
    """The plan cannot be scheduled as given (all problems found are listed at once)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class KnobError(SwarmError):
    """An unknown knob, or a value that does not fit the knob's type, bounds or choices."""


class FleetError(SwarmError):
    """The fleet cannot run anything (empty, or every node unusable)."""


class ReportError(SwarmError):
    """An event log that is missing or holds no run."""
