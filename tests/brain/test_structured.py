"""ask_structured: a validated instance from either protocol, a repair round, then ContentError."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from brain import (
    ChatRequest,
    ChatResponse,
    ContentError,
    Message,
    Role,
    ToolCall,
    TransientError,
    ask_structured,
)
from brain.sim._reply import Fault, FaultKind


class Verdict(BaseModel):
    verdict: Literal["healthy", "stuck"]
    confidence: float = Field(ge=0, le=1)


ASK = [
    Message(role=Role.SYSTEM, content="You judge tasks."),
    Message(role=Role.USER, content="Is it healthy?"),
]
GOOD = {"verdict": "stuck", "confidence": 0.75}


def _text(data: object) -> ChatResponse:
    return ChatResponse(text=json.dumps(data))


async def test_structured_answer_round_trips_and_names_the_schema(serve, connect, protocol) -> None:
    server = serve([_text(GOOD)])

    result = await ask_structured(connect(server, protocol), ASK, Verdict)

    assert result == Verdict(**GOOD)
    (seen,) = server.policy.requests
    assert seen.response_schema_name == "Verdict"
    assert seen.response_schema == Verdict.model_json_schema()
    assert seen.tools == [], "the forced tool is how Claude is asked, not a tool on offer"


async def test_structured_answer_given_as_a_tool_call_of_the_schema_name_is_accepted(
    serve, connect, protocol
) -> None:
    answer = ChatResponse(tool_calls=[ToolCall(id="t1", name="Verdict", arguments=GOOD)])

    result = await ask_structured(connect(serve([answer]), protocol), ASK, Verdict)

    assert result == Verdict(**GOOD)


async def test_fenced_and_thinking_wrapped_json_is_accepted(serve, connect) -> None:
    text = f"<think>hmm</think>```json\n{json.dumps(GOOD)}\n```"

    result = await ask_structured(connect(serve([ChatResponse(text=text)]), "openai"), ASK, Verdict)

    assert result.verdict == "stuck"


async def test_invalid_answer_gets_one_repair_round_with_the_validation_error(
    serve, connect, protocol
) -> None:
    server = serve([_text({"verdict": "stuck", "confidence": 7}), _text(GOOD)])

    result = await ask_structured(connect(server, protocol), ASK, Verdict)

    assert result == Verdict(**GOOD)
    repair = server.policy.requests[1].messages[-1]
    assert repair.role is Role.USER
    assert "confidence: Input should be less than or equal to 1" in repair.content


async def test_still_invalid_after_the_repair_round_is_a_one_line_content_error(
    serve, connect, protocol
) -> None:
    server = serve(
        [ChatResponse(text="I think it is stuck."), _text({"verdict": "maybe", "confidence": 0.5})]
    )

    with pytest.raises(ContentError) as info:
        await ask_structured(connect(server, protocol), ASK, Verdict)

    assert (
        "no valid Verdict after 1 repair round(s): verdict: Input should be 'healthy' or 'stuck'"
        in str(info.value)
    )
    assert "\n" not in str(info.value)
    assert len(server.policy.requests) == 2


async def test_a_refused_rung_moves_the_node_down_the_ladder_and_stays_there(
    serve, connect
) -> None:
    refusal = Fault(FaultKind.HTTP_ERROR, 400, "response_format json_schema is not supported")
    server = serve([refusal, _text(GOOD), _text(GOOD)])
    transport = connect(server, "openai")

    assert await ask_structured(transport, ASK, Verdict) == Verdict(**GOOD)
    assert await ask_structured(transport, ASK, Verdict) == Verdict(**GOOD)

    assert list(server.formats_seen) == ["json_schema", "json_object", "json_object"], (
        "after one refusal the node is offered json_object with the schema, never json_schema"
    )
    assert server.policy.requests[1].response_schema == Verdict.model_json_schema()
    assert transport.structured_rung == "json_object"


async def test_llama_cpp_python_500_naming_the_parameter_is_a_refusal_not_an_outage(
    serve, connect
) -> None:
    # What llama-cpp-python's server answers to a json_schema response_format.
    said = "1 validation error: response_format.type Input should be 'text' or 'json_object'"
    server = serve([Fault(FaultKind.HTTP_ERROR, 500, said), _text(GOOD)])
    transport = connect(server, "openai")

    answer = await transport.chat(_structured_request())

    assert answer.structured_via == "json_object"
    assert list(server.formats_seen) == ["json_schema", "json_object"]


async def test_a_node_refusing_every_format_is_asked_by_prompt_alone(serve, connect) -> None:
    refusal = Fault(FaultKind.HTTP_ERROR, 422, "unsupported response_format")
    server = serve([refusal, refusal, _text(GOOD)])
    transport = connect(server, "openai")

    assert await ask_structured(transport, ASK, Verdict) == Verdict(**GOOD)

    assert list(server.formats_seen) == ["json_schema", "json_object", ""]
    assert "JSON Schema" in server.policy.requests[-1].messages[0].content
    assert transport.structured_rung == "prompt"


async def test_a_500_that_does_not_name_the_parameter_is_an_outage(serve, connect) -> None:
    server = serve([Fault(FaultKind.HTTP_ERROR, 500, "CUDA error: out of memory")])
    transport = connect(server, "openai")

    with pytest.raises(TransientError, match="out of memory"):
        await transport.chat(_structured_request())

    assert transport.structured_rung == "json_schema"


def _structured_request() -> ChatRequest:
    return ChatRequest(
        messages=ASK, response_schema=Verdict.model_json_schema(), response_schema_name="Verdict"
    )


async def test_transport_errors_pass_through_unchanged(serve, connect, protocol) -> None:
    server = serve([Fault(FaultKind.HTTP_ERROR, 503, "model is unloaded")])

    with pytest.raises(TransientError, match="model is unloaded"):
        await ask_structured(connect(server, protocol), ASK, Verdict)


async def test_a_refusal_that_is_not_about_json_schema_keeps_json_schema_on_offer(
    serve, connect
) -> None:
    too_long = Fault(FaultKind.HTTP_ERROR, 400, "context length exceeded")
    transport = connect(serve([too_long, too_long]), "openai")

    with pytest.raises(ContentError, match="400: context length exceeded"):
        await ask_structured(transport, ASK, Verdict)

    assert transport.structured_rung == "json_schema"
