"""What a gate reports: a status, findings (file:line + code), and the repair round it ran."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class GateStatus(StrEnum):
    """A gate's verdict; a missing tool or a timeout is INCONCLUSIVE, never FAIL."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    SKIPPED = "skipped"


@dataclass
class GateFinding:
    """One problem a gate found; ``detail`` carries a traceback or tool output tail."""

    code: str
    """The kind of problem, stable across runs: ``tests_failed``, ``import_drift``, a
    reviewer code…"""
    message: str
    file: str | None = None
    """Relative path in the produced tree; None when nothing points at one file."""
    line: int | None = None
    detail: str = ""

    def key(self) -> tuple[str, str | None, str]:
        """Identity across runs of the reviewer (lines move, so they are not part of it)."""
        return (self.code, self.file, self.message)

    def as_instruction(self) -> str:
        """The finding as the repair worker reads it: ``file:line code: message`` + detail."""
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "-")
        text = f"{where} {self.code}: {self.message}"
        return f"{text}\n{self.detail.rstrip()}" if self.detail.strip() else text


@dataclass
class GateResult:
    """One gate's outcome (after its repair round, when one ran)."""

    name: str
    status: GateStatus
    findings: list[GateFinding] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    """What the gate ran, in order: ``{"step": ..., "status": ..., ...}`` with its figures."""
    repaired: bool = False
    """This is the re-check after a repair round (the status is the repaired tree's)."""
    before: str | None = None
    """The status before the first repair; None when no repair ran."""
    repairs: dict[str, bool] = field(default_factory=dict)
    """Task id → whether its repair dispatch succeeded."""

    def as_dict(self) -> dict[str, Any]:
        """The report's ``gates[name]`` entry."""
        return {
            "status": self.status.value,
            "findings": [asdict(f) for f in self.findings],
            "steps": self.steps,
            "repaired": self.repaired,
            "before": self.before,
            "repairs": self.repairs,
        }
