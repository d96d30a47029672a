"""The expression notation of a one-argument tool: "`2 ^ 3 ^ 2` is 512", "2^3^2 = 512".

It applies only when the spec states a usage line with a single placeholder argument
(`python -m calc EXPR`); the expression is quoted into it. A usage line with flags
(`python -m calc --ast EXPR`) governs the expressions of its own bullet or paragraph.
An expression that starts with ``-`` and has no space would be read as an option by the
app's argument parser, so it is not an example of the usage line: it is skipped.
"""

from __future__ import annotations

import re
import shlex

from swarm.pipeline.examples._document import SpecDoc, Unit
from swarm.pipeline.examples._model import Example
from swarm.pipeline.examples._notations import notation
from swarm.pipeline.examples._phrases import (
    CODE_SPAN,
    has_placeholder,
    is_command,
    output_of,
    phrases,
    template,
)

#: Plain-text arithmetic: operands and operators only, "=" and a number.
_ARITHMETIC = re.compile(
    r"(?<![\w.`])(?P<expr>[\d.(][\d.\s()+\-*/^%]*[\d)])\s*=\s*(?P<value>-?\d+(?:\.\d+)?)(?![\w`]|\.\d)"
)
_OPERATOR = re.compile(r"[+\-*/^%]")


def default_template(doc: SpecDoc) -> str | None:
    """The first flag-less single-argument usage line of the spec (its prefix)."""
    for unit in doc.units:
        for span in CODE_SPAN.finditer(unit.text):
            found = template(span["text"])
            if found is not None and not found[1]:
                return found[0]
    return None


def _usable(expr: str) -> bool:
    expr = expr.strip()
    if not expr or is_command(expr) or has_placeholder(expr) or template(expr):
        return False
    return not (expr.startswith("-") and not re.search(r"\s", expr))


@notation
class Expression:
    """Expressions run through the usage line in scope."""

    name = "expression"

    def parse(self, doc: SpecDoc) -> list[tuple[int, Example]]:
        """Every spanned or plain arithmetic example under a usage line."""
        fallback = default_template(doc)
        found = []
        for index, unit in enumerate(doc.units):
            for line, expr, expected, at in self._in_unit(unit, fallback):
                command = f"{at} {shlex.quote(expr.strip())}"
                example = Example(command=command, expected=expected, notation=self.name, line=line)
                found.append((index, example))
        return found

    def _in_unit(self, unit: Unit, fallback: str | None) -> list[tuple[int, str, str, str]]:
        """(line, expression, expected, usage prefix) of one unit."""
        out = []
        for phrase in phrases(unit):
            prefix = _scoped(unit, phrase.offset, fallback)
            if prefix and not phrase.listed and _usable(phrase.subject):
                line = unit.line_at(phrase.offset)
                out.append((line, phrase.subject, output_of(unit, phrase), prefix))
        for match in _ARITHMETIC.finditer(_without_spans(unit.text)):
            prefix = _scoped(unit, match.start(), fallback)
            if prefix and _OPERATOR.search(match["expr"].lstrip("-")):
                out.append((unit.line_at(match.start()), match["expr"], match["value"], prefix))
        return out


def _scoped(unit: Unit, offset: int, fallback: str | None) -> str | None:
    """The usage prefix governing ``offset``: the unit's last usage line before it, else the
    spec's flag-less one."""
    prefix = fallback
    for span in CODE_SPAN.finditer(unit.text[:offset]):
        found = template(span["text"])
        if found is not None:
            prefix = found[0]
    return prefix


def _without_spans(text: str) -> str:
    """The text with code spans blanked (same length, so offsets still point right)."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group()), text)
