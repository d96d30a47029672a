"""A tool-call round trip over real HTTP: the SDK clients and our transports, streamed and not."""

from __future__ import annotations

import json

import anthropic
import openai
import pytest

from brain import ChatRequest, ChatResponse, FinishReason, Message, Role, ToolCall, ToolSpec

WRITE_FILE = ToolSpec(
    name="write_file",
    description="Write a file.",
    parameters={
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
)
# Long enough that the arguments are split over several stream chunks.
CONTENT = "def add(a, b):\n    return a + b\n" * 4
CALL = ToolCall(id="call_w1", name="write_file", arguments={"path": "calc.py", "content": CONTENT})
ANSWER = ChatResponse(
    text="Writing calc.py.", tool_calls=[CALL], finish_reason=FinishReason.TOOL_CALLS
)


def _conversation() -> list[Message]:
    """A worker turn that already used one tool: exercises every message kind on the wire."""
    earlier = ToolCall(id="call_r1", name="read_file", arguments={"path": "spec.md"})
    return [
        Message(role=Role.SYSTEM, content="You are a worker."),
        Message(role=Role.USER, content="Build calc.py"),
        Message(role=Role.ASSISTANT, content="Reading the spec.", tool_calls=[earlier]),
        Message(
            role=Role.TOOL, content="add two numbers", tool_call_id="call_r1", name="read_file"
        ),
    ]


@pytest.mark.parametrize("stream", [False, True])
async def test_transport_round_trips_a_tool_call(serve, connect, protocol, stream) -> None:
    server = serve([ANSWER])
    transport = connect(server, protocol)
    request = ChatRequest(messages=_conversation(), tools=[WRITE_FILE], stream=stream)

    answer = await transport.chat(request)

    assert answer.text == "Writing calc.py."
    assert [(c.id, c.name, c.arguments, c.error) for c in answer.tool_calls] == [
        ("call_w1", "write_file", {"path": "calc.py", "content": CONTENT}, None)
    ]
    assert answer.finish_reason is FinishReason.TOOL_CALLS
    assert answer.usage.completion_tokens > 0
    assert not answer.recovered


@pytest.mark.parametrize("stream", [False, True])
async def test_server_parses_the_wire_request_back_into_the_same_chat_request(
    serve, connect, protocol, stream
) -> None:
    server = serve([ANSWER])
    transport = connect(server, protocol)
    sent = ChatRequest(messages=_conversation(), tools=[WRITE_FILE], stream=stream)

    await transport.chat(sent)

    (seen,) = server.policy.requests
    assert [(m.role, m.content) for m in seen.messages] == [
        (m.role, m.content) for m in sent.messages
    ]
    assert seen.messages[2].tool_calls[0].arguments == {"path": "spec.md"}
    assert (seen.messages[3].tool_call_id, seen.messages[3].name) == ("call_r1", "read_file")
    assert [t.name for t in seen.tools] == ["write_file"]
    assert seen.tools[0].parameters == WRITE_FILE.parameters
    assert seen.stream is stream


async def test_openai_sdk_assembles_streamed_tool_call_deltas(serve) -> None:
    server = serve([ANSWER])
    client = openai.AsyncOpenAI(base_url=server.openai_base_url, api_key="x", max_retries=0)
    tools = [
        {
            "type": "function",
            "function": {"name": "write_file", "parameters": WRITE_FILE.parameters},
        }
    ]

    stream = await client.chat.completions.create(
        model="sim-scripted", messages=[{"role": "user", "content": "go"}], tools=tools, stream=True
    )
    pieces = [
        c.choices[0].delta.tool_calls
        async for c in stream
        if c.choices and c.choices[0].delta.tool_calls
    ]
    await client.close()

    assert len(pieces) > 2, "arguments should arrive split across chunks"
    arguments = "".join(p[0].function.arguments or "" for p in pieces)
    assert json.loads(arguments) == CALL.arguments
    assert pieces[0][0].function.name == "write_file" and pieces[0][0].id == "call_w1"


async def test_openai_sdk_reads_a_plain_tool_call_completion(serve) -> None:
    server = serve([ANSWER])
    client = openai.AsyncOpenAI(base_url=server.openai_base_url, api_key="x", max_retries=0)

    completion = await client.chat.completions.create(
        model="sim-scripted", messages=[{"role": "user", "content": "go"}]
    )
    await client.close()

    call = completion.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "write_file",
        CALL.arguments,
    )
    assert completion.choices[0].finish_reason == "tool_calls"


