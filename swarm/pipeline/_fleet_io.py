"""Opening the fleet's transports: build, probe (unreachable nodes are dropped), meter usage."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from brain import (
    BrainError,
    ChatRequest,
    ChatResponse,
    NodeSpec,
    Transport,
    Usage,
    transport_for,
)
from swarm.errors import FleetError
from swarm.protocols import EventSink


class MeteredTransport:
    """A transport wrapper that adds up token usage (planner and contract calls).

    It also says, once per node and change, how the node is asked for structured output
    (the ``structured_output`` event: json_schema, json_object, prompt or tool).
    """

    def __init__(
        self,
        inner: Transport,
        meter: UsageMeter,
        events: EventSink | None = None,
        *,
        max_tokens: int | None = None,
        calls: EventSink | None = None,
        node: str = "",
    ) -> None:
        self.inner = inner
        self.meter = meter
        self.events = events
        self.max_tokens = max_tokens
        self.calls, self.node = calls, node  # where each call's ``model_call`` goes (timeline)
        self.url = inner.url
        self.model = inner.model
        self.structured_via: str | None = None

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Forward one chat turn (bounded to ``max_tokens`` unless it says less) and count it."""
        if self.max_tokens and (request.max_tokens or self.max_tokens + 1) > self.max_tokens:
            request = request.model_copy(update={"max_tokens": self.max_tokens})
        started = time.monotonic()
        try:
            response = await self.inner.chat(request)
        except BrainError:
            self._call_event(started, None)
            raise
        self._call_event(started, response)
        self.meter.usage = self.meter.usage + response.usage
        self.meter.answers += 1
        via = response.structured_via
        if via is not None and via != self.structured_via:
            self.structured_via = via
            if self.events is not None:
                self.events.emit("structured_output", node=self.url, via=via)
        return response

    def _call_event(self, started: float, response: ChatResponse | None) -> None:
        """``model_call``: node, wall latency, the latency the model reports, tokens (timeline)."""
        if self.calls is None:
            return
        usage = response.usage if response is not None else Usage()
        self.calls.emit(
            "model_call",
            node=self.node,
            elapsed_ms=round((time.monotonic() - started) * 1000, 1),
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            model_ms=round(response.latency_ms, 1) if response is not None else None,
            ok=response is not None,
        )

    def __getattr__(self, name: str) -> object:
        """Anything else (a node's context size, its structured rung) is the inner transport's."""
        return getattr(self.inner, name)

    async def probe(self) -> list[str]:
        """Forward the probe."""
        return await self.inner.probe()

    async def aclose(self) -> None:
        """Nothing to release: the inner transport is closed by its owner."""


@dataclass
class UsageMeter:
    """Tokens spent outside the scheduler (planning, contracts, gates)."""

    usage: Usage = field(default_factory=Usage)
    answers: int = 0
    """Model answers received (any content): zero means no model got to say anything."""


def build_transports(
    nodes: Sequence[NodeSpec], *, idle_timeout_s: float, timeout_s: float
) -> dict[str, Transport]:
    """One transport per node; a bad URL or option is a one-line FleetError."""
    transports: dict[str, Transport] = {}
    for node in nodes:
        try:
            transports[node.name] = transport_for(
                node.url,
                model=node.model or None,
                idle_timeout_s=idle_timeout_s,
                timeout_s=timeout_s,
            )
        except BrainError as exc:
            raise FleetError(f"node {node.name}: {exc}") from None
    return transports


async def probe_fleet(transports: dict[str, Transport], timeout_s: float) -> dict[str, str]:
    """Probe every node at once; returns ``name -> reason`` for the nodes that did not answer."""

    async def one(name: str, transport: Transport) -> tuple[str, str | None]:
        try:
            await asyncio.wait_for(transport.probe(), timeout_s)
        except TimeoutError:
            return name, f"no answer within {timeout_s:g}s"
        except BrainError as exc:
            return name, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return name, None

    results = await asyncio.gather(*(one(n, t) for n, t in transports.items()))
    return {name: reason for name, reason in results if reason is not None}


async def close_all(transports: dict[str, Transport]) -> None:
    """Close every transport, ignoring errors on the way out."""
    for transport in transports.values():
        try:
            await transport.aclose()
        except BrainError:
            continue  # a node that fails to close cleanly must not hide the run's result
