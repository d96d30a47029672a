from calc.parser import parse, to_prefix


def test_multiplication_binds_tighter_than_addition():
    assert to_prefix(parse("2 + 3 * 4")) == "(+ 2 (* 3 4))"


def test_power_is_right_associative():
    assert to_prefix(parse("2 ^ 3 ^ 2")) == "(^ 2 (^ 3 2))"


def test_unary_minus_applies_after_power():
    assert to_prefix(parse("-2 ^ 2")) == "(neg (^ 2 2))"
