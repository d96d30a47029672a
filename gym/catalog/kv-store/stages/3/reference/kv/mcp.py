"""A minimal MCP server over stdio: JSON-RPC 2.0, one JSON object per line.

Methods: ``initialize``, ``tools/list``, ``tools/call`` (tools get, set, delete). Notifications
(no ``id``) get no answer. Writes go through the same store and persistence as the shell.
"""

import json
import sys
from typing import TextIO

from kv import persist
from kv.store import Store

PROTOCOL_VERSION = "2024-11-05"

TOOLS = [
    {"name": "get", "description": "Read a key; 'NULL' when absent.",
     "inputSchema": {"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]}},
    {"name": "set", "description": "Set a key to a value (committed at once).",
     "inputSchema": {"type": "object", "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
                     "required": ["key", "value"]}},
    {"name": "delete", "description": "Remove a key.",
     "inputSchema": {"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]}},
]


class RpcError(Exception):
    """A JSON-RPC error with its code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def call_tool(store: Store, name: str, args: dict) -> str:
    """Run one tool and return its text result."""
    try:
        if name == "get":
            value = store.get(str(args["key"]))
            return "NULL" if value is None else value
        if name == "set":
            store.set(str(args["key"]), str(args["value"]))
            persist.save(store.committed)
            return "OK"
        if name == "delete":
            removed = store.delete(str(args["key"]))
            persist.save(store.committed)
            return "DELETED" if removed else "NOT FOUND"
    except KeyError as exc:
        raise RpcError(-32602, f"missing argument {exc}") from None
    raise RpcError(-32602, f"unknown tool '{name}'")


def handle(store: Store, request: dict) -> dict:
    """The result object for one request."""
    method = request.get("method")
    params = request.get("params") or {}
    if method == "initialize":
        return {"protocolVersion": PROTOCOL_VERSION, "capabilities": {"tools": {}},
                "serverInfo": {"name": "kv", "version": "1.0"}}
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        text = call_tool(store, params.get("name", ""), params.get("arguments") or {})
        return {"content": [{"type": "text", "text": text}], "isError": False}
    raise RpcError(-32601, f"method not found: {method}")


def serve(lines: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Answer requests until end of input."""
    store = Store(persist.load())
    for line in lines:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError:
            reply = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
            print(json.dumps(reply), file=out, flush=True)
            continue
        if "id" not in request:
            continue
        try:
            reply = {"jsonrpc": "2.0", "id": request["id"], "result": handle(store, request)}
        except RpcError as exc:
            reply = {"jsonrpc": "2.0", "id": request["id"], "error": {"code": exc.code, "message": str(exc)}}
        print(json.dumps(reply), file=out, flush=True)
    return 0
