"""Bad input gets one clear line, never a traceback: URLs, unreachable servers, unknown profiles."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from brain import ConfigError, TransientError, transport_for
from gym.cli import app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gopher://127.0.0.1/v1", "unknown URL scheme 'gopher'"),
        ("127.0.0.1:1234", "has no scheme"),
        ("anthropic:", "no model in 'anthropic:'"),
        ("http://192.0.2.7:1234/v1", "loopback only"),
        ("anthropic:claude-x?base_url=http://192.0.2.7:1", "loopback only"),
    ],
)
def test_unusable_node_url_is_a_one_line_config_error(url: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        transport_for(url)

    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
async def test_probe_of_an_unreachable_server_is_a_one_line_transient_error(protocol: str) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    url = base + "/v1" if protocol == "openai" else f"anthropic:claude-x?base_url={base}"
    transport = transport_for(url, timeout_s=2)

    with pytest.raises(TransientError) as info:
        await transport.probe()
    await transport.aclose()

    assert str(info.value).endswith(": connection refused")
    assert "\n" not in str(info.value)


def test_sim_serve_with_an_unknown_profile_exits_2_with_one_line() -> None:
    result = CliRunner().invoke(app, ["sim", "serve", "--port", "0", "--profile", "nosuch"])

    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "unknown sim profile 'nosuch'" in lines[0], result.output
    assert "Traceback" not in result.output


def test_sim_serve_on_a_port_in_use_exits_2_with_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["sim", "serve", "--port", str(port)])

    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"gym sim serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


def test_claude_without_an_api_key_is_a_one_line_config_error(monkeypatch) -> None:
    # The guard would refuse api.anthropic.com first; lift it to reach the key check (no request
    # is made: building a transport does not connect).
    monkeypatch.delenv("SWARM_GYM_LOOPBACK_ONLY")

    with pytest.raises(ConfigError, match="^ANTHROPIC_API_KEY is not set; export it"):
        transport_for("anthropic:claude-sonnet-4-5")
