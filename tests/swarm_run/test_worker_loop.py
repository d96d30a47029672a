"""The worker loop (the Dispatcher): done gates, error mapping, events, prompts, compaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from swarmrun_support import Recorder, call, prose, scripted, tools

from brain import ContentError, FatalError, Message, Role, StalledError, TransientError
from brain.sim import Fault, FaultKind
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings
from swarm.pipeline.worker._compact import compact_messages, conversation_chars
from swarm.protocols import Assignment, Device, ErrorClass, Subtask

DEVICE = Device(name="node-a", url="sim:scripted", model="scripted")
MODELS = Subtask(id="models", description="data model", owned_files=("app/models.py",))
CLI = Subtask(
    id="cli", description="command line", owned_files=("app/__main__.py",), deps=("models",)
)


def make_worker(tmp_path: Path, transport, **settings) -> Worker:
    context = WorkerContext(
        workdir=tmp_path, spec="Build app.", tasks={"models": MODELS, "cli": CLI}
    )
    return Worker({"node-a": transport}, context, WorkerSettings(stream=False, **settings))


def assign(task: Subtask = MODELS, note: str | None = None) -> Assignment:
    return Assignment(task=task, device=DEVICE, attempt=1, epoch=0, supervisor_note=note)


async def test_done_with_no_owned_file_written_is_a_content_retry_naming_the_files(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted([tools(call("done", summary="all done"))])
    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)
    assert not result.ok and result.error_class is ErrorClass.CONTENT
    assert (
        "your very first action must be to write each of these files: app/models.py" in result.error
    )


async def test_done_with_unparseable_owned_python_is_a_content_retry_with_the_syntax_error(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("write_file", path="app/models.py", content="def f(:\n")),
            tools(call("done", summary="ok")),
        ]
    )
    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)
    assert result.error_class is ErrorClass.CONTENT
    assert "app/models.py does not parse: SyntaxError" in result.error and "line 1" in result.error


async def test_written_and_parsing_files_then_done_succeeds_with_events_carrying_device(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("write_file", path="app/models.py", content="X = 1\n")),
            tools(call("done", summary="ok")),
        ]
    )
    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)
    assert result.ok and result.files_written == ["app/models.py"] and result.tool_calls == 2
    written = recorder.named("file_written")
    assert written == [
        {
            "event": "file_written",
            "task_id": "models",
            "device": "node-a",
            "path": "app/models.py",
            "bytes": 6,
        }
    ]
    assert [e["tool"] for e in recorder.named("tool_call")] == ["write_file", "done"]
    assert all(e["device"] == "node-a" and e["mcp"] is False for e in recorder.named("tool_call"))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (TransientError("503 model is unloaded"), ErrorClass.TRANSIENT),
        (StalledError("stream silent"), ErrorClass.TRANSIENT),
        (ContentError("bad tool arguments"), ErrorClass.CONTENT),
        (FatalError("401 bad key"), ErrorClass.FATAL),
    ],
)
async def test_brain_errors_map_to_retry_classes(
    tmp_path: Path, recorder: Recorder, error: Exception, expected: ErrorClass
) -> None:
    class Failing:
        url, model = "x", "x"

        async def chat(self, request):
            raise error

    result = await make_worker(tmp_path, Failing()).dispatch(assign(), recorder)
    assert not result.ok and result.error_class is expected and str(error) in result.error


async def test_injected_http_fault_reaches_the_worker_as_transient(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted([Fault(FaultKind.HTTP_ERROR, status=503)])
    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)
    assert result.error_class is ErrorClass.TRANSIENT


async def test_turn_cap_stops_an_attempt_that_never_finishes(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(lambda request, model: tools(call("list_files")))
    result = await make_worker(tmp_path, node, turn_cap=3).dispatch(assign(), recorder)
    assert result.error_class is ErrorClass.CONTENT and "turn cap of 3" in result.error
    assert result.tool_calls == 3


async def test_narration_is_nudged_then_stopped_with_the_write_first_note(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(lambda request, model: prose("Here is how I would write models.py ..."))
    result = await make_worker(tmp_path, node, narration_nudges=2).dispatch(assign(), recorder)
    assert result.error_class is ErrorClass.CONTENT and "prose" in result.error
    assert "write each of these files: app/models.py" in result.error
    assert len(recorder.named("worker_note")) == 3


async def test_prompt_names_owned_files_injects_dependency_files_and_leads_with_the_note(
    tmp_path: Path, recorder: Recorder
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/models.py").write_text("class Item:\n    name: str\n")
    node = scripted(
        [
            tools(
                call("write_file", path="app/__main__.py", content="print(1)\n"),
                call("done", summary="ok"),
            )
        ]
    )
    worker = make_worker(tmp_path, node)
    await worker.dispatch(assign(CLI, note="wrote nothing"), recorder)
    user = node.policy.requests[0].messages[1].content
    assert user.startswith("SUPERVISOR NOTE — your previous attempt was stopped: wrote nothing")
    assert "PROJECT SPEC:\nBuild app." in user
    assert "OWNED FILES: app/__main__.py" in user
    assert "=== FILE: app/models.py ===\nclass Item:" in user


async def test_owned_folders_are_created_before_the_first_turn(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted([prose("thinking")] * 5)
    await make_worker(tmp_path, node, narration_nudges=0).dispatch(assign(), recorder)
    assert (tmp_path / "app").is_dir()


def test_old_tool_results_are_compacted_but_recent_turns_kept() -> None:
    messages = [Message(role=Role.SYSTEM, content="sys"), Message(role=Role.USER, content="task")]
    for turn in range(6):
        messages.append(
            Message(role=Role.ASSISTANT, tool_calls=[call("read_file", path=f"f{turn}.py")])
        )
        messages.append(Message(role=Role.TOOL, content="z" * 5000, name="read_file"))
    compacted = compact_messages(messages, max_chars=12_000, keep_turns=2)
    assert compacted >= 4 and conversation_chars(messages) <= 12_000
    assert messages[3].content.startswith("[compacted: 5000 characters")
    assert messages[-1].content == "z" * 5000 and messages[-3].content == "z" * 5000
