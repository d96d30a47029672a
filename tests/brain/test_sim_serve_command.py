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
