import json

from notes.store import NoteStore


def test_deleted_ids_are_never_reused(tmp_path):
    store = NoteStore(tmp_path / "notes.json")
    store.add("a")
    store.add("b")
    store.delete(2)
    assert NoteStore(tmp_path / "notes.json").add("c")["id"] == 3


def test_first_version_files_still_load(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text(json.dumps([{"id": 4, "text": "legacy"}]))
    store = NoteStore(path)
    assert store.add("new")["id"] == 5
    assert [n["text"] for n in store.all()] == ["legacy", "new"]
