import pytest

from inventory.db import Database
from inventory.errors import InputError, StockError
from inventory.service import add_item, add_supplier, receive, ship


@pytest.fixture
def db():
    db = Database()
    add_supplier(db, "acme", "Acme Ltd", "sales@acme.test")
    add_item(db, "WID-1", "Widget", "Parts", "2.50", "5", "acme")
    return db


def test_stock_is_the_sum_of_movements(db):
    assert receive(db, "WID-1", "10") == 10
    assert ship(db, "WID-1", "4") == 6
    assert [m.seq for m in db.movements] == [1, 2]


def test_cannot_ship_more_than_on_hand(db):
    receive(db, "WID-1", "3")
    with pytest.raises(StockError, match="only 3 in stock"):
        ship(db, "WID-1", "5")


def test_duplicates_unknown_suppliers_and_bad_numbers_are_refused(db):
    with pytest.raises(InputError, match="already exists"):
        add_item(db, "WID-1", "Again", "parts", "1")
    with pytest.raises(InputError, match="unknown supplier"):
        add_item(db, "WID-2", "Gadget", "parts", "1", supplier="nobody")
    with pytest.raises(InputError):
        add_item(db, "WID-3", "Gadget", "parts", "1.999")
    with pytest.raises(InputError):
        receive(db, "WID-1", "0")
