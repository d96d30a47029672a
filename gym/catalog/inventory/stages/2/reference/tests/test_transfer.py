import json

import pytest

from inventory.errors import DatabaseError
from inventory.transfer import from_document, to_document


def test_document_round_trip_is_exact(small_db):
    db = small_db
    doc = json.loads(json.dumps(to_document(db.suppliers, db.items, db.movements)))
    assert from_document(doc, "x") == (db.suppliers, db.items, db.movements)


def test_movement_below_zero_is_rejected(small_db):
    db = small_db
    doc = to_document(db.suppliers, db.items, db.movements)
    doc["movements"].append({"seq": 3, "sku": "B-2", "qty": -5, "note": ""})
    with pytest.raises(DatabaseError, match="below zero"):
        from_document(doc, "x")
