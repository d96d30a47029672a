"""A 429's Retry-After reaches the caller as ``TransientError.retry_after_s`` and is waited."""

from __future__ import annotations

import time

import pytest

from brain import ChatRequest, Message, Role, TransientError, honour_retry_after
from brain.sim._reply import Fault, FaultKind

ASK = ChatRequest(messages=[Message(role=Role.USER, content="hi")])


async def test_a_429_carries_the_servers_retry_after(serve, connect, protocol) -> None:
    transport = connect(serve([Fault(FaultKind.HTTP_ERROR, 429, "slow down")]), protocol)
    with pytest.raises(TransientError) as caught:
        await transport.chat(ASK)
    assert caught.value.retry_after_s == 1.0


async def test_honouring_waits_as_long_as_asked_and_not_without_a_header() -> None:
    asked, silent = TransientError("429"), TransientError("503")
    asked.retry_after_s = 0.2

    started = time.monotonic()
    await honour_retry_after(asked)
    waited = time.monotonic() - started
    await honour_retry_after(silent)

    assert 0.19 <= waited and time.monotonic() - started - waited < 0.05
