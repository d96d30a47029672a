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
