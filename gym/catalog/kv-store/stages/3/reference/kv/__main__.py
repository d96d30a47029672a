"""The shell: ``python -m kv`` reads commands from stdin, one per line; ``python -m kv mcp`` serves MCP."""

import sys

from kv import mcp, persist
from kv.commands import CommandError, execute
from kv.store import Store


def main(argv: list[str]) -> int:
    """Run a session; committed data is saved after each line outside a transaction."""
    if argv == ["mcp"]:
        return mcp.serve()
    if argv:
        print("usage: python -m kv [mcp]", file=sys.stderr)
        return 2
    try:
        store = Store(persist.load())
    except persist.CorruptDatabase as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in sys.stdin:
        try:
            output = execute(store, line)
        except CommandError as exc:
            print(f"error: {exc}", file=sys.stderr)
            continue
        if output is not None:
            print(output, flush=True)
        if not store.in_transaction:
            persist.save(store.committed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
