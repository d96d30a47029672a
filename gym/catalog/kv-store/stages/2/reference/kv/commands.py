"""Parse one input line and apply it to a store; returns the line to print, if any."""

from kv.store import NoTransaction, Store


class CommandError(Exception):
    """A line that is not a valid command; the shell reports it and goes on."""


ARITY = {"SET": 2, "GET": 1, "DELETE": 1, "COUNT": 1, "BEGIN": 0, "ROLLBACK": 0, "COMMIT": 0,
         "INCR": (1, 2), "KEYS": 0}


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
    allowed = ARITY[name] if isinstance(ARITY[name], tuple) else (ARITY[name],)
    if len(args) not in allowed:
        raise CommandError(f"{name} takes {' or '.join(map(str, allowed))} argument(s)")
    return _apply(store, name, args)


def _incr(store: Store, key: str, step: str) -> str:
    """Add ``step`` to an integer value; a missing key counts as 0."""
    try:
        amount = int(step)
        current = int(store.get(key) or "0")
    except ValueError:
        return "ERR not an integer"
    store.set(key, str(current + amount))
    return str(current + amount)


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
    elif name == "INCR":
        return _incr(store, args[0], args[1] if len(args) > 1 else "1")
    elif name == "KEYS":
        return " ".join(sorted(store.view()))
    elif name == "BEGIN":
        store.begin()
    else:
        try:
            store.rollback() if name == "ROLLBACK" else store.commit()
        except NoTransaction:
            return "NO TRANSACTION"
    return None
