"""Command line: ``python -m jpath QUERY [FILE]`` (stdin when FILE is omitted)."""

import argparse
import json
import sys

from jpath.engine import run_query
from jpath.errors import InputError, JPathError
from jpath.query import parse_query


def read_document(path: str | None) -> object:
    """The JSON document from FILE or stdin."""
    try:
        text = sys.stdin.read() if path is None else open(path, encoding="utf-8").read()
        return json.loads(text)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"input is not valid JSON: {exc.msg} at line {exc.lineno}") from None


def main(argv: list[str] | None = None) -> int:
    """Print each match as JSON on its own line; exit 1 when nothing matches, 2 on errors."""
    parser = argparse.ArgumentParser(prog="jpath", description="Query JSON with JSONPath.")
    parser.add_argument("query")
    parser.add_argument("file", nargs="?")
    args = parser.parse_args(argv)
    try:
        segments = parse_query(args.query)
        matches = run_query(segments, read_document(args.file))
    except JPathError as exc:
        print(f"jpath: {exc}", file=sys.stderr)
        return 2
    for _, value in matches:
        print(json.dumps(value, ensure_ascii=False))
    return 0 if matches else 1


if __name__ == "__main__":
    sys.exit(main())
