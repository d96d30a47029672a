"""Node specs (contract 3): how a fleet node or the harness brain is written down.

A node is ``{name, url, model, weight, speed, ctx}``. On a command line a fleet is a
comma list of node URLs; fleet-level fields ride along as query parameters that
the transport never sees::

    sim:competent?seed=1
    http://mac1.local:1234/v1?model=qwen3-coder-30b&weight=2&speed=1.5&name=mac1&ctx=32768
    anthropic:claude-sonnet-4-5?weight=4
    http://gpu1.lan:8000/v1?model=qwen3-coder-30b&usd_in=0.2&usd_out=0.6

``usd_in`` / ``usd_out`` price a node in USD per million prompt / completion tokens (both
or neither); a node without them has no price, and nothing invents one.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, Field

from brain._errors import ConfigError
from brain._keys import key_env_of
from brain._registry import known_schemes, scheme_of

#: Query parameters that belong to the fleet, not to the transport.
FLEET_PARAMS = ("name", "model", "weight", "speed", "ctx", "usd_in", "usd_out")


class NodeSpec(BaseModel):
    """One endpoint of the fleet (or the harness brain)."""

    name: str = Field(description="Unique, human-readable node name.")
    url: str = Field(description="Transport URL with fleet parameters removed.")
    model: str = Field(default="", description="Model id; empty = the server's first model.")
    weight: int = Field(
        default=1, ge=1, le=64, description="Concurrent slots: requests this node serves at once."
    )
    speed: float = Field(
        default=1.0, gt=0, description="Relative speed (2 = twice as fast) until it is measured."
    )
    ctx: int | None = Field(
        default=None,
        ge=512,
        description="Context window in tokens; None = probe the server (or unknown). Prompts "
        "are sized to it before the first call.",
    )
    usd_in: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description="USD per million prompt tokens; None = no price given.",
    )
    usd_out: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description="USD per million completion tokens; None = no price.",
    )

    @property
    def scheme(self) -> str:
        """The transport scheme (http, https, anthropic, sim)."""
        return scheme_of(self.url)

    @property
    def key_env(self) -> str | None:
        """The variable holding this node's own API key (``?key_env=VAR``), if any."""
        return key_env_of(self.url)

    served_by_simulator: bool = Field(
        default=False,
        description="The probe found the simulator's HTTP server behind this http(s) URL "
        "(``gym sim serve``): the node is simulated although its URL looks real.",
    )

    @property
    def simulated(self) -> bool:
        """True for the offline simulator, in process or served; never mixed with real results."""
        return self.scheme == "sim" or self.served_by_simulator


def _default_model(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("sim", "anthropic"):
        return f"sim-{parts.path}" if parts.scheme == "sim" else parts.path
    return ""


def _default_name(url: str, index: int) -> str:
    parts = urlsplit(url)
    base = parts.hostname if parts.scheme in ("http", "https") else f"{parts.scheme}-{parts.path}"
    return f"{base}-{index}"


def parse_node_spec(text: str, index: int = 0) -> NodeSpec:
    """Parse one node URL with optional fleet parameters; ConfigError names what is wrong."""
    text = text.strip()
    if not text:
        raise ConfigError("empty node URL in fleet")
    scheme = scheme_of(text)
    if scheme not in known_schemes():
        raise ConfigError(
            f"unknown URL scheme {scheme!r} in {text!r}; known: {', '.join(known_schemes())}"
        )
    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    fleet = {k: v for k, v in query if k in FLEET_PARAMS}
    rest = [(k, v) for k, v in query if k not in FLEET_PARAMS]
    url = urlunsplit(parts._replace(query=urlencode(rest)))
    key_env_of(url)  # a bad ?key_env= is bad input now, not when the node is first called
    try:
        price = _price(fleet, text)
        return NodeSpec(
            name=fleet.get("name") or _default_name(url, index),
            url=url,
            model=fleet.get("model") or _default_model(url),
            weight=int(fleet.get("weight", 1)),
            speed=float(fleet.get("speed", 1.0)),
            ctx=int(fleet["ctx"]) if fleet.get("ctx") else None,
            usd_in=price.get("usd_in"),
            usd_out=price.get("usd_out"),
        )
    except ValueError as exc:
        raise ConfigError(f"bad fleet parameter in {text!r}: {exc}".splitlines()[0]) from None


def _price(fleet: dict[str, str], text: str) -> dict[str, float]:
    """``usd_in`` and ``usd_out`` together, or neither: half a price would under-count."""
    given = {k: fleet[k] for k in ("usd_in", "usd_out") if fleet.get(k, "").strip()}
    if len(given) == 1:
        raise ConfigError(f"node {text!r} has {next(iter(given))} without the other: give both")
    return {k: float(v) for k, v in given.items()}


def parse_fleet_spec(text: str) -> list[NodeSpec]:
    """Parse a comma list of node URLs; names are made unique by their position."""
    items = [t for t in text.split(",") if t.strip()]
    if not items:
        raise ConfigError("fleet is empty: give at least one node URL")
    nodes = [parse_node_spec(t, i) for i, t in enumerate(items)]
    names = [n.name for n in nodes]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"fleet has duplicate node names: {', '.join(dupes)}")
    return nodes
