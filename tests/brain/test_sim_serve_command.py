"""`gym sim serve` is a real server process: the SDK talks to it, SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import openai


async def test_gym_sim_serve_answers_the_openai_sdk_and_stops_on_sigterm() -> None:
    gym = Path(sys.executable).with_name("gym")
    proc = await asyncio.create_subprocess_exec(
        str(gym),
        "sim",
        "serve",
        "--port",
        "0",
        "--profile",
        "competent",
        "--time-scale",
        "0",
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        banner = (await asyncio.wait_for(proc.stderr.readline(), 30)).decode()
        base = re.search(r"OpenAI at (\S+/v1)", banner).group(1)
        client = openai.AsyncOpenAI(base_url=base, api_key="x", max_retries=0)
        models = await client.models.list()
        answer = await client.chat.completions.create(
            model=models.data[0].id, messages=[{"role": "user", "content": "hello"}]
        )
        await client.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 10)

    assert models.data[0].id == "sim-competent"
    assert answer.choices[0].message.content and answer.choices[0].finish_reason == "stop"
    assert code == 0


async def test_the_served_simulator_is_found_by_the_probe_behind_an_http_url(serve) -> None:
    from brain import is_simulated, mark_simulated, parse_node_spec, transport_for
    from brain.sim._scripted import ScriptedPolicy
    from brain.sim.server import SimServer

    with SimServer(ScriptedPolicy([])) as server:
        for url in (server.openai_base_url, f"anthropic:claude-x?base_url={server.base_url}"):
            node = parse_node_spec(url)
            transport = transport_for(node.url)
            assert not node.simulated and not is_simulated(transport)  # the URL says nothing
            await transport.probe()
            await transport.aclose()
            assert mark_simulated(node, transport).simulated, url
