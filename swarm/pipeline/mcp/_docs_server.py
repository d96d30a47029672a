"""The offline docs MCP server (stdio): ``python -m swarm.pipeline.mcp._docs_server``.

Tools: ``list_modules(prefix)``, ``module_doc(module)``, ``symbol_doc(name)`` — the
documentation of whatever is installed in this interpreter, read from source.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from swarm.pipeline.mcp import _docs

server = MCPServer("pydocs", instructions="Documentation of the installed Python packages.")


@server.tool()
def list_modules(prefix: str = "") -> str:
    """List importable top-level Python modules whose name starts with prefix."""
    return _docs.list_modules(prefix)


@server.tool()
def module_doc(module: str) -> str:
    """Show a module's docstring and its public functions and classes with signatures."""
    try:
        return _docs.module_doc(module)
    except _docs.DocsError as exc:
        return f"error: {exc}"


@server.tool()
def symbol_doc(name: str) -> str:
    """Show the signature and docstring of a function or class, e.g. 'json.dumps'."""
    try:
        return _docs.symbol_doc(name)
    except _docs.DocsError as exc:
        return f"error: {exc}"


if __name__ == "__main__":
    server.run("stdio")
