"""Research scouts: read-only, fixed-lens research before planning, one scout per device.

The lenses are fixed (codebase, libraries, architecture, edge cases) and dealt round-robin
over the fleet's devices, so a fleet of two runs the first two and a fleet of six runs
codebase and libraries twice. A scout is offered no tool at all: it reads only what its
prompt gives it (the spec and, through the codebase lens, the files already in the
workdir), so it cannot change anything. Each scout asks its lens's probes one structured
call at a time (``ScoutFindings``); every call is bounded in tokens (``scouts.max_tokens``)
and in time (what is left of the scout's ``scouts.budget_s``). A scout that overruns its
budget returns the findings of the probes it finished, marked partial; one whose node fails
returns what it has: research is advice, never a reason to stop a run.

The merged findings, capped at ``scouts.max_chars``, are a ``SCOUT FINDINGS:`` block the
run adds to every later prompt (planner, detailer, contract writer, workers). Each scout
writes one ``scout_finished`` event (lens, device, partial, findings, chars, elapsed_s).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from brain import BrainError, Message, Role, Transport, ask_structured
from swarm._paths import owned_path
from swarm.knobs import Knobs, register_knob
from swarm.protocols import EventSink

register_knob(
    "scouts.enabled",
    bool,
    True,
    "Run read-only research scouts (one per device, fixed lenses) before planning.",
    tunable=True,
)
register_knob(
    "scouts.budget_s",
    float,
    # Two probes of a local 30B model at ~40 tokens/s fit in two minutes; a scout that
    # needs longer hands back what it has rather than holding up planning.
    120.0,
    "Wall-clock budget of one scout (seconds); an overrun returns partial findings.",
    bounds=(0.001, 3600.0),
)
register_knob(
    "scouts.max_tokens",
    int,
    512,
    "Most tokens one scout answer may hold.",
    bounds=(16, 8192),
)
register_knob(
    "scouts.max_chars",
    int,
    # Findings ride along in every later prompt; 2000 characters is ~500 tokens there.
    2000,
    "Cap (characters) of the merged scout findings added to every later prompt.",
    bounds=(100, 50_000),
)

#: Findings one probe may contribute, and characters of one finding (model output is untrusted).
_PER_PROBE = 6
_FINDING_CHARS = 300
#: Characters of existing project files shown to the codebase lens.
_CODEBASE_CHARS = 6000

SCOUT_SYSTEM = """\
You are a research scout for a team of coding agents about to plan and build a project.
You only read: you write no code and no files. Look at the project through one lens and
report short, concrete findings (at most {n}, one fact, risk or decision each) that will
help the team build it correctly. Say what is easy to miss; do not restate the spec.
"""

SCOUT_USER = """\
LENS: {lens} — {question}

PROJECT SPEC:
{spec}
{existing}
Answer as ScoutFindings: findings, a list of short strings.
"""


class ScoutFindings(BaseModel):
    """What one scout probe answers."""

    findings: list[str] = Field(
        default_factory=list,
        description="Short, concrete findings through the lens: one fact, risk or decision each.",
    )


@dataclass(frozen=True)
class Lens:
    """One fixed research angle and the questions (probes) a scout asks through it."""

    name: str
    probes: tuple[str, ...]
    shows_files: bool = False
    """The prompt shows the project's existing files (the codebase lens)."""


LENSES: tuple[Lens, ...] = (
    Lens(
        "codebase",
        (
            "Which existing files, modules and conventions must the new work fit around?",
            "Which existing code will change, and what of it must keep working?",
        ),
        shows_files=True,
    ),
    Lens(
        "libraries",
        (
            "Which standard-library modules (or libraries the spec allows) fit each part?",
            "Which library behaviours (rounding, formatting, encodings, sorting) could make "
            "the output differ from the spec's?",
        ),
    ),
    Lens(
        "architecture",
        (
            "How should the project split into packages and modules, and where is the "
            "command-line entry point?",
            "Which data formats and interfaces pass between the modules?",
        ),
    ),
    Lens(
        "edge cases",
        (
            "Which inputs are empty, missing, malformed or at a boundary, and what must "
            "happen for each?",
            "Which exact output formats, messages and exit codes does the spec pin?",
        ),
    ),
)


@dataclass
class ScoutReport:
    """What one scout found: its lens, its device and whether it finished every probe."""

    lens: str
    device: str
    findings: list[str] = field(default_factory=list)
    partial: bool = False
    """It overran its budget (or its node failed) before finishing every probe."""
    error: str | None = None
    elapsed_s: float = 0.0


@dataclass
class Scouting:
    """All scouts' reports and the capped block every later prompt gets."""

    reports: list[ScoutReport] = field(default_factory=list)
    max_chars: int = 2000

    @property
    def text(self) -> str:
        """The ``SCOUT FINDINGS:`` block (empty when nothing was found), at most ``max_chars``."""
        lines = [f"- [{r.lens}] {f}" for r in self.reports for f in r.findings]
        if not lines:
            return ""
        head = "SCOUT FINDINGS (read-only research before planning; hints, not requirements):"
        return _capped("\n".join([head, *lines]), self.max_chars)


