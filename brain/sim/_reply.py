"""What the simulator's policy returns: a normalized answer plus how to deliver it.

The same :class:`SimReply` is delivered in-process by ``SimTransport`` and over
HTTP by the sim server, so faults reach callers as the same error classes either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from brain._types import ChatRequest, ChatResponse


class FaultKind(StrEnum):
    """Misbehaviours of real local servers the simulator reproduces."""

    HTTP_ERROR = "http_error"  # e.g. 503 "model is unloaded", 500
    DROP = "drop"  # connection closed mid-answer
    STALL = "stall"  # stream goes silent after ``after_chunks`` chunks


@dataclass(frozen=True)
class Fault:
    """A fault to inject instead of (or part-way through) the answer."""

    kind: FaultKind
    status: int = 503
    message: str = "model is unloaded"
    after_chunks: int = 0


@dataclass(frozen=True)
class SimReply:
    """The policy's answer: the response, an optional fault, and modelled latency."""

    response: ChatResponse
    fault: Fault | None = None
    latency_s: float = 0.0


class SimPolicy(Protocol):
    """A deterministic function of (request, model, seed): never of call order."""

    def reply(self, request: ChatRequest, model: str) -> SimReply:
        """Answer one chat request."""
        ...
