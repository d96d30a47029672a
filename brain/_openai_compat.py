"""OpenAI-compatible transport: LM Studio, Ollama, vLLM, llama.cpp server, via the ``openai`` SDK.

Chat Completions with function tools, streamed (tool-call deltas assembled by
index, idle watchdog) or not. Small local models break the tool protocol, so
calls written into ``content`` are recovered (see :mod:`brain._recovery`).
The SDK's own retries are off: the swarm decides where a transient failure is retried.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

from brain._classify import classify_sdk_error
from brain._errors import BrainError, ContentError, FatalError
from brain._guard import check_host_allowed
from brain._recovery import build_call, recover_tool_calls, registered_tools, strip_think
from brain._types import (
    ChatRequest,
    ChatResponse,
    FinishReason,
    Message,
    Role,
    ToolCall,
    ToolSpec,
    Usage,
)
from brain._watchdog import DEFAULT_IDLE_TIMEOUT_S, watch_idle

_FINISH = {
    "stop": FinishReason.STOP,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "length": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
}
#: Local servers ignore the key, but the SDK insists on one.
_PLACEHOLDER_KEY = "not-needed"


def message_to_openai(message: Message) -> dict[str, Any]:
    """One brain Message as a Chat Completions message."""
    if message.role is Role.TOOL:
        return {
            "role": "tool",
            "tool_call_id": message.tool_call_id or "",
            "content": message.content,
        }
    wire: dict[str, Any] = {"role": message.role.value, "content": message.content}
    if message.tool_calls:
        wire["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {
                    "name": c.name,
                    "arguments": json.dumps(c.arguments, ensure_ascii=False),
                },
            }
            for c in message.tool_calls
        ]
        wire["content"] = message.content or None
    return wire


def tool_to_openai(tool: ToolSpec) -> dict[str, Any]:
    """One ToolSpec as a Chat Completions function tool."""
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool.parameters,
        },
    }


@dataclass
class _Draft:
    """A streamed answer being assembled from chunks."""

    text: list[str] = field(default_factory=list)
    calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[int, int] = field(default_factory=dict)
    finish: str | None = None
    usage: Usage = field(default_factory=Usage)
    model: str = ""

    def add_chunk(self, chunk: Any) -> None:
        self.model = chunk.model or self.model
        if chunk.usage:
            self.usage = _usage(chunk.usage)
        for choice in chunk.choices or []:
            delta = choice.delta
            if delta is not None and delta.content:
                self.text.append(delta.content)
            for piece in (delta.tool_calls if delta is not None else None) or []:
                self._add_call_piece(piece)
            self.finish = choice.finish_reason or self.finish

    def _add_call_piece(self, piece: Any) -> None:
        index = self.aliases.get(piece.index, piece.index)
        slot = self.calls.get(index)
        if slot is not None and piece.id and slot["id"] and piece.id != slot["id"]:
            # Some servers (Ollama) number every call 0: a new id at a used index is a new call.
            index = self.aliases[piece.index] = max(self.calls) + 1
            slot = None
        if slot is None:
            slot = self.calls[index] = {"id": None, "name": "", "arguments": ""}
        slot["id"] = piece.id or slot["id"]
        if piece.function is not None:
            name = piece.function.name or ""
            # The name comes once; servers that repeat it in every delta must not double it.
            slot["name"] = name if slot["name"] in ("", name) else slot["name"] + name
            slot["arguments"] += piece.function.arguments or ""


def _usage(raw: Any) -> Usage:
    details = getattr(raw, "prompt_tokens_details", None)
    return Usage(
        prompt_tokens=raw.prompt_tokens or 0,
        completion_tokens=raw.completion_tokens or 0,
        cache_read_tokens=(getattr(details, "cached_tokens", None) or 0) if details else 0,
    )


class OpenAICompatTransport:
    """A node speaking OpenAI Chat Completions at ``url`` (``http(s)://host:port/v1``)."""

    def __init__(
        self,
        url: str,
        *,
        model: str | None = None,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        timeout_s: float = 600.0,
        tool_names: frozenset[str] = frozenset(),
        api_key: str | None = None,
    ) -> None:
        from openai import AsyncOpenAI

        check_host_allowed(url)
        self.url = url
        self.model = model or ""
        self.idle_timeout_s = idle_timeout_s
        self.timeout_s = timeout_s
        self.tool_names = tool_names
        self.json_schema_supported = True
        key = api_key or os.environ.get("OPENAI_API_KEY") or _PLACEHOLDER_KEY
        self._client = AsyncOpenAI(base_url=url, api_key=key, max_retries=0, timeout=timeout_s)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        model: str | None = None,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        timeout_s: float = 600.0,
        tool_names: list[str] | None = None,
        api_key: str | None = None,
    ) -> OpenAICompatTransport:
        """Build from a node URL; ``tool_names`` are accepted besides the request's tools."""
        return cls(
            url.split("?", 1)[0].rstrip("/"),
            model=model,
            idle_timeout_s=idle_timeout_s,
            timeout_s=timeout_s,
            tool_names=frozenset(tool_names or ()),
            api_key=api_key,
        )

    async def probe(self) -> list[str]:
        """List the served models (``GET /models``); adopt the first if no model was given."""
        try:
            page = await self._client.models.list()
            ids = [m.id for m in page.data]
        except Exception as exc:  # the SDK and its HTTP layer raise many types; all are mapped
            raise classify_sdk_error(exc, where=self.url) from exc
        if not self.model:
            if not ids:
                raise FatalError(f"{self.url}: the server serves no models; load one first")
            self.model = ids[0]
        return ids

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Send one turn; raises only BrainError subclasses."""
        if not self.model:
            await self.probe()
        started = time.monotonic()
        try:
            response = await self._send(request)
        except BrainError:
            raise
        except Exception as exc:  # mapped to exactly one brain error class
            raise classify_sdk_error(exc, where=self.url) from exc
        response.latency_ms = (time.monotonic() - started) * 1000
        return response

    async def aclose(self) -> None:
        """Close the SDK's connection pool."""
        await self._client.close()

    async def _send(self, request: ChatRequest) -> ChatResponse:
        params = self._params(request)
        try:
            return await self._create(request, params)
        except BrainError:
            raise
        except Exception as exc:
            if "response_format" not in params or not _rejects_request(exc):
                raise
        # The server refused the request; if it is json_schema output it cannot do, the same
        # request without it succeeds (ask_structured validates and repairs the text), and
        # the server is not offered json_schema again.
        params.pop("response_format")
        response = await self._create(request, params)
        self.json_schema_supported = False
        return response

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "messages": [message_to_openai(m) for m in request.messages],
        }
        if request.tools:
            params["tools"] = [tool_to_openai(t) for t in request.tools]
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.max_tokens is not None:
            params["max_tokens"] = request.max_tokens
        if request.response_schema is not None and self.json_schema_supported:
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.response_schema_name or "answer",
                    "schema": request.response_schema,
                },
            }
        return params

    async def _create(self, request: ChatRequest, params: dict[str, Any]) -> ChatResponse:
        if request.stream:
            return await self._stream(request, params)
        completion = await self._client.chat.completions.create(**params)
        if not completion.choices:
            raise ContentError(f"{self.url}: the server answered with no choices")
        choice = completion.choices[0]
        calls = [
            {"id": c.id, "name": c.function.name, "arguments": c.function.arguments}
            for c in choice.message.tool_calls or []
            if getattr(c, "function", None) is not None
        ]
        usage = _usage(completion.usage) if completion.usage else Usage()
        return self._normalize(
            request,
            choice.message.content or "",
            calls,
            choice.finish_reason,
            usage,
            completion.model,
        )

    async def _stream(self, request: ChatRequest, params: dict[str, Any]) -> ChatResponse:
        from openai import Timeout

        # The watchdog owns the no-progress window; the HTTP read timeout must not undercut it.
        read = None if self.idle_timeout_s > 0 else self.timeout_s
        stream = await self._client.chat.completions.create(
            **params,
            stream=True,
            stream_options={"include_usage": True},
            timeout=Timeout(self.timeout_s, read=read),
        )
        draft = _Draft()
        try:
            async for chunk in watch_idle(stream, self.idle_timeout_s, where=self.url):
                draft.add_chunk(chunk)
        finally:
            await stream.close()
        calls = [draft.calls[i] for i in sorted(draft.calls)]
        return self._normalize(
            request, "".join(draft.text), calls, draft.finish, draft.usage, draft.model
        )

    def _normalize(
        self,
        request: ChatRequest,
        content: str,
        raw_calls: list[dict[str, Any]],
        finish: str | None,
        usage: Usage,
        model: str,
    ) -> ChatResponse:
        tools = registered_tools(request, self.tool_names)
        calls: list[ToolCall] = [
            build_call(c["name"] or "", c["arguments"] or "", tools, c["id"]) for c in raw_calls
        ]
        recovered = False
        text = strip_think(content)
        if not calls and tools:
            text, calls = recover_tool_calls(content, tools)
            recovered = bool(calls)
        reason = (
            FinishReason.TOOL_CALLS if calls else _FINISH.get(finish or "stop", FinishReason.STOP)
        )
        return ChatResponse(
            text=text,
            tool_calls=calls,
            finish_reason=reason,
            usage=usage,
            model=model or self.model,
            recovered=recovered,
        )


def _rejects_request(exc: Exception) -> bool:
    """True for a 400/422-style refusal of the request's shape (not auth, not overload)."""
    return getattr(exc, "status_code", None) in (400, 422)
