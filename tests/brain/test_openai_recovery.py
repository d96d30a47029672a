"""The OpenAI-compatible transport recovers what small local models get wrong, over the wire."""

from __future__ import annotations

import pytest

from brain import ChatRequest, ChatResponse, FinishReason, Message, Role, ToolCall, ToolSpec

DONE = ToolSpec(
    name="done", parameters={"type": "object", "properties": {"summary": {"type": "string"}}}
)


def _ask(stream: bool) -> ChatRequest:
    return ChatRequest(
        messages=[Message(role=Role.USER, content="go")], tools=[DONE], stream=stream
    )


@pytest.mark.parametrize("stream", [False, True])
async def test_tool_call_written_into_content_is_recovered(serve, connect, stream) -> None:
    text = (
        '<think>I am finished.</think>All set.\n<tool_call>{"name": "done", '
        '"arguments": {"summary": "ok",}}'
    )
    transport = connect(serve([ChatResponse(text=text)]), "openai")

    answer = await transport.chat(_ask(stream))

    assert [(c.name, c.arguments, c.error) for c in answer.tool_calls] == [
        ("done", {"summary": "ok"}, None)
    ]
    assert answer.recovered
    assert answer.finish_reason is FinishReason.TOOL_CALLS
    assert answer.text == "All set."


async def test_native_call_to_an_unregistered_tool_is_returned_with_an_error(
    serve, connect
) -> None:
    rogue = ToolCall(id="call_x", name="format_disk", arguments={})
    transport = connect(serve([ChatResponse(tool_calls=[rogue])]), "openai")

    answer = await transport.chat(_ask(stream=True))

    (call,) = answer.tool_calls
    assert call.id == "call_x"
    assert call.error == "unknown tool 'format_disk'; available: done"
    assert not answer.recovered


async def test_embedded_calls_are_not_recovered_when_no_tools_were_offered(serve, connect) -> None:
    text = '<tool_call>{"name": "done", "arguments": {}}</tool_call>'
    transport = connect(serve([ChatResponse(text=text)]), "openai")

    answer = await transport.chat(ChatRequest(messages=[Message(role=Role.USER, content="go")]))

    assert answer.tool_calls == []
    assert answer.finish_reason is FinishReason.STOP


async def test_anthropic_tool_use_with_arguments_violating_the_schema_carries_the_error(
    serve, connect
) -> None:
    bad = ToolCall(id="toolu_1", name="done", arguments={"summary": 42})
    transport = connect(serve([ChatResponse(tool_calls=[bad])]), "anthropic")

    answer = await transport.chat(_ask(stream=False))

    assert (
        answer.tool_calls[0].error
        == "invalid arguments for done: summary: 42 is not of type 'string'"
    )
