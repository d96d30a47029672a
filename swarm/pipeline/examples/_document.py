"""The spec cut into what example notations are written in: prose units and code blocks.

A *unit* is a bullet or a paragraph of prose, its lines joined; a *block* is a fenced
(```) or indented block (indented at least four columns more than the prose line just
above it — list continuations indented less stay prose). Every unit knows the block right after
it, because "`cmd` prints" and "for this sales.csv" are finished by the block that follows.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

#: A bullet (``-``, ``*``, ``+``) or numbered item starts a new unit.
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
#: A file name a unit may end with before the block holding its content.
_FILE_NAME = re.compile(r"(?:^|\s)`?(?P<name>[A-Za-z0-9_][\w.-]*\.[A-Za-z0-9]{1,5})`?:?\s*$")
#: How much deeper than the prose above a line must sit to open an indented block.
_BLOCK_INDENT = 4


@dataclass(frozen=True)
class Block:
    """A code block, dedented; ``line`` is the 1-based line of its first content line."""

    line: int
    text: str


@dataclass
class Unit:
    """A bullet or paragraph of prose (lines joined by newlines) and the block after it."""

    line: int
    text: str
    block: Block | None = None

    def line_at(self, offset: int) -> int:
        """The spec line of a character offset in ``text``."""
        return self.line + self.text.count("\n", 0, offset)


@dataclass
class SpecDoc:
    """A spec as units and blocks, plus the input files it defines (name -> content)."""

    units: list[Unit] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    files: dict[str, Block] = field(default_factory=dict)
    """Input files by name: the block holding each one's content."""
    file_units: set[int] = field(default_factory=set)
    """Indexes of the units that only introduce a file (not examples, not unread)."""

    def files_before(self, line: int) -> dict[str, str]:
        """Input files whose block starts before ``line`` (the spec defines, then uses)."""
        return {n: b.text + "\n" for n, b in self.files.items() if b.line < line}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Splitter:
    """One pass over the lines, opening and closing units and blocks."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.doc = SpecDoc()
        self.unit: list[str] = []
        self.unit_line = 0
        self.prose_indent = 0

    def run(self) -> SpecDoc:
        i = 0
        while i < len(self.lines):
            i = self._step(i)
        self._close_unit(None)
        return self.doc

    def _step(self, i: int) -> int:
        line = self.lines[i]
        if _FENCE.match(line):
            return self._fenced(i)
        if line.strip() and self.unit and _indent(line) >= self.prose_indent + _BLOCK_INDENT:
            return self._indented(i)
        if not line.strip() and self._indented_after_blank(i):
            return self._indented(i + 1)
        if not line.strip() or _ITEM.match(line):
            self._close_unit(None)
        if line.strip():
            if not self.unit:
                self.unit_line = i + 1
            self.prose_indent = _indent(line)  # a block is deeper than the line above it
            self.unit.append(line.strip())
        return i + 1

    def _indented_after_blank(self, i: int) -> bool:
        """A blank line, then a line indented well past the prose before it."""
        nxt = next((j for j in range(i + 1, len(self.lines)) if self.lines[j].strip()), None)
        return (
            bool(self.unit)
            and nxt is not None
            and _indent(self.lines[nxt]) >= self.prose_indent + _BLOCK_INDENT
        )

    def _fenced(self, i: int) -> int:
        end = next((j for j in range(i + 1, len(self.lines)) if _FENCE.match(self.lines[j])), None)
        stop = len(self.lines) if end is None else end
        body = "\n".join(self.lines[i + 1 : stop])
        self._close_unit(Block(i + 2, textwrap.dedent(body).strip("\n")))
        return stop + 1

    def _indented(self, i: int) -> int:
        depth = self.prose_indent + _BLOCK_INDENT
        j = i
        while j < len(self.lines):
            if self.lines[j].strip() and _indent(self.lines[j]) < depth:
                break
            j += 1
        while j > i and not self.lines[j - 1].strip():
            j -= 1  # trailing blank lines belong to the prose that follows
        body = "\n".join(self.lines[i:j])
        self._close_unit(Block(i + 1, textwrap.dedent(body).strip("\n")))
        return j

    def _close_unit(self, block: Block | None) -> None:
        if block is not None:
            self.doc.blocks.append(block)
        if self.unit or block is not None:
            unit = Unit(self.unit_line or (block.line if block else 0), "\n".join(self.unit), block)
            self.doc.units.append(unit)
            self._note_file(len(self.doc.units) - 1, unit)
        self.unit = []

    def _note_file(self, index: int, unit: Unit) -> None:
        found = _FILE_NAME.search(unit.text) if unit.block is not None else None
        if found is None or unit.block is None:
            return
        if unit.text.count("`", 0, found.start("name")) % 2 and not unit.text.endswith(
            (f"`{found['name']}`", f"`{found['name']}`:")
        ):
            return  # the name is an argument inside a command's code span, not a file heading
        self.doc.files[found["name"]] = unit.block
        self.doc.file_units.add(index)


def split_spec(spec: str) -> SpecDoc:
    """Cut ``spec`` into units and blocks and collect the input files it defines."""
    return _Splitter(spec.expandtabs(4).splitlines()).run()
