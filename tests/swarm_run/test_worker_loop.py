"""The worker loop (the Dispatcher): done gates, error mapping, events, prompts, compaction."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from swarmrun_support import Recorder, call, prose, scripted, tools

from brain import (
    ChatResponse,
    ContentError,
    FatalError,
    FinishReason,
    Message,
    Role,
    StalledError,
    TransientError,
    transport_for,
)
from brain.sim import Fault, FaultKind
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings
from swarm.pipeline.worker._compact import compact_messages, conversation_chars
from swarm.pipeline.worker._outline import outline
from swarm.protocols import Assignment, Device, ErrorClass, Subtask

# The loopback OpenAI-compatible stub lives with the brain tests.
sys.path.insert(0, str(Path(__file__).parents[1] / "brain"))
from openai_stub import StubServer, completion, llama_cpp_overflow  # noqa: E402

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


# -- what small models really send (issue 13) -------------------------------------------------

SINK = Subtask(id="integrate-verify", description="integrate and verify", deps=("models", "cli"))
OVERFLOW_MESSAGE = "the request exceeds the available context size, try increasing it"


def _chat_requests(server: StubServer) -> list[dict[str, Any]]:
    return [b for m, p, b in server.requests if p.endswith("/chat/completions")]


def _size(body: dict[str, Any]) -> int:
    return sum(len(m.get("content") or "") for m in body["messages"])


def _wire_worker(tmp_path: Path, server: StubServer, **settings: Any) -> Worker:
    context = WorkerContext(
        workdir=tmp_path, spec="Build app.", tasks={"models": MODELS, "cli": CLI}
    )
    node = transport_for(server.url, model="stub", timeout_s=5.0)
    knobs = WorkerSettings(stream=False, **settings)
    return Worker({"node-a": node}, context, knobs)


def _wire_assign(task: Subtask, server: StubServer) -> Assignment:
    device = Device(name="node-a", url=server.url, model="stub")
    return Assignment(task=task, device=device, attempt=1, epoch=0)


async def test_malformed_arguments_never_write_an_empty_file_and_the_model_is_told(
    tmp_path: Path, recorder: Recorder
) -> None:
    seen: list[tuple[bool, str]] = []
    good = json.dumps({"path": "app/models.py", "content": "X = 1\n"})

    def answer(method: str, path: str, body: Any) -> tuple[int, Any]:
        if not path.endswith("/chat/completions"):
            return 404, {}
        turn = len(_chat_requests(server))
        seen.append(((tmp_path / "app/models.py").exists(), body["messages"][-1]["content"]))
        if turn == 1:
            return 200, completion(calls=[("write_file", "{path: app/models.py, content: }}}")])
        if turn == 2:
            return 200, completion(calls=[("write_file", good)])
        return 200, completion(calls=[("done", '{"summary": "ok"}')])

    with StubServer(answer) as server:
        result = await _wire_worker(tmp_path, server, probe_context=False).dispatch(
            _wire_assign(MODELS, server), recorder
        )

    assert result.ok, result.error
    exists_at_turn_2, told = seen[1]
    assert not exists_at_turn_2, "the repaired-away write must not have run"
    assert "'content' had no value" in told and "resend" in told
    assert [e["bytes"] for e in recorder.named("file_written")] == [6]
    refused = [e for e in recorder.named("worker_note") if e["note"] == "refused"]
    assert refused and refused[0]["tool"] == "write_file"
    first = recorder.named("tool_call")[0]
    assert first["ok"] is False and "had no value" in first["error"]


async def test_a_tool_call_cut_at_the_token_limit_is_not_run_and_the_model_is_told(
    tmp_path: Path, recorder: Recorder
) -> None:
    cut = ChatResponse(
        tool_calls=[call("write_file", path="app/models.py", content="def f(:\n  retu")],
        finish_reason=FinishReason.LENGTH,
    )
    script = [
        cut,
        tools(call("write_file", path="app/models.py", content="X = 1\n")),
        tools(call("done", summary="ok")),
    ]
    node = scripted(script)

    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)

    assert result.ok and (tmp_path / "app/models.py").read_text() == "X = 1\n"
    told = node.policy.requests[1].messages[-1]
    assert told.role is Role.TOOL and "NOT executed" in told.content
    assert "cut off at the output token limit" in told.content and "smaller pieces" in told.content
    assert [e["note"] for e in recorder.named("worker_note")] == ["truncated"]
    assert [e["tool"] for e in recorder.named("tool_call")] == ["write_file", "done"]


async def test_repeated_truncation_stops_the_attempt_with_a_content_note(
    tmp_path: Path, recorder: Recorder
) -> None:
    cut = ChatResponse(
        tool_calls=[call("write_file", path="app/models.py", content="x" * 500)],
        finish_reason=FinishReason.LENGTH,
    )
    node = scripted(lambda request, model: cut)

    result = await make_worker(tmp_path, node, truncation_retries=2).dispatch(assign(), recorder)

    assert result.error_class is ErrorClass.CONTENT
    assert "cut off at the output token limit 3 times" in result.error
    assert not (tmp_path / "app/models.py").exists() and result.tool_calls == 0


def _big_models_file(tmp_path: Path, functions: int = 80) -> str:
    """About 30k characters of Python whose bodies dwarf their signatures, like real code."""
    lines = "".join(f"    value = value * {k} + len('body-{{i}}-{k}')\n" for k in range(8))
    body = "".join(
        f'def helper_{i}(x: int) -> int:\n    """Helper {i}."""\n    value = x\n'
        + lines.replace("{i}", str(i))
        + "    return value\n\n\n"
        for i in range(functions)
    )
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app/models.py").write_text(body)
    return body


def _small_context_server(tmp_path: Path, limit_chars: int, n_ctx: int | None) -> StubServer:
    """A server refusing prompts over ``limit_chars`` the way llama.cpp does."""

    def answer(method: str, path: str, body: Any) -> tuple[int, Any]:
        if path == "/props" and n_ctx:
            return 200, {"default_generation_settings": {"n_ctx": n_ctx}}
        if not path.endswith("/chat/completions"):
            return 404, {}
        if _size(body) > limit_chars:
            return 400, llama_cpp_overflow(n_ctx or 0)
        if not (tmp_path / "app/__main__.py").exists():
            main = json.dumps({"path": "app/__main__.py", "content": "print(1)\n"})
            return 200, completion(calls=[("write_file", main)])
        return 200, completion(calls=[("done", '{"summary": "ok"}')])

    return StubServer(answer)


async def test_context_overflow_is_retried_with_a_smaller_prompt_that_succeeds(
    tmp_path: Path, recorder: Recorder
) -> None:
    body = _big_models_file(tmp_path)
    limit = 20_000
    with _small_context_server(tmp_path, limit, n_ctx=None) as server:
        worker = _wire_worker(tmp_path, server, probe_context=False)
        result = await worker.dispatch(_wire_assign(CLI, server), recorder)
        sent = _chat_requests(server)

    assert result.ok, result.error
    assert _size(sent[0]) > limit >= _size(sent[1]), "refused once, then a smaller prompt"
    user = sent[1]["messages"][1]["content"]
    assert "def helper_7(x: int) -> int:" in user, "signatures of the dependency kept"
    assert "body-7" not in user and "body-7" in body, "bodies cut"
    notes = [e["note"] for e in recorder.named("worker_note")]
    assert notes[0] == "context_overflow" and "prompt_sized" in notes


async def test_prompt_is_sized_to_the_probed_context_before_the_first_call(
    tmp_path: Path, recorder: Recorder
) -> None:
    _big_models_file(tmp_path)
    with _small_context_server(tmp_path, limit_chars=3 * 4096, n_ctx=4096) as server:
        worker = _wire_worker(tmp_path, server)
        result = await worker.dispatch(_wire_assign(CLI, server), recorder)
        sent = _chat_requests(server)

    assert result.ok, result.error
    assert all(_size(b) <= 3 * 4096 for b in sent), "never refused"
    sized = [e for e in recorder.named("worker_note") if e["note"] == "prompt_sized"]
    assert sized and sized[0]["ctx"] == 4096


async def test_the_node_ctx_field_sizes_the_prompt_without_a_probe(
    tmp_path: Path, recorder: Recorder
) -> None:
    _big_models_file(tmp_path)
    node = scripted(
        [
            tools(
                call("write_file", path="app/__main__.py", content="print(1)\n"),
                call("done", summary="ok"),
            )
        ]
    )
    context = WorkerContext(
        workdir=tmp_path, spec="Build app.", tasks={"models": MODELS, "cli": CLI}
    )
    worker = Worker(
        {"node-a": node}, context, WorkerSettings(stream=False), context_tokens={"node-a": 2048}
    )

    result = await worker.dispatch(assign(CLI), recorder)

    assert result.ok
    first = node.policy.requests[0].messages[1].content
    assert len(first) < 3 * 2048 and "OWNED FILES: app/__main__.py" in first
    assert "PROJECT SPEC:\nBuild app." in first


async def test_overflow_with_nothing_left_to_cut_stops_with_a_content_note(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(lambda r, m: Fault(FaultKind.HTTP_ERROR, status=400, message=OVERFLOW_MESSAGE))

    result = await make_worker(tmp_path, node).dispatch(assign(), recorder)

    assert result.error_class is ErrorClass.CONTENT and "did not fit" in result.error
    assert [e["note"] for e in recorder.named("worker_note")][:1] == ["context_overflow"]


async def test_a_sink_whose_calls_all_failed_is_not_done(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("run_command", command="python -c 'raise SystemExit(3)'")),
            tools(call("read_file", path="missing.py")),
            tools(call("done", summary="all good")),
        ]
    )

    result = await make_worker(tmp_path, node).dispatch(assign(SINK), recorder)

    assert not result.ok and result.error_class is ErrorClass.CONTENT
    assert "no run_command of yours succeeded" in result.error


async def test_a_sink_with_failed_calls_that_stops_talking_is_not_done(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted([tools(call("read_file", path="missing.py")), prose("All verified.")])

    result = await make_worker(tmp_path, node, narration_nudges=0).dispatch(assign(SINK), recorder)

    assert not result.ok and result.error_class is ErrorClass.CONTENT


async def test_a_sink_that_ran_the_app_successfully_is_done(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("run_command", command="python -c 'raise SystemExit(3)'")),
            tools(call("run_command", command="python -c 'print(1)'")),
            tools(call("done", summary="ran it")),
        ]
    )

    result = await make_worker(tmp_path, node).dispatch(assign(SINK), recorder)

    assert result.ok, result.error


async def test_a_sink_failure_after_its_successful_run_makes_it_not_done(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("run_command", command="python -c 'print(1)'")),
            tools(call("write_file", path=".swarm/x", content="y")),
            tools(call("done", summary="ok")),
        ]
    )

    result = await make_worker(tmp_path, node).dispatch(assign(SINK), recorder)

    assert not result.ok and "no run_command of yours succeeded" in result.error


def test_outline_keeps_signatures_and_cuts_bodies() -> None:
    source = (
        'import os\n\nLIMIT = 3\n\n\nclass Store:\n    """Keeps items.\n\n    More.\n    """\n\n'
        "    name: str = 'x'\n\n    def add(self, item: str) -> None:\n"
        "        self.items.append(item)\n\n\n"
        "@cache\ndef load(path: str,\n         strict: bool = False) -> dict:\n"
        "    return json.loads(path)\n"
    )
    cut = outline("pkg/store.py", source)
    compile(cut, "outline", "exec")  # still Python
    for kept in (
        "import os",
        "LIMIT = 3",
        "class Store:",
        '"""Keeps items."""',
        "name: str = 'x'",
        "def add(self, item: str) -> None:",
        "@cache",
        "strict: bool = False) -> dict:",
    ):
        assert kept in cut
    assert "append" not in cut and "json.loads" not in cut


async def test_a_sink_that_fixed_a_file_after_its_run_must_run_again(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("run_command", command="python -c 'print(1)'")),
            tools(call("write_file", path="app/models.py", content="X = 2\n")),
            tools(call("done", summary="fixed it")),
        ]
    )

    result = await make_worker(tmp_path, node).dispatch(assign(SINK), recorder)

    assert not result.ok and "after your last failed call or file change" in result.error
