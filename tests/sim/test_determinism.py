"""Same seed, same answers: in any request order, concurrently, and across fresh policies."""

from __future__ import annotations

import asyncio

import pytest

from brain import ChatRequest, Message, TransientError
from brain.sim import make_policy

MIX = "drifter+stubber+flaky+narrator"


def _requests(kit) -> list[ChatRequest]:
    owned = [
        ["notes/store.py"],
        ["notes/models.py"],
        ["notes/__main__.py"],
        ["tests/test_store.py"],
    ]
    worker = [
        ChatRequest(
            messages=[Message(role="user", content=kit.worker_prompt("notes", o))],
            tools=kit.WORKER_TOOLS,
        )
        for o in owned
    ]
    plan = ChatRequest(
        messages=[Message(role="user", content="PROJECT SPEC:\n" + kit.spec_text("notes"))],
        response_schema_name="PlanDraft",
    )
    return worker + [plan]


def _transcript(kit, order: list[int], seed: int) -> dict[int, tuple]:
    policy = make_policy(MIX, seed=seed, rate=0.5, time_scale=0, catalog_dir=kit.FIXTURES)
    requests = _requests(kit)
    out = {}
    for i in order:
        replies = [policy.reply(requests[i], "m") for _ in range(3)]  # retries included
        out[i] = tuple((r.response.model_dump_json(), r.fault, r.latency_s) for r in replies)
    return out


def test_same_seed_gives_identical_transcripts_in_any_request_order(kit) -> None:
    forward = _transcript(kit, [0, 1, 2, 3, 4], seed=7)
    backward = _transcript(kit, [4, 3, 2, 1, 0], seed=7)
    assert forward == backward


def test_different_seeds_make_different_choices(kit) -> None:
    transcripts = {str(_transcript(kit, [0, 1, 2, 3, 4], seed=s)) for s in range(6)}
    assert len(transcripts) > 1


async def test_concurrent_requests_get_the_answers_they_get_sequentially(sim, kit) -> None:
    async def answer(node, request):
        try:
            return (await node.chat(request)).model_dump_json()
        except TransientError as exc:
            return f"fault: {exc}"

    requests = _requests(kit)
    sequential = [await answer(sim(MIX, seed=3, rate=0.5), r) for r in requests]
    node = sim(MIX, seed=3, rate=0.5)
    concurrent = await asyncio.gather(*(answer(node, r) for r in reversed(requests)))
    assert list(reversed(concurrent)) == sequential


@pytest.mark.parametrize("seed", range(4))
def test_a_fault_never_repeats_more_than_twice_for_the_same_request(kit, seed) -> None:
    policy = make_policy(
        "flaky+staller", seed=seed, rate=1.0, time_scale=0, catalog_dir=kit.FIXTURES
    )
    request = _requests(kit)[0]
    faults = [policy.reply(request, "m").fault for _ in range(5)]
    assert [f is not None for f in faults] == [True, True, False, False, False]
