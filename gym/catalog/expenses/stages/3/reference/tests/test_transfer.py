import json
from decimal import Decimal

import pytest

from expenses.ledger import Expense, LedgerError
from expenses.transfer import export_json, parse_export


def test_json_export_round_trips(tmp_path):
    rows = [Expense(Decimal("1.50"), "food", "x"), Expense(Decimal("2.00"), "bus")]
    path = tmp_path / "e.json"
    path.write_text(export_json(rows))
    assert parse_export(path) == rows


def test_one_bad_row_rejects_the_file(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps([{"amount": "1", "category": "a"}, {"amount": "-2", "category": "b"}]))
    with pytest.raises(LedgerError, match="row 2"):
        parse_export(path)
