"""``diagnostics``: signs of work narrated, faked, left unfinished or left lying around.

Static review of the graded tree (stub bodies, NotImplementedError, TODO/FIXME,
breakpoints, unwired or shadowing modules), tampering with protected files, and, from
the swarm's evidence, tasks done with zero tool calls or a run done with nothing written,
and attempts that were retried away after narrating or claiming done with nothing written.
High-severity findings fail the dimension; low ones only lower its score.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from verifier import ast_review
from verifier._dimensions._context import GradeContext, deterministic
from verifier._grade import DimensionGrade, Finding, Severity, Status
from verifier._workspace import IGNORED

# Names small models leave behind when they "try something quickly".
_LITTER = ("*.bak", "*.orig", "*.rej", "*.tmp", "*~", "scratch*", "tmp_*", "debug_*", "nohup.out")
# Each low finding costs this much score; eight of them reach the floor.
_LOW_COST, _LOW_FLOOR = 0.05, 0.6


def _tasks(ctx: GradeContext) -> list[dict[str, Any]]:
    report = ctx.evidence.report
    if report is not None:
        return [t for t in report.get("tasks") or [] if isinstance(t, dict)]
    return [e for e in ctx.evidence.named("task_completed")]


def _narrated(ctx: GradeContext) -> list[Finding]:
    found = []
    for task in _tasks(ctx):
        done = task.get("status", "done") in ("done", "completed", "salvaged")
        if done and task.get("tool_calls") == 0 and not task.get("files_written"):
            found.append(
                Finding(
                    code="zero_tool_calls",
                    severity=Severity.HIGH,
                    message=f"task {task.get('task_id')} finished without one tool call",
                )
            )
    return found


def _misbehaving_attempts(ctx: GradeContext) -> list[Finding]:
    """Attempts the swarm retried away: still evidence of how its nodes behaved.

    A retry hides the misbehaviour from the final tree, so the event log is the only
    witness: an attempt that ended in ``task_retry`` with zero tool calls was narrated,
    and one that called ``done`` with nothing written claimed work it never did.
    """

    def key(e: dict[str, Any]) -> tuple[Any, Any]:
        return e.get("task_id"), e.get("attempt")

    retried = {key(e): e for e in ctx.evidence.named("task_retry") if not e.get("transient")}
    said_done = {key(e) for e in ctx.evidence.named("tool_call") if e.get("tool") == "done"}
    wrote = {key(e) for e in ctx.evidence.named("file_written")}
    found = []
    for (task_id, attempt), end in sorted(retried.items(), key=lambda kv: str(kv[0])):
        where = f"task {task_id} attempt {attempt} on {end.get('device')}"
        if end.get("tool_calls") == 0:
            code, what = "narrated_attempt", "answered in prose with zero tool calls"
        elif (task_id, attempt) in said_done and (task_id, attempt) not in wrote:
            code, what = "fake_done_attempt", "called done with nothing written"
        else:
            continue
        found.append(Finding(code=code, severity=Severity.LOW, message=f"{where} {what}"))
    return found


def _nothing_written(ctx: GradeContext, files: list[str]) -> list[Finding]:
    report = ctx.evidence.report
    if report is None or str(report.get("status")) != "done":
        return []
    written = sum(len(t.get("files_written") or []) for t in _tasks(ctx))
    if written and any(f.endswith(".py") for f in files):
        return []
    return [
        Finding(
            code="nothing_written",
            severity=Severity.HIGH,
            message="the swarm claimed done but wrote no source files",
        )
    ]


def _tree_files(root: Path) -> list[str]:
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(
            fnmatch.fnmatch(p, pat) for p in rel.parts for pat in IGNORED
        ):
            files.append(rel.as_posix())
    return files


def _given(ctx: GradeContext) -> set[str]:
    """Files the swarm did not have to own: the seed it started from and protected files."""
    seed = ctx.task.seed_dir
    given = set(_tree_files(seed)) if seed is not None else set()
    return given | {
        f
        for f in _tree_files(ctx.tree.root)
        if any(fnmatch.fnmatch(f, pat) for pat in ctx.task.protected)
    }


def _litter(ctx: GradeContext, files: list[str]) -> list[Finding]:
    found = []
    allowed = (ctx.owned_files | _given(ctx)) if ctx.owned_files is not None else set()
    for rel in files:
        name = rel.rsplit("/", 1)[-1]
        stray = any(fnmatch.fnmatch(name, pat) for pat in _LITTER)
        outside = ctx.owned_files is not None and rel not in allowed
        if stray or outside:
            why = "looks like scratch" if stray else "is outside every task's owned files"
            found.append(
                Finding(
                    code="scratch_litter", severity=Severity.LOW, file=rel, message=f"{rel} {why}"
                )
            )
    return found


def grade_diagnostics(ctx: GradeContext) -> DimensionGrade:
    """Fail on any high-severity finding; otherwise pass, minus a little per low one."""
    files = _tree_files(ctx.tree.root)
    findings = list(ctx.tree.tampered)
    findings += ast_review.review_tree(ctx.tree.root, package=ctx.task.package)
    findings += _narrated(ctx) + _misbehaving_attempts(ctx)
    findings += _nothing_written(ctx, files) + _litter(ctx, files)
    high = sum(f.severity is Severity.HIGH for f in findings)
    low = sum(f.severity is Severity.LOW for f in findings)
    if high:
        return deterministic(Status.FAIL, max(0.0, 0.5 - 0.1 * high), findings)
    return deterministic(Status.PASS, max(_LOW_FLOOR, 1.0 - _LOW_COST * low), findings)
