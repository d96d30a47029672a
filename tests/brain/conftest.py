"""Fixtures: a scripted simulator server on a free loopback port, and transports pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from brain import Transport, transport_for
from brain.sim._scripted import Scripted, ScriptedPolicy, ScriptFunction
from brain.sim.server import SimServer

ServeScript = Callable[[list[Scripted] | ScriptFunction], SimServer]


@pytest.fixture(scope="session")
def shared_server() -> Iterator[SimServer]:
    """One server for the whole session: starting one is quick, stopping one takes ~0.2 s."""
    with SimServer(ScriptedPolicy([])) as server:
        yield server


@pytest.fixture
def serve(shared_server: SimServer) -> ServeScript:
    """Point the shared server at a fresh scripted policy and return it (one script per test)."""

    def start(script: list[Scripted] | ScriptFunction) -> SimServer:
        shared_server.policy = ScriptedPolicy(script)
        shared_server.formats_seen.clear()
        return shared_server

    return start


def node_url(server: SimServer, protocol: str) -> str:
    """The node URL of ``server`` for one wire protocol."""
    if protocol == "openai":
        return server.openai_base_url
    return f"anthropic:claude-sim?base_url={server.base_url}"


@pytest.fixture(params=["openai", "anthropic"])
def protocol(request: pytest.FixtureRequest) -> str:
    """Each wire protocol the server speaks."""
    return request.param


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., Transport]]:
    """Build transports with short timeouts; they are closed at teardown."""
    built: list[Transport] = []

    def make(server: SimServer, protocol: str, **options: object) -> Transport:
        options.setdefault("model", "sim-scripted")
        options.setdefault("timeout_s", 5.0)
        transport = transport_for(node_url(server, protocol), **options)
        built.append(transport)
        return transport

    yield make
    for transport in built:
        await transport.aclose()
