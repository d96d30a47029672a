"""Command line: ``python -m todo add TEXT [--priority P] | list | done ID | remove ID | edit ID TEXT | priority ID P | clear``."""

import argparse
import sys

from todo.store import Item, TodoError, TodoList, check_priority


def format_item(item: Item) -> str:
    """``3 [x] buy milk``, with ``(high)`` / ``(low)`` before the text when not normal."""
    marker = "" if item.priority == "normal" else f"({item.priority}) "
    return f"{item.id} [{'x' if item.done else ' '}] {marker}{item.text}"


def build_parser() -> argparse.ArgumentParser:
    """One sub-command per action."""
    parser = argparse.ArgumentParser(prog="todo")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add")
    add.add_argument("text")
    add.add_argument("--priority", default="normal", help="high, normal (default) or low")
    set_priority = sub.add_parser("priority")
    set_priority.add_argument("id", type=int)
    set_priority.add_argument("level")
    sub.add_parser("list")
    sub.add_parser("done").add_argument("id", type=int)
    sub.add_parser("remove").add_argument("id", type=int)
    edit = sub.add_parser("edit")
    edit.add_argument("id", type=int)
    edit.add_argument("text")
    sub.add_parser("clear")
    return parser


def run(todos: TodoList, args: argparse.Namespace) -> list[str]:
    """Apply the command; the lines to print."""
    if args.command == "list":
        return [format_item(i) for i in todos.ordered()]
    if args.command == "add":
        lines = [str(todos.add(args.text, args.priority).id)]
    elif args.command == "priority":
        todos.find(args.id).priority = check_priority(args.level)
        lines = []
    elif args.command == "edit":
        todos.edit(args.id, args.text)
        lines = []
    elif args.command == "clear":
        lines = [f"removed {todos.clear_done()}"]
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
