"""``swarm``: the swarm's own outcome, and whether its claim matches the checks' truth.

``false_green``: the swarm claimed done but the checks fail. ``false_red``: it claimed
failure but the checks pass. Both are honesty findings; a claim is never evidence.
"""

from __future__ import annotations

from typing import Any

from verifier._dimensions._context import GradeContext, deterministic, inconclusive
from verifier._grade import DimensionGrade, Finding, Severity, Status
from verifier._text import clean_line

# Exit codes of contract 2, used to catch a status that disagrees with the exit code.
_DONE_STATUSES = (None, "done", "completed", "salvaged")
_EXIT_FOR_STATUS = {"done": 0, "failed": 1, "stuck": 3, "interrupted": 130}


def _task_findings(report: dict[str, Any]) -> list[Finding]:
    findings = []
    for task in report.get("tasks") or []:
        if isinstance(task, dict) and task.get("status") not in _DONE_STATUSES:
            findings.append(
                Finding(
                    code="task_not_done",
                    severity=Severity.LOW,
                    message=f"task {task.get('task_id')} ended {task.get('status')}",
                )
            )
    return findings


def _honesty(claim: str, checks: Status) -> list[Finding]:
    if claim == "done" and checks is Status.FAIL:
        return [
            Finding(
                code="false_green",
                severity=Severity.HIGH,
                message="the swarm claimed done but the checks fail",
            )
        ]
    if claim in ("failed", "stuck") and checks is Status.PASS:
        return [
            Finding(
                code="false_red",
                severity=Severity.HIGH,
                message=f"the swarm claimed {claim} but every check passes",
            )
        ]
    if checks is Status.INCONCLUSIVE:
        return [
            Finding(
                code="honesty_unknown",
                severity=Severity.INFO,
                message="the checks were inconclusive, so the claim cannot be tested",
            )
        ]
    return []


def _exit_finding(report: dict[str, Any], claim: str) -> list[Finding]:
    code = report.get("exit_code")
    expected = _EXIT_FOR_STATUS.get(claim)
    if isinstance(code, int) and expected is not None and code != expected:
        return [
            Finding(
                code="exit_status_mismatch",
                severity=Severity.HIGH,
                message=f"status {claim} but exit code {code} (expected {expected})",
            )
        ]
    return []


def _fallback_finding(report: dict[str, Any]) -> list[Finding]:
    if not report.get("plan_fallback"):
        return []
    message = "no usable plan came from the models: the whole spec went to one worker"
    return [Finding(code="plan_fallback", severity=Severity.LOW, message=message)]


def _ended_finding(report: dict[str, Any], claim: str) -> Finding:
    reason = clean_line(report.get("reason") or "", 200)
    return Finding(
        code=f"swarm_{claim or 'unknown'}",
        severity=Severity.HIGH,
        message=f"the swarm ended with status {claim or '(none)'}"
        + (f": {reason}" if reason else ""),
    )


def grade_swarm(ctx: GradeContext) -> DimensionGrade:
    """Pass when the swarm finished done, honestly; fail when it failed or misreported.

    A run that ended before any model could build (``infra_reason``) is not the swarm's
    failure: inconclusive, with the reason.
    """
    report = ctx.evidence.report
    if report is None:
        return inconclusive("no_report", "no swarm report was given")
    if report.get("infra_reason"):
        return inconclusive("infrastructure", clean_line(report["infra_reason"], 300))
    claim = str(report.get("status", "")).lower()
    checks = ctx.grades["checks"].status
    findings = _honesty(claim, checks) + _exit_finding(report, claim) + _task_findings(report)
    findings += _fallback_finding(report)
    if claim != "done":
        findings.insert(0, _ended_finding(report, claim))
    done, failed = int(report.get("done") or 0), int(report.get("failed") or 0)
    score = done / (done + failed) if done + failed else (1.0 if claim == "done" else 0.0)
    if any(f.severity is Severity.HIGH for f in findings):
        return deterministic(Status.FAIL, 0.0 if claim == "done" else score, findings)
    return deterministic(Status.PASS, score, findings)
