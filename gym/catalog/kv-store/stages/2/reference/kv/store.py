"""The store: committed data plus a stack of open transactions.

Each transaction is a layer of changes; a deleted key is recorded as the TOMBSTONE so a
rollback can bring it back and reads can see through layers.
"""

TOMBSTONE = object()


class NoTransaction(Exception):
    """ROLLBACK or COMMIT with no open transaction."""


class Store:
    """Keys to string values, with nested transactions."""

    def __init__(self, data: dict[str, str] | None = None) -> None:
        self.committed: dict[str, str] = dict(data or {})
        self.layers: list[dict[str, object]] = []

    def get(self, key: str) -> str | None:
        """The current value of ``key``, including uncommitted changes; None when absent."""
        for layer in reversed(self.layers):
            if key in layer:
                value = layer[key]
                return None if value is TOMBSTONE else value  # type: ignore[return-value]
        return self.committed.get(key)

    def set(self, key: str, value: str) -> None:
        """Set ``key`` in the innermost transaction, or directly when none is open."""
        if self.layers:
            self.layers[-1][key] = value
        else:
            self.committed[key] = value

    def delete(self, key: str) -> bool:
        """Remove ``key``; False when it was not there."""
        if self.get(key) is None:
            return False
        if self.layers:
            self.layers[-1][key] = TOMBSTONE
        else:
            del self.committed[key]
        return True

    def view(self) -> dict[str, str]:
        """All current keys and values, uncommitted changes applied."""
        merged = dict(self.committed)
        for layer in self.layers:
            for key, value in layer.items():
                if value is TOMBSTONE:
                    merged.pop(key, None)
                else:
                    merged[key] = value  # type: ignore[assignment]
        return merged

    def count(self, value: str) -> int:
        """How many keys currently hold ``value``."""
        return sum(1 for v in self.view().values() if v == value)

    def begin(self) -> None:
        """Open a (nested) transaction."""
        self.layers.append({})

    def rollback(self) -> None:
        """Discard the innermost transaction."""
        if not self.layers:
            raise NoTransaction()
        self.layers.pop()

    def commit(self) -> None:
        """Apply every open transaction to the committed data and close them all."""
        if not self.layers:
            raise NoTransaction()
        self.committed = self.view()
        self.layers = []

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return bool(self.layers)
