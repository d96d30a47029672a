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


def test_names_and_functions():
    from calc.evaluator import evaluate_program
    from calc.parser import parse_program

    assert evaluate_program(parse_program("x = 3; y = x ^ 2; max(y, 1) + sqrt(4)")) == 11


def test_unknown_name_is_a_math_error():
    from calc.evaluator import evaluate_program
    from calc.parser import parse_program

    with pytest.raises(CalcMathError, match="unknown name 'z'"):
        evaluate_program(parse_program("z + 1"))
