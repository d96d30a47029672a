import pytest

from bank.accounts import Bank, BankError


def test_only_empty_accounts_close_and_closed_ones_refuse_money(tmp_path):
    bank = Bank(tmp_path / "bank.json")
    bank.open("ann")
    bank.deposit("ann", "1")
    with pytest.raises(BankError, match="still holds 1.00"):
        bank.close("ann")
    bank.withdraw("ann", "1")
    bank.close("ann")
    with pytest.raises(BankError, match="closed"):
        bank.deposit("ann", "1")
    assert Bank(tmp_path / "bank.json").closed == set() and "ann" in bank.closed
