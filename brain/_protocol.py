"""The one interface every model transport implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from brain._types import ChatRequest, ChatResponse


@runtime_checkable
class Transport(Protocol):
    """An async chat endpoint: a node of the fleet or the harness brain.

    ``url`` is the node URL it was built from and ``model`` the model it asks for.
    Implementations raise only :class:`brain.BrainError` subclasses.
    """

    url: str
    model: str

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Send one chat turn and return the normalized answer."""
        ...

    async def probe(self) -> list[str]:
        """Check the endpoint answers; return the model ids it serves."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
