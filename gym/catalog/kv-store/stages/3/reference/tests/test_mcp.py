import io
import json

from kv import mcp


def test_set_then_get_over_json_rpc(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "set", "arguments": {"key": "k", "value": "v"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "get", "arguments": {"key": "k"}}},
    ]
    out = io.StringIO()
    mcp.serve(io.StringIO("\n".join(json.dumps(r) for r in requests) + "\n"), out)
    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in replies] == [1, 2, 3]
    assert replies[2]["result"]["content"][0]["text"] == "v"
    assert json.loads((tmp_path / "kv.json").read_text()) == {"k": "v"}
