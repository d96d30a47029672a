"""The grade: seven dimensions, four deterministic and three from the AI judge (contract 4)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Status(StrEnum):
    """Outcome of one dimension. A missing tool or an oracle timeout is INCONCLUSIVE, never FAIL."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Source(StrEnum):
    """Who produced a dimension: the deterministic oracles or the AI judge."""

    DETERMINISTIC = "deterministic"
    JUDGE = "judge"


class Severity(StrEnum):
    """How much a finding matters."""

    HIGH = "high"
    LOW = "low"
    INFO = "info"


class Verdict(StrEnum):
    """The episode-turn verdict; decided by the deterministic dimensions, lowered by the judge."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"


DETERMINISTIC_DIMENSIONS = ("swarm", "checks", "diagnostics", "cluster")
JUDGE_DIMENSIONS = ("requirements", "code_quality", "bugs")
DIMENSIONS = DETERMINISTIC_DIMENSIONS + JUDGE_DIMENSIONS


class Finding(BaseModel):
    """One piece of evidence behind a dimension's score."""

    code: str = Field(description="Stable snake_case id, e.g. false_green, stub_body, tampered.")
    message: str = Field(description="One line a person can act on.")
    severity: Severity = Field(
        default=Severity.LOW,
        description="high: a cause of failure; low: lowers the score; info: context only.",
    )
    file: str | None = Field(default=None, description="Path relative to the graded tree.")
    line: int | None = Field(default=None, description="1-based line in ``file``; None: unknown.")


class DimensionGrade(BaseModel):
    """Score and status of one dimension with its findings."""

    score: float = Field(
        ge=0.0, le=1.0, description="0.0 (worst) to 1.0 (best); the verdict reads status, not this."
    )
    status: Status = Field(description="Outcome; inconclusive when the oracle could not answer.")
    findings: list[Finding] = Field(default_factory=list, description="Why it scored so.")
    source: Source = Field(description="The deterministic oracles or the AI judge.")


class Grade(BaseModel):
    """The full grade of one produced workdir at one stage of a task."""

    task: str = Field(description="Id of the task graded.")
    stage: int = Field(default=1, description="Stage graded; 1 is the opening spec.")
    verdict: Verdict = Field(
        description="From the deterministic dimensions; the judge may lower it."
    )
    dimensions: dict[str, DimensionGrade] = Field(
        description="Dimension name (one of DIMENSIONS) to its grade; judge ones only if judged."
    )
    tampered: bool = Field(default=False, description="A protected file was changed and restored.")
    isolation: str = Field(default="", description="Sandbox isolation used: bwrap, netns, rlimits.")
