"""OpenAI-compatible transport: LM Studio, Ollama, vLLM, llama.cpp server, via the ``openai`` SDK.

Chat Completions with function tools, streamed (tool-call deltas assembled by
index, idle watchdog) or not. Small local models break the tool protocol, so
calls written into ``content`` are recovered (see :mod:`brain.toolcalls`).
The SDK's own retries are off: the swarm decides where a transient failure is retried.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from brain._classify import classify_sdk_error, is_context_overflow
from brain._errors import BrainError, ContentError, FatalError
from brain._guard import check_host_allowed
from brain._identity import SIMULATOR_OWNER, header_says_simulator
from brain._keys import node_key, resolve_key
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
from brain.toolcalls import build_call, recover_tool_calls, registered_tools, strip_think

_FINISH = {
    "stop": FinishReason.STOP,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "length": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
}
#: The structured-output ladder, best first: a node moves down a rung when it refuses one.
STRUCTURED_RUNGS = ("json_schema", "json_object", "prompt")
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
        self.structured_rung = STRUCTURED_RUNGS[0]
        #: Set by :meth:`probe` when the simulator's HTTP server answers behind this URL.
        self.served_by_simulator = False
        # The env key goes only where brain._keys allows (never cleartext http off the box).
        key = resolve_key(url, "OPENAI_API_KEY", explicit=api_key) or _PLACEHOLDER_KEY
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
            api_key=api_key or node_key(url),
        )

    async def probe(self) -> list[str]:
        """List the served models (``GET /models``); adopt the first if no model was given."""
        try:
            raw = await self._client.models.with_raw_response.list()
            page = raw.parse()
            ids = [m.id for m in page.data]
        except Exception as exc:  # the SDK and its HTTP layer raise many types; all are mapped
            raise classify_sdk_error(exc, where=self.url) from exc
        self.served_by_simulator = header_says_simulator(raw.headers) or any(
            getattr(m, "owned_by", "") == SIMULATOR_OWNER for m in page.data
        )
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
        while True:
            params = self._params(request)
            try:
                response = await self._create(request, params)
            except BrainError:
                raise
            except Exception as exc:
                if "response_format" not in params or not refuses_request_shape(exc):
                    raise
                # The server cannot do this rung of structured output; the next one down is
                # tried at once and this node is never offered the refused rung again.
                self.structured_rung = _next_rung(self.structured_rung)
                continue
            if request.response_schema is not None:
                response.structured_via = self.structured_rung
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
        if request.response_schema is not None:
            response_format = _response_format(self.structured_rung, request)
            if response_format is not None:
                params["response_format"] = response_format
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
            calls, text = recover_tool_calls(content, tools)
            recovered = bool(calls)
        # A call cut off by the token limit stays LENGTH: the caller must not run it.
        reason = _FINISH.get(finish or "stop", FinishReason.STOP)
        if calls and reason is not FinishReason.LENGTH:
            reason = FinishReason.TOOL_CALLS
        return ChatResponse(
            text=text,
            tool_calls=calls,
            finish_reason=reason,
            usage=usage,
            model=model or self.model,
            recovered=recovered,
        )


def _next_rung(rung: str) -> str:
    """The rung below ``rung`` (the prompt rung sends no ``response_format``, so is last)."""
    return STRUCTURED_RUNGS[STRUCTURED_RUNGS.index(rung) + 1]


def _response_format(rung: str, request: ChatRequest) -> dict[str, Any] | None:
    """The ``response_format`` of one rung of the ladder; None on the prompt-only rung."""
    schema = request.response_schema
    if rung == "json_schema":
        name = request.response_schema_name or "answer"
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    if rung == "json_object":
        # llama.cpp's server (and llama-cpp-python's) turn this schema into a grammar.
        return {"type": "json_object", "schema": schema}
    return None


#: Words in a server's error that name the structured-output parameter it refused.
_SHAPE_WORDS = ("response_format", "json_schema", "json_object", "'text'")


def refuses_request_shape(exc: Exception) -> bool:
    """True when the server refused the request's structured-output shape, not its content.

    400/422 are refusals of the request's shape unless the message is about the context
    window; some servers (llama-cpp-python) answer a shape they cannot parse with 500, which
    counts only when the message names the parameter.
    """
    status = getattr(exc, "status_code", None)
    message = str(exc).lower()
    if status in (400, 422):
        return not is_context_overflow(message)
    return status == 500 and any(word in message for word in _SHAPE_WORDS)
