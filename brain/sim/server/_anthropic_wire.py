"""The simulator's side of the Anthropic Messages API: wire request → ChatRequest, answer → wire.

A forced ``tool_choice`` names the structured answer wanted (that is how
``ask_structured`` asks Claude), so it becomes ``response_schema_name`` and the
tool is taken out of the offered tools, exactly as the in-process simulator sees it.
Streams follow the documented event order: ``message_start``, per block
``content_block_start`` / ``content_block_delta`` (``text_delta``,
``input_json_delta``) / ``content_block_stop``, ``message_delta``, ``message_stop``.
"""

from __future__ import annotations

import json
from typing import Any

from brain._types import ChatRequest, ChatResponse, FinishReason, Message, Role, ToolCall, ToolSpec
from brain.sim.server._openai_wire import pieces
from brain.toolcalls import new_call_id, parse_json_lenient

_STOP = {
    FinishReason.STOP: "end_turn",
    FinishReason.TOOL_CALLS: "tool_use",
    FinishReason.LENGTH: "max_tokens",
    FinishReason.CONTENT_FILTER: "refusal",
}


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(
            b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"
        )
    return content or ""


def _user_messages(content: Any, names: dict[str, str]) -> list[Message]:
    if not isinstance(content, list):
        return [Message(role=Role.USER, content=content or "")]
    out = []
    for block in content:
        if block.get("type") == "tool_result":
            call_id = block.get("tool_use_id", "")
            out.append(
                Message(
                    role=Role.TOOL,
                    content=_text(block.get("content")),
                    tool_call_id=call_id,
                    name=names.get(call_id),
                )
            )
        elif block.get("type") == "text":
            out.append(Message(role=Role.USER, content=block.get("text", "")))
    return out


def _assistant_message(content: Any, names: dict[str, str]) -> Message:
    blocks = content if isinstance(content, list) else [{"type": "text", "text": content or ""}]
    calls = [
        ToolCall(
            id=b.get("id") or new_call_id(), name=b.get("name", ""), arguments=b.get("input") or {}
        )
        for b in blocks
        if b.get("type") == "tool_use"
    ]
    names.update({c.id: c.name for c in calls})
    return Message(role=Role.ASSISTANT, content=_text(blocks), tool_calls=calls)


def parse_request(body: dict[str, Any]) -> tuple[ChatRequest, str]:
    """A Messages API body as (ChatRequest, model); ValueError/KeyError if malformed."""
    names: dict[str, str] = {}
    messages = (
        [Message(role=Role.SYSTEM, content=_text(body["system"]))] if body.get("system") else []
    )
    for turn in body["messages"]:
        if turn["role"] == "assistant":
            messages.append(_assistant_message(turn.get("content"), names))
        else:
            messages += _user_messages(turn.get("content"), names)
    tools = [
        ToolSpec(
            name=t["name"],
            description=t.get("description") or "",
            parameters=t.get("input_schema") or {"type": "object", "properties": {}},
        )
        for t in body.get("tools") or []
    ]
    choice = body.get("tool_choice") or {}
    forced = choice.get("name") if choice.get("type") == "tool" else None
    schema = next((t.parameters for t in tools if t.name == forced), None)
    request = ChatRequest(
        messages=messages,
        tools=[t for t in tools if t.name != forced],
        stream=bool(body.get("stream")),
        temperature=body.get("temperature"),
        max_tokens=body.get("max_tokens"),
        response_schema=schema,
        response_schema_name=forced if schema is not None else None,
    )
    return request, str(body.get("model") or "")


def structured_as_tool_use(request: ChatRequest, response: ChatResponse) -> ChatResponse:
    """Claude answers structured requests with a tool_use of the forced tool: fold JSON into it."""
    name = request.response_schema_name
    if request.response_schema is None or any(c.name == name for c in response.tool_calls):
        return response
    data = parse_json_lenient(response.text)
    if not isinstance(data, dict):
        return response  # an unparseable answer stays text; ask_structured reports it
    call = ToolCall(id=f"toolu_{new_call_id()}", name=name or "answer", arguments=data)
    return response.model_copy(update={"text": "", "tool_calls": [call]})


def _stop(response: ChatResponse) -> str:
    return "tool_use" if response.tool_calls else _STOP[response.finish_reason]


def _usage(response: ChatResponse) -> dict[str, int]:
    usage = response.usage
    cached = usage.cache_read_tokens + usage.cache_write_tokens
    return {
        "input_tokens": max(usage.prompt_tokens - cached, 0),
        "output_tokens": usage.completion_tokens,
        "cache_read_input_tokens": usage.cache_read_tokens,
        "cache_creation_input_tokens": usage.cache_write_tokens,
    }


def _blocks(response: ChatResponse) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = (
        [{"type": "text", "text": response.text}] if response.text else []
    )
    blocks += [
        {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
        for c in response.tool_calls
    ]
    return blocks


def message(response: ChatResponse, model: str) -> dict[str, Any]:
    """A non-streamed Messages API body."""
    return {
        "id": f"msg_{new_call_id()}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": _blocks(response),
        "stop_reason": _stop(response),
        "stop_sequence": None,
        "usage": _usage(response),
    }


def _block_events(index: int, block: dict[str, Any]) -> list[dict[str, Any]]:
    if block["type"] == "text":
        start = {"type": "text", "text": ""}
        deltas = [{"type": "text_delta", "text": p} for p in pieces(block["text"])]
    else:
        start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        deltas = [
            {"type": "input_json_delta", "partial_json": p}
            for p in pieces(json.dumps(block["input"]))
        ]
    events = [{"type": "content_block_start", "index": index, "content_block": start}]
    events += [{"type": "content_block_delta", "index": index, "delta": d} for d in deltas]
    return events + [{"type": "content_block_stop", "index": index}]


def stream_events(response: ChatResponse, model: str) -> list[str]:
    """The SSE events of a streamed answer, in the documented order."""
    usage = _usage(response)
    head = {
        **message(response, model),
        "content": [],
        "stop_reason": None,
        "usage": {**usage, "output_tokens": 1},
    }
    events: list[dict[str, Any]] = [{"type": "message_start", "message": head}]
    for index, block in enumerate(_blocks(response)):
        events += _block_events(index, block)
    events.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": _stop(response), "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        }
    )
    events.append({"type": "message_stop"})
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events]


def error_body(message: str, status: int) -> dict[str, Any]:
    """An Anthropic-style error body (the SDK reads ``error.message``)."""
    kinds = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }
    return {"type": "error", "error": {"type": kinds.get(status, "api_error"), "message": message}}
