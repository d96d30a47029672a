"""``swarm examples``: the sink's deterministic step, on any built tree, from the shell.

Exit 0 for pass or inconclusive (the status line says which), 1 for fail; bad input is a
:class:`BadExamplesInput` the CLI prints as one line with exit 2.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from swarm.errors import SwarmError
from swarm.events import EventLog
from swarm.pipeline.examples._extract import extract_examples, read_examples
from swarm.pipeline.examples._model import Example
from swarm.pipeline.examples._run import ExamplesOutcome, run_examples

#: Model calls from the command line: the same bounds a run uses by default.
_MODEL_TIMEOUT_S = 120.0


class BadExamplesInput(SwarmError):
    """A spec that cannot be read or a workdir that is not a directory (exit 2)."""


@dataclass
class ExamplesRequest:
    """What ``swarm examples`` was asked, parsed at the edge."""

    spec: str
    workdir: Path
    fleet: str | None = None
    timeout_s: float = 20.0

    @classmethod
    def parse(
        cls, spec: str, workdir: Path, fleet: str | None, timeout_s: float
    ) -> ExamplesRequest:
        """Read the spec (``-`` is stdin) and check the workdir; BadExamplesInput otherwise."""
        if timeout_s <= 0:
            raise BadExamplesInput("--timeout-s must be positive")
        if not workdir.is_dir():
            raise BadExamplesInput(f"workdir {workdir} is not a directory")
        try:
            text = sys.stdin.read() if spec == "-" else Path(spec).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise BadExamplesInput(f"cannot read spec {spec}: {reason}") from None
        if not text.strip():
            raise BadExamplesInput(f"spec {spec} is empty")
        return cls(text, workdir.resolve(), fleet, timeout_s)


async def run_request(request: ExamplesRequest) -> ExamplesOutcome:
    """Extract (asking the fleet's first nodes only when ``--fleet`` is given), then run."""
    unread = read_examples(request.spec).unread
    if request.fleet:
        examples = await _with_fleet(request)
    else:
        examples = read_examples(request.spec).examples
    outcome = await run_examples(examples, request.workdir, timeout_s=request.timeout_s)
    outcome.unread = unread
    return outcome


async def _with_fleet(request: ExamplesRequest) -> list[Example]:
    from brain import parse_fleet_spec
    from swarm.pipeline._fleet_io import build_transports, close_all

    nodes = parse_fleet_spec(request.fleet or "")
    transports = build_transports(
        nodes, idle_timeout_s=_MODEL_TIMEOUT_S, timeout_s=_MODEL_TIMEOUT_S
    )
    try:
        return await extract_examples(
            request.spec, list(transports.values()), EventLog(None), timeout_s=_MODEL_TIMEOUT_S
        )
    finally:
        await close_all(transports)


def render_outcome(outcome: ExamplesOutcome, *, as_json: bool) -> str:
    """The command's output: JSON, or one block per example and a status line."""
    if as_json:
        return json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False)
    lines = []
    for n, result in enumerate(outcome.results, 1):
        where = f"line {result.example.line}, " if result.example.line else ""
        lines.append(f"example {n} ({where}{result.example.notation}): {result.example.command}")
        lines += _field("expected", result.example.expected)
        lines += _field("got", result.got)
        lines.append(f"  matched: {'yes' if result.matched else 'no'} ({result.verdict.value})")
    if outcome.unread:
        at = ", ".join(str(f.line) for f in outcome.unread)
        lines.append(f"unread: {len(outcome.unread)} example-like passage(s) at line(s) {at}")
    lines.append(f"status: {outcome.status} ({outcome.reason})")
    return "\n".join(lines)


def _field(name: str, text: str) -> list[str]:
    body = text.rstrip("\n").split("\n") if text.strip() else ["(nothing)"]
    return [f"  {name}:"] + [f"    | {line}" for line in body]
