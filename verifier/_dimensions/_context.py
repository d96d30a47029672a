"""The inputs every dimension grader reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier._checks import CheckResult
from verifier._evidence import RunEvidence
from verifier._grade import DimensionGrade, Finding, Severity, Source, Status
from verifier._task import Task
from verifier._workspace import GradedTree

# Reason codes of an inconclusive swarm/cluster grade that may still let the verdict pass:
# the swarm's evidence was simply not handed over (e.g. grading a reference tree).
NO_EVIDENCE_CODES = frozenset({"no_report", "no_events"})


@dataclass
class GradeContext:
    """One grading job: the task, the graded tree, the swarm's evidence, the check results."""

    task: Task
    stage: int
    tree: GradedTree
    evidence: RunEvidence
    owned_files: set[str] | None = None
    check_results: list[CheckResult] = field(default_factory=list)
    own_suite: CheckResult | None = None
    grades: dict[str, DimensionGrade] = field(default_factory=dict)


def deterministic(status: Status, score: float, findings: list[Finding]) -> DimensionGrade:
    """A deterministic dimension's grade with its score clamped to 0..1."""
    return DimensionGrade(
        score=round(min(1.0, max(0.0, score)), 4),
        status=status,
        findings=findings,
        source=Source.DETERMINISTIC,
    )


def inconclusive(code: str, message: str) -> DimensionGrade:
    """No evidence to grade on: says why in one finding."""
    finding = Finding(code=code, message=message, severity=Severity.INFO)
    return deterministic(Status.INCONCLUSIVE, 0.0, [finding])
