"""Grade arithmetic every version must keep."""

from grades.calc import by_student, percent
from grades.loader import Score


def test_percent_is_points_over_possible():
    scores = [Score("ann", "hw1", 8, 10), Score("ann", "exam", 45, 50)]
    assert percent(scores) == 88.33333333333333


def test_students_are_grouped_in_name_order():
    scores = [Score("bob", "a", 1, 2), Score("ann", "a", 2, 2), Score("bob", "b", 2, 2)]
    assert list(by_student(scores)) == ["ann", "bob"]
    assert len(by_student(scores)["bob"]) == 2
