import pytest

from inventory.db import Database
from inventory.service import add_item, add_supplier, receive


@pytest.fixture
def small_db():
    """Two categories, one supplier, stock received for both items."""
    db = Database()
    add_supplier(db, "acme", "Acme Ltd", "sales@acme.test")
    add_item(db, "A-1", "Bolt", "hardware", "0.10", "50", "acme")
    add_item(db, "B-2", "Drill", "tools", "45.00")
    receive(db, "A-1", "30")
    receive(db, "B-2", "2")
    return db
