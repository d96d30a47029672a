"""Evaluate a parsed tree and format results."""

import math

from calc.errors import CalcMathError
from calc.parser import Assign, Binary, Call, Name, Num, Unary


def evaluate(node: object, env: dict[str, float] | None = None) -> float:
    """The value of ``node`` with names looked up (and assigned) in ``env``."""
    env = {} if env is None else env
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        if node.name not in env:
            raise CalcMathError(f"unknown name '{node.name}'")
        return env[node.name]
    if isinstance(node, Assign):
        env[node.name] = evaluate(node.value, env)
        return env[node.name]
    if isinstance(node, Call):
        return call_function(node.name, [evaluate(a, env) for a in node.args])
    if isinstance(node, Unary):
        value = evaluate(node.operand, env)
        return -value if node.op == "-" else value
    if isinstance(node, Binary):
        return apply_binary(node.op, evaluate(node.left, env), evaluate(node.right, env))
    raise TypeError(f"not an expression node: {node!r}")


def evaluate_program(statements: list[object], env: dict[str, float] | None = None) -> float:
    """Evaluate statements in order; the value of the last one."""
    env = {} if env is None else env
    value = 0.0
    for statement in statements:
        value = evaluate(statement, env)
    return value


def call_function(name: str, args: list[float]) -> float:
    """Apply a built-in function."""
    if name in ("min", "max"):
        return min(args) if name == "min" else max(args)
    if len(args) != 1:
        raise CalcMathError(f"{name} takes exactly one argument")
    if name == "abs":
        return abs(args[0])
    if args[0] < 0:
        raise CalcMathError("sqrt of negative number")
    return math.sqrt(args[0])


def apply_binary(op: str, left: float, right: float) -> float:
    """Apply one infix operator."""
    if op in "/%" and right == 0:
        raise CalcMathError("division by zero")
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "%":
            return left % right
        result = left**right
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
