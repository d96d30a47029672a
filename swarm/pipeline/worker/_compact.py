"""Compaction: what is cut so a conversation fits a small context window.

Per turn, the system message, the task's user message and the most recent turns are
kept verbatim; older tool results, and the file bodies inside older ``write_file``
calls, are replaced by a short note saying what was there. When even that is too big
(a node's context is small, or the server refused the prompt), the task's user message
itself is rebuilt with its dependency, current and prior-attempt files cut to outlines
(signatures kept, bodies cut), then to their names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from brain import Message, Role, ToolCall
from swarm.pipeline.worker._outline import outline
from swarm.pipeline.worker._prompts import WorkerBrief, worker_user_message

COMPACTED = "[compacted: {n} characters of earlier {what} output]"


def conversation_chars(messages: list[Message]) -> int:
    """Rough size of a conversation: message text plus tool-call arguments."""
    total = 0
    for message in messages:
        total += len(message.content)
        for call in message.tool_calls:
            total += sum(len(str(v)) for v in call.arguments.values())
    return total


def _recent_start(messages: list[Message], keep_turns: int) -> int:
    """Index of the first message of the last ``keep_turns`` assistant turns."""
    seen = 0
    for index in range(len(messages) - 1, 1, -1):
        if messages[index].role is Role.ASSISTANT:
            seen += 1
            if seen >= keep_turns:
                return index
    return 2 if keep_turns else len(messages)


def _shrink_call(call: ToolCall) -> ToolCall:
    content = call.arguments.get("content")
    if call.name != "write_file" or not isinstance(content, str):
        return call
    if content.startswith("[compacted"):
        return call
    args = dict(call.arguments, content=COMPACTED.format(n=len(content), what="write_file"))
    return call.model_copy(update={"arguments": args})


def _shrink(message: Message) -> Message | None:
    """A smaller copy of an old message, or None when there is nothing to shrink."""
    if message.role is Role.TOOL and not message.content.startswith("[compacted"):
        if len(message.content) <= 200:
            return None  # short results (e.g. "wrote x.py") carry the story; keep them
        text = COMPACTED.format(n=len(message.content), what=message.name or "tool")
        return message.model_copy(update={"content": text})
    if message.role is Role.ASSISTANT and message.tool_calls:
        calls = [_shrink_call(c) for c in message.tool_calls]
        if any(a is not b for a, b in zip(calls, message.tool_calls, strict=True)):
            return message.model_copy(update={"tool_calls": calls})
    return None


def compact_messages(messages: list[Message], max_chars: int, keep_turns: int) -> int:
    """Compact old messages in place, oldest first, until under ``max_chars``; returns count."""
    if conversation_chars(messages) <= max_chars:
        return 0
    compacted = 0
    for index in range(2, _recent_start(messages, keep_turns)):
        smaller = _shrink(messages[index])
        if smaller is None:
            continue
        messages[index] = smaller
        compacted += 1
        if conversation_chars(messages) <= max_chars:
            break
    return compacted


# -- the first message -----------------------------------------------------------------------

#: How far the task's user message is cut, in order, until it fits: dependency files to
#: outlines, then the owned/prior files to outlines, then dependency files to their names,
#: then the owned/prior files to their names. The spec and the ownership lines always stay.
SHRINK_LEVELS = 5
_OMITTED = "[contents omitted to fit the context window: read_file {path} if you need it]"


def _outlined(files: Mapping[str, str]) -> dict[str, str]:
    return {path: outline(path, text) for path, text in files.items()}


def _named(files: Mapping[str, str]) -> dict[str, str]:
    return {path: _OMITTED.format(path=path) for path in files}


def brief_at_level(brief: WorkerBrief, level: int) -> WorkerBrief:
    """``brief`` with its file sections cut to shrink ``level`` (0 = as given)."""
    deps, current, prior = brief.dependency_files, brief.current_files, brief.prior_work
    if level >= 1:
        deps = _outlined(deps)
    if level >= 2:
        current, prior = _outlined(current), _outlined(prior)
    if level >= 3:
        deps = _named(deps)
    if level >= 4:
        current, prior = _named(current), _named(prior)
    return replace(brief, dependency_files=deps, current_files=current, prior_work=prior)


def fit_user_message(brief: WorkerBrief, max_chars: int, start_level: int = 0) -> tuple[str, int]:
    """The task's user message at the lowest shrink level (from ``start_level``) that fits."""
    level = start_level
    text = worker_user_message(brief_at_level(brief, level))
    while len(text) > max_chars and level < SHRINK_LEVELS - 1:
        level += 1
        text = worker_user_message(brief_at_level(brief, level))
    return text, level
