"""Node URLs (contract 3) and the transport registry's refusals."""

from __future__ import annotations

import pytest

from brain import ConfigError, check_host_allowed, parse_fleet_spec, parse_node_spec, transport_for


def test_fleet_params_ride_in_the_query_and_are_stripped_from_the_transport_url() -> None:
    node = parse_node_spec(
        "http://127.0.0.1:1234/v1?model=qwen3-coder&weight=2&speed=1.5&name=mac1"
    )
    assert (node.name, node.model, node.weight, node.speed) == ("mac1", "qwen3-coder", 2, 1.5)
    assert node.url == "http://127.0.0.1:1234/v1"
    assert not node.simulated


def test_sim_node_keeps_its_own_params_and_is_labelled_simulated() -> None:
    node = parse_node_spec("sim:drifter?seed=3&weight=2")
    assert node.url == "sim:drifter?seed=3"
    assert node.model == "sim-drifter"
    assert node.weight == 2
    assert node.simulated


def test_fleet_names_are_unique_by_position() -> None:
    nodes = parse_fleet_spec("sim:competent,sim:competent,sim:competent")
    assert len({n.name for n in nodes}) == 3


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "fleet is empty"),
        ("ftp://x/v1", "unknown URL scheme 'ftp'"),
        ("localhost", "has no scheme"),
        ("sim:competent?weight=lots", "bad fleet parameter"),
        ("sim:a?name=x,sim:b?name=x", "duplicate node names: x"),
    ],
)
def test_bad_fleet_is_one_line_config_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_fleet_spec(spec)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_scheme_is_refused_by_the_registry() -> None:
    with pytest.raises(ConfigError, match="unknown URL scheme 'gopher'"):
        transport_for("gopher://example/v1")


def test_loopback_guard_refuses_remote_hosts_during_tests() -> None:
    check_host_allowed("http://127.0.0.1:9/v1")
    check_host_allowed("http://localhost:9/v1")
    with pytest.raises(ConfigError, match="loopback only"):
        check_host_allowed("http://192.0.2.10:1234/v1")
