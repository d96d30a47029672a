"""The worker keeps a capped transcript of each attempt beside the event log (report evidence)."""

from __future__ import annotations

import json
from pathlib import Path

from swarmrun_support import Recorder, call, prose, scripted, tools

from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings, transcript_path
from swarm.pipeline.worker._transcript import MESSAGE_CHARS
from swarm.protocols import Assignment, Device, Subtask

DEVICE = Device(name="node-a", url="sim:scripted", model="scripted")
TASK = Subtask(id="models", description="data model", owned_files=("app/models.py",))


def _worker(tmp_path: Path, node, transcript: Path | None) -> Worker:
    context = WorkerContext(
        workdir=tmp_path, spec="Build app.", tasks={"models": TASK}, transcript=transcript
    )
    return Worker({"node-a": node}, context, WorkerSettings(stream=False))


def _assign(attempt: int) -> Assignment:
    return Assignment(task=TASK, device=DEVICE, attempt=attempt, epoch=0)


def test_transcript_sits_beside_the_event_log():
    log = Path("/w/.swarm/run-20260101T000000-abc123.jsonl")
    assert transcript_path(log) == Path("/w/.swarm/transcript-20260101T000000-abc123.jsonl")


async def test_each_attempt_appends_its_capped_conversation_without_the_system_prompt(
    tmp_path: Path,
):
    out = tmp_path / ".swarm" / "transcript-r1.jsonl"
    chatty = "<b>" + "z" * (MESSAGE_CHARS * 3)
    ok = scripted(
        [
            prose(chatty),
            tools(call("write_file", path="app/models.py", content="X = 1\n")),
            tools(call("done", summary="ok")),
        ]
    )
    assert (await _worker(tmp_path, ok, out).dispatch(_assign(1), Recorder())).ok
    failing = scripted([tools(call("done", summary="nothing written"))])
    assert not (await _worker(tmp_path, failing, out).dispatch(_assign(2), Recorder())).ok
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(x["task_id"], x["attempt"], x["device"]) for x in lines] == [
        ("models", 1, "node-a"),
        ("models", 2, "node-a"),
    ]
    roles = [m["role"] for m in lines[0]["messages"]]
    assert "system" not in roles and roles[0] == "user" and "tool" in roles
    said = [m["content"] for m in lines[0]["messages"] if m["role"] == "assistant"]
    assert said[0].startswith("<b>zz") and len(said[0]) < MESSAGE_CHARS + 100  # capped
    calls = [c for m in lines[0]["messages"] for c in m.get("tool_calls", [])]
    assert [c["name"] for c in calls] == ["write_file", "done"]
    assert lines[1]["messages"][-1]["role"] == "tool"  # a failed attempt is kept too


async def test_no_transcript_path_writes_nothing(tmp_path: Path):
    node = scripted([tools(call("done", summary="ok"))])
    await _worker(tmp_path, node, None).dispatch(_assign(1), Recorder())
    assert not (tmp_path / ".swarm").exists()
