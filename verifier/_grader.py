"""Grade one produced workdir at one stage of a task: seven dimensions and a verdict.

Verdict rules (contract 4):

- ``pass`` only when every deterministic dimension passes. ``swarm`` and ``cluster`` may be
  ``inconclusive`` without blocking a pass *only* when their evidence was not handed over
  (no report / no event log: e.g. grading a reference tree by hand); inconclusive for any
  other reason blocks it. ``checks`` never passes when inconclusive.
- ``fail`` when ``checks`` fails; ``partial`` when the checks pass (or are inconclusive)
  but another deterministic dimension does not.
- The judge can lower ``pass`` to ``partial`` (any judge dimension partial or fail), never
  raise anything; an inconclusive judge changes nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from brain import Transport
from verifier import sandbox
from verifier._built import NOTHING_BUILT, UNBUILT_INCONCLUSIVE, anything_built
from verifier._checks import CheckContext, CheckResult, evaluate, run_suite
from verifier._dimensions import REGISTRY, GradeContext
from verifier._dimensions._context import NO_EVIDENCE_CODES, inconclusive
from verifier._errors import InputError
from verifier._evidence import gather
from verifier._grade import DimensionGrade, Grade, Status, Verdict
from verifier._judge import judge as run_judge
from verifier._sync import run_sync
from verifier._task import Check, Task
from verifier._workspace import HIDDEN_TESTS_DIR, GradedTree, prepare

# Checks run concurrently, but few at a time: each is a sandboxed interpreter.
_CHECK_CONCURRENCY = 4


def dimension_passes(name: str, grade: DimensionGrade) -> bool:
    """Whether a deterministic dimension counts as passed for the verdict (see above)."""
    if grade.status is Status.PASS:
        return True
    codes = {f.code for f in grade.findings}
    lacks_evidence = bool(codes) and codes <= NO_EVIDENCE_CODES
    return name in ("swarm", "cluster") and grade.status is Status.INCONCLUSIVE and lacks_evidence


def verdict_for(dimensions: dict[str, DimensionGrade]) -> Verdict:
    """The verdict the rules in the module docstring give for these dimensions."""
    deterministic = {n: g for n, g in dimensions.items() if n in REGISTRY}
    if deterministic["checks"].status is Status.FAIL:
        return Verdict.FAIL
    if not all(dimension_passes(n, g) for n, g in deterministic.items()):
        return Verdict.PARTIAL
    judged = [g for n, g in dimensions.items() if n not in REGISTRY]
    if any(g.status in (Status.FAIL, Status.PARTIAL) for g in judged):
        return Verdict.PARTIAL
    return Verdict.PASS


def _has_tests(root: Path) -> bool:
    return any(root.rglob("test_*.py")) or any(root.rglob("*_test.py"))


async def _run_checks(ctx: GradeContext) -> None:
    gate = asyncio.Semaphore(_CHECK_CONCURRENCY)
    check_ctx = CheckContext(ctx.tree, ctx.evidence)

    async def one(check: Check) -> CheckResult:
        async with gate:
            return await evaluate(check, check_ctx)

    async def suite(name: str, copy: Path, target: str, hidden: bool) -> CheckResult:
        async with gate:
            return await run_suite(name, copy, target, hidden=hidden)

    jobs = [one(c) for c in ctx.task.checks_for_stage(ctx.stage)]
    hidden = ctx.task.hidden_tests_dir
    if hidden is not None:
        copy = ctx.tree.fresh_copy("hidden-tests", hidden)
        jobs.append(suite("hidden_tests", copy, HIDDEN_TESTS_DIR, True))
    own = _has_tests(ctx.tree.root)
    if own:
        jobs.append(suite("own_suite", ctx.tree.fresh_copy("own-suite"), ".", False))
    results = list(await asyncio.gather(*jobs))
    ctx.own_suite = results.pop() if own else None
    ctx.check_results = results


async def _grade(ctx: GradeContext, judge: Transport | None, built: bool) -> Grade:
    await _run_checks(ctx)
    for name, grader in REGISTRY.items():
        ctx.grades[name] = await asyncio.to_thread(grader, ctx)
    if not built:
        ctx.grades.update(_unbuilt(judged=judge is not None))
    elif judge is not None:
        ctx.grades.update(await run_judge(judge, ctx.task, ctx.stage, ctx.tree.root))
    isolation = next((r.isolation for r in ctx.check_results if r.isolation), "")
    return Grade(
        task=ctx.task.id,
        stage=ctx.stage,
        verdict=verdict_for(ctx.grades),
        dimensions=ctx.grades,
        tampered=bool(ctx.tree.tampered),
        isolation=isolation or sandbox.isolation_level(),
    )


def _unbuilt(*, judged: bool) -> dict[str, DimensionGrade]:
    """Inconclusive grades for what an unbuilt tree cannot show (no vacuous pass)."""
    names = [n for n in UNBUILT_INCONCLUSIVE if n in REGISTRY or judged]
    message = "nothing was built: the tree holds no file the run wrote"
    return {name: inconclusive(NOTHING_BUILT, message) for name in names}


def grade_workdir(
    workdir: Path,
    task: Task,
    *,
    stage: int = 1,
    report: dict[str, Any] | None = None,
    events_path: Path | None = None,
    judge: Transport | None = None,
    owned_files: set[str] | None = None,
) -> Grade:
    """Grade ``workdir`` at ``stage`` of ``task`` (synchronous; runs its own event loop).

    ``report`` is the swarm's final report (contract 2) and ``events_path`` its JSONL log;
    without them ``swarm``/``cluster`` are inconclusive. ``judge`` adds the three judge
    dimensions. ``owned_files`` (for scratch-litter findings) defaults to the owned files of
    the log's ``plan_loaded`` event. The workdir is never modified. Raises InputError /
    TaskError.
    """
    workdir = Path(workdir)
    if not workdir.is_dir():
        raise InputError(f"workdir {workdir} is not a directory")
    task.checks_for_stage(stage)  # TaskError for a stage the task does not have
    evidence = gather(report, events_path)
    built = anything_built(workdir, task)
    tree: GradedTree = prepare(workdir, task, stage)
    try:
        owned = owned_files if owned_files is not None else evidence.planned_files()
        ctx = GradeContext(task, stage, tree, evidence, owned)
        return run_sync(_grade(ctx, judge, built))
    finally:
        tree.close()
