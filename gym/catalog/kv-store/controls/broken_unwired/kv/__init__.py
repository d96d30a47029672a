"""kv: a key-value store shell with nested transactions, persisted to kv.json in the cwd."""
