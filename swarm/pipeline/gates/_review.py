"""The AST reviewer gate (model-free): new stub bodies, unwired or shadowing modules.

It runs ``verifier.ast_review.review_tree`` and subtracts a snapshot taken before the
build, so a continue-existing seed's old problems are not chased. Low-severity findings
(TODO comments) are reported by the verifier's diagnostics, not repaired here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from swarm.pipeline.gates._result import GateFinding, GateResult, GateStatus

#: Codes worth a repair round: each is unfinished or unreachable code.
REPAIRABLE = frozenset(
    {
        "stub_body",
        "not_implemented",
        "breakpoint",
        "unwired_module",
        "shadowing_module",
        "syntax_error",
    }
)


def review_findings(workdir: Path, package: str | None) -> list[GateFinding]:
    """Every repairable finding of the tree as it is now."""
    from verifier import ast_review  # shared with the verifier's diagnostics dimension

    found = ast_review.review_tree(workdir, package=package)
    return [GateFinding(f.code, f.message, f.file, f.line) for f in found if f.code in REPAIRABLE]


class ReviewGate:
    """Reviews the tree, reporting only findings absent from the pre-build snapshot."""

    name = "review"

    def __init__(self, workdir: Path, package: str | None) -> None:
        self.workdir = workdir
        self.package = package
        self.baseline: set[tuple[str, str | None, str]] = set()

    def snapshot(self) -> None:
        """Remember what is already wrong before anything is built."""
        self.baseline = {f.key() for f in review_findings(self.workdir, self.package)}

    def new_findings(self) -> list[GateFinding]:
        """Findings not in the snapshot."""
        return [
            f for f in review_findings(self.workdir, self.package) if f.key() not in self.baseline
        ]

    async def check(self) -> GateResult:
        """Red when the build introduced any repairable finding."""
        findings = await asyncio.to_thread(self.new_findings)
        status = GateStatus.FAIL if findings else GateStatus.PASS
        return GateResult(
            self.name,
            status,
            findings,
            steps=[{"step": "ast_review", "status": status.value, "baseline": len(self.baseline)}],
        )
