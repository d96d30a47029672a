"""Parse a JSONPath query into segments.

Grammar::

    query     := '$' segment*
    segment   := '.' (NAME | '*') | '..' (NAME | '*' | bracket) | bracket
    bracket   := '[' selector (',' selector)* ']'
    selector  := STRING | INT | [INT] ':' [INT] [':' [INT]] | '*'
"""

from dataclasses import dataclass

from jpath.errors import QuerySyntaxError


@dataclass(frozen=True)
class Name:
    """Select an object member."""

    name: str


@dataclass(frozen=True)
class Index:
    """Select an array element; negative counts from the end."""

    index: int


@dataclass(frozen=True)
class Slice:
    """Select array elements start:stop:step with Python semantics."""

    start: int | None
    stop: int | None
    step: int | None


@dataclass(frozen=True)
class Wildcard:
    """Select every member value or element."""


@dataclass(frozen=True)
class Segment:
    """Selectors applied to each node (children) or to each node and its descendants."""

    selectors: tuple
    recursive: bool = False


class QueryParser:
    """Recursive-descent parser over the query text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str) -> QuerySyntaxError:
        """An error at the current position."""
        return QuerySyntaxError(message, self.pos + 1)

    def peek(self, n: int = 1) -> str:
        """The next ``n`` characters."""
        return self.text[self.pos:self.pos + n]

    def eat(self, token: str) -> bool:
        """Consume ``token`` when it comes next."""
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        """Consume ``token`` or fail."""
        if not self.eat(token):
            raise self.error(f"expected '{token}'")

    def skip_spaces(self) -> None:
        """Spaces are allowed inside brackets only."""
        while self.peek() == " ":
            self.pos += 1

    def query(self) -> list[Segment]:
        """query := '$' segment*"""
        self.expect("$")
        segments = []
        while self.pos < len(self.text):
            segments.append(self.segment())
        return segments

    def segment(self) -> Segment:
        """One '.name', '..name', '.*' or '[...]'."""
        if self.eat(".."):
            if self.peek() == "[":
                return Segment(self.bracket(), recursive=True)
            return Segment((self.dot_selector(),), recursive=True)
        if self.eat("."):
            return Segment((self.dot_selector(),))
        if self.peek() == "[":
            return Segment(self.bracket())
        raise self.error(f"unexpected '{self.peek()}'")

    def dot_selector(self) -> object:
        """NAME or '*' after a dot."""
        if self.eat("*"):
            return Wildcard()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_-"):
            self.pos += 1
        if start == self.pos or self.text[start].isdigit():
            raise self.error("expected a member name")
        return Name(self.text[start:self.pos])

    def bracket(self) -> tuple:
        """'[' selector (',' selector)* ']'"""
        self.expect("[")
        selectors = [self.selector()]
        self.skip_spaces()
        while self.eat(","):
            selectors.append(self.selector())
            self.skip_spaces()
        self.expect("]")
        return tuple(selectors)

    def selector(self) -> object:
        """A quoted name, an index, a slice or '*'."""
        self.skip_spaces()
        if self.eat("*"):
            return Wildcard()
        if self.peek() in ("'", '"'):
            return Name(self.string())
        start = self.integer()
        self.skip_spaces()
        if self.peek() != ":":
            if start is None:
                raise self.error("expected a selector")
            return Index(start)
        self.expect(":")
        stop = self.integer()
        step = self.integer() if self.eat(":") else None
        if step == 0:
            raise self.error("slice step cannot be 0")
        return Slice(start, stop, step)

    def integer(self) -> int | None:
        """An optional signed integer."""
        self.skip_spaces()
        start = self.pos
        self.eat("-")
        while self.peek().isdigit():
            self.pos += 1
        digits = self.text[start:self.pos]
        if digits in ("", "-"):
            self.pos = start
            return None
        return int(digits)

    def string(self) -> str:
        """A single- or double-quoted string with backslash escapes."""
        quote = self.text[self.pos]
        self.pos += 1
        chars = []
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            if self.text[self.pos] == "\\":
                self.pos += 1
            chars.append(self.text[self.pos:self.pos + 1])
            self.pos += 1
        self.expect(quote)
        return "".join(chars)


def parse_query(text: str) -> list[Segment]:
    """The segments of a query; QuerySyntaxError naming the column on bad input."""
    return QueryParser(text).query()
