from kv.commands import execute
from kv.store import Store


def test_count_sees_uncommitted_values():
    store = Store()
    for line in ["SET a x", "BEGIN", "SET b x"]:
        execute(store, line)
    assert execute(store, "COUNT x") == "2"


def test_missing_key_reads_null_and_delete_of_missing_is_quiet():
    store = Store()
    assert execute(store, "GET nope") == "NULL"
    assert execute(store, "DELETE nope") is None


def test_incr_counts_from_zero_and_refuses_text():
    store = Store()
    assert execute(store, "INCR hits") == "1"
    assert execute(store, "INCR hits 5") == "6"
    execute(store, "SET name bob")
    assert execute(store, "INCR name") == "ERR not an integer"
    assert store.get("name") == "bob"


def test_keys_are_sorted_and_see_transactions():
    store = Store()
    execute(store, "SET b 1")
    execute(store, "BEGIN")
    execute(store, "SET a 2")
    assert execute(store, "KEYS") == "a b"
