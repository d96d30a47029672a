"""Claude transport through the official ``anthropic`` SDK.

Node URL: ``anthropic:MODEL`` or ``anthropic:MODEL?base_url=http://127.0.0.1:PORT``.
The key comes from ``ANTHROPIC_API_KEY`` (or the node's ``?key_env=VAR``; see
:mod:`brain._keys` for where a key may go); a placeholder is used only when the base URL
is loopback (the simulator) or plain http to another host, which never gets the key.
Tool calls map to ``tool_use``/``tool_result`` blocks; the system prompt and the
last tool carry ``cache_control`` so repeated turns of a worker hit the prompt cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from brain._classify import classify_sdk_error
from brain._errors import BrainError, ConfigError
from brain._guard import _is_loopback, check_host_allowed
from brain._identity import header_says_simulator
from brain._keys import may_receive_env_key, node_key, resolve_key
from brain._types import ChatRequest, ChatResponse, FinishReason, Message, Role, ToolSpec, Usage
from brain._watchdog import DEFAULT_IDLE_TIMEOUT_S, watch_idle
from brain.toolcalls import build_call, parse_json_lenient, registered_tools, strip_think

_DEFAULT_BASE_URL = "https://api.anthropic.com"
#: The Messages API requires max_tokens; 8k fits a worker's file write and is cheap to reserve.
_DEFAULT_MAX_TOKENS = 8192
_EPHEMERAL = {"type": "ephemeral"}
_STOP = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "tool_use": FinishReason.TOOL_CALLS,
    "max_tokens": FinishReason.LENGTH,
    "refusal": FinishReason.CONTENT_FILTER,
}


def _tool_result(message: Message) -> dict[str, Any]:
    return {
        "type": "tool_result",
        "tool_use_id": message.tool_call_id or "",
        "content": message.content,
    }


def _assistant_blocks(message: Message) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = (
        [{"type": "text", "text": message.content}] if message.content else []
    )
    blocks += [
        {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
        for c in message.tool_calls
    ]
    return blocks


def messages_to_anthropic(
    messages: list[Message],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split brain messages into (system blocks, alternating user/assistant turns).

    Tool results become ``tool_result`` blocks of a user turn; consecutive turns of
    the same role are merged because the Messages API requires alternation.
    """
    system = [{"type": "text", "text": m.content} for m in messages if m.role is Role.SYSTEM]
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role is Role.SYSTEM:
            continue
        role = "assistant" if message.role is Role.ASSISTANT else "user"
        if message.role is Role.TOOL:
            blocks = [_tool_result(message)]
        elif message.role is Role.ASSISTANT:
            blocks = _assistant_blocks(message)
        else:
            blocks = [{"type": "text", "text": message.content}]
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += blocks
        else:
            turns.append({"role": role, "content": blocks})
    if system:
        system[-1]["cache_control"] = _EPHEMERAL
    return system, turns


