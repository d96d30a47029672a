"""Parse one input line and apply it to a store; returns the line to print, if any."""

from kv.store import NoTransaction, Store


class CommandError(Exception):
    """A line that is not a valid command; the shell reports it and goes on."""


ARITY = {"SET": 2, "GET": 1, "DELETE": 1, "COUNT": 1, "BEGIN": 0, "ROLLBACK": 0, "COMMIT": 0}


def execute(store: Store, line: str) -> str | None:
    """Run one command line (command names are case-insensitive)."""
    words = line.split()
    if not words:
        return None
    name, args = words[0].upper(), words[1:]
    if name not in ARITY:
        raise CommandError(f"unknown command '{words[0]}'")
    if name == "SET" and len(args) >= 2:
        args = [args[0], " ".join(args[1:])]  # values may contain spaces
    if len(args) != ARITY[name]:
        raise CommandError(f"{name} takes {ARITY[name]} argument(s)")
    return _apply(store, name, args)


def _apply(store: Store, name: str, args: list[str]) -> str | None:
    if name == "SET":
        store.set(args[0], args[1])
    elif name == "GET":
        value = store.get(args[0])
        return "NULL" if value is None else value
    elif name == "DELETE":
        store.delete(args[0])
    elif name == "COUNT":
        return str(store.count(args[0]))
    elif name == "BEGIN":
        store.begin()
    else:
        try:
            store.rollback() if name == "ROLLBACK" else store.commit()
        except NoTransaction:
            return "NO TRANSACTION"
    return None
