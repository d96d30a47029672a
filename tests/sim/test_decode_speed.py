"""The simulator's decode speed ``tps``: latency = prompt/prefill + completion/tps, × time_scale."""

from __future__ import annotations

import pytest

from brain import ChatRequest, ConfigError, Message, transport_for
from brain.sim import make_policy


def _latencies(kit, **options):
    request = ChatRequest(
        messages=[Message(role="user", content=kit.worker_prompt("notes", ("notes/cli.py",)))],
        tools=kit.WORKER_TOOLS,
    )
    reply = make_policy("competent", catalog_dir=kit.FIXTURES, **options).reply(request, "m")
    usage = reply.response.usage
    return reply.latency_s, usage.prompt_tokens, usage.completion_tokens


def test_tps_sets_the_decode_speed_and_time_scale_still_scales_it(kit) -> None:
    default, prompt, completion = _latencies(kit)
    slower, *_ = _latencies(kit, decode_tps=20.0)
    assert completion > 0
    assert slower - default == pytest.approx(completion / 20.0 - completion / 40.0)
    scaled, *_ = _latencies(kit, decode_tps=20.0, time_scale=0.01)
    assert scaled == pytest.approx(slower * 0.01)


def test_tps_is_a_url_option_and_a_bad_one_is_a_config_error() -> None:
    node = transport_for("sim:competent?tps=20&time_scale=0")
    assert node.policy.decode_tps == 20.0
    for bad in ("sim:competent?tps=0", "sim:competent?tps=fast"):
        with pytest.raises(ConfigError):
            transport_for(bad)
