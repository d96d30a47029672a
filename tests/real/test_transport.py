"""Our OpenAI-compatible transport against a real llama.cpp server: plain, streamed, tools."""

from __future__ import annotations

import pytest
from real_support import MAX_TOKENS

from brain import ChatRequest, FinishReason, Message, Role, ToolSpec, is_simulated, transport_for

WRITE = ToolSpec(
    name="write_file",
    description="Write a file.",
    parameters={
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
)
ASK = [
    Message(role=Role.SYSTEM, content="You write files with the write_file tool."),
    Message(role=Role.USER, content="Write hello.py that prints hello."),
]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
async def test_a_real_server_answers_with_tools_offered(smollm2, stream) -> None:
    transport = transport_for(smollm2.url)
    try:
        models = await transport.probe()
        answer = await transport.chat(
            ChatRequest(messages=ASK, tools=[WRITE], stream=stream, max_tokens=MAX_TOKENS)
        )
    finally:
        await transport.aclose()

    assert models == ["smollm2"] and not is_simulated(transport)
    assert answer.text.strip() or answer.tool_calls, "an answer with nothing in it"
    assert answer.usage.completion_tokens <= MAX_TOKENS
    if not stream:  # llama-cpp-python's stream carries no usage: 0 there means unreported
        assert answer.usage.completion_tokens > 0 and answer.usage.prompt_tokens > 0
    assert answer.finish_reason in set(FinishReason)
    for call in answer.tool_calls:  # whatever the model managed, it arrives as a real call
        assert call.name == "write_file" and isinstance(call.arguments, dict)
