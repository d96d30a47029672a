"""How many tokens a node's context window holds, asked of the servers that say so.

Local servers expose it in their own (non-OpenAI) endpoints, relative to the server root
(the node URL without ``/v1``):

- llama.cpp ``GET /props`` → ``default_generation_settings.n_ctx`` (or a top-level ``n_ctx``);
- LM Studio ``GET /api/v0/models`` → the model's ``loaded_context_length`` (else
  ``max_context_length``);
- Ollama ``GET /api/ps`` → the loaded model's ``context_length``, else ``POST /api/show`` →
  ``num_ctx`` in its parameters. (``model_info.*.context_length`` is what the model was
  trained for, not what Ollama serves, so it is not used.)

Every request has a short timeout; anything absent, refused or malformed gives ``None``
(unknown), never an error: the node field ``?ctx=`` is the way to say it explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from brain._errors import ConfigError
from brain._guard import check_host_allowed

Probe = Callable[[httpx.AsyncClient, str, str], Awaitable[int | None]]


def server_root(url: str) -> str:
    """The server root of an OpenAI-compatible node URL (``…/v1`` and the query dropped)."""
    base = url.split("?", 1)[0].rstrip("/")
    return re.sub(r"/v1$", "", base)


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


async def _json(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
    response = await client.request(method, url, **kw)
    return response.json() if response.status_code == 200 else None


async def _llama_cpp(client: httpx.AsyncClient, root: str, model: str) -> int | None:
    props = await _json(client, "GET", f"{root}/props")
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings")
    inner = settings.get("n_ctx") if isinstance(settings, dict) else None
    return _positive(inner) or _positive(props.get("n_ctx"))


async def _lm_studio(client: httpx.AsyncClient, root: str, model: str) -> int | None:
    page = await _json(client, "GET", f"{root}/api/v0/models")
    models = page.get("data") if isinstance(page, dict) else None
    if not isinstance(models, list):
        return None
    chosen = [m for m in models if isinstance(m, dict) and (not model or m.get("id") == model)]
    loaded = [m for m in chosen if m.get("state") == "loaded"] or chosen
    for entry in loaded:
        size = _positive(entry.get("loaded_context_length")) or _positive(
            entry.get("max_context_length")
        )
        if size:
            return size
    return None


async def _ollama(client: httpx.AsyncClient, root: str, model: str) -> int | None:
    running = await _json(client, "GET", f"{root}/api/ps")
    for entry in running.get("models", []) if isinstance(running, dict) else []:
        if isinstance(entry, dict) and (
            not model or model in (entry.get("name"), entry.get("model"))
        ):
            size = _positive(entry.get("context_length"))
            if size:
                return size
    if not model:
        return None
    shown = await _json(client, "POST", f"{root}/api/show", json={"model": model})
    params = shown.get("parameters") if isinstance(shown, dict) else None
    found = (
        re.search(r"^\s*num_ctx\s+(\d+)", params or "", re.M) if isinstance(params, str) else None
    )
    return int(found.group(1)) if found else None


PROBES: tuple[Probe, ...] = (_llama_cpp, _lm_studio, _ollama)


async def probe_context_tokens(url: str, model: str = "", *, timeout_s: float = 3.0) -> int | None:
    """The context window (tokens) the server at ``url`` serves ``model`` with; None if unknown."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        check_host_allowed(url)
    except ConfigError:
        return None  # the transport itself reports the refusal, once
    root = server_root(url)
    # trust_env off: a proxy from the environment must not see a local server's probe.
    async with httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), trust_env=False) as client:
        for probe in PROBES:
            try:
                size = await probe(client, root, model)
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError):
                continue  # not this kind of server, or it is down: try the next
            if size:
                return size
    return None
