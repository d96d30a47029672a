"""Account rules every version must keep."""

import pytest

from bank.accounts import Bank, BankError


def test_deposit_and_withdraw_change_the_balance(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    bank.deposit("ann", 50)
    bank.withdraw("ann", 20)
    assert bank.balances["ann"] == 30


def test_overdraft_is_refused(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    with pytest.raises(BankError):
        bank.withdraw("ann", 1)


def test_accounts_must_exist_and_be_unique(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    with pytest.raises(BankError):
        bank.open("ann")
    with pytest.raises(BankError):
        bank.deposit("bob", 5)
