"""The same policy answers the same way in-process and over the OpenAI wire protocol."""

from __future__ import annotations

from brain import transport_for
from brain.sim import SimServer

OWNED = ["notes/models.py", "notes/store.py", "notes/__main__.py"]


async def test_a_worker_conversation_is_identical_over_http_and_in_process(sim, kit) -> None:
    prompt = kit.worker_prompt("notes", OWNED)
    local = await kit.run_worker(sim("drifter+stubber", seed=4), prompt)
    with SimServer(
        profile="drifter+stubber", seed=4, time_scale=0, catalog_dir=kit.FIXTURES
    ) as server:
        node = transport_for(
            server.base_url + "/v1",
            model="sim-drifter+stubber",
            tool_names=[t.name for t in kit.WORKER_TOOLS],
        )
        try:
            remote = await kit.run_worker(node, prompt)
        finally:
            await node.aclose()
    assert remote.written == local.written and remote.calls == local.calls
    assert "raise NotImplementedError" in remote.written["notes/store.py"]
