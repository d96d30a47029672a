"""Idle watchdog for streamed answers: a no-progress window, never a wall-clock limit.

A local model may legitimately stream for an hour; what must not happen is a
stream that goes silent (a wedged server, a model stuck loading). Every event
received resets the window; when none arrives within ``idle_timeout_s`` the
stream is abandoned with :class:`~brain.StalledError` (transient: retry elsewhere).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

from brain._errors import StalledError

T = TypeVar("T")

#: 15 minutes: a 30B model on a laptop can take minutes to process a long prompt
#: before the first token, so the default errs far on the side of patience.
DEFAULT_IDLE_TIMEOUT_S = 900.0


async def watch_idle(
    events: AsyncIterable[T], idle_timeout_s: float, *, where: str
) -> AsyncIterator[T]:
    """Yield ``events``; raise StalledError if none arrives within ``idle_timeout_s``.

    ``idle_timeout_s <= 0`` disables the watchdog.
    """
    iterator = aiter(events)
    while True:
        try:
            if idle_timeout_s > 0:
                event = await asyncio.wait_for(anext(iterator), idle_timeout_s)
            else:
                event = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise StalledError(
                f"{where}: stream stalled: no progress for {idle_timeout_s:g}s"
            ) from None
        yield event
