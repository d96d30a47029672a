"""The worker role: reference files through real tool calls, then done."""

from __future__ import annotations

import pytest


async def test_worker_writes_exactly_the_owned_reference_files_then_done(sim, kit) -> None:
    owned = ["notes/store.py", "notes/models.py"]
    attempt = await kit.run_worker(sim(), kit.worker_prompt("notes", owned))
    ref = kit.reference("notes")
    assert attempt.written == {p: ref[p] for p in owned}
    assert attempt.calls == ["write_file", "write_file", "done"]


async def test_worker_writes_the_reference_of_the_recognised_stage(sim, kit) -> None:
    attempt = await kit.run_worker(sim(), kit.worker_prompt("notes", ["notes/store.py"], stage=2))
    assert "def search_notes" in attempt.written["notes/store.py"]
    assert attempt.written["notes/store.py"] == kit.reference("notes", 2)["notes/store.py"]


async def test_worker_writes_a_plausible_file_for_an_unknown_task(sim, kit) -> None:
    prompt = (
        "PROJECT SPEC:\nsomething nobody catalogued, run as python -m mystery\n"
        "OWNED FILES: mystery/__main__.py"
    )
    attempt = await kit.run_worker(sim(), prompt)
    source = attempt.written["mystery/__main__.py"]
    compile(source, "mystery/__main__.py", "exec")
    assert attempt.done


async def test_worker_without_owned_files_or_task_just_finishes(sim, kit) -> None:
    attempt = await kit.run_worker(sim(), "Do something useful.")
    assert attempt.calls == ["done"] and not attempt.written


async def _sink_turn(node, kit, results: list[str]):
    """The sink's next answer after its earlier run_command calls got ``results``."""
    from brain import ChatRequest, Message

    prompt = f"PROJECT SPEC:\n{kit.spec_text('notes')}\n\nYOUR ROLE: integrate and verify."
    messages = [Message(role="user", content=prompt)]
    answer = await node.chat(ChatRequest(messages=messages, tools=kit.WORKER_TOOLS))
    for result in results:
        messages += [
            Message(role="assistant", tool_calls=answer.tool_calls),
            Message(role="tool", tool_call_id=answer.tool_calls[0].id, content=result),
        ]
        answer = await node.chat(ChatRequest(messages=messages, tools=kit.WORKER_TOOLS))
    return answer


async def test_integrate_sink_runs_the_entry_point_then_finishes_without_writing(sim, kit) -> None:
    node = sim()
    first = await _sink_turn(node, kit, [])
    assert first.tool_calls[0].name == "run_command"
    assert first.tool_calls[0].arguments == {"command": "python -m notes --help"}
    second = await _sink_turn(node, kit, ["exit code 0\n--- stdout ---\nusage: notes"])
    assert [c.name for c in second.tool_calls] == ["done"]


async def test_a_sink_whose_help_run_failed_runs_the_spec_example_next(sim, kit) -> None:
    node = sim()
    second = await _sink_turn(node, kit, ["exit code 2\n--- stderr ---\nno such option"])
    (call,) = second.tool_calls
    assert call.name == "run_command" and call.arguments["command"] != "python -m notes --help"
    assert "python -m notes" in call.arguments["command"]


async def test_worker_consults_an_extension_tool_once_before_writing(sim, kit) -> None:
    from brain import ToolSpec

    docs = ToolSpec(
        name="module_doc",
        parameters={
            "type": "object",
            "properties": {"module": {"type": "string"}},
            "required": ["module"],
        },
    )
    prompt = kit.worker_prompt("notes", ["notes/models.py"])
    attempt = await kit.run_worker(sim(), prompt, tools=[*kit.WORKER_TOOLS, docs])
    assert attempt.calls == ["module_doc", "write_file", "done"]


@pytest.mark.parametrize(
    "schema",
    [
        None,
        "PlanDraft",
        "SubtaskDetail",
        "ModuleContract",
        "JudgeReport",
        "UserTurn",
        "InventedTask",
        "Whatever",
    ],
)
@pytest.mark.parametrize("content", ["", "PROJECT SPEC:\n\nOWNED FILES: ,, ../x", "=== FILE: ==="])
def test_any_request_gets_an_answer_never_a_crash(kit, schema, content) -> None:
    from brain import ChatRequest, Message
    from brain.sim import make_policy

    policy = make_policy("drifter+stubber+narrator", time_scale=0, catalog_dir=kit.FIXTURES)
    tools = kit.WORKER_TOOLS if schema is None else []
    request = ChatRequest(
        messages=[Message(role="user", content=content)], tools=tools, response_schema_name=schema
    )
    assert policy.reply(request, "m").response is not None
