"""Worker turns: write each owned file through ``write_file``, one per turn, then ``done``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brain._types import Role
from brain.sim._request import WORKER_TOOLS, RequestView
from brain.sim._roles.filler import minimal


@dataclass(frozen=True)
class Action:
    """The worker's next move: write one file, or finish."""

    tool: str  # "write_file" | "run_command" | "done" | an extension (MCP) tool
    path: str = ""
    content: str = ""
    summary: str = ""
    command: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def arguments(self) -> dict[str, Any]:
        """The tool call's arguments."""
        if self.tool == "write_file":
            return {"path": self.path, "content": self.content}
        if self.tool == "run_command":
            return {"command": self.command}
        if self.tool == "done":
            return {"summary": self.summary}
        return self.extra


def placeholder(path: str) -> str:
    """A plausible minimal file for a path the simulator has no reference for."""
    if not path.endswith(".py"):
        return ""
    doc = f'"""{path.rsplit("/", 1)[-1][:-3]}: written without a reference solution."""\n'
    if path.endswith("__main__.py"):
        return doc + (
            '\n\ndef main() -> None:\n    """Entry point."""\n    print("ok")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        )
    return doc


def consult_action(view: RequestView) -> Action | None:
    """Call an extension tool (e.g. MCP docs) once per conversation, as a diligent model would."""
    extras = [t for t in view.request.tools if t.name not in WORKER_TOOLS]
    called = {c.name for m in view.request.messages for c in m.tool_calls}
    if not extras or called & {t.name for t in extras}:
        return None
    args = minimal(extras[0].parameters) or {}
    # Ask about a module every Python has, so the answer is real documentation.
    args = {k: "json" if isinstance(v, str) else v for k, v in args.items()}
    return Action(extras[0].name, extra=args)


def integrate_action(view: RequestView, commands: list[str]) -> Action:
    """The integrate-verify sink (no owned files): run the entry point until a run succeeds
    (``--help``, then the spec's example), then done."""
    runs = [c for m in view.request.messages for c in m.tool_calls if c.name == "run_command"]
    results = [m.content for m in view.request.messages if m.role is Role.TOOL]
    succeeded = bool(runs) and bool(results) and "exit code 0" in results[-1]
    if "run_command" in view.tool_names and not succeeded and len(runs) < len(commands):
        return Action("run_command", command=commands[len(runs)])
    return Action("done", summary="Ran the entry point; nothing to fix.")


def next_action(view: RequestView, owned: list[str], content_of: Callable[[str], str]) -> Action:
    """The next owned file not yet written in this conversation, else done."""
    written = set(view.written)
    for path in owned:
        if path not in written:
            return Action("write_file", path=path, content=content_of(path))
    summary = f"Wrote {', '.join(owned)}." if owned else "Nothing to write for this subtask."
    return Action("done", summary=summary)


def narration(owned: list[str], content_of: Callable[[str], str]) -> str:
    """The narrator's answer: a plan in prose and the code pasted inline, no tool call."""
    lines = ["Here is how I would implement this task.", ""]
    for path in owned:
        lines.append(f"First, `{path}` would contain the following:")
        lines += ["", "```python", content_of(path).rstrip(), "```", ""]
    lines.append("Let me know if you want me to change anything.")
    return "\n".join(lines)
