"""The simulator's side of OpenAI Chat Completions: wire request → ChatRequest, answer → wire.

Streaming answers are cut into ``chat.completion.chunk`` events the way real
servers send them: a role chunk, text in small pieces, each tool call's
arguments split across several chunks by ``index``, a finish chunk, a usage
chunk when asked for, then ``[DONE]``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from brain._identity import SIMULATOR_OWNER
from brain._types import ChatRequest, ChatResponse, Message, Role, ToolCall, ToolSpec
from brain.toolcalls import new_call_id, parse_json_lenient

#: Small pieces so that even short answers arrive as several events (and a
#: stall after N chunks lands mid-answer, as it does on a real server).
PIECE_CHARS = 24


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters (none for empty text)."""
    return [text[i : i + size] for i in range(0, len(text), size)]


def _text_of(content: Any) -> str:
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content or ""


def _calls_of(wire: dict[str, Any]) -> list[ToolCall]:
    calls = []
    for call in wire.get("tool_calls") or []:
        function = call.get("function") or {}
        arguments = parse_json_lenient(function.get("arguments") or "{}")
        calls.append(
            ToolCall(
                id=call.get("id") or new_call_id(),
                name=function.get("name", ""),
                arguments=arguments if isinstance(arguments, dict) else {},
            )
        )
    return calls


def _message(wire: dict[str, Any], names: dict[str, str]) -> Message:
    role = {"developer": "system"}.get(wire.get("role", "user"), wire.get("role", "user"))
    message = Message(
        role=Role(role), content=_text_of(wire.get("content")), tool_calls=_calls_of(wire)
    )
    for call in message.tool_calls:
        names[call.id] = call.name
    if message.role is Role.TOOL:
        message.tool_call_id = wire.get("tool_call_id")
        message.name = wire.get("name") or names.get(message.tool_call_id or "")
    return message


def parse_request(body: dict[str, Any]) -> tuple[ChatRequest, str]:
    """A Chat Completions body as (ChatRequest, model); ValueError/KeyError if malformed."""
    names: dict[str, str] = {}
    messages = [_message(m, names) for m in body["messages"]]
    tools = [
        ToolSpec(
            name=t["function"]["name"],
            description=t["function"].get("description") or "",
            parameters=t["function"].get("parameters") or {"type": "object", "properties": {}},
        )
        for t in body.get("tools") or []
        if t.get("type", "function") == "function"
    ]
    schema = _schema_of(body.get("response_format") or {})
    request = ChatRequest(
        messages=messages,
        tools=tools,
        stream=bool(body.get("stream")),
        temperature=body.get("temperature"),
        max_tokens=body.get("max_tokens") or body.get("max_completion_tokens"),
        response_schema=schema.get("schema"),
        response_schema_name=schema.get("name"),
    )
    return request, str(body.get("model") or "")


def structured_as_text(request: ChatRequest, response: ChatResponse) -> ChatResponse:
    """OpenAI delivers structured output as JSON text: fold a schema-named tool call into it."""
    name = request.response_schema_name
    chosen = [c for c in response.tool_calls if c.name == name]
    if request.response_schema is None or not chosen:
        return response
    return response.model_copy(update={"text": json.dumps(chosen[0].arguments), "tool_calls": []})


def _finish(response: ChatResponse) -> str:
    return "tool_calls" if response.tool_calls else response.finish_reason.value


def _usage(response: ChatResponse) -> dict[str, Any]:
    usage = response.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cache_read_tokens},
    }


def completion(response: ChatResponse, model: str) -> dict[str, Any]:
    """A non-streamed ``chat.completion`` body."""
    message: dict[str, Any] = {"role": "assistant", "content": response.text or None}
    if response.tool_calls:
        message["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in response.tool_calls
        ]
    return {
        "id": f"chatcmpl-{new_call_id()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": _finish(response)}],
        "usage": _usage(response),
    }


def _chunk(
    cid: str, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _call_chunks(cid: str, model: str, index: int, call: ToolCall) -> list[dict[str, Any]]:
    head = {
        "index": index,
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": ""},
    }
    chunks = [_chunk(cid, model, {"tool_calls": [head]})]
    for piece in pieces(json.dumps(call.arguments)):
        chunks.append(
            _chunk(cid, model, {"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        )
    return chunks


def chunks(response: ChatResponse, model: str, *, include_usage: bool) -> list[str]:
    """The SSE ``data:`` payloads of a streamed answer, ``[DONE]`` last."""
    cid = f"chatcmpl-{new_call_id()}"
    events = [_chunk(cid, model, {"role": "assistant", "content": ""})]
    events += [_chunk(cid, model, {"content": p}) for p in pieces(response.text)]
    for index, call in enumerate(response.tool_calls):
        events += _call_chunks(cid, model, index, call)
    events.append(_chunk(cid, model, {}, _finish(response)))
    if include_usage:
        events.append({**_chunk(cid, model, {}), "choices": [], "usage": _usage(response)})
    return [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]


def error_body(message: str, status: int) -> dict[str, Any]:
    """An OpenAI-style error body (the SDK reads ``error.message``)."""
    kind = "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "code": status, "param": None}}


def _schema_of(response_format: dict[str, Any]) -> dict[str, Any]:
    """``{"schema", "name"}`` from either structured rung: json_schema or json_object+schema."""
    if response_format.get("type") == "json_object" and response_format.get("schema"):
        return {"schema": response_format["schema"], "name": None}
    return response_format.get("json_schema") or {}


def models_body(models: list[str]) -> dict[str, Any]:
    """``GET /v1/models``, readable by both the OpenAI and the Anthropic SDK."""
    data = [
        {
            "id": m,
            "object": "model",
            "type": "model",
            "created": 0,
            "owned_by": SIMULATOR_OWNER,
            "display_name": m,
            "created_at": "2025-01-01T00:00:00Z",
        }
        for m in models
    ]
    first, last = (models[0], models[-1]) if models else (None, None)
    return {"object": "list", "data": data, "has_more": False, "first_id": first, "last_id": last}
