"""Helpers for the `swarm run` tests: scripted models, catalog tasks, event reading."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brain import ChatRequest, ChatResponse, FinishReason, ToolCall
from brain.sim import ScriptedPolicy, SimTransport
from verifier import Task, TaskError, load_task

CATALOG = Path(__file__).resolve().parents[2] / "gym" / "catalog"
#: Three in-process competent nodes with no modelled latency (tests must be fast).
COMPETENT3 = ",".join(f"sim:competent?time_scale=0&seed={i}" for i in range(3))


def call(tool_name: str, /, **arguments: Any) -> ToolCall:
    """One tool call as a model would send it."""
    digest = zlib.crc32(json.dumps(arguments, sort_keys=True).encode())
    return ToolCall(id=f"c-{tool_name}-{digest:08x}", name=tool_name, arguments=arguments)


def tools(*calls: ToolCall) -> ChatResponse:
    """A model turn that calls tools."""
    return ChatResponse(tool_calls=list(calls), finish_reason=FinishReason.TOOL_CALLS)


def prose(text: str) -> ChatResponse:
    """A model turn with text only (narration)."""
    return ChatResponse(text=text)


def scripted(script: list[Any] | Callable[[ChatRequest, str], Any]) -> SimTransport:
    """A transport answering from a script; ``.policy.requests`` records what it was asked."""
    return SimTransport(
        ScriptedPolicy(script), url="sim:scripted", model="scripted", time_scale=0.0
    )


class Recorder:
    """An EventSink keeping every event in memory."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def emit(self, event: str, **fields: Any) -> None:
        self.events.append({"event": event, **fields})

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == name]


def catalog_task(task_id: str) -> Task:
    """A task of the built-in catalog."""
    return load_task(CATALOG / task_id)


#: The heavy-spec task most tests build (small, four modules and a test file).
PRIMARY = "csv-stats"


def heavy_spec_tasks() -> list[str]:
    """Ids of the catalog's loadable heavy-spec tasks (the end-to-end targets).

    A task that does not load is the catalog self-test's failure to report, not ours.
    """
    ids = []
    for toml in sorted(CATALOG.glob("*/task.toml")):
        try:
            task = load_task(toml)
        except TaskError:
            continue
        if task.archetype.value == "heavy-spec":
            ids.append(toml.parent.name)
    return ids


def read_log(workdir: Path) -> list[dict[str, Any]]:
    """The events of the (only) run in ``workdir``."""
    logs = sorted((workdir / ".swarm").glob("run-*.jsonl"))
    assert logs, f"no event log in {workdir}/.swarm"
    return [json.loads(line) for line in logs[-1].read_text().splitlines() if line.strip()]
