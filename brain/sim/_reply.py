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
    #: HTTP status for HTTP_ERROR (classified as a real server's would be); unused otherwise.
    status: int = 503
    #: Error text the raised error (or the HTTP error body) carries.
    message: str = "model is unloaded"
    #: Chunks streamed before a DROP or STALL hits; 0 = before the first.
    after_chunks: int = 0


@dataclass(frozen=True)
class SimReply:
    """The policy's answer: the response, an optional fault, and modelled latency."""

    #: The answer; not delivered when ``fault`` is set.
    response: ChatResponse
    #: What goes wrong instead of (or part-way through) the answer; None = no fault.
    fault: Fault | None = None
    #: Modelled seconds to answer (prefill + decode, × time_scale), slept before delivery.
    latency_s: float = 0.0


class SimPolicy(Protocol):
    """A deterministic function of (request, model, seed): never of call order."""

    def reply(self, request: ChatRequest, model: str) -> SimReply:
        """Answer one chat request."""
        ...
