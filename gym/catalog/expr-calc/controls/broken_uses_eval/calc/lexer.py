"""Turn expression text into tokens."""

from dataclasses import dataclass

from calc.errors import CalcSyntaxError

OPERATORS = "+-*/%^"


@dataclass(frozen=True)
class Token:
    """One token; ``column`` is 1-based."""

    kind: str
    value: str
    column: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into NUMBER, OP, LPAREN and RPAREN tokens, ending with an END token."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or ch == ".":
            start = i
            while i < len(text) and (text[i].isdigit() or text[i] == "."):
                i += 1
            number = text[start:i]
            if number.count(".") > 1 or number == ".":
                raise CalcSyntaxError(f"bad number '{number}' at column {start + 1}")
            tokens.append(Token("NUMBER", number, start + 1))
        elif ch in OPERATORS:
            tokens.append(Token("OP", ch, i + 1))
            i += 1
        elif ch in "()":
            tokens.append(Token("LPAREN" if ch == "(" else "RPAREN", ch, i + 1))
            i += 1
        else:
            raise CalcSyntaxError(f"unexpected character '{ch}' at column {i + 1}")
    tokens.append(Token("END", "", len(text) + 1))
    return tokens
