"""The simulator served over real HTTP: OpenAI Chat Completions and Anthropic Messages.

``SimServer`` runs a starlette app under uvicorn in a background thread so the
official SDK clients and our own transports are tested over the wire, faults
included. Routes::

    GET  /v1/models             both SDKs' model listing
    POST /v1/chat/completions   OpenAI, streamed (SSE) or not
    POST /v1/messages           Anthropic, streamed (SSE) or not

A :class:`~brain.sim.SimReply` is delivered as it says: ``latency_s`` is spent
(spread over the chunks of a stream), an ``HTTP_ERROR`` fault answers with its
status and message (a 429 with ``Retry-After``), ``DROP`` closes the connection after
``after_chunks`` chunks, ``STALL`` sends ``after_chunks`` chunks and then holds the
connection silent until the client gives up or the server stops.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from brain._errors import ConfigError
from brain._identity import SIMULATOR_HEADER
from brain._types import ChatRequest, ChatResponse, Usage
from brain.sim._reply import FaultKind, SimPolicy, SimReply
from brain.sim.server import _anthropic_wire, _openai_wire

log = logging.getLogger(__name__)
#: How long start() waits for uvicorn to accept connections before giving up.
_START_TIMEOUT_S = 10.0
_DROP_NOTICE = "ASGI callable returned without completing response."
#: Seconds a 429 fault asks the client to wait (its ``Retry-After`` header).
RETRY_AFTER_S = 1


class _QuietDrops(logging.Filter):
    """An injected dropped connection is the simulator working, not a server error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _DROP_NOTICE not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


@dataclass(frozen=True)
class _Protocol:
    """What differs between the two wire protocols the server speaks."""

    parse: Callable[[dict[str, Any]], tuple[ChatRequest, str]]
    shape: Callable[[ChatRequest, ChatResponse], ChatResponse]
    body: Callable[[ChatResponse, str], dict[str, Any]]
    events: Callable[[ChatResponse, str, dict[str, Any]], list[str]]
    error: Callable[[str, int], dict[str, Any]]


def _openai_events(response: ChatResponse, model: str, body: dict[str, Any]) -> list[str]:
    include = bool((body.get("stream_options") or {}).get("include_usage"))
    return _openai_wire.chunks(response, model, include_usage=include)


_OPENAI = _Protocol(
    _openai_wire.parse_request,
    _openai_wire.structured_as_text,
    _openai_wire.completion,
    _openai_events,
    _openai_wire.error_body,
)
_ANTHROPIC = _Protocol(
    _anthropic_wire.parse_request,
    _anthropic_wire.structured_as_tool_use,
    _anthropic_wire.message,
    lambda response, model, _body: _anthropic_wire.stream_events(response, model),
    _anthropic_wire.error_body,
)