@pytest.mark.parametrize("stream", [False, True])
async def test_anthropic_sdk_reads_tool_use_blocks(serve, stream) -> None:
    server = serve([ANSWER])
    client = anthropic.AsyncAnthropic(base_url=server.base_url, api_key="x", max_retries=0)
    params = {
        "model": "claude-sim",
        "max_tokens": 512,
        "messages": [{"role": "user", "content": "go"}],
    }

    if stream:
        async with client.messages.stream(**params) as events:
            message = await events.get_final_message()
    else:
        message = await client.messages.create(**params)
    await client.close()

    assert [b.type for b in message.content] == ["text", "tool_use"]
    assert message.content[1].input == CALL.arguments
    assert message.stop_reason == "tool_use"


async def test_anthropic_stream_follows_the_documented_event_order(serve) -> None:
    server = serve([ANSWER])
    client = anthropic.AsyncAnthropic(base_url=server.base_url, api_key="x", max_retries=0)

    stream = await client.messages.create(
        model="claude-sim",
        max_tokens=512,
        messages=[{"role": "user", "content": "go"}],
        stream=True,
    )
    kinds = [event.type async for event in stream]
    await client.close()

    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    assert kinds.count("content_block_start") == kinds.count("content_block_stop") == 2
    assert kinds.index("content_block_delta") > kinds.index("content_block_start")


async def test_anthropic_transport_marks_system_and_last_tool_for_prompt_caching() -> None:
    from brain._anthropic import messages_to_anthropic, tools_to_anthropic

    system, turns = messages_to_anthropic(_conversation())
    tools = tools_to_anthropic([ToolSpec(name="a"), WRITE_FILE])

    assert system[-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in tools[0] and tools[-1]["cache_control"] == {"type": "ephemeral"}
    assert [t["role"] for t in turns] == ["user", "assistant", "user"]
    assert turns[2]["content"][0]["type"] == "tool_result"


async def test_anthropic_usage_reports_cache_read_and_write_tokens(serve, connect) -> None:
    from brain import Usage

    cached = ChatResponse(
        text="ok",
        usage=Usage(
            prompt_tokens=1000, completion_tokens=5, cache_read_tokens=800, cache_write_tokens=150
        ),
    )
    server = serve([cached, cached])
    transport = connect(server, "anthropic")

    for stream in (False, True):
        answer = await transport.chat(
            ChatRequest(messages=[Message(role=Role.USER, content="hi")], stream=stream)
        )
        assert answer.usage == cached.usage


async def test_openai_transport_adopts_the_first_served_model_when_none_given(
    serve, connect
) -> None:
    server = serve([ChatResponse(text="hi")])
    transport = connect(server, "openai", model=None)

    assert await transport.probe() == ["sim-scripted"]
    await transport.chat(ChatRequest(messages=[Message(role=Role.USER, content="x")]))

    assert transport.model == "sim-scripted"
    assert server.policy.models == ["sim-scripted"]


@pytest.mark.parametrize("stream", [False, True])
async def test_a_request_with_a_temperature_round_trips_on_both_protocols(
    serve, connect, protocol, stream
) -> None:
    # The worker sets a temperature; the Anthropic SDK (>=2) has no such parameter, so the
    # transport must leave it out rather than fail every worker call with a TypeError.
    server = serve([ANSWER])
    transport = connect(server, protocol)
    request = ChatRequest(
        messages=_conversation(), tools=[WRITE_FILE], stream=stream, temperature=0.2
    )

    answer = await transport.chat(request)

    assert [c.name for c in answer.tool_calls] == ["write_file"]
