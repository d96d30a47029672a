"""Calibration by controls: a task is usable only when its oracles tell good from broken.

``reference/`` (and each ``stages/N/reference/``) must pass every deterministic dimension
at its stage; each ``controls/broken_<what>/`` must grade red (fail or partial) on the
dimension its ``task.toml`` names. A control (or reference) may carry the swarm's evidence
as ``.swarm/report.json`` and ``.swarm/run-*.jsonl`` so ``swarm``/``cluster`` controls work.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from verifier._errors import SelfTestError
from verifier._evidence import latest_event_log, read_report
from verifier._grade import DETERMINISTIC_DIMENSIONS, Grade, Status
from verifier._grader import dimension_passes, grade_workdir
from verifier._task import Task, TaskError, load_task

_RED = (Status.FAIL, Status.PARTIAL)


class TreeResult(BaseModel):
    """One tree of a task's self-test and whether it graded as it must."""

    tree: str = Field(description="'reference', 'stages/N/reference' or a control name.")
    stage: int
    expect: str = Field(description="'pass' or 'red on <dimension>'.")
    ok: bool
    statuses: dict[str, str] = Field(description="Deterministic dimension -> status.")
    reason: str = ""


class SelfTestResult(BaseModel):
    """A task's calibration: every tree and whether all of them behaved."""

    task: str
    ok: bool
    trees: list[TreeResult]


def _evidence(tree: Path) -> tuple[dict | None, Path | None]:
    report_file = tree / ".swarm" / "report.json"
    report = read_report(report_file) if report_file.is_file() else None
    return report, latest_event_log(tree)


def _grade(task: Task, tree: Path, stage: int) -> Grade:
    report, events = _evidence(tree)
    return grade_workdir(tree, task, stage=stage, report=report, events_path=events)


def _statuses(grade: Grade) -> dict[str, str]:
    return {n: grade.dimensions[n].status.value for n in DETERMINISTIC_DIMENSIONS}


def _why_not(grade: Grade, names: tuple[str, ...]) -> str:
    for name in names:
        dim = grade.dimensions[name]
        details = "; ".join(f.message for f in dim.findings[:3])
        if details:
            return f"{name} {dim.status.value}: {details}"
    return ""


def _reference(task: Task, stage: int, tree: Path, label: str) -> TreeResult:
    grade = _grade(task, tree, stage)
    bad = tuple(n for n in DETERMINISTIC_DIMENSIONS if not dimension_passes(n, grade.dimensions[n]))
    return TreeResult(
        tree=label,
        stage=stage,
        expect="pass",
        ok=not bad,
        statuses=_statuses(grade),
        reason=_why_not(grade, bad),
    )


def _control(task: Task, name: str) -> TreeResult:
    control = task.controls[name]
    tree = task.control_dir(name)
    expect = f"red on {control.dimension}"
    if tree is None:
        return TreeResult(
            tree=name,
            stage=control.stage,
            expect=expect,
            ok=False,
            statuses={},
            reason=f"controls/{name}/ is missing",
        )
    grade = _grade(task, tree, control.stage)
    ok = grade.dimensions[control.dimension].status in _RED
    reason = (
        ""
        if ok
        else f"{control.dimension} graded {grade.dimensions[control.dimension].status.value}"
    )
    return TreeResult(
        tree=name,
        stage=control.stage,
        expect=expect,
        ok=ok,
        statuses=_statuses(grade),
        reason=reason,
    )


def _reference_trees(task: Task) -> list[tuple[int, Path, str]]:
    trees = []
    for n in range(1, task.max_stage + 1):
        own = (
            task.root / ("reference" if n == 1 else f"stages/{n}/reference") if task.root else None
        )
        if own is not None and own.is_dir():
            trees.append((n, own, "reference" if n == 1 else f"stages/{n}/reference"))
    return trees


def self_test(task: Task) -> SelfTestResult:
    """Grade the task's references and controls (no judge) and say whether each behaved."""
    references = _reference_trees(task)
    if not references:
        raise SelfTestError(f"task {task.id} has no reference/ tree to self-test")
    trees = [_reference(task, n, path, label) for n, path, label in references]
    trees += [_control(task, name) for name in sorted(task.controls)]
    return SelfTestResult(task=task.id, ok=all(t.ok for t in trees), trees=trees)


def discover_tasks(root: Path, *, errors: list[str] | None = None) -> list[Task]:
    """Every ``<root>/<id>/task.toml``, sorted by id.

    A task that does not load raises TaskError, unless ``errors`` is given: then its
    one-line message is appended there and the task skipped.
    """
    tasks = []
    for toml in sorted(Path(root).glob("*/task.toml")):
        try:
            tasks.append(load_task(toml))
        except TaskError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    return sorted(tasks, key=lambda t: t.id)
