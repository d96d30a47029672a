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
