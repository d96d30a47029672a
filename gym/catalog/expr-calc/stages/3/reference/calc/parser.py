"""Recursive-descent parser producing a small AST.

Grammar (lowest precedence first)::

    program := statement (';' statement)* ';'?
    statement := NAME '=' expr | expr
    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '%') unary)*
    unary   := ('-' | '+') unary | power
    power   := primary ('^' unary)?        # right-associative, binds tighter than unary minus
    primary := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
"""

from dataclasses import dataclass

from calc.errors import CalcSyntaxError
from calc.lexer import Token, tokenize

FUNCTIONS = ("sqrt", "abs", "min", "max")


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Name:
    """A reference to a variable."""

    name: str


@dataclass(frozen=True)
class Call:
    """A function applied to its arguments."""

    name: str
    args: tuple


@dataclass(frozen=True)
class Assign:
    """``name = value``; its own value is the assigned value."""

    name: str
    value: object


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

    def program(self) -> list[object]:
        """program := statement (';' statement)* ';'?"""
        statements = [self.statement()]
        while self.peek().kind == "SEMI":
            self.advance()
            if self.peek().kind == "END":
                break
            statements.append(self.statement())
        return statements

    def statement(self) -> object:
        """statement := NAME '=' expr | expr"""
        token = self.peek()
        if token.kind == "NAME" and self.tokens[self.pos + 1].kind == "ASSIGN":
            if token.value in FUNCTIONS:
                raise CalcSyntaxError(f"cannot assign to function '{token.value}' at column {token.column}")
            self.pos += 2
            return Assign(token.value, self.expr())
        return self.expr()

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
        if token.kind == "NAME":
            if self.peek().kind == "LPAREN":
                return self.call(token)
            return Name(token.value)
        if token.kind == "LPAREN":
            node = self.expr()
            self.expect("RPAREN")
            return node
        raise unexpected(token)

    def call(self, name: Token) -> Call:
        """NAME '(' expr (',' expr)* ')'"""
        if name.value not in FUNCTIONS:
            raise CalcSyntaxError(f"unknown function '{name.value}' at column {name.column}")
        self.expect("LPAREN")
        args = [self.expr()]
        while self.peek().kind == "COMMA":
            self.advance()
            args.append(self.expr())
        self.expect("RPAREN")
        return Call(name.value, tuple(args))

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
    """Parse one expression into an AST; CalcSyntaxError on bad input."""
    parser = Parser(tokenize(text))
    node = parser.expr()
    if parser.peek().kind != "END":
        raise unexpected(parser.peek())
    return node


def parse_program(text: str) -> list[object]:
    """Parse ``;``-separated statements; CalcSyntaxError on bad input."""
    parser = Parser(tokenize(text))
    statements = parser.program()
    if parser.peek().kind != "END":
        raise unexpected(parser.peek())
    return statements


def to_prefix(node: object) -> str:
    """The fully parenthesized prefix form of a tree: ``(+ 2 (* 3 4))``."""
    if isinstance(node, Num):
        return format_literal(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"({node.name} {' '.join(to_prefix(a) for a in node.args)})"
    if isinstance(node, Assign):
        return f"(= {node.name} {to_prefix(node.value)})"
    if isinstance(node, Unary):
        name = "neg" if node.op == "-" else "pos"
        return f"({name} {to_prefix(node.operand)})"
    return f"({node.op} {to_prefix(node.left)} {to_prefix(node.right)})"


def format_literal(value: float) -> str:
    """A literal as written: whole numbers without a decimal point."""
    return str(int(value)) if value.is_integer() else repr(value)
