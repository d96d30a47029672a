import pytest

from todo.store import TodoError, TodoList


def test_ids_survive_reload_and_are_not_reused(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    todos.add("a")
    todos.add("b")
    todos.remove(2)
    todos.save()
    assert TodoList(tmp_path / "t.json").add("c").id == 3


def test_blank_text_and_unknown_ids_are_errors(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    with pytest.raises(TodoError):
        todos.add("   ")
    with pytest.raises(TodoError):
        todos.find(7)


def test_damaged_file_is_a_todo_error(tmp_path):
    (tmp_path / "t.json").write_text("{{{")
    with pytest.raises(TodoError, match="damaged"):
        TodoList(tmp_path / "t.json")


def test_clear_removes_only_done_items(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    for text in "abc":
        todos.add(text)
    todos.find(2).done = True
    assert todos.clear_done() == 1
    assert [i.text for i in todos.items] == ["a", "c"]


def test_pending_items_list_by_priority_and_done_items_last(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    todos.add("a", "low")
    todos.add("b")
    todos.add("c", "high")
    todos.find(3).done = True
    assert [i.text for i in todos.ordered()] == ["b", "a", "c"]


def test_unknown_priority_is_refused(tmp_path):
    with pytest.raises(TodoError, match="priority"):
        TodoList(tmp_path / "t.json").add("a", "urgent")
