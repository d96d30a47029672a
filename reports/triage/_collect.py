"""Collect failure-class evidence from the ledger, with references to the exact traces.

For each episode: every current finding of every dimension, and every event of each
turn's stored event log, is matched against the class table. Each hit carries trace
references into the artifact store — the event log file with its 1-based line numbers,
the "worker transcript" (the log's lines of the same task: its dispatches, tool calls,
notes and end; the swarm keeps no other transcript), and the produced code (the turn's
tree archive and the file inside it) — and each reference is checked to open.

A match is a :class:`Lead` first; its references are made (and checked) only when the hit
is shown, so a triage of 10,000 episodes opens a tree archive only for the hits it lists.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from ledger import UNKNOWN_VERSION, ArtifactRef, Ledger, LedgerError, RunView, read_jsonl
from reports.triage._classes import CLASSES, FailureClass
from reports.triage._index import EpisodeEvidence, RawFinding, episode_evidence

#: Transcript lines kept per reference (a long task's log is cut, the cut said).
TRANSCRIPT_LINES = 60
_TASK = re.compile(r"\btask (\S+)")


class TraceRef(BaseModel):
    """A trace a person should read: a stored artifact, and where in it."""

    kind: str = Field(description="events | transcript | code")
    path: str = Field(description="Artifact path relative to the gym dir.")
    lines: list[int] = Field(default_factory=list, description="1-based lines of the file.")
    member: str = Field(default="", description="File inside a tree archive (kind code).")
    opens: bool = Field(default=False, description="Checked: the file (and member) opens.")

    def where(self) -> str:
        """``path:1,2`` or ``path!member``: how the reference is printed."""
        if self.member:
            return f"{self.path}!{self.member}"
        return f"{self.path}:{','.join(map(str, self.lines))}" if self.lines else self.path


class Hit(BaseModel):
    """One piece of evidence of one class in one episode turn."""

    failure_class: str
    run_id: str
    episode_id: str
    turn: int | None = None
    detail: str = Field(description="One line: the finding's message or the event's gist.")
    traces: list[TraceRef] = Field(default_factory=list)


def run_version(run: RunView) -> str:
    """The swarm code version a run recorded; for runs from before it was recorded, the
    gym's checkout when the built-in swarm ran (the same checkout), else 'unknown'."""
    if run.swarm_version and run.swarm_version != UNKNOWN_VERSION:
        return run.swarm_version
    builtin = not (run.config or {}).get("swarm_cmd")
    return run.code_version if builtin and run.code_version else UNKNOWN_VERSION


class _Episode:
    """One episode's trace references; its event logs are read on first use and cached
    until :meth:`forget` (a scan of 10,000 episodes keeps no logs in memory)."""

    def __init__(self, ledger: Ledger, evidence: EpisodeEvidence):
        self.ledger, self.run_id, self.episode_id = ledger, evidence.run_id, evidence.episode_id
        self.events, self.trees = evidence.events, evidence.trees
        self._lines: dict[int | None, list[dict[str, Any]]] = {}

    def lines(self, turn: int | None) -> list[dict[str, Any]]:
        """The turn's events, in file order (line i+1 is item i); [] when none opens."""
        if turn not in self._lines:
            self._lines[turn] = _read_events(self.ledger, self.events.get(turn))
        return self._lines[turn]

    def forget(self) -> None:
        """Drop the cached event logs (they are read again if a shown hit needs them)."""
        self._lines.clear()

    def event_ref(self, turn: int | None, numbers: list[int], kind: str = "events") -> TraceRef:
        ref = self.events[turn]
        return TraceRef(kind=kind, path=ref.path, lines=numbers, opens=bool(self.lines(turn)))

    def transcript(self, turn: int | None, task: str) -> TraceRef | None:
        numbers = [i + 1 for i, e in enumerate(self.lines(turn)) if e.get("task_id") == task]
        if not numbers or turn not in self.events:
            return None
        return self.event_ref(turn, numbers[:TRANSCRIPT_LINES], "transcript")

    def code_ref(self, turn: int | None, file: str) -> TraceRef | None:
        tree = self.trees.get(turn) or self.trees.get(None)
        if tree is None:
            return None
        member = file if file.startswith("./") else f"./{file}"
        return TraceRef(
            kind="code", path=tree.path, member=member, opens=_opens(self.ledger, tree, member)
        )


def _read_events(ledger: Ledger, ref: ArtifactRef | None) -> list[dict[str, Any]]:
    if ref is None:
        return []
    try:
        return read_jsonl(ledger.artifact_path(ref))
    except (OSError, LedgerError):
        return []


