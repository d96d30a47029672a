import pytest

from kv.store import NoTransaction, Store


def test_nested_rollback_undoes_only_the_innermost_transaction():
    store = Store()
    store.set("a", "10")
    store.begin()
    store.set("a", "20")
    store.begin()
    store.set("a", "30")
    store.rollback()
    assert store.get("a") == "20"
    store.rollback()
    assert store.get("a") == "10"


def test_commit_applies_all_open_transactions():
    store = Store()
    store.begin()
    store.set("a", "1")
    store.begin()
    store.delete("a")
    store.commit()
    assert store.get("a") is None
    assert not store.in_transaction


def test_rollback_without_transaction_raises():
    with pytest.raises(NoTransaction):
        Store().rollback()
