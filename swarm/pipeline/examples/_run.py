"""Running the examples after the build: each in a fresh copy of the tree, in the sandbox.

A copy per example keeps one example's files and state out of the next, and keeps the
produced tree clean (an example's input file left behind would be scratch litter). The
output compared is what a terminal shows: stdout, then stderr.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from swarm.pipeline.examples._compare import same_output
from swarm.pipeline.examples._model import Example, ExampleResult, Fragment, Verdict

#: Run state and caches are not what the app is.
_IGNORED = shutil.ignore_patterns(".swarm", ".git", "__pycache__", "*.pyc", ".pytest_cache")
#: Examples run at once; each is a short process, the copies are the cost.
_PARALLEL = 4


class Status:
    """The sink's verdict over all examples (plain strings, as the report carries them)."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


@dataclass
class ExamplesOutcome:
    """Every example's result and the verdict over them."""

    status: str
    results: list[ExampleResult] = field(default_factory=list)
    unread: list[Fragment] = field(default_factory=list)
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON form printed by ``swarm examples --json`` and kept in the report."""
        return {
            "status": self.status,
            "reason": self.reason,
            "examples": [r.as_dict() for r in self.results],
            "unread": [{"line": f.line, "text": f.text} for f in self.unread],
        }


def verdict(results: Sequence[ExampleResult]) -> tuple[str, str]:
    """pass only when every example matched; none extracted (or none answered) is inconclusive."""
    if not results:
        return Status.INCONCLUSIVE, "no examples could be extracted from the spec"
    bad = sum(r.verdict is Verdict.MISMATCH for r in results)
    if bad:
        return Status.FAIL, f"{bad} of {len(results)} examples did not match"
    unsure = sum(r.verdict is Verdict.INCONCLUSIVE for r in results)
    if unsure:
        return Status.INCONCLUSIVE, f"{unsure} of {len(results)} examples could not be run"
    return Status.PASS, f"all {len(results)} examples matched"


def _copy(workdir: Path, scratch: Path, example: Example) -> Path:
    dest = scratch / "app"
    shutil.copytree(workdir, dest, symlinks=True, ignore=_IGNORED)
    for name, content in example.files.items():
        target = (dest / name).resolve()
        if not target.is_relative_to(dest.resolve()) or target.exists():
            continue  # never outside the copy, never over the app's own files
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return dest


def _terminal(stdout: str, stderr: str) -> str:
    if stdout and stderr and not stdout.endswith("\n"):
        return f"{stdout}\n{stderr}"
    return stdout + stderr


async def run_example(example: Example, workdir: Path, *, timeout_s: float = 20.0) -> ExampleResult:
    """Run one example (its setup first) in a fresh copy and compare its output in code."""
    from verifier import sandbox  # the one place untrusted code runs

    with tempfile.TemporaryDirectory(prefix="swarm-example-") as scratch:
        tree = await asyncio.to_thread(_copy, workdir, Path(scratch), example)
        for command in example.setup:
            done = await sandbox.run_async(command, workdir=tree, timeout_s=timeout_s)
            if done.timed_out:
                return ExampleResult(example, "", Verdict.INCONCLUSIVE, None, "setup timed out")
        run = await sandbox.run_async(
            example.command, workdir=tree, stdin=example.stdin, timeout_s=timeout_s
        )
    got = _terminal(run.stdout, run.stderr)
    if run.timed_out:
        return ExampleResult(
            example, got, Verdict.INCONCLUSIVE, None, f"timed out after {timeout_s:g}s"
        )
    matched = same_output(example.expected, got)
    return ExampleResult(
        example, got, Verdict.MATCHED if matched else Verdict.MISMATCH, run.exit_code
    )


async def run_examples(
    examples: Sequence[Example], workdir: Path, *, timeout_s: float = 20.0
) -> ExamplesOutcome:
    """Run every example (a few at a time) and decide pass / fail / inconclusive."""
    gate = asyncio.Semaphore(_PARALLEL)

    async def one(example: Example) -> ExampleResult:
        async with gate:
            return await run_example(example, workdir, timeout_s=timeout_s)

    results = list(await asyncio.gather(*(one(e) for e in examples)))
    status, reason = verdict(results)
    return ExamplesOutcome(status, results, reason=reason)
