"""The worker's tools: files confined to the workdir, commands through the sandbox.

Every refusal is a :class:`ToolError` whose message goes back to the model as the
tool result; nothing outside the workdir is ever read, written or executed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brain import ToolCall, ToolSpec

#: Marker appended when a tool result is cut; says how much was dropped so the model can narrow.
TRUNCATION_MARKER = "\n[... output truncated: {dropped} more characters not shown ...]"

#: Directories a listing skips: bookkeeping and caches the model never needs to see.
_SKIP_DIRS = {".swarm", ".git", "__pycache__", ".pytest_cache", ".venv", "node_modules"}

#: A call to an MCP tool: (exposed tool name, arguments) -> text result.
McpCaller = Callable[[str, dict[str, Any]], Awaitable[str]]


class ToolError(Exception):
    """A refused or failed tool call; ``str(err)`` is returned to the model as the result."""


@dataclass
class ToolOutcome:
    """The result of one tool call as the loop needs it."""

    text: str
    ok: bool = True
    written: str | None = None
    done_summary: str | None = None
    mcp: bool = False


@dataclass
class ToolPolicy:
    """Who may write what: files owned by other tasks and bookkeeping are off limits."""

    foreign_owned: Mapping[str, str] = field(default_factory=dict)
    may_write_foreign: bool = False


def cap_output(text: str, cap: int) -> str:
    """Cut ``text`` to ``cap`` characters with a marker saying how much was dropped."""
    if cap <= 0 or len(text) <= cap:
        return text
    return text[:cap] + TRUNCATION_MARKER.format(dropped=len(text) - cap)


def confine(workdir: Path, rel: str) -> Path:
    """Resolve ``rel`` inside ``workdir``; ``..``, outside absolutes and symlink escapes raise."""
    if not isinstance(rel, str) or not rel.strip():
        raise ToolError("path is empty: give a path relative to the project root")
    if "\x00" in rel:
        raise ToolError("path contains a NUL byte")
    root = workdir.resolve()
    raw = Path(rel.strip())
    if ".." in raw.parts:
        raise ToolError(f"path {rel!r} uses '..': stay inside the project directory")
    candidate = raw if raw.is_absolute() else root / raw
    # resolve() follows symlinks, so a link pointing outside is caught here too.
    resolved = candidate.resolve()
    if resolved != root and root not in resolved.parents:
        raise ToolError(f"path {rel!r} is outside the project directory; use a relative path")
    return resolved


def relpath(workdir: Path, path: Path) -> str:
    """The project-relative POSIX form of a confined path."""
    return path.relative_to(workdir.resolve()).as_posix()


def _schema(props: dict[str, str], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {k: {"type": "string", "description": v} for k, v in props.items()},
        "required": required,
    }


TOOL_SPECS: list[ToolSpec] = [
    ToolSpec(
        name="write_file",
        description="Create or overwrite a file with the COMPLETE content (never a diff).",
        parameters=_schema(
            {"path": "Path relative to the project root.", "content": "Full file content."},
            ["path", "content"],
        ),
    ),
    ToolSpec(
        name="read_file",
        description="Read a file of the project.",
        parameters=_schema({"path": "Path relative to the project root."}, ["path"]),
    ),
    ToolSpec(
        name="list_files",
        description="List the files under a directory of the project (default: the root).",
        parameters=_schema({"path": "Directory relative to the project root."}, []),
    ),
    ToolSpec(
        name="run_command",
        description=(
            "Run a shell command in the project root (no network, time-limited), e.g. "
            "'python -m pytest -q' or 'python -m mypkg --help'."
        ),
        parameters=_schema({"command": "The shell command."}, ["command"]),
    ),
    ToolSpec(
        name="done",
        description="Finish the subtask once every owned file is written and works.",
        parameters=_schema({"summary": "One or two sentences on what was built."}, ["summary"]),
    ),
]

BUILTIN_TOOLS = frozenset(spec.name for spec in TOOL_SPECS)


class Toolbox:
    """Executes the worker's tool calls for one attempt of one subtask."""

    def __init__(
        self,
        workdir: Path,
        *,
        policy: ToolPolicy | None = None,
        output_cap: int = 30_000,
        command_timeout_s: float = 60.0,
        mcp_tools: Mapping[str, McpCaller] | None = None,
    ) -> None:
        self.workdir = workdir.resolve()
        self.policy = policy or ToolPolicy()
        self.output_cap = output_cap
        self.command_timeout_s = command_timeout_s
        self.mcp_tools = dict(mcp_tools or {})

    async def call(self, call: ToolCall) -> ToolOutcome:
        """Run one call; refusals and failures become an error outcome, never an exception."""
        is_mcp = call.name in self.mcp_tools
        if call.error:
            return ToolOutcome(f"error: {call.error}", ok=False, mcp=is_mcp)
        try:
            outcome = await self._run(call)
        except ToolError as exc:
            return ToolOutcome(f"error: {exc}", ok=False, mcp=is_mcp)
        outcome.text = cap_output(outcome.text, self.output_cap)
        outcome.mcp = is_mcp
        return outcome

    async def _run(self, call: ToolCall) -> ToolOutcome:
        args = call.arguments
        if call.name in self.mcp_tools:
            return ToolOutcome(await self.mcp_tools[call.name](call.name, args))
        handler = {
            "write_file": self._write,
            "read_file": self._read,
            "list_files": self._list,
            "run_command": self._command,
            "done": self._done,
        }.get(call.name)
        if handler is None:
            known = sorted(BUILTIN_TOOLS | set(self.mcp_tools))
            raise ToolError(f"unknown tool {call.name!r}; available: {', '.join(known)}")
        return await handler(args)

    def _string_arg(self, args: dict[str, Any], name: str, *, required: bool = True) -> str:
        value = args.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise ToolError(f"argument {name!r} must be a string")
        return value

    async def _write(self, args: dict[str, Any]) -> ToolOutcome:
        path = confine(self.workdir, self._string_arg(args, "path"))
        content = args.get("content")
        if isinstance(content, dict | list):
            # small models often pass a .json file's body as an object: keep it, as JSON
            content = json.dumps(content, indent=2) + "\n"
        if not isinstance(content, str):
            raise ToolError("argument 'content' must be the full file text as a string")
        rel = relpath(self.workdir, path)
        self._check_writable(rel)
        if path.is_dir():
            raise ToolError(f"{rel} is a directory")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return ToolOutcome(f"wrote {rel} ({len(content)} characters)", written=rel)

    def _check_writable(self, rel: str) -> None:
        if rel.split("/", 1)[0] == ".swarm":
            raise ToolError(".swarm/ holds the swarm's own records; write project files only")
        owner = self.policy.foreign_owned.get(rel)
        if owner and not self.policy.may_write_foreign:
            raise ToolError(f"{rel} is owned by task {owner!r}; write only your own files")

    async def _read(self, args: dict[str, Any]) -> ToolOutcome:
        path = confine(self.workdir, self._string_arg(args, "path"))
        if not path.is_file():
            raise ToolError(f"no such file: {relpath(self.workdir, path)}")
        return ToolOutcome(path.read_text(encoding="utf-8", errors="replace"))

    async def _list(self, args: dict[str, Any]) -> ToolOutcome:
        rel = self._string_arg(args, "path", required=False) or "."
        base = confine(self.workdir, rel)
        if not base.is_dir():
            raise ToolError(f"no such directory: {rel}")
        names = sorted(_walk(base, self.workdir))
        return ToolOutcome("\n".join(names) if names else "(no files)")

    async def _command(self, args: dict[str, Any]) -> ToolOutcome:
        from verifier import sandbox  # the one place untrusted code runs

        command = self._string_arg(args, "command")
        if not command.strip():
            raise ToolError("command is empty")
        result = await sandbox.run_async(
            command,
            workdir=self.workdir,
            timeout_s=self.command_timeout_s,
            output_cap=self.output_cap,
        )
        status = "timed out" if result.timed_out else f"exit code {result.exit_code}"
        text = f"{status}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        return ToolOutcome(text, ok=not result.timed_out and result.exit_code == 0)

    async def _done(self, args: dict[str, Any]) -> ToolOutcome:
        summary = args.get("summary")
        text = summary if isinstance(summary, str) else json.dumps(summary)
        return ToolOutcome("done received", done_summary=text or "(no summary)")


def _walk(base: Path, root: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root.resolve()).as_posix())
    return found
