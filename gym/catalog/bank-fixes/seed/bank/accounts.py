"""Accounts and the operations on them."""

import json
from pathlib import Path

DATA_FILE = Path("bank.json")


class BankError(Exception):
    """A request the bank refuses."""


class Bank:
    """Balances by account name, loaded and saved as JSON."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path
        self.balances: dict[str, float] = {}
        if path.exists():
            self.balances = json.loads(path.read_text(encoding="utf-8"))

    def save(self) -> None:
        """Write every balance."""
        self.path.write_text(json.dumps(self.balances, indent=1) + "\n", encoding="utf-8")

    def open(self, name: str) -> None:
        """Create an empty account."""
        if name in self.balances:
            raise BankError(f"account {name} already exists")
        self.balances[name] = 0.0

    def _account(self, name: str) -> float:
        if name not in self.balances:
            raise BankError(f"no account {name}")
        return self.balances[name]

    def deposit(self, name: str, amount: float) -> float:
        """Add money; the new balance."""
        if amount <= 0:
            raise BankError("amount must be positive")
        self.balances[name] = self._account(name) + amount
        return self.balances[name]

    def withdraw(self, name: str, amount: float) -> float:
        """Take money out, never below zero; the new balance."""
        if amount <= 0:
            raise BankError("amount must be positive")
        if amount > self._account(name):
            raise BankError(f"insufficient funds in {name}")
        self.balances[name] -= amount
        return self.balances[name]

    def transfer(self, source: str, target: str, amount: float) -> None:
        """Move money between two accounts."""
        self.withdraw(source, amount)
        self.deposit(target, amount)
