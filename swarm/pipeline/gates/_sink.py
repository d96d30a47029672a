"""The sink gate: the spec's examples run on the built tree and compared in code.

The integrate-verify task's own "done" is a model's claim; this gate is the evidence. It
passes only when every extracted example matched, is inconclusive when none could be
extracted (or none could be run), and a mismatch is a finding whose detail is the exact
diff — the instruction of the one repair round.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from swarm.pipeline.examples import Example, ExampleResult, diff, run_examples
from swarm.pipeline.gates._result import GateFinding, GateResult, GateStatus


def _finding(result: ExampleResult) -> GateFinding:
    example = result.example
    where = f" (spec line {example.line})" if example.line else ""
    return GateFinding(
        "example_mismatch",
        f"`{example.command}` does not print what the spec says{where}",
        None,
        None,
        diff(example.expected, result.got),
    )


class SinkGate:
    """Runs the frozen examples; see the module docstring."""

    name = "sink"

    def __init__(self, workdir: Path, examples: Sequence[Example], *, timeout_s: float) -> None:
        self.workdir = workdir
        self.examples = list(examples)
        self.timeout_s = timeout_s
        self.results: list[ExampleResult] = []
        self.prereview: dict[str, list[str]] = {}

    async def check(self) -> GateResult:
        """Run every example; the steps carry command, expected, got and matched."""
        outcome = await run_examples(self.examples, self.workdir, timeout_s=self.timeout_s)
        self.results = outcome.results
        findings = [_finding(r) for r in outcome.results if r.verdict.value == "mismatch"]
        steps: list[dict[str, Any]] = [
            {"step": "example", "command": r.example.command, "status": r.verdict.value}
            for r in outcome.results
        ]
        if not steps:
            steps = [{"step": "examples", "status": outcome.status, "reason": outcome.reason}]
        return GateResult(self.name, GateStatus(outcome.status), findings, steps)

    def briefing(self) -> str:
        """The examples as the sink worker reads them before it integrates."""
        if not self.examples:
            return ""
        lines = ["SPEC EXAMPLES (run after the build; output must match exactly):"]
        for example in self.examples:
            lines.append(f"$ {example.command}\n{example.expected.rstrip()}")
        return "\n".join(lines)

    def add_prereview(self, task_id: str, lines: Sequence[str]) -> None:
        """Keep an idle node's pre-review findings of one task for the sink's briefing."""
        self.prereview[task_id] = list(lines)

    def prereview_briefing(self) -> str:
        """Pre-review findings as the sink reads them: claims to confirm, then fix."""
        lines = [line for found in self.prereview.values() for line in found]
        if not lines:
            return ""
        head = (
            "PRE-REVIEW FINDINGS (an idle node's review, unconfirmed: run the code to "
            "confirm each, fix only what is real):"
        )
        return "\n".join([head, *lines])
