"""The swarm's story of one turn: worker messages and tool calls, capped, as plain text.

Two stored sources: the event log (``tool_call``, ``file_written``, ``worker_note``, task
and judge events) and, when the swarm wrote one, the per-run transcript of worker
conversations (one JSON object per attempt). Both came from models and tools: every
value is turned into a short string here and escaped by the template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger import read_jsonl

#: Lines of an event log or transcript read at most.
READ_MAX_LINES = 5000
#: Entries shown per turn; the rest are counted.
ENTRY_MAX = 200
#: Characters of one message or field shown.
TEXT_MAX = 2000
#: Characters shown of a message the worker was given (the brief repeats the whole spec).
GIVEN_MAX = 600

#: Event log events worth a line in the transcript, with the fields that say what happened.
_EVENTS = {
    "task_dispatched": ("device", "attempt"),
    "tool_call": ("tool", "path", "ok", "error"),
    "file_written": ("path", "bytes"),
    "worker_note": ("note", "tool", "reason"),
    "task_retry": ("error_class", "error"),
    "task_completed": ("status", "outcome"),
    "judge_verdict": ("verdict", "reason"),
    "run_finished": ("status",),
}


@dataclass
class TranscriptEntry:
    """One line of the transcript."""

    #: event | system | user | assistant | tool
    kind: str
    #: Who: the task (and attempt) it belongs to, or the event name.
    who: str
    text: str


@dataclass
class Transcript:
    """What the swarm did in one turn: worker messages, then the event log's lines."""

    messages: list[TranscriptEntry] = field(default_factory=list)
    events: list[TranscriptEntry] = field(default_factory=list)
    #: Entries left out past :data:`ENTRY_MAX` (messages and events together).
    cut: int = 0
    #: True when a worker transcript was stored (else only tool calls and events are known).
    has_messages: bool = False


def _short(value: Any, limit: int = TEXT_MAX) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} more chars)"


def _records(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file; broken lines (a killed writer) are skipped."""
    return [r for r in read_jsonl(path, READ_MAX_LINES) if r]


def event_entries(path: Path) -> list[TranscriptEntry]:
    """Transcript lines from an event log."""
    entries = []
    for e in _records(path):
        keys = _EVENTS.get(str(e.get("event")))
        if keys is None:
            continue
        who = f"{e.get('task_id', '')} #{e.get('attempt', '')}".strip(" #")
        detail = " ".join(f"{k}={_short(e[k], 300)}" for k in keys if e.get(k) is not None)
        entries.append(TranscriptEntry("event", who or "run", f"{e['event']} {detail}".strip()))
    return entries


def message_entries(path: Path) -> list[TranscriptEntry]:
    """Transcript lines from a worker transcript: each attempt's messages in order."""
    entries = []
    for attempt in _records(path):
        who = f"{attempt.get('task_id', '?')} #{attempt.get('attempt', '?')}"
        for m in attempt.get("messages") or []:
            if isinstance(m, dict):
                entries.append(_message(who, m))
    return entries


def _message(who: str, m: dict[str, Any]) -> TranscriptEntry:
    role = str(m.get("role", "?"))
    text = _short(m.get("content") or "", TEXT_MAX if role == "assistant" else GIVEN_MAX)
    calls = [c for c in m.get("tool_calls") or [] if isinstance(c, dict)]
    for call in calls:
        text += f"\n→ {_short(call.get('name', '?'), 80)}({_short(call.get('arguments', {}), 600)})"
    kind = role if role in ("system", "user", "assistant", "tool") else "event"
    return TranscriptEntry(kind, who, text.strip())


def transcript(events: list[Path], messages: list[Path]) -> Transcript:
    """The turn's transcript: worker messages when stored, and the event lines, each capped."""
    said = [e for p in messages for e in message_entries(p)]
    done = [e for p in events for e in event_entries(p)]
    cut = max(0, len(said) - ENTRY_MAX) + max(0, len(done) - ENTRY_MAX)
    return Transcript(said[:ENTRY_MAX], done[:ENTRY_MAX], cut, bool(messages))
