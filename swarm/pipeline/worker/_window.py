"""Each device's context window, and the character budget a conversation on it may use.

The window comes from the node field ``?ctx=`` when given, else from the server
(:func:`brain.probe_context_tokens`, asked once per device, bounded), else it is
unknown and the ``worker.context_chars`` knob alone bounds the conversation. A
context-overflow refusal teaches a lower budget, so later attempts on that device
start small instead of being refused again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from brain import probe_context_tokens
from swarm.pipeline.worker._settings import WorkerSettings
from swarm.protocols import Device

#: Whole probe of one device (every endpoint tried), seconds.
PROBE_TIMEOUT_S = 6.0
#: No budget is cut below this: a prompt smaller than the spec cannot do the task anyway.
MIN_BUDGET_CHARS = 2_000


class ContextWindows:
    """Context sizes and learned budgets of the fleet's devices (shared by all attempts)."""

    def __init__(self, settings: WorkerSettings, tokens: Mapping[str, int | None]) -> None:
        self.settings = settings
        self._tokens: dict[str, int | None] = {k: v for k, v in tokens.items() if v}
        self._learned: dict[str, int] = {}

    async def tokens(self, device: Device) -> int | None:
        """The device's context window in tokens; None when unknown."""
        if device.name not in self._tokens:
            self._tokens[device.name] = await self._probe(device)
        return self._tokens[device.name]

    async def _probe(self, device: Device) -> int | None:
        if not self.settings.probe_context:
            return None
        try:
            return await asyncio.wait_for(
                probe_context_tokens(device.url, device.model), PROBE_TIMEOUT_S
            )
        except Exception:  # noqa: BLE001 - a failed probe means "unknown"; dispatch never raises
            return None

    def budget(self, device: Device, tokens: int | None) -> int:
        """Characters the whole conversation may hold on ``device``."""
        budget = self.settings.context_chars
        if tokens:
            free = tokens * (1.0 - self.settings.reply_share)
            budget = min(budget, int(free * self.settings.chars_per_token))
        budget = min(budget, self._learned.get(device.name, budget))
        return max(MIN_BUDGET_CHARS, budget)

    def learn(self, device: Device, refused_at: int) -> int:
        """A prompt of ``refused_at`` characters overflowed: the smaller budget to use now."""
        smaller = max(MIN_BUDGET_CHARS, int(refused_at * 0.6))
        self._learned[device.name] = min(self._learned.get(device.name, smaller), smaller)
        return self._learned[device.name]
