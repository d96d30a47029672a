"""The simulator's own profiles, served over HTTP, drive our transports like a real model would."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from brain import (
    ChatRequest,
    Message,
    Role,
    ToolSpec,
    TransientError,
    ask_structured,
    transport_for,
)
from brain.sim import SimServer

TOOLS = [
    ToolSpec(
        name="write_file",
        parameters={
            "type": "object",
            "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
            "required": ["path", "content"],
        },
    ),
    ToolSpec(
        name="read_file", parameters={"type": "object", "properties": {"path": {"type": "string"}}}
    ),
    ToolSpec(
        name="done", parameters={"type": "object", "properties": {"summary": {"type": "string"}}}
    ),
]
PROMPT = (
    "PROJECT SPEC:\na tool nobody catalogued, run as python -m mystery\n"
    "OWNED FILES: mystery/__main__.py\nWrite each owned file, then call done."
)


def _url(server: SimServer, protocol: str) -> str:
    return (
        server.openai_base_url
        if protocol == "openai"
        else f"anthropic:claude-sim?base_url={server.base_url}"
    )


async def _worker_loop(transport, *, stream: bool) -> list[tuple[str, dict]]:
    """A minimal agent loop: execute nothing, acknowledge each call, stop at done."""
    messages = [Message(role=Role.USER, content=PROMPT)]
    calls: list[tuple[str, dict]] = []
    for _turn in range(6):
        answer = await transport.chat(ChatRequest(messages=messages, tools=TOOLS, stream=stream))
        messages.append(
            Message(role=Role.ASSISTANT, content=answer.text, tool_calls=answer.tool_calls)
        )
        for call in answer.tool_calls:
            assert call.error is None, call.error
            calls.append((call.name, call.arguments))
            messages.append(
                Message(role=Role.TOOL, content="ok", tool_call_id=call.id, name=call.name)
            )
        if not answer.tool_calls or calls[-1][0] == "done":
            break
    return calls


@pytest.mark.parametrize("stream", [False, True])
async def test_competent_worker_writes_its_file_and_calls_done_over_http(protocol, stream) -> None:
    with SimServer(profile="competent", seed=1) as server:
        transport = transport_for(_url(server, protocol), model="sim-competent", timeout_s=5)
        calls = await _worker_loop(transport, stream=stream)
        await transport.aclose()

    names = [name for name, _args in calls]
    assert names[0] == "write_file" and names[-1] == "done"
    assert calls[0][1]["path"] == "mystery/__main__.py"
    compile(calls[0][1]["content"], "mystery/__main__.py", "exec")


class Estimate(BaseModel):
    hours: int
    risky: bool


async def test_competent_sim_answers_structured_requests_over_http(protocol) -> None:
    with SimServer(profile="competent") as server:
        transport = transport_for(_url(server, protocol), model="sim-competent", timeout_s=5)
        answer = await ask_structured(
            transport, [Message(role=Role.USER, content="Estimate.")], Estimate
        )
        await transport.aclose()

    assert isinstance(answer, Estimate)


async def test_flaky_faults_are_transient_and_a_retried_request_succeeds(protocol) -> None:
    request = ChatRequest(messages=[Message(role=Role.USER, content=PROMPT)], tools=TOOLS)
    with SimServer(profile="flaky", rate=1.0, seed=3) as server:
        transport = transport_for(_url(server, protocol), model="sim-flaky", timeout_s=5)
        failures: list[BaseException] = []
        for _attempt in range(5):
            try:
                answer = await transport.chat(request)
                break
            except TransientError as exc:
                failures.append(exc)
        await transport.aclose()

    assert failures, "rate=1 must inject at least one fault"
    assert all("\n" not in str(f) for f in failures)
    assert answer.tool_calls, "the retried request is answered"
