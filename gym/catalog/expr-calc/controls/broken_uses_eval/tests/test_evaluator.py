import pytest

from calc.errors import CalcMathError
from calc.evaluator import evaluate, format_number
from calc.parser import parse


def value(text):
    return format_number(evaluate(parse(text)))


def test_precedence_and_parentheses():
    assert value("2 + 3 * 4") == "14"
    assert value("(2 + 3) * 4") == "20"


def test_right_associative_power():
    assert value("2 ^ 3 ^ 2") == "512"


def test_division_by_zero_is_a_math_error():
    with pytest.raises(CalcMathError):
        value("1 / 0")
