"""The simulator over real HTTP: OpenAI ``/v1/chat/completions`` and Anthropic ``/v1/messages``.

The wire encoders are kept apart from the transports on purpose: the server is the
transports' test double, and a shared encoder would let one bug pass on both sides.
"""

from __future__ import annotations

from brain.sim.server._app import SimServer

__all__ = ["SimServer"]