def _capped(text: str, limit: int) -> str:
    """Cut at a line boundary so a finding is never half-shown."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit("\n", 1)[0]
    return cut + "\n- [more findings cut to fit]"


def _clean(findings: Sequence[str]) -> list[str]:
    """Untrusted model text: one line each, bounded, no empties or repeats."""
    kept = [" ".join(str(f).split())[:_FINDING_CHARS] for f in findings]
    return list(dict.fromkeys(f for f in kept if f))[:_PER_PROBE]


def existing_block(workdir: Path, files: Sequence[str]) -> str:
    """The project's existing files for the codebase lens: names, then small contents."""
    if not files:
        return "\nEXISTING FILES: (none: the project starts empty)\n"
    parts = ["\nEXISTING FILES:", *(f"- {p}" for p in files[:200])]
    used = 0
    for rel in files:
        path = owned_path(workdir, rel)  # resolved: a link out of the workdir is not followed
        if path is None or not path.is_file() or used + path.stat().st_size > _CODEBASE_CHARS:
            continue  # skip big files rather than reading them
        text = path.read_text(encoding="utf-8", errors="replace")
        parts.append(f"=== FILE: {rel} ===\n{text.rstrip()}")
        used += len(text)
    return "\n".join(parts) + "\n"


class Scouts:
    """Fans the lenses out over the fleet's transports (one scout per device), read-only."""

    def __init__(
        self,
        transports: Sequence[Transport],
        devices: Sequence[str],
        knobs: Knobs,
        events: EventSink,
    ) -> None:
        self.transports = list(transports)
        self.devices = list(devices)
        self.events = events
        self.budget_s = float(knobs.get("scouts.budget_s"))
        self.max_tokens = int(knobs.get("scouts.max_tokens"))
        self.max_chars = int(knobs.get("scouts.max_chars"))

    async def run(self, spec: str, existing: str = "") -> Scouting:
        """One scout per device, all at once; returns when every scout has reported."""
        jobs = [
            self._scout(LENSES[i % len(LENSES)], t, d, spec, existing)
            for i, (t, d) in enumerate(zip(self.transports, self.devices, strict=True))
        ]
        return Scouting(list(await asyncio.gather(*jobs)), self.max_chars)

    async def _scout(
        self, lens: Lens, transport: Transport, device: str, spec: str, existing: str
    ) -> ScoutReport:
        report = ScoutReport(lens.name, device)
        started = time.monotonic()
        deadline = started + self.budget_s
        for question in lens.probes:
            if not await self._probe(report, transport, deadline, lens, question, spec, existing):
                report.partial = True
                break
        report.elapsed_s = round(time.monotonic() - started, 3)
        self._emit(report)
        return report

    async def _probe(
        self,
        report: ScoutReport,
        transport: Transport,
        deadline: float,
        lens: Lens,
        question: str,
        spec: str,
        existing: str,
    ) -> bool:
        """Ask one probe inside what is left of the budget; False when the scout must stop."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        messages = self._messages(lens, question, spec, existing)
        try:
            async with asyncio.timeout(remaining):
                answer = await ask_structured(
                    transport, messages, ScoutFindings, max_tokens=self.max_tokens
                )
        except TimeoutError:
            report.error = f"budget of {self.budget_s:g}s spent"
            return False
        except BrainError as exc:
            report.error = str(exc)[:300]
            return False
        report.findings += [f for f in _clean(answer.findings) if f not in report.findings]
        return True

    def _messages(self, lens: Lens, question: str, spec: str, existing: str) -> list[Message]:
        user = SCOUT_USER.format(
            lens=lens.name,
            question=question,
            spec=spec.strip(),
            existing=existing if lens.shows_files else "",
        )
        return [
            Message(role=Role.SYSTEM, content=SCOUT_SYSTEM.format(n=_PER_PROBE)),
            Message(role=Role.USER, content=user),
        ]

    def _emit(self, report: ScoutReport) -> None:
        self.events.emit(
            "scout_finished",
            lens=report.lens,
            device=report.device,
            partial=report.partial,
            findings=len(report.findings),
            chars=sum(len(f) for f in report.findings),
            elapsed_s=report.elapsed_s,
            error=report.error,
        )


async def scout(
    transports: Sequence[Transport],
    devices: Sequence[str],
    knobs: Knobs,
    events: EventSink,
    *,
    spec: str,
    workdir: Path,
    files: Sequence[str],
) -> str:
    """Run the scouts when ``scouts.enabled``; the findings block for later prompts ('' if off)."""
    if not knobs.get("scouts.enabled") or not transports:
        return ""
    found = await Scouts(transports, devices, knobs, events).run(
        spec, existing_block(workdir, files)
    )
    return found.text
