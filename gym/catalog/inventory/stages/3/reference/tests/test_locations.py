import pytest

from inventory.errors import StockError
from inventory.reports import movement_report
from inventory.service import move, receive, ship
from inventory.transfer import from_document, to_document


def test_stock_is_kept_per_location(small_db):
    receive(small_db, "A-1", "5", location="east")
    with pytest.raises(StockError, match="at east: only 5"):
        ship(small_db, "A-1", "6", location="east")
    assert small_db.locations("A-1") == {"east": 5, "main": 30}


def test_moves_are_not_counted_as_received_or_shipped(small_db):
    move(small_db, "A-1", "10", "main", "east")
    assert movement_report(small_db)[1][0] == ["A-1", 30, 0, 30]
    assert small_db.locations("A-1") == {"east": 10, "main": 20}


def test_version_1_documents_put_movements_at_main(small_db):
    doc = to_document(small_db.suppliers, small_db.items, small_db.movements)
    doc["version"] = 1
    for movement in doc["movements"]:
        del movement["location"]
    _, _, movements = from_document(doc, "v1")
    assert {m.location for m in movements} == {"main"}
