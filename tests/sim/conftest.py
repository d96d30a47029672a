"""Fixtures for the simulator's tests: a tiny catalog and a minimal worker loop."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from brain import ChatRequest, Message, Role, ToolSpec
from brain.sim import SimTransport

FIXTURES = Path(__file__).parent / "fixtures"

# The fixture tasks' reference trees hold their own tests; they are data here, not tests.
collect_ignore_glob = ["fixtures/*"]

WORKER_TOOLS = [
    ToolSpec(
        name="write_file",
        parameters={
            "type": "object",
            "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        },
    ),
    ToolSpec(
        name="read_file", parameters={"type": "object", "properties": {"path": {"type": "string"}}}
    ),
    ToolSpec(name="list_files"),
    ToolSpec(name="run_command"),
    ToolSpec(
        name="done", parameters={"type": "object", "properties": {"summary": {"type": "string"}}}
    ),
]


def task_data(task_id: str) -> dict:
    return tomllib.loads((FIXTURES / task_id / "task.toml").read_text(encoding="utf-8"))


def spec_text(task_id: str, stage: int = 1) -> str:
    """What `swarm run` is given at ``stage``: the spec plus stage texts 2..stage."""
    data = task_data(task_id)
    return "\n\n".join([data["spec"]] + [s["text"] for s in data.get("stages", [])][: stage - 1])


def reference(task_id: str, stage: int = 1) -> dict[str, str]:
    root = FIXTURES / task_id
    for k in range(stage, 1, -1):
        if (root / "stages" / str(k) / "reference").is_dir():
            root = root / "stages" / str(k)
            break
    base = root / "reference"
    return {
        p.relative_to(base).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def worker_prompt(task_id: str, owned: list[str], *, stage: int = 1, extra: str = "") -> str:
    return (
        f"You are a worker in a coding swarm.\n\nPROJECT SPEC:\n{spec_text(task_id, stage)}\n\n"
        f"OWNED FILES: {', '.join(owned)}\n{extra}\nWrite each owned file, then call done."
    )


@dataclass
class Attempt:
    """What one worker conversation did."""

    written: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    text: str = ""
    done: bool = False


async def run_worker(
    node: SimTransport, prompt: str, *, max_turns: int = 20, tools: list[ToolSpec] | None = None
) -> Attempt:
    """A minimal worker loop: execute write_file/done until done or a text-only answer."""
    messages = [
        Message(role=Role.SYSTEM, content="Use the tools."),
        Message(role=Role.USER, content=prompt),
    ]
    attempt = Attempt()
    for _ in range(max_turns):
        answer = await node.chat(ChatRequest(messages=messages, tools=tools or WORKER_TOOLS))
        messages.append(
            Message(role=Role.ASSISTANT, content=answer.text, tool_calls=answer.tool_calls)
        )
        if not answer.tool_calls:
            attempt.text = answer.text
            return attempt
        for call in answer.tool_calls:
            attempt.calls.append(call.name)
            if call.name == "write_file":
                attempt.written[call.arguments["path"]] = call.arguments["content"]
            if call.name == "done":
                attempt.done = True
                return attempt
            messages.append(
                Message(role=Role.TOOL, tool_call_id=call.id, name=call.name, content="ok")
            )
    return attempt


@pytest.fixture
def sim():
    """Build an in-process sim node over the fixture catalog: sim('drifter', seed=1)."""

    def build(profile: str = "competent", **query: object) -> SimTransport:
        params = {"time_scale": 0, "catalog": FIXTURES, **query}
        text = "&".join(f"{k}={v}" for k, v in params.items())
        return SimTransport.from_url(f"sim:{profile}?{text}", idle_timeout_s=0)

    return build


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for tests (importlib mode cannot import conftest by name)."""
    return SimpleNamespace(
        FIXTURES=FIXTURES,
        WORKER_TOOLS=WORKER_TOOLS,
        task_data=task_data,
        spec_text=spec_text,
        reference=reference,
        worker_prompt=worker_prompt,
        run_worker=run_worker,
    )
