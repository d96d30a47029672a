from notes.search import find_notes


def test_every_word_must_appear_in_any_case():
    notes = [{"id": 1, "text": "Buy milk and eggs"}, {"id": 2, "text": "buy bread"}]
    assert [n["id"] for n in find_notes(notes, "BUY eggs")] == [1]
    assert [n["id"] for n in find_notes(notes, "buy")] == [1, 2]
