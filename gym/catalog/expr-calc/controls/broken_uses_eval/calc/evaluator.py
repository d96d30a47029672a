"""Evaluate a parsed tree and format results."""

import math

from calc.errors import CalcMathError
from calc.parser import Binary, Num, Unary

PYTHON_OPS = {"+": "+", "-": "-", "*": "*", "/": "/", "%": "%", "^": "**"}


def evaluate(node: object) -> float:
    """The value of ``node``; CalcMathError when it is undefined."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Unary):
        value = evaluate(node.operand)
        return -value if node.op == "-" else value
    if isinstance(node, Binary):
        return apply_binary(node.op, evaluate(node.left), evaluate(node.right))
    raise TypeError(f"not an expression node: {node!r}")


def apply_binary(op: str, left: float, right: float) -> float:
    """Apply one infix operator."""
    if op in "/%" and right == 0:
        raise CalcMathError("division by zero")
    try:
        # Python's own operators do the arithmetic; ^ is spelled ** there.
        result = eval(f"a {PYTHON_OPS[op]} b", {"__builtins__": {}}, {"a": left, "b": right})
    except OverflowError:
        raise CalcMathError("result too large") from None
    if isinstance(result, complex):
        raise CalcMathError("result is not a real number")
    return result


def format_number(value: float) -> str:
    """Whole numbers without a decimal point, others with up to 10 significant digits."""
    if math.isinf(value) or math.isnan(value):
        raise CalcMathError("result too large")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".10g")
