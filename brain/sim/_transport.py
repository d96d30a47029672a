"""``sim:PROFILE[+PROFILE...]?seed=N&rate=R&time_scale=S&tps=T`` — the in-process simulator.

``tps`` is the modelled decode speed in tokens per second (default 40).

No network: the policy's :class:`SimReply` is delivered here, its latency slept with
:func:`asyncio.sleep` and its fault raised as the error class the wire transports
raise for the same fault (5xx/429/"model is unloaded"/dropped connection →
TransientError, 401/403/404 → FatalError, a stall → StalledError).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from brain._classify import classify_status
from brain._errors import BrainError, ConfigError, StalledError, TransientError
from brain._types import ChatRequest, ChatResponse
from brain.sim._policy import make_policy
from brain.sim._reply import Fault, FaultKind, SimPolicy

#: A stall lasts this long (× time_scale) before the server gives up on the stream; bounded,
#: so a caller with the watchdog disabled still gets an answer.
STALL_S = 30.0
#: Query options a ``sim:`` URL understands; fleet fields are stripped before we see the URL.
_OPTIONS = ("seed", "rate", "time_scale", "catalog", "model", "tps")


def fault_error(fault: Fault, *, where: str = "sim") -> BrainError:
    """The error a wire transport raises for ``fault``: the same classification rules."""
    if fault.kind is FaultKind.DROP:
        return TransientError(f"{where}: connection dropped: {fault.message}")
    if fault.kind is FaultKind.STALL:
        return StalledError(f"{where}: stream stalled: {fault.message}")
    return classify_status(fault.status, fault.message, where=where)


def _number(options: dict[str, str], name: str, kind: type, default: Any, url: str) -> Any:
    if name not in options:
        return default
    try:
        return kind(options[name])
    except ValueError:
        raise ConfigError(f"bad {name}={options[name]!r} in {url!r}; expected a number") from None


class SimTransport:
    """The simulator behind the :class:`brain.Transport` protocol, in-process."""

    #: Read by :func:`brain.is_simulated`: the simulator is never taken for a real model.
    served_by_simulator = True

    def __init__(
        self,
        policy: SimPolicy,
        *,
        url: str = "sim:competent",
        model: str | None = None,
        idle_timeout_s: float = 900.0,
        time_scale: float = 1.0,
    ):
        self.policy, self.url = policy, url
        self.model = model or f"sim-{urlsplit(url).path or 'competent'}"
        self.idle_timeout_s, self.time_scale = idle_timeout_s, time_scale

    @classmethod
    def from_url(
        cls, url: str, *, model: str | None = None, idle_timeout_s: float = 900.0, **_ignored: Any
    ) -> SimTransport:
        """Build from ``sim:drifter+flaky?seed=3&rate=0.5``; ConfigError if unusable."""
        parts = urlsplit(url.strip())
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise ConfigError(
                f"unknown sim option {unknown[0]!r} in {url!r}; known: {', '.join(_OPTIONS)}"
            )
        time_scale = _number(options, "time_scale", float, 1.0, url)
        policy = make_policy(
            parts.path or "competent",
            seed=_number(options, "seed", int, 0, url),
            rate=_number(options, "rate", float, None, url),
            time_scale=time_scale,
            catalog_dir=Path(options["catalog"]) if options.get("catalog") else None,
            decode_tps=_number(options, "tps", float, None, url),
        )
        return cls(
            policy,
            url=url,
            model=model or options.get("model"),
            idle_timeout_s=idle_timeout_s,
            time_scale=time_scale,
        )

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Answer after the modelled latency, or raise the injected fault's error."""
        reply = await asyncio.to_thread(self.policy.reply, request, self.model)
        fault = reply.fault
        if fault is None:
            await asyncio.sleep(reply.latency_s)
            return reply.response
        if fault.kind is FaultKind.STALL:
            await self._stall()
        if fault.kind is FaultKind.DROP:
            await asyncio.sleep(reply.latency_s / 2)  # dropped part-way through the answer
        raise fault_error(fault, where=self.url)

    async def _stall(self) -> None:
        """Go silent: the watchdog trips after idle_timeout_s, else the bounded stall ends it."""
        stall_s = STALL_S * self.time_scale
        idle = self.idle_timeout_s
        await asyncio.sleep(min(idle, stall_s) if idle > 0 else stall_s)
        if idle > 0 and idle <= stall_s:
            raise StalledError(f"{self.url}: no progress for {idle:g}s (idle watchdog)")
        raise StalledError(f"{self.url}: stream stalled for {stall_s:g}s and was closed")

    async def probe(self) -> list[str]:
        """The one model this simulated node serves."""
        return [self.model]

    async def aclose(self) -> None:
        """Nothing to release: no connection was opened."""
