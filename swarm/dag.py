"""The plan DAG: validated once at load, spliced (validated first) when bonus work arrives.

``load_plan`` accepts a JSON text, bytes, a mapping ``{"subtasks": [...], "confidence": x}``
(``"tasks"`` is accepted too) or a bare list of subtasks, and reports every problem it
finds at once in one ``PlanError``: malformed fields (named as ``subtasks[2].deps``),
duplicate ids, dependencies on unknown ids, and cycles — the latter as
"plan has a dependency cycle (N of M tasks orderable)", N counted by Kahn's algorithm.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from swarm.errors import PlanError
from swarm.protocols import Difficulty, Subtask

#: A hard task is assumed to cost twice an easy one when the planner gives no estimate:
#: the critical-path policy needs a weight, and hard subtasks take roughly twice the turns.
HARD_COST = 2.0


class PlanTask(BaseModel):
    """One subtask as a planner writes it (the boundary model; ``Subtask`` is the inside)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, description="Unique subtask id.")
    description: str = Field(default="", description="What to build.")
    difficulty: Difficulty = Field(
        default=Difficulty.EASY, description="easy or hard; hard ones go to the fastest device."
    )
    preferred_model: str | None = Field(
        default=None, description="A device model name; only breaks placement ties."
    )
    owned_files: list[str] = Field(
        default_factory=list,
        description="Relative paths only it writes; tasks sharing one never run at once.",
    )
    deps: list[str] = Field(default_factory=list, description="Ids that must finish first.")
    estimated_cost: float | None = Field(
        default=None,
        gt=0,
        description="Relative work (an easy task is about 1), weighing the critical path; "
        "unset means 1 for easy, 2 for hard.",
    )

    def to_subtask(self, *, bonus: bool = False) -> Subtask:
        """The scheduler's frozen view of this task."""
        cost = self.estimated_cost
        if cost is None:
            cost = HARD_COST if self.difficulty is Difficulty.HARD else 1.0
        return Subtask(
            id=self.id,
            description=self.description,
            difficulty=self.difficulty,
            preferred_model=self.preferred_model,
            owned_files=tuple(self.owned_files),
            deps=tuple(self.deps),
            estimated_cost=cost,
            bonus=bonus,
        )


class Plan(BaseModel):
    """A whole plan: its subtasks and the planner's confidence in it (0..1, optional)."""

    model_config = ConfigDict(extra="ignore")

    subtasks: list[PlanTask]
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="How buildable the planner judged the spec, 0..1; recorded on the "
        "plan_loaded event, never used to schedule.",
    )


class Dag:
    """Validated subtasks with their edges; mutated only by ``splice`` (validated first)."""

    def __init__(self, tasks: Iterable[Subtask], confidence: float | None = None):
        self.tasks: dict[str, Subtask] = {}
        self.children: dict[str, list[str]] = {}
        self.confidence = confidence
        problems = self._add(list(tasks), known=set())
        if problems:
            raise PlanError(_summary(problems), problems)

    def __len__(self) -> int:
        return len(self.tasks)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self.tasks

    def __getitem__(self, task_id: str) -> Subtask:
        return self.tasks[task_id]

    def _add(self, new: list[Subtask], known: set[str]) -> list[str]:
        problems = _structure_problems(new, known | set(self.tasks))
        if problems:
            return problems
        for task in new:
            self.tasks[task.id] = task
            self.children.setdefault(task.id, [])
        for task in new:
            for dep in task.deps:
                self.children[dep].append(task.id)
        return []

    def descendants(self, task_id: str) -> set[str]:
        """Every task downstream of ``task_id`` (not including itself)."""
        seen: set[str] = set()
        stack = list(self.children[task_id])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.children[current])
        return seen

    def topological_order(self) -> list[str]:
        """Ids in an order where every task follows its dependencies (ties by plan order)."""
        order, _ = _kahn({t.id: t.deps for t in self.tasks.values()})
        return order

    def splice(self, new: Iterable[Subtask], *, done: set[str], failed: set[str]) -> None:
        """Add bonus tasks to a live DAG; everything is checked before anything changes.

        New tasks may depend on done tasks or on each other, never on failed or
        still-pending ones (a pending dependency could still fail and drag bonus work
        into the cascade).
        """
        new = list(new)
        problems = [
            f"bonus task {t.id!r} depends on failed task {d!r}"
            for t in new
            for d in t.deps
            if d in failed
        ]
        problems += [
            f"bonus task {t.id!r} depends on unfinished task {d!r}"
            for t in new
            for d in t.deps
            if d in self.tasks and d not in done and d not in failed
        ]
        problems += [
            f"bonus task {t.id!r} reuses an existing id" for t in new if t.id in self.tasks
        ]
        if not problems:
            problems = self._add(new, known=set())
        if problems:
            raise PlanError(_summary(problems), problems)


def _structure_problems(tasks: list[Subtask], existing: set[str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            problems.append(f"duplicate task id {task.id!r}")
        seen.add(task.id)
    known = existing | seen
    for task in tasks:
        problems += [
            f"task {task.id!r} depends on unknown task {dep!r}"
            for dep in task.deps
            if dep not in known
        ]
        if task.id in task.deps:
            problems.append(f"task {task.id!r} depends on itself")
    if not problems:
        graph = {t.id: tuple(d for d in t.deps if d in seen) for t in tasks}
        order, total = _kahn(graph)
        if len(order) < total:
            problems.append(
                f"plan has a dependency cycle ({len(order)} of {total} tasks orderable)"
            )
    return problems


def _kahn(graph: Mapping[str, Iterable[str]]) -> tuple[list[str], int]:
    deps = {node: set(d for d in ds if d in graph) for node, ds in graph.items()}
    children: dict[str, list[str]] = {node: [] for node in graph}
    for node, ds in deps.items():
        for dep in ds:
            children[dep].append(node)
    queue = deque(node for node in graph if not deps[node])
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for child in children[node]:
            deps[child].discard(node)
            if not deps[child]:
                queue.append(child)
    return order, len(graph)


def _summary(problems: list[str]) -> str:
    """One line: the first problem, then the others (the CLI prints only this line)."""
    if len(problems) == 1:
        return f"invalid plan: {problems[0]}"
    return f"invalid plan: {problems[0]} (and {len(problems) - 1} more: {'; '.join(problems[1:])})"


def parse_plan(data: Any) -> Plan:
    """Validate raw plan data into a ``Plan``; errors name the field (``subtasks[1].id``)."""
    if isinstance(data, bytes | bytearray):
        data = data.decode("utf-8", errors="replace")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PlanError(f"invalid plan: not JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, list):
        data = {"subtasks": data}
    if isinstance(data, Mapping) and "subtasks" not in data and "tasks" in data:
        data = {**data, "subtasks": data["tasks"]}
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_field_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise PlanError(_summary(problems), problems) from None


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "plan"


def load_plan(data: Any) -> Dag:
    """Parse and validate a plan into a ``Dag``; every problem found is in the ``PlanError``."""
    plan = parse_plan(data)
    return Dag([t.to_subtask() for t in plan.subtasks], confidence=plan.confidence)
