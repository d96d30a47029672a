"""MCP extension: the offline docs server over stdio, its tools in the worker, events marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from swarmrun_support import Recorder, call, scripted, tools

from swarm.pipeline.mcp import McpError, McpHub, parse_servers
from swarm.pipeline.mcp._docs import DocsError, module_doc, symbol_doc
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings
from swarm.protocols import Assignment, Device, Subtask


def test_docs_are_read_from_source_without_importing() -> None:
    assert "def dumps(obj" in symbol_doc("json.dumps")
    assert "module json" in module_doc("json")
    with pytest.raises(DocsError):
        module_doc("surely_not_installed_pkg")


def test_server_list_rejects_malformed_entries() -> None:
    assert [s.name for s in parse_servers("docs, extra=python -m x")] == ["docs", "extra"]
    with pytest.raises(McpError):
        parse_servers("no command here")


@pytest.mark.slow  # starts the server as a subprocess (~3 s on a shared machine)
async def test_worker_calls_docs_server_over_stdio_and_the_call_is_a_tool_call_marked_mcp(
    tmp_path: Path,
) -> None:
    task = Subtask(id="util", description="util", owned_files=("util.py",))
    node = scripted(
        [
            tools(call("docs__symbol_doc", name="json.dumps")),
            tools(call("write_file", path="util.py", content="import json\n")),
            tools(call("done", summary="ok")),
        ]
    )
    events = Recorder()
    async with McpHub(parse_servers("docs")) as hub:
        assert {s.name for s in hub.specs} >= {"docs__symbol_doc", "docs__module_doc"}
        worker = Worker(
            {"n": node},
            WorkerContext(workdir=tmp_path, spec="s"),
            WorkerSettings(stream=False),
            mcp_tools=hub.callers,
            mcp_specs=hub.specs,
        )
        assignment = Assignment(task=task, device=Device("n", "sim:x", "m"), attempt=1, epoch=0)
        result = await worker.dispatch(assignment, events)
    assert result.ok
    mcp_calls = [e for e in events.named("tool_call") if e["mcp"]]
    assert [e["tool"] for e in mcp_calls] == ["docs__symbol_doc"]
    tool_reply = node.policy.requests[1].messages[-1]
    assert tool_reply.name == "docs__symbol_doc" and "def dumps(obj" in tool_reply.content
    assert "docs__symbol_doc" in {t.name for t in node.policy.requests[0].tools}
