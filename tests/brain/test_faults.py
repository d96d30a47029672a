"""Injected faults reach callers as the right error class, over both protocols, streamed and not."""

from __future__ import annotations

import asyncio
import time

import pytest

from brain import (
    ChatRequest,
    ChatResponse,
    ContentError,
    FatalError,
    Message,
    Role,
    StalledError,
    TransientError,
)
from brain.sim._reply import Fault, FaultKind, SimReply

LONG = ChatResponse(text="a long answer that arrives in many pieces " * 10)


def _ask(stream: bool) -> ChatRequest:
    return ChatRequest(messages=[Message(role=Role.USER, content="hi")], stream=stream)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        (
            Fault(FaultKind.HTTP_ERROR, 503, "model is unloaded"),
            TransientError,
            ["503", "model is unloaded"],
        ),
        (
            Fault(FaultKind.HTTP_ERROR, 500, "internal error"),
            TransientError,
            ["500", "internal error"],
        ),
        (Fault(FaultKind.HTTP_ERROR, 429, "slow down"), TransientError, ["429"]),
        (
            Fault(FaultKind.HTTP_ERROR, 400, "model not loaded"),
            TransientError,
            ["400", "not loaded"],
        ),
        (Fault(FaultKind.HTTP_ERROR, 401, "invalid x-api-key"), FatalError, ["401", "API key"]),
        (
            Fault(FaultKind.HTTP_ERROR, 404, "model 'nope' not found"),
            FatalError,
            ["404", "unknown model"],
        ),
        (Fault(FaultKind.HTTP_ERROR, 422, "unsupported field"), ContentError, ["422"]),
    ],
)
async def test_http_fault_arrives_as_its_error_class_with_one_line_status(
    serve, connect, protocol, stream, fault, error, words
) -> None:
    transport = connect(serve([fault]), protocol)

    with pytest.raises(error) as info:
        await transport.chat(_ask(stream))

    message = str(info.value)
    assert type(info.value) is error, "fatal and transient must not be confused"
    assert all(w in message for w in words), message
    assert "\n" not in message
    assert info.value.status == fault.status


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("after", [0, 1])
async def test_dropped_connection_is_transient(serve, connect, protocol, stream, after) -> None:
    transport = connect(
        serve([SimReply(LONG, Fault(FaultKind.DROP, after_chunks=after))]), protocol
    )

    with pytest.raises(TransientError) as info:
        await transport.chat(_ask(stream))

    assert not isinstance(info.value, StalledError)
    assert "\n" not in str(info.value)


async def test_stalled_stream_trips_the_idle_watchdog(serve, connect, protocol) -> None:
    stall = SimReply(LONG, Fault(FaultKind.STALL, after_chunks=3))
    transport = connect(serve([stall]), protocol, idle_timeout_s=0.3)

    started = time.monotonic()
    with pytest.raises(StalledError, match="stalled: no progress for 0.3s"):
        await transport.chat(_ask(stream=True))

    assert time.monotonic() - started < 3


async def test_watchdog_window_resets_on_every_event_so_slow_streams_survive(
    serve, connect, protocol
) -> None:
    # ~0.8 s in total, but never more than ~0.05 s between chunks: slow is not stalled.
    slow = SimReply(LONG, latency_s=0.8)
    transport = connect(serve([slow]), protocol, idle_timeout_s=0.3)

    answer = await transport.chat(_ask(stream=True))

    assert answer.text == LONG.text.strip()
    assert answer.latency_ms > 600


async def test_stalled_stream_with_watchdog_disabled_waits_for_the_http_timeout(
    serve, connect
) -> None:
    stall = SimReply(LONG, Fault(FaultKind.STALL, after_chunks=2))
    transport = connect(serve([stall]), "openai", idle_timeout_s=0, timeout_s=0.5)

    with pytest.raises(TransientError) as info:
        await transport.chat(_ask(stream=True))

    assert not isinstance(info.value, StalledError)


async def test_policy_failure_reaches_the_client_as_a_transient_500(
    serve, connect, protocol
) -> None:
    transport = connect(serve([]), protocol)  # an empty script: the policy raises

    with pytest.raises(TransientError, match="500.*script exhausted"):
        await transport.chat(_ask(stream=False))


async def test_stopping_the_server_releases_a_stalled_stream(connect, protocol) -> None:
    from brain.sim._scripted import ScriptedPolicy
    from brain.sim.server import SimServer

    server = SimServer(ScriptedPolicy([SimReply(LONG, Fault(FaultKind.STALL, after_chunks=1))]))
    transport = connect(server.start(), protocol, idle_timeout_s=0)
    waiting = asyncio.create_task(transport.chat(_ask(stream=True)))
    await asyncio.sleep(0.2)

    started = time.monotonic()
    await asyncio.to_thread(server.stop)

    assert time.monotonic() - started < 2
    with pytest.raises(TransientError):
        await asyncio.wait_for(waiting, 2)


async def test_a_fault_after_more_chunks_than_the_answer_has_still_fires(serve, connect) -> None:
    short = SimReply(ChatResponse(text="ok"), Fault(FaultKind.DROP, after_chunks=50))
    transport = connect(serve([short, short]), "openai")

    for stream in (False, True):
        with pytest.raises(TransientError):
            await transport.chat(_ask(stream))
