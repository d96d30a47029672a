"""The in-process `sim:` transport: URL options, the Transport protocol, fault classes."""

from __future__ import annotations

import pytest

from brain import (
    ChatRequest,
    ConfigError,
    ContentError,
    FatalError,
    Message,
    StalledError,
    TransientError,
    Transport,
    transport_for,
)
from brain.sim import Fault, FaultKind, SimTransport, fault_error


def test_sim_url_builds_an_in_process_transport_with_its_options(kit) -> None:
    node = transport_for(
        f"sim:drifter+flaky?seed=3&rate=0.5&time_scale=0&catalog={kit.FIXTURES}",
        model=None,
        idle_timeout_s=5,
        timeout_s=30,
    )
    assert isinstance(node, SimTransport) and isinstance(node, Transport)
    assert node.policy.profile == "drifter+flaky" and node.policy.seed == 3
    assert node.policy.mix.rates == {"drifter": 0.5, "flaky": 0.5}
    assert node.model == "sim-drifter+flaky"


async def test_probe_returns_the_model_and_usage_is_estimated(sim) -> None:
    node = sim()
    assert await node.probe() == [node.model]
    answer = await node.chat(ChatRequest(messages=[Message(role="user", content="x" * 400)]))
    assert answer.usage.prompt_tokens == 100 and answer.usage.completion_tokens > 0
    assert answer.model == node.model


@pytest.mark.parametrize(
    "url", ["sim:competent?seed=x", "sim:competent?speed=2", "sim:competent?rate=3"]
)
def test_bad_sim_options_are_one_line_config_errors(url) -> None:
    with pytest.raises(ConfigError) as info:
        transport_for(url)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(FaultKind.HTTP_ERROR, 503, "model is unloaded"), TransientError),
        (Fault(FaultKind.HTTP_ERROR, 500, "internal server error"), TransientError),
        (Fault(FaultKind.HTTP_ERROR, 429, "slow down"), TransientError),
        (Fault(FaultKind.HTTP_ERROR, 401, "bad key"), FatalError),
        (Fault(FaultKind.HTTP_ERROR, 403, "forbidden"), FatalError),
        (Fault(FaultKind.HTTP_ERROR, 404, "no such model"), FatalError),
        (Fault(FaultKind.HTTP_ERROR, 400, "bad request"), ContentError),
        (Fault(FaultKind.DROP), TransientError),
        (Fault(FaultKind.STALL), StalledError),
    ],
)
def test_faults_map_to_the_error_classes_of_the_wire_transports(fault, error) -> None:
    assert type(fault_error(fault)) is error


class _Faulty:
    """A policy that always answers with one fault."""

    def __init__(self, fault: Fault) -> None:
        from brain.sim import make_policy

        self.inner, self.fault = make_policy("competent", time_scale=0), fault

    def reply(self, request, model):
        from brain.sim import SimReply

        return SimReply(self.inner.reply(request, model).response, self.fault, 0.0)


async def test_a_stall_with_the_watchdog_off_ends_after_the_bounded_stall() -> None:
    node = SimTransport(_Faulty(Fault(FaultKind.STALL)), idle_timeout_s=0, time_scale=0.001)
    with pytest.raises(StalledError, match="closed"):
        await node.chat(ChatRequest(messages=[Message(role="user", content="hi")]))


async def test_a_fatal_fault_reaches_the_caller_as_fatal() -> None:
    node = SimTransport(_Faulty(Fault(FaultKind.HTTP_ERROR, 401, "bad key")), time_scale=0)
    with pytest.raises(FatalError, match="401"):
        await node.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
