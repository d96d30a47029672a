"""Command line: ``python -m notes add TEXT | list | delete ID``."""

import argparse
import sys

from notes.store import NoteStore


def format_note(note: dict) -> str:
    """One note as a line: ``#3 buy milk``."""
    return f"#{note['id']} {note['text']}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per action."""
    parser = argparse.ArgumentParser(prog="notes")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a note")
    add.add_argument("text")
    sub.add_parser("list", help="list notes")
    delete = sub.add_parser("delete", help="delete a note")
    delete.add_argument("id", type=int)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    store = NoteStore()
    if args.command == "add":
        print(f"added #{store.add(args.text)['id']}")
    elif args.command == "list":
        for note in store.all():
            print(format_note(note))
    elif not store.delete(args.id):
        print(f"error: no note #{args.id}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
