"""Split query text into tokens."""

from dataclasses import dataclass

from csvql.errors import QuerySyntaxError

KEYWORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "ORDER", "BY", "ASC", "DESC", "LIMIT"}
OPERATORS = ("<=", ">=", "!=", "<>", "=", "<", ">")


@dataclass(frozen=True)
class Token:
    """kind: KEYWORD, IDENT, NUMBER, STRING, OP, COMMA, LPAREN, RPAREN, STAR, END."""

    kind: str
    value: str
    column: int


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` followed by END."""
    tokens, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise QuerySyntaxError("unterminated string", i + 1)
            tokens.append(Token("STRING", text[i + 1:end], i + 1))
            i = end + 1
        elif ch.isdigit() or (ch == "-" and text[i + 1:i + 2].isdigit()):
            start = i
            i += 1
            while i < len(text) and (text[i].isdigit() or text[i] == "."):
                i += 1
            tokens.append(Token("NUMBER", text[start:i], start + 1))
        elif ch.isalpha() or ch in "_./":
            start = i
            while i < len(text) and (text[i].isalnum() or text[i] in "_./-"):
                i += 1
            word = text[start:i]
            kind = "KEYWORD" if word.upper() in KEYWORDS else "IDENT"
            tokens.append(Token(kind, word.upper() if kind == "KEYWORD" else word, start + 1))
        else:
            op = next((o for o in OPERATORS if text.startswith(o, i)), None)
            single = {",": "COMMA", "(": "LPAREN", ")": "RPAREN", "*": "STAR"}
            if op:
                tokens.append(Token("OP", "!=" if op == "<>" else op, i + 1))
                i += len(op)
            elif ch in single:
                tokens.append(Token(single[ch], ch, i + 1))
                i += 1
            else:
                raise QuerySyntaxError(f"unexpected character '{ch}'", i + 1)
    tokens.append(Token("END", "", len(text) + 1))
    return tokens