class _Delivery(Response):
    """A raw ASGI response that can trickle, drop or stall, which starlette's responses cannot."""

    def __init__(self, server: SimServer, parts: list[bytes], reply: SimReply, media_type: str):
        self.server, self.parts, self.reply = server, parts, reply
        self.media = media_type
        self.background = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", self.media.encode())]
        if self.media == "application/json":
            headers.append((b"content-length", str(sum(map(len, self.parts))).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        fault = self.reply.fault
        # A fault always fires: past the end of a short answer it withholds the last part.
        fault_at = min(fault.after_chunks, len(self.parts) - 1) if fault else -1
        pause = self.reply.latency_s / max(len(self.parts), 1)
        for index, part in enumerate(self.parts):
            if fault is not None and index == fault_at:
                if fault.kind is FaultKind.STALL:
                    await self.server.wait_stop_or_disconnect(receive)
                return  # leaving the response incomplete makes uvicorn drop the connection
            if not await self.server.pause(pause):
                return
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class SimServer:
    """Context manager serving a :class:`SimPolicy` on ``host:port`` (port 0 = a free port).

    ``policy`` defaults to ``brain.sim.make_policy(profile, seed=..., rate=...,
    time_scale=..., catalog_dir=...)``; an unknown profile raises ConfigError here,
    before anything listens. A given policy's ``latency_s`` is used as it is
    (``time_scale`` only reaches the default policy). ``base_url`` is
    ``http://HOST:PORT``; the OpenAI base is ``base_url + "/v1"``, the Anthropic base
    is ``base_url`` itself.
    """

    def __init__(
        self,
        policy: SimPolicy | None = None,
        *,
        profile: str = "competent",
        seed: int = 0,
        time_scale: float = 0.0,
        catalog_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        models: Sequence[str] | None = None,
        rate: float | None = None,
    ) -> None:
        self.policy = policy or _default_policy(profile, seed, rate, time_scale, catalog_dir)
        label = getattr(self.policy, "profile", None) or ("scripted" if policy else profile)
        self.models = list(models or [f"sim-{label}"])
        self.host, self.port = host, port
        self._thread: threading.Thread | None = None
        self._uvicorn: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._started = threading.Event()
        #: ``response_format.type`` of the latest requests ("" when none was sent), so tests
        #: can see which structured-output rung a client used; bounded for long-lived servers.
        self.formats_seen: deque[str] = deque(maxlen=256)

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (the port is real once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """The base URL an OpenAI client or node URL uses."""
        return self.base_url + "/v1"

    def start(self) -> SimServer:
        """Bind, start serving in a background thread, and return once connections are accepted."""
        import uvicorn

        # proto must be IPPROTO_TCP: asyncio sets TCP_NODELAY only then, and without it every
        # keep-alive response waits ~40 ms on Nagle + delayed ACK.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise ConfigError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from None
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_level="warning", lifespan="off", access_log=False)
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, args=(sock,), name="sim-server", daemon=True
        )
        self._thread.start()
        if not self._started.wait(_START_TIMEOUT_S):
            self.stop()
            raise ConfigError(f"sim server on {self.base_url} did not start")
        return self

    def stop(self) -> None:
        """Release stalled streams, stop uvicorn and join its thread (a second call is a no-op)."""
        if self._loop is not None and self._stopping is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None

    def wait(self) -> None:
        """Block until the server stops (for ``gym sim serve``)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, sock: socket.socket) -> None:
        asyncio.run(self._serve(sock))

    async def _serve(self, sock: socket.socket) -> None:
        self._loop, self._stopping = asyncio.get_running_loop(), asyncio.Event()
        serving = asyncio.create_task(self._uvicorn.serve(sockets=[sock]))
        while not self._uvicorn.started and not serving.done():
            await asyncio.sleep(0.01)
        self._started.set()
        await serving

    # -- the app --------------------------------------------------------------------------

    def app(self) -> Any:
        """The ASGI app (usable under any ASGI server); every answer says it is the simulator."""
        routes = Starlette(
            routes=[
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/v1/chat/completions", self._openai, methods=["POST"]),
                Route("/v1/messages", self._anthropic, methods=["POST"]),
            ]
        )
        return _Identified(routes)

    async def _models(self, _request: Request) -> Response:
        return JSONResponse(_openai_wire.models_body(self.models))

    async def _openai(self, request: Request) -> Response:
        return await self._answer(request, _OPENAI)

    async def _anthropic(self, request: Request) -> Response:
        return await self._answer(request, _ANTHROPIC)

    async def _answer(self, http: Request, protocol: _Protocol) -> Response:
        try:
            body = json.loads(await http.body())
            self.formats_seen.append(_format_type(body))
            request, model = protocol.parse(body)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return JSONResponse(protocol.error(f"malformed request: {exc}", 400), status_code=400)
        try:
            reply = await asyncio.to_thread(self.policy.reply, request, model)
        except Exception as exc:  # a policy bug must reach the client as a 500, not hang it
            log.exception("simulator policy failed")
            return JSONResponse(
                protocol.error(f"simulator policy failed: {exc}", 500), status_code=500
            )
        return await self._deliver(reply, request, model, body, protocol)

    async def _deliver(
        self,
        reply: SimReply,
        request: ChatRequest,
        model: str,
        body: dict[str, Any],
        protocol: _Protocol,
    ) -> Response:
        fault = reply.fault
        if fault is not None and fault.kind is FaultKind.HTTP_ERROR:
            await self.pause(reply.latency_s)
            # Rate limits come with Retry-After on real servers; clients must cope with it.
            headers = {"Retry-After": str(RETRY_AFTER_S)} if fault.status == 429 else None
            return JSONResponse(
                protocol.error(fault.message, fault.status),
                status_code=fault.status,
                headers=headers,
            )
        response = protocol.shape(request, _with_usage(request, reply.response))
        if request.stream:
            parts = [e.encode() for e in protocol.events(response, model, body)]
            return _Delivery(self, parts, reply, "text/event-stream")
        data = json.dumps(protocol.body(response, model)).encode()
        # A non-streamed body is sent in two halves so a DROP/STALL at 1 lands mid-body.
        return _Delivery(
            self, [data[: len(data) // 2], data[len(data) // 2 :]], reply, "application/json"
        )

    async def pause(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the server stops first; False if it is stopping."""
        assert self._stopping is not None
        if seconds <= 0:
            return not self._stopping.is_set()
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
            return False
        except TimeoutError:
            return True

    async def wait_stop_or_disconnect(self, receive: Any) -> None:
        """Hold a stalled connection until the server stops or the client hangs up."""
        assert self._stopping is not None

        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        waiters = [
            asyncio.ensure_future(self._stopping.wait()),
            asyncio.ensure_future(disconnected()),
        ]
        _done, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()


#: Rough characters per token, for usage when the policy reports none.
_CHARS_PER_TOKEN = 4


def _format_type(body: Any) -> str:
    """The wire ``response_format.type`` of a request body, "" when absent."""
    fmt = body.get("response_format") if isinstance(body, dict) else None
    return str(fmt.get("type", "")) if isinstance(fmt, dict) else ""


class _Identified:
    """ASGI wrapper: add the simulator's header to every response, streamed ones included."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def marked(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (SIMULATOR_HEADER.encode(), b"1")]
                message = {**message, "headers": headers}
            await send(message)

        await self.inner(scope, receive, marked if scope["type"] == "http" else send)


def _with_usage(request: ChatRequest, response: ChatResponse) -> ChatResponse:
    """Fill in a token estimate when the policy left usage empty, as servers always report it."""
    if response.usage != Usage():
        return response
    prompt = sum(len(m.content) + len(str(m.tool_calls)) for m in request.messages)
    completion = len(response.text) + sum(len(json.dumps(c.arguments)) for c in response.tool_calls)
    usage = Usage(
        prompt_tokens=prompt // _CHARS_PER_TOKEN + 1,
        completion_tokens=completion // _CHARS_PER_TOKEN + 1,
    )
    return response.model_copy(update={"usage": usage})


def _default_policy(
    profile: str, seed: int, rate: float | None, time_scale: float, catalog_dir: Path | None
) -> SimPolicy:
    try:
        from brain.sim import make_policy  # imported late to avoid a cycle
    except ImportError:
        raise ConfigError(
            "the simulator's policies are not available (brain.sim.make_policy)"
        ) from None
    return make_policy(
        profile, seed=seed, rate=rate, time_scale=time_scale, catalog_dir=catalog_dir
    )
