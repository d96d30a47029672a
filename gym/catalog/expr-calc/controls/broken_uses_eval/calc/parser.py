"""Recursive-descent parser producing a small AST.

Grammar (lowest precedence first)::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '%') unary)*
    unary   := ('-' | '+') unary | power
    power   := primary ('^' unary)?        # right-associative, binds tighter than unary minus
    primary := NUMBER | '(' expr ')'
"""

from dataclasses import dataclass

from calc.errors import CalcSyntaxError
from calc.lexer import Token, tokenize


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Unary:
    """A prefix operator applied to one operand."""

    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    """An infix operator applied to two operands."""

    op: str
    left: object
    right: object


class Parser:
    """Consumes a token list; one method per grammar rule."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token:
        """The current token."""
        return self.tokens[self.pos]

    def advance(self) -> Token:
        """Consume and return the current token."""
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at_op(self, ops: str) -> bool:
        """Whether the current token is one of the operators in ``ops``."""
        token = self.peek()
        return token.kind == "OP" and token.value in ops

    def expr(self) -> object:
        """expr := term (('+' | '-') term)*"""
        node = self.term()
        while self.at_op("+-"):
            op = self.advance().value
            node = Binary(op, node, self.term())
        return node

    def term(self) -> object:
        """term := unary (('*' | '/' | '%') unary)*"""
        node = self.unary()
        while self.at_op("*/%"):
            op = self.advance().value
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> object:
        """unary := ('-' | '+') unary | power"""
        if self.at_op("+-"):
            op = self.advance().value
            return Unary(op, self.unary())
        return self.power()

    def power(self) -> object:
        """power := primary ('^' unary)? — recursion on the right makes ^ right-associative."""
        base = self.primary()
        if self.at_op("^"):
            self.advance()
            return Binary("^", base, self.unary())
        return base

    def primary(self) -> object:
        """primary := NUMBER | '(' expr ')'"""
        token = self.advance()
        if token.kind == "NUMBER":
            return Num(float(token.value))
        if token.kind == "LPAREN":
            node = self.expr()
            self.expect("RPAREN")
            return node
        raise unexpected(token)

    def expect(self, kind: str) -> Token:
        """Consume a token of ``kind`` or fail with its column."""
        token = self.advance()
        if token.kind != kind:
            raise unexpected(token)
        return token


def unexpected(token: Token) -> CalcSyntaxError:
    """The error for a token that does not fit the grammar here."""
    if token.kind == "END":
        return CalcSyntaxError(f"unexpected end of input at column {token.column}")
    return CalcSyntaxError(f"unexpected token '{token.value}' at column {token.column}")


def parse(text: str) -> object:
    """Parse ``text`` into an AST; CalcSyntaxError on bad input."""
    parser = Parser(tokenize(text))
    node = parser.expr()
    if parser.peek().kind != "END":
        raise unexpected(parser.peek())
    return node


def to_prefix(node: object) -> str:
    """The fully parenthesized prefix form of a tree: ``(+ 2 (* 3 4))``."""
    if isinstance(node, Num):
        return format_literal(node.value)
    if isinstance(node, Unary):
        name = "neg" if node.op == "-" else "pos"
        return f"({name} {to_prefix(node.operand)})"
    return f"({node.op} {to_prefix(node.left)} {to_prefix(node.right)})"


def format_literal(value: float) -> str:
    """A literal as written: whole numbers without a decimal point."""
    return str(int(value)) if value.is_integer() else repr(value)
