"""Behaviour of the note store that every later version must keep."""

from notes.store import NoteStore


def test_added_notes_get_increasing_ids(tmp_path):
    store = NoteStore(tmp_path / "notes.json")
    assert store.add("first")["id"] == 1
    assert store.add("second")["id"] == 2


def test_notes_survive_reopening(tmp_path):
    NoteStore(tmp_path / "notes.json").add("kept")
    assert [n["text"] for n in NoteStore(tmp_path / "notes.json").all()] == ["kept"]


def test_delete_reports_missing_ids(tmp_path):
    store = NoteStore(tmp_path / "notes.json")
    store.add("a")
    assert store.delete(1) is True
    assert store.delete(1) is False
    assert store.all() == []
