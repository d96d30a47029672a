import pytest

from todo.store import TodoError, TodoList


def test_ids_are_not_reused(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    todos.add("a")
    todos.add("b")
    todos.remove(2)
    assert todos.add("c").id == 3


def test_blank_text_and_unknown_ids_are_errors(tmp_path):
    todos = TodoList(tmp_path / "t.json")
    with pytest.raises(TodoError):
        todos.add("   ")
    with pytest.raises(TodoError):
        todos.find(7)
