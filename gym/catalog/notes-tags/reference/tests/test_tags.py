from notes.tags import filter_by_tag, normalize_tags, tag_counts


def test_tags_are_lowercased_and_deduplicated_in_order():
    assert normalize_tags(["Home", " shop ", "home", ""]) == ["home", "shop"]


def test_filter_and_count_ignore_untagged_legacy_notes():
    notes = [{"id": 1, "text": "old"}, {"id": 2, "text": "a", "tags": ["x", "y"]},
             {"id": 3, "text": "b", "tags": ["y"]}]
    assert [n["id"] for n in filter_by_tag(notes, "Y")] == [2, 3]
    assert tag_counts(notes) == [("y", 2), ("x", 1)]
