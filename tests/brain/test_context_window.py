"""Context windows: overflow refusals are their own error kind, sizes are probed from the
servers that expose them, a node can state its own, and a cut-off tool call stays LENGTH."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brain import (
    ChatRequest,
    ContentError,
    ContextOverflowError,
    FinishReason,
    Message,
    Role,
    ToolSpec,
    parse_node_spec,
    probe_context_tokens,
    transport_for,
)
from brain._classify import classify_status

sys.path.insert(0, str(Path(__file__).parent))
from openai_stub import StubServer, completion, llama_cpp_overflow  # noqa: E402

WRITE = ToolSpec(
    name="write_file",
    parameters={
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "the request exceeds the available context size, try increasing it"),  # llama.cpp
        (
            400,
            "Trying to keep the first 5034 tokens when context the overflows. However, the "
            "model is loaded with context length of only 4096 tokens",
        ),  # LM Studio
        (
            400,
            "This model's maximum context length is 4096 tokens. However, you requested "
            "5000 tokens",
        ),  # vLLM / OpenAI
        (400, "prompt is too long: 210000 tokens > 200000 maximum"),  # Anthropic
        (400, "input (5000 tokens) exceeds n_ctx (4096)"),
        (422, "too many tokens in the prompt"),
        (413, "Payload Too Large"),
    ],
)
def test_context_overflow_messages_are_their_own_kind(status: int, message: str) -> None:
    error = classify_status(status, message, where="node")

    assert isinstance(error, ContextOverflowError) and isinstance(error, ContentError)


@pytest.mark.parametrize("message", ["unsupported parameter: response_format", "bad request"])
def test_other_refusals_are_plain_content_errors(message: str) -> None:
    error = classify_status(400, message, where="node")

    assert type(error) is ContentError


def _ask() -> ChatRequest:
    return ChatRequest(messages=[Message(role=Role.USER, content="go")], tools=[WRITE])


async def test_llama_cpp_overflow_reaches_the_caller_as_context_overflow() -> None:
    with StubServer(lambda m, p, b: (400, llama_cpp_overflow(512))) as server:
        node = transport_for(server.url, model="stub", timeout_s=5.0)
        with pytest.raises(ContextOverflowError, match="does not fit the context window"):
            await node.chat(_ask())
        await node.aclose()


async def test_a_tool_call_cut_at_the_token_limit_stays_length_not_tool_calls() -> None:
    cut = completion(calls=[("write_file", '{"path": "a.py", "content": "x = ')], finish="length")
    with StubServer(lambda m, p, b: (200, cut)) as server:
        node = transport_for(server.url, model="stub", timeout_s=5.0)
        answer = await node.chat(_ask())
        await node.aclose()

    assert answer.finish_reason is FinishReason.LENGTH
    assert answer.tool_calls and answer.tool_calls[0].error  # cut inside a string


async def test_native_malformed_arguments_come_back_with_an_error_not_an_empty_value() -> None:
    bad = completion(
        calls=[("write_file", "{path: app/models.py, content: }}}")], finish="tool_calls"
    )
    with StubServer(lambda m, p, b: (200, bad)) as server:
        node = transport_for(server.url, model="stub", timeout_s=5.0)
        answer = await node.chat(_ask())
        await node.aclose()

    (call,) = answer.tool_calls
    assert call.error is not None and "'content' had no value" in call.error


@pytest.mark.parametrize(
    ("routes", "expected"),
    [
        ({("GET", "/props"): {"default_generation_settings": {"n_ctx": 8192}}}, 8192),
        (
            {
                ("GET", "/api/v0/models"): {
                    "data": [
                        {"id": "other", "state": "loaded", "loaded_context_length": 2048},
                        {
                            "id": "qwen",
                            "state": "loaded",
                            "loaded_context_length": 16384,
                            "max_context_length": 32768,
                        },
                    ]
                }
            },
            16384,
        ),
        ({("GET", "/api/ps"): {"models": [{"name": "qwen", "context_length": 4096}]}}, 4096),
        ({("POST", "/api/show"): {"parameters": "temperature 0.7\nnum_ctx 12288"}}, 12288),
        ({}, None),
        ({("GET", "/props"): {"default_generation_settings": {"n_ctx": "big"}}}, None),
    ],
    ids=["llama.cpp", "lm-studio", "ollama-ps", "ollama-show", "none", "malformed"],
)
async def test_context_size_is_probed_from_the_server_or_none(routes, expected) -> None:
    def answer(method: str, path: str, body: object) -> tuple[int, object]:
        found = routes.get((method, path))
        return (200, found) if found is not None else (404, {"error": "not found"})

    with StubServer(answer) as server:
        assert await probe_context_tokens(server.url, "qwen", timeout_s=2.0) == expected


async def test_probe_of_a_node_that_is_down_or_not_http_is_none() -> None:
    assert await probe_context_tokens("http://127.0.0.1:9/v1", "m", timeout_s=0.5) is None
    assert await probe_context_tokens("sim:competent", "m") is None


def test_a_node_can_state_its_context_size() -> None:
    node = parse_node_spec("http://127.0.0.1:1234/v1?model=q&ctx=32768")

    assert node.ctx == 32768 and "ctx" not in node.url
    assert parse_node_spec("http://127.0.0.1:1234/v1").ctx is None
