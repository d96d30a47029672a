from notes.store import NoteStore


def test_add_stores_normalised_tags(tmp_path):
    note = NoteStore(tmp_path / "notes.json").add("x", ["A", "a", "b"])
    assert note["labels"] == ["a", "b"]
