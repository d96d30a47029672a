"""A scripted :class:`SimPolicy`: answers from a list, or from a function of the request.

The test double for the wire layer (like Inspect's ``mockllm`` or pydantic-ai's
``FunctionModel``): tests say exactly what the "model" answers, and which fault it
injects, and then check what the SDKs and transports make of it. Unlike the
profile policies it depends on call order, which is what a script is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from brain._types import ChatRequest, ChatResponse
from brain.sim._reply import Fault, SimReply

#: One scripted answer: a plain response, a fault, or a full reply (with latency).
Scripted = ChatResponse | Fault | SimReply
ScriptFunction = Callable[[ChatRequest, str], Scripted]


class ScriptExhaustedError(AssertionError):
    """The code under test asked for more answers than the script has."""


def as_reply(item: Scripted) -> SimReply:
    """Normalize one scripted item to a SimReply."""
    if isinstance(item, SimReply):
        return item
    if isinstance(item, Fault):
        return SimReply(response=ChatResponse(), fault=item)
    return SimReply(response=item)


class ScriptedPolicy:
    """Replies in script order (or via ``script(request, model)``), recording every request."""

    def __init__(self, script: Iterable[Scripted] | ScriptFunction) -> None:
        self._function = script if callable(script) else None
        self._queue = [] if callable(script) else list(script)
        self._lock = threading.Lock()  # the HTTP server may call from worker threads
        self.requests: list[ChatRequest] = []
        self.models: list[str] = []

    def reply(self, request: ChatRequest, model: str) -> SimReply:
        """The next scripted answer to ``request``."""
        with self._lock:
            self.requests.append(request)
            self.models.append(model)
            if self._function is not None:
                return as_reply(self._function(request, model))
            if not self._queue:
                raise ScriptExhaustedError(
                    f"script exhausted after {len(self.requests) - 1} replies"
                )
            return as_reply(self._queue.pop(0))
