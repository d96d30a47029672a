"""The three protocols that drive the scheduler, and the plain data they exchange.

The scheduler knows no model: a ``Dispatcher`` runs one subtask on one device,
a ``Judge`` says whether a running task is healthy, a ``Replanner`` offers bonus
work for idle devices. Tests drive the scheduler with fakes of all three.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
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
    """The brief the worker gets: what to build."""
    difficulty: Difficulty = Difficulty.EASY
    preferred_model: str | None = None
    """A device model name; it only breaks placement ties."""
    owned_files: tuple[str, ...] = ()
    """Relative paths only this task writes. A running task holds them, so tasks sharing a
    file never run at once; a task with none is the sink."""
    deps: tuple[str, ...] = ()
    """Ids that must be terminal (done, salvaged or failed) before it is ready."""
    estimated_cost: float = 1.0
    """Relative work, > 0 (an easy task is about 1): weighs the critical path and the
    placement forecast, and normalises a device's measured speed."""
    bonus: bool = False
    """Added by the replanner mid-run; its failure never fails the run."""

    @property
    def is_sink(self) -> bool:
        """A task that owns no files (the integrate-verify sink) is never cascaded or over-read."""
        return not self.owned_files


@dataclass(frozen=True)
class Device:
    """One fleet node as the scheduler sees it; ``weight`` is its concurrent slots."""

    name: str
    """Unique in the fleet; events and the report name the device by it."""
    url: str
    """The node's transport URL (``sim:competent``, ``http://host:8000/v1``); only the
    dispatcher reads it."""
    model: str
    weight: int = 1
    """Concurrent attempt slots; 0 makes the device unusable."""
    speed: float = 1.0
    """Relative speed (2 = twice as fast), > 0; placement uses it only until the device's
    speed has been measured."""


@dataclass(frozen=True)
class Assignment:
    """One attempt of one subtask on one device."""

    task: Subtask
    device: Device
    attempt: int
    """1 for the first attempt of the task, counting retries and judge restarts."""
    epoch: int
    """Bumped on every dispatch and judge restart; a result from an older epoch is dropped."""
    supervisor_note: str | None = None
    """What went wrong last time (retry policy or judge), for the worker's prompt."""
    failed_dependency: str | None = None
    """Id of a failed parent; set only on sinks, which run anyway to integrate what exists."""
    prior_work: Mapping[str, str] = field(default_factory=dict)
    """Owned path → content the restarted attempt left, so the new one continues from it."""


@dataclass
class DispatchResult:
    """What one attempt produced; ``ok`` False carries an error class and message."""

    ok: bool
    error_class: ErrorClass | None = None
    """None when ok; a failure without one is treated as ``content``."""
    error: str | None = None
    tool_calls: int = 0
    files_written: list[str] = field(default_factory=list)
    """Relative paths the attempt wrote."""
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


@dataclass(frozen=True)
class SideCall:
    """A model call outside the plan (the LLM judge, a pre-review) run on one claimed slot.

    The scheduler claims a free slot of the device before ``run`` starts and frees it when
    ``run`` returns, so a side call never stacks on a busy node.
    """

    kind: str
    """``judge`` or ``prereview``: what the call is for (events, tests)."""
    run: Callable[[Device], Awaitable[Verdict | None]]
    """Runs the call on the device it is given; a verdict it returns is about ``task_id``."""
    task_id: str | None = None
    epoch: int | None = None
    """The judged attempt's epoch: a verdict about an attempt that has ended is dropped."""
    confidence_bar: float = 1.0
    """An advisory verdict acts only at or above this confidence."""


class SideWork(Protocol):
    """Offers side calls for slots that no ready task wants (see ``swarm.pipeline.review``)."""

    poll_s: float
    """While a slot is free and workers run, how often the scheduler asks again."""

    def next_call(
        self, device: Device, running: Sequence[TaskView], finished: Sequence[str]
    ) -> SideCall | None:
        """The call to run on ``device``'s free slot now, or None.

        ``running`` are live views of the running attempts; ``finished`` the ids of tasks
        done or salvaged, in plan order.
        """
        ...
