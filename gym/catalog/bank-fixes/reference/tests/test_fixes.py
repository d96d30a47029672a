import json
from decimal import Decimal

import pytest

from bank.accounts import Bank, BankError


def test_money_is_exact(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    bank.deposit("ann", "0.1")
    assert bank.deposit("ann", "0.2") == Decimal("0.30")


def test_a_refused_transfer_changes_nothing(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    bank.deposit("ann", "5")
    with pytest.raises(BankError, match="no account bob"):
        bank.transfer("ann", "bob", "3")
    assert bank.balances == {"ann": Decimal("5.00")}
    assert len(bank.transactions) == 1


def test_first_version_files_load_rounded_to_cents(tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"ann": 0.30000000000000004}))
    assert Bank(path).balance("ann") == Decimal("0.30")


def test_statement_lists_signed_amounts_with_running_balance(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    bank.open("bob")
    bank.deposit("ann", "10")
    bank.transfer("ann", "bob", "4")
    assert [(t.kind, t.amount, t.balance) for t in bank.statement("ann")] == [
        ("deposit", Decimal("10.00"), Decimal("10.00")), ("transfer-out", Decimal("-4.00"), Decimal("6.00"))]
