"""Command line: ``python -m jpath [--paths | --count | --first] QUERY [FILE]`` (stdin without FILE)."""

import argparse
import json
import sys

from jpath.engine import run_query
from jpath.errors import InputError, JPathError
from jpath.output import render
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
    """Print the matches; exit 1 when nothing matches (except --count), 2 on errors."""
    parser = argparse.ArgumentParser(prog="jpath", description="Query JSON with JSONPath.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--paths", dest="mode", action="store_const", const="paths", help="print normalized paths")
    mode.add_argument("--count", dest="mode", action="store_const", const="count", help="print the number of matches")
    mode.add_argument("--first", dest="mode", action="store_const", const="first", help="print the first match only")
    parser.add_argument("query")
    parser.add_argument("file", nargs="?")
    args = parser.parse_args(argv)
    try:
        segments = parse_query(args.query)
        matches = run_query(segments, read_document(args.file))
    except JPathError as exc:
        print(f"jpath: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(matches, args.mode or "values"))
    return 0 if matches or args.mode == "count" else 1


if __name__ == "__main__":
    sys.exit(main())
