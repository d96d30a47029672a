"""Which API key goes to which node: a key travels only where it was configured to go.

A node gets, in this order:

1. the key its caller passes explicitly (``api_key=``);
2. its own key, from the environment variable it names on its URL (``?key_env=MY_VAR``);
3. the provider's environment key (``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY``) — but only
   when the URL is https, the host is loopback (the key never leaves the machine), or the
   host is listed in ``SWARM_GYM_KEY_HOSTS`` (``host`` or ``host:port``, comma separated);
4. otherwise no key: the transport sends a placeholder.

Why: a bearer token sent over plain http to another machine is readable by anyone on the
path and is handed to whatever answers there. Before this rule ``OPENAI_API_KEY`` went to
every ``http://`` node of the fleet, including ones on other hosts.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlsplit

from brain._errors import ConfigError
from brain._guard import _is_loopback

#: The node URL parameter naming the environment variable that holds the node's own key.
KEY_ENV_PARAM = "key_env"
#: Hosts (``host`` or ``host:port``) that may receive the provider's key over plain http.
KEY_HOSTS_ENV = "SWARM_GYM_KEY_HOSTS"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def key_env_of(url: str) -> str | None:
    """The variable a node URL names with ``?key_env=``; ConfigError when it is not a name."""
    values = [
        v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k == KEY_ENV_PARAM
    ]
    if not values:
        return None
    name = values[-1].strip()
    if not _VARIABLE.match(name):
        raise ConfigError(
            f"{KEY_ENV_PARAM}={name!r} in {url!r} is not an environment variable name"
        )
    return name


def node_key(url: str) -> str | None:
    """The node's own key, read from the variable its URL names; None when it names none."""
    name = key_env_of(url)
    if name is None:
        return None
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(
            f"{name} is not set; the node {_without_query(url)} takes its key from it"
        )
    return value


def may_receive_env_key(url: str) -> bool:
    """True when the provider's environment key may be sent to ``url`` (https, loopback, listed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() == "https" or _is_loopback(host):
        return True
    return _listed(host, parts.port)


def resolve_key(url: str, env_var: str, *, explicit: str | None = None) -> str | None:
    """The key to send to ``url``: explicit, the node's own, or ``env_var`` where it may go."""
    if explicit:
        return explicit
    own = node_key(url)
    if own is not None:
        return own
    if not may_receive_env_key(url):
        return None
    return os.environ.get(env_var) or None


def _listed(host: str, port: int | None) -> bool:
    entries = {e.strip().lower() for e in os.environ.get(KEY_HOSTS_ENV, "").split(",")}
    return bool(host) and (host in entries or (port is not None and f"{host}:{port}" in entries))


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
