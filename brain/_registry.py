"""Transport registry keyed by URL scheme, with lazy imports.

``http(s)://host:port/v1`` → OpenAI-compatible, ``anthropic:MODEL`` → Claude,
``sim:PROFILE?seed=N`` → the in-process simulator. A transport's SDK is imported
only when a node of its scheme is built, so a missing optional dependency is a
clear :class:`ConfigError`, never an import-time crash.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from brain._errors import ConfigError
from brain._protocol import Transport

#: A factory builds a transport from its node URL and keyword options
#: (``model``, ``idle_timeout_s``, ``timeout_s``, ``tool_names``...).
TransportFactory = Callable[..., Transport]

_SCHEMES: dict[str, str | TransportFactory] = {
    "http": "brain._openai_compat:OpenAICompatTransport.from_url",
    "https": "brain._openai_compat:OpenAICompatTransport.from_url",
    "anthropic": "brain._anthropic:AnthropicTransport.from_url",
    "sim": "brain.sim:SimTransport.from_url",
}


def register_scheme(scheme: str, factory: str | TransportFactory) -> None:
    """Register (or replace) the factory for a URL scheme; ``"module:attr"`` is imported lazily."""
    _SCHEMES[scheme.lower()] = factory


def known_schemes() -> list[str]:
    """The URL schemes a node may use."""
    return sorted(_SCHEMES)


def scheme_of(url: str) -> str:
    """The scheme of a node URL, lower-cased; raises ConfigError if it has none."""
    scheme = urlsplit(url.strip()).scheme.lower()
    if not scheme:
        raise ConfigError(
            f"node URL {url!r} has no scheme; use http(s)://host:port/v1, anthropic:MODEL "
            "or sim:PROFILE"
        )
    return scheme


def _resolve(target: str | TransportFactory) -> TransportFactory:
    if not isinstance(target, str):
        return target
    module_name, _, attr_path = target.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"transport module {module_name} cannot be imported: {exc}") from exc
    for attr in attr_path.split("."):
        obj = getattr(obj, attr)
    return obj


def transport_for(url: str, **options: Any) -> Transport:
    """Build the transport for a node URL.

    Raises :class:`ConfigError` with one line naming the problem for an unknown
    scheme or an unusable URL.
    """
    scheme = scheme_of(url)
    target = _SCHEMES.get(scheme)
    if target is None:
        raise ConfigError(
            f"unknown URL scheme {scheme!r} in {url!r}; known: {', '.join(known_schemes())}"
        )
    return _resolve(target)(url, **options)
