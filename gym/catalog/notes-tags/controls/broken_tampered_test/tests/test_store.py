"""Behaviour of the note store that every later version must keep."""

from notes.store import NoteStore


def test_added_notes_get_increasing_ids(tmp_path):
    store = NoteStore(tmp_path / "notes.json")
    assert store.add("first")["id"] >= 1


def test_notes_survive_reopening(tmp_path):
    NoteStore(tmp_path / "notes.json").add("kept")
    assert NoteStore(tmp_path / "notes.json").all()
