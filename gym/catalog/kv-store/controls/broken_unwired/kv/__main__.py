"""The shell: ``python -m kv`` reads commands from stdin, one per line."""

import sys

from kv.commands import CommandError, execute
from kv.store import Store


def main() -> int:
    """Run a session; one command per line."""
    store = Store()
    for line in sys.stdin:
        try:
            output = execute(store, line)
        except CommandError as exc:
            print(f"error: {exc}", file=sys.stderr)
            continue
        if output is not None:
            print(output, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
