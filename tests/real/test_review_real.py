"""The LLM in-flight judge and idle-node pre-review against a real tiny model.

The scheduler runs one real llama.cpp node with two slots and a worker that holds its slot
until the side call about its task has left its event: the judge looks at the live task on
the free slot, and once the task is done the pre-reviewer reviews it while the next runs.
What is pinned is that both calls really reach the model and end in their events — a
``judge_verdict`` with ``deterministic: false`` and ``prereview_findings`` — or, when the
135M model's answer is unusable or too slow for the call's bound, a ``side_call_failed``
naming the call: bounded, honest, never a hang or a traceback.

A whole `swarm run` is not used here: on two shared cores the tiny model's planning call
alone can exceed the tier's 90 s node timeout, and then there is nothing to judge.
"""

from __future__ import annotations

import asyncio
from typing import Any

from real_support import MAX_TOKENS

from brain import transport_for
from swarm import Assignment, Device, DispatchResult, EventLog, Knobs, Scheduler, load_plan
from swarm.pipeline.review import build_side_work

SPEC = "Build `greet.py`: `python greet.py NAME` prints `Hello, NAME!`."
#: The judge goes first and pays the node's cold start (prompt cache, the structured-output
#: rung), so it gets the longer bound; each worker waits a little longer than its call's.
KNOBS = {
    "judge.llm.min_age_s": 5,
    "judge.llm.poll_s": 0.5,
    "judge.llm.max_tokens": MAX_TOKENS,
    "judge.llm.timeout_s": 90,
    "prereview.max_tokens": MAX_TOKENS,
    "prereview.timeout_s": 60,
}
WAIT_S = {"judge": 95.0, "prereview": 70.0}
EVENT = {"judge": "judge_verdict", "prereview": "prereview_findings"}


def outcomes(log: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The side call's own event (an LLM verdict, findings), or its honest failure."""
    done = [e for e in log if e["event"] == EVENT[kind] and e.get("deterministic") is not True]
    failed = [e for e in log if e["event"] == "side_call_failed" and e.get("kind") == kind]
    return done + failed


class WaitingWorker:
    """A worker that holds its slot until the side call it waits for has left its event."""

    def __init__(self, log: EventLog, waits: dict[str, tuple[str, str]]):
        self.log, self.waits = log, waits

    async def dispatch(self, assignment: Assignment, events: Any) -> DispatchResult:
        kind, about = self.waits[assignment.task.id]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_S[kind]
        records = self.log.records or []
        while loop.time() < deadline and not outcomes(
            [r for r in records if r.get("task_id") == about], kind
        ):
            await asyncio.sleep(0.2)
        return DispatchResult(ok=True)


async def test_the_judge_and_the_prereviewer_ask_the_real_model(tmp_path, smollm2) -> None:
    (tmp_path / "greet.py").write_text("import sys\nprint(f'Hello, {sys.argv[1]}!')\n")
    plan = load_plan(
        {
            "subtasks": [
                {"id": "greet", "description": "write greet.py", "owned_files": ["greet.py"]},
                # Dispatched when greet ends; younger than judge.llm.min_age_s, it leaves the
                # free slot to the pre-review of greet.
                {"id": "readme", "owned_files": ["README.md"], "deps": ["greet"]},
            ]
        }
    )
    log = EventLog(None, "real")
    transport = transport_for(smollm2.url)
    knobs = Knobs(KNOBS)
    side = build_side_work(
        knobs, {"tiny": transport}, spec=SPEC, workdir=tmp_path, tasks=plan.tasks, events=log
    )
    waits = {"greet": ("judge", "greet"), "readme": ("prereview", "greet")}
    device = Device(name="tiny", url=smollm2.url, model="smollm2", weight=2)
    scheduler = Scheduler(
        plan,
        [device],
        WaitingWorker(log, waits),
        events=log,
        knobs=knobs,
        judge=False,
        workdir=tmp_path,
        side_work=side,
    )
    try:
        await scheduler.run()
    finally:
        await transport.aclose()

    records = log.records or []
    story = [(e["event"], e.get("task_id"), e.get("kind"), e.get("error")) for e in records]
    judged, reviewed = outcomes(records, "judge"), outcomes(records, "prereview")
    assert judged and judged[0]["task_id"] == "greet", story
    assert reviewed and reviewed[0]["task_id"] == "greet", story
    assert transport.structured_rung == "json_object"  # the real node was asked
