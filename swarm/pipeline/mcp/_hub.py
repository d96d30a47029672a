"""MCP servers' tools offered to workers: start each stdio server, list and call its tools.

A server is given as ``name=command args...`` in the ``mcp.servers`` knob (comma
separated); ``docs`` alone means the built-in offline docs server. Tools are exposed to
the model as ``<server>__<tool>`` so two servers can never collide with each other or
with the worker's own tools.
"""

from __future__ import annotations

import shlex
import sys
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from brain import ToolSpec
from swarm.errors import SwarmError
from swarm.knobs import register_knob

register_knob(
    "mcp.servers",
    str,
    "",
    "MCP servers whose tools workers get: comma list of `docs` (built-in offline "
    "package docs) or `name=command args`.",
    tunable=True,
)
register_knob(
    "mcp.call_timeout_s",
    float,
    30.0,
    "Timeout of one MCP tool call (seconds).",
    bounds=(1.0, 600.0),
)


class McpError(SwarmError):
    """An MCP server that cannot be started or listed; one line for the CLI."""


@dataclass(frozen=True)
class McpServerSpec:
    """One stdio MCP server: its short name and the command that starts it."""

    name: str
    command: str
    args: tuple[str, ...] = ()


def builtin_docs_server() -> McpServerSpec:
    """The offline docs server, run by this interpreter."""
    return McpServerSpec("docs", sys.executable, ("-m", "swarm.pipeline.mcp._docs_server"))


def parse_servers(text: str) -> list[McpServerSpec]:
    """Parse the ``mcp.servers`` knob; McpError names a malformed entry."""
    servers: list[McpServerSpec] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if item == "docs":
            servers.append(builtin_docs_server())
            continue
        name, sep, command = item.partition("=")
        words = shlex.split(command) if sep else []
        if not sep or not name.strip().isidentifier() or not words:
            raise McpError(f"mcp server {item!r} is not `docs` or `name=command args`")
        servers.append(McpServerSpec(name.strip(), words[0], tuple(words[1:])))
    return servers


class McpHub:
    """Open MCP sessions for one run (enter and exit in the same task)."""

    def __init__(self, servers: list[McpServerSpec], *, call_timeout_s: float = 30.0) -> None:
        self.servers = servers
        self.call_timeout_s = call_timeout_s
        self.specs: list[ToolSpec] = []
        self._routes: dict[str, tuple[Any, str]] = {}
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> McpHub:
        try:
            for server in self.servers:
                await self._open(server)
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def _open(self, server: McpServerSpec) -> None:
        from mcp import ClientSession, StdioServerParameters, stdio_client

        params = StdioServerParameters(command=server.command, args=list(server.args))
        try:
            read, write = await self._stack.enter_async_context(stdio_client(params))
            session = await self._stack.enter_async_context(ClientSession(read, write))
            await session.initialize()
            listed = await session.list_tools()
        except (OSError, ValueError) as exc:
            raise McpError(f"mcp server {server.name!r} did not start: {exc}") from None
        for tool in listed.tools:
            exposed = f"{server.name}__{tool.name}"
            self._routes[exposed] = (session, tool.name)
            self.specs.append(
                ToolSpec(
                    name=exposed, description=tool.description or "", parameters=tool.input_schema
                )
            )

    @property
    def callers(self) -> dict[str, Any]:
        """Exposed tool name → async caller, the shape the worker's Toolbox takes."""
        return {name: self.call for name in self._routes}

    async def call(self, exposed: str, arguments: dict[str, Any]) -> str:
        """Call one tool; its text content joined, prefixed with ``error:`` on a tool error."""
        session, tool = self._routes[exposed]
        result = await session.call_tool(tool, arguments, read_timeout_seconds=self.call_timeout_s)
        text = "\n".join(getattr(block, "text", "") for block in result.content)
        return f"error: {text}" if result.is_error else text
