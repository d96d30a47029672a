"""MCP extensions for workers: the offline docs server and the client hub that wires tools in."""

from swarm.pipeline.mcp._hub import (
    McpError,
    McpHub,
    McpServerSpec,
    builtin_docs_server,
    parse_servers,
)

__all__ = ["McpError", "McpHub", "McpServerSpec", "builtin_docs_server", "parse_servers"]
