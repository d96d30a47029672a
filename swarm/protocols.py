"""The three protocols that drive the scheduler, and the plain data they exchange.

The scheduler knows no model: a ``Dispatcher`` runs one subtask on one device,
a ``Judge`` says whether a running task is healthy, a ``Replanner`` offers bonus
work for idle devices. Tests drive the scheduler with fakes of all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # only for annotations: swarm.judge builds on this module
    from swarm.judge import TaskView, Verdict


class Difficulty(StrEnum):
    """How hard a subtask is; hard ones go to the fastest device."""

    EASY = "easy"
    HARD = "hard"


class ErrorClass(StrEnum):
    """Why an attempt failed; drives the retry policy (mirrors brain's error tree)."""

    TRANSIENT = "transient"
    CONTENT = "content"
    FATAL = "fatal"


@dataclass(frozen=True)
class Subtask:
    """One node of the plan DAG."""

    id: str
    description: str
    difficulty: Difficulty = Difficulty.EASY
    preferred_model: str | None = None
    owned_files: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    estimated_cost: float = 1.0
    bonus: bool = False

    @property
    def is_sink(self) -> bool:
        """A task that owns no files (the integrate-verify sink) is never cascaded or over-read."""
        return not self.owned_files


@dataclass(frozen=True)
class Device:
    """One fleet node as the scheduler sees it; ``weight`` is its concurrent slots."""

    name: str
    url: str
    model: str
    weight: int = 1
    speed: float = 1.0


@dataclass(frozen=True)
class Assignment:
    """One attempt of one subtask on one device."""

    task: Subtask
    device: Device
    attempt: int
    epoch: int
    supervisor_note: str | None = None
    failed_dependency: str | None = None
    prior_work: Mapping[str, str] = field(default_factory=dict)


@dataclass
class DispatchResult:
    """What one attempt produced; ``ok`` False carries an error class and message."""

    ok: bool
    error_class: ErrorClass | None = None
    error: str | None = None
    tool_calls: int = 0
    files_written: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0


class EventSink(Protocol):
    """Where a dispatcher reports progress (tool calls, file writes) as it happens."""

    def emit(self, event: str, **fields: Any) -> None:
        """Record one event; the scheduler updates its live view of the task from it."""
        ...


class Dispatcher(Protocol):
    """Runs one attempt; must be cancellation-safe (a judge restart cancels it)."""

    async def dispatch(self, assignment: Assignment, events: EventSink) -> DispatchResult:
        """Run the subtask on the assigned device and return the outcome."""
        ...


class Judge(Protocol):
    """Deterministic health check of a running task (see ``swarm.judge``)."""

    def assess(self, view: TaskView) -> Verdict:
        """Return a verdict for the live view of one running task.

        Deterministic verdicts act as the scheduler decides; a verdict with
        ``deterministic=False`` (an LLM's opinion) acts only at or above
        ``judge.confidence_bar``.
        """
        ...


class Replanner(Protocol):
    """Proposes bonus subtasks for idle devices; their failure never fails the run."""

    async def bonus_tasks(self, idle_devices: list[Device], done: list[str]) -> list[Subtask]:
        """New subtasks (may depend on done tasks only), or an empty list."""
        ...
