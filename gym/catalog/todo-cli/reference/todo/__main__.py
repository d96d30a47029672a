"""Command line: ``python -m todo add TEXT | list | done ID | remove ID``."""

import argparse
import sys

from todo.store import Item, TodoError, TodoList


def format_item(item: Item) -> str:
    """``3 [x] buy milk``."""
    return f"{item.id} [{'x' if item.done else ' '}] {item.text}"


def build_parser() -> argparse.ArgumentParser:
    """One sub-command per action."""
    parser = argparse.ArgumentParser(prog="todo")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("add").add_argument("text")
    sub.add_parser("list")
    sub.add_parser("done").add_argument("id", type=int)
    sub.add_parser("remove").add_argument("id", type=int)
    return parser


def run(todos: TodoList, args: argparse.Namespace) -> list[str]:
    """Apply the command; the lines to print."""
    if args.command == "list":
        return [format_item(i) for i in todos.items]
    if args.command == "add":
        lines = [str(todos.add(args.text).id)]
    elif args.command == "done":
        todos.find(args.id).done = True
        lines = []
    else:
        todos.remove(args.id)
        lines = []
    todos.save()
    return lines


def main(argv: list[str] | None = None) -> int:
    """Entry point: errors are one line on stderr and exit status 1."""
    args = build_parser().parse_args(argv)
    try:
        for line in run(TodoList(), args):
            print(line)
    except TodoError as exc:
        print(f"todo: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
