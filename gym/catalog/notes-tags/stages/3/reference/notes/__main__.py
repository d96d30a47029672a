"""Command line: ``python -m notes add TEXT [--tag T]... | list [--tag T] | find WORDS | tags | delete ID``."""

import argparse
import sys

from notes.search import find_notes
from notes.store import NoteStore
from notes.tags import filter_by_tag, note_tags, tag_counts


def format_note(note: dict) -> str:
    """One note as a line: ``#3 buy milk [home, shop]`` (no brackets without tags)."""
    tags = note_tags(note)
    suffix = f" [{', '.join(tags)}]" if tags else ""
    return f"#{note['id']} {note['text']}{suffix}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per action."""
    parser = argparse.ArgumentParser(prog="notes")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a note")
    add.add_argument("text")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    listing = sub.add_parser("list", help="list notes")
    listing.add_argument("--tag", help="only notes with this tag")
    sub.add_parser("tags", help="tags with their counts")
    find = sub.add_parser("find", help="notes containing every given word")
    find.add_argument("words", nargs="+")
    delete = sub.add_parser("delete", help="delete a note")
    delete.add_argument("id", type=int)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    store = NoteStore()
    if args.command == "add":
        print(f"added #{store.add(args.text, args.tag)['id']}")
    elif args.command == "list":
        notes = filter_by_tag(store.all(), args.tag) if args.tag else store.all()
        for note in notes:
            print(format_note(note))
    elif args.command == "find":
        found = find_notes(store.all(), " ".join(args.words))
        for note in found:
            print(format_note(note))
        if not found:
            print("no matching notes")
            return 1
    elif args.command == "tags":
        for tag, count in tag_counts(store.all()):
            print(f"{tag}: {count}")
    elif not store.delete(args.id):
        print(f"error: no note #{args.id}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
