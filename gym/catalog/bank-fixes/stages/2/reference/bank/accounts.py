"""Accounts, their transactions and the JSON file.

File form: ``{"balances": {name: "12.30"}, "closed": [name], "transactions": [{"seq",
"account", "kind", "amount", "balance"}]}``. Files from the first version hold only ``{name: float}``; they
load with their balances rounded to cents and no history.
"""

import json
import os
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from bank.money import AmountError, parse_amount, to_cents

DATA_FILE = Path("bank.json")


class BankError(Exception):
    """A request the bank refuses; nothing has changed when it is raised."""


@dataclass(frozen=True)
class Transaction:
    """One change to one account; ``amount`` is signed."""

    seq: int
    account: str
    kind: str
    amount: Decimal
    balance: Decimal


class Bank:
    """Balances by account name plus the transaction history."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path
        self.balances: dict[str, Decimal] = {}
        self.transactions: list[Transaction] = []
        self.closed: set[str] = set()
        if path.exists():
            self._load(json.loads(path.read_text(encoding="utf-8")))

    def _load(self, data: dict) -> None:
        if "balances" not in data:  # the first version's file: just name -> float
            data = {"balances": data, "transactions": []}
        self.balances = {name: to_cents(value) for name, value in data["balances"].items()}
        self.closed = set(data.get("closed", []))
        self.transactions = [
            Transaction(t["seq"], t["account"], t["kind"], to_cents(t["amount"]), to_cents(t["balance"]))
            for t in data["transactions"]
        ]

    def save(self) -> None:
        """Write atomically through a temporary file."""
        data = {
            "balances": {name: str(value) for name, value in self.balances.items()},
            "closed": sorted(self.closed),
            "transactions": [{**asdict(t), "amount": str(t.amount), "balance": str(t.balance)}
                             for t in self.transactions],
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def open(self, name: str) -> None:
        """Create an empty account."""
        if name in self.balances:
            raise BankError(f"account {name} already exists")
        self.balances[name] = Decimal("0.00")

    def balance(self, name: str) -> Decimal:
        """The balance of an existing account."""
        if name not in self.balances:
            raise BankError(f"no account {name}")
        return self.balances[name]

    def active(self, name: str) -> Decimal:
        """The balance of an existing account that is not closed."""
        balance = self.balance(name)
        if name in self.closed:
            raise BankError(f"account {name} is closed")
        return balance

    def close(self, name: str) -> None:
        """Close an account whose balance is zero; it keeps its history."""
        if self.active(name) != 0:
            raise BankError(f"account {name} still holds {self.balances[name]:.2f}")
        self.closed.add(name)

    def _record(self, name: str, kind: str, amount: Decimal) -> Decimal:
        self.balances[name] = self.balances[name] + amount
        self.transactions.append(Transaction(len(self.transactions) + 1, name, kind, amount, self.balances[name]))
        return self.balances[name]

    def deposit(self, name: str, amount: object) -> Decimal:
        """Add money; the new balance."""
        value = _amount(amount)
        self.active(name)
        return self._record(name, "deposit", value)

    def withdraw(self, name: str, amount: object) -> Decimal:
        """Take money out, never below zero; the new balance."""
        value = _amount(amount)
        if value > self.active(name):
            raise BankError(f"insufficient funds in {name}")
        return self._record(name, "withdraw", -value)

    def transfer(self, source: str, target: str, amount: object) -> Decimal:
        """Move money between two existing, different accounts; every check happens first."""
        value = _amount(amount)
        if source == target:
            raise BankError("cannot transfer to the same account")
        available, _ = self.active(source), self.active(target)
        if value > available:
            raise BankError(f"insufficient funds in {source}")
        self._record(source, "transfer-out", -value)
        self._record(target, "transfer-in", value)
        return value

    def statement(self, name: str) -> list[Transaction]:
        """The account's transactions in order."""
        self.balance(name)
        return [t for t in self.transactions if t.account == name]


def _amount(amount: object) -> Decimal:
    try:
        return parse_amount(amount)
    except AmountError as exc:
        raise BankError(str(exc)) from None
