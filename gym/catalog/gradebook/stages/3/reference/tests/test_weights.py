import pytest

from grades.letters import letter_for
from grades.loader import GradesError, Score
from grades.weights import parse_weights, weighted_percent


def test_missing_categories_renormalize_the_weights():
    scores = [Score("a", "h", 8, 10, "homework"), Score("a", "e", 46, 50, "exam")]
    weights = parse_weights("homework=30,exam=50,quiz=20")
    assert weighted_percent(scores, weights) == pytest.approx(87.5)


def test_unweighted_category_and_bad_weights_are_errors():
    with pytest.raises(GradesError, match="quiz"):
        weighted_percent([Score("a", "q", 1, 1, "quiz")], {"exam": 1.0})
    with pytest.raises(GradesError):
        parse_weights("exam=0")


def test_letter_boundaries():
    assert [letter_for(p) for p in (90, 89.9, 80, 70, 60, 59.9)] == ["A", "B", "B", "C", "D", "F"]