def tools_to_anthropic(tools: list[ToolSpec]) -> list[dict[str, Any]]:
    """Tool specs as Messages API tools; the last one marks the end of the cached prefix."""
    wire = [
        {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
    ]
    if wire:
        wire[-1]["cache_control"] = _EPHEMERAL
    return wire


def _usage(raw: Any) -> Usage:
    read = getattr(raw, "cache_read_input_tokens", None) or 0
    write = getattr(raw, "cache_creation_input_tokens", None) or 0
    # prompt_tokens counts the whole prompt as OpenAI does; Anthropic's input_tokens omits cache.
    return Usage(
        prompt_tokens=(getattr(raw, "input_tokens", None) or 0) + read + write,
        completion_tokens=getattr(raw, "output_tokens", None) or 0,
        cache_read_tokens=read,
        cache_write_tokens=write,
    )


@dataclass
class _Draft:
    """A streamed message being assembled from raw events."""

    blocks: dict[int, dict[str, Any]] = field(default_factory=dict)
    stop: str | None = None
    usage: Any = None
    output_tokens: int = 0
    model: str = ""

    def add_event(self, event: Any) -> None:
        kind = event.type
        if kind == "message_start":
            self.usage, self.model = event.message.usage, event.message.model
        elif kind == "content_block_start":
            block = event.content_block
            self.blocks[event.index] = {
                "type": block.type,
                "text": "",
                "json": "",
                "id": getattr(block, "id", None),
                "name": getattr(block, "name", None),
            }
        elif kind == "content_block_delta":
            self._add_delta(event.index, event.delta)
        elif kind == "message_delta":
            self.stop = event.delta.stop_reason or self.stop
            self.output_tokens = getattr(event.usage, "output_tokens", 0) or self.output_tokens

    def _add_delta(self, index: int, delta: Any) -> None:
        slot = self.blocks.setdefault(index, {"type": "text", "text": "", "json": ""})
        if delta.type == "text_delta":
            slot["text"] += delta.text
        elif delta.type == "input_json_delta":
            slot["json"] += delta.partial_json


class AnthropicTransport:
    """A node answered by Claude (or anything speaking the Messages API at ``base_url``)."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
        timeout_s: float = 600.0,
        tool_names: frozenset[str] = frozenset(),
        api_key: str | None = None,
    ) -> None:
        from anthropic import AsyncAnthropic

        target = base_url or _DEFAULT_BASE_URL
        check_host_allowed(target)
        self.url = f"anthropic:{model}" + (f"?base_url={base_url}" if base_url else "")
        self.model = model
        self.idle_timeout_s = idle_timeout_s
        self.timeout_s = timeout_s
        self.tool_names = tool_names
        #: Set by :meth:`probe` when the simulator's HTTP server answers behind this URL.
        self.served_by_simulator = False
        # The env key goes only where brain._keys allows (never cleartext http off the box).
        key = resolve_key(target, "ANTHROPIC_API_KEY", explicit=api_key) or _no_key(target)
        self._client = AsyncAnthropic(
            api_key=key, base_url=base_url, max_retries=0, timeout=timeout_s
        )

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
    ) -> AnthropicTransport:
        """Build from ``anthropic:MODEL[?base_url=...]``; ``model`` overrides the URL's."""
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        chosen = model or parts.path.strip("/")
        if not chosen:
            raise ConfigError(
                f"no model in {url!r}; write anthropic:MODEL (e.g. anthropic:claude-sonnet-4-5)"
            )
        return cls(
            chosen,
            base_url=(query.get("base_url") or [None])[0],
            idle_timeout_s=idle_timeout_s,
            timeout_s=timeout_s,
            tool_names=frozenset(tool_names or ()),
            api_key=api_key or node_key(url),
        )

    async def probe(self) -> list[str]:
        """List the models the endpoint serves (``GET /v1/models``)."""
        try:
            raw = await self._client.models.with_raw_response.list()
            page = await raw.parse()
        except Exception as exc:  # mapped to exactly one brain error class
            raise classify_sdk_error(exc, where=self.url) from exc
        self.served_by_simulator = header_says_simulator(raw.headers)
        return [m.id for m in page.data]

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """Send one turn; raises only BrainError subclasses."""
        started = time.monotonic()
        try:
            response = await (self._stream(request) if request.stream else self._create(request))
        except BrainError:
            raise
        except Exception as exc:  # mapped to exactly one brain error class
            raise classify_sdk_error(exc, where=self.url) from exc
        response.latency_ms = (time.monotonic() - started) * 1000
        return response

    async def aclose(self) -> None:
        """Close the SDK's connection pool."""
        await self._client.close()

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        system, turns = messages_to_anthropic(request.messages)
        tools = list(request.tools)
        params: dict[str, Any] = {
            "model": self.model,
            "messages": turns,
            "max_tokens": request.max_tokens or _DEFAULT_MAX_TOKENS,
        }
        if request.response_schema is not None:
            name = request.response_schema_name or "answer"
            tools.append(
                ToolSpec(
                    name=name, description=f"Record the {name}.", parameters=request.response_schema
                )
            )
            params["tool_choice"] = {"type": "tool", "name": name}
        if system:
            params["system"] = system
        if tools:
            params["tools"] = tools_to_anthropic(tools)
        # No temperature: the Messages API of anthropic>=2 no longer takes one (sampling is
        # the model's own), and sending it is a TypeError before any request is made.
        return params

    async def _create(self, request: ChatRequest) -> ChatResponse:
        message = await self._client.messages.create(**self._params(request))
        blocks = [
            {
                "type": b.type,
                "text": getattr(b, "text", ""),
                "input": getattr(b, "input", None),
                "id": getattr(b, "id", None),
                "name": getattr(b, "name", None),
            }
            for b in message.content
        ]
        return self._normalize(
            request, blocks, message.stop_reason, _usage(message.usage), message.model
        )

    async def _stream(self, request: ChatRequest) -> ChatResponse:
        from anthropic import Timeout

        read = None if self.idle_timeout_s > 0 else self.timeout_s
        stream = await self._client.messages.create(
            **self._params(request), stream=True, timeout=Timeout(self.timeout_s, read=read)
        )
        draft = _Draft()
        try:
            async for event in watch_idle(stream, self.idle_timeout_s, where=self.url):
                draft.add_event(event)
        finally:
            await stream.close()
        usage = _usage(draft.usage) if draft.usage is not None else Usage()
        usage.completion_tokens = draft.output_tokens or usage.completion_tokens
        blocks = [draft.blocks[i] for i in sorted(draft.blocks)]
        for block in blocks:
            block["input"] = parse_json_lenient(block["json"]) if block["json"] else {}
        return self._normalize(request, blocks, draft.stop, usage, draft.model)

    def _normalize(
        self,
        request: ChatRequest,
        blocks: list[dict[str, Any]],
        stop: str | None,
        usage: Usage,
        model: str,
    ) -> ChatResponse:
        tools = registered_tools(request, self.tool_names)
        if request.response_schema is not None:
            tools[request.response_schema_name or "answer"] = None  # validated by ask_structured
        text = "".join(b["text"] or "" for b in blocks if b["type"] == "text")
        calls = [
            build_call(
                b["name"] or "", b["input"] if b["input"] is not None else {}, tools, b["id"]
            )
            for b in blocks
            if b["type"] == "tool_use"
        ]
        reason = _STOP.get(stop or "end_turn", FinishReason.STOP)
        if calls and reason is not FinishReason.LENGTH:  # a call cut at max_tokens stays LENGTH
            reason = FinishReason.TOOL_CALLS
        return ChatResponse(
            text=strip_think(text),
            tool_calls=calls,
            finish_reason=reason,
            usage=usage,
            model=model or self.model,
            structured_via=None if request.response_schema is None else "tool",
        )


def _no_key(base_url: str) -> str:
    """The placeholder when no key may be sent; a missing key for a real endpoint is an error."""
    host = (urlsplit(base_url).hostname or "").lower()
    if _is_loopback(host):
        return "sim-placeholder-key"
    if not may_receive_env_key(base_url):  # plain http to another host: the key is withheld
        return "not-needed"
    raise ConfigError("ANTHROPIC_API_KEY is not set; export it or point base_url at a local server")
