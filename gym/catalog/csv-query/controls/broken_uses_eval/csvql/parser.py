"""Recursive-descent parser for::

    query     := SELECT columns FROM IDENT [WHERE or] [ORDER BY order (',' order)*] [LIMIT NUMBER]
    columns   := '*' | IDENT (',' IDENT)*
    order     := IDENT [ASC | DESC]
    or        := and (OR and)*
    and       := not (AND not)*
    not       := NOT not | '(' or ')' | compare
    compare   := IDENT OP (NUMBER | STRING | IDENT)
"""

from dataclasses import dataclass, field

from csvql.errors import QuerySyntaxError
from csvql.lexer import Token, tokenize


@dataclass(frozen=True)
class Compare:
    """``column OP value``; ``value_is_column`` when the right side names a column."""

    column: str
    op: str
    value: object
    value_is_column: bool = False


@dataclass(frozen=True)
class BoolOp:
    """AND / OR of two conditions."""

    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    """NOT condition."""

    operand: object


@dataclass
class Query:
    """A parsed SELECT."""

    columns: list[str] | None  # None means *
    source: str
    where: object | None = None
    order_by: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    limit: int | None = None


class Parser:
    """One method per grammar rule over the token list."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> Token:
        """The current token."""
        return self.tokens[self.pos]

    def take(self, kind: str, value: str | None = None) -> Token:
        """Consume a token of ``kind`` (and ``value``) or fail at its column."""
        token = self.peek()
        if token.kind != kind or (value is not None and token.value != value):
            wanted = value or kind.lower()
            found = token.value or "end of query"
            raise QuerySyntaxError(f"expected {wanted}, found '{found}'", token.column)
        self.pos += 1
        return token

    def accept(self, kind: str, value: str | None = None) -> bool:
        """Consume the token when it matches."""
        token = self.peek()
        if token.kind == kind and (value is None or token.value == value):
            self.pos += 1
            return True
        return False

    def query(self) -> Query:
        """query := SELECT columns FROM IDENT [WHERE ...] [ORDER BY ...] [LIMIT n]"""
        self.take("KEYWORD", "SELECT")
        columns = None if self.accept("STAR") else self.names()
        self.take("KEYWORD", "FROM")
        query = Query(columns, self.take("IDENT").value)
        if self.accept("KEYWORD", "WHERE"):
            query.where = self.or_()
        if self.accept("KEYWORD", "ORDER"):
            self.take("KEYWORD", "BY")
            query.order_by = [self.order()]
            while self.accept("COMMA"):
                query.order_by.append(self.order())
        if self.accept("KEYWORD", "LIMIT"):
            token = self.take("NUMBER")
            if not token.value.isdigit():
                raise QuerySyntaxError("LIMIT needs a whole number", token.column)
            query.limit = int(token.value)
        self.take("END")
        return query

    def names(self) -> list[str]:
        """IDENT (',' IDENT)*"""
        names = [self.take("IDENT").value]
        while self.accept("COMMA"):
            names.append(self.take("IDENT").value)
        return names

    def order(self) -> tuple[str, bool]:
        """IDENT [ASC | DESC]"""
        name = self.take("IDENT").value
        if self.accept("KEYWORD", "DESC"):
            return name, True
        self.accept("KEYWORD", "ASC")
        return name, False

    def or_(self) -> object:
        """or := and (OR and)*"""
        node = self.and_()
        while self.accept("KEYWORD", "OR"):
            node = BoolOp("OR", node, self.and_())
        return node

    def and_(self) -> object:
        """and := not (AND not)*"""
        node = self.not_()
        while self.accept("KEYWORD", "AND"):
            node = BoolOp("AND", node, self.not_())
        return node

    def not_(self) -> object:
        """not := NOT not | '(' or ')' | compare"""
        if self.accept("KEYWORD", "NOT"):
            return Not(self.not_())
        if self.accept("LPAREN"):
            node = self.or_()
            self.take("RPAREN")
            return node
        return self.compare()

    def compare(self) -> Compare:
        """compare := IDENT OP (NUMBER | STRING | IDENT)"""
        column = self.take("IDENT").value
        op = self.take("OP").value
        token = self.peek()
        if token.kind == "NUMBER":
            self.pos += 1
            return Compare(column, op, float(token.value))
        if token.kind == "STRING":
            self.pos += 1
            return Compare(column, op, token.value)
        return Compare(column, op, self.take("IDENT").value, value_is_column=True)


def parse_query(text: str) -> Query:
    """Parse a SELECT query; QuerySyntaxError naming the column on bad input."""
    return Parser(text).query()
