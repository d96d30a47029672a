"""Per-turn compaction: old tool results shrink to one line so long tasks fit a small window.

The system message, the task's user message and the most recent turns are kept
verbatim; older tool results, and the file bodies inside older ``write_file``
calls, are replaced by a short note saying what was there.
"""

from __future__ import annotations

from brain import Message, Role, ToolCall

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
