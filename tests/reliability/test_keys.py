"""API keys go only where they belong (brain._keys).

The break: ``OPENAI_API_KEY`` from the environment was sent as a cleartext bearer token to
every ``http://`` node, including ones on other hosts. Now the provider's key reaches a node
only over https, on the loopback, or to a host listed in ``SWARM_GYM_KEY_HOSTS``; a node can
name its own key variable (``?key_env=VAR``); everything else gets a placeholder.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from brain import ConfigError, parse_fleet_spec, parse_node_spec, transport_for

SECRET = "sk-test-planted-secret-0123456789"
NODE_SECRET = "sk-node-own-key-9876543210"
REMOTE_HTTP = "http://192.0.2.7:1234/v1"  # TEST-NET-1: never contacted, only configured
KEY_HOSTS_ENV = "SWARM_GYM_KEY_HOSTS"


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Both provider keys set, no host listed, and the loopback guard lifted (nothing connects)."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.delenv(KEY_HOSTS_ENV, raising=False)
    monkeypatch.delenv("SWARM_GYM_LOOPBACK_ONLY", raising=False)
    return monkeypatch


def _sent_key(url: str) -> str:
    """The credential the transport's SDK client was built with (what every request carries)."""
    return transport_for(url)._client.api_key  # type: ignore[attr-defined]


# ---- the policy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.openai.com/v1", True),
        ("http://127.0.0.1:1234/v1", True),
        ("http://localhost:1234/v1", True),
        ("http://[::1]:1234/v1", True),
        ("http://192.0.2.7:1234/v1", False),
        ("http://mac1.local:1234/v1", False),
        ("HTTP://mac1.local:1234/v1", False),
        ("http://127.0.0.1.evil.example:1234/v1", False),
        ("http://localhost.evil.example/v1", False),
    ],
)
def test_the_env_key_may_go_only_over_https_or_to_the_loopback(url, allowed, keys):
    from brain._keys import may_receive_env_key, resolve_key

    assert may_receive_env_key(url) is allowed
    assert resolve_key(url, "OPENAI_API_KEY") == (SECRET if allowed else None)


@pytest.mark.parametrize(
    ("listed", "url", "allowed"),
    [
        ("mac1.local", "http://mac1.local:1234/v1", True),
        ("mac1.local:1234", "http://mac1.local:1234/v1", True),
        ("mac1.local:1234", "http://mac1.local:9999/v1", False),
        ("mac1.local", "http://mac2.local:1234/v1", False),
        (" mac2.local , MAC1.local ", "http://mac1.local:1234/v1", True),
        ("", "http://mac1.local:1234/v1", False),
    ],
)
def test_a_host_listed_explicitly_may_receive_the_env_key(listed, url, allowed, keys):
    from brain._keys import resolve_key

    keys.setenv(KEY_HOSTS_ENV, listed)
    assert resolve_key(url, "OPENAI_API_KEY") == (SECRET if allowed else None)


# ---- the transports ----------------------------------------------------------------------


def test_openai_env_key_is_not_sent_to_a_plain_http_node_on_another_host(keys):
    assert _sent_key(REMOTE_HTTP) == "not-needed"


def test_anthropic_env_key_is_not_sent_to_a_plain_http_base_url_on_another_host(keys):
    assert _sent_key("anthropic:claude-x?base_url=http://192.0.2.7:8080") != SECRET


def test_https_and_listed_hosts_still_get_the_env_key(keys):
    assert _sent_key("https://api.example.com/v1") == SECRET
    assert _sent_key("anthropic:claude-x") == SECRET
    keys.setenv(KEY_HOSTS_ENV, "192.0.2.7")
    assert _sent_key(REMOTE_HTTP) == SECRET


def test_a_node_configured_with_its_own_key_variable_gets_that_key(keys):
    keys.setenv("MAC1_KEY", NODE_SECRET)
    url = REMOTE_HTTP + "?key_env=MAC1_KEY&model=m"
    node = parse_node_spec(url)
    assert node.key_env == "MAC1_KEY"
    assert _sent_key(node.url) == NODE_SECRET
    assert _sent_key("anthropic:claude-x?base_url=http://192.0.2.7:8080&key_env=MAC1_KEY") == (
        NODE_SECRET
    )


def test_a_missing_claude_key_for_the_real_api_is_still_an_error(keys):
    keys.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(ConfigError, match="^ANTHROPIC_API_KEY is not set"):
        transport_for("anthropic:claude-x")


@pytest.mark.parametrize("bad", ["1X", "A-B", "", "A B", "$(id)"])
def test_a_bad_key_variable_name_is_a_one_line_config_error(bad, keys):
    with pytest.raises(ConfigError, match="key_env") as info:
        parse_node_spec(f"{REMOTE_HTTP}?key_env={bad}")
    assert "\n" not in str(info.value)


def test_a_key_variable_that_is_not_set_is_a_one_line_config_error(keys):
    keys.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ConfigError, match="^NOT_SET_ANYWHERE is not set") as info:
        transport_for(f"{REMOTE_HTTP}?key_env=NOT_SET_ANYWHERE")
    assert SECRET not in str(info.value)


# ---- on the wire (loopback only): what a server really receives ----------------------------


class _Capture(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Capture.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model"}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def capture() -> Iterator[tuple[str, list[dict[str, str]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    _Capture.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Capture.seen
    finally:
        server.shutdown()
        server.server_close()


def _credential(headers: dict[str, str]) -> str:
    """The key a request carried (``x-api-key``, or a bearer token, as the SDK version sends)."""
    return headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")


async def _probe(url: str) -> None:
    transport = transport_for(url, timeout_s=5)
    try:
        await transport.probe()
    finally:
        await transport.aclose()


async def test_the_node_key_not_the_env_key_goes_on_the_wire(capture, keys):
    base, seen = capture
    keys.setenv("LOCAL_NODE_KEY", NODE_SECRET)
    await _probe(f"{base}/v1?key_env=LOCAL_NODE_KEY")
    await _probe(f"anthropic:claude-x?base_url={base}&key_env=LOCAL_NODE_KEY")
    assert [_credential(headers) for headers in seen] == [NODE_SECRET, NODE_SECRET]
    assert not any(SECRET in value for headers in seen for value in headers.values())


async def test_a_loopback_node_gets_the_env_key_as_before(capture, keys):
    base, seen = capture
    await _probe(f"{base}/v1")
    assert _credential(seen[0]) == SECRET


def test_a_fleet_table_in_gym_toml_can_name_the_nodes_key_variable(tmp_path, keys):
    from gym.config import load_config

    (tmp_path / "gym.toml").write_text(
        '[[fleet]]\nurl = "http://192.0.2.7:1234/v1"\nmodel = "m"\nkey_env = "MAC1_KEY"\n'
    )
    keys.setenv("MAC1_KEY", NODE_SECRET)
    [node] = parse_fleet_spec(load_config({}, cwd=tmp_path).config.fleet)
    assert node.key_env == "MAC1_KEY"
    assert _sent_key(node.url) == NODE_SECRET
