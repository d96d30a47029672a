"""Filter expressions inside ``[?( ... )]``: parsing and evaluation.

Grammar::

    or      := and ('||' and)*
    and     := unary ('&&' unary)*
    unary   := '!' unary | '(' or ')' | compare
    compare := operand (OP operand)?
    operand := '@' step* | NUMBER | STRING | true | false | null
    step    := '.' NAME | '[' (STRING | INT) ']'
"""

from dataclasses import dataclass

MISSING = object()  # a path that does not resolve; every comparison with it is false
OPERATORS = ("==", "!=", "<=", ">=", "<", ">")


@dataclass(frozen=True)
class Path:
    """``@`` followed by member names / indices."""

    steps: tuple


@dataclass(frozen=True)
class Literal:
    """A constant operand."""

    value: object


@dataclass(frozen=True)
class Compare:
    """``left OP right``."""

    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Exists:
    """A bare path: true when it resolves."""

    path: Path


@dataclass(frozen=True)
class Not:
    """``!expr``."""

    operand: object


@dataclass(frozen=True)
class Logical:
    """``&&`` / ``||`` over two expressions."""

    op: str
    left: object
    right: object


def parse_filter(parser) -> object:
    """Parse a filter expression using the query parser's cursor (it shares text and position)."""
    return _or(parser)


def _or(p) -> object:
    node = _and(p)
    while _eat(p, "||"):
        node = Logical("||", node, _and(p))
    return node


def _and(p) -> object:
    node = _unary(p)
    while _eat(p, "&&"):
        node = Logical("&&", node, _unary(p))
    return node


def _unary(p) -> object:
    if _eat(p, "!") and not p.peek() == "=":
        return Not(_unary(p))
    if _eat(p, "("):
        node = _or(p)
        p.skip_spaces()
        p.expect(")")
        return node
    return _compare(p)


def _compare(p) -> object:
    left = _operand(p)
    p.skip_spaces()
    op = next((o for o in OPERATORS if p.text.startswith(o, p.pos)), None)
    if op is None:
        if not isinstance(left, Path):
            raise p.error("a literal alone is not a condition")
        return Exists(left)
    p.pos += len(op)
    return Compare(op, left, _operand(p))


def _operand(p) -> object:
    p.skip_spaces()
    if _eat(p, "@"):
        return Path(tuple(_steps(p)))
    if p.peek() in ("'", '"'):
        return Literal(p.string())
    for word, value in (("true", True), ("false", False), ("null", None)):
        if _eat(p, word):
            return Literal(value)
    return Literal(_number(p))


def _steps(p) -> list:
    steps = []
    while True:
        if p.peek() == "." and p.peek(2) != "..":
            p.pos += 1
            steps.append(p.dot_selector().name)
        elif p.peek() == "[":
            p.pos += 1
            p.skip_spaces()
            steps.append(p.string() if p.peek() in ("'", '"') else p.integer())
            p.skip_spaces()
            p.expect("]")
        else:
            return steps


def _number(p) -> float:
    start = p.pos
    while p.pos < len(p.text) and (p.text[p.pos].isdigit() or p.text[p.pos] in "-+.eE"):
        p.pos += 1
    try:
        return float(p.text[start:p.pos]) if p.pos > start else _fail(p)
    except ValueError:
        p.pos = start
        raise p.error("expected a number") from None


def _fail(p):
    raise p.error("expected a value")


def _eat(p, token: str) -> bool:
    p.skip_spaces()
    return p.eat(token)


def resolve(path: Path, node: object) -> object:
    """The value at ``path`` below ``node``, or MISSING."""
    for step in path.steps:
        if isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(step, int) and isinstance(node, list) and -len(node) <= step < len(node):
            node = node[step]
        else:
            return MISSING
    return node


def _value(operand: object, node: object) -> object:
    return resolve(operand, node) if isinstance(operand, Path) else operand.value


def _comparable(a: object, b: object) -> bool:
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
    return numbers or (isinstance(a, str) and isinstance(b, str))


def compare(op: str, a: object, b: object) -> bool:
    """Compare two values; missing values and mixed types are simply false."""
    if a is MISSING or b is MISSING:
        return False
    if op in ("==", "!="):
        same = _comparable(a, b) and a == b or (type(a) is type(b) and a == b)
        return same if op == "==" else not same
    if not _comparable(a, b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def holds(expr: object, node: object) -> bool:
    """Whether the filter is true for ``node``."""
    if isinstance(expr, Logical):
        if expr.op == "&&":
            return holds(expr.left, node) and holds(expr.right, node)
        return holds(expr.left, node) or holds(expr.right, node)
    if isinstance(expr, Not):
        return not holds(expr.operand, node)
    if isinstance(expr, Exists):
        return resolve(expr.path, node) is not MISSING
    return compare(expr.op, _value(expr.left, node), _value(expr.right, node))
