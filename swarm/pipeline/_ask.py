"""Structured calls that survive a flaky node: retry transient failures on the next node.

Planning, detailing and contract calls happen before the scheduler exists, so they get
their own small retry rule: a transient error (5xx, dropped or stalled stream) or an
answer that stays invalid moves the call to the next node of the fleet, up to
``planner.call_attempts`` tries; a fatal error (bad key, unknown model) is raised at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

from brain import (
    ContentError,
    Message,
    TransientError,
    Transport,
    ask_structured,
    honour_retry_after,
)
from swarm.knobs import register_knob

register_knob(
    "planner.call_attempts",
    int,
    3,
    "Tries of one planning/detail/contract call, each on the next node, before "
    "it counts as failed.",
    bounds=(1, 20),
)

T = TypeVar("T", bound=BaseModel)


async def ask_across(
    transports: Sequence[Transport],
    start: int,
    messages: list[Message],
    model_cls: type[T],
    *,
    attempts: int,
) -> T:
    """``ask_structured`` on ``transports[start]``, moving on to the next node on failure."""
    last: Exception | None = None
    for offset in range(max(1, attempts)):
        transport = transports[(start + offset) % len(transports)]
        try:
            return await ask_structured(transport, messages, model_cls)
        except (TransientError, ContentError) as exc:
            last = exc
            await honour_retry_after(exc)
    assert last is not None
    raise last