def _opens(ledger: Ledger, tree: ArtifactRef, member: str) -> bool:
    try:
        with tarfile.open(ledger.artifact_path(tree)) as archive:
            archive.getmember(member)
    except (OSError, LedgerError, KeyError, tarfile.TarError):
        return False
    return True


class Lead(NamedTuple):
    """A hit found but not yet built: its traces are opened only when it is shown.

    A tuple, not a model: a large ledger makes tens of thousands and shows 25 per class.
    """

    failure_class: str
    episode_id: str
    build: Callable[[], Hit]

    def hit(self) -> Hit:
        """The hit with its trace references (reads the artifacts it points into)."""
        return self.build()


#: Finding code -> the classes that read it (in table order): other codes are never parsed.
_BY_CODE: dict[str, tuple[FailureClass, ...]] = {
    code: tuple(c for c in CLASSES if any(code == own for own, _ in c.findings))
    for code in {code for cls in CLASSES for code, _ in cls.findings}
}
_CODES = frozenset(_BY_CODE)


@lru_cache(maxsize=4096)
def _finding_classes(code: str, message: str) -> tuple[FailureClass, ...]:
    """The classes a finding shows (cached: a run repeats the same messages many times)."""
    return tuple(c for c in _BY_CODE.get(code, ()) if c.finding_matches(code, message))


def collect_leads(ledger: Ledger, episodes: Iterable[EpisodeEvidence]) -> list[Lead]:
    """Every class hit of these episodes, in order: per episode its findings (turn order),
    then its events (turn, then line order), each matched against every class in turn."""
    leads: list[Lead] = []
    for evidence in episodes:
        ep = _Episode(ledger, evidence)
        for graded, finding in evidence.raw_findings(_CODES):
            leads += _finding_leads(ep, graded, finding)
        for turn in sorted(ep.events, key=lambda t: t or 0):
            leads += _event_leads(ep, turn)
        ep.forget()
    return leads


def episode_hits(ledger: Ledger, run_id: str, episode_id: str) -> list[Hit]:
    """Every class hit of one episode, from its findings and its event logs."""
    evidence = episode_evidence(ledger, run_id, episode_id)
    return [lead.hit() for lead in collect_leads(ledger, [evidence])]


def _finding_leads(ep: _Episode, turn: int, finding: RawFinding) -> list[Lead]:
    return [
        Lead(cls.name, ep.episode_id, partial(_finding_hit, ep, turn, cls, finding))
        for cls in _finding_classes(finding.code, finding.message)
    ]


def _finding_hit(ep: _Episode, turn: int, cls: FailureClass, finding: RawFinding) -> Hit:
    traces = []
    if finding.file:
        code = ep.code_ref(turn, finding.file)
        if code is not None:
            traces.append(code)
    task = _TASK.search(finding.message)
    if task and turn in ep.events:
        transcript = ep.transcript(turn, task.group(1))
        if transcript is not None:
            traces.append(transcript)
    if not traces and turn in ep.events:
        traces.append(ep.event_ref(turn, []))
    where = f" ({finding.file}:{finding.line})" if finding.file and finding.line else ""
    detail = f"{finding.code}: {finding.message}{where}"
    return Hit(
        failure_class=cls.name,
        run_id=ep.run_id,
        episode_id=ep.episode_id,
        turn=turn,
        detail=detail[:300],
        traces=traces,
    )


def _event_leads(ep: _Episode, turn: int | None) -> list[Lead]:
    leads = []
    for number, event in enumerate(ep.lines(turn), start=1):
        name = str(event.get("event", ""))
        if name not in _EVENTS:
            continue  # no rule reads it: skip the JSON text
        text = json.dumps(event, sort_keys=True)
        for cls in CLASSES:
            if any(rule.matches(name, text) for rule in cls.events):
                task = event.get("task_id")
                build = partial(_event_hit, ep, turn, cls, number, name, task)
                leads.append(Lead(cls.name, ep.episode_id, build))
    return leads


#: Every event name some class reads.
_EVENTS = frozenset(rule.event for cls in CLASSES for rule in cls.events)


def _event_hit(
    ep: _Episode, turn: int | None, cls: FailureClass, number: int, name: str, task: Any
) -> Hit:
    traces = [ep.event_ref(turn, [number])]
    if isinstance(task, str) and (transcript := ep.transcript(turn, task)):
        traces.append(transcript)
    detail = f"event {name} (line {number})" + (f" task {task}" if task else "")
    return Hit(
        failure_class=cls.name,
        run_id=ep.run_id,
        episode_id=ep.episode_id,
        turn=turn,
        detail=detail,
        traces=traces,
    )
