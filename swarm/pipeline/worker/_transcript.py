"""A capped transcript of each attempt's conversation, for the report's drill-down.

The event log says what tools ran; only the conversation says what the worker was told and
what it answered. One JSON line per attempt is appended to ``.swarm/transcript-<run>.jsonl``
beside the event log; every message and argument is cut, so a chatty model cannot fill the
disk. The file is bookkeeping (``.swarm``), never part of the produced app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from brain import Message, Role

#: Characters kept of one message's text.
MESSAGE_CHARS = 4000
#: Characters kept of one tool call's arguments (JSON).
ARGUMENT_CHARS = 1000
#: Messages kept per attempt (the latest ones).
MESSAGES_KEPT = 120


def transcript_path(event_log: Path) -> Path:
    """The transcript beside an event log: ``run-<id>.jsonl`` -> ``transcript-<id>.jsonl``."""
    return event_log.with_name("transcript-" + event_log.name.removeprefix("run-"))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} chars cut)"


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role.value, "content": _cut(m.content, MESSAGE_CHARS)}
    if m.tool_calls:
        out["tool_calls"] = [
            {"name": c.name, "arguments": _cut(json.dumps(c.arguments), ARGUMENT_CHARS)}
            for c in m.tool_calls
        ]
    if m.name:
        out["name"] = m.name
    return out


def append_transcript(path: Path, fields: dict[str, Any], messages: list[Message]) -> None:
    """Append one attempt (its ``fields`` and latest messages, system prompt left out)."""
    kept = [m for m in messages if m.role is not Role.SYSTEM][-MESSAGES_KEPT:]
    line = {**fields, "messages": [_message(m) for m in kept]}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
