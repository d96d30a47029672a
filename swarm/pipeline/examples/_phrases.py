"""Reading "`X` prints `Y`" in prose: code spans, the verb after one, and what it names.

Shared by the command notation (X is a shell command) and the expression notation (X is
an argument of the app's usage line). Reading is conservative: an output that is prose
("prints the four authors") or a list of spans ("gives `A`, `B`") is left unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from swarm.pipeline.examples._document import Unit

CODE_SPAN = re.compile(r"`(?P<text>[^`\n]+)`")
_VERB = re.compile(
    r"\s*(?P<verb>(?:prints|outputs|gives|shows|returns|yields|is|evaluates\s+to)\b|=|→|->)"
    r"\s*:?\s*"
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?![\w%]|\.\d)")
_LIST_NEXT = re.compile(r"\s*,\s*`")
#: Words before a command that say it runs on state the prose sets up first.
_PRECONDITION = re.compile(r"\b(after|once|following|given)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
#: Outside quotes: optional parts, ellipses, alternatives, or an all-capitals word (NAME).
_PLACEHOLDER = re.compile(r"[\[\]]|\.\.\.|\w\|\w|(?:^|\s)[A-Z][A-Z_]*(?=\s|$)")
_COMMAND = re.compile(r"^(?:python3?|printf|echo)\s")
_TEMPLATE = re.compile(
    r"^(?P<prefix>python3?\s+-m\s+[\w.]+(?P<flags>(?:\s+--?[\w-]+)*))\s+"
    r"(?P<q>['\"]?)[A-Z][A-Z_]*(?P=q)$"
)


@dataclass(frozen=True)
class Phrase:
    """``subject`` followed by an example verb and a literal output."""

    subject: str
    verb: str
    output: str | None
    """The literal output, or None when it is the unit's following block."""
    offset: int
    listed: bool = False
    """The output is the first of a list of spans: too loose to read as one output."""


def phrases(unit: Unit) -> list[Phrase]:
    """Every "`X` verb OUTPUT" of a unit, in order (OUTPUT: a span, a number, or the block)."""
    found = []
    for span in CODE_SPAN.finditer(unit.text):
        verb = _VERB.match(unit.text, span.end())
        if verb is None:
            continue
        phrase = _output(unit, span, verb)
        if phrase is not None:
            found.append(phrase)
    return found


def _output(unit: Unit, span: re.Match[str], verb: re.Match[str]) -> Phrase | None:
    at, subject, word = verb.end(), span["text"], verb["verb"]
    quoted = CODE_SPAN.match(unit.text, at)
    if quoted is not None:
        listed = _LIST_NEXT.match(unit.text, quoted.end()) is not None
        return Phrase(subject, word, quoted["text"], span.start(), listed)
    number = _NUMBER.match(unit.text, at)
    if number is not None:
        return Phrase(subject, word, number.group(), span.start())
    if at >= len(unit.text.rstrip()) and unit.block is not None and word != "is":
        return Phrase(subject, word, None, span.start())
    return None


def is_command(text: str) -> bool:
    """A shell command line (``python -m app ...``, ``printf ... | python ...``)."""
    return _COMMAND.match(text.strip()) is not None


def has_placeholder(text: str) -> bool:
    """Usage syntax rather than a runnable line: ``ID``, ``[--n N]``, ``a|b``, ``...``."""
    return _PLACEHOLDER.search(_QUOTED.sub(" ", text)) is not None


def template(text: str) -> tuple[str, bool] | None:
    """For a usage line ``python -m app [--flag] EXPR``: (its prefix, whether it has flags)."""
    found = _TEMPLATE.match(text.strip())
    if found is None:
        return None
    return found["prefix"], bool(found["flags"].strip())


def has_precondition(unit: Unit, offset: int) -> bool:
    """The sentence before ``offset`` sets up state in prose ("after adding ...")."""
    before = unit.text[:offset]
    ends = list(_SENTENCE_END.finditer(before))
    sentence = before[ends[-1].end() :] if ends else before
    return _PRECONDITION.search(sentence) is not None


def output_of(unit: Unit, phrase: Phrase) -> str:
    """The phrase's expected text: its literal, or the block after the unit."""
    if phrase.output is not None:
        return phrase.output
    return unit.block.text if unit.block is not None else ""
