"""Ask the harness brain for a structured answer, retrying before calling it infrastructure."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from brain import (
    BrainError,
    FatalError,
    Message,
    Role,
    Transport,
    ask_structured,
    honour_retry_after,
)
from gym.errors import InfraError

T = TypeVar("T", bound=BaseModel)

#: Brain calls before the episode is recorded as an infrastructure failure: a local
#: server reloading a model usually answers again within a couple of tries.
BRAIN_ATTEMPTS = 3


async def ask_brain(brain: Transport, prompt: str, model_cls: type[T], *, what: str) -> T:
    """One user-message request for ``model_cls``; InfraError naming ``what`` failed."""
    messages = [Message(role=Role.USER, content=prompt)]
    last: BrainError | None = None
    for _ in range(BRAIN_ATTEMPTS):
        try:
            return await ask_structured(brain, messages, model_cls)
        except BrainError as exc:
            last = exc
            if isinstance(exc, FatalError):
                break  # a bad key or unknown model: asking again cannot help
            await honour_retry_after(exc)
    raise InfraError(f"brain failed to {what}: {last}")
