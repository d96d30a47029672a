"""Map what the openai and anthropic SDKs (and their HTTP layer) raise onto brain's errors.

Both SDKs share a shape: ``APIStatusError`` (``status_code``, ``body``),
``APIConnectionError`` and its ``APITimeoutError``; while a stream is being read
the HTTP layer's own errors (a dropped connection) can surface raw. The rules,
in order:

- the body or message says the model is not loaded → transient (LM Studio and
  Ollama answer 400/404 with that while they swap models);
- 401/403 → fatal; 404 → fatal (unknown model or wrong base URL);
- 408, 409, 425, 429 and every 5xx → transient;
- 413, or a 400/422 (or an error event mid-stream) whose message says the prompt does not
  fit (llama.cpp's ``exceed_context_size_error`` / ``n_ctx``, LM Studio's "context length",
  vLLM's "maximum context length", "too many tokens", Anthropic's "prompt is too long")
  → context overflow, a content error the caller answers with a smaller prompt;
- other 4xx → content (the request as built was refused, e.g. an unsupported field);
- an error event inside an answered stream (HTTP 200, or no status at all) → transient:
  the server failed part-way (Anthropic's ``overloaded_error``, a local model crashing);
- connection refused, timeouts, dropped connections → transient.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from brain._errors import (
    BrainError,
    ContentError,
    ContextOverflowError,
    FatalError,
    TransientError,
)

_UNLOADED = re.compile(r"model (is )?(unloaded|not loaded)|not loaded|no model loaded", re.I)
_TRANSIENT_STATUS = {408, 409, 425, 429}
_OVERFLOW = re.compile(
    r"n_ctx|context[ _-]?(?:length|size|window)|maximum context|context[ _]length[ _]exceeded"
    r"|too many tokens|prompt (?:is )?too long|exceed\w*[^.]{0,40}context|context .{0,20}overflow"
    r"|tokens? > \d+ maximum|input (?:is )?too large",
    re.I,
)
_MAX_LINE = 300


def one_line(text: str, limit: int = _MAX_LINE) -> str:
    """Collapse whitespace so model or server text cannot break the one-line rule."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def body_message(body: Any) -> str:
    """The human message inside an error body of either SDK (or the body itself)."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
        if body.get("message"):
            return str(body["message"])
    return "" if body is None else str(body)


def is_context_overflow(message: str) -> bool:
    """True when a server's error message says the prompt did not fit the context window."""
    return _OVERFLOW.search(message or "") is not None


def classify_status(status: int, message: str, *, where: str) -> BrainError:
    """The brain error for an HTTP status and the server's message about it."""
    text = f"{where}: HTTP {status}: {one_line(message) or 'no message'}"
    if _UNLOADED.search(message) or status < 400:
        return TransientError(text, status=status, body=message)
    if status == 413 or (status in (400, 422) and is_context_overflow(message)):
        return ContextOverflowError(
            text + " (the prompt does not fit the context window)", status=status, body=message
        )
    if status in (401, 403):
        return FatalError(text + " (check the API key)", status=status, body=message)
    if status == 404:
        return FatalError(text + " (unknown model or wrong base URL)", status=status, body=message)
    if status in _TRANSIENT_STATUS or status >= 500:
        return TransientError(text, status=status, body=message)
    return ContentError(text, status=status, body=message)


def _is_http_layer_error(exc: BaseException) -> bool:
    """An error from httpx/httpx2 (the SDKs' HTTP layer) raised while reading a stream."""
    module = type(exc).__module__ or ""
    return module.split(".")[0] in ("httpx", "httpx2", "httpcore", "h11", "anyio")


def _connection_reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if "refused" in str(cause).lower() or isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
        return "timed out"
    return one_line(str(exc) or type(exc).__name__)


#: The longest ``Retry-After`` honoured (seconds): a server asking for more is not waited for.
RETRY_AFTER_CAP_S = 60.0


def _retry_after(response: Any) -> float | None:
    """The response's ``Retry-After`` in seconds (delta form), capped; None when absent."""
    headers = getattr(response, "headers", None)
    raw = headers.get("retry-after") if headers is not None else None
    try:
        return min(max(float(raw), 0.0), RETRY_AFTER_CAP_S) if raw is not None else None
    except ValueError:
        return None  # the HTTP-date form: rare from model servers, and not worth a parser


async def honour_retry_after(error: BaseException) -> None:
    """Wait as long as a transient error's server asked (``Retry-After``) before a retry."""
    delay = getattr(error, "retry_after_s", None)
    if delay:
        await asyncio.sleep(delay)


def classify_sdk_error(exc: BaseException, *, where: str) -> BrainError:
    """Turn an SDK or HTTP-layer exception into exactly one brain error (never raises)."""
    if isinstance(exc, BrainError):
        return exc
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        body = getattr(exc, "body", None)
        error = classify_status(status, body_message(body) or str(exc), where=where)
        if isinstance(error, TransientError):
            error.retry_after_s = _retry_after(getattr(exc, "response", None))
        return error
    name = type(exc).__name__
    if name == "APIError":  # an error event in the SSE stream, which has no status of its own
        message = body_message(getattr(exc, "body", None)) or str(exc)
        if is_context_overflow(message):
            return ContextOverflowError(f"{where}: context overflow: {one_line(message)}")
        return TransientError(f"{where}: error mid-stream: {one_line(message)}")
    if name in ("APIConnectionError", "APITimeoutError") or _is_http_layer_error(exc):
        return TransientError(f"{where}: {_connection_reason(exc)}")
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return TransientError(f"{where}: {_connection_reason(exc)}")
    return ContentError(f"{where}: {name}: {one_line(str(exc))}")
