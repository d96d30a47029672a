"""Structured output: ask any transport for a pydantic model and get a validated instance.

The request carries the model's JSON Schema in ``response_schema`` (named by
``response_schema_name``); each transport turns that into its native mechanism —
Claude: a forced tool whose input is the answer; OpenAI-compatible:
``response_format`` json_schema, dropped when the server refuses it. Whatever
comes back is untrusted: it is parsed leniently, validated, and on failure the
model gets one repair round with the validation error before ContentError.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from brain._classify import one_line
from brain._errors import ContentError
from brain._protocol import Transport
from brain._types import ChatRequest, ChatResponse, Message, Role
from brain.toolcalls import parse_json_lenient, strip_think

T = TypeVar("T", bound=BaseModel)

_FENCE = "```"
#: Default bound of one structured answer (tokens): ample for any schema the project asks.
STRUCTURED_MAX_TOKENS = 4096


def _instruction(name: str, schema: dict[str, Any]) -> str:
    """Said in the prompt too: servers without json_schema support only have this to go on."""
    return (
        f"Answer with a single JSON object `{name}` and nothing else, matching this JSON Schema:\n"
        f"{json.dumps(schema)}"
    )


def _with_instruction(messages: list[Message], text: str) -> list[Message]:
    out = list(messages)
    for i, message in enumerate(out):
        if message.role is Role.SYSTEM:
            out[i] = message.model_copy(update={"content": f"{message.content}\n\n{text}"})
            return out
    return [Message(role=Role.SYSTEM, content=text), *out]


def _candidate(response: ChatResponse, name: str) -> tuple[Any, str]:
    """The answer's data (a tool call of the schema's name, else JSON text) and its raw text."""
    for call in response.tool_calls:
        if call.name == name:
            return call.arguments, json.dumps(call.arguments)
    text = strip_think(response.text).strip()
    if text.startswith(_FENCE):
        text = text.strip("`").removeprefix("json").strip()
    return parse_json_lenient(text), response.text


def _validate(model_cls: type[T], data: Any) -> T | str:
    """The instance, or a one-line description of why ``data`` is not one."""
    if data is None:
        return "the answer is not JSON"
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors()[:5]
        ]
        return "; ".join(problems)


def _repair_turn(raw: str, problem: str) -> list[Message]:
    return [
        Message(role=Role.ASSISTANT, content=raw),
        Message(
            role=Role.USER,
            content=f"That answer is invalid: {problem}. "
            "Reply again with only the corrected JSON object.",
        ),
    ]


async def ask_structured(
    transport: Transport,
    messages: list[Message],
    model_cls: type[T],
    *,
    name: str | None = None,
    max_repairs: int = 1,
    max_tokens: int | None = STRUCTURED_MAX_TOKENS,
) -> T:
    """Ask for an instance of ``model_cls``; raise ContentError if still invalid after repairs.

    Sets ``ChatRequest.response_schema``/``response_schema_name`` (name defaults to
    ``model_cls.__name__``). Transport errors (transient, fatal) propagate unchanged.
    ``max_tokens`` bounds each answer: a small model under a JSON grammar can otherwise
    write whitespace until its context is full.
    """
    name = name or model_cls.__name__
    schema = model_cls.model_json_schema()
    conversation = _with_instruction(messages, _instruction(name, schema))
    problem = ""
    for _attempt in range(max_repairs + 1):
        request = ChatRequest(
            messages=conversation,
            response_schema=schema,
            response_schema_name=name,
            max_tokens=max_tokens,
        )
        response = await transport.chat(request)
        data, raw = _candidate(response, name)
        result = _validate(model_cls, data)
        if not isinstance(result, str):
            return result
        problem = result
        conversation = [*conversation, *_repair_turn(raw, problem)]
    raise ContentError(
        f"{transport.url}: no valid {name} after {max_repairs} repair round(s): {one_line(problem)}"
    )
